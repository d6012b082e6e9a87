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


def attr_value(key: str, text: str) -> int:
    """The number a recogniser group states: a year, a month name, or an ordinal."""
    if key == "year":
        return int(text)
    if key == "month":
        return MONTHS[text.rstrip(".").lower()]
    return ordinal_value(text)


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
    source: str = ""  # where the catalog has it from (e.g. the Xinhua readout and its date)

    def attr(self, key: str) -> int | None:
        attrs = dict(self.attrs)
        if key in attrs:
            return attrs[key]
        if key == "year":
            return self.start.year
        if key == "month":
            return self.start.month
        return None

    def target_year(self, from_month: int = 10) -> int:
        """The year whose targets this meeting sets: its own, or the next one for a meeting held
        late in the year (December's Central Economic Work Conference shapes next year's)."""
        if self.kind == "two_sessions":
            return self.start.year
        return self.start.year + (1 if self.start.month >= from_month else 0)

    def contains(self, day: dt.date, slack_days: int = 0) -> bool:
        slack = dt.timedelta(days=slack_days)
        return self.start - slack <= day <= self.end + slack


ATTR_KEYS = ("congress", "cc", "plenum", "npc", "npc_session", "year", "month")
CATALOG_FIELDS = {"id", "name", "kind", "start", "end", "aliases", "source", *ATTR_KEYS}


def load_catalog(catalog: dict) -> list[MeetingInfo]:
    """The [[meeting]] tables of meetings.toml; a malformed entry raises ConfigError saying which
    entry and what is wrong (the CLI prints it and stops, nothing stored is changed)."""
    from .config import ConfigError

    meetings = []
    seen: set[str] = set()
    entries = catalog.get("meeting", [])
    if not isinstance(entries, list):
        raise ConfigError("meetings.toml: [[meeting]] must be an array of tables")
    for number, entry in enumerate(entries, 1):
        where = f"meetings.toml: meeting #{number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} is not a table")
        if isinstance(entry.get("id"), str):
            where += f" ({entry['id']})"
        missing = [k for k in ("id", "name", "kind", "start", "end") if k not in entry]
        if missing:
            raise ConfigError(f"{where} lacks {', '.join(missing)}")
        unknown = sorted(set(entry) - CATALOG_FIELDS)
        if unknown:
            raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(CATALOG_FIELDS))})")
        for key in ("id", "name", "kind", "source"):
            if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
                raise ConfigError(f"{where}: {key} must be a non-empty string")
        start, end = entry["start"], entry["end"]
        if not all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in (start, end)):
            raise ConfigError(f"{where}: start and end must be dates written YYYY-MM-DD (no quotes)")
        if end < start:
            raise ConfigError(f"{where}: end {end} is before start {start}")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError(f"{where}: aliases must be a list of non-empty strings")
        if any(not isinstance(entry[k], int) or isinstance(entry[k], bool) for k in ATTR_KEYS if k in entry):
            raise ConfigError(f"{where}: {', '.join(k for k in ATTR_KEYS if k in entry)} must be whole numbers")
        if entry["id"] in seen:
            raise ConfigError(f"{where}: the id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        meetings.append(
            MeetingInfo(
                id=entry["id"],
                name=entry["name"],
                kind=entry["kind"],
                start=start,
                end=end,
                aliases=tuple(aliases),
                attrs=tuple((k, int(entry[k])) for k in ATTR_KEYS if k in entry),
                source=entry.get("source", ""),
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
    # Several fit: those with articles, then the major kinds (a month holds a plenum and a
    # Politburo meeting: "July 2024" means the plenum), then the latest.
    order = list(rules.get("detection", {}).get("kind_priority", []))
    rank = {kind: len(order) - i for i, kind in enumerate(order)}
    matches.sort(key=lambda m: (m.id in prefer, rank.get(m.kind, 0), m.start), reverse=True)
    return matches[0]


def parse_date(text: str) -> dt.date | None:
    """A full date (day, month and year). A partial one ("March 2031", "2031") is None: dateparser
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
    out = []
    for kind, p, w in patterns:
        out.append((kind, Gate(_compile(p.replace("ORD", ORD_PATTERN), f"detection.recognizer ({kind})", re.I)), w))
    return out


def _compile(pattern: str, where: str, flags: int = 0) -> re.Pattern:
    from .config import ConfigError

    if not isinstance(pattern, str):
        raise ConfigError(f"rules.toml {where}: the pattern must be a string")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise ConfigError(f"rules.toml {where}: not a valid regular expression ({exc})") from exc


DETECTION_NUMBERS = ("title_weight", "lead_weight", "body_weight", "lead_chars", "passing_weight", "generic_weight",
                     "date_inside_weight", "month_year_weight", "month_weight", "year_weight")


def check_detection_rules(rules: dict) -> None:
    """Raise ConfigError, saying which entry and why, for a [detection] table detection cannot use
    (a missing weight, a pattern that is not a regular expression, a malformed office holder)."""
    from .config import ConfigError

    det = rules.get("detection")
    if not isinstance(det, dict):
        raise ConfigError("rules.toml: the detection table is missing")
    for key in DETECTION_NUMBERS:
        if not isinstance(det.get(key), (int, float)) or isinstance(det.get(key), bool):
            raise ConfigError(f"rules.toml detection.{key}: a number is required")
    for key in ("passing_before", "year_ignored_before"):
        _compile(det.get(key), f"detection.{key}", re.I)
    for key in (*_TIME_RULE_KEYS, "anchor"):
        if key in det:
            _compile(det[key], f"detection.{key}", re.I)
    recognizers = det.get("recognizer")
    if not isinstance(recognizers, list) or not recognizers:
        raise ConfigError("rules.toml: the detection.recognizer tables are missing")
    for number, r in enumerate(recognizers, 1):
        if not isinstance(r, dict) or not isinstance(r.get("kind"), str) or "pattern" not in r:
            raise ConfigError(f"rules.toml detection.recognizer #{number}: needs kind and pattern")
        if not isinstance(r.get("weight", 1.0), (int, float)):
            raise ConfigError(f"rules.toml detection.recognizer #{number} ({r['kind']}): weight must be a number")
        compiled = _compile(r["pattern"].replace("ORD", ORD_PATTERN) if isinstance(r["pattern"], str) else r["pattern"],
                            f"detection.recognizer #{number} ({r['kind']})", re.I)
        unknown = set(compiled.groupindex) - set(ATTR_KEYS)
        if unknown:
            raise ConfigError(f"rules.toml detection.recognizer #{number} ({r['kind']}): unknown group(s) "
                              f"{', '.join(sorted(unknown))} (known: {', '.join(ATTR_KEYS)})")
    for number, h in enumerate(det.get("officeholder", []), 1):
        if not isinstance(h, dict) or not isinstance(h.get("name"), str) or not isinstance(h.get("from"), dt.date):
            raise ConfigError(f"rules.toml detection.officeholder #{number}: needs a name and a from date (YYYY-MM-DD)")
        if "to" in h and not isinstance(h["to"], dt.date):
            raise ConfigError(f"rules.toml detection.officeholder #{number} ({h['name']}): to must be a date")
        if "officeholder_pattern" in det:
            _compile(det["officeholder_pattern"].replace("NAME", re.escape(h["name"])).replace("ROLE", h.get("role", "premier")),
                     f"detection.officeholder #{number} ({h['name']})", re.I)
    for table in ("inferred_ids", "inferred_names"):
        if not isinstance(det.get(table, {}), dict) or not all(isinstance(v, str) for v in det.get(table, {}).values()):
            raise ConfigError(f"rules.toml detection.{table}: each kind needs a text template")


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
                    attrs[key] = attr_value(key, value)
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
    # October 20 to 23, 2025 / March 3-12, 2031 / December 27 and 28, 2029
    re.compile(rf"\b(?P<month>{_MONTH})\s+{_DAY}\s*(?:-|–|—|to|until|through|and)\s*(?P<end_day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    # March 9, 2031 / Oct. 21, 2032
    re.compile(rf"\b(?P<month>{_MONTH})\s+{_DAY},?\s+(?P<year>(?:19|20)\d\d)\b"),
    # 9 March 2031
    re.compile(rf"\b{_DAY}\s+(?P<month>{_MONTH}),?\s+(?P<year>(?:19|20)\d\d)\b"),
    # 2031-03-09
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month_num>[01]\d)-(?P<day>[0-3]\d)\b"),
    # March 2031
    re.compile(rf"\b(?P<month>{_MONTH})\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b"),
    # On Oct. 21 / March 5
    re.compile(rf"\b(?P<month>{_MONTH})\s+{_DAY}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)"),
    # mid-November / early March / in March
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
    - for "9 March 2031" and "in March", which start before a month name: at the places a day
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
                    continue  # "Smart Harbours 2038", "by 2037"
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


# ---------------------------------------------------------------- how the text places itself in time


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@dataclass
class TextTime:
    """What the dates of a text say about when it was written, as an analyst reads them.

    `frames` gives each stated date a reading: "target" (a year a target or plan is set for:
    "a growth target for 2031"), "future" (a clause about what will happen), "past" (a clause
    about what happened: "since 2017", "fell by 1.3% in 2029"), "period_end" (the last year of a
    span, which says nothing of the text's own time) or "plain". Past dates never count for a
    meeting; the latest of them is a floor: the text was written that year or later.
    """

    frames: list[str]
    floor_year: int | None = None
    floor_cue: str = ""
    published: dt.date | None = None  # front matter date or dateline
    published_how: str = ""
    anchor: dt.date | None = None  # what a date without a year is read against (see nearest_day)
    weekdays: dict[int, int] = field(default_factory=dict)  # cue index -> weekday named with it
    boundary: dict[int, str] = field(default_factory=dict)  # cue index -> "start" / "end" of the meeting
    offices: list[tuple[str, dt.date, dt.date, str]] = field(default_factory=list)  # (name, from, to, modifier)
    deadlines: list[int] = field(default_factory=list)  # "to be completed by 2029"


@lru_cache(maxsize=16)
def _time_rules(items: tuple[tuple[str, str], ...]) -> dict[str, re.Pattern]:
    return {key: _compile(pattern, f"detection.{key}", re.I) for key, pattern in items}


_TIME_RULE_KEYS = ("target_before", "past_before", "future_clause", "past_clause", "period_before", "period_after",
                   "boundary_start_before", "boundary_end_before", "weekday_before", "dateline", "heading_cue",
                   "contrast_before", "dateline_yearless", "lead_weekday", "deadline")


def _compiled_time_rules(det: dict) -> dict[str, re.Pattern]:
    return _time_rules(tuple((k, det[k]) for k in _TIME_RULE_KEYS if k in det))


_BOUNDARY = re.compile(r"[.!?;](?=\s|$)|\n")
_COMMA_BOUNDARY = re.compile(r"[.!?;,:()\u2014](?=\s|$)|\n|\s[\u2013\u2014-]\s")


def _clause_bounds(doc: str, start: int, end: int, limit: int = 160, boundary: re.Pattern = _BOUNDARY) -> tuple[int, int]:
    """The sentence (or, with _COMMA_BOUNDARY, the clause) around [start, end), at most `limit`
    characters either side. A full stop inside a number ("0.4%") does not end a sentence."""
    lo, hi = max(0, start - limit), min(len(doc), end + limit)
    left = lo
    for match in boundary.finditer(doc, lo, start):
        left = match.end()
    found = boundary.search(doc, end, hi)
    return left, (found.start() if found else hi)


def _published(meta: dict, doc: str, title_len: int, det: dict, rx: dict) -> tuple[dt.date | None, str]:
    """The publication date: front matter `date`, else a dateline near the top of the text."""
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        return value.date(), "front matter date"
    if isinstance(value, dt.date):
        return value, "front matter date"
    if isinstance(value, str) and value.strip():
        parsed = parse_date(value)
        if parsed:
            return parsed, "front matter date"
    pattern = rx.get("dateline")
    if pattern is None:
        return None, ""
    head = doc[: title_len + int(det.get("dateline_chars", 300))]
    match = pattern.search(head)
    if not match:
        return None, ""
    groups = {k: v for k, v in match.groupdict().items() if v}
    try:
        month = groups.get("month") or groups.get("month2") or ""
        month_number = int(month) if month.isdigit() else MONTHS[month.rstrip(".").lower()]
        year, day = groups.get("year") or groups["year2"], groups.get("day") or groups["day2"]
        return dt.date(int(year), month_number, int(day)), f"dateline {match.group().strip()!r}"
    except (KeyError, ValueError, TypeError):
        return None, ""


def read_text_time(doc: str, title_len: int, cues: list[TimeCue], meta: dict, rules: dict) -> TextTime:
    """Frames of the stated dates, the floor year, the publication date (see TextTime)."""
    det = rules["detection"]
    rx = _compiled_time_rules(det)
    frames: list[str] = []
    weekdays: dict[int, int] = {}
    boundary: dict[int, str] = {}
    floor, floor_cue = None, ""
    for index, cue in enumerate(cues):
        before = doc[max(0, cue.start - 80):cue.start]
        after = doc[cue.end:cue.end + 30]
        left, right = _clause_bounds(doc, cue.start, cue.end)
        sentence = doc[left:right]
        left, right = _clause_bounds(doc, cue.start, cue.end, boundary=_COMMA_BOUNDARY)
        clause = doc[left:right]
        frame = "plain"
        if cue.month is None and "period_before" in rx and rx["period_before"].search(before):
            frame = "period_end"  # the 2040 of "2036-2040", "between 2036 and 2040", "from 2031 to 2040"
        elif "target_before" in rx and rx["target_before"].search(before):
            frame = "target"
        elif "past_before" in rx and rx["past_before"].search(before):
            frame = "past"
        else:  # the tense of its clause, else of its sentence
            for part in (clause, sentence):
                if "future_clause" in rx and rx["future_clause"].search(part):
                    frame = "future"
                    break
                if "past_clause" in rx and rx["past_clause"].search(part):
                    frame = "past"
                    break
        if frame == "plain" and cue.month is None and "period_after" in rx and rx["period_after"].match(after):
            frame = "period_start"  # a span that starts this year: read as its clause says, else plain
        frames.append(frame)
        if frame == "past" and cue.year is not None and (floor is None or cue.year > floor):
            floor, floor_cue = cue.year, cue.text
        if cue.day is not None and cue.year is None:
            wd = rx.get("weekday_before")
            found = wd.search(before) if wd is not None else None
            if found:
                weekdays[index] = WEEKDAYS.index(found.group("weekday").lower())
        if cue.day is not None:
            for key, label in (("boundary_end_before", "end"), ("boundary_start_before", "start")):
                if key in rx and rx[key].search(before):
                    boundary[index] = label
                    break
    # Wire copy: "BEIJING, March 5 (Wire) - ... said on Thursday": the dateline's day is the
    # weekday the lead names.
    yearless, lead_weekday = rx.get("dateline_yearless"), rx.get("lead_weekday")
    if yearless is not None and lead_weekday is not None:
        head = doc[: title_len + int(det.get("dateline_chars", 300))]
        line = yearless.search(head)
        if line:
            at = next((i for i, c in enumerate(cues) if c.start == line.end() and c.year is None and c.day), None)
            named = lead_weekday.search(doc, line.end(), title_len + int(det["lead_chars"]))
            if at is not None and named and at not in weekdays:
                weekdays[at] = WEEKDAYS.index(named.group("weekday").lower())
    deadlines = [int(m.group("year")) for m in rx["deadline"].finditer(doc)] if "deadline" in rx else []
    published, how = _published(meta, doc, title_len, det, rx)
    offices = _offices(doc, det, rx)
    # A date without a year ("in March", "on March 7th") is read against the publication date,
    # else against the latest date with a month and a year the text states ("As of March 2031").
    anchor = published
    if anchor is None:
        dated = [dt.date(c.year, c.month, min(c.day or 1, 28)) for c, f in zip(cues, frames)
                 if c.year and c.month and f not in ("target", "future", "period_end")]
        anchor = max(dated, default=None)
    return TextTime(frames, floor, floor_cue, published, how, anchor, weekdays, boundary, offices, deadlines)


def nearest_day(cue: TimeCue, anchor: dt.date) -> dt.date | None:
    """The occurrence of a yearless date ("March 7th", "mid-November") nearest to `anchor`."""
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            day = dt.date(year, cue.month, cue.day or 15)
        except (TypeError, ValueError):
            continue
        if best is None or abs((day - anchor).days) < abs((best - anchor).days):
            best = day
    return best


@lru_cache(maxsize=16)
def _office_patterns(items: tuple[tuple[str, str, str, str], ...], template: str) -> list:
    out = []
    for name, start, end, role in items:
        pattern = template.replace("NAME", re.escape(name)).replace("ROLE", role)
        out.append((name, dt.date.fromisoformat(start), dt.date.fromisoformat(end),
                    _compile(pattern, f"detection.officeholder ({name})", re.I)))
    return out


def _offices(doc: str, det: dict, rx: dict) -> list[tuple[str, dt.date, dt.date, str]]:
    """Office holders the text names in office ("Premier Wen Jiabao", "the outgoing premier,
    Wen Jiabao"): the text is written during their term. [[detection.officeholder]] holds the terms."""
    holders = det.get("officeholder", [])
    template = det.get("officeholder_pattern")
    if not holders or not template:
        return []
    items = tuple((h["name"], str(h["from"]), str(h.get("to", "9999-12-31")), h.get("role", "premier")) for h in holders)
    found = []
    for name, start, end, pattern in _office_patterns(items, template):
        if name not in doc:
            continue
        for match in pattern.finditer(doc):
            modifier = (match.groupdict().get("mod") or match.groupdict().get("mod2") or "").lower()
            if modifier in ("former", "late", "ex", "then"):
                continue
            found.append((name, start, end, modifier))
            break
    return found


def _resolved_day(cue: TimeCue, year: int) -> dt.date | None:
    try:
        return dt.date(year, cue.month, cue.day)
    except (TypeError, ValueError):
        return None


def time_fit(meeting: MeetingInfo, cues: list[tuple[int, TimeCue]], tt: TextTime, det: dict, local: bool) -> float:
    """How well dates stated in an article fit a meeting. `local`: the dates stand next to the
    mention and say which meeting it means, whatever their tense; elsewhere in the text, dates
    about the past count for nothing and years bound to a target count for the meeting that sets it."""
    score = 0.0
    months = {meeting.start.month, meeting.end.month}
    for index, cue in cues:
        frame = tt.frames[index] if index < len(tt.frames) else "plain"
        if frame == "period_end" or (frame == "past" and not local):
            continue
        if cue.month is None:
            if frame in ("target", "future"):
                if cue.year == meeting.target_year(int(det.get("next_year_from_month", 10))):
                    score += det.get("target_year_weight", 2.0)
            elif cue.year == meeting.start.year:
                score += det["year_weight"]
            continue
        if cue.year is not None:
            day = cue.resolve(cue.year)
            if cue.day is not None and day is not None and meeting.contains(day, slack_days=3):
                score += det["date_inside_weight"]
            elif cue.year == meeting.start.year and cue.month in months:
                score += det["month_year_weight"]
            elif cue.year == meeting.start.year:
                score += det["year_weight"]
            continue
        # No year: the text's anchor supplies it (see TextTime.anchor), else the catalog.
        if tt.anchor is not None:
            near = nearest_day(cue, tt.anchor)
            if near is None or near.year not in (meeting.start.year, meeting.end.year):
                continue
        if cue.day is None:
            if cue.month in months:
                score += det["month_weight"]
            continue
        day = _resolved_day(cue, meeting.start.year)
        if day is None or not meeting.contains(day):
            continue
        if index in tt.weekdays and day.weekday() != tt.weekdays[index]:
            continue  # "Thursday, March 5": not that year's March 5
        score += det.get("day_weight", det["month_weight"])
        if index in tt.weekdays:
            score += det.get("weekday_weight", 1.0)
        edge = tt.boundary.get(index)
        if edge == "end" and day == meeting.end or edge == "start" and meeting.start <= day <= meeting.start + dt.timedelta(days=2):
            score += det.get("boundary_weight", 2.0)
    if not local:  # deadlines are set a few years ahead: "to be completed by 2029" is a meeting of 2023-2028
        horizon = int(det.get("deadline_horizon", 6))
        for year in tt.deadlines:
            if year - horizon <= meeting.start.year < year:
                score += det.get("deadline_weight", 0.5)
    return score


def _excluded(meeting: MeetingInfo, tt: TextTime, det: dict, local_full_date: bool) -> str | None:
    """Why the text cannot be about this meeting (None if it can)."""
    if local_full_date:
        return None
    if tt.floor_year is not None and meeting.end.year < tt.floor_year:
        return f"held before {tt.floor_year}, which the text speaks of as past ({tt.floor_cue!r})"
    if tt.published is not None:
        preview = dt.timedelta(days=int(det.get("preview_days", 21)))
        if meeting.start > tt.published + preview:
            return f"held after the text was published ({tt.published_how})"
    for name, start, end, modifier in tt.offices:
        if meeting.end < start or meeting.start > end:
            return f"held outside {name}'s term ({start} to {end if end.year < 9999 else 'now'})"
        if modifier == "outgoing" and not (end - dt.timedelta(days=60) <= meeting.end and meeting.start <= end):
            return f"not at the end of {name}'s term ('outgoing')"
        if modifier in ("new", "incoming") and not (meeting.start <= start + dt.timedelta(days=90) and meeting.end >= start - dt.timedelta(days=7)):
            return f"not at the start of {name}'s term ('new')"
    return None


def _publication_fit(meeting: MeetingInfo, tt: TextTime, det: dict) -> float:
    """News about a meeting appears during or after it, previews shortly before."""
    if tt.published is None:
        return 0.0
    preview = dt.timedelta(days=int(det.get("preview_days", 21)))
    recent = dt.timedelta(days=int(det.get("recent_days", 45)))
    if meeting.start - preview <= tt.published <= meeting.end + recent:
        return det.get("published_weight", 3.0)
    return 0.0


# ---------------------------------------------------------------- detection


@dataclass
class Assignment:
    meeting_id: str | None
    date: dt.date | None
    reason: str
    new_meeting: MeetingInfo | None = None  # inferred from the article, to be stored
    candidates: tuple[str, ...] = ()  # when unassigned: the meetings the text leaves open


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


def _npc_session_year(attrs: dict, meetings: list[MeetingInfo]) -> int | None:
    """The year of "the Nth Session of the Mth NPC", counted from a catalog session (one a year,
    five a term): how a session the catalog lacks is dated."""
    if "npc" not in attrs or "npc_session" not in attrs:
        return None
    for m in meetings:
        if m.kind == "two_sessions" and m.attr("npc") and m.attr("npc_session"):
            first = m.start.year - (m.attr("npc_session") - 1) - 5 * m.attr("npc")
            return first + 5 * attrs["npc"] + attrs["npc_session"] - 1
    return None


def _infer_meeting(mention: Mention, start: dt.date, end_day: int | None, meetings: list[MeetingInfo],
                   rules: dict, file: str) -> MeetingInfo | None:
    """A meeting the catalog lacks, named with its dates in an article."""
    try:
        end = start.replace(day=end_day) if end_day else start
    except ValueError:
        return None
    if end < start:
        return None
    attrs = dict(mention.attrs)
    if "year" in attrs and attrs["year"] != start.year:
        return None
    if mention.kind == "two_sessions":
        year = _npc_session_year(attrs, meetings)
        if year is not None and year != start.year:
            return None  # "the First Session of the 15th NPC on March 5, 2031": the numbers say 2028
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
    fields: dict = dict(attrs)
    for key, value in attrs.items():
        fields[f"{key}_th"] = ordinal_suffix(value)
        if 0 < value <= len(ORDINAL_WORDS):
            fields[f"{key}_word"] = ORDINAL_WORDS[value - 1].capitalize()
    fields.update(date=start.isoformat(), mm=f"{start.month:02d}", dd=f"{start.day:02d}",
                  month_name=MONTH_NAMES[start.month - 1], day=start.day)
    det = rules["detection"]
    try:
        meeting_id = det["inferred_ids"][mention.kind].format(**fields)
        name = det["inferred_names"][mention.kind].format(**fields)
    except (KeyError, IndexError, ValueError):
        return None
    keep = {k: v for k, v in attrs.items() if k in ATTR_KEYS and (k != "year" or mention.kind not in ("party_congress", "plenum"))}
    return MeetingInfo(meeting_id, name, mention.kind, start, end, (mention.text.strip(),),
                       tuple(sorted(keep.items())), inferred=True)


def _ids(meetings, most: int = 4) -> str:
    ids = [m.id if isinstance(m, MeetingInfo) else m for m in meetings]
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def detect_meeting(title: str, text: str, meta: dict, meetings: list[MeetingInfo], rules: dict, file: str = "") -> Assignment:
    """Which meeting an article is about, the date it states, and why.

    In order: front matter; the document's own heading, dateline or delivery line ("Delivered at
    the Second Session of the 16th National People's Congress on March 5, 2034"); otherwise every
    mention, weighted by where it stands and how it is framed, a generic one ("Two Sessions", "the
    annual session of parliament") resolved by the meeting named elsewhere or by the dates, read as
    an analyst reads them (see TextTime). When the text leaves several meetings open, none is
    chosen: the reason lists them."""
    det = rules["detection"]
    doc = f"{title}\n\n{text}"
    cues = find_time_cues(doc, rules)
    if meta.get("meeting"):
        meeting = find_meeting(str(meta["meeting"]), meetings, rules)  # MeetingNotFound propagates
        return Assignment(meeting.id, _stated_date(meta, cues, meeting), f"front matter names {meta['meeting']!r}")

    title_len = len(title)
    tt = read_text_time(doc, title_len, cues, meta, rules)
    rx = _compiled_time_rules(det)
    mentions = find_mentions(doc, meetings, rules)
    passing = re.compile(det["passing_before"], re.I)
    contrast = rx.get("contrast_before")
    heading_cue = rx.get("heading_cue")
    heading_end = title_len + 2 + int(det.get("heading_chars", 400))
    cue_starts = [c.start for c in cues]

    # How each mention is framed: a passing or contrasting reference ("last year's ...", "unlike
    # at the 2013 plenum") is about another meeting than the article's.
    framed: list[bool] = []
    for mention in mentions:
        before = doc[max(0, mention.start - 60):mention.start]
        looks_back = bool(passing.search(before)) or bool(contrast is not None and contrast.search(before))
        if not looks_back and tt.floor_year is not None and mention.attrs.get("year", 9999) < tt.floor_year:
            looks_back = True  # "the 2019 Two Sessions" in a text that speaks of later years as past
        framed.append(looks_back)
    named = {mn.candidates[0].id for mn, back in zip(mentions, framed) if mn.specific and not back}

    scores: dict[str, float] = defaultdict(float)
    why: dict[str, list[str]] = defaultdict(list)
    unresolved: list[str] = []
    open_candidates: list[str] = []
    excluded_notes: dict[str, list[str]] = defaultdict(list)  # reason -> meetings
    inferred: dict[str, MeetingInfo] = {}
    decisive: dict[str, str] = {}
    all_cues = list(enumerate(cues))
    from bisect import bisect_left

    for mention, framed_passing in zip(mentions, framed):
        region_w, region = _region_weight(mention.start, title_len, det)
        s_start, s_end = _sentence_around(doc, mention.start, mention.end)
        # The mention's sentence, and dates just after it in the same paragraph that are not
        # told as past ("... was held in Beijing. It ran from October 20 to 23, 2025").
        paragraph_end = doc.find("\n\n", s_end)
        reach = min(s_end + 120, paragraph_end if paragraph_end != -1 else len(doc))
        lo, hi = bisect_left(cue_starts, s_start), bisect_left(cue_starts, max(s_end, reach))
        local = [(i, cues[i]) for i in range(lo, hi) if cues[i].start < s_end or tt.frames[i] != "past"]
        candidates = list(mention.candidates)
        # Dates stated right next to the mention that no candidate covers: a meeting the catalog lacks.
        dated = []
        for _i, c in local:
            if c.day is not None and c.month is not None and (c.year or tt.anchor):
                day = c.resolve(c.year) if c.year else nearest_day(c, tt.anchor)
                if day is not None:
                    dated.append((day, c.end_day))
        if dated and not any(m.contains(d, 3) for m in candidates for d, _e in dated):
            new = _infer_meeting(mention, dated[0][0], dated[0][1], meetings, rules, file)
            if new is not None:
                inferred[new.id] = new
                candidates = [new]
        phrase = mention.text.strip("'\"“”‘’ ")
        if not candidates:
            kind = mention.kind.replace("_", " ")
            unresolved.append(f"{phrase!r} names a {kind} meeting but the text states no date that dates it")
            continue
        weight = region_w * mention.weight
        local_full = any(c.year and c.day for _i, c in local)
        if len(candidates) == 1:
            chosen = candidates[0]
            how = "names it"
        else:
            weight *= det["generic_weight"]
            fits: dict[str, float] = {}
            for m in candidates:
                inside = any(c.year and c.day and m.contains(c.resolve(c.year) or m.start, 3) for _i, c in local)
                reason = _excluded(m, tt, det, inside)
                if reason is not None:
                    if m.id not in excluded_notes[reason]:
                        excluded_notes[reason].append(m.id)
                    continue
                fits[m.id] = ((10.0 if m.id in named else 0.0) + 2 * time_fit(m, local, tt, det, True)
                              + time_fit(m, all_cues, tt, det, False) + _publication_fit(m, tt, det))
            best = max(fits.values(), default=0.0)
            winners = [m for m in candidates if m.id in fits and fits[m.id] == best]
            if best <= 0 or len(winners) > 1:
                if best > 0:
                    unresolved.append(f"{phrase!r} could be {_ids(winners)}: the dates in the text fit them equally")
                    open_candidates.extend(m.id for m in winners)
                else:
                    left = [m for m in candidates if m.id in fits]
                    unresolved.append(f"{phrase!r} could be {len(left)} meetings ({_ids(left)}) and the text states no date that decides")
                continue
            chosen = winners[0]
            how = "named elsewhere in the article" if chosen.id in named else "the dates in the text fit"
        if not framed_passing and region != "title" and tt.floor_year is not None and chosen.end.year < tt.floor_year:
            framed_passing = True  # recalled: the text speaks of later years as past
        if framed_passing:
            weight *= det["passing_weight"]
        elif mention.start < heading_end and heading_cue is not None and heading_cue.search(doc[s_start:s_end]):
            decisive.setdefault(chosen.id, f"{phrase!r} in the document's heading")
        scores[chosen.id] += weight
        label = f"{phrase!r} in the {region}" + (" (looking back)" if framed_passing else "")
        why[chosen.id].append(f"{label}: {how}")

    notes = "".join(f"; excluded {_ids(ids)}: {reason}" for reason, ids in excluded_notes.items())
    if len(decisive) == 1:
        best_id, label = next(iter(decisive.items()))
        meeting = inferred.get(best_id) or next(m for m in meetings if m.id == best_id)
        others = ", ".join(f"{mid} {score:.1f}" for mid, score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])) if mid != best_id)
        reason = f"{label} names it (its delivery line, dateline or heading decides over meetings it mentions)" + (
            f" (others: {others})" if others else "")
        if meeting.inferred:
            reason = f"inferred meeting not in the catalog, dated by the article; {reason}"
        return Assignment(meeting.id, _stated_date(meta, cues, meeting), reason,
                          new_meeting=meeting if meeting.inferred else None)

    if not scores:
        reason = "no meeting named or implied"
        if unresolved:
            reason = "ambiguous: " + "; ".join(dict.fromkeys(unresolved)) + notes
        return Assignment(None, None, reason, candidates=tuple(dict.fromkeys(open_candidates)))
    ranking = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranking) > 1 and abs(ranking[0][1] - ranking[1][1]) < 1e-9:
        tied = [mid for mid, score in ranking if abs(score - ranking[0][1]) < 1e-9]
        return Assignment(None, None, f"ambiguous: {' and '.join(tied)} are equally prominent", candidates=tuple(tied))
    best_id = ranking[0][0]
    meeting = inferred.get(best_id) or next(m for m in meetings if m.id == best_id)
    details = "; ".join(dict.fromkeys(why[best_id]))
    others = ", ".join(f"{mid} {score:.1f}" for mid, score in ranking[1:4])
    reason = f"score {ranking[0][1]:.1f} from {details}" + (f" (others: {others})" if others else "") + notes
    if meeting.inferred:
        reason = f"inferred meeting not in the catalog, dated by the article; {reason}"
    return Assignment(meeting.id, _stated_date(meta, cues, meeting), reason, new_meeting=meeting if meeting.inferred else None)


def _stated_date(meta: dict, cues: list[TimeCue], meeting: MeetingInfo) -> dt.date | None:
    """The meeting date the article states: front matter, else the first stated date that falls
    within the meeting once its missing year is taken from the catalog ("On Oct. 19" -> 2017-10-19)."""
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
            phrase = f"{MONTH_NAMES[cue.month - 1]} {cue.day}"  # "mid-November" -> "November 15"
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
