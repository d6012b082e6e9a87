"""A fast rule-based sentence splitter that keeps character offsets.

Lines are the first unit: a bullet ("•", "-", "*", "1.", "(a)") or a heading (a short line
without end punctuation) never runs into the next line; items of a list run into a paragraph
after double hyphens ("--keep prices stable; --create jobs") are bullets too. Within a line, a boundary is end
punctuation (with any closing quotes or brackets) followed by space and a capital, digit or
opening quote, unless the word before it is a known abbreviation ("Oct.", "Dr.", "i.e."), an
initial ("J."), or a dotted acronym ("U.S.") followed by a word that does not start sentences.
In a line of Chinese, a sentence ends at 。！？ or ； (with any closing quotes or brackets), with
or without a space after it; a leading "——" marks a list item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .language import has_cjk, word_count

ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "mt",
    "gen",
    "gov",
    "sen",
    "rep",
    "col",
    "lt",
    "capt",
    "sgt",
    "rev",
    "hon",
    "pres",
    "vs",
    "v",
    "etc",
    "e.g",
    "i.e",
    "cf",
    "al",
    "approx",
    "no",
    "nos",
    "vol",
    "vols",
    "pp",
    "p",
    "fig",
    "figs",
    "ed",
    "eds",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "univ",
    "est",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "a.m",
    "p.m",
    "ph.d",
    "m.a",
    "b.a",
    "m.sc",
    "b.sc",
    "a.b",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "p.r.c",
    "d.c",
    "n.y",
    "l.a",
    "op",
    "cit",
    "ibid",
    "min",
    "max",
}
# Words that usually begin a sentence: after "U.S." they mean the sentence did end there.
SENTENCE_STARTERS = {
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "in",
    "on",
    "at",
    "but",
    "and",
    "however",
    "meanwhile",
    "moreover",
    "yet",
    "so",
    "as",
    "for",
    "a",
    "an",
    "while",
    "although",
    "there",
    "china",
    "beijing",
    "chinese",
    "if",
    "when",
    "after",
    "before",
    "since",
    "with",
}

_BULLET = re.compile(r"^[ \t]*(?:——|[•●▪◦‣∙·*]|(?:--?|[–—])(?=\s)|\(?\d{1,3}[.)](?=\s)|\(?[a-zA-Z][.)](?=\s))\s*")
_BOUNDARY = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.?$")
_NEXT_WORD = re.compile(r"[\"“‘'«(\[]?([A-Za-z]+)")
_SPACES = re.compile(r"\s*")
_END_PUNCT = re.compile(r"[.!?:;,\"”’)。！？：；，）」』]$")
_CJK_BOUNDARY = re.compile(r"[。！？；]+[”’」』）)\]]*|[.!?]+[\"”’」』）)\]]*(?=\s*[\u4e00-\u9fff“‘「])")
# A list run into its paragraph, each item after a double hyphen: "as follows: --keep growth
# stable; --create jobs;" (official translations). A dash between words ("a--b") is not one.
_INLINE_ITEM = re.compile(r"(?:(?<=\s)|^)--(?=[A-Za-z])|(?<=[:;.])\s+--\s+(?=[A-Z])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    kind: str  # "sentence", "bullet" or "heading"


def _is_heading(line: str) -> bool:
    if has_cjk(line):
        return 0 < word_count(line) <= 14 and not _END_PUNCT.search(line)
    words = line.split(None, 14)  # at most 15 parts: enough to tell "more than 14 words"
    return 0 < len(words) <= 14 and not _END_PUNCT.search(line)


def _is_boundary(line: str, dot: int, after: int) -> bool:
    """Is the end punctuation at line[dot] a sentence end? `after` is the next word's start."""
    if line[dot] != ".":
        return True
    match = _WORD_BEFORE.search(line, max(0, dot - 20), dot)
    if not match:
        return True
    word = match.group(1).lower().rstrip(".")
    next_word = _NEXT_WORD.match(line, after)
    next_lower = next_word.group(1).lower() if next_word else ""
    if len(word) == 1 and match.group(1).isupper():
        return False  # an initial: "J. Smith"
    if "." in word or word in {"u.s", "u.k", "u.n", "e.u"}:
        # Dotted acronym ("U.S.", "Ph.D."): a sentence ends only before a typical opener.
        return next_lower in SENTENCE_STARTERS
    if word in ABBREVIATIONS:
        return word == "etc" and next_lower in SENTENCE_STARTERS
    return True


def split_line(line: str, offset: int, kind: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    chinese = has_cjk(line)
    for match in (_CJK_BOUNDARY if chinese else _BOUNDARY).finditer(line):
        after = _SPACES.match(line, match.end()).end()  # type: ignore[union-attr]  # \s* always matches
        if not chinese and not _is_boundary(line, match.start(), after):
            continue
        piece = line[start : match.end()]
        text = piece.strip()
        if text:
            lead = len(piece) - len(piece.lstrip())
            sentences.append(Sentence(offset + start + lead, offset + match.end(), text, kind))
        start = after
    piece = line[start:]
    text = piece.strip()
    if text:
        lead = len(piece) - len(piece.lstrip())
        sentences.append(Sentence(offset + start + lead, offset + start + lead + len(text), text, kind))
    return sentences


def _item(text: str, offset: int) -> list[Sentence]:
    """A list item is its first sentence; what follows it on the line is prose again."""
    sentences = split_line(text, offset, "sentence")
    if not sentences:
        return []
    first, *rest = sentences
    return [Sentence(first.start, first.end, first.text, "bullet"), *rest]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences, bullet items and headings of `text`, with offsets into `text`."""
    result: list[Sentence] = []
    position = 0
    for raw_line in text.splitlines(keepends=True):
        line = raw_line.rstrip("\r\n")
        line_start = position
        position += len(raw_line)
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        items = list(_INLINE_ITEM.finditer(line))
        if items:
            lead = bullet.end() if bullet else 0
            if bullet:
                result.extend(_item(line[lead : items[0].start()], line_start + lead))
            else:
                result.extend(split_line(line[: items[0].start()], line_start, "sentence"))
            for item, end in zip(items, [*(m.start() for m in items[1:]), len(line)]):
                result.extend(_item(line[item.end() : end], line_start + item.end()))
        elif bullet and len(line) > bullet.end():
            result.extend(_item(line[bullet.end() :], line_start + bullet.end()))
        elif _is_heading(line.strip()):
            lead = len(line) - len(line.lstrip())
            result.append(Sentence(line_start + lead, line_start + lead + len(line.strip()), line.strip(), "heading"))
        else:
            result.extend(split_line(line, line_start, "sentence"))
    return result
