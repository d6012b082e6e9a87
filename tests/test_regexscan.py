"""regexscan's shortcuts find what the plain patterns find, with the accelerator on and with it
off: switched off (TRACKER_REGEX_ACCELERATOR=off), re's private parser missing, or its trees
not read as expected."""

import os
import re
import string
import subprocess
import sys
import types
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings as hsettings, strategies as st

from oracles import plain_literal_alternation
from tracker import regexscan
from tracker.config import Settings
from tracker.commitment_rules import CommitmentRules
from tracker.lexicon import load_lexicon
from tracker.regex_literals import ACCELERATOR_VARIABLE, accelerated
from tracker.regexscan import AnyOf, Gate, any_gate, fold, gate_text, literal_alternation, literal_prefixes, starts_scanner
from tracker.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
REAL_PARSER = sys.modules.get("re._parser")
CHECKS = hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Characters that stress the folding: case, the non-ASCII letters re matches to ASCII ones
# ignoring case, white space of several kinds, quotes, hyphens and digits.
TRICKY = "abkisABKIS İıſK-'’., \t\n\u00a0\u20030123?:()"


def test_fold_maps_every_character_re_matches_to_an_ascii_letter():
    every = "".join(map(chr, range(0x80, 0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    outside = set(re.findall(r"(?i)[a-z]", every))
    assert outside == set(regexscan._FOLD_EXTRA)
    for letter in string.ascii_lowercase:  # a literal letter, not only a class, matches no other
        assert set(re.findall(f"(?i){letter}", every)) <= outside
    for ch in outside:
        assert [c for c in string.ascii_lowercase if re.fullmatch(c, ch, re.I)] == [fold(ch)]
    assert fold(string.ascii_letters + "".join(outside) + " x") == (string.ascii_lowercase * 2) + "".join(
        regexscan._FOLD_EXTRA[c] for c in outside) + " x"
    for letter in string.ascii_lowercase:  # the tries' case-sensitive classes
        universe = [*string.printable, *outside]
        expected = {x for x in universe if re.fullmatch(letter, x, re.I)}
        assert {x for x in universe if re.fullmatch(regexscan._letter_class(letter), x)} == expected


def _regex_strategy():
    """Small regular expressions built from the constructs the rules use."""
    atoms = st.sampled_from([
        "a", "b", "k", "s", "i", "A", "B", "K", "ab", "is", "ſ", "K", "İ", "’", "\\-", "\\.", ",", " ", "\\ ", "\\?",
        "[ab]", "[a-c]", "[\\s,]", "\\s", "\\w", "\\d", "[^a]", ".", "[\\x27’]", "(?-i:[A-Z])", "[0-9]",
    ])

    def extend(inner):
        return st.one_of(
            st.lists(inner, min_size=1, max_size=4).map("".join),
            st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
            st.tuples(inner, st.sampled_from(["?", "*", "+", "{1,2}", "{0,2}?", "+?", "{2}"])).map(
                lambda t: f"(?:{t[0]}){t[1]}"),
            st.tuples(st.sampled_from(["^", "\\b", "$", "(?<![\\w-])", "(?=a)", "(?!\\w)", "\\A"]), inner).map("".join),
            inner.map(lambda x: f"(?-i:{x})"),
            inner.map(lambda x: f"(?P<g>{x})"),
        )

    return st.recursive(atoms, extend, max_leaves=8)


TEXTS = st.text(alphabet=TRICKY, max_size=24)


@CHECKS
@given(_regex_strategy(), TEXTS, st.sampled_from([0, re.I, re.I | re.M]), st.data())
def test_gate_and_scanner_never_miss_a_match(source, text, flags, data):
    try:
        pattern = re.compile(source, flags)
    except re.error:
        assume(False)
    gate = Gate(pattern)
    if pattern.search(text):
        assert gate.allows(gate_text(text)), (source, text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    if pattern.search(text, start, end):
        assert gate.allows(gate_text(text[start:end])), (source, text, start, end)
    scan = starts_scanner(pattern)
    if scan is not None:
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text, start, end)]
        assert [(m.span(), m.groupdict()) for m in scan(text, fold(text), start, end)] == expected
        assert [m.span() for m in scan(text, fold(text), starts={})] == [m.span() for m in pattern.finditer(text)]


@CHECKS
@given(st.lists(st.text(alphabet="abkAK -'ſı1", min_size=1, max_size=5), max_size=8),
       st.lists(st.text(alphabet="abkAK -'ſı1", min_size=1, max_size=5), max_size=8),
       st.text(alphabet="abkisAKIS -'ſıİK1.", max_size=30), st.booleans())
def test_literal_alternation_finds_what_the_plain_alternation_finds(exact, loose, text, by_length):
    assume(exact or loose)
    if by_length:  # as the lexicon and the alias index order them: the longest first
        exact, loose = sorted(exact, key=len, reverse=True), sorted(loose, key=len, reverse=True)
    plain = plain_literal_alternation(exact, loose)
    for wrap in (r"(?<![\w-]){}(?![\w-])", r"\b{}\b", "{}"):
        expected = [m.span() for m in re.finditer(wrap.format(plain), text, re.I)]
        assert [m.span() for m in re.finditer(wrap.format(literal_alternation(exact, loose)), text, re.I)] == expected


# ---------------------------------------------------------------- the accelerator switched on and off


@contextmanager
def accelerator(on: bool):
    """The shortcuts built inside this block run with the accelerator on or off."""
    with mock.patch.dict(os.environ, {ACCELERATOR_VARIABLE: "on" if on else "off"}):
        yield


def _changed_parser() -> types.ModuleType:
    """A stand-in for re._parser whose trees differ from what the analysis was written for."""
    changed = types.ModuleType("re._parser")
    changed.parse = lambda source, flags=0: REAL_PARSER.parse("x", flags)
    return changed


@pytest.fixture(params=["switched off", "parser missing", "parser changed"])
def fallback(request, monkeypatch):
    """Each way the accelerator ends up off."""
    if request.param == "switched off":
        monkeypatch.setenv(ACCELERATOR_VARIABLE, "off")
    else:
        monkeypatch.setenv(ACCELERATOR_VARIABLE, "on")
        monkeypatch.setitem(sys.modules, "re._parser", None if request.param == "parser missing" else _changed_parser())
    return request.param


SAMPLE_PATTERN = re.compile(r"(?i)\b(?:China|Beijing)\s+(?:will|shall)\s+(?P<verb>\w+)")


def test_the_accelerator_reads_this_pythons_parser():
    """If this fails, the shortcuts are off on this Python (slower, same results): regex_literals
    needs porting to the new re._parser."""
    with accelerator(True):
        assert accelerated()
        assert not Gate(SAMPLE_PATTERN).always and starts_scanner(SAMPLE_PATTERN) is not None


def test_every_helper_falls_back_to_the_plain_pattern(fallback):
    assert not accelerated()
    gate = Gate(SAMPLE_PATTERN)
    assert gate.always and gate.allows(gate_text("no match here"))
    assert gate.search("Beijing will build", gate_text("Beijing will build")).group("verb") == "build"
    assert any_gate([SAMPLE_PATTERN])(gate_text("no match here"))
    assert starts_scanner(SAMPLE_PATTERN) is None and literal_prefixes(SAMPLE_PATTERN) is None
    assert AnyOf(SAMPLE_PATTERN, [SAMPLE_PATTERN.pattern]).parts is None
    assert literal_alternation(["AI", "EV"], ["plenum", "plenary session"]) == r"(?:(?-i:(?:AI|EV))|(?:plenum|plenary\ session))"


def test_the_packages_import_without_re_private_parser():
    """A Python release that moves re's internals must not break any module at import time."""
    code = ("import sys; sys.modules['re._parser'] = sys.modules['re._constants'] = None\n"
            "import importlib, pkgutil, tracker, timeline\n"
            "for package in (tracker, timeline):\n"
            "    for module in pkgutil.iter_modules(package.__path__):\n"
            "        if module.name != '__main__':\n"
            "            importlib.import_module(f'{package.__name__}.{module.name}')\n"
            "from tracker.regex_literals import accelerated\n"
            "assert not accelerated()\n")
    env = {k: v for k, v in os.environ.items() if k != ACCELERATOR_VARIABLE}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _found(pattern, text):
    """What callers get: the match of the gate's search, the matches of the scanner (or finditer)."""
    searched = Gate(pattern).search(text, gate_text(text))
    scan = starts_scanner(pattern)
    found = scan(text, fold(text)) if scan is not None else pattern.finditer(text)
    return searched and (searched.span(), searched.groupdict()), [(m.span(), m.groupdict()) for m in found]


@CHECKS
@given(_regex_strategy(), st.lists(_regex_strategy(), min_size=1, max_size=3), TEXTS,
       st.sampled_from([0, re.I, re.I | re.M]))
def test_shortcuts_find_the_same_with_the_accelerator_on_and_off(source, parts, text, flags):
    try:
        pattern = re.compile(source, flags)
        combined = re.compile("|".join(f"(?:{p})" for p in parts), flags)
    except re.error:
        assume(False)
    results = []
    for on in (True, False):
        with accelerator(on):
            any_of = AnyOf(combined, [f"(?:{p})" for p in parts])
            results.append((_found(pattern, text), any_of.found(text)))
            assert any_gate([pattern])(gate_text(text)) or pattern.search(text) is None
    assert results[0] == results[1]
    assert results[1][1] == (combined.search(text) is not None)


def test_rules_and_lexicon_decide_the_same_with_the_accelerator_on_and_off(rules):
    settings = Settings(project_dir=ROOT)
    sentences = [s for path in sorted((ROOT / "data" / "articles").iterdir()) if path.is_file()
                 for s in split_sentences(path.read_text(encoding="utf-8", errors="replace"))]
    lines = rules["furniture"]["lines"]
    combined = re.compile("|".join(f"(?:{p})" for p in lines), re.I)
    results = []
    for on in (True, False):
        with accelerator(on):
            decide, lexicon = CommitmentRules(settings.commitment_rules).decide, load_lexicon(settings)
            furniture = AnyOf(combined, [f"(?:{p})" for p in lines])
        results.append([(decide(s), lexicon.find_terms(s.text), furniture.found(s.text)) for s in sentences])
    assert len(sentences) > 100 and results[0] == results[1]


def test_repeated_start_anchors_inside_a_group_are_one_start():
    """Found by the property test above: "^^" inside a group once required two start marks."""
    for source in (r"(?P<g>^^\w)", r"(?:^\A\w)", r"(?:^^)?\w"):
        pattern = re.compile(source)
        assert pattern.search("0")
        assert Gate(pattern).allows(gate_text("0")), source
