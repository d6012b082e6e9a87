"""Reading one article file: bytes -> decoded text -> front matter -> furniture stripped.

Everything after this module sees only the cleaned text; offsets of evidence sentences point
into `ParsedArticle.text`. Bad input raises `ArticleError` with a reason a person can read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .language import word_count
from .metadata import Citation, read_citation, without_line
from .regexscan import AnyOf

FRONT_MATTER_KEYS = {"title", "meeting", "date", "source", "url", "kind"}
_BLOCK_BREAK = "\n\n"
# A line ending in one of these is prose, not a label (Chinese marks included).
_SENTENCE_END = re.compile(r"[.!?:;,\"”’)。！？：；，）」』]$")


class ArticleError(Exception):
    """This file cannot be used; str(error) says why."""


@dataclass
class ParsedArticle:
    file: str  # path relative to the articles folder
    sha256: str
    encoding: str
    meta: dict
    title: str
    text: str
    warnings: list[str] = field(default_factory=list)
    declared_kind: str | None = None  # official, readout or news, from front matter `kind:`
    citation: Citation = field(default_factory=Citation)  # outlet, publication date, URL (tracker.metadata)


# ---------------------------------------------------------------- decoding


def decode(raw: bytes, encodings: list[str]) -> tuple[str, str]:
    """Text and the encoding used. Refuses binary files and text no common encoding fits."""
    if not raw.strip():
        raise ArticleError("empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ArticleError(f"broken UTF-16 ({exc.reason})") from exc
    # The whole file, not a sample: a NUL past the first block would reach the database,
    # and PostgreSQL refuses text containing U+0000 (failing the whole run).
    if b"\x00" in raw:
        raise ArticleError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: let charset-normalizer pick among the encodings an analyst allows.
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=encodings).best()
    if best is None or best.chaos > 0.2:
        raise ArticleError(f"not UTF-8, and none of {', '.join(encodings)} decodes it cleanly")
    return str(best), best.encoding


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    return len(_CONTROL.findall(sample)) / max(1, len(sample))


# ---------------------------------------------------------------- front matter

_FRONT_MATTER = re.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\r?\n(?P<body>.*?)^(?P=fence)[ \t]*\r?$\n?", re.S | re.M)


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML without aliases, and with timestamps left as text.

    An alias repeats what an anchor holds, so a few hundred bytes of aliases expand to
    gigabytes ("billion laughs"): front matter has no use for them, so they are refused. A
    timestamp that is no real date (`date: 2024-02-30`) would raise while the mapping is built;
    as text it is a title like any other, and `date` is checked on its own (`_front_matter_date`)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ArticleError("malformed front matter: YAML anchors and aliases (&name, *name) are not allowed")
        return super().compose_node(parent, index)


_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    yaml.SafeLoader.construct_yaml_str,  # type: ignore[type-var]  # the stubs expect the loader's own class
)


def _front_matter_date(value: str) -> dt.date | dt.datetime | str:
    """A YAML date as a date (YAML's own timestamp form); a date that does not exist is an
    ArticleError; anything else ("2024-03-05 morning") stays text, read as dates are in text."""
    if not yaml.SafeLoader.timestamp_regexp.match(value):
        return value
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(
            yaml.SafeLoader(""), yaml.ScalarNode("tag:yaml.org,2002:timestamp", value)
        )
    except ValueError as exc:
        raise ArticleError(f"front matter date {value[:40]!r} is not a real date ({exc})") from exc


_SURROGATE = re.compile("[\ud800-\udfff]")


def split_front_matter(text: str) -> tuple[dict, str]:
    """(metadata, rest). YAML between `---` lines or TOML between `+++` lines, both optional.

    python-frontmatter would do this, but its TOML handler needs the unmaintained `toml`
    package; PyYAML (without aliases) and the standard library's tomllib parse the block here.
    """
    if not text.startswith(("---", "+++")):
        return {}, text
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("+++") or re.match(r"\A---[ \t]*\r?\n", text):
            raise ArticleError("malformed front matter: opening fence without a closing one")
        return {}, text
    body = match.group("body")
    yaml_block = match.group("fence") != "+++"
    try:
        meta = yaml.load(body, Loader=_FrontMatterLoader) if yaml_block else tomllib.loads(body)  # noqa: S506
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise ArticleError(f"malformed front matter: {first}") from exc
    except (ValueError, OverflowError, RecursionError) as exc:  # an integer of 5,000 digits, 10,000 brackets
        raise ArticleError(f"malformed front matter: {exc.__class__.__name__}: {str(exc)[:100]}") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleError("malformed front matter: expected key: value pairs")
    meta = {str(k).lower(): v for k, v in meta.items()}
    for key, value in meta.items():
        # YAML's "\\ud800" escape gives a lone surrogate, which no database or terminal takes.
        if _SURROGATE.search(key) or (isinstance(value, str) and _SURROGATE.search(value)):
            raise ArticleError(f"malformed front matter: {key[:40]!r} holds a lone surrogate (an invalid \\u escape)")
    if yaml_block and isinstance(meta.get("date"), str):
        meta["date"] = _front_matter_date(meta["date"].strip())
    for key in ("title", "meeting", "source", "url", "kind"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            meta[key] = str(meta[key])
    return meta, text[match.end() :]


def _bound_fields(meta: dict, limits: dict[str, int]) -> None:
    """Refuse front matter whose values are longer than [ingest] max_chars allows: each is
    stored, shown on the site and echoed in messages."""
    for key, limit in limits.items():
        value = meta.get(key)
        if value is None or isinstance(value, dt.date):
            continue
        text = value if isinstance(value, str) else str(value)
        if len(text) > limit:
            raise ArticleError(
                f"front matter {key} is {len(text):,} characters long "
                f"(limit {limit:,}; see [ingest] max_chars in rules.toml)"
            )


# ---------------------------------------------------------------- markup to text


def html_to_text(html: str) -> tuple[str, str]:
    """(title, text) of an HTML page: scripts, navigation, headers and footers removed."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = ""
    if soup.title and soup.title.string:
        title = soup.title.string.strip()
    # The headline of an <article>/<main> often sits in its own <header>, removed below.
    container = soup.find("article") or soup.find("main")
    h1 = container.find("h1") if container is not None else None
    if h1 is not None:
        title = h1.get_text(" ", strip=True) or title
        h1.decompose()
    for tag in soup(
        ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "template"]
    ):
        tag.decompose()
    if h1 is None:
        h1 = soup.find("h1")
        if h1 is not None:
            title = h1.get_text(" ", strip=True) or title
            h1.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for li in soup.find_all("li"):
        li.insert(0, "• ")
    holders = _holding_blocks(soup)
    blocks = []
    for element in soup.find_all(["p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figcaption", "td"]):
        if id(element) in holders:
            continue  # the inner blocks carry the text
        # Inline markup (<a>, <b>) joins without added spaces: "a <a>link</a>." -> "a link."
        text = re.sub(r"\s+", " ", element.get_text()).strip()
        if text:
            blocks.append(text)
    if not blocks:  # a page without block markup: fall back to all its text
        blocks = [line.strip() for line in soup.get_text("\n").splitlines() if line.strip()]
    return title, _BLOCK_BREAK.join(blocks)


def _holding_blocks(soup) -> set[int]:
    """id() of the elements with a <p> or <li> inside (those for which element.find(["p", "li"])
    finds one), marked once from below rather than searched from above for every block."""
    holders: set[int] = set()
    for inner in soup.find_all(["p", "li"]):
        for parent in inner.parents:
            if id(parent) in holders:
                break  # its ancestors are marked already
            holders.add(id(parent))
    return holders


_START_TAG = re.compile(r"<[A-Za-z]")
_MARKDOWN_MARKS = re.compile(r"[*_\[\]`<>\n]")


def _bound_markup(count: int, what: str, limit: int) -> None:
    """Refuse a file with more markup than [ingest] max_markup_elements: the HTML and Markdown
    parsers spend hundreds of bytes to kilobytes on each element, however few bytes it takes in
    the file (`<p>` is three), so markup, not size, is what bounds their cost."""
    if count > limit:
        raise ArticleError(
            f"too much markup: {count:,} {what} (limit {limit:,}; see [ingest] max_markup_elements in rules.toml)"
        )


def html_to_text_bounded(html: str, limit: int) -> tuple[str, str]:
    """html_to_text, for a page of at most `limit` start tags (else an ArticleError)."""
    _bound_markup(len(_START_TAG.findall(html)), "HTML tags", limit)
    return html_to_text(html)


def markdown_to_text(markdown: str, limit: int | None = None) -> str:
    """The text of a Markdown document; with `limit`, refused (ArticleError) when it has more
    inline markup characters and lines, or renders to more HTML tags, than that."""
    from markdown_it import MarkdownIt

    if limit is not None:
        _bound_markup(len(_MARKDOWN_MARKS.findall(markdown)), "Markdown markup characters and lines", limit)
    html = MarkdownIt().render(markdown)
    _title, text = html_to_text(html) if limit is None else html_to_text_bounded(html, limit)
    return text


def _bound_sentences(text: str, limit: int) -> None:
    """Refuse a text of more sentences than [ingest] max_sentences: each is judged and compared
    with the others of its meeting."""
    from .sentences import split_sentences

    count = len(split_sentences(text))
    if count > limit:
        raise ArticleError(f"too many sentences: {count:,} (limit {limit:,}; see [ingest] max_sentences in rules.toml)")


# ---------------------------------------------------------------- furniture


@dataclass
class FurnitureRules:
    lines: re.Pattern | None  # all line patterns in one alternation
    end_markers: re.Pattern | None
    max_nav_words: int
    # Whether `lines` finds anything, asking each pattern only where its literals occur.
    lines_test: AnyOf | None = None


@lru_cache(maxsize=8)
def _compile_furniture(lines: tuple[str, ...], end_markers: tuple[str, ...], max_nav_words: int) -> FurnitureRules:
    def one(patterns):
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None

    combined = one(lines)
    test = AnyOf(combined, [f"(?:{p})" for p in lines]) if combined is not None else None
    return FurnitureRules(combined, one(end_markers), max_nav_words, test)


def furniture_rules(rules: dict) -> FurnitureRules:
    f = rules["furniture"]
    return _compile_furniture(tuple(f["lines"]), tuple(f["end_markers"]), f["max_nav_words"])


def is_navigation_line(line: str, max_words: int) -> bool:
    """Short label lines without sentence punctuation ("China", "Overview", site names)."""
    return 0 < word_count(line) <= max_words and not _SENTENCE_END.search(line)


def strip_furniture(text: str, rules: FurnitureRules) -> tuple[str, list[str]]:
    """Text without page furniture, and the lines removed (for `--why`-style reporting)."""
    kept: list[str] = []
    removed: list[str] = []
    seen: set[str] = set()
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            kept.append("")
            continue
        if rules.end_markers is not None and rules.end_markers.search(line):
            removed.append(line)
            break  # bios, subscribe boxes and related links follow: drop the rest
        key = line.casefold()
        if (
            (
                rules.lines is not None
                and (
                    rules.lines_test.found(line)
                    if rules.lines_test is not None
                    else rules.lines.search(line) is not None
                )
            )
            or is_navigation_line(line, rules.max_nav_words)
            or (key in seen and len(line) < 200)  # a title or caption repeated by the page
        ):
            removed.append(line)
            continue
        seen.add(key)
        kept.append(line)
    cleaned = re.sub(r"\n{3,}", _BLOCK_BREAK, "\n".join(kept)).strip()
    return cleaned, removed


def _looks_like_title(line: str) -> bool:
    """A headline: a few words, no end mark, not a numbered section heading ("一、…")."""
    return (
        2 <= word_count(line) <= 25
        and not re.search(r"[.!?。！？：:]$", line)
        and not re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", line)
    )


# ---------------------------------------------------------------- the whole file


def parse_article(raw: bytes, file: str, rules: dict) -> ParsedArticle:
    """Decode, read front matter, convert markup, strip furniture; raise ArticleError if unusable."""
    ingest_rules = rules["ingest"]
    text, encoding = decode(raw, ingest_rules["encodings"])
    if "\x00" in text:  # e.g. UTF-16 text that encodes NUL characters
        raise ArticleError("binary file (contains NUL characters)")
    if _control_ratio(text) > 0.01:
        raise ArticleError("binary file (control characters in the text)")
    warnings = []
    if encoding not in ("utf-8", "utf_8"):
        warnings.append(f"not UTF-8: decoded as {encoding}")
    meta, body = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    limits = ingest_rules["max_chars"]
    _bound_fields(meta, limits)
    unknown = sorted(set(meta) - FRONT_MATTER_KEYS)
    if unknown:
        shown = ", ".join(key[:40] for key in unknown[:8])
        if len(unknown) > 8:
            shown += f" and {len(unknown) - 8} more"
        warnings.append(f"front matter keys ignored: {shown}")

    declared = source_kind(meta.get("kind"), ingest_rules["source_kinds"])
    if meta.get("kind") and declared is None:
        known = ", ".join(sorted({n for names in ingest_rules["source_kinds"].values() for n in names}))
        warnings.append(
            f"front matter kind {str(meta['kind'])[:40]!r} is not a known source kind ({known}): "
            "the kind is detected from the text instead"
        )

    suffix = Path(file).suffix.lower()
    title = ""
    page = body if suffix in (".html", ".htm") else None
    markup_limit = ingest_rules["max_markup_elements"]
    if suffix in (".html", ".htm"):
        title, body = html_to_text_bounded(body, markup_limit)
    elif suffix == ".md":
        first = body.lstrip().splitlines()[0] if body.strip() else ""
        if first.startswith("# "):
            title = first[2:].strip()
            body = body.lstrip()[len(first) :]
        body = markdown_to_text(body, markup_limit)

    citation = read_citation(meta, page, body, rules)  # before furniture removal drops its lines
    cleaned, _removed = strip_furniture(without_line(body, citation.outlet_line), furniture_rules(rules))
    if not title:
        # The first line is the headline when it reads like one.
        first_line, _, rest = cleaned.partition("\n")
        if _looks_like_title(first_line.strip()):
            title, cleaned = first_line.strip(), rest.strip()
    if meta.get("title"):
        title = str(meta["title"]).strip()
    if not cleaned.strip():
        raise ArticleError("no article text left after removing page furniture")
    _bound_sentences(cleaned, ingest_rules["max_sentences"])
    title = (title or Path(file).stem)[: limits["title"]]  # a page's <title> or <h1> may be any length
    return ParsedArticle(
        file=file,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        meta=meta,
        title=title,
        text=cleaned,
        warnings=warnings,
        declared_kind=declared,
        citation=citation,
    )


def source_kind(value, kinds: dict[str, list[str]]) -> str | None:
    """The source kind a front matter `kind:` names (rules.toml [ingest.source_kinds])."""
    if not isinstance(value, str):
        return None
    wanted = " ".join(value.casefold().replace("-", " ").replace("_", " ").split())
    return next((kind for kind, names in kinds.items() if wanted in names), None)
