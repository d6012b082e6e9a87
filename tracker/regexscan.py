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
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as _sre_c, _parser as _sre_parse  # Python >= 3.11 (internal: a failure means no shortcut)
from typing import Callable

_FOLD_EXTRA = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD_TABLE = str.maketrans(_FOLD_EXTRA)
_SPACE_RUN = re.compile(r"\s+")
_START = "\x02"
_CAP = 256  # most strings an exact set or a requirement keeps
_UNKNOWN = (None, None, None)  # (exact strings, requirement, prefixes) of "anything"


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
    return _START + folded


def _letter_class(key: str) -> str:
    """The characters re matches to ASCII letter `key` ignoring case, as a case-sensitive class."""
    chars = [key, key.upper(), *(c for c, k in _FOLD_EXTRA.items() if k == key)]
    return "(?-i:[" + "".join(chars) + "])"


def _product(left: frozenset, right: frozenset, collapse: bool) -> frozenset | None:
    if len(left) * len(right) > _CAP:
        return None
    out = {a + b for a in left for b in right}
    if collapse:
        out = {re.sub(" {2,}", " ", s) for s in out}
    return frozenset(out)


def _req_any(strings) -> tuple | None:
    """Requirement "one of these strings"; None (no requirement) if one is empty."""
    strings = set(strings)
    if not strings or "" in strings:
        return None
    # A string containing another is implied by it: keep the shortest ones.
    kept = {s for s in strings if not any(t != s and t in s for t in strings)}
    return ("any", frozenset(kept))


def _req_all(reqs) -> tuple | None:
    parts: list = []
    for r in reqs:
        if r is None:
            continue
        parts.extend(r[1] if r[0] == "all" else [r])
    parts = list(dict.fromkeys(parts))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ("all", tuple(parts))


def _req_or(reqs) -> tuple | None:
    strings: set = set()
    others: list = []
    for r in reqs:
        if r is None:
            return None
        if r[0] == "any":
            strings |= r[1]
        elif r[0] == "or":
            for sub in r[1]:
                if sub[0] == "any":
                    strings |= sub[1]
                else:
                    others.append(sub)
        else:
            others.append(r)
    parts = ([_req_any(strings)] if strings else []) + list(dict.fromkeys(others))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ("or", tuple(parts))


class _Analysis:
    """What every match of a parsed pattern must look like, in folded text. `collapse`: white
    space runs count as one space and `^` as the start mark (gates); otherwise positions are kept
    (prefixes for scanning)."""

    def __init__(self, collapse: bool, keep_case: bool = False):
        self.collapse = collapse
        self.keep_case = keep_case  # literals as written: only for patterns that never ignore case

    def seq(self, items, flags: int) -> tuple:
        infos = [self.node(op, av, flags) for op, av in items]
        # exact: all strings the sequence can match
        exact: frozenset | None = frozenset([""])
        for e, _r, _p in infos:
            exact = None if exact is None or e is None else _product(exact, e, self.collapse)
        # requirement: each part's, and runs of parts with known strings joined
        reqs = []
        run: frozenset = frozenset([""])
        for e, r, _p in infos:
            if e is not None:
                joined = _product(run, e, self.collapse)
                if joined is None:
                    reqs.append(_req_any(run))
                    run = e
                else:
                    run = joined
            else:
                reqs.append(_req_any(run))
                run = frozenset([""])
                reqs.append(r)
        reqs.append(_req_any(run))
        req = _req_any(exact) if exact is not None else _req_all(reqs)
        # prefixes: strings every match starts with
        prefix: frozenset | None = frozenset([""])
        for e, _r, p in infos:
            if e is not None:
                joined = _product(prefix, e, self.collapse)
                if joined is None:
                    break
                prefix = joined
            else:
                if p is not None:
                    joined = _product(prefix, p, self.collapse)
                    if joined is not None:
                        prefix = joined
                break
        if "" in prefix:
            prefix = None
        return exact, req, prefix

    def char(self, ch: str) -> frozenset | None:
        if self.keep_case:
            return frozenset([ch])
        if self.collapse and ch.isspace():
            return frozenset([" "])
        if ch.isascii():
            return frozenset([ch.lower()])
        return None

    def node(self, op, av, flags: int) -> tuple:
        c = _sre_c
        if self.keep_case and flags & re.IGNORECASE and op in (c.LITERAL, c.IN):
            return _UNKNOWN
        if op is c.LITERAL:
            e = self.char(chr(av))
            return (e, _req_any(e), e) if e is not None else _UNKNOWN
        if op is c.IN:
            chars: set = set()
            for item_op, item_av in av:
                if item_op is c.LITERAL:
                    e = self.char(chr(item_av))
                elif item_op is c.RANGE and item_av[1] - item_av[0] <= _CAP:
                    e = set()
                    for code in range(item_av[0], item_av[1] + 1):
                        one = self.char(chr(code))
                        if one is None:
                            return _UNKNOWN
                        e |= one
                elif item_op is c.CATEGORY and self.collapse and item_av in (c.CATEGORY_SPACE, c.CATEGORY_UNI_SPACE):
                    e = {" "}
                else:
                    return _UNKNOWN  # negated classes, \w, \d, wide ranges
                if e is None:
                    return _UNKNOWN
                chars |= e
            if not chars or len(chars) > 16:
                return _UNKNOWN
            e = frozenset(chars)
            return e, _req_any(e), e
        if op is c.BRANCH:
            infos = [self.seq(alt, flags) for alt in av[1]]
            exact = None
            if all(e is not None for e, _r, _p in infos):
                union = frozenset().union(*(e for e, _r, _p in infos))
                exact = union if len(union) <= _CAP else None
            prefix = None
            if all(p is not None for _e, _r, p in infos):
                union = frozenset().union(*(p for _e, _r, p in infos))
                prefix = union if len(union) <= _CAP else None
            return exact, _req_or([r for _e, r, _p in infos]), prefix
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            return self.seq(sub, (flags | add_flags) & ~del_flags)
        if op is c.ATOMIC_GROUP:
            return self.seq(av, flags)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            e, r, p = self.seq(sub, flags)
            if lo == 0:
                if e is not None and hi == 1:
                    return e | {""}, None, None
                if self.collapse and e == {" "}:
                    return frozenset(["", " "]), None, None
                return _UNKNOWN
            exact = None
            if self.collapse and e == {" "}:
                exact = e
            elif e is not None and lo == hi and lo <= 4:
                exact = frozenset([""])
                for _ in range(lo):
                    exact = None if exact is None else _product(exact, e, self.collapse)
            return exact, r, p
        if op is c.AT:
            starts = av is c.AT_BEGINNING_STRING or (av is c.AT_BEGINNING and not flags & re.MULTILINE)
            e = frozenset([_START if self.collapse and starts else ""])
            return e, _req_any(e), None if "" in e else e
        if op in (c.ASSERT, c.ASSERT_NOT):
            return frozenset([""]), None, None
        return _UNKNOWN  # any character, back-references, conditionals ...


def _analyze(pattern: re.Pattern, collapse: bool, keep_case: bool = False) -> tuple:
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        return _Analysis(collapse, keep_case).seq(parsed.data, parsed.state.flags)
    except Exception:  # noqa: BLE001  an unexpected construct: no shortcut, never a wrong one
        return _UNKNOWN


def _simplify(req, inside_or: bool = False):
    """A requirement that is cheaper to test and implied by `req` (so still never false when
    `req` holds): inside an "or", an "and" keeps only its most telling part, so the "or" becomes
    one search for many strings; an "and" drops parts that almost any text meets."""
    kind, parts = req
    if kind == "any":
        return req
    parts = [_simplify(p, inside_or=kind == "or") for p in parts]
    if kind == "or":
        return _req_or(parts)
    telling = [p for p in parts if not _weak(p)] or parts[:1]
    if inside_or:
        return max(telling, key=_telling)
    return _req_all(telling)


def _weak(req) -> bool:
    """Met by nearly any text: one of its strings is a single character (a space, a comma, the
    start mark)."""
    if req[0] == "any":
        return min(len(s) for s in req[1]) <= 1
    if req[0] == "or":
        return any(_weak(p) for p in req[1])
    return all(_weak(p) for p in req[1])


def _telling(req) -> tuple:
    if req[0] == "any":
        return (min(len(s) for s in req[1]), -len(req[1]))
    if req[0] == "or":
        return min(_telling(p) for p in req[1])
    return max(_telling(p) for p in req[1])


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


def _anchored(pattern: re.Pattern) -> bool:
    """Does the pattern start with ^ (not multi-line) or \\A?"""
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        op, av = parsed.data[0]
    except Exception:  # noqa: BLE001
        return False
    return op is _sre_c.AT and (av is _sre_c.AT_BEGINNING_STRING
                                or (av is _sre_c.AT_BEGINNING and not parsed.state.flags & re.MULTILINE))


class Gate:
    """`gate.allows(gate_text(text))` is False only if `pattern.search(text)` finds nothing
    (and likewise for any part of `text`)."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        _e, self.requirement, _p = _analyze(pattern, collapse=True)
        self.always = self.requirement is None or _anchored(pattern)
        if self.always:
            self.allows = lambda text: True  # re tries an anchored pattern at the start only: cheap
        else:
            self.allows = _compile_req(_simplify(self.requirement))

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
        self.parts = None  # None: ask the whole alternation
        if parts and not any(_GROUP_REFERENCE.search(p) for p in parts):
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
        if self._gated:
            gated = gate_text(text)
            if self._any(gated):
                for allows, search in self._gated:
                    if allows(gated) and search(text) is not None:
                        return True
        return False


def any_gate(patterns: list[re.Pattern]) -> Callable[[str], bool]:
    """A test of gate_text(text) that is False only if none of `patterns` can match in text."""
    reqs = [_analyze(p, collapse=True)[1] for p in patterns]
    combined = _req_or(reqs) if reqs else ("any", frozenset())
    if combined is None:
        return lambda text: True
    if not combined[1]:
        return lambda text: False
    return _compile_req(_simplify(combined, inside_or=True) if combined[0] == "all" else _simplify(combined))


def literal_prefixes(pattern: re.Pattern) -> tuple[bool, tuple[str, ...]] | None:
    """(as_written, prefixes): every match of the pattern starts with one of the prefixes, in
    the text as written if as_written (no part of the pattern ignores case), else in the folded
    text; None if there are none or too many places they would occur to be worth looking for."""
    as_written = True
    _e, _r, prefixes = _analyze(pattern, collapse=False, keep_case=True)
    if not prefixes or "" in prefixes:
        as_written = False
        _e, _r, prefixes = _analyze(pattern, collapse=False)
    if not prefixes or "" in prefixes:
        return None
    # Shorter prefixes of the prefixes will do (a match starts with those too): at most four
    # characters, and none that starts with another.
    short = {p[:4] for p in prefixes}
    prefixes = tuple(sorted(p for p in short if not any(q != p and p.startswith(q) for q in short)))
    if len(prefixes) > 24 or (len(prefixes) > 2 and min(map(len, prefixes)) < 3):
        return None  # too many places to try: finditer is as fast
    return as_written, prefixes


@lru_cache(maxsize=256)
def _prefix_finder(prefixes: tuple[str, ...]):
    return re.compile("|".join(re.escape(p) for p in prefixes)).search


def find_places(searched: str, prefixes: tuple[str, ...]) -> list[int]:
    """Every position where one of `prefixes` occurs in `searched`, in order (overlapping too).
    A few prefixes: str.find each; more: one case-sensitive alternation, which re scans for at C
    speed, searched again from the next character after each place."""
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
            candidates = starts.get(found)
            if candidates is None:
                candidates = starts[found] = find_places(searched, prefixes)
        return finditer_at(pattern, text, candidates, pos, endpos)

    return scan


def literal_alternation(exact_case: list[str], loose: list[str]) -> str:
    """Regex source that, in a pattern compiled with re.IGNORECASE, matches what
    "(?:(?-i:E1|E2|...)|L1|L2|...)" (the strings escaped) matches, trying the alternatives that
    can match at a position in that order (so a longer term still wins where it came first).
    Written as tries: "(?-i:[pP])(?:lenum|lenary session)" instead of trying each term."""
    parts = []
    if exact_case:
        parts.append("(?-i:" + _trie_source(exact_case, loose=False) + ")")
    if loose:
        parts.append(_trie_source(loose, loose=True))
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
                (k2, child), = child["children"].items()
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
