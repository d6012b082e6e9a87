"""What an article is cited as: its outlet (`source`), its publication date and its URL.

Front matter says it best (`source`, `date`, `url`); an HTML page's own metadata comes next
(og:site_name, article:published_time, the canonical URL: read by trafilatura, whose dates are
htmldate's); last, the top of the text: an outlet named on a line of its own or in a dateline,
and the date of a byline or date line (rules.toml [citation]). The top is read before page
furniture is removed, since that is where furniture removal drops these lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .dates import parse_date
from .language import word_count

# Words a title-case name leaves in lower case ("Bank of China", "The Voice of America").
_SMALL_WORDS = {"a", "an", "and", "at", "de", "for", "in", "of", "on", "the", "to"}
# A line that ends like a sentence or a label is no outlet line.
_PROSE_END = re.compile(r"[.!?:;,\"”’。！？：；，]$")
_SENTENCE_END = re.compile(r"[.!?。！？]$")
_LIST_MARK = re.compile(r"^[•\-*#>\s]+")


@dataclass
class Citation:
    """How to cite one article; `how` says where each field was found (front matter, HTML
    metadata, the text), for the reader of `tracker show` and for tests."""

    source: str | None = None
    published: dt.date | None = None
    url: str | None = None
    how: dict[str, str] = field(default_factory=dict)
    outlet_line: str | None = None  # the line of the text that names the outlet (not article text)


@dataclass(frozen=True)
class _CitationRules:
    top_lines: int
    outlets: dict[str, str]  # casefolded -> as written
    not_outlets: frozenset[str]
    outlet_max_words: int
    byline_max_words: int
    date: re.Pattern
    dateline: re.Pattern | None
    bracketed: re.Pattern | None  # a known outlet in a dateline's brackets: "(Reuters) -"


@lru_cache(maxsize=8)
def _compile(
    top_lines: int,
    outlets: tuple[str, ...],
    not_outlets: tuple[str, ...],
    outlet_max_words: int,
    byline_max_words: int,
    date: str,
    dateline: str | None,
) -> _CitationRules:
    names = "|".join(re.escape(o) for o in sorted(outlets, key=len, reverse=True))
    bracketed = re.compile(rf"\(({names})\)\s*[-–—]", re.I) if outlets else None
    return _CitationRules(
        top_lines,
        {o.casefold(): o for o in outlets},
        frozenset(o.casefold() for o in not_outlets),
        outlet_max_words,
        byline_max_words,
        re.compile(date, re.I),
        re.compile(dateline, re.I) if dateline else None,
        bracketed,
    )


def citation_rules(rules: dict) -> _CitationRules:
    c = rules["citation"]
    return _compile(
        c["top_lines"],
        tuple(c["outlets"]),
        tuple(c["not_outlets"]),
        c["outlet_max_words"],
        c["byline_max_words"],
        c["date"],
        rules.get("detection", {}).get("dateline"),
    )


# ---------------------------------------------------------------- HTML metadata


def html_metadata(html: str) -> Citation:
    """The page's own metadata: og:site_name (or its publisher), the publication date it
    declares (article:published_time, JSON-LD, <time>: never a date guessed from the body
    text) and its canonical URL."""
    import trafilatura

    try:
        doc = trafilatura.extract_metadata(
            html, extensive=False, date_config={"extensive_search": False, "original_date": True}
        )
    except (ValueError, TypeError, AttributeError):  # a page lxml cannot make a tree of
        return Citation()
    found = Citation()
    if doc is None:
        return found
    if doc.sitename:
        found.source, found.how["source"] = str(doc.sitename).strip(), "HTML metadata"
    elif doc.title:
        outlet = _title_suffix(html, str(doc.title))
        if outlet:
            found.source, found.how["source"] = outlet, f"the page title's suffix ' | {outlet}'"
    if doc.date:
        published = parse_date(str(doc.date))
        if published is not None:
            found.published, found.how["date"] = published, "HTML metadata"
    if doc.url and re.match(r"https?://", str(doc.url)):
        found.url, found.how["url"] = str(doc.url).strip(), "HTML metadata"
    return found


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def _title_suffix(html: str, headline: str) -> str | None:
    """The outlet a page's <title> names after its headline, "Headline | Outlet" (or " - ",
    " — "): a short title-case name; None where the title is only the headline."""
    from html import unescape

    found = _TITLE.search(html[:20_000])
    if not found:
        return None
    title = " ".join(unescape(found.group(1)).split())
    headline = " ".join(headline.split())
    if not title.startswith(headline) or title == headline:
        return None
    suffix = re.match(r"\s+[|–—-]\s+(.+)$", title[len(headline) :])
    if not suffix:
        return None
    outlet = suffix.group(1).strip()
    return outlet if 1 <= len(outlet.split()) <= 4 and _title_case(outlet) and not _PROSE_END.search(outlet) else None


# ---------------------------------------------------------------- the top of the text


def _top_lines(text: str, count: int) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = _LIST_MARK.sub("", raw).strip()
        if line:
            lines.append(line)
            if len(lines) == count:
                break
    return lines


def _title_case(line: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'’.&-]*", line)
    return bool(words) and all(w[0].isupper() or w.casefold() in _SMALL_WORDS for w in words) and words[0][0].isupper()


def _headline(line: str) -> bool:
    """A line that reads like a headline: a few words, no end mark."""
    return 2 <= word_count(line) <= 25 and not re.search(r"[.!?。！？：:]$", line)


def outlet_at_top(lines: list[str], r: _CitationRules) -> tuple[str | None, str, str | None]:
    """The outlet a text names at its top, how it was found, and the line that is only its name:
    a line that is a known outlet (or a known outlet in a dateline's brackets), else the very
    first line when it is a short title-case name followed by the headline (section labels
    such as "China" or "Economy" between the two are passed over)."""
    for line in lines:
        name = r.outlets.get(line.strip(" |–—-").casefold())
        if name is not None:
            return name, f"known outlet {line!r} at the top of the text", line
        if r.bracketed is not None:
            found = r.bracketed.search(line)
            if found:
                return r.outlets[found.group(1).casefold()], "known outlet in the dateline", None
    # The headline may come after section labels ("China Insight", "China", headline).
    below = [line for line in lines[1:] if line.strip().casefold() not in r.not_outlets]
    if lines and below and r.outlet_max_words:
        first, second = lines[0], below[0]
        if (
            1 <= word_count(first) <= r.outlet_max_words
            and first.casefold() not in r.not_outlets
            and not _PROSE_END.search(first)
            and not r.date.search(first)
            and _title_case(first)
            and _headline(second)
            and word_count(second) > word_count(first)
        ):
            return first, f"short title-case line {first!r} above the headline", first
    return None, "", None


def date_at_top(lines: list[str], r: _CitationRules) -> tuple[dt.date | None, str]:
    """The date of a byline or date line near the top ("By Jane Doe | March 5, 2016",
    "Published: 5 March 2016", "BEIJING, March 5, 2016 (Reuters) -")."""
    for line in lines:
        dateline = r.dateline is not None and r.dateline.match(line) is not None
        if not dateline and (word_count(line) > r.byline_max_words or _SENTENCE_END.search(line)):
            continue  # a sentence of the article, not a byline
        found = r.date.search(line)
        if found:
            published = parse_date(found.group())
            if published is not None:
                return published, f"{'dateline' if dateline else 'byline or date line'} {line[:80]!r}"
    return None, ""


def text_citation(text: str, rules: dict) -> Citation:
    """What the top of a text (before furniture removal) says of its outlet and date."""
    r = citation_rules(rules)
    lines = _top_lines(text, r.top_lines)
    found = Citation()
    found.source, how, found.outlet_line = outlet_at_top(lines, r)
    if found.source:
        found.how["source"] = how
    found.published, how = date_at_top(lines, r)
    if found.published:
        found.how["date"] = how
    return found


# ---------------------------------------------------------------- all together


def _front_matter_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return parse_date(value)
    return None


def read_citation(meta: dict, html: str | None, text: str, rules: dict) -> Citation:
    """Front matter first, then the HTML page's metadata (`html`: the page, for .html files),
    then the top of `text` (the body before page furniture is removed)."""
    layers = [html_metadata(html) if html else Citation(), text_citation(text, rules)]
    result = Citation()
    if meta.get("source"):
        result.source, result.how["source"] = str(meta["source"]).strip(), "front matter"
    published = _front_matter_date(meta.get("date"))
    if published is not None:
        result.published, result.how["date"] = published, "front matter"
    if meta.get("url"):
        result.url, result.how["url"] = str(meta["url"]).strip(), "front matter"
    result.outlet_line = layers[1].outlet_line
    for layer in layers:
        if result.source is None and layer.source:
            result.source, result.how["source"] = layer.source, layer.how["source"]
        if result.published is None and layer.published:
            result.published, result.how["date"] = layer.published, layer.how["date"]
        if result.url is None and layer.url:
            result.url, result.how["url"] = layer.url, layer.how["url"]
    return result


def compact(source: str | None, published: str | dt.date | None) -> str:
    """The short form a table shows: "Reuters, 2016-03-05" (either part may be missing)."""
    day = published.isoformat() if isinstance(published, dt.date) else published
    return ", ".join(part for part in (source, day) if part)


def without_line(text: str, line: str | None) -> str:
    """`text` without its first line that reads `line` (the outlet's name: not article text)."""
    if not line:
        return text
    lines = text.split("\n")
    for i, raw in enumerate(lines):
        if _LIST_MARK.sub("", raw).strip() == line:
            return "\n".join(lines[:i] + lines[i + 1 :])
    return text
