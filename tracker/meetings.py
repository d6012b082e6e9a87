"""Meetings: the catalog, finding a meeting by what a person types, and detecting which
meeting an article is about (with the date it states, resolved against the catalog).

Detection in brief: recognisers (data/rules.toml) and catalog aliases find mentions of
meetings; a mention that names one meeting counts fully, a generic one ("Third Plenum",
"Two Sessions") is resolved to the meeting the article names elsewhere or, failing that, to
the candidate that the dates and years stated in the text fit best. Mentions count by where
they stand (title, lead, body) and how they are framed ("last year's ..." barely counts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .regexscan import Gate, find_places, finditer_at, fold, gate_text, literal_alternation, literal_prefixes, starts_scanner

ORDINAL_WORDS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
]
ORD_PATTERN = r"(?:\d{1,2}(?:st|nd|rd|th)|" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + ")"
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_PART_DAY = {"early": 5, "mid": 15, "late": 25}


def ordinal_value(text: str) -> int:
    text = text.lower()
    if text[0].isdigit():
        return int(re.match(r"\d+", text).group())
    return ORDINAL_WORDS.index(text) + 1


def ordinal_suffix(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class MeetingInfo:
    """A meeting as detection and lookup see it (catalog entry or stored inferred meeting)."""

    id: str
    name: str
    kind: str
    start: dt.date
    end: dt.date
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, int], ...] = ()
    inferred: bool = False

    def attr(self, key: str) -> int | None:
        if key == "year" and key not in dict(self.attrs):
            return self.start.year
        return dict(self.attrs).get(key)

    def contains(self, day: dt.date, slack_days: int = 0) -> bool:
        slack = dt.timedelta(days=slack_days)
        return self.start - slack <= day <= self.end + slack


ATTR_KEYS = ("congress", "cc", "plenum", "npc", "npc_session", "year")


def load_catalog(catalog: dict) -> list[MeetingInfo]:
    meetings = []
    for entry in catalog.get("meeting", []):
        meetings.append(
            MeetingInfo(
                id=entry["id"],
                name=entry["name"],
                kind=entry["kind"],
                start=entry["start"],
                end=entry["end"],
                aliases=tuple(entry.get("aliases", [])),
                attrs=tuple((k, int(entry[k])) for k in ATTR_KEYS if k in entry),
            )
        )
    return meetings


# ---------------------------------------------------------------- finding a meeting by name


class MeetingNotFound(LookupError):
    pass


def find_meeting(spec: str, meetings: list[MeetingInfo], rules: dict, prefer: set[str] = frozenset()) -> MeetingInfo:
    """A meeting by id, name or alias (case-insensitive), a phrase a recogniser knows, or a
    date inside it. When several fit ("Third Plenum"), meetings in `prefer` (those with
    articles) win, then the latest."""
    wanted = spec.strip().casefold()
    by_id = {m.id.casefold(): m for m in meetings}
    if wanted in by_id:
        return by_id[wanted]
    matches = [m for m in meetings if wanted == m.name.casefold() or wanted in (a.casefold() for a in m.aliases)]
    if not matches:
        mentions = find_mentions(spec, meetings, rules)
        full = [mn for mn in mentions if mn.start == 0 and mn.end >= len(spec.strip()) - 1]
        if full:
            matches = list(full[0].candidates)
    if not matches:
        day = parse_date(spec)
        if day is not None:
            matches = [m for m in meetings if m.contains(day)]
    if not matches:
        month = parse_month(spec)  # "July 2024", "2024-07": the meetings held that month
        if month is not None:
            matches = [m for m in meetings if (m.start.year, m.start.month) <= month <= (m.end.year, m.end.month)]
    if not matches:
        raise MeetingNotFound(f"no meeting matches {spec!r} (try an id from `tracker meetings`, a name, or a date)")
    matches.sort(key=lambda m: (m.id in prefer, m.start), reverse=True)
    return matches[0]


def parse_date(text: str) -> dt.date | None:
    """A full date (day, month and year). A partial one ("March 2024", "2024") is None: dateparser
    would fill the missing day or month from today's date, so the answer would change daily."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if not re.search(r"\d", text):
        return None
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


_MONTH_SPEC = re.compile(rf"\A(?:(?P<month>(?:{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?),?\s+(?P<year>(?:19|20)\d\d)|(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>0?[1-9]|1[0-2]))\Z", re.I)


def parse_month(text: str) -> tuple[int, int] | None:
    """(year, month) of "July 2024", "Jul. 2024" or "2024-07"; None for anything else."""
    match = _MONTH_SPEC.match(text.strip())
    if not match:
        return None
    if match.group("iso_year"):
        return int(match.group("iso_year")), int(match.group("iso_month"))
    return int(match.group("year")), MONTHS[match.group("month").rstrip(".").lower()]


# ---------------------------------------------------------------- mentions and dates in text


@dataclass
class Mention:
    start: int
    end: int
    text: str
    kind: str
    weight: float  # recogniser weight
    candidates: tuple[MeetingInfo, ...]
    attrs: dict = field(default_factory=dict)
    specific: bool = False  # named by a catalog alias or numbers that single out one meeting


@lru_cache(maxsize=16)
def _compiled_recognizers(patterns: tuple[tuple[str, str, float], ...]) -> list[tuple[str, Gate, float]]:
    """(kind, pattern with the literals its matches need (regexscan.Gate), weight) per recogniser."""
    return [(kind, Gate(re.compile(p.replace("ORD", ORD_PATTERN), re.I)), w) for kind, p, w in patterns]


@lru_cache(maxsize=16)
def _alias_index(meetings: tuple[MeetingInfo, ...], anchor: str) -> tuple[re.Pattern | None, re.Pattern | None, dict[str, tuple[MeetingInfo, ...]]]:
    """(pattern of aliases that contain an anchor word, pattern of those that do not, index)."""
    index: dict[str, list[MeetingInfo]] = defaultdict(list)
    for m in meetings:
        for alias in (m.name, *m.aliases):
            index[alias.casefold()].append(m)
    anchor_re = re.compile(anchor)
    anchored = sorted((a for a in index if anchor_re.search(a)), key=len, reverse=True)
    loose = sorted((a for a in index if not anchor_re.search(a)), key=len, reverse=True)

    def compile_(aliases):
        # The longest alias first, written as a trie that tries them in that order (faster in re).
        return re.compile(r"\b" + literal_alternation([], aliases) + r"\b", re.I) if aliases else None

    return compile_(anchored), compile_(loose), {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=16)
def _anchor_finder(anchor: str):
    """finditer(anchor, text) as a function of (text, fold(text)): tried only where the literal
    prefixes of its matches occur when it has some (regexscan.starts_scanner)."""
    pattern = re.compile(anchor)
    scan = starts_scanner(pattern)
    if scan is None:
        return lambda text, folded: pattern.finditer(text)
    return lambda text, folded: scan(text, folded)


def _anchor_windows(text: str, anchor: str, width: int, folded: str | None = None) -> list[tuple[int, int]]:
    """Spans of text around anchor words, merged where they overlap."""
    windows: list[tuple[int, int]] = []
    for match in _anchor_finder(anchor)(text, fold(text) if folded is None else folded):
        start, end = max(0, match.start() - width), min(len(text), match.end() + width)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


def find_mentions(text: str, meetings: list[MeetingInfo], rules: dict) -> list[Mention]:
    """Every mention of a meeting in `text`; overlapping ones keep the most specific."""
    recognizers = _compiled_recognizers(
        tuple((r["kind"], r["pattern"], float(r.get("weight", 1.0))) for r in rules["detection"]["recognizer"])
    )
    det = rules["detection"]
    anchor = det.get("anchor", r"(?s:.)")
    windows = _anchor_windows(text, anchor, int(det.get("anchor_window", 160)), fold(text))
    gated = [gate_text(text[start:end]) for start, end in windows]
    found: list[Mention] = []
    seen: set[tuple[int, int, str]] = set()

    def matches(pattern: re.Pattern, gate: Gate | None = None):
        for (start, end), window in zip(windows, gated):
            if gate is not None and not gate.allows(window):
                continue  # lacks the literals every match needs
            for match in pattern.finditer(text, start, end):
                key = (match.start(), match.end(), pattern.pattern)
                if key not in seen:  # windows do not overlap, but keep it exact
                    seen.add(key)
                    yield match

    for kind, gate, weight in recognizers:
        for match in matches(gate.pattern, gate):
            attrs = {}
            for key, value in match.groupdict().items():
                if value:
                    attrs[key] = ordinal_value(value) if key != "year" else int(value)
            candidates = tuple(
                m for m in meetings if m.kind == kind and all(m.attr(k) == v for k, v in attrs.items())
            )
            found.append(Mention(match.start(), match.end(), match.group(), kind, weight, candidates, attrs,
                                 specific=len(candidates) == 1 and bool(attrs)))
    anchored_re, loose_re, alias_index = _alias_index(tuple(meetings), anchor)
    alias_matches = [*(matches(anchored_re) if anchored_re is not None else ()),
                     *(loose_re.finditer(text) if loose_re is not None else ())]
    if alias_matches:
        for match in alias_matches:
            candidates = alias_index[match.group().casefold()]
            found.append(Mention(match.start(), match.end(), match.group(), candidates[0].kind, 1.0, candidates,
                                 specific=len(candidates) == 1))
    # Longest first, then the most specific: an alias inside a longer recognised phrase yields.
    found.sort(key=lambda mn: (mn.start, -(mn.end - mn.start), not mn.specific, len(mn.candidates)))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            if mention.specific and not kept[-1].specific and mention.end >= kept[-1].end - 2:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


@dataclass
class TimeCue:
    """A date or part of one stated in the text."""

    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    day: int | None
    end_day: int | None = None  # for ranges: "October 20 to 23, 2025"

    def resolve(self, year: int) -> dt.date | None:
        """The date this cue names when its year is `year` (or its own year)."""
        if self.month is None:
            return None
        try:
            return dt.date(self.year or year, self.month, self.day or 1)
        except ValueError:
            return None


_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DAY_LENGTHS = (1, 2, 3, 4)  # what _DAY matches: one or two digits and an optional suffix
_MONTH_LEADS = ("in", "during", "this", "last", "next", "since", "until")
_TIME_PATTERNS = [
    # October 20 to 23, 2025 / March 4-11, 2024
    re.compile(rf"\b(?P<month>{_MONTH})\s+{_DAY}\s*(?:-|–|—|to|until|through)\s*(?P<end_day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    # March 11, 2024 / Oct. 16, 2022
    re.compile(rf"\b(?P<month>{_MONTH})\s+{_DAY},?\s+(?P<year>(?:19|20)\d\d)\b"),
    # 11 March 2024
    re.compile(rf"\b{_DAY}\s+(?P<month>{_MONTH}),?\s+(?P<year>(?:19|20)\d\d)\b"),
    # 2024-03-11
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month_num>[01]\d)-(?P<day>[0-3]\d)\b"),
    # March 2024
    re.compile(rf"\b(?P<month>{_MONTH})\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b"),
    # On Oct. 16 / March 5
    re.compile(rf"\b(?P<month>{_MONTH})\s+{_DAY}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)"),
    # mid-July / early March / in March
    re.compile(rf"\b(?P<part>early|mid|late)[-\s](?P<month>{_MONTH})\b"),
    re.compile(rf"\b(?:{'|'.join(_MONTH_LEADS)})\s+(?P<month>{_MONTH})\b(?!\s*\d)"),
    # a bare year
    re.compile(r"\b(?P<bare_year>(?:19|20)\d\d)\b"),
]


@lru_cache(maxsize=1)
def _time_finders() -> list:
    """pattern.finditer(text) per time pattern, as functions of (text, fold(text), starts), each
    trying its pattern only where a match can start (the same matches, found much faster):
    - where the literal prefixes of its matches occur (month names, years, "mid"...);
    - for "11 March 2024" and "in March", which start before a month name: at the places a day
      (1 to 4 characters) or one of _MONTH_LEADS ends, just before the white space that precedes
      a month name (the white space before a month name, which starts with a capital, ends there).
    `starts`, a dict kept for one text, holds the places of the prefixes once found."""
    month_prefixes = literal_prefixes(re.compile(_MONTH))
    finders = []
    for index, pattern in enumerate(_TIME_PATTERNS):
        before = {2: _DAY_LENGTHS, 7: tuple(len(w) for w in _MONTH_LEADS)}.get(index)
        scan = starts_scanner(pattern)
        if before is not None and month_prefixes is not None and month_prefixes[0]:
            finders.append(_before_month_finder(pattern, month_prefixes, before))
        elif scan is not None:
            finders.append(scan)
        else:
            finders.append(lambda text, folded, starts=None, pattern=pattern: pattern.finditer(text))
    return finders


def _before_month_finder(pattern: re.Pattern, month_prefixes: tuple, lengths: tuple[int, ...]):
    def find(text: str, folded: str, starts: dict | None = None) -> list:
        months = None if starts is None else starts.get(month_prefixes)
        if months is None:
            months = find_places(text, month_prefixes[1])
            if starts is not None:
                starts[month_prefixes] = months
        candidates = set()
        for month in months:
            space = month
            while space > 0 and text[space - 1].isspace():  # str.isspace is re's \s
                space -= 1
            if space < month:
                candidates.update(space - n for n in lengths if space >= n)
        return finditer_at(pattern, text, sorted(candidates))

    return find


def find_time_cues(text: str, rules: dict) -> list[TimeCue]:
    ignored_before = re.compile(rules["detection"]["year_ignored_before"], re.I)
    cues: list[TimeCue] = []
    taken: list[tuple[int, int]] = []
    folded = fold(text)
    starts: dict = {}  # places of month names and years, shared by the patterns that start with them
    for find in _time_finders():
        for match in find(text, folded, starts=starts):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            if groups.get("bare_year"):
                if ignored_before.search(text[max(0, match.start() - 40):match.start()]):
                    continue  # "Made in China 2025", "by 2035"
                cue = TimeCue(match.start(), match.end(), match.group(), int(groups["bare_year"]), None, None)
            else:
                if groups.get("month_num"):
                    month = int(groups["month_num"])
                else:
                    month = MONTHS[groups["month"].rstrip(".").lower()]
                day = groups.get("day")
                day = int(day) if day else _PART_DAY.get((groups.get("part") or "").lower())
                year = int(groups["year"]) if groups.get("year") else None
                end_day = int(groups["end_day"]) if groups.get("end_day") else None
                cue = TimeCue(match.start(), match.end(), match.group(), year, month, day, end_day)
            cues.append(cue)
            taken.append((match.start(), match.end()))
    cues.sort(key=lambda c: c.start)
    return cues


def time_fit(meeting: MeetingInfo, cues: list[TimeCue], weights: dict) -> float:
    """How well the dates stated in an article fit a meeting."""
    score = 0.0
    months = {meeting.start.month, meeting.end.month}
    for cue in cues:
        if cue.month is None:
            if cue.year == meeting.start.year:
                score += weights["year_weight"]
            continue
        if cue.year is not None:
            day = cue.resolve(cue.year)
            if cue.day is not None and day is not None and meeting.contains(day, slack_days=3):
                score += weights["date_inside_weight"]
            elif cue.year == meeting.start.year and cue.month in months:
                score += weights["month_year_weight"]
            elif cue.year == meeting.start.year:
                score += weights["year_weight"]
        elif cue.month in months:
            score += weights["month_weight"]
    return score


# ---------------------------------------------------------------- detection


@dataclass
class Assignment:
    meeting_id: str | None
    date: dt.date | None
    reason: str
    new_meeting: MeetingInfo | None = None  # inferred from the article, to be stored


def _region_weight(position: int, title_len: int, det: dict) -> tuple[float, str]:
    if position < title_len:
        return det["title_weight"], "title"
    if position < title_len + det["lead_chars"]:
        return det["lead_weight"], "lead"
    return det["body_weight"], "body"


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    return left + 1, (min(right_candidates) if right_candidates else len(text))


def _infer_meeting(mention: Mention, cue: TimeCue, meetings: list[MeetingInfo], rules: dict, file: str) -> MeetingInfo | None:
    """A meeting the catalog lacks, named with its dates in an article."""
    start = cue.resolve(cue.year)
    if start is None or cue.day is None:
        return None
    try:
        end = start.replace(day=cue.end_day) if cue.end_day else start
    except ValueError:
        return None
    attrs = dict(mention.attrs)
    attrs.setdefault("year", start.year)
    if mention.kind == "plenum" and "cc" not in attrs:
        congresses = [m for m in meetings if m.kind == "party_congress" and m.start <= start]
        if not congresses:
            return None
        attrs["cc"] = max(congresses, key=lambda m: m.start).attr("congress")
    if mention.kind in ("plenum",) and "plenum" not in attrs:
        return None
    if mention.kind == "party_congress" and "congress" not in attrs:
        return None
    fields = dict(attrs)
    for key, value in attrs.items():
        fields[f"{key}_th"] = ordinal_suffix(value)
        if value <= len(ORDINAL_WORDS):
            fields[f"{key}_word"] = ORDINAL_WORDS[value - 1].capitalize()
    det = rules["detection"]
    try:
        meeting_id = det["inferred_ids"][mention.kind].format(**fields)
        name = det["inferred_names"][mention.kind].format(**fields)
    except KeyError:
        return None
    keep = {k: v for k, v in attrs.items() if k in ATTR_KEYS and (k != "year" or mention.kind in ("two_sessions", "cewc"))}
    return MeetingInfo(meeting_id, name, mention.kind, start, end, (mention.text.strip(),),
                       tuple(sorted(keep.items())), inferred=True)


def detect_meeting(title: str, text: str, meta: dict, meetings: list[MeetingInfo], rules: dict, file: str = "") -> Assignment:
    """Which meeting an article is about, the date it states, and why."""
    det = rules["detection"]
    doc = f"{title}\n\n{text}"
    cues = find_time_cues(doc, rules)
    if meta.get("meeting"):
        meeting = find_meeting(str(meta["meeting"]), meetings, rules)  # MeetingNotFound propagates
        return Assignment(meeting.id, _stated_date(meta, cues, meeting), f"front matter names {meta['meeting']!r}")

    mentions = find_mentions(doc, meetings, rules)
    passing = re.compile(det["passing_before"], re.I)
    named = {mn.candidates[0].id for mn in mentions if mn.specific}
    scores: dict[str, float] = defaultdict(float)
    why: dict[str, list[str]] = defaultdict(list)
    unresolved: list[str] = []
    inferred: dict[str, MeetingInfo] = {}
    for mention in mentions:
        region_w, region = _region_weight(mention.start, len(title), det)
        framed_passing = bool(passing.search(doc[max(0, mention.start - 60):mention.start]))
        weight = region_w * mention.weight * (det["passing_weight"] if framed_passing else 1.0)
        s_start, s_end = _sentence_around(doc, mention.start, mention.end)
        local_cues = [c for c in cues if s_start <= c.start < s_end + 120]
        candidates = list(mention.candidates)
        # Dates stated right next to the mention that no candidate covers: a meeting the catalog lacks.
        ranged = [c for c in local_cues if c.year and c.day and c.month]
        if ranged and not any(any(m.contains(c.resolve(c.year), 3) for c in ranged) for m in candidates):
            new = _infer_meeting(mention, ranged[0], meetings, rules, file)
            if new is not None:
                inferred[new.id] = new
                candidates = [new]
        if not candidates:
            continue
        if len(candidates) == 1:
            chosen = candidates[0]
            how = "names it"
        else:
            weight *= det["generic_weight"]
            fits = {m.id: (10.0 if m.id in named else 0.0) + 2 * time_fit(m, local_cues, det) + time_fit(m, cues, det)
                    for m in candidates}
            best = max(fits.values())
            winners = [m for m in candidates if fits[m.id] == best]
            if best <= 0 or len(winners) > 1:
                unresolved.append(f"{mention.text.strip()!r} could be {len(candidates)} meetings and the text states no date that decides")
                continue
            chosen = winners[0]
            how = "named elsewhere in the article" if chosen.id in named else "the dates in the text fit"
        scores[chosen.id] += weight
        phrase = mention.text.strip("'\"“”‘’ ")
        label = f"{phrase!r} in the {region}" + (" (looking back)" if framed_passing else "")
        why[chosen.id].append(f"{label}: {how}")

    if not scores:
        reason = "no meeting named or implied"
        if unresolved:
            reason = "ambiguous: " + "; ".join(dict.fromkeys(unresolved))
        return Assignment(None, None, reason)
    ranking = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranking) > 1 and abs(ranking[0][1] - ranking[1][1]) < 1e-9:
        return Assignment(None, None, f"ambiguous: {ranking[0][0]} and {ranking[1][0]} are equally prominent")
    best_id = ranking[0][0]
    meeting = inferred.get(best_id) or next(m for m in meetings if m.id == best_id)
    details = "; ".join(dict.fromkeys(why[best_id]))
    others = ", ".join(f"{mid} {score:.1f}" for mid, score in ranking[1:4])
    reason = f"score {ranking[0][1]:.1f} from {details}" + (f" (others: {others})" if others else "")
    if meeting.inferred:
        reason = f"inferred meeting not in the catalog, dated by the article; {reason}"
    return Assignment(meeting.id, _stated_date(meta, cues, meeting), reason, new_meeting=meeting if meeting.inferred else None)


def _stated_date(meta: dict, cues: list[TimeCue], meeting: MeetingInfo) -> dt.date | None:
    """The meeting date the article states: front matter, else the first stated date that falls
    within the meeting once its missing year is taken from the catalog ("On Oct. 16" -> 2022-10-16)."""
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        parsed = parse_date(value)
        if parsed:
            return parsed
    for cue in cues:
        if cue.month is None or cue.day is None:
            continue  # a month alone ("in March") does not state a day
        # dateparser reads what the text states; the catalog supplies the year it leaves out.
        base = dt.datetime(cue.year or meeting.start.year, 12, 31)
        phrase = cue.text
        if cue.end_day is not None:  # a range: it states its first day ("October 20 to 23, 2026")
            phrase = f"{MONTH_NAMES[cue.month - 1]} {cue.day}, {cue.year}"
        elif cue.day and not re.search(r"\d", cue.text.split()[-1] if cue.text.split() else ""):
            phrase = f"{MONTH_NAMES[cue.month - 1]} {cue.day}"  # "mid-July" -> "July 15"
        day = _dateparser_date(re.sub(r"^(on|in|during|this|last|next|since|until)\s+", "", phrase, flags=re.I), base)
        if day is None:
            continue
        if meeting.contains(day, slack_days=7):
            return day
    return None


@lru_cache(maxsize=4096)
def _dateparser_date(phrase: str, base: dt.datetime) -> dt.date | None:
    """dateparser's reading of a date phrase, with the year taken from `base` when it has none
    (cached: the same phrases recur across the articles of a meeting)."""
    import dateparser

    parsed = dateparser.parse(phrase, languages=["en"],
                              settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


def warm_up_dates() -> None:
    """Load dateparser's language data now (about 0.15 s): worker processes forked afterwards
    share it instead of each loading it again."""
    _dateparser_date("1 March 2024", dt.datetime(2024, 1, 1))


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
