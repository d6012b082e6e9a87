"""The threads stage: every commitment followed across meetings in date order, along the
changes between consecutive meetings (a thread is one commitment's life on the timeline)."""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from .config import Settings
from .db import Change, Meeting, ThreadMember
from .lexicon import load_lexicon
from .linking import meetings_on_timeline
from .matching import weighed_for
from .pairing import units_of
from .rule_files.commitments import MatchingTable
from .similarity import scores_at_least


def update_threads(session: Session, settings: Settings, lexicon=None) -> None:
    """Assign every thread again, over all meetings on the timeline (a second or two at 2,000
    articles: simpler than resuming from the stored threads). `lexicon`: the match stage's,
    whose normalised texts are mostly the ones needed here."""
    lexicon = load_lexicon(settings) if lexicon is None else lexicon
    assign_threads(session, meetings_on_timeline(session), lexicon, settings.commitment_rules.matching)
    session.flush()


def assign_threads(session: Session, meetings: list[Meeting], lexicon, cfg: MatchingTable) -> None:
    """Follow every commitment across meetings in date order.

    A commitment linked from earlier ones joins each of their primary threads, with the link's
    status; its own primary thread is that of its best-scoring link, and only that one goes on
    (the others merged into it and end there, without a disappearance). A source whose list
    items went to several commitments forks: each extra successor gets a thread of its own
    that starts with the source. A commitment with no link from the previous meeting
    continues a thread that ended earlier when it scores at least `reappear_threshold`
    against it ("reappeared"); otherwise it starts a thread of its own."""
    member_rows: list[dict] = []
    links: dict[str, list[tuple[float, str, str]]] = {}
    carried: dict[tuple[str, str], list[str]] = {}  # (source, target) -> topics the link carried
    best_successor: dict[str, tuple[float, str]] = {}  # source -> its best-scoring link (score, target)
    for change in session.scalars(
        select(Change).where(
            Change.adjacent.is_(True), Change.from_commitment_id.is_not(None), Change.to_commitment_id.is_not(None)
        )
    ):
        source, target = change.from_commitment_id, change.to_commitment_id
        assert source is not None and target is not None  # the query selects links only
        score = change.score or 0.0
        links.setdefault(target, []).append((score, source, change.status))
        carried[(source, target)] = list(change.topics or [])
        key = (score, target)
        previous = best_successor.get(source)
        if previous is None or (key[0], previous[1]) > (previous[0], key[1]):
            best_successor[source] = key
    threads_of: dict[str, dict[str, str]] = {}  # commitment -> {thread: status}, primary thread first
    via: dict[tuple[str, str], list[str]] = {}  # (thread, commitment) -> topics the link into it carried
    last_seen: dict[str, int] = {}  # thread -> index of the last meeting it has a member in
    ended: list = []  # (thread, last commitment) of threads that stopped before the previous meeting
    lookback = cfg.reappear_lookback
    session.execute(delete(ThreadMember))
    for index, meeting in enumerate(meetings):
        current = list(meeting.commitments)
        fresh = []
        for c in current:
            joined: dict[str, str] = {}
            for _score, source, status in sorted(links.get(c.id, []), key=lambda t: (-t[0], t[1])):
                if source not in threads_of:
                    continue
                if best_successor[source][1] == c.id:
                    # Its best successor carries on the source's primary thread; the other
                    # threads the source is in merged into it and end there. So every
                    # commitment carries exactly one thread on, and threads never pile up.
                    thread = next(iter(threads_of[source]))
                    joined.setdefault(thread, status)
                    via.setdefault((thread, c.id), carried.get((source, c.id), []))
                else:
                    # The source split (its list items went different ways): this continuation
                    # is a thread of its own, forked from the source's primary thread.
                    primary, source_status = next(iter(threads_of[source].items()))
                    fork = hashlib.sha1(f"{primary}|{c.id}".encode()).hexdigest()[:12]
                    if fork not in threads_of[source]:
                        threads_of[source][fork] = source_status
                        member_rows.append(dict(thread_id=fork, commitment_id=source, status=source_status, topics=[]))
                        last_seen[fork] = index - 1
                    joined.setdefault(fork, status)
                    via.setdefault((fork, c.id), carried.get((source, c.id), []))
            if joined:
                threads_of[c.id] = joined
            else:
                fresh.append(c)
        for c in current:
            for thread in threads_of.get(c.id, {}):
                last_seen[thread] = index
        if index > 0:
            for c in meetings[index - 1].commitments:
                for thread in sorted(threads_of.get(c.id, {})):
                    if last_seen.get(thread) == index - 1:
                        ended.append((thread, c))
        ended = [(t, c) for t, c in ended if index - last_seen.get(t, index) <= lookback]
        candidates = [(t, c) for t, c in ended if last_seen.get(t) != index]
        for language in sorted({c.language for c in fresh}):  # a thread goes on in its own language
            ended_here = [(t, c) for t, c in candidates if c.language == language]
            fresh_here = [c for c in fresh if c.language == language]
            if not ended_here:
                continue
            ua = units_of([c for _t, c in ended_here], lexicon)
            ub = units_of(fresh_here, lexicon)
            hits = scores_at_least(
                [u.normalized for u in ua],
                [u.topics for u in ua],
                [u.normalized for u in ub],
                [u.topics for u in ub],
                weighed_for(language, cfg),
                cfg.reappear_threshold,
            )
            for _s, i, j in sorted(hits, key=lambda t: (-t[0], t[1], t[2])):
                thread, new = ended_here[ua[i].commitment][0], fresh_here[ub[j].commitment]
                if last_seen.get(thread) == index or new.id in threads_of:
                    continue
                threads_of[new.id] = {thread: "reappeared"}
                last_seen[thread] = index
        ended = [(t, c) for t, c in ended if last_seen.get(t) != index]
        for c in fresh:
            if c.id not in threads_of:
                threads_of[c.id] = {c.id: "first seen" if index == 0 else "new"}
                last_seen[c.id] = index
        for c in current:
            joined = threads_of[c.id]
            c.thread_id, c.thread_status = next(iter(joined.items()))
            for thread, status in sorted(joined.items()):
                member_rows.append(
                    dict(thread_id=thread, commitment_id=c.id, status=status, topics=via.get((thread, c.id), []))
                )
    session.flush()
    if member_rows:
        session.execute(insert(ThreadMember), member_rows)
