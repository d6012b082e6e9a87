"""The model the pages are made from, read from what `tracker` stored: meetings with their
articles and commitments, the stored changes between meetings, threads, articles with their
evidence marked (by timeline/evidence.py), recent runs, formulations and targets.

Nothing here matches commitments or decides statuses: the threads and changes are the ones
`tracker` stored, and the decisions read from them (a commitment's status at its meeting, a
thread's main topic) are tracker's (tracker/meeting_status.py, tracker/thread_topics.py).
The views are dataclasses: page keys digest their repr, which lists every field."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import statuses
from tracker.db import Article, Change, Commitment, Evidence, Meeting, Run, ThreadMember
from tracker.formulations import formulations_for
from tracker.meeting_status import meeting_statuses, unlinked_status
from tracker.meetings import readable_alias
from tracker.statuses import counts_line
from tracker.target_changes import meeting_targets
from tracker.thread_topics import NO_TOPIC, main_topic, topic_rank

from .evidence import EvidenceLinks, EvidenceView, article_slugs, evidence_marks
from .formats import corroboration, safe_id, truncate

SOURCE_KINDS = {"official": "official full text", "readout": "official readout or excerpt", "news": "news or analysis"}
RECENT_RUNS = 30  # runs shown on recent.html and in feed.xml
NO_TOPIC_LABEL = "No topic tagged"


# --------------------------------------------------------------------------------------------
# The views


@dataclass
class CommitmentView:
    id: str
    text: str
    topics: list[str]
    topic_labels: list[str]
    emphasis: float
    explanation: str
    status: str
    thread_id: str
    meeting_id: str
    meeting_index: int
    position: int
    evidence: list[EvidenceView] = field(default_factory=list)
    section: str = ""  # where it stands in an official report (signals["section"]); "" for news
    corroboration: str = ""  # "3 sentences from 2 sources": shown beside emphasis, never counted in it
    language: str = "en"  # of its evidence ("en" or "zh"): its lang attribute and label

    @property
    def group(self) -> str:
        return self.topics[0] if self.topics else NO_TOPIC

    @property
    def thread_url(self) -> str:
        return f"threads/{safe_id(self.thread_id)}.html"


@dataclass
class ThreadView:
    id: str
    group: str  # its main topic
    group_label: str
    topics: list[str]
    commitments: list[CommitmentView]
    row: int = 0

    @property
    def url(self) -> str:
        return f"threads/{safe_id(self.id)}.html"

    @property
    def title(self) -> str:
        return truncate(self.commitments[0].text, 90)

    @property
    def language(self) -> str:
        """Commitments are matched within a language: a thread's is its first commitment's."""
        return self.commitments[0].language

    @property
    def meeting_indices(self) -> list[int]:
        return sorted({c.meeting_index for c in self.commitments})


@dataclass
class MeetingView:
    id: str
    name: str
    short: str
    kind: str
    start: str
    end: str
    inferred: bool
    inferred_from: str | None
    index: int
    articles: list[dict] = field(default_factory=list)
    commitments: list[CommitmentView] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"meetings/{safe_id(self.id)}.html"

    @property
    def dates(self) -> str:
        return self.start if self.start == self.end else f"{self.start} to {self.end}"


@dataclass
class ChangeView:
    status: str
    score: float | None
    reason: str
    before: CommitmentView | None
    after: CommitmentView | None


@dataclass
class PairView:
    before: MeetingView
    after: MeetingView
    changes: list[ChangeView]

    @property
    def url(self) -> str:
        return f"changes/{safe_id(self.before.id)}--{safe_id(self.after.id)}.html"

    def groups(self) -> list[tuple[str, list[ChangeView]]]:
        """The changes by status, in the order every list shows them."""
        by: dict[str, list[ChangeView]] = defaultdict(list)
        for c in self.changes:
            by[c.status].append(c)
        order = list(statuses.CHANGES) + sorted(s for s in by if s not in statuses.CHANGE_ORDER)
        return [(s, by[s]) for s in order if by.get(s)]

    def counts(self) -> list[tuple[str, int]]:
        return [(s, len(items)) for s, items in self.groups()]

    def summary(self) -> str:
        """The counts as `tracker diff` writes them ("...; 3 not covered (counted apart)")."""
        return counts_line(dict(self.counts()))


@dataclass
class Model:
    meetings: list[MeetingView]
    commitments: list[CommitmentView]
    threads: list[ThreadView]
    pairs: list[PairView]  # consecutive meetings
    articles: list[dict]
    unassigned: list[dict]
    topic_labels: dict[str, str]
    topic_order: dict[str, int]  # the lexicon's order
    runs: list[dict] = field(default_factory=list)
    # Commitments no commitment of the next meeting carries on (where a thread's × goes).
    disappeared: set[str] = field(default_factory=set)
    # Every stored pair of meetings (not only consecutive ones), for the compare page.
    compared: list[PairView] = field(default_factory=list)
    formulations: list = field(default_factory=list)  # tracker.formulations.FormulationEntry
    targets: list[dict] = field(default_factory=list)  # rows of tracker.target_changes.targets_table
    base_url: str = ""  # where the site is published ("https://.../", from settings), or "" if not known

    def topic_label(self, topic_id: str) -> str:
        return self.topic_labels.get(topic_id, topic_id) if topic_id else NO_TOPIC_LABEL

    def topic_rank(self, topic_id: str) -> tuple:
        return topic_rank(topic_id, self.topic_order)

    @property
    def languages(self) -> list[str]:
        """The languages of the commitments, sorted."""
        return sorted({c.language for c in self.commitments})

    @property
    def mixed(self) -> bool:
        """Commitments in more than one language: the pages label each one's language."""
        return len(self.languages) > 1


def short_label(meeting: Meeting) -> str:
    """A meeting's short name: its shortest alias of a readable length, else its name clipped."""
    return readable_alias(meeting.aliases) or truncate(meeting.name, 30)


# --------------------------------------------------------------------------------------------
# Reading the model. Bulk queries, one per table: walking ORM relationships issued one query
# per article, commitment and evidence row (4.7 s of a 2,000-article render).


def load_model(session: Session, settings) -> Model:
    lexicon = settings.topics.topic
    model = Model([], [], [], [], [], [], {t.id: t.label for t in lexicon}, {t.id: i for i, t in enumerate(lexicon)})
    article_rows = session.execute(
        select(
            Article.id,
            Article.file,
            Article.title,
            Article.source,
            Article.url,
            Article.date,
            Article.published,
            Article.assignment,
            Article.meeting_id,
            Article.text,
            Article.kind,
            Article.kind_reason,
            Article.language,
        ).order_by(Article.file)
    ).all()
    slugs = article_slugs(article_rows)
    evidence_rows = session.execute(
        select(
            Evidence.id,
            Evidence.commitment_id,
            Evidence.article_id,
            Evidence.position,
            Evidence.sentence,
            Evidence.start,
            Evidence.end,
        )
    ).all()
    anchors, marks = evidence_marks(article_rows, evidence_rows)
    base_url = getattr(settings, "base_url", None)
    model.base_url = base_url.rstrip("/") + "/" if base_url else ""  # the site's paths join onto it
    read_meetings(session, model, article_rows, slugs, evidence_rows, anchors)
    read_changes(session, model)
    read_threads(session, model)
    for a in article_rows:
        entry = {
            "id": a.id,
            "file": a.file,
            "title": a.title or a.file,
            "slug": slugs[a.id],
            "url": f"articles/{slugs[a.id]}.html",
            "meeting": a.meeting_id,
            "source": a.source,
            "link": a.url,
            "date": a.date.isoformat() if a.date else None,
            "published": a.published.isoformat() if a.published else None,
            "assignment": a.assignment or "",
            "text": a.text or "",
            "marks": marks[a.id],
            "kind": SOURCE_KINDS.get(a.kind or "", ""),
            "kind_reason": a.kind_reason or "",
            "language": a.language or "en",
        }
        model.articles.append(entry)
        if a.meeting_id is None:
            model.unassigned.append(entry)
    model.runs = [
        {"id": run.id, "finished": run.finished, "full": run.full, **run.summary}
        for run in session.scalars(select(Run).order_by(Run.id.desc()).limit(RECENT_RUNS))
    ]
    model.formulations = formulations_for(session, None, settings.commitment_rules.matching)
    model.targets = meeting_targets(session, settings.target_rules)
    return model


def read_meetings(
    session: Session, model: Model, article_rows, slugs: dict[int, str], evidence_rows, anchors: dict[int, str]
) -> None:
    """The meetings with articles or commitments, in date order, each with its articles and its
    commitments (in text order, with their evidence)."""
    articles_of_meeting: dict[str, list] = defaultdict(list)
    for a in article_rows:  # already in file order
        if a.meeting_id is not None:
            articles_of_meeting[a.meeting_id].append(a)
    evidence = EvidenceLinks(article_rows, slugs, evidence_rows, anchors, model.base_url)
    commitments_of_meeting: dict[str, list] = defaultdict(list)
    for c in session.execute(
        select(
            Commitment.id,
            Commitment.meeting_id,
            Commitment.position,
            Commitment.text,
            Commitment.topics,
            Commitment.emphasis,
            Commitment.signals,
            Commitment.thread_id,
            Commitment.language,
        )
    ):
        commitments_of_meeting[c.meeting_id].append(c)
    meeting_rows = session.scalars(
        select(Meeting).where(Meeting.articles.any() | Meeting.commitments.any()).order_by(Meeting.start, Meeting.id)
    )
    for index, m in enumerate(meeting_rows):
        mv = MeetingView(
            m.id,
            m.name,
            short_label(m),
            m.kind,
            m.start.isoformat(),
            m.end.isoformat(),
            bool(m.inferred),
            m.inferred_from,
            index,
        )
        mv.articles = [
            {
                "file": a.file,
                "title": a.title or a.file,
                "url": f"articles/{slugs[a.id]}.html",
                "source": a.source,
                "link": a.url,
                "published": a.published.isoformat() if a.published else None,
                "assignment": a.assignment or "",
                "kind": SOURCE_KINDS.get(a.kind or "", ""),
                "kind_reason": a.kind_reason or "",
                "language": a.language or "en",
            }
            for a in articles_of_meeting.get(m.id, [])
        ]
        for c in sorted(commitments_of_meeting.get(m.id, []), key=lambda c: (c.position, c.id)):
            cv = commitment_view(c, mv, model)
            cv.evidence = evidence.of(c.id)
            mv.commitments.append(cv)
            model.commitments.append(cv)
        model.meetings.append(mv)


def commitment_view(row, meeting: MeetingView, model: Model) -> CommitmentView:
    """A stored commitment, with the status it has before its links are read."""
    signals = row.signals or {}
    return CommitmentView(
        id=row.id,
        text=row.text,
        topics=list(row.topics or []),
        topic_labels=[model.topic_label(t) for t in (row.topics or [])],
        emphasis=float(row.emphasis or 0.0),
        explanation=signals.get("explanation") or "",
        status=unlinked_status(meeting.index),
        thread_id=row.thread_id or row.id,
        meeting_id=meeting.id,
        meeting_index=meeting.index,
        position=row.position,
        section=str(signals.get("section") or ""),
        corroboration=corroboration(signals.get("sentences", 1), signals.get("articles", 1)),
        language=row.language or "en",
    )


def read_changes(session: Session, model: Model) -> None:
    """The stored changes: tracker's one answer to "what changed from A to B", for every stored
    pair (model.compared), the consecutive ones among them (model.pairs); and what they say of
    each commitment: its status at its meeting, and whether the next meeting carried it on."""
    by_commitment = {c.id: c for c in model.commitments}
    meeting_by_id = {m.id: m for m in model.meetings}
    rows = session.execute(
        select(
            Change.from_meeting_id,
            Change.to_meeting_id,
            Change.status,
            Change.score,
            Change.reason,
            Change.from_commitment_id,
            Change.to_commitment_id,
            Change.adjacent,
        ).order_by(Change.from_meeting_id, Change.to_meeting_id, Change.position, Change.id)
    ).all()
    pair_changes: dict[tuple[str, str], list[ChangeView]] = defaultdict(list)
    adjacent: set[tuple[str, str]] = set()
    for ch in rows:
        pair_changes[(ch.from_meeting_id, ch.to_meeting_id)].append(
            ChangeView(
                ch.status,
                ch.score,
                ch.reason or "",
                by_commitment.get(ch.from_commitment_id or ""),
                by_commitment.get(ch.to_commitment_id or ""),
            )
        )
        if ch.adjacent:
            adjacent.add((ch.from_meeting_id, ch.to_meeting_id))
    found = meeting_statuses(rows)
    for cid, status in found.linked.items():
        if cid in by_commitment:
            by_commitment[cid].status = status
    model.disappeared = found.disappeared
    model.compared = sorted(
        (
            PairView(meeting_by_id[a], meeting_by_id[b], items)
            for (a, b), items in pair_changes.items()
            if a in meeting_by_id and b in meeting_by_id
        ),
        key=lambda p: (p.before.index, p.after.index),
    )
    model.pairs = [p for p in model.compared if (p.before.id, p.after.id) in adjacent]


def read_threads(session: Session, model: Model) -> None:
    """The threads, by main topic (in the lexicon's order), then by date. A commitment that
    carries on several earlier ones belongs to each of their threads, with the status it has in
    that thread (stored by tracker's matching)."""
    by_commitment = {c.id: c for c in model.commitments}
    grouped: dict[str, list[CommitmentView]] = defaultdict(list)
    members = session.execute(
        select(ThreadMember.thread_id, ThreadMember.commitment_id, ThreadMember.status, ThreadMember.topics).order_by(
            ThreadMember.thread_id, ThreadMember.commitment_id
        )
    ).all()
    carried: dict[tuple[str, str], list[str]] = {}  # (thread, commitment) -> topics the link into it carried
    for thread_id, commitment_id, status, topics in members:
        carried[(thread_id, commitment_id)] = list(topics or [])
        cv = by_commitment.get(commitment_id)
        if cv is not None:
            grouped[thread_id].append(
                cv
                if (cv.thread_id, cv.status) == (thread_id, status)
                else replace(cv, thread_id=thread_id, status=status, evidence=cv.evidence)
            )
    if not members:  # a database matched before thread memberships were stored
        for cv in model.commitments:
            grouped[cv.thread_id].append(cv)
    for tid, items in grouped.items():
        items.sort(key=lambda c: (c.meeting_index, c.position, c.id))
        topics = list(dict.fromkeys(t for c in items for t in c.topics))
        topic = main_topic(topics, [t for c in items for t in carried.get((tid, c.id), [])])
        model.threads.append(ThreadView(tid, topic, model.topic_label(topic), topics, items))
    model.threads.sort(
        key=lambda t: (*model.topic_rank(t.group), t.commitments[0].meeting_index, t.commitments[0].position, t.id)
    )
    for row, t in enumerate(model.threads):
        t.row = row
