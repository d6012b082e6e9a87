"""The read side: the meeting or topic a person means, two meetings compared, and the JSON
shapes the CLI prints (meetings, commitments, a diff)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .config import Settings
from .db import Article, Change, Commitment, Meeting, meetings_with_articles
from .meetings import MeetingInfo, find_meeting, load_catalog
from .statuses import CHANGE_ORDER, CHANGES


def resolve_meeting(
    session: Session, spec: str, settings: Settings, passed_over: list[MeetingInfo] | None = None
) -> Meeting:
    """The stored meeting a person means by `spec` (id, name, alias or date); the others it
    could mean, which have no articles, are added to `passed_over`. Raises
    MeetingNotFound when none fits, AmbiguousMeeting (one of them) when several with articles
    or none with articles do, ConfigError for a broken rules.toml."""
    rows = list(session.scalars(select(Meeting)))
    infos = [
        MeetingInfo(m.id, m.name, m.kind, m.start, m.end, tuple(m.aliases or ()), inferred=m.inferred) for m in rows
    ]
    try:
        catalog = {m.id: m for m in load_catalog(settings.catalog)}
        infos = [catalog.get(i.id, i) for i in infos]  # catalog entries carry the numbers recognisers use
    except Exception:  # a broken catalog must not stop lookups of stored meetings
        pass
    with_articles = {m.id for m in rows if m.articles}
    info = find_meeting(spec, infos, settings.rules, prefer=with_articles, ambiguous=True, passed_over=passed_over)
    return next(m for m in rows if m.id == info.id)  # info is one of infos, made from rows


class UnknownTopic(LookupError):
    """No topic of the lexicon is meant by what a person typed."""


def topic_ids(settings: Settings, topic: str) -> set[str]:
    """The ids of the topics `topic` means: an id, a label or any term of the lexicon."""
    from .lexicon import load_lexicon

    lexicon = load_lexicon(settings)
    wanted = topic.strip().casefold()
    ids = {t.id for t in lexicon.topics if wanted in (t.id.casefold(), t.label.casefold(), t.canonical.casefold())}
    ids |= set(lexicon.topics_of(topic))
    if not ids:
        raise UnknownTopic(f"unknown topic {topic!r}; topics: {', '.join(t.id for t in lexicon.topics)}")
    return ids


def meeting_list(session: Session, every: bool = False) -> list[dict]:
    """The meetings with articles (`every`: all stored ones), in date order, as `meeting_dict`s."""
    rows = (
        list(session.scalars(select(Meeting).order_by(Meeting.start, Meeting.id)))
        if every
        else meetings_with_articles(session)
    )
    return [meeting_dict(m) for m in rows]


def unassigned_articles(session: Session) -> list[str]:
    """The files of the stored articles no meeting has."""
    return list(session.scalars(select(Article.file).where(Article.meeting_id.is_(None)).order_by(Article.file)))


def meeting_dict(meeting: Meeting) -> dict:
    """A meeting as `tracker meetings --format json` prints it."""
    return {
        "id": meeting.id,
        "name": meeting.name,
        "kind": meeting.kind,
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "inferred": bool(meeting.inferred),
        "articles": [{"file": a.file, "title": a.title} for a in meeting.articles],
        "commitments": len(meeting.commitments),
    }


def meeting_details(session: Session, meeting: Meeting) -> dict:
    """A meeting as `tracker show --format json` prints it: `meeting_dict` with its aliases,
    each article's date and why it was assigned, and the unassigned articles it could be about."""
    data = meeting_dict(meeting)
    data["aliases"] = list(meeting.aliases or [])
    data["articles"] = [
        {"file": a.file, "title": a.title, "date": a.date.isoformat() if a.date else None, "assignment": a.assignment}
        for a in meeting.articles
    ]
    if meeting.inferred:
        data["inferred_from"] = meeting.inferred_from
    # Unassigned articles whose text leaves this meeting among several (their reason lists it).
    maybe = session.scalars(
        select(Article)
        .where(Article.meeting_id.is_(None), Article.assignment.contains(meeting.id))
        .order_by(Article.file)
    )
    data["unassigned_candidate_of"] = [
        {"file": a.file, "title": a.title, "assignment": a.assignment}
        for a in maybe
        if re.search(rf"(?<![\w-]){re.escape(meeting.id)}(?![\w-])", a.assignment or "")
    ]
    return data


def commitment_dicts(meeting: Meeting, topics: set[str] | None = None, cues: bool = False) -> list[dict]:
    """A meeting's commitments as `tracker commitments --format json` prints them: only those
    with one of `topics` when given; `cues` adds the cues that made each a commitment."""
    return [
        c.as_dict() | ({"cues": c.cues} if cues else {})
        for c in meeting.commitments
        if topics is None or topics & set(c.topics or [])
    ]


@dataclass
class MeetingChange:
    status: str
    score: float | None
    reason: str
    before: Commitment | None  # of the earlier meeting
    after: Commitment | None  # of the later meeting

    def positions(self) -> tuple[int, int]:
        """Where the commitments stand in their meetings (a missing side takes the other's)."""
        before, after = self.before or self.after, self.after or self.before
        assert before is not None and after is not None, "a change has a commitment on at least one side"
        return before.position, after.position


def compare_meetings(session: Session, settings: Settings, first: Meeting, second: Meeting) -> list[MeetingChange]:
    """What changed from meeting `first` to meeting `second`: the stored changes of the pair
    (what the site shows), or for a pair not stored (outside the [matching] pairs windows, or
    read backwards in time) the same comparison made now."""
    # Comparing loads numpy and rapidfuzz: only here, so that listing meetings starts fast.
    from .corrections import load_corrections
    from .lexicon import load_lexicon
    from .linking import coverage_of
    from .matching import compare

    rows = list(
        session.scalars(
            select(Change)
            .where(Change.from_meeting_id == first.id, Change.to_meeting_id == second.id)
            .order_by(Change.position, Change.id)
        )
    )
    if rows:
        ids = {cid for ch in rows for cid in (ch.from_commitment_id, ch.to_commitment_id) if cid}
        by_id = {c.id: c for c in session.scalars(select(Commitment).where(Commitment.id.in_(ids)))}
        result = [
            MeetingChange(
                ch.status,
                ch.score,
                ch.reason,
                by_id.get(ch.from_commitment_id or ""),
                by_id.get(ch.to_commitment_id or ""),
            )
            for ch in rows
        ]
    else:
        a, b = list(first.commitments), list(second.commitments)
        coverage = coverage_of([second])[second.id]
        changes = compare(
            a,
            b,
            load_lexicon(settings),
            settings.commitment_rules.matching,
            load_corrections(settings.corrections_path),
            coverage,
            settings.target_rules,
            settings.performance.threads,  # type: ignore[union-attr]  # set by Settings.__post_init__
        )
        result = [
            MeetingChange(
                c.status,
                c.score,
                c.reason,
                a[c.from_index] if c.from_index is not None else None,
                b[c.to_index] if c.to_index is not None else None,
            )
            for c in changes
        ]
    result.sort(key=lambda m: (CHANGE_ORDER.get(m.status, 9), *m.positions()))
    return result


def meeting_diff(
    session: Session,
    settings: Settings,
    first: Meeting,
    second: Meeting,
    statuses: set[str] | None = None,
    topics: set[str] | None = None,
) -> dict:
    """What `tracker diff` reports, in its JSON shape: the changes from `first` to `second`
    (only those with one of `statuses`, and whose commitments have one of `topics`, when
    given), how many there are per status, and a note when `first` is the later meeting."""
    changes = []
    for change in compare_meetings(session, settings, first, second):
        sides = [c for c in (change.before, change.after) if c is not None]
        if statuses and change.status not in statuses:
            continue
        if topics and not any(topics & set(c.topics or []) for c in sides):
            continue
        changes.append(
            {
                "status": change.status,
                "score": change.score,
                "reason": change.reason,
                "from": change.before.as_dict() if change.before else None,
                "to": change.after.as_dict() if change.after else None,
            }
        )
    counts = {s: sum(1 for c in changes if c["status"] == s) for s in CHANGES}
    result = {
        "from": _meeting_ref(first),
        "to": _meeting_ref(second),
        "changes": changes,
        "counts": {s: n for s, n in counts.items() if n},
    }
    if first.start > second.start:
        result["note"] = (
            f"FROM ({first.id}, {first.start}) is later than TO ({second.id}, {second.start}): statuses read "
            "backwards in time ('new' means only in FROM's successor TO, i.e. earlier)."
        )
    return result


def _meeting_ref(m: Meeting) -> dict:
    return {"id": m.id, "name": m.name, "start": m.start.isoformat(), "end": m.end.isoformat()}
