"""`tracker eval`: score the database against an analyst's expectation file.

The format is that of ../shared/gold/sample.toml: meetings are named by a date inside them,
and a phrase matches an evidence sentence when it occurs in it, case-insensitively. The build
never reads these files; only this module does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .config import Settings, load_toml
from .db import Article, Commitment, Meeting
from .pipeline import compare_meetings


@dataclass
class Result:
    kind: str
    expectation: str
    passed: bool
    found: str

    def as_dict(self) -> dict:
        return vars(self)


def _meeting_at(session: Session, value) -> Meeting | None:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    rows = session.scalars(select(Meeting).where(Meeting.start <= day, Meeting.end >= day, Meeting.articles.any()))
    return next(iter(rows), None)


def _has(commitment: Commitment | None, phrase: str) -> bool:
    if commitment is None:
        return False
    phrase = phrase.casefold()
    return any(phrase in ev.sentence.casefold() for ev in commitment.evidence)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def evaluate(session: Session, settings: Settings, gold_path) -> list[Result]:
    gold = load_toml(gold_path)
    results: list[Result] = []
    cache: dict[tuple[str, str], list] = {}

    def changes(a: Meeting, b: Meeting):
        if (a.id, b.id) not in cache:
            cache[(a.id, b.id)] = compare_meetings(session, settings, a, b)
        return cache[(a.id, b.id)]

    for entry in gold.get("article", []):
        label = f"{entry['file']} is about the meeting of {entry['meeting']}"
        article = session.scalars(select(Article).where(Article.file == entry["file"])).first()
        expected = _meeting_at(session, entry["meeting"])
        if article is None:
            results.append(Result("article", label, False, "article not in the database"))
            continue
        found = article.meeting_id or f"unassigned ({article.assignment})"
        results.append(Result("article", label, expected is not None and article.meeting_id == expected.id, found))

    for entry in gold.get("link", []):
        label = f"{entry['from']} {entry['from_phrase']!r} -> {entry['to']} {entry['to_phrase']!r} as {'/'.join(entry['statuses'])}"
        a, b = _meeting_at(session, entry["from"]), _meeting_at(session, entry["to"])
        if a is None or b is None:
            results.append(Result("link", label, False, "meeting not found"))
            continue
        relevant = [c for c in changes(a, b) if _has(c.before, entry["from_phrase"])]
        hits = [c for c in relevant if c.status in entry["statuses"] and _has(c.after, entry["to_phrase"])]
        if hits:
            found = f"{hits[0].status}: {_short(hits[0].before.text, 60)!r} -> {_short(hits[0].after.text, 60)!r}"
        elif relevant:
            found = "; ".join(f"{c.status}" + (f" -> {_short(c.after.text, 50)!r}" if c.after else "") for c in relevant[:3])
        else:
            found = f"no commitment of {a.id} contains {entry['from_phrase']!r}"
        results.append(Result("link", label, bool(hits), found))

    for kind, side in (("disappeared", "before"), ("new", "after")):
        for entry in gold.get(kind, []):
            label = f"{entry['from']} -> {entry['to']}: {entry['phrase']!r} {kind}"
            a, b = _meeting_at(session, entry["from"]), _meeting_at(session, entry["to"])
            if a is None or b is None:
                results.append(Result(kind, label, False, "meeting not found"))
                continue
            relevant = [c for c in changes(a, b) if _has(getattr(c, side), entry["phrase"])]
            # Every commitment with the phrase must have that status: if one of them carries
            # on, the subject did not disappear (or was announced before).
            wrong = [c for c in relevant if c.status != kind]
            if not relevant:
                found = f"no commitment contains {entry['phrase']!r}"
            elif wrong:
                found = "; ".join(f"{c.status}: {_short(c.before.text, 45)!r} -> {_short(c.after.text, 45)!r}" for c in wrong[:2])
            else:
                found = f"{len(relevant)} commitment(s), all {kind}"
            results.append(Result(kind, label, bool(relevant) and not wrong, found))

    for entry in gold.get("not_commitment", []):
        label = f"{entry['phrase']!r} is not a commitment"
        phrase = entry["phrase"].casefold()
        offending = [c for c in session.scalars(select(Commitment)) if any(phrase in ev.sentence.casefold() for ev in c.evidence)]
        found = f"extracted in {offending[0].meeting_id}: {_short(offending[0].text)!r}" if offending else "not extracted"
        results.append(Result("not_commitment", label, not offending, found))
    return results
