"""Mentions: where a text names a meeting, by a recogniser of rules.toml ("the Third Plenum
of the 20th Central Committee", with the numbers it states) or by a catalog name or alias, and
the meetings of the catalog each mention can be.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .dates import MONTHS, chinese_number
from .language import CJK_CHARACTER
from .regexscan import Gate, fold, gate_text, literal_alternation, starts_scanner

if TYPE_CHECKING:
    from .meetings import MeetingInfo

# How meetings are numbered: "the 20th Central Committee", "the Third Plenum".
ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
]
ORD_PATTERN = r"(?:\d{1,2}(?:st|nd|rd|th)|" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + ")"


def ordinal_value(text: str) -> int:
    """20th, Twentieth, and in Chinese 二十, 第二十 (numbered meetings: 第十二届, 四中全会)."""
    text = text.lower()
    digits = re.match(r"\d+", text)
    if digits:
        return int(digits.group())
    chinese = chinese_number(text)
    if chinese is not None:
        return chinese
    return ORDINAL_WORDS.index(text) + 1


def attr_value(key: str, text: str) -> int:
    """The number a recogniser group states: a year (2015, 二〇一五), a month (a name, 7 or 七),
    or an ordinal."""
    number = chinese_number(text)
    if key in ("year", "month") and number is not None:
        return number
    if key == "month":
        return MONTHS[text.rstrip(".").lower()]
    return ordinal_value(text)


def ordinal_suffix(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class Mention:
    """A place in the text that names a meeting, and the meetings of the catalog it can be."""

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
        out.append((kind, Gate(re.compile(p.replace("ORD", ORD_PATTERN), re.I)), w))
    return out


@lru_cache(maxsize=16)
def _alias_index(
    meetings: tuple[MeetingInfo, ...], anchor: str
) -> tuple[re.Pattern | None, re.Pattern | None, dict[str, tuple[MeetingInfo, ...]]]:
    """(pattern of aliases that contain an anchor word, pattern of those that do not, index)."""
    index: dict[str, list[MeetingInfo]] = defaultdict(list)
    for m in meetings:
        for alias in (m.name, *m.aliases, *m.names_zh):
            index[alias.casefold()].append(m)
    anchor_re = re.compile(anchor)
    anchored = sorted((a for a in index if anchor_re.search(a)), key=len, reverse=True)
    loose = sorted((a for a in index if not anchor_re.search(a)), key=len, reverse=True)

    def compile_(aliases):
        # The longest alias first, written as a trie that tries them in that order (faster in re).
        # A Chinese alias has no word boundary around it (在十九届四中全会上): it only must not
        # continue a number (2015年两会 in 12015年两会). It has no case either: as written, a trie.
        if not aliases:
            return None
        words = [a for a in aliases if not CJK_CHARACTER.search(a)]
        chinese = [a for a in aliases if CJK_CHARACTER.search(a)]
        parts = [r"\b" + literal_alternation([], words) + r"\b"] if words else []
        if chinese:
            parts.append(r"(?<!\d)" + literal_alternation(chinese, []))
        return re.compile("|".join(parts), re.I)

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
        tuple((r["kind"], r["pattern"], r["weight"]) for r in rules["detection"]["recognizer"])
    )
    det = rules["detection"]
    anchor = det["anchor"]
    windows = _anchor_windows(text, anchor, det["anchor_window"], fold(text))
    gated = [gate_text(text[start:end]) for start, end in windows]
    # A recogniser whose literals all windows together lack cannot match in any of them (most
    # recognisers, in a given text: those of the other language, of other kinds).
    every_window = "".join(gated)
    found: list[Mention] = []
    seen: set[tuple[int, int, str]] = set()

    def matches(pattern: re.Pattern, gate: Gate | None = None):
        if gate is not None and not gate.allows(every_window):
            return
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
            candidates = tuple(m for m in meetings if m.kind == kind and all(m.attr(k) == v for k, v in attrs.items()))
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    match.group(),
                    kind,
                    weight,
                    candidates,
                    attrs,
                    specific=len(candidates) == 1 and bool(attrs),
                )
            )
    anchored_re, loose_re, alias_index = _alias_index(tuple(meetings), anchor)
    alias_matches = [
        *(matches(anchored_re) if anchored_re is not None else ()),
        *(loose_re.finditer(text) if loose_re is not None else ()),
    ]
    if alias_matches:
        for match in alias_matches:
            candidates = alias_index[match.group().casefold()]
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    match.group(),
                    candidates[0].kind,
                    1.0,
                    candidates,
                    specific=len(candidates) == 1,
                )
            )
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
