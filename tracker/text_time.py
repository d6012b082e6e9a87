"""How a text places itself in time (TextTime), as an analyst reads it: what each date it
states is about (a target, the future, the past, the end of a span), the latest past year (a
floor), its publication date (front matter or dateline), what a date without a year is read
against, the weekdays and meeting boundaries named with its dates, its deadlines, the office
holders it names in office, and the year it is of when it reviews the year before (an annual
report). The dates themselves are found by tracker/dates.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .dates import MONTHS, TimeCue, parse_date
from .regexscan import fold, starts_scanner, text_gate

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
    own_year: int | None = None  # the year after the one its review speaks of (see _reviews)


@lru_cache(maxsize=16)
def _time_rules(items: tuple[tuple[str, str], ...]) -> dict[str, re.Pattern]:
    return {key: re.compile(pattern, re.I) for key, pattern in items}


TIME_RULE_KEYS = (
    "target_before",
    "target_after",
    "past_before",
    "past_after",
    "future_clause",
    "past_clause",
    "period_before",
    "period_after",
    "boundary_start_before",
    "boundary_end_before",
    "weekday_before",
    "dateline",
    "heading_cue",
    "contrast_before",
    "dateline_yearless",
    "lead_weekday",
    "deadline",
    "review_start",
    "review_end",
    "passing_after",
)


def compiled_time_rules(det: dict) -> dict[str, re.Pattern]:
    return _time_rules(tuple((k, det[k]) for k in TIME_RULE_KEYS if det.get(k) is not None))  # None: off


# A sentence (clause) ends at . ! ? ; (and , : ( ) — for a clause) before a space, at a line end,
# or around a dash between spaces. Chinese punctuation ends one without a space after it; read in
# matching form (tracker.language), a full-width mark is its half-width one right after a Chinese
# character. Each pattern starts with a class of the characters a boundary starts with, so re
# skips to them at C speed.
_BOUNDARY = re.compile(r"[.!?;。！？；\n](?:(?<=[.!?;])(?=\s|$)|(?<=[\u3400-\u9fff][!?;])|(?<=[。！？；\n]))")
_COMMA_BOUNDARY = re.compile(
    r"[.!?;,:()\u2014\s。！？；，：、（）]"
    r"(?:(?<=[.!?;,:()\u2014])(?=\s|$)|(?<=\n)|(?<=\s)[\u2013\u2014-]\s|(?<=[。！？；，：、（）])|(?<=[\u3400-\u9fff][!?;,:()]))"
)


def _clause_bounds(
    doc: str, start: int, end: int, limit: int = 160, boundary: re.Pattern = _BOUNDARY
) -> tuple[int, int]:
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
    head = doc[: title_len + det["dateline_chars"]]
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


def _reviews(doc: str, folded: str, rx: dict) -> list[tuple[int, int, int | None, str]]:
    """(start, end, year reviewed if the opening names it, opening) of each review of past years
    in `doc` ([detection] review_start to review_end, else to the end of the text)."""
    opening, closing = rx.get("review_start"), rx.get("review_end")
    if opening is None or not text_gate(opening)(folded):  # (an English text lacks its words)
        return []
    found: list[tuple[int, int, int | None, str]] = []
    for match in opening.finditer(doc):
        if found and match.start() < found[-1][1]:
            continue  # inside the review before
        end = closing.search(doc, match.end()) if closing is not None else None
        year = match.groupdict().get("year")
        found.append((match.start(), end.start() if end else len(doc), int(year) if year else None, match.group()))
    return found


def read_text_time(doc: str, title_len: int, cues: list[TimeCue], meta: dict, rules: dict) -> TextTime:
    """Frames of the stated dates, the floor year, the publication date (see TextTime)."""
    det = rules["detection"]
    rx = compiled_time_rules(det)
    frames: list[str] = []
    weekdays: dict[int, int] = {}
    boundary: dict[int, str] = {}
    floor, floor_cue = None, ""
    folded = fold(doc)
    reviews = _reviews(doc, folded, rx)
    reviewed: dict[int, list[int]] = {i: [] for i in range(len(reviews))}  # review -> the years it states
    for index, cue in enumerate(cues):
        before = doc[max(0, cue.start - 80) : cue.start]
        after = doc[cue.end : cue.end + 30]
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
        elif "past_after" in rx and rx["past_after"].match(after):
            frame = "past"  # Chinese: 2013年以来
        elif "target_after" in rx and rx["target_after"].match(after):
            frame = "target"  # Chinese: 2015年工作总体部署
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
        within = next((i for i, (start, end, _y, _t) in enumerate(reviews) if start <= cue.start < end), None)
        if within is not None and frame != "period_end":
            frame = "past"  # a review of past years speaks of the past throughout
            if cue.year is not None:
                reviewed[within].append(cue.year)
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
        head = doc[: title_len + det["dateline_chars"]]
        line = yearless.search(head)
        if line:
            at = next((i for i, c in enumerate(cues) if c.start == line.end() and c.year is None and c.day), None)
            named = lead_weekday.search(doc, line.end(), title_len + int(det["lead_chars"]))
            if at is not None and named and at not in weekdays:
                weekdays[at] = WEEKDAYS.index(named.group("weekday").lower())
    # A review of year Y (its opening's year, else the latest year it states) is written in Y+1:
    # the years before Y+1 are past.
    own_year, opening = None, ""
    for i, (_start, _end, year, text) in enumerate(reviews):
        year = year or max(reviewed[i], default=None)
        if year is not None and (own_year is None or year + 1 > own_year):
            own_year, opening = year + 1, text.strip()
    if own_year is not None and (floor is None or own_year > floor):
        floor, floor_cue = own_year, opening
    deadlines = [int(m.group("year")) for m in _deadlines(rx, doc, folded)]
    published, how = _published(meta, doc, title_len, det, rx)
    offices = _offices(doc, det)
    # A date without a year ("in March", "on March 7th") is read against the publication date,
    # else against the latest date with a month and a year the text states ("As of March 2031").
    anchor = published
    if anchor is None:
        dated = [
            dt.date(c.year, c.month, min(c.day or 1, 28))
            for c, f in zip(cues, frames)
            if c.year and c.month and f not in ("target", "future", "period_end")
        ]
        anchor = max(dated, default=None)
    if anchor is None and own_year is not None:
        anchor = dt.date(own_year, 7, 1)  # any month, read as of the text's own year
    return TextTime(frames, floor, floor_cue, published, how, anchor, weekdays, boundary, offices, deadlines, own_year)


@lru_cache(maxsize=16)
def _scanner(pattern: re.Pattern):
    return starts_scanner(pattern)


def _deadlines(rx: dict, doc: str, folded: str) -> list[re.Match]:
    """The deadlines the text states, tried only where a match can start (regexscan)."""
    pattern = rx.get("deadline")
    if pattern is None:
        return []
    scan = _scanner(pattern)
    return scan(doc, folded) if scan is not None else list(pattern.finditer(doc))


def nearest_day(cue: TimeCue, anchor: dt.date) -> dt.date | None:
    """The occurrence of a yearless date ("March 7th", "mid-November") nearest to `anchor`."""
    best = None
    if cue.month is None:
        return None
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
        out.append((name, dt.date.fromisoformat(start), dt.date.fromisoformat(end), re.compile(pattern, re.I)))
    return out


def _offices(doc: str, det: dict) -> list[tuple[str, dt.date, dt.date, str]]:
    """Office holders the text names in office ("Premier Wen Jiabao", "the outgoing premier,
    Wen Jiabao"): the text is written during their term. [[detection.officeholder]] holds the terms."""
    holders, template = det["officeholder"], det["officeholder_pattern"]
    if not holders or not template:
        return []
    items = tuple((h["name"], str(h["from"]), str(h["to"]), h["role"]) for h in holders)
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
