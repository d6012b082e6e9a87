"""Dates: the dates and parts of dates an article states (time cues), the meeting date it
states, and reading a date a person types or front matter gives. How a text places itself in
time (what its dates are about, when it was published) is tracker/text_time.py.

dateparser reads full date phrases; the regular expressions here find where a text states one.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .language import fold_width, has_cjk
from .regexscan import find_places, finditer_at, fold, literal_prefixes, starts_scanner

if TYPE_CHECKING:
    from .meetings import MeetingInfo

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_PART_DAY = {"early": 5, "mid": 15, "late": 25}

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# ---------------------------------------------------------------- Chinese numerals

# Years are written digit by digit (二〇一五), other numbers with tens (十二, 二十一).
_ZH_DIGITS = dict(zip("〇零○一二两三四五六七八九", (0, 0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9)))
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_NUMERAL = re.compile(f"[{''.join(_ZH_DIGITS)}{''.join(_ZH_UNITS)}]+")


def chinese_number(text: str) -> int | None:
    """The number a numeral states: digits (12, １２), Chinese digits one by one (二〇一五) or a
    Chinese number with tens and hundreds (十二, 二十一, 一百零一); a leading 第 (ordinal) is
    dropped. None when `text` is not a numeral."""
    text = text.strip().removeprefix("第")
    if text.isdecimal():
        return int(text)
    if not _ZH_NUMERAL.fullmatch(text):
        return None
    if not any(ch in _ZH_UNITS for ch in text):
        return int("".join(str(_ZH_DIGITS[ch]) for ch in text))
    total = digit = 0
    for ch in text:
        if ch in _ZH_UNITS:
            total += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        else:
            digit = _ZH_DIGITS[ch]
    return total + digit


def chinese_numeral(n: int) -> str:
    """`n` (1 to 99) as a Chinese number: 3 -> 三, 12 -> 十二, 20 -> 二十, 21 -> 二十一."""
    digits = "〇一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(f"{n} is outside 1-99")
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("" if tens == 1 else digits[tens]) + "十") + (digits[ones] if ones else "")


def _number(text: str) -> int:
    """A number a date pattern captured, in digits or Chinese numerals."""
    value = chinese_number(text)
    if value is None:
        raise ValueError(f"not a number: {text!r}")
    return value


# Parts of Chinese dates: 2015年3月5日, 二〇一五年三月五日; the day may end in 号.
_ZH_YEAR = r"(?:(?:19|20)\d\d|[一二][〇零○九][〇零○一二三四五六七八九]{2})"
_ZH_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_ZH_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_ZH_TO = r"(?:至|到|-|–|—|－|~|～)"
_FULL_WIDTH_DIGIT = re.compile("[０-９]")


# ---------------------------------------------------------------- a date a person types or front matter gives


def parse_date(text: str) -> dt.date | None:
    """A full date (day, month and year). A partial one ("March 2031", "2031") is None: dateparser
    would fill the missing day or month from today's date, so the answer would change daily."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if has_cjk(text):
        chinese = _CHINESE_DATE_SPEC.match(fold_width(text))
        if chinese is None:
            return None
        try:
            return dt.date(*(_number(chinese.group(k)) for k in ("year", "month", "day")))
        except ValueError:
            return None
    if not re.search(r"\d", text):
        return None
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


_MONTH_SPEC = re.compile(
    rf"\A(?:(?P<month>(?:{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?),?\s+(?P<year>(?:19|20)\d\d)"
    r"|(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>0?[1-9]|1[0-2])"
    rf"|(?P<zh_year>{_ZH_YEAR})\s*年\s*(?P<zh_month>{_ZH_MONTH})\s*月份?)\Z",
    re.I,
)
_CHINESE_DATE_SPEC = re.compile(
    rf"\A(?P<year>{_ZH_YEAR})\s*年\s*(?P<month>{_ZH_MONTH})\s*月\s*(?P<day>{_ZH_DAY})\s*[日号]\Z"
)


def parse_month(text: str) -> tuple[int, int] | None:
    """(year, month) of "July 2024", "Jul. 2024", "2024-07" or "2024年7月"; None for anything else."""
    match = _MONTH_SPEC.match(fold_width(text.strip()))
    if not match:
        return None
    if match.group("zh_year"):
        return _number(match.group("zh_year")), _number(match.group("zh_month"))
    if match.group("iso_year"):
        return int(match.group("iso_year")), int(match.group("iso_month"))
    return int(match.group("year")), MONTHS[match.group("month").rstrip(".").lower()]


# ---------------------------------------------------------------- dates stated in a text


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
    re.compile(
        rf"\b(?P<month>{_MONTH})\s+{_DAY}\s*(?:-|–|—|to|until|through|and)\s*(?P<end_day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"
    ),
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
    # Chinese dates (a CJK character next to a digit is no word boundary: lookarounds instead).
    # 2015年3月5日 / 二〇一五年三月五日 / 2025年10月20日至23日
    re.compile(
        rf"(?<!\d)(?P<year>{_ZH_YEAR})\s*年\s*(?P<month_num>{_ZH_MONTH})\s*月\s*(?P<day>{_ZH_DAY})\s*[日号]"
        rf"(?:\s*{_ZH_TO}\s*(?P<end_day>{_ZH_DAY})\s*[日号])?"
    ),
    # 2015年3月
    re.compile(rf"(?<!\d)(?P<year>{_ZH_YEAR})\s*年\s*(?P<month_num>{_ZH_MONTH})\s*月"),
    # 3月5日, 3月5日至15日
    re.compile(
        rf"(?<!\d)(?P<month_num>{_ZH_MONTH})\s*月\s*(?P<day>{_ZH_DAY})\s*[日号]"
        rf"(?:\s*{_ZH_TO}\s*(?P<end_day>{_ZH_DAY})\s*[日号])?"
    ),
    # 3月, 7月份
    re.compile(rf"(?<!\d)(?P<month_num>{_ZH_MONTH})\s*月"),
    # 2015年, 二〇一五年 (not 1990年代, a decade), and the first year of a span "2016—2020年"
    re.compile(rf"(?<!\d)(?P<bare_year>{_ZH_YEAR})(?:\s*年(?!代)|(?=\s*{_ZH_TO}\s*(?:19|20)\d\d\s*年))"),
    # a bare year
    re.compile(r"\b(?P<bare_year>(?:19|20)\d\d)\b"),
]


# The Chinese patterns: tried only on texts with CJK characters (their matches need 年, 月 or 日).
_CHINESE_PATTERNS = frozenset(i for i, p in enumerate(_TIME_PATTERNS) if re.search("[年月日]", p.pattern))


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
        candidates: set[int] = set()
        for month in months:
            space = month
            while space > 0 and text[space - 1].isspace():  # str.isspace is re's \s
                space -= 1
            if space < month:
                candidates.update(space - n for n in lengths if space >= n)
        return finditer_at(pattern, text, sorted(candidates))

    return find


def find_time_cues(text: str, rules: dict, chinese: bool | None = None) -> list[TimeCue]:
    """The dates and parts of dates `text` states; `chinese`: whether it has CJK characters
    (None: find out), which its Chinese dates need."""
    ignored_before = re.compile(rules["detection"]["year_ignored_before"], re.I)
    cues: list[TimeCue] = []
    # The spans taken so far: they never overlap, so sorted by start they are sorted by end
    # too, and the one a match could overlap is found by bisection (a scan of every span taken
    # cost time in the square of the cues: minutes for a long text full of years).
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    if chinese is None:
        chinese = has_cjk(text)
    if chinese and _FULL_WIDTH_DIGIT.search(text):
        text = fold_width(text)  # ２０１５年 as 2015年 (same length: offsets keep their meaning)
    folded = fold(text)
    starts: dict = {}  # places of month names and years, shared by the patterns that start with them
    for index, find in enumerate(_time_finders()):
        if not chinese and index in _CHINESE_PATTERNS:
            continue  # they need 年, 月 or 日
        for match in find(text, folded, starts=starts):
            after = bisect_right(taken_ends, match.start())  # the first span ending after the match starts
            if after < len(taken_starts) and taken_starts[after] < match.end():
                continue
            groups = match.groupdict()
            if groups.get("bare_year"):
                if ignored_before.search(text[max(0, match.start() - 40) : match.start()]):
                    continue  # "Smart Harbours 2038", "by 2037"
                cue = TimeCue(match.start(), match.end(), match.group(), _number(groups["bare_year"]), None, None)
            else:
                if groups.get("month_num"):
                    month = _number(groups["month_num"])
                else:
                    month = MONTHS[groups["month"].rstrip(".").lower()]
                if not 1 <= month <= 12:
                    continue  # "2024-13-01" names no month: no date, not a failed run
                day = groups.get("day")
                day = _number(day) if day else _PART_DAY.get((groups.get("part") or "").lower())
                year = _number(groups["year"]) if groups.get("year") else None
                end_day = _number(groups["end_day"]) if groups.get("end_day") else None
                cue = TimeCue(match.start(), match.end(), match.group(), year, month, day, end_day)
            cues.append(cue)
            taken_starts.insert(after, match.start())
            taken_ends.insert(after, match.end())
    cues.sort(key=lambda c: c.start)
    return cues


# ---------------------------------------------------------------- the meeting date an article states


def stated_date(meta: dict, cues: list[TimeCue], meeting: MeetingInfo) -> dt.date | None:
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
        if has_cjk(cue.text):  # a Chinese date states its numbers plainly: no phrase to read
            day = cue.resolve(meeting.start.year)
            if day is not None and meeting.contains(day, slack_days=7):
                return day
            continue
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

    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"},
    )
    return parsed.date() if parsed else None


def warm_up_dates() -> None:
    """Load dateparser's language data now (about 0.15 s): worker processes forked afterwards
    share it instead of each loading it again."""
    _dateparser_date("1 March 2024", dt.datetime(2024, 1, 1))
