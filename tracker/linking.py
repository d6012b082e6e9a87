"""The match stage: which pairs of meetings are compared, and the changes each comparison
(tracker.matching) finds, stored; the pairs no article change touched keep theirs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from .config import Settings
from .db import Change, Commitment, Meeting
from .language import ENGLISH
from .lexicon import load_lexicon
from .matching import Coverage
from .reading import NEWS, OFFICIAL
from .rule_files.commitments import MatchingTable


@dataclass
class MatchReport:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    recomputed: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # status -> number of changes
    stale_corrections: list[str] = field(default_factory=list)


def match(session: Session, settings: Settings, touched: set[str] | None = None, lexicon=None) -> MatchReport:
    """Changes between the compared pairs of meetings (see `compared_pairs`).

    With `touched` (meetings whose commitments were extracted again), only the pairs that
    involve one of them, or that were not stored, are compared again; the other pairs keep
    their stored changes, which gives the same result as comparing everything. `lexicon`: the
    one the threads stage will use too (it keeps the texts it normalised), else one of its own."""
    # Imported at each call, so that replacing matching.compare (a test's failure midway) takes effect.
    from .corrections import load_corrections
    from .matching import compare

    cfg = settings.commitment_rules.matching
    lexicon = load_lexicon(settings) if lexicon is None else lexicon
    corrections = load_corrections(settings.corrections_path)
    report = MatchReport()
    meetings = meetings_on_timeline(session)
    known = set(session.scalars(select(Commitment.id)))
    for kind, corrected in (("link", corrections.force), ("unlink", corrections.forbid)):
        for source, target in sorted(corrected):
            missing = [x for x in (source, target) if x not in known]
            if missing:
                report.stale_corrections.append(
                    f"{kind} {source} -> {target}: commitment {', '.join(missing)} no longer exists"
                )

    pairs = compared_pairs(meetings, cfg)
    wanted = {(a.id, b.id) for a, b in pairs}
    coverage = coverage_of(meetings)
    consecutive = {(meetings[i].id, meetings[i + 1].id) for i in range(len(meetings) - 1)}
    stored = {tuple(row) for row in session.execute(select(Change.from_meeting_id, Change.to_meeting_id).distinct())}
    # SQL-level deletes: changes of a re-extracted meeting may already be gone by ON DELETE CASCADE.
    for pair in sorted(stored - wanted):
        session.execute(delete(Change).where(Change.from_meeting_id == pair[0], Change.to_meeting_id == pair[1]))
    rows: list[dict] = []
    for previous_meeting, meeting in pairs:
        key = (previous_meeting.id, meeting.id)
        report.pairs.append(key)
        if touched is not None and key in stored and not ({previous_meeting.id, meeting.id} & touched):
            continue
        session.execute(delete(Change).where(Change.from_meeting_id == key[0], Change.to_meeting_id == key[1]))
        previous, current = list(previous_meeting.commitments), list(meeting.commitments)
        for position, change in enumerate(
            compare(
                previous,
                current,
                lexicon,
                cfg,
                corrections,
                coverage[meeting.id],
                settings.target_rules,
                settings.performance.threads,  # type: ignore[union-attr]  # set by Settings.__post_init__
            )
        ):
            a = previous[change.from_index] if change.from_index is not None else None
            b = current[change.to_index] if change.to_index is not None else None
            rows.append(
                dict(
                    from_meeting_id=key[0],
                    to_meeting_id=key[1],
                    status=change.status,
                    adjacent=key in consecutive,
                    score=change.score,
                    reason=change.reason,
                    position=position,
                    topics=change.topics,
                    from_commitment_id=a.id if a else None,
                    to_commitment_id=b.id if b else None,
                )
            )
        report.recomputed.append(key)
    # Bulk inserts: one ORM object per change cost more than comparing (70,000 changes at 2,000 articles).
    for start in range(0, len(rows), 5000):
        session.execute(insert(Change), rows[start : start + 5000])
    session.flush()
    # A meeting added between two others makes a stored pair no longer adjacent, and the reverse.
    session.execute(
        update(Change)
        .where(
            Change.adjacent.is_not(True), tuple_(Change.from_meeting_id, Change.to_meeting_id).in_(sorted(consecutive))
        )
        .values(adjacent=True)
    )
    session.execute(
        update(Change)
        .where(
            Change.adjacent.is_(True), tuple_(Change.from_meeting_id, Change.to_meeting_id).not_in(sorted(consecutive))
        )
        .values(adjacent=False)
    )
    for status, count in session.execute(
        select(Change.status, func.count()).where(Change.adjacent.is_(True)).group_by(Change.status)
    ):
        report.counts[status] = count
    session.flush()
    return report


def meetings_on_timeline(session: Session) -> list[Meeting]:
    """The meetings with commitments, in date order: those that changes and threads link."""
    return list(session.scalars(select(Meeting).where(Meeting.commitments.any()).order_by(Meeting.start, Meeting.id)))


def compared_pairs(meetings: list[Meeting], cfg: MatchingTable) -> list[tuple[Meeting, Meeting]]:
    """The (earlier, later) pairs whose changes are stored: consecutive meetings always, and
    the pairs within the [matching] pairs_nearby / pairs_same_kind windows (0: every pair)."""
    nearby, same_kind = cfg.pairs_nearby, cfg.pairs_same_kind
    rank: dict[str, int] = {}  # meeting id -> its position among the meetings of its kind
    seen: dict[str, int] = defaultdict(int)
    for m in meetings:
        rank[m.id] = seen[m.kind]
        seen[m.kind] += 1
    pairs = []
    for i, a in enumerate(meetings):
        for j in range(i + 1, len(meetings)):
            b = meetings[j]
            close = not nearby or j - i <= nearby
            kin = a.kind == b.kind and (not same_kind or rank[b.id] - rank[a.id] <= same_kind)
            if j == i + 1 or close or kin:
                pairs.append((a, b))
    return pairs


def _coverage(articles: list, commitments: list, language: str, named: bool) -> Coverage:
    kinds: dict[str, int] = defaultdict(int)
    for a in articles:
        kinds[a.kind or NEWS] += 1
    official = tuple(a.file for a in sorted(articles, key=lambda a: a.file) if a.kind == OFFICIAL)
    topics = frozenset(t for c in commitments if c.language == language for t in (c.topics or []))
    return Coverage(official, topics, tuple(sorted(kinds.items())), language if named else None)


def coverage_of(meetings: list[Meeting]) -> dict:
    """Meeting id -> its `Coverage`: official full texts among its sources, the topics its
    commitments are on, and its sources by kind."""
    result = {}
    for m in meetings:
        kinds: dict[str, int] = defaultdict(int)
        official = []
        for a in sorted(m.articles, key=lambda a: a.file):
            kinds[a.kind or NEWS] += 1
            if a.kind == OFFICIAL:
                official.append(a.file)
        topics = frozenset(t for c in m.commitments for t in (c.topics or []))
        languages = sorted({a.language for a in m.articles})
        # The language is named in reasons where it tells something: not in an English-only corpus.
        named = languages not in ([], [ENGLISH])
        by_language = tuple(
            (
                language,
                _coverage([a for a in m.articles if a.language == language], m.commitments, language, named),
            )
            for language in languages
        )
        result[m.id] = Coverage(tuple(official), topics, tuple(sorted(kinds.items())), None, by_language)
    return result
