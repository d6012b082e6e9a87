"""Render the static timeline site from what `tracker` stored.

`render_site(session, settings)` writes every page into a temporary sibling folder and swaps it
into place, so a reader never sees a half-built site and pages of earlier builds disappear.
The output is deterministic: the same database gives byte-identical files (no timestamps,
stable ordering, sorted JSON keys). Nothing here matches commitments: the threads and changes
are the ones `tracker` stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import stat
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db import Article, Change, Commitment, Evidence, Meeting, Run, ThreadMember

from . import figures

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# A commitment's status at its meeting, against the meeting before it (tracker's stored changes).
STATUSES = ["first seen", "new", "persisted", "strengthened", "weakened"]
# The statuses of the changes between two meetings, in the order pages list them (the same as
# `tracker diff`); "not covered" last and counted apart.
CHANGE_ORDER = ["strengthened", "new", "persisted", "weakened", "disappeared", "not covered"]
STATUS_HELP = {
    "first seen": "stated at the first meeting on the timeline: nothing earlier to compare with",
    "new": "stated here, not at the earlier meeting",
    "persisted": "carried on with about the same language",
    "strengthened": "carried on with stronger language or a more ambitious target",
    "weakened": "carried on with weaker language or a less ambitious target",
    "reappeared": "came back after being absent",
    "disappeared": "not carried on, where the later meeting's sources would have stated it",
    "not covered": "not carried on, but the later meeting's sources are silent on its subject (counted apart)",
}
SOURCE_KINDS = {"official": "official full text", "readout": "official readout or excerpt", "news": "news or analysis"}
RECENT_RUNS = 30  # runs shown on recent.html and in feed.xml
NO_TOPIC = ""
NO_TOPIC_LABEL = "No topic tagged"
# Long lists (a work report gives 150-400 commitments): a list longer than LONG_LIST shows its
# first SHOWN_OF_LONG items, the rest behind a "show N more" <details>; on a page listing more
# than LONG_LIST commitments, a group larger than FEW starts closed (its summary gives the count).
LONG_LIST = 50
SHOWN_OF_LONG = 20
FEW = 10
SECTION_SEP = " › "  # signals["section"]: "III. Major Tasks for 2014 › 4. Advancing ..."
NO_SECTION_LABEL = "Not in a report section"


# --------------------------------------------------------------------------------------------
# Helpers


def stable_json(data, indent: int | None = None) -> str:
    if indent is None:
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(data, sort_keys=True, indent=indent, ensure_ascii=False)


def json_for_script(data) -> str:
    """JSON safe inside <script type="application/json">: no `<`, `>` or `&` survive raw."""
    return (stable_json(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def json_script(data, element_id: str) -> Markup:
    return Markup('<script type="application/json" id="{}">{}</script>').format(
        element_id, Markup(json_for_script(data)))


def slugify(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug or "article"


def safe_id(value: str) -> str:
    """A file-name-safe form of an id (ids are normally already safe)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip(".-") or "x"


def truncate(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def corroboration(sentences: int, sources: int) -> str:
    return f"{sentences} sentence{'' if sentences == 1 else 's'} from {sources} source{'' if sources == 1 else 's'}"


def fmt_num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def short_label(meeting: Meeting) -> str:
    candidates = [a for a in (meeting.aliases or []) if 6 <= len(a) <= 30]
    if candidates:
        return min(candidates, key=len)
    return truncate(meeting.name, 30)


# --------------------------------------------------------------------------------------------
# The model the templates read


@dataclass
class EvidenceView:
    sentence: str
    file: str
    article_url: str  # relative to the site root, with the #ev-N anchor
    title: str


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

    @property
    def group(self) -> str:
        return self.topics[0] if self.topics else NO_TOPIC

    @property
    def thread_url(self) -> str:
        return f"threads/{safe_id(self.thread_id)}.html"


@dataclass
class ThreadView:
    id: str
    group: str
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
        by: dict[str, list[ChangeView]] = defaultdict(list)
        for c in self.changes:
            by[c.status].append(c)
        order = CHANGE_ORDER + sorted(s for s in by if s not in CHANGE_ORDER)
        return [(s, by[s]) for s in order if by.get(s)]

    def counts(self) -> list[tuple[str, int]]:
        return [(s, len(items)) for s, items in self.groups()]

    def summary(self) -> str:
        """The counts as `tracker diff` writes them ("...; 3 not covered (counted apart)")."""
        from tracker.matching import counts_line

        return counts_line(dict(self.counts()))


@dataclass
class CommitmentGroup:
    """A collapsible group of a meeting page: a report section with its numbered parts as
    sub-groups, a topic, or the commitments stated outside any report section."""

    label: str
    items: list[CommitmentView]  # directly in this group, in text order
    parts: list["CommitmentGroup"] = field(default_factory=list)
    open: bool = True

    @property
    def count(self) -> int:
        return len(self.items) + sum(p.count for p in self.parts)

    def outline(self) -> tuple:
        """What the page shows of the grouping (for page keys)."""
        return (self.label, self.open, tuple(c.id for c in self.items), tuple(p.outline() for p in self.parts))


def opens(size: int, total: int) -> bool:
    """Whether a group of `size` items starts open on a page (or list) of `total` items."""
    return total <= LONG_LIST or size <= FEW


def split_long(items: list) -> tuple[list, list]:
    """(shown, behind "show N more"): a long list shows only its first items."""
    items = list(items)
    if len(items) > LONG_LIST:
        return items[:SHOWN_OF_LONG], items[SHOWN_OF_LONG:]
    return items, []


def topic_groups(items: list[CommitmentView], topic_labels: dict[str, str], topic_order: dict[str, int]) -> list[CommitmentGroup]:
    """Commitments by their first topic, in the lexicon's order (untagged last)."""
    by: dict[str, list[CommitmentView]] = defaultdict(list)
    for c in items:
        by[c.group].append(c)
    ordered = sorted(by.items(), key=lambda kv: (kv[0] == NO_TOPIC, topic_order.get(kv[0], 10_000), kv[0]))
    return [CommitmentGroup(topic_labels.get(k, k) if k else NO_TOPIC_LABEL, v) for k, v in ordered]


def meeting_groups(m: MeetingView, topic_labels: dict[str, str], topic_order: dict[str, int]) -> tuple[bool, list[CommitmentGroup]]:
    """(by section?, groups) of a meeting page. When some commitments stand in an official
    report's sections: one group per top-level section ("III. Major Tasks for 2014") in text
    order, its numbered parts ("4. Advancing ...") as sub-groups, then the commitments outside
    any section (news) in a group of their own (by topic if there are many). Otherwise: one group per topic.
    On a long page (more than LONG_LIST commitments) the page opens as an outline: a group with
    sub-groups starts open and its sub-groups closed; a group without them starts closed
    unless it has at most FEW commitments."""
    total = len(m.commitments)
    if not any(c.section for c in m.commitments):
        groups = topic_groups(m.commitments, topic_labels, topic_order)
        for g in groups:
            g.open = opens(g.count, total)
        return False, groups

    def source(c: CommitmentView) -> tuple[str, str]:
        return (c.evidence[0].file, c.evidence[0].title) if c.evidence else ("", "")

    several = len({source(c)[0] for c in m.commitments if c.section}) > 1  # sections of more than one report
    tops: dict[tuple[str, str], CommitmentGroup] = {}
    parts: dict[tuple[str, str, str], CommitmentGroup] = {}
    for c in m.commitments:  # in text order (positions follow each article's text, articles by file)
        if not c.section:
            continue
        top, _sep, part = c.section.partition(SECTION_SEP)
        file, title = source(c)
        group = tops.get((file, top))
        if group is None:
            group = tops[(file, top)] = CommitmentGroup(f"{top} ({title})" if several else top, [])
        if not part:
            group.items.append(c)
            continue
        sub = parts.get((file, top, part))
        if sub is None:
            sub = parts[(file, top, part)] = CommitmentGroup(part, [])
            group.parts.append(sub)
        sub.items.append(c)
    groups = list(tops.values())
    rest = [c for c in m.commitments if not c.section]
    if rest:  # by topic when there are many of them
        groups.append(CommitmentGroup(NO_SECTION_LABEL, [], topic_groups(rest, topic_labels, topic_order))
                      if len(rest) > LONG_LIST else CommitmentGroup(NO_SECTION_LABEL, rest))
    for g in groups:
        g.open = bool(g.parts) or opens(g.count, total)
        for p in g.parts:
            p.open = total <= LONG_LIST
    return True, groups


@dataclass
class Model:
    meetings: list[MeetingView]
    commitments: list[CommitmentView]
    threads: list[ThreadView]
    pairs: list[PairView]
    articles: list[dict]
    unassigned: list[dict]
    topic_labels: dict[str, str]
    topic_order: dict[str, int]
    runs: list[dict] = field(default_factory=list)
    # Commitments no commitment of the next meeting carries on (where a thread's × goes).
    disappeared: set[str] = field(default_factory=set)
    # Every stored pair of meetings (not only consecutive ones), for the compare page.
    compared: list[PairView] = field(default_factory=list)
    formulations: list = field(default_factory=list)  # tracker.formulations.FormulationEntry
    targets: list[dict] = field(default_factory=list)  # rows of tracker.targets.targets_table


def load_model(session: Session, settings) -> Model:
    topics_data = settings.topics.get("topic", [])
    topic_labels = {t["id"]: t.get("label", t["id"]) for t in topics_data}
    topic_order = {t["id"]: i for i, t in enumerate(topics_data)}

    def label_of(topic_id: str) -> str:
        return topic_labels.get(topic_id, topic_id) if topic_id else NO_TOPIC_LABEL

    # Bulk queries, one per table: walking ORM relationships issued one query per article,
    # commitment and evidence row (4.7 s of a 2,000-article render).
    articles_rows = session.execute(select(
        Article.id, Article.file, Article.title, Article.source, Article.url, Article.date, Article.assignment,
        Article.meeting_id, Article.text, Article.kind, Article.kind_reason).order_by(Article.file)).all()
    slugs: dict[int, str] = {}
    used: set[str] = set()
    for a in articles_rows:
        slug = slugify(a.file)
        if slug in used:
            n = 2
            while f"{slug}-{n}" in used:
                n += 1
            slug = f"{slug}-{n}"
        used.add(slug)
        slugs[a.id] = slug
    article_by_id = {a.id: a for a in articles_rows}
    evidence_rows = session.execute(select(
        Evidence.id, Evidence.commitment_id, Evidence.article_id, Evidence.position, Evidence.sentence,
        Evidence.start, Evidence.end)).all()

    # Evidence anchors: per article, ev-1, ev-2, ... in text order; overlapping sentences share one.
    evidence_of_article: dict[int, list] = defaultdict(list)
    evidence_of_commitment: dict[str, list] = defaultdict(list)
    for ev in evidence_rows:
        evidence_of_article[ev.article_id].append(ev)
        evidence_of_commitment[ev.commitment_id].append(ev)
    anchors: dict[int, str] = {}  # evidence id -> anchor
    marks: dict[int, list[dict]] = {}  # article id -> marks
    for a in articles_rows:
        evs = sorted(evidence_of_article.get(a.id, []), key=lambda e: (e.start, e.end, e.commitment_id, e.position))
        article_marks: list[dict] = []
        n = len(a.text or "")
        for ev in evs:
            start, end = max(0, min(ev.start, n)), max(0, min(ev.end, n))
            if end <= start:
                continue
            if article_marks and start < article_marks[-1]["end"]:
                mark = article_marks[-1]
                mark["end"] = max(mark["end"], end)
            else:
                mark = {"start": start, "end": end, "anchor": f"ev-{len(article_marks) + 1}", "commitments": []}
                article_marks.append(mark)
            if ev.commitment_id not in mark["commitments"]:
                mark["commitments"].append(ev.commitment_id)
            anchors[ev.id] = mark["anchor"]
        marks[a.id] = article_marks

    meeting_rows = [m for m in session.scalars(
        select(Meeting).where(Meeting.articles.any() | Meeting.commitments.any()).order_by(Meeting.start, Meeting.id))]
    articles_of_meeting: dict[str, list] = defaultdict(list)
    for a in articles_rows:  # already in file order
        if a.meeting_id is not None:
            articles_of_meeting[a.meeting_id].append(a)
    commitments_of_meeting: dict[str, list] = defaultdict(list)
    for c in session.execute(select(
            Commitment.id, Commitment.meeting_id, Commitment.position, Commitment.text, Commitment.topics,
            Commitment.emphasis, Commitment.signals, Commitment.thread_id, Commitment.thread_status)):
        commitments_of_meeting[c.meeting_id].append(c)
    meetings: list[MeetingView] = []
    commitments: list[CommitmentView] = []
    by_commitment: dict[str, CommitmentView] = {}
    for index, m in enumerate(meeting_rows):
        mv = MeetingView(m.id, m.name, short_label(m), m.kind, m.start.isoformat(), m.end.isoformat(),
                         bool(m.inferred), m.inferred_from, index)
        mv.articles = [{"file": a.file, "title": a.title or a.file, "url": f"articles/{slugs[a.id]}.html",
                        "source": a.source, "link": a.url, "assignment": a.assignment or "",
                        "kind": SOURCE_KINDS.get(a.kind or "", ""), "kind_reason": a.kind_reason or ""}
                       for a in articles_of_meeting.get(m.id, [])]
        for c in sorted(commitments_of_meeting.get(m.id, []), key=lambda c: (c.position, c.id)):
            cv = CommitmentView(
                id=c.id, text=c.text, topics=list(c.topics or []),
                topic_labels=[label_of(t) for t in (c.topics or [])], emphasis=float(c.emphasis or 0.0),
                explanation=(c.signals or {}).get("explanation") or "", status="first seen" if index == 0 else "new",
                thread_id=c.thread_id or c.id, meeting_id=m.id, meeting_index=index, position=c.position,
                section=str((c.signals or {}).get("section") or ""),
                corroboration=corroboration((c.signals or {}).get("sentences", 1), (c.signals or {}).get("articles", 1)),
            )
            for ev in sorted(evidence_of_commitment.get(c.id, []), key=lambda e: (e.position, e.id)):
                anchor = anchors.get(ev.id)
                source = article_by_id[ev.article_id]
                url = f"articles/{slugs[ev.article_id]}.html" + (f"#{anchor}" if anchor else "")
                cv.evidence.append(EvidenceView(ev.sentence, source.file, url, source.title or source.file))
            mv.commitments.append(cv)
            commitments.append(cv)
            by_commitment[cv.id] = cv
        meetings.append(mv)

    # Stored changes: tracker's one answer to "what changed from A to B", for every stored pair.
    # A commitment's status at its meeting is that of its best link from the meeting before.
    index_of = {m.id: m for m in meetings}
    pair_changes: dict[tuple[str, str], list[ChangeView]] = defaultdict(list)
    adjacent: set[tuple[str, str]] = set()
    best_link: dict[str, tuple[float, str]] = {}
    disappeared: set[str] = set()
    for ch in session.execute(select(Change.from_meeting_id, Change.to_meeting_id, Change.status, Change.score, Change.reason,
                                     Change.from_commitment_id, Change.to_commitment_id, Change.adjacent)
                              .order_by(Change.from_meeting_id, Change.to_meeting_id, Change.position, Change.id)):
        pair_changes[(ch.from_meeting_id, ch.to_meeting_id)].append(ChangeView(
            ch.status, ch.score, ch.reason or "", by_commitment.get(ch.from_commitment_id or ""),
            by_commitment.get(ch.to_commitment_id or "")))
        if not ch.adjacent:
            continue
        adjacent.add((ch.from_meeting_id, ch.to_meeting_id))
        if ch.to_commitment_id and ch.from_commitment_id:
            key = (ch.score or 0.0, ch.status)
            if ch.to_commitment_id not in best_link or key[0] > best_link[ch.to_commitment_id][0]:
                best_link[ch.to_commitment_id] = key
        elif ch.status == "disappeared":
            disappeared.add(ch.from_commitment_id)
    for cid, (_score, status) in best_link.items():
        if cid in by_commitment:
            by_commitment[cid].status = status
    compared = [PairView(index_of[a], index_of[b], items) for (a, b), items in pair_changes.items()
                if a in index_of and b in index_of]
    compared.sort(key=lambda p: (p.before.index, p.after.index))
    pairs = [p for p in compared if (p.before.id, p.after.id) in adjacent]

    # Threads, sorted by their first topic (lexicon order), then by date.
    # A commitment that carries on several earlier ones belongs to each of their threads,
    # with the status it has in that thread (stored by tracker's matching).
    grouped: dict[str, list[CommitmentView]] = defaultdict(list)
    members = session.execute(select(ThreadMember.thread_id, ThreadMember.commitment_id, ThreadMember.status, ThreadMember.topics)
                              .order_by(ThreadMember.thread_id, ThreadMember.commitment_id)).all()
    carried: dict[tuple[str, str], list[str]] = {}  # (thread, commitment) -> topics the link into it carried
    for thread_id, commitment_id, status, topics in members:
        carried[(thread_id, commitment_id)] = list(topics or [])
        cv = by_commitment.get(commitment_id)
        if cv is not None:
            grouped[thread_id].append(cv if (cv.thread_id, cv.status) == (thread_id, status)
                                      else replace(cv, thread_id=thread_id, status=status, evidence=cv.evidence))
    if not members:  # a database matched before thread memberships were stored
        for cv in commitments:
            grouped[cv.thread_id].append(cv)
    threads: list[ThreadView] = []
    for tid, items in grouped.items():
        items.sort(key=lambda c: (c.meeting_index, c.position, c.id))
        # The thread's topic: the one its links carried most often (what actually went on from
        # meeting to meeting); for a thread without links, its commitment's first topic.
        order = list(dict.fromkeys(t for c in items for t in c.topics))
        via = [t for c in items for t in carried.get((tid, c.id), [])]  # in date order: ties go to the earliest
        if via:
            first = max(dict.fromkeys(via), key=lambda t: (via.count(t), -via.index(t)))
        else:
            first = order[0] if order else NO_TOPIC
        topics = order
        threads.append(ThreadView(tid, first, label_of(first), topics, items))
    threads.sort(key=lambda t: (t.group == NO_TOPIC, topic_order.get(t.group, 10_000), t.group,
                                t.commitments[0].meeting_index, t.commitments[0].position, t.id))
    for row, t in enumerate(threads):
        t.row = row

    articles = []
    unassigned = []
    for a in articles_rows:
        entry = {"id": a.id, "file": a.file, "title": a.title or a.file, "slug": slugs[a.id],
                 "url": f"articles/{slugs[a.id]}.html", "meeting": a.meeting_id, "source": a.source,
                 "link": a.url, "date": a.date.isoformat() if a.date else None,
                 "assignment": a.assignment or "", "text": a.text or "", "marks": marks[a.id],
                 "kind": SOURCE_KINDS.get(a.kind or "", ""), "kind_reason": a.kind_reason or ""}
        articles.append(entry)
        if a.meeting_id is None:
            unassigned.append(entry)
    runs = [
        {"id": run.id, "finished": run.finished, "full": run.full, **run.summary}
        for run in session.scalars(select(Run).order_by(Run.id.desc()).limit(RECENT_RUNS))
    ]
    from tracker.formulations import formulations_for
    from tracker.targets import meeting_targets

    return Model(meetings, commitments, threads, pairs, articles, unassigned, topic_labels, topic_order, runs, disappeared,
                 compared, formulations_for(session, None, settings.commitment_rules["matching"]),
                 meeting_targets(session, settings.target_rules))


# --------------------------------------------------------------------------------------------
# Article text with highlighted evidence


def highlight(article: dict, commitments: dict[str, CommitmentView], root: str) -> Markup:
    """The article text with every evidence sentence in <mark id="ev-N">; each piece of text is
    escaped on its own, so nothing in the article can become markup."""
    text = article["text"]
    out: list[Markup] = []
    cursor = 0
    for mark in article["marks"]:
        out.append(escape(text[cursor:mark["start"]]))
        links = Markup("").join(
            Markup('<a class="evlink" href="{}" title="{}">thread</a>').format(
                root + commitments[cid].thread_url, "Thread of: " + truncate(commitments[cid].text, 80))
            for cid in mark["commitments"] if cid in commitments)
        out.append(Markup('<mark id="{}">{}</mark>{}').format(mark["anchor"], text[mark["start"]:mark["end"]], links))
        cursor = mark["end"]
    out.append(escape(text[cursor:]))
    return Markup("").join(out)


# --------------------------------------------------------------------------------------------
# Data downloads


def commitment_record(c: CommitmentView, meeting: MeetingView) -> dict:
    return {
        "id": c.id, "meeting": c.meeting_id, "meeting_start": meeting.start, "text": c.text,
        "topics": c.topics, "emphasis": c.emphasis, "emphasis_explained": c.explanation or None,
        "thread": c.thread_id, "thread_status": c.status, "position": c.position,
        "evidence": [{"file": e.file, "sentence": e.sentence, "url": e.article_url} for e in c.evidence],
    }


def dataset(model: Model) -> dict:
    by_id = {m.id: m for m in model.meetings}
    return {
        "meetings": [{"id": m.id, "name": m.name, "short": m.short, "kind": m.kind, "start": m.start,
                      "end": m.end, "inferred": m.inferred, "articles": [a["file"] for a in m.articles],
                      "commitments": len(m.commitments)} for m in model.meetings],
        "articles": [{"file": a["file"], "title": a["title"], "meeting": a["meeting"], "source": a["source"],
                      "url": a["link"], "assignment": a["assignment"]} for a in model.articles],
        "commitments": [commitment_record(c, by_id[c.meeting_id]) for c in model.commitments],
        "changes": [{"from_meeting": p.before.id, "to_meeting": p.after.id, "status": c.status,
                     "score": c.score, "reason": c.reason,
                     "from_commitment": c.before.id if c.before else None,
                     "to_commitment": c.after.id if c.after else None}
                    for p in model.pairs for c in p.changes],
        "threads": [{"id": t.id, "topic": t.group or None, "topics": t.topics,
                     "commitments": [c.id for c in t.commitments],
                     "meetings": [model.meetings[i].id for i in t.meeting_indices]} for t in model.threads],
        "topics": [{"id": k, "label": v} for k, v in sorted(model.topic_labels.items(), key=lambda kv: model.topic_order[kv[0]])],
    }


def to_csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def csv_files(model: Model) -> dict[str, str]:
    return {
        "meetings.csv": to_csv(
            ["id", "name", "kind", "start", "end", "inferred", "articles", "commitments"],
            [[m.id, m.name, m.kind, m.start, m.end, int(m.inferred), len(m.articles), len(m.commitments)] for m in model.meetings]),
        "commitments.csv": to_csv(
            ["id", "meeting", "position", "text", "topics", "emphasis", "emphasis_explained", "thread", "thread_status"],
            [[c.id, c.meeting_id, c.position, c.text, ";".join(c.topics), c.emphasis, c.explanation, c.thread_id, c.status]
             for c in model.commitments]),
        "evidence.csv": to_csv(
            ["commitment", "meeting", "position", "file", "sentence"],
            [[c.id, c.meeting_id, i, e.file, e.sentence] for c in model.commitments for i, e in enumerate(c.evidence)]),
        "changes.csv": to_csv(
            ["from_meeting", "to_meeting", "status", "score", "reason", "from_commitment", "to_commitment"],
            [[p.before.id, p.after.id, c.status, c.score, c.reason, c.before.id if c.before else None,
              c.after.id if c.after else None] for p in model.pairs for c in p.changes]),
        "threads.csv": to_csv(
            ["thread", "topic", "topics", "first_meeting", "last_meeting", "meetings", "commitments", "first_text"],
            [[t.id, t.group, ";".join(t.topics), model.meetings[t.meeting_indices[0]].id,
              model.meetings[t.meeting_indices[-1]].id, ";".join(model.meetings[i].id for i in t.meeting_indices),
              ";".join(c.id for c in t.commitments), t.commitments[0].text] for t in model.threads]),
    }


# --------------------------------------------------------------------------------------------
# Client-side data (compare and search)


COMPARE_GLOBAL = "PolicyTrackerCompare"  # what compare/<a>--<b>.js scripts fill in


def compare_file(pair: PairView) -> str:
    return f"compare/{safe_id(pair.before.id)}--{safe_id(pair.after.id)}.js"


def compare_data(model: Model) -> dict:
    """The compare page's own data: meetings, commitments (referred to by index) and the stored
    pairs; each pair's changes are in compare_pair_file, loaded when picked."""
    adjacent = {(p.before.id, p.after.id): p.url for p in model.pairs}
    return {
        "meetings": [{"id": m.id, "name": m.name, "short": m.short, "start": m.start, "end": m.end,
                      "url": m.url} for m in model.meetings],
        "commitments": [{"id": c.id, "meeting": c.meeting_id, "text": c.text,
                         "emphasis": c.emphasis, "topics": c.topic_labels, "url": c.thread_url,
                         **({"section": c.section} if c.section else {})}
                        for c in model.commitments],
        "pairs": [{"key": f"{p.before.id}--{p.after.id}", "file": compare_file(p),
                   **({"page": adjacent[(p.before.id, p.after.id)]} if (p.before.id, p.after.id) in adjacent else {})}
                  for p in model.compared],
        "order": CHANGE_ORDER,
        "help": STATUS_HELP,
    }


def compare_pair_file(model: Model, pair: PairView, index: dict[str, int]) -> str:
    """compare/<a>--<b>.js: the stored changes of one pair as [status, score, reason, index of
    the earlier commitment, index of the later one], in the order of the change pages."""
    order = {s: i for i, s in enumerate(CHANGE_ORDER)}
    changes = [[c.status, c.score, c.reason, index[c.before.id] if c.before else None, index[c.after.id] if c.after else None]
               for s, items in pair.groups() for c in items]
    changes.sort(key=lambda ch: order.get(ch[0], len(order)))
    key = f"{pair.before.id}--{pair.after.id}"
    return (f"/* policy-tracker: the stored changes from one meeting to another, laid out by assets/compare.js. */\n"
            f"(window.{COMPARE_GLOBAL} = window.{COMPARE_GLOBAL} || {{}})[{json_for_script(key)}] = "
            f"{json_for_script({'changes': changes})};\n")


def search_index(model: Model) -> list[dict]:
    by_id = {m.id: m for m in model.meetings}
    return [{"id": c.id, "text": c.text, "topics": c.topic_labels, "meeting": by_id[c.meeting_id].name,
             "short": by_id[c.meeting_id].short, "date": by_id[c.meeting_id].start, "status": c.status,
             "emphasis": c.emphasis, "url": c.thread_url,
             "evidence": c.evidence[0].sentence if c.evidence else ""} for c in model.commitments]


# --------------------------------------------------------------------------------------------
# Writing


@lru_cache(maxsize=1)
def make_env() -> Environment:
    """One environment per process: it keeps its compiled templates (and recompiles one whose
    file changed)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["truncate_text"] = truncate
    env.filters["num"] = fmt_num
    env.filters["split_long"] = split_long
    env.globals["json_script"] = json_script
    env.globals["STATUS_HELP"] = STATUS_HELP
    env.globals["opens"] = opens
    return env


class Writer:
    """Writes the new site into `root`.

    Pages are rendered only when what they show changed: `page_reused(rel, key)` hard-links
    the previous site's copy when the page's key (a digest of everything the page shows, see
    `write_site`) equals the one recorded for it there in MANIFEST. Other files whose bytes
    equal the previous copy are hard-linked too, so a nightly run rewrites only what changed
    (and the previous site stays intact until the swap)."""

    MANIFEST = ".pages.json"  # rel -> [key, size] of every page rendered with a key

    def __init__(self, root: Path, previous: Path | None = None, code_key: str = ""):
        self.root = root
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.code_key = code_key
        self.count = 0
        self.written = 0
        self.rendered = 0
        self.keys: dict[str, list] = {}
        self.folders: set[str] = set()
        self.previous_keys: dict[str, list] = {}
        if self.previous is not None:
            try:
                manifest = json.loads((self.previous / self.MANIFEST).read_text(encoding="utf-8"))
                if manifest.get("code") == code_key:
                    self.previous_keys = manifest.get("pages", {})
            except (OSError, ValueError, AttributeError):
                pass  # no usable manifest: every page is rendered

    def _unchanged(self, rel: str, data: bytes) -> bool:
        if self.previous is None:
            return False
        old = self.previous / rel
        try:
            if old.is_symlink() or not old.is_file() or old.stat().st_size != len(data) or old.read_bytes() != data:
                return False
            os.link(old, self.root / rel)
            return True
        except OSError:  # another file system, or no hard links: write it instead
            return False

    def page_reused(self, rel: str, key: str) -> bool:
        """Link the previous copy of page `rel` if it was rendered from the same `key`."""
        recorded = self.previous_keys.get(rel)
        if self.previous is None or not recorded or recorded[0] != key:
            return False
        # os.path on strings: pathlib objects cost more than the links on a 4,000-page site.
        old, new = os.path.join(self.previous, rel), os.path.join(self.root, rel)
        try:
            status = os.lstat(old)
            if stat.S_ISLNK(status.st_mode) or status.st_size != recorded[1]:
                return False
            folder = os.path.dirname(new)
            if folder not in self.folders:
                os.makedirs(folder, exist_ok=True)
                self.folders.add(folder)
            os.link(old, new)
        except OSError:
            return False
        self.keys[rel] = recorded
        self.count += 1
        return True

    def put(self, rel: str, data: bytes) -> bool:
        """Store `data` as `rel` (a link to the previous copy if equal); True if written anew.
        Safe in a worker process: it only touches the file system."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if self._unchanged(rel, data):
            return False
        path.write_bytes(data)
        return True

    def record(self, rel: str, size: int, written: bool, key: str | None = None) -> None:
        self.count += 1
        self.written += written
        if key is not None:
            self.keys[rel] = [key, size]

    def data(self, rel: str, data: bytes, key: str | None = None) -> None:
        self.record(rel, len(data), self.put(rel, data), key)

    def text(self, rel: str, content: str, key: str | None = None) -> None:
        self.data(rel, content.encode("utf-8"), key)

    def copy(self, source: Path, rel: str) -> None:
        self.data(rel, source.read_bytes())

    def finish(self) -> None:
        self.count += 1
        (self.root / self.MANIFEST).write_text(stable_json({"code": self.code_key, "pages": self.keys}), encoding="utf-8")


def code_key() -> str:
    """Digest of the templates and of the code that fills them: a page's key counts only
    while both are what rendered it."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"jinja2 {version('jinja2')} markupsafe {version('markupsafe')}".encode())
    for path in sorted(TEMPLATES.rglob("*")) + [HERE / "render.py", HERE / "figures.py"]:
        if path.is_file():
            digest.update(path.relative_to(HERE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def page_key(*parts) -> str:
    """Digest of what a page shows. The views are dataclasses, whose repr lists every field."""
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


class CommitmentKeys(dict):
    """Digest of each commitment view (by object: threads hold copies with another status),
    so page keys name a commitment by 40 characters instead of repeating all it shows."""

    def __call__(self, cv: CommitmentView | None) -> str | None:
        if cv is None:
            return None
        digest = self.get(id(cv))
        if digest is None:
            digest = self[id(cv)] = page_key(cv)
        return digest


def meeting_header(m: MeetingView | None) -> tuple | None:
    """What pages about other things show of a meeting (not its commitments or articles)."""
    return None if m is None else (m.id, m.name, m.short, m.kind, m.start, m.end, m.inferred, m.inferred_from, m.index)


def pair_header(p: PairView | None, ckey: CommitmentKeys) -> tuple | None:
    return None if p is None else (meeting_header(p.before), meeting_header(p.after),
                                   [(c.status, c.score, c.reason, ckey(c.before), ckey(c.after)) for c in p.changes])


def plotly_js_path() -> Path:
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package ({path})")
    return path


_JOBS: list = []  # (rel, key, produce) of the current write_site, inherited by forked workers


def _run_job(index: int, writer: "Writer") -> tuple[str, int, bool, str | None]:
    rel, key, produce = _JOBS[index]
    data = produce().encode("utf-8")
    return rel, len(data), writer.put(rel, data), key


def write_site(model: Model, out: Path, previous: Path | None = None, settings=None) -> Writer:
    """Every page and data file of the site into `out`. Meeting, change, thread and article
    pages (thousands on a large site) are keyed by what they show and rendered only when the
    key differs from the previous site's; the pages about everything are always rendered.
    With `settings`, many pages are rendered by worker processes ([performance] in rules.toml)."""
    global _JOBS
    env = make_env()
    jobs: list[tuple[str, str | None, Callable[[], str]]] = []
    w = Writer(out, previous, code_key())
    by_commitment = {c.id: c for c in model.commitments}
    nav_meetings = model.meetings
    nav_key = page_key(tuple((m.url, m.short) for m in nav_meetings))  # the footer of every page
    ckey = CommitmentKeys()

    def page(rel: str, template: str, key: tuple | None = None, more: Callable[[], dict] | None = None, **context) -> None:
        """Render `template` into `rel`, unless the previous site's copy shows the same `key`.
        `more` gives context that is costly to build, only when the page is rendered."""
        digest = page_key(nav_key, *key) if key is not None else None
        if digest is not None and w.page_reused(rel, digest):
            return

        def produce() -> str:
            if more is not None:
                context.update(more())
            root = "../" * rel.count("/")
            return env.get_template(template).render(root=root, nav_meetings=nav_meetings, page_path=rel, **context)

        jobs.append((rel, digest, produce))

    # Assets
    w.copy(plotly_js_path(), "assets/plotly.min.js")
    for source in sorted(STATIC.iterdir()):
        if source.is_file() and not source.name.startswith("."):
            w.copy(source, f"assets/{source.name}")

    # Home (timeline/figures.py owns what the home page shows)
    page("index.html", "index.html", more=lambda: figures.home_context(model, STATUSES, CHANGE_ORDER))

    # The thread timelines' table alternative: a page per topic (on a large site all threads
    # make megabytes), and an index of them.
    topics = [(topic, figures.topic_threads(model, topic["id"])) for topic in figures.topic_list(model)] if model.meetings else []
    all_meetings = tuple(meeting_header(m) for m in model.meetings)

    def table_rows(threads: list[ThreadView]) -> list:
        rows = []
        for t in threads:
            cells: list[list] = [[] for _ in model.meetings]
            for c in t.commitments:
                cells[c.meeting_index].append(c)
            rows.append((t, cells))
        return rows

    for topic, threads in topics:
        key = ("topic table", topic, all_meetings,
               [(t.id, t.commitments[0].text, [(c.meeting_index, c.status, c.emphasis) for c in t.commitments]) for t in threads])
        page(topic["table"], "topic-table.html", key, lambda threads=threads: {"rows": table_rows(threads)},
             topic=topic, meetings=model.meetings, title=f"Threads on {topic['label']}")
    index_rows = []  # (topic, its threads, first meeting, last meeting)
    for topic, threads in topics:
        present = [c.meeting_index for t in threads for c in t.commitments]
        first, last = (model.meetings[min(present)], model.meetings[max(present)]) if present else (None, None)
        index_rows.append((topic, threads, first, last))
    page("timeline-table.html", "timeline-table.html", topics=index_rows, title="The timeline as a table")

    # Each topic's thread timeline, loaded by the home page when that topic is picked
    hover_cache: dict = {}
    for topic, threads in topics:
        key = page_key(nav_key, "topic data", topic, all_meetings, [
            (t.id, t.group_label, [ckey(c) for c in t.commitments], [c.id in model.disappeared for c in t.commitments])
            for t in threads])
        if not w.page_reused(topic["file"], key):
            jobs.append((topic["file"], key, lambda topic=topic, threads=threads: figures.topic_data_file(
                model, topic, threads, hover_cache)))

    # Compare and search
    page("compare.html", "compare.html", more=lambda: {"compare": compare_data(model)}, title="Compare two meetings")
    commitment_index = {c.id: i for i, c in enumerate(model.commitments)}
    for pair in model.compared:
        jobs.append((compare_file(pair), None, lambda pair=pair: compare_pair_file(model, pair, commitment_index)))
    page("search.html", "search.html", more=lambda: {"index": search_index(model)}, title="Search commitments")
    page("formulations.html", "formulations.html", entries=model.formulations,
         meetings_by_id={m.id: m for m in model.meetings}, title="Key formulations")
    page("targets.html", "targets.html", rows=model.targets, meetings_by_id={m.id: m for m in model.meetings},
         groups=[list(items) for _metric, items in itertools.groupby(model.targets, key=lambda r: r["metric"])],
         title="Quantified targets")

    # What each nightly run changed: a page and an Atom feed
    meeting_urls = {m.id: m.url for m in model.meetings}
    page("recent.html", "recent.html", runs=model.runs, meeting_urls=meeting_urls, title="Recent changes")
    jobs.append(("feed.xml", None, lambda: env.get_template("feed.xml").render(runs=model.runs, meeting_urls=meeting_urls)))

    # Data downloads. Compact JSON: json's C encoder does not indent (indent=1 took 0.9 s at
    # 2,000 articles).
    jobs.append(("data/dataset.json", None, lambda: stable_json(dataset(model)) + "\n"))
    for name, content in csv_files(model).items():
        w.text(f"data/{name}", content)
    from tracker.targets import table_as_csv

    w.text("data/targets.csv", table_as_csv(model.targets))
    w.text("data/targets.json", stable_json(model.targets, indent=1) + "\n")

    # Meetings
    pairs_by_after = {p.after.id: p for p in model.pairs}
    pairs_by_before = {p.before.id: p for p in model.pairs}
    for m in model.meetings:
        by_section, groups = meeting_groups(m, model.topic_labels, model.topic_order)
        previous = model.meetings[m.index - 1] if m.index > 0 else None
        following = model.meetings[m.index + 1] if m.index + 1 < len(model.meetings) else None
        change_in, change_out = pairs_by_after.get(m.id), pairs_by_before.get(m.id)
        key = ("meeting", meeting_header(m), m.articles, by_section, [g.outline() for g in groups],
               [ckey(c) for c in m.commitments], meeting_header(previous), meeting_header(following),
               pair_header(change_in, ckey), change_out and (change_out.url, change_out.after.short))
        page(m.url, "meeting.html", key, meeting=m, by_section=by_section, groups=groups, previous=previous,
             following=following, change_in=change_in, change_out=change_out, title=m.name)

    # Changes between consecutive meetings
    for p in model.pairs:
        page(p.url, "changes.html", ("changes", pair_header(p, ckey)), pair=p,
             title=f"Changes from {p.before.short} to {p.after.short}")

    # Threads
    for t in model.threads:
        present = {c.meeting_index for c in t.commitments}
        rows = []
        for i in range(t.meeting_indices[0], len(model.meetings)):
            items = [c for c in t.commitments if c.meeting_index == i]
            rows.append((model.meetings[i], items))
            if not items and i - 1 in present and max(present) < i:
                last = [c for c in t.commitments if c.meeting_index == i - 1]
                if not any(c.id in model.disappeared for c in last):
                    rows.pop()  # it merged into another thread: no "not carried on" row
                break  # show one "not carried on" row after the end, then stop
        also = [model.topic_labels.get(x, x) for x in t.topics if x != t.group]
        key = ("thread", t.id, t.group, t.group_label, t.topics,
               [(meeting_header(m), [ckey(c) for c in items]) for m, items in rows], also)
        page(t.url, "thread.html", key, thread=t, rows=rows, also=also, title=f"Thread: {t.title}")

    # Articles
    meeting_by_id = {m.id: m for m in model.meetings}
    for a in model.articles:
        meeting = meeting_by_id.get(a["meeting"])
        linked = [(cid, by_commitment[cid].thread_url, by_commitment[cid].text)
                  for mark in a["marks"] for cid in mark["commitments"] if cid in by_commitment]
        key = ("article", {k: v for k, v in a.items() if k not in ("text", "id")}, hashlib.sha1(a["text"].encode("utf-8")).hexdigest(),
               meeting_header(meeting), linked)
        page(a["url"], "article.html", key, lambda a=a: {"body": highlight(a, by_commitment, "../")},
             article=a, meeting=meeting, title=a["title"])

    # Render: in worker processes when there are many pages (forked: they share the model).
    from tracker.parallel import parallel_map

    _JOBS = jobs
    try:
        runner = parallel_map(_run_job, list(range(len(jobs))), w, settings) if settings is not None else (
            _run_job(i, w) for i in range(len(jobs)))
        for rel, size, written, key in runner:
            w.record(rel, size, written, key)
            w.rendered += rel.endswith(".html")
    finally:
        _JOBS = []
    w.finish()
    return w


@dataclass
class PreparedSite:
    """A fully rendered site in a temporary folder, not yet visible to readers."""

    tmp: Path
    target: Path
    files: int
    written: int
    rendered: int = 0

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def publish(self) -> None:
        """Swap the new site into place (two renames), then remove the old one."""
        parent = self.target.parent
        old = None
        if self.target.exists() or self.target.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=parent))
            old.rmdir()
            os.rename(self.target, old)
        try:
            os.rename(self.tmp, self.target)
        except BaseException:
            if old is not None:
                os.rename(old, self.target)
            self.discard()
            raise
        if old is not None:
            if old.is_symlink() or old.is_file():
                old.unlink()
            else:
                shutil.rmtree(old, ignore_errors=True)


def prepare_site(session: Session, settings) -> PreparedSite:
    """Render every page into a temporary sibling of settings.site_dir (readers see nothing yet)."""
    site_dir = Path(settings.site_dir)
    parent = site_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    model = load_model(session, settings)
    target = parent / site_dir.name
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.tmp-", dir=parent))
    try:
        writer = write_site(model, tmp, previous=target if target.is_dir() else None, settings=settings)
        for dirpath, dirnames, _files in os.walk(tmp):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o755)
        os.chmod(tmp, 0o755)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PreparedSite(tmp, target, writer.count, writer.written, writer.rendered)


def render_site(session: Session, settings) -> tuple[int, int]:
    """Render the whole site into settings.site_dir atomically: (files in the site, files
    rewritten because their content changed; unchanged files are hard links of the old ones)."""
    prepared = prepare_site(session, settings)
    prepared.publish()
    return prepared.files, prepared.written
