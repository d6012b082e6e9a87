r"""The literal strings every match of a regular expression must contain or start with, read
from the pattern's parse tree: what the shortcuts in `regexscan` rest on.

The parse tree comes from re's private parser (`re._parser`, `re._constants`), which a Python
release may move or change. Only `parser_modules` imports it; it returns None, and every
shortcut falls back to running the plain pattern, when:
  - the environment variable TRACKER_REGEX_ACCELERATOR is "off" (CI runs the tests both ways);
  - the modules cannot be imported;
  - a probe pattern's tree is not read as expected (a changed tree shape must not give a gate
    that drops a match; a tree that merely fails to parse gives no shortcut for that pattern).

A requirement is None (any text may match) or a tuple: ("any", frozenset of strings: one of
them occurs), ("all", tuple of requirements) or ("or", tuple of requirements). Strings are in
the folded text (see regexscan.fold); with `collapse` (gates), runs of white space are one
space and START_MARK stands for the start of the text (`^`).
"""

from __future__ import annotations

import importlib
import os
import re
from functools import lru_cache
from types import ModuleType

ACCELERATOR_VARIABLE = "TRACKER_REGEX_ACCELERATOR"
_OFF = {"off", "0", "false", "no"}
START_MARK = "\x02"
_CAP = 256  # most strings an exact set or a requirement keeps
_UNKNOWN = (None, None, None)  # (exact strings, requirement, prefixes) of "anything"
# CJK Unified Ideographs (with extension A) and CJK punctuation: characters without case.
_CASELESS = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff]")


def parser_modules() -> tuple[ModuleType, ModuleType] | None:
    """(re's parser, re's constants) when the accelerator is on and understands them, else None."""
    if os.environ.get(ACCELERATOR_VARIABLE, "").strip().lower() in _OFF:
        return None
    try:  # private modules (Python >= 3.11): looked up on every call, a dictionary lookup once imported
        modules = importlib.import_module("re._parser"), importlib.import_module("re._constants")
    except ImportError:
        return None
    return modules if _reads_as_expected(*modules) else None


def accelerated() -> bool:
    """Do the shortcuts run? (If not, each helper in regexscan gives the plain pattern's behaviour.)"""
    return parser_modules() is not None


_PROBE = r"(?i)^(?:ab|Cd)\s+[ef]{2}g?(?=h)h+"
_PROBE_PAIRS = frozenset({"ee", "ef", "fe", "ff"})


@lru_cache(maxsize=4)
def _reads_as_expected(parser: ModuleType, constants: ModuleType) -> bool:
    """Does the analysis read a probe pattern (branch, group, class, repeats, anchor, lookahead,
    ignoring case) as this version of it was written for?"""
    heads = frozenset({"ab", "cd"})
    positions = (None, ("all", (("any", heads), ("any", _PROBE_PAIRS), ("any", frozenset("h")))), heads)
    gate_requirement = (
        "all",
        (("any", frozenset(f"{START_MARK}{a} {b}" for a in heads for b in _PROBE_PAIRS)), ("any", frozenset("h"))),
    )
    return (
        _analyze_source((parser, constants), _PROBE, 0, collapse=False) == positions
        and _analyze_source((parser, constants), _PROBE, 0, collapse=True)[1] == gate_requirement
    )


def analyze(pattern: re.Pattern, collapse: bool, keep_case: bool = False) -> tuple:
    """(exact, requirement, prefixes) of every match of `pattern`: exact, the frozenset of all
    strings it can match (or None: unknown or too many); the requirement; prefixes, strings
    every match starts with (or None). `keep_case`: strings as written, for patterns that never
    ignore case. All None when the accelerator is off."""
    modules = parser_modules()
    if modules is None:
        return _UNKNOWN
    return _analyze_source(modules, pattern.pattern, pattern.flags, collapse, keep_case)


def _analyze_source(modules, source: str, flags: int, collapse: bool, keep_case: bool = False) -> tuple:
    parser, constants = modules
    try:
        parsed = parser.parse(source, flags)
        return _Analysis(constants, collapse, keep_case).seq(parsed.data, parsed.state.flags)
    except Exception:  # noqa: BLE001  an unexpected construct: no shortcut, never a wrong one
        return _UNKNOWN


def anchored(pattern: re.Pattern) -> bool:
    """Does the pattern start with ^ (not multi-line) or \\A? (False when the accelerator is off.)"""
    modules = parser_modules()
    if modules is None:
        return False
    parser, c = modules
    try:
        parsed = parser.parse(pattern.pattern, pattern.flags)
        op, av = parsed.data[0]
        return op is c.AT and (
            av is c.AT_BEGINNING_STRING or (av is c.AT_BEGINNING and not parsed.state.flags & re.MULTILINE)
        )
    except Exception:  # noqa: BLE001
        return False


def _product(left: frozenset, right: frozenset, collapse: bool) -> frozenset | None:
    if len(left) * len(right) > _CAP:
        return None
    out = {a + b for a in left for b in right}
    if collapse:
        # Gate texts have one space per run of white space and one start mark ("^^" is "^").
        out = {re.sub(" {2,}", " ", s).replace(START_MARK * 2, START_MARK) for s in out}
    return frozenset(out)


def _requirement_any(strings) -> tuple | None:
    """Requirement "one of these strings"; None (no requirement) if one is empty."""
    strings = set(strings)
    if not strings or "" in strings:
        return None
    # A string containing another is implied by it: keep the shortest ones.
    kept = {s for s in strings if not any(t != s and t in s for t in strings)}
    return ("any", frozenset(kept))


def _requirement_all(reqs) -> tuple | None:
    parts: list = []
    for r in reqs:
        if r is None:
            continue
        parts.extend(r[1] if r[0] == "all" else [r])
    parts = list(dict.fromkeys(parts))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ("all", tuple(parts))


def requirement_or(reqs) -> tuple | None:
    """Requirement "one of these requirements holds"; None if one of them is None."""
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
    parts = ([_requirement_any(strings)] if strings else []) + list(dict.fromkeys(others))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ("or", tuple(parts))


class _Analysis:
    """What every match of a parsed pattern must look like, in folded text. `collapse`: white
    space runs count as one space and `^` as the start mark (gates); otherwise positions are kept
    (prefixes for scanning)."""

    def __init__(self, constants: ModuleType, collapse: bool, keep_case: bool = False):
        self.c = constants
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
                    reqs.append(_requirement_any(run))
                    run = e
                else:
                    run = joined
            else:
                reqs.append(_requirement_any(run))
                run = frozenset([""])
                reqs.append(r)
        reqs.append(_requirement_any(run))
        req = _requirement_any(exact) if exact is not None else _requirement_all(reqs)
        # prefixes: strings every match starts with
        prefix: frozenset = frozenset([""])
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
        return exact, req, (None if "" in prefix else prefix)

    def char(self, ch: str) -> frozenset | None:
        if self.keep_case:
            return frozenset([ch])
        if self.collapse and ch.isspace():
            return frozenset([" "])
        if ch.isascii():
            return frozenset([ch.lower()])
        if _CASELESS.match(ch):
            return frozenset([ch])  # a CJK character has no case: re matches it alone, fold keeps it
        return None

    def node(self, op, av, flags: int) -> tuple:
        c = self.c
        if self.keep_case and flags & re.IGNORECASE and op in (c.LITERAL, c.IN):
            return _UNKNOWN
        if op is c.LITERAL:
            e = self.char(chr(av))
            return (e, _requirement_any(e), e) if e is not None else _UNKNOWN
        if op is c.IN:
            chars: set = set()
            for item_op, item_av in av:
                if item_op is c.LITERAL:
                    e = self.char(chr(item_av))
                elif item_op is c.RANGE and item_av[1] - item_av[0] <= _CAP:
                    in_range: set[str] = set()
                    for code in range(item_av[0], item_av[1] + 1):
                        one = self.char(chr(code))
                        if one is None:
                            return _UNKNOWN
                        in_range |= one
                    e = frozenset(in_range)
                elif item_op is c.CATEGORY and self.collapse and item_av in (c.CATEGORY_SPACE, c.CATEGORY_UNI_SPACE):
                    e = frozenset(" ")
                else:
                    return _UNKNOWN  # negated classes, \w, \d, wide ranges
                if e is None:
                    return _UNKNOWN
                chars |= e
            if not chars or len(chars) > 16:
                return _UNKNOWN
            e = frozenset(chars)
            return e, _requirement_any(e), e
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
            return exact, requirement_or([r for _e, r, _p in infos]), prefix
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
            e = frozenset([START_MARK if self.collapse and starts else ""])
            return e, _requirement_any(e), None if "" in e else e
        if op in (c.ASSERT, c.ASSERT_NOT):
            return frozenset([""]), None, None
        return _UNKNOWN  # any character, back-references, conditionals ...


def simplify(req, inside_or: bool = False):
    """A requirement that is cheaper to test and implied by `req` (so still never false when
    `req` holds): inside an "or", an "and" keeps only its most telling part, so the "or" becomes
    one search for many strings; an "and" drops parts that almost any text meets."""
    kind, parts = req
    if kind == "any":
        return req
    parts = [simplify(p, inside_or=kind == "or") for p in parts]
    if kind == "or":
        return requirement_or(parts)
    telling = [p for p in parts if not _weak(p)] or parts[:1]
    if inside_or:
        return max(telling, key=_telling)
    return _requirement_all(telling)


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
