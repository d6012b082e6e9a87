r"""Exact shortcuts for regular expressions.

Python's `re` tries every alternative of a case-insensitive alternation at every position of
the text, which makes the rule patterns (data/*.toml) and the term lists the bulk of the CPU
time of ingestion and extraction. The helpers below never change what a pattern finds:
  - `Gate` derives, from the parsed pattern itself, literal strings that every match must
    contain (e.g. "china" or "beijing" or ... AND "will" or "shall" or ...). A text that
    lacks them cannot match, so the pattern need not run on it. Anything the analysis does
    not understand counts as "may match anything": it can only make the gate weaker.
  - `starts_scanner` finds the literal prefixes every match starts with and tries the pattern
    only where one of them occurs, returning what `finditer` returns.
  - `literal_alternation` writes a list of literal alternatives as a trie whose branches
    each start with a case-sensitive character (re skips those at C speed) while trying the
    alternatives that can match at a position in the original order.
Texts are compared in a folded form: characters that `re` matches to an ASCII letter when
ignoring case become that lower-case letter (tests check this table against every code point);
for gates, runs of white space become one space and the text starts with "\x02" (for `^`).
The analysis of the parsed pattern is in `regex_literals`. With the accelerator off
(TRACKER_REGEX_ACCELERATOR=off, or re's private parser missing or changed: see
regex_literals.parser_modules) every helper here gives the plain pattern's behaviour: gates let
every text through, no scanner or prefixes are offered, alternations are written plainly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .language import CJK_CHARACTER
from .regex_literals import START_MARK, accelerated, analyze, anchored, requirement_or, simplify

_FOLD_EXTRA = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD_TABLE = str.maketrans(_FOLD_EXTRA)
_SPACE_RUN = re.compile(r"\s+")


def fold(text: str) -> str:
    """`text` with every character that re, ignoring case, matches to an ASCII letter replaced by
    that letter in lower case; other characters may change too (never into white space)."""
    if text.isascii() or not any(c in text for c in _FOLD_EXTRA):
        return text.lower()  # (str.translate would be slow: it looks up every character)
    return text.translate(_FOLD_TABLE).lower()


def gate_text(text: str) -> str:
    """The form a `Gate` tests: folded, white-space runs as one space, after a start mark."""
    folded = fold(text)
    # Every white-space character but the space is unprintable: most texts need no collapsing.
    if "  " in folded or not folded.isprintable():
        folded = _SPACE_RUN.sub(" ", folded)
    return START_MARK + folded


def _letter_class(key: str) -> str:
    """The characters re matches to ASCII letter `key` ignoring case, as a case-sensitive class."""
    chars = [key, key.upper(), *(c for c, k in _FOLD_EXTRA.items() if k == key)]
    return "(?-i:[" + "".join(chars) + "])"


def _compile_req(req) -> Callable[[str], bool]:
    kind, parts = req
    if kind == "any":
        strings = sorted(parts, key=lambda x: (len(x), x))
        if len(strings) == 1:
            only = strings[0]
            return lambda text: only in text
        if len(strings) <= 6:
            return lambda text: any(s in text for s in strings)
        finder = re.compile(literal_alternation(strings, [])).search
        return lambda text: finder(text) is not None
    # Cheapest first: fewer strings to look for.
    tests = [_compile_req(p) for p in sorted(parts, key=_req_size)]
    if kind == "all":
        return lambda text: all(t(text) for t in tests)
    return lambda text: any(t(text) for t in tests)


def _req_size(req) -> int:
    return len(req[1]) if req[0] == "any" else sum(_req_size(p) for p in req[1])


class Gate:
    """`gate.allows(gate_text(text))` is False only if `pattern.search(text)` finds nothing
    (and likewise for any part of `text`)."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        _e, self.requirement, _p = analyze(pattern, collapse=True)
        self.always = self.requirement is None or anchored(pattern)
        if self.always:
            self.allows = lambda text: True  # re tries an anchored pattern at the start only: cheap
        else:
            self.allows = _compile_req(simplify(self.requirement))

    def search(self, text: str, gated: str):
        """pattern.search(text), where `gated` is gate_text(text)."""
        return self.pattern.search(text) if self.allows(gated) else None


# Back-references (a backslash and a digit, (?P=name), (?(1)...)): numbered groups change when an
# alternation is split.
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


class AnyOf:
    """Whether `combined`, the alternation "(?:p1)|(?:p2)|...", finds a match in a text: the
    same answer as asking each part. A part anchored at the start is asked directly (re tries it
    at the start only); the others only when the text has the literals they need (one test for
    all of them first, then each part's own gate)."""

    def __init__(self, combined: re.Pattern, parts: list[str]):
        self.combined = combined
        self.parts = None  # None: ask the whole alternation (so too with the accelerator off)
        if parts and accelerated() and not any(_GROUP_REFERENCE.search(p) for p in parts):
            try:
                self.parts = [Gate(re.compile(p, combined.flags)) for p in parts]
            except re.error:  # a part that only makes sense next to the others
                self.parts = None
        if self.parts is not None:
            self._plain = [g.pattern.search for g in self.parts if g.always]
            gated = [g for g in self.parts if not g.always]
            self._gated = [(g.allows, g.pattern.search) for g in gated]
            self._any = any_gate([g.pattern for g in gated]) if gated else None

    def found(self, text: str) -> bool:
        if self.parts is None:
            return self.combined.search(text) is not None
        for search in self._plain:
            if search(text) is not None:
                return True
        if self._any is not None:  # some parts are gated
            gated = gate_text(text)
            if self._any(gated):
                for allows, search in self._gated:
                    if allows(gated) and search(text) is not None:
                        return True
        return False


@lru_cache(maxsize=64)
def text_gate(pattern: re.Pattern) -> Callable[[str], bool]:
    """A test of fold(text) (a whole document: white space as it is) that is False only if
    `pattern` finds nothing in text."""
    _e, requirement, _p = analyze(pattern, collapse=False)
    if requirement is None or anchored(pattern):
        return lambda folded: True
    return _compile_req(simplify(requirement))


def any_gate(patterns: list[re.Pattern]) -> Callable[[str], bool]:
    """A test of gate_text(text) that is False only if none of `patterns` can match in text."""
    reqs = [analyze(p, collapse=True)[1] for p in patterns]
    combined = requirement_or(reqs) if reqs else ("any", frozenset())
    if combined is None:
        return lambda text: True
    if not combined[1]:
        return lambda text: False
    return _compile_req(simplify(combined, inside_or=True) if combined[0] == "all" else simplify(combined))


def literal_prefixes(pattern: re.Pattern) -> tuple[bool, tuple[str, ...]] | None:
    """(as_written, prefixes): every match of the pattern starts with one of the prefixes, in
    the text as written if as_written (no part of the pattern ignores case), else in the folded
    text; None if there are none or too many places they would occur to be worth looking for."""
    as_written = True
    _e, _r, prefixes = analyze(pattern, collapse=False, keep_case=True)
    if not prefixes or "" in prefixes:
        as_written = False
        _e, _r, prefixes = analyze(pattern, collapse=False)
    if not prefixes or "" in prefixes:
        return None
    # Shorter prefixes of the prefixes will do (a match starts with those too): at most four
    # characters, and none that starts with another.
    short = {p[:4] for p in prefixes}
    prefixes = tuple(sorted(p for p in short if not any(q != p and p.startswith(q) for q in short)))
    # Too many places to try, and finditer is as fast. Prefixes of Chinese words count apart: one
    # that starts with a CJK character never occurs in an English text, and one of two characters
    # (会议, 全会) is as rare in a Chinese text as three letters are in an English one.
    chinese = [p for p in prefixes if CJK_CHARACTER.match(p)]
    other = [p for p in prefixes if not CJK_CHARACTER.match(p)]
    for group, short_length in ((other, 3), (chinese, 2)):
        if len(group) > 24 or (len(group) > 2 and min(map(len, group)) < short_length):
            return None
    return as_written, prefixes


@lru_cache(maxsize=256)
def _prefix_finder(prefixes: tuple[str, ...]):
    return re.compile("|".join(re.escape(p) for p in prefixes)).search


@lru_cache(maxsize=256)
def _by_script(prefixes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(prefixes that start with an ASCII character, the others)."""
    return tuple(p for p in prefixes if p[0].isascii()), tuple(p for p in prefixes if not p[0].isascii())


def find_places(searched: str, prefixes: tuple[str, ...]) -> list[int]:
    """Every position where one of `prefixes` occurs in `searched`, in order (overlapping too).
    A few prefixes: str.find each; more: one case-sensitive alternation, which re scans for at C
    speed, searched again from the next character after each place. Prefixes of English and of
    Chinese words are looked for apart (one alternation of both is slower than two), the latter
    only in a text that is not all ASCII."""
    latin, other = _by_script(prefixes)
    if latin and other:
        found = _places(searched, latin)
        if not searched.isascii():
            found = sorted(set(found).union(_places(searched, other)))
        return found
    return _places(searched, prefixes)


def _places(searched: str, prefixes: tuple[str, ...]) -> list[int]:
    found = []
    if len(prefixes) <= 3:
        for prefix in prefixes:
            at = searched.find(prefix)
            while at != -1:
                found.append(at)
                at = searched.find(prefix, at + 1)
        return sorted(set(found))
    finder = _prefix_finder(prefixes)
    m = finder(searched)
    while m is not None:
        at = m.start()
        found.append(at)
        m = finder(searched, at + 1)
    return found


def finditer_at(pattern: re.Pattern, text: str, candidates, pos: int = 0, endpos: int | None = None) -> list:
    """pattern.finditer(text, pos, endpos) when every match (never empty) starts at one of the
    sorted `candidates`: the pattern is tried there only, each try after the previous match."""
    end = len(text) if endpos is None else max(0, min(endpos, len(text)))
    match = pattern.match
    found = []
    after = pos
    for at in candidates:
        if at < after:
            continue
        if at >= end:
            break
        m = match(text, at, end)
        if m is not None:
            found.append(m)
            after = m.end()
    return found


def starts_scanner(pattern: re.Pattern) -> Callable | None:
    """A function (text, folded, pos=0, endpos=None, starts=None) -> the matches of
    pattern.finditer(text, pos, endpos), where `folded` is fold(text); None if the pattern has
    no literal prefixes worth looking for (see literal_prefixes). Every match starts where a
    prefix occurs, so the pattern is tried there only. `starts`, a dict kept for one text,
    shares the places found between scanners that look for the same prefixes."""
    found = literal_prefixes(pattern)
    if found is None:
        return None
    as_written, prefixes = found

    def scan(text: str, folded: str, pos: int = 0, endpos: int | None = None, starts: dict | None = None) -> list:
        searched = text if as_written else folded
        if len(searched) != len(text):  # not aligned: plain finditer
            return list(pattern.finditer(text, pos, len(text) if endpos is None else endpos))
        if starts is None:
            candidates = find_places(searched, prefixes)
        else:
            if found not in starts:
                starts[found] = find_places(searched, prefixes)
            candidates = starts[found]
        return finditer_at(pattern, text, candidates, pos, endpos)

    return scan


def literal_alternation(exact_case: list[str], loose: list[str]) -> str:
    """Regex source that, in a pattern compiled with re.IGNORECASE, matches what
    "(?:(?-i:E1|E2|...)|L1|L2|...)" (the strings escaped) matches, trying the alternatives that
    can match at a position in that order (so a longer term still wins where it came first).
    Written as tries: "(?-i:[pP])(?:lenum|lenary session)" instead of trying each term (plainly
    with the accelerator off)."""
    tries = accelerated()

    def alternation(words: list[str], loose: bool) -> str:
        return _trie_source(words, loose) if tries else _plain_source(words)

    parts = []
    if exact_case:
        parts.append("(?-i:" + alternation(exact_case, loose=False) + ")")
    if loose:
        parts.append(alternation(loose, loose=True))
    return "(?:" + "|".join(parts) + ")"


def _plain_source(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


def _trie_source(words: list[str], loose: bool) -> str:
    """The words as a trie (see literal_alternation), or as a plain alternation where a trie
    would try them in another order. `loose`: matched ignoring case (ASCII words only)."""

    def key(ch: str) -> str | None:
        if not loose:
            return ch
        if not ch.isascii():
            return None  # its case variants are not worked out here
        return ch.lower()

    root: dict = {"children": {}, "end": None}
    for index, word in enumerate(words):
        keys = [key(ch) for ch in word]
        if not word or None in keys:
            return _plain_source(words)
        node = root
        for k, ch in zip(keys, word):
            node = node["children"].setdefault(k, {"children": {}, "end": None, "ch": ch})
            if node.get("min") is None:
                node["min"] = index
            node["max"] = index
        if node["end"] is None:
            node["end"] = index

    def order_ok(node) -> bool:
        # The word ending at a node must come before all longer words through it, or after all;
        # words through different children never match at the same place (their next characters
        # differ, ignoring case when loose), so their order does not matter.
        longer = list(node["children"].values())
        if node["end"] is not None and longer:
            lo = min(c["min"] for c in longer)
            hi = max(c["max"] for c in longer)
            node["end_first"] = node["end"] < lo
            if not (node["end"] < lo or node["end"] > hi):
                return False
        return all(order_ok(c) for c in longer)

    if not order_ok(root):
        return _plain_source(words)

    def head(k: str, ch: str) -> str:
        if loose and k.isalpha():
            return _letter_class(k)
        return re.escape(ch if not loose else k)

    def emit(node) -> str:
        alts = []
        for k, child in node["children"].items():
            text = head(k, child["ch"])
            while len(child["children"]) == 1 and child["end"] is None:
                ((k2, child),) = child["children"].items()
                text += re.escape(child["ch"] if not loose else k2)
            text += emit(child)
            alts.append(text)
        if node["end"] is not None:  # the word ending here: tried where it came in the list
            if node.get("end_first"):
                alts.insert(0, "")
            else:
                alts.append("")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(root)
