"""The options of rules.toml: reading article files ([ingest], [furniture]) and telling which
meeting an article is about ([detection]). Patterns are Python regular expressions, matched
case-insensitively unless they say otherwise with (?-i:...)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import Field, field_validator, model_validator

from ..meetings import ATTR_KEYS
from ..mentions import ORD_PATTERN
from .validation import OPEN_END, Pattern, RuleTable


class IngestTable(RuleTable):
    """[ingest]: which files are articles and how they are decoded."""

    max_bytes: int
    """Files bigger than this (bytes) are skipped with a message."""
    extensions: list[str]
    """File name endings read as articles (".txt", ".md", ".html", ...)."""
    encodings: list[str] = ["utf_8", "cp1252", "gb18030", "big5", "shift_jis", "latin_1"]
    """Codecs tried, in this order, when a file is not UTF-8."""
    source_kinds: dict[str, list[str]] = {}
    """For each source kind (official, readout, news), the words (lower case) of front matter
    `kind:` that name it. Without `kind:` the kind is detected from the text."""
    max_chars: dict[str, int] = {"title": 500, "meeting": 300, "date": 100, "source": 300, "url": 2000, "kind": 100}
    """The longest value (characters) of each front matter key: a file whose front matter gives
    a longer one is skipped with a message (they are stored, shown and echoed in messages). A
    title found in the text is cut to the `title` length."""
    max_sentences: int = Field(default=5_000, ge=1)
    """An article with more sentences than this is skipped with a message: every sentence is
    judged and compared with the others of its meeting, so one file must not bring tens of
    thousands (a full Government Work Report has about 700)."""
    max_sentence_chars: int = Field(default=10_000, ge=1)
    """A "sentence" longer than this (characters) is not a commitment candidate: it is kept in
    the text but not run through the commitment rules nor compared (the longest real one is
    about 1,600)."""
    max_markup_elements: int = Field(default=20_000, ge=1)
    """An HTML or Markdown file with more markup than this is skipped with a message: start
    tags in HTML (also the HTML a Markdown file renders to); inline markup characters
    (``*``, ``_``, ``[``, ``]``, backticks, ``<``, ``>``) and lines in Markdown. Each costs the
    parsers hundreds of bytes to a few kilobytes, whatever its own size (a news page has a few
    thousand tags)."""
    follow_symlinks_outside: bool = False
    """Read symlinks whose target lies outside the articles folder. Off, such a link is skipped
    with a message, so that a link to /etc/passwd is never read nor published: turn it on only
    for a folder whose links you trust."""


class FurnitureTable(RuleTable):
    """[furniture]: page furniture (menus, bylines, captions, subscribe boxes) dropped from the text."""

    lines: list[Pattern] = []
    """A whole line one of these finds (searching the stripped line) is page furniture: dropped."""
    end_markers: list[Pattern] = []
    """A line one of these finds ends the article: bios, subscribe boxes and related links follow."""
    max_nav_words: int = 2
    """Lines of at most this many words without sentence punctuation are navigation labels,
    unless they are the headline."""


class CitationTable(RuleTable):
    """[citation]: what an article is cited as when its front matter or HTML metadata does not
    say: the outlet named at the top of its text and the date of its byline or dateline."""

    top_lines: int = 6
    """How many non-empty lines at the top of a text (before page furniture is removed) may
    name its outlet or carry its byline date."""
    outlets: list[str] = []
    """Known outlets: a top line that is one of these (case-insensitive), or one in brackets in
    a dateline ("BEIJING, March 5 (Reuters) -"), is the article's source."""
    not_outlets: list[str] = []
    """Section and navigation labels that are never an outlet ("China", "Politics")."""
    outlet_max_words: int = 4
    """The general rule: a title-case line of at most this many words at the very top, followed
    by the headline, is the outlet (0 turns the rule off)."""
    byline_max_words: int = 14
    """A top line of at most this many words that states a full date is a byline or date line:
    that date is the article's (a dateline, "BEIJING, March 5, 2031 (Wire) -", counts whatever
    its length)."""
    date: Pattern = r"(?!)"
    """A full date in a byline, date line or dateline (read by dateparser)."""


class Recognizer(RuleTable):
    """[[detection.recognizer]]: a phrase that names a kind of meeting."""

    kind: str
    """The kind of meeting the phrase names (party_congress, plenum, two_sessions, ...)."""
    pattern: Pattern
    """The phrase. ORD stands for an ordinal in digits or words (20th, Third); named groups
    congress, cc, plenum, npc, npc_session, year and month capture the numbers it states."""
    weight: float = 1.0
    """How much one mention counts (a weak cue such as "the communique": less than 1)."""

    @field_validator("pattern")
    @classmethod
    def _groups_are_known(cls, pattern: str) -> str:
        try:
            groups = re.compile(pattern.replace("ORD", ORD_PATTERN)).groupindex
        except re.error as exc:
            raise ValueError(f"with ORD filled in, not a valid regular expression ({exc})") from None
        if unknown := sorted(set(groups) - set(ATTR_KEYS)):
            raise ValueError(f"unknown group(s) {', '.join(unknown)} (known: {', '.join(ATTR_KEYS)})")
        return pattern


class OfficeHolder(RuleTable):
    """[[detection.officeholder]]: an office holder and the term (read with officeholder_pattern)."""

    name: str
    """The office holder's name as texts write it ("Li Qiang")."""
    role: Pattern = "premier"
    """The office, a pattern filling ROLE in officeholder_pattern."""
    from_: dt.date = Field(alias="from")
    """First day of the term (a date, YYYY-MM-DD without quotes)."""
    to: dt.date = OPEN_END
    """Last day of the term (default: still in office)."""


class ChineseReading(RuleTable):
    """[detection.chinese]: for Chinese texts (language zh), patterns that replace the [detection]
    patterns of the same name (those not given stay). Chinese puts the year before the words that
    frame it, has no tense and no space after its punctuation."""

    passing_before: Pattern | None = None
    """Text right before a mention that frames it as looking back (贯彻落实党的十八大精神)."""
    passing_after: Pattern | None = None
    """Text right after a mention that frames it as looking back (十八大以来, 三中全会精神)."""
    heading_cue: Pattern | None = None
    """A delivery line or lead cue (我代表国务院，向大会报告政府工作; 开幕, 闭幕)."""
    year_ignored_before: Pattern | None = None
    """Text before a year that makes it no date (到2020年: a deadline)."""
    target_before: Pattern | None = None
    """Text before a year that makes it a target year."""
    target_after: Pattern | None = None
    """Text after a year that makes it a target year (2015年工作总体部署)."""
    period_before: Pattern | None = None
    """Text before the last year of a span (2016—2020年)."""
    period_after: Pattern | None = None
    """Text after the first year of a span."""
    past_before: Pattern | None = None
    """Text before a year that puts it in the past (截至2014年底)."""
    past_after: Pattern | None = None
    """Text after a year that puts it in the past (2013年以来, 与2014年相比)."""
    future_clause: Pattern | None = None
    """Words of a clause about the future (将, 要, 力争, 今年)."""
    past_clause: Pattern | None = None
    """Words of a clause about the past (了, 已经, 去年)."""
    deadline: Pattern | None = None
    """A deadline (到2020年; group `year`)."""
    review_start: Pattern | None = None
    """Where a review of past years starts (一、2014年工作回顾; group `year`)."""
    review_end: Pattern | None = None
    """Where it ends (二、, 今年，)."""


class DetectionTable(RuleTable):
    """[detection]: which meeting an article is about. Mentions count by where they stand and how
    they are framed; dates, years, the publication date and office holders decide between candidates."""

    # ---- where a mention stands and how it is framed
    title_weight: float
    """How much a mention in the title counts."""
    lead_weight: float
    """How much a mention in the lead (the first lead_chars characters) counts."""
    body_weight: float
    """How much a mention further down counts."""
    lead_chars: int
    """Length of the lead, in characters after the title."""
    passing_weight: float
    """Factor for a mention framed as looking back ("last year's Third Plenum")."""
    passing_before: Pattern
    """Text right before a mention that frames it as looking back."""
    passing_after: Pattern | None = None
    """Text right after a mention that frames it as looking back. Off when absent."""
    contrast_before: Pattern | None = None
    """Text before a mention the article contrasts itself with ("unlike at the 2013 plenum"):
    it counts like one looking back. Off when absent."""
    generic_weight: float
    """Factor for a generic mention ("Third Plenum") towards each meeting it could mean."""
    heading_chars: int = 400
    """A document's own heading, dateline or delivery line stands within this many characters
    after the title ..."""
    heading_cue: Pattern | None = None
    """... in a sentence with one of these cues ("delivered at", "held from"): it decides over
    the meetings the text mentions. Off when absent."""

    # ---- dates and years stated in the text
    date_inside_weight: float
    """A full date inside the meeting ("March 9, 2031")."""
    month_year_weight: float
    """The meeting's month and year ("March 2031")."""
    month_weight: float
    """The meeting's month alone ("in March", "mid-November")."""
    day_weight: float
    """A day of the candidate's year inside it ("On Oct. 21"). Default: month_weight."""
    year_weight: float
    """A year told neither as past nor as a target ("2031")."""
    year_ignored_before: Pattern
    """Text before a year that makes it a name or a deadline, not a date ("Vision 2040", "by 2037")."""
    target_before: Pattern | None = None
    """Text before a year that makes it a target year ("a growth target of around 4% for 2031")."""
    target_after: Pattern | None = None
    """Text after a year that makes it a target year (a language that puts the year first)."""
    period_before: Pattern | None = None
    """Text before a year that makes it the end of a span ("2036-2040"): it says nothing of the text's time."""
    period_after: Pattern | None = None
    """Text after a year that makes it the start of a span, read like any other year."""
    past_before: Pattern | None = None
    """Text before a year that puts it in the past ("since 2017", "compared with ... in 2026")."""
    past_after: Pattern | None = None
    """Text after a year that puts it in the past (a language that puts the year first)."""
    future_clause: Pattern | None = None
    """Otherwise a clause in the future makes the year a target year ..."""
    past_clause: Pattern | None = None
    """... and one in the past tense makes it past."""
    target_year_weight: float = 2.0
    """A target year counts this much for the meeting that sets that year's targets."""
    next_year_from_month: int = 10
    """A meeting held in this month or later sets the targets of the next year."""
    boundary_end_before: Pattern | None = None
    """Text before a day that makes it the meeting's last day ("ends on March 12th")."""
    boundary_start_before: Pattern | None = None
    """Text before a day that makes it the meeting's first day ("opened on March 5")."""
    boundary_weight: float = 2.0
    """What a first or last day that fits counts."""
    weekday_before: Pattern | None = None
    """A weekday before a date ("Thursday, March 5", group `weekday`): only years where it fits count."""
    weekday_weight: float = 1.0
    """What a weekday that fits counts."""
    deadline: Pattern | None = None
    """A deadline ("by 2029"; group `year`): it counts for the meetings of the deadline_horizon years before it."""
    deadline_horizon: int = 6
    """How many years before a deadline a meeting may set it."""
    deadline_weight: float = 0.5
    """What a deadline counts for each of those meetings."""
    review_start: Pattern | None = None
    """Where an annual report starts reviewing past years ("I. Review of Our Work in 2030"; group
    `year`, the year reviewed, if it names one). Off when absent."""
    review_end: Pattern | None = None
    """Where that review ends (the next numbered heading, a paragraph turning to this year);
    without one it runs to the end of the text. Its dates are past, and the text is of the year
    after the one it reviews (the heading's, else the latest its review states)."""
    own_year_weight: float = 2.0
    """What a meeting held in the text's own year (the year after the one it reviews) gains."""

    # ---- the publication date
    dateline: Pattern | None = None
    """A dateline near the top ("BEIJING, March 5, 2031 (Wire) -", "Published: 9 December 2030");
    groups month, day, year (or month2, day2, year2). Front matter `date` comes first."""
    dateline_chars: int = 300
    """How far after the title a dateline is looked for."""
    dateline_yearless: Pattern | None = None
    """A dateline without a year ("BEIJING, March 5 (Wire) -"): its day is the first weekday
    the lead names (lead_weekday), which only some years fit."""
    lead_weekday: Pattern | None = None
    """A weekday named in the lead ("on Thursday"; group `weekday`)."""
    preview_days: int = 21
    """Meetings starting more than this many days after the publication date are out ..."""
    recent_days: int = 45
    """... and those it falls in (from preview_days before to recent_days after) gain published_weight."""
    published_weight: float = 3.0
    """What a publication date inside that window counts."""

    # ---- office holders
    officeholder_pattern: Pattern | None = None
    """How texts name an office holder in office; ROLE and NAME are filled in from each
    [[detection.officeholder]]. Group mod (or mod2) catches "outgoing", "incoming", "former"."""
    officeholder: list[OfficeHolder] = []
    """Office holders and their terms: a text that names one in office is written during the term."""

    # ---- recognisers and names
    kind_priority: list[str] = []
    """When a date or month fits several meetings (`tracker show "July 2024"`), the first kind here wins."""
    anchor: Pattern = r"(?s:.)"
    """Recognisers and catalog aliases are tried only near these words (speed only). Default: everywhere."""
    anchor_window: int = 160
    """How near (characters)."""
    chinese: ChineseReading = ChineseReading()
    """Patterns that replace those above for Chinese texts ([detection.chinese])."""
    recognizer: list[Recognizer] = Field(min_length=1)
    """Recognisers: phrases that name a kind of meeting, with the numbers they state."""
    inferred_names: dict[str, str] = {}
    """For each kind, the name of a meeting inferred from articles (not in the catalog). Fields:
    {congress_th}, {plenum_word}, {cc_th}, ... from the recogniser; {year}, {date}, {mm},
    {month_name}, {day} from the date the article states."""
    inferred_ids: dict[str, str] = {}
    """For each kind, the id of an inferred meeting (the same fields)."""

    @model_validator(mode="before")
    @classmethod
    def _day_weight_defaults_to_month_weight(cls, data: Any) -> Any:
        if isinstance(data, dict) and "day_weight" not in data and "month_weight" in data:
            return {**data, "day_weight": data["month_weight"]}
        return data

    @model_validator(mode="after")
    def _officeholders_fill_the_pattern(self) -> DetectionTable:
        pattern = self.officeholder_pattern
        for number, holder in enumerate(self.officeholder if pattern else [], 1):
            assert pattern is not None
            filled = pattern.replace("NAME", re.escape(holder.name)).replace("ROLE", holder.role)
            try:
                re.compile(filled)
            except re.error as exc:
                raise ValueError(
                    f"officeholder_pattern with officeholder #{number} ({holder.name}) filled in "
                    f"is not a valid regular expression ({exc})"
                ) from None
        return self


class RulesFile(RuleTable):
    """rules.toml."""

    ingest: IngestTable
    furniture: FurnitureTable = FurnitureTable()
    citation: CitationTable = CitationTable()
    detection: DetectionTable
