"""The extract stage: the commitments of each meeting, extracted from its stored articles
(tracker.extract, in worker processes) and stored with their evidence; each article's source
kind and the targets it states are stored on the way."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from . import extract as extract_module  # extract_meeting looked up at each call, so a test can replace it
from .commitment_rules import CommitmentRules
from .config import Performance, Settings
from .db import Commitment, Evidence, Meeting
from .extract import ArticleText
from .lexicon import load_lexicon
from .parallel import parallel_map


def extract(session: Session, settings: Settings, meeting_ids: set[str] | None = None) -> dict[str, int]:
    """(Re)extract the commitments of the given meetings (all meetings with articles when None).
    Returns the number of commitments per meeting."""
    validated = settings.commitment_rules
    rules = CommitmentRules(validated)
    lexicon = load_lexicon(settings)
    stmt = select(Meeting).where(Meeting.articles.any())
    if meeting_ids is not None:
        stmt = select(Meeting).where(Meeting.id.in_(sorted(meeting_ids)))
    else:
        # Extracting everything also clears the meetings whose articles have all gone or moved
        # to another meeting (after a rule change), or their old commitments would linger.
        orphaned = select(Meeting.id).where(~Meeting.articles.any())
        session.execute(
            delete(Evidence).where(
                Evidence.commitment_id.in_(select(Commitment.id).where(Commitment.meeting_id.in_(orphaned)))
            )
        )
        session.execute(delete(Commitment).where(Commitment.meeting_id.in_(orphaned)))
    counts = {}
    meetings = list(session.scalars(stmt.order_by(Meeting.start, Meeting.id)))
    work = [
        (
            m.id,
            [
                ArticleText(a.id, a.file, a.text, a.title or "", m.start.year, a.declared_kind, a.language)
                for a in m.articles
            ],
        )
        for m in meetings
    ]
    performance: Performance = settings.performance  # type: ignore[assignment]  # set by Settings.__post_init__
    longest = settings.rules["ingest"]["max_sentence_chars"]
    job = (rules, lexicon, validated.merge.threshold, performance.threads, settings.target_rules, longest)
    total_articles = sum(len(texts) for _id, texts in work)
    results = parallel_map(_extract_one, work, job, settings, size=total_articles)
    commitment_rows: list[dict] = []
    evidence_rows: list[dict] = []
    # Old commitments go in bulk; the database's ON DELETE CASCADE removes their evidence,
    # changes and thread memberships (loading them all to delete them one by one costs more).
    old_ids = select(Commitment.id).where(Commitment.meeting_id.in_([m.id for m in meetings]))
    session.execute(delete(Evidence).where(Evidence.commitment_id.in_(old_ids)))
    session.execute(delete(Commitment).where(Commitment.meeting_id.in_([m.id for m in meetings])))
    for meeting in meetings:
        session.expire(meeting, ["commitments"])
    articles = {a.id: a for m in meetings for a in m.articles}
    for meeting, (drafts, sources) in zip(meetings, results):
        for article_id, (kind, why, targets) in sources.items():
            article = articles[article_id]
            article.kind, article.kind_reason, article.targets = kind, why, targets
        for position, draft in enumerate(drafts):
            commitment_rows.append(
                dict(
                    id=draft.id,
                    meeting_id=meeting.id,
                    position=position,
                    text=draft.text,
                    language=draft.language,
                    topics=draft.topics,
                    items=draft.items,
                    emphasis=draft.emphasis,
                    signals=draft.signals,
                    cues=draft.cues,
                    thread_id=None,
                    thread_status=None,
                )
            )
            evidence_rows.extend(
                dict(
                    commitment_id=draft.id,
                    article_id=ev.article_id,
                    position=i,
                    sentence=ev.sentence,
                    start=ev.start,
                    end=ev.end,
                )
                for i, ev in enumerate(draft.evidence)
            )
        counts[meeting.id] = len(drafts)
    session.flush()
    # Bulk inserts: the ORM's one-INSERT-per-object costs more than extraction itself.
    if commitment_rows:
        session.execute(insert(Commitment), commitment_rows)
    if evidence_rows:
        session.execute(insert(Evidence), evidence_rows)
    for meeting in meetings:
        session.expire(meeting, ["commitments"])
    session.flush()
    return counts


def _extract_one(work: tuple, job: tuple) -> tuple[list, dict]:
    """The commitments of one meeting (pure CPU: safe in a worker process)."""
    meeting_id, texts = work
    rules, lexicon, merge_threshold, threads, target_rules, longest = job
    sources = {}  # article id -> (kind, why, targets)
    for t in texts:
        kind, why = rules.reading.kind(t.title, t.text, t.kind)
        targets = [
            {"target": target.as_dict(), "sentence": sentence.text, "start": sentence.start}
            for target, sentence in target_rules.parse_text(t.text)
        ]
        sources[t.id] = (kind, why, targets)
    drafts = extract_module.extract_meeting(meeting_id, texts, rules, lexicon, merge_threshold, threads, longest)
    # The targets of each sentence, by article and start: looked up, not searched (thousands of
    # commitments times thousands of targets would take minutes).
    at: dict[tuple[int, int], list[dict]] = {}
    for article_id, (_kind, _why, targets) in sources.items():
        for x in targets:
            at.setdefault((article_id, x["start"]), []).append(x["target"])
    for draft in drafts:
        # A commitment sets the targets its statements set.
        stated = [target for ev in draft.evidence for target in at.get((ev.article_id, ev.start), [])]
        draft.signals["targets"] = [dict(t) for t in {tuple(sorted(t.items())) for t in stated}]
        draft.signals["targets"].sort(key=lambda t: (t["metric"], t["text"]))
    return drafts, sources
