"""Finding a meeting by what a person types (`tracker show "Third Plenum 2024"`) or a front
matter's `meeting:` names: an id, a name or alias in any word order with the year anywhere, a
phrase a recogniser knows, a date; several that fit are listed, close names suggested."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .dates import parse_date, parse_month
from .language import has_cjk, matching_form
from .mentions import find_mentions

if TYPE_CHECKING:
    from .meetings import MeetingInfo


class MeetingNotFound(LookupError):
    """Nothing in the catalog fits what a person typed (the message suggests names that are close)."""


# At most this many candidates are listed, then "... and N more".
SHOWN_CANDIDATES = 12


class AmbiguousMeeting(MeetingNotFound):
    """Several meetings fit what a person typed ("Third Plenum"); `candidates` lists them."""

    def __init__(self, spec: str, candidates: list[MeetingInfo], prefer: frozenset[str] | set[str] = frozenset()):
        self.candidates = candidates
        shown = "\n".join(
            f"  {m.id}  {m.start}  {m.name}" + ("  (has articles)" if m.id in prefer else "")
            for m in candidates[:SHOWN_CANDIDATES]
        )
        hidden = len(candidates) - SHOWN_CANDIDATES
        more = f"\n  ... and {hidden} more" if hidden > 0 else ""
        super().__init__(
            f"{spec!r} names {len(candidates)} meetings; name one by its id, or add its year or number:\n{shown}{more}"
        )


_YEAR = re.compile(r"(?<![\w-])(?:19|20)\d\d(?![\w-])")
# At most this many close names are suggested, each with at most this many ids.
_SUGGESTED = 3
# Words that do not tell meetings apart ("Third Plenum of the 20th Central Committee").
_FILLER = frozenset({"the", "of", "s", "and", "cpc"})


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.casefold())) - _FILLER


def _years(m: MeetingInfo) -> set[int]:
    return {m.start.year, m.end.year, m.attr("year") or m.start.year}


def _names(m: MeetingInfo) -> tuple[str, ...]:
    return (m.name, *m.aliases)


def _by_words(spec: str, meetings: list[MeetingInfo]) -> list[MeetingInfo]:
    """The meetings one of whose names has the words of `spec`, in any order, a year in `spec`
    (anywhere: "NPC 2024", "2024 NPC", "Third Plenum 2024") choosing among them by the year
    the meeting is held in, whether or not the name states it ("2024 NPC" as "NPC")."""
    years = {int(y) for y in _YEAR.findall(spec)}
    if len(years) > 1:
        return []
    wanted = _words(_YEAR.sub(" ", spec))
    if not wanted:
        return []
    found = []
    for m in meetings:
        if years and not years & _years(m):
            continue
        own_years = {str(y) for y in _years(m)}
        if any(_words(name) - own_years == wanted for name in _names(m)):
            found.append(m)
    return found


def _kind_words(m: MeetingInfo) -> frozenset[str]:
    """The words of a meeting's kind: its id's ("party_congress") and its label's."""
    label = m.kind_facts.label if m.kind_facts is not None else ""
    return _words(m.kind.replace("_", " ") + " " + label)


def _by_kind_or_year(spec: str, meetings: list[MeetingInfo]) -> list[MeetingInfo]:
    """What a person types that fits no one meeting but a group: a bare year ("2024": every
    meeting held in it), or words of a kind of meeting with no number ("Plenum", "Party
    Congress", "Congress 2022": every meeting of that kind, of that year if one is given)."""
    years = {int(y) for y in _YEAR.findall(spec)}
    if len(years) > 1:
        return []
    wanted = _words(_YEAR.sub(" ", spec))
    if any(ch.isdigit() for word in wanted for ch in word):  # "30th Party Congress" names one, not a kind
        return []
    if not wanted and not years:
        return []
    return [m for m in meetings if (not years or years & _years(m)) and (not wanted or wanted <= _kind_words(m))]


def meeting_candidates(spec: str, meetings: list[MeetingInfo], rules: dict) -> list[MeetingInfo]:
    """Every meeting `spec` can mean, by the first rule that finds any: its id; a name or alias
    (case-insensitive; Chinese read in matching form, 十九屆 as 十九届); a phrase a recogniser
    knows; a name's words in any order with the year anywhere; a date inside it; a month it is
    held in."""
    if has_cjk(spec):
        spec = matching_form(spec)
    wanted = spec.strip().casefold()
    by_id = {m.id.casefold(): m for m in meetings}
    if wanted in by_id:
        return [by_id[wanted]]
    matches = [
        m
        for m in meetings
        if wanted == m.name.casefold() or wanted in (a.casefold() for a in (*m.aliases, *m.names_zh))
    ]
    if not matches and wanted:
        mentions = find_mentions(spec, meetings, rules)
        full = [mn for mn in mentions if mn.start == 0 and mn.end >= len(spec.strip()) - 1]
        if full:
            matches = list(full[0].candidates)
    if not matches and not has_cjk(spec):
        matches = _by_words(spec, meetings)
    if not matches:
        day = parse_date(spec)
        if day is not None:
            matches = [m for m in meetings if m.contains(day)]
    if not matches:
        month = parse_month(spec)  # "July 2024", "2024-07": the meetings held that month
        if month is not None:
            matches = [m for m in meetings if (m.start.year, m.start.month) <= month <= (m.end.year, m.end.month)]
    return matches


def _not_found(spec: str, meetings: list[MeetingInfo], prefer: frozenset[str] | set[str]) -> MeetingNotFound:
    """No meeting fits: the error, with the names closest to what was typed ("Thrid Plenum")."""
    from rapidfuzz import fuzz, process

    years = {int(y) for y in _YEAR.findall(spec)}
    rest = _YEAR.sub(" ", spec).strip() if len(years) == 1 else spec.strip()
    names: dict[str, list[MeetingInfo]] = {}
    for m in meetings:
        if years and len(years) == 1 and not years & _years(m):
            continue
        own_years = {str(y) for y in _years(m)}
        for name in (m.id, *_names(m)):
            shown = " ".join(w for w in name.split() if w not in own_years) if years else name
            names.setdefault(shown, []).append(m)
    # Every close name, the closest first, then those of meetings with articles, the latest.
    close = sorted(
        process.extract(
            rest, list(names), scorer=fuzz.token_sort_ratio, processor=str.casefold, score_cutoff=80, limit=None
        ),
        key=lambda hit: (
            hit[1],
            any(m.id in prefer for m in names[hit[0]]),
            max(m.start for m in names[hit[0]]),
        ),
        reverse=True,
    )
    message = f"no meeting matches {spec!r} (try an id from `tracker meetings`, a name, or a date)"
    if close:
        suggestions = []
        for name, _score, _i in close[:_SUGGESTED]:
            fits = sorted(names[name], key=lambda m: (m.id in prefer, m.start), reverse=True)
            hidden = len(fits) - _SUGGESTED
            ids = ", ".join(m.id for m in fits[:_SUGGESTED]) + (f" and {hidden} more" if hidden > 0 else "")
            suggestions.append(f"{' '.join([name, *map(str, years)])!r} ({ids})")
        hidden = len(close) - _SUGGESTED
        more = f", or {hidden} more close name{'s' if hidden > 1 else ''}" if hidden > 0 else ""
        message += f"; did you mean {' or '.join(suggestions)}{more}?"
    return MeetingNotFound(message)


def find_meeting(
    spec: str,
    meetings: list[MeetingInfo],
    rules: dict,
    prefer: frozenset[str] | set[str] = frozenset(),
    ambiguous: bool = False,
    passed_over: list[MeetingInfo] | None = None,
) -> MeetingInfo:
    """The meeting `spec` names (meeting_candidates). When several fit ("Third Plenum"), meetings
    in `prefer` (those with articles) win; if that still leaves several, `ambiguous` raises
    AmbiguousMeeting listing them (what a person typed), else the major kinds win (a month
    holds a plenum and a Politburo meeting: "July 2024" means the plenum), then the latest (a
    front-matter value); the others that fit are added to `passed_over`. With `ambiguous`, a
    bare year or a kind's words ("2024", "Plenum", "Party Congress") that fit several meetings
    always raise AmbiguousMeeting, the latest first: too broad to pick one. Raises
    MeetingNotFound, suggesting close names, when none fits."""
    matches = meeting_candidates(spec, meetings, rules)
    if not matches and ambiguous and not has_cjk(spec):  # what a person typed, not a front matter's value
        group = sorted(_by_kind_or_year(spec, meetings), key=lambda m: (m.start, m.id), reverse=True)
        if len(group) > 1:
            raise AmbiguousMeeting(spec.strip(), group, prefer)
        matches = group
    if not matches:
        raise _not_found(spec, meetings, prefer)
    if len(matches) == 1:
        return matches[0]
    order = list(rules.get("detection", {}).get("kind_priority", []))
    rank = {kind: len(order) - i for i, kind in enumerate(order)}
    matches.sort(key=lambda m: (m.id in prefer, rank.get(m.kind, 0), m.start), reverse=True)
    if ambiguous:
        preferred = [m for m in matches if m.id in prefer]
        if len(preferred) > 1 or not preferred and parse_month(spec) is None and parse_date(spec) is None:
            raise AmbiguousMeeting(spec.strip(), matches, prefer)
    if passed_over is not None:
        passed_over.extend(matches[1:])
    return matches[0]
