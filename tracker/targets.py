"""Quantified targets: the headline numbers official texts set ("GDP growth of around 6 %",
"over 11 million new urban jobs"), read from sentences. How they move from one meeting to the
next is tracker/target_changes.py.

How targets are named, which units they take, which way is more ambitious and which words mark
a target rather than a past result are rules in targets.toml (its header explains the
reading). Code here only applies them: find values (a number with a unit), find metric mentions,
pair each value with one mention, keep the pairs that are forward-looking.
"""

from __future__ import annotations

import re
from collections import namedtuple
from dataclasses import asdict, dataclass, replace

from tracker.rule_files.targets import MetricEntry, TargetsFile
from tracker.rule_files.validation import NEVER
from tracker.sentences import Sentence, split_sentences

_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
    "hundred": 100,
}
_NUM = r"(?<![\w.,])(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|(?:" + "|".join(_WORDS) + r")\b)"
_CLAUSE_BREAK = re.compile(r"[;:]|--|—")
_PHRASE_END = re.compile(r"[,;:]")
_LIST_SEP = re.compile(r"\s*,?\s*(?:and\s+)?")
_RESPECTIVELY = re.compile(r"\s*,?\s*respectively\b", re.I)
_DIGIT = re.compile(r"\d")


def _maybe_quantity(sentence: str) -> bool:
    """A digit or a number word ("ten million"): a cheap test before the value patterns."""
    return bool(_DIGIT.search(sentence)) or not _WORDS.keys().isdisjoint(sentence.lower().split())


_PRONOUN = re.compile(r"\b(?:it|its growth)\b(?=\s+(?:should|will|would|is|was|must|to)\b)")


def _fmt(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Target:
    metric: str
    label: str
    low: float
    high: float
    unit: str
    modifier: str = ""
    period: str = ""
    text: str = ""
    direction: str = ""

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        """'around 6.5 %', '6.5–7 %', 'at least 10 million'."""
        value = _fmt(self.low) if self.low == self.high else f"{_fmt(self.low)}–{_fmt(self.high)}"
        return " ".join(p for p in (self.modifier, value, self.unit) if p)


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    pattern: re.Pattern
    exclude: re.Pattern | None
    units: tuple[str, ...]
    better: str
    set_by: tuple[str, ...]
    headline: bool
    bounds: tuple[float, float] | None

    def accepts(self, value: _Value) -> bool:
        lo, hi = self.bounds or (float("-inf"), float("inf"))
        return value.unit in self.units and lo <= value.low and value.high <= hi


_Value = namedtuple("_Value", "start end low high unit modifier")
_Mention = namedtuple("_Mention", "start end metrics")  # metrics empty: a blocker


def _number(text: str) -> float:
    return float(_WORDS.get(text.lower(), None) or text.replace(",", ""))


class TargetRules:
    """targets.toml, validated (tracker/rule_files/targets.py), compiled once."""

    def __init__(self, validated: TargetsFile):
        self.validated = validated
        s, cues, mods, units = validated.settings, validated.cues, validated.modifiers, validated.units
        self.max_gap, self.past_lookback = s.max_gap, s.past_lookback
        self.postfix_words = {w.lower() for w in s.postfix_words}
        self.multi_year = re.compile(s.multi_year, re.I)
        self.lead_in = re.compile(s.lead_in, re.I)
        self.target_cue = re.compile("|".join(cues.target) or NEVER, re.I)
        self.past_cue = re.compile("|".join(cues.past) or NEVER, re.I)
        verbs = "|".join(map(re.escape, cues.imperative)) or NEVER
        self.imperative = re.compile(rf"\W*(?:and\s+)?(?:{verbs})\b", re.I)
        self.directions = {
            name: re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b", re.I)
            for name, words in validated.directions.items()
        }
        self.context_mods = [(name, re.compile("|".join(patterns), re.I)) for name, patterns in mods.context.items()]
        self.periods = [(re.compile(p.pattern, re.I), p.value) for p in validated.period]
        self.base, self.scale, self.prefix = (self._table(table) for table in (units.base, units.scale, units.prefix))
        self._mod_before = self._table(mods.before, phrases=True)
        self._mod_after = self._table(mods.after, phrases=True)
        self.value_re = self._value_regex()
        units_alt = "|".join(p.pattern for table in (self.scale, self.base, self.prefix) for p in table.values())
        self.unit_hint = re.compile(units_alt or NEVER, re.I)  # a value needs one of its units
        self.metrics = [self._metric(m) for m in validated.metric]
        self.by_id = {m.id: m for m in self.metrics}

    @staticmethod
    def _metric(m: MetricEntry) -> Metric:
        def whole(phrases: list[str]) -> re.Pattern:
            return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.I)

        return Metric(
            m.id,
            m.label,
            whole(m.patterns),
            whole(m.exclude) if m.exclude else None,
            tuple(m.units),
            m.better,
            tuple(m.set_by),
            m.headline,
            (m.range[0], m.range[1]) if m.range else None,
        )

    @staticmethod
    def _table(table: dict[str, list[str]], phrases: bool = False) -> dict[str, re.Pattern]:
        """{normalized name: regex of its spellings}; phrases are literal words, any spacing."""
        out = {}
        for name, forms in table.items():
            forms = [re.escape(f).replace(r"\ ", r"\s+") if phrases else f for f in forms]
            out[name] = re.compile("|".join(sorted(forms, key=len, reverse=True)), re.I)
        return out

    # -- reading -----------------------------------------------------------------------------
    def _value_regex(self) -> re.Pattern:
        def alt(table: dict[str, re.Pattern]) -> str:
            return "|".join(p.pattern for p in table.values()) or NEVER

        word = r"(?![A-Za-z])"

        def part(n: int) -> str:
            return (
                rf"(?P<low{n}>{_NUM})\s*(?P<scale{n}>(?:{alt(self.scale)}){word})?\s*"
                rf"(?P<base{n}>(?:{alt(self.base)}){word})?"
            )

        return re.compile(
            rf"(?:(?P<mod>{alt(self._mod_before)})\s+)?(?P<between>between\s+)?"
            rf"(?:(?P<cur>{alt(self.prefix)})\s*)?{part(1)}"
            rf"(?:\s*(?P<sep>to|and|-|–)\s*(?:{alt(self.prefix)})?\s*{part(2)})?"
            rf"(?:\s+(?P<post>{alt(self._mod_after)}){word})?",
            re.I,
        )

    @staticmethod
    def _name(text: str | None, table: dict[str, re.Pattern]) -> str:
        return next((name for name, rx in table.items() if text and rx.fullmatch(text)), "")

    def _values(self, s: str) -> list[_Value]:
        """Numbers with a unit; a range only with the same unit on both ends; 'from A to B' is B."""
        out, pos = [], 0
        while m := self.value_re.search(s, pos):
            g = m.groupdict()
            low_end = max(m.end(k) for k in ("low1", "scale1", "base1") if g[k])
            scale1, base1 = self._name(g["scale1"], self.scale), self._name(g["base1"], self.base)
            base1 = base1 or self._name(g["cur"], self.prefix)
            unit1 = " ".join(p for p in (scale1, base1) if p)
            end, low, high, unit, post = low_end, _number(g["low1"]), None, unit1, ""
            if g["low2"] and (g["sep"] != "and" or g["between"]):
                scale2 = self._name(g["scale2"], self.scale) or scale1
                unit2 = " ".join(p for p in (scale2, self._name(g["base2"], self.base) or base1) if p)
                if not (g["scale1"] or g["base1"]) or unit1 == unit2:
                    end, high, unit, post = m.end(), _number(g["low2"]), unit2, g["post"]
            elif g["post"] and not g["low2"]:
                end, post = m.end(), g["post"]
            pos = end
            if not unit:
                continue
            if high is not None and re.search(r"\bfrom\b[^,;]{0,30}$", s[max(0, m.start() - 35) : m.start()], re.I):
                low = high  # "rise from 2 % to 2.5 %": the target is where it goes
            modifier = self._name(post, self._mod_after) or self._name(g["mod"], self._mod_before)
            out.append(_Value(m.start(), end, low, low if high is None else high, unit, modifier))
        return out

    def _mentions(self, s: str) -> list[_Mention]:
        """Metric names and blockers; overlapping names keep the longest, equal spans share it."""
        spans: dict[tuple[int, int], list[str]] = {}
        for metric in self.metrics:
            for m in metric.pattern.finditer(s):
                spans.setdefault(m.span(), []).append(metric.id)
            for m in metric.exclude.finditer(s) if metric.exclude else ():
                spans[m.span()] = []
        kept: list[_Mention] = []
        for (a, b), ids in sorted(spans.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0])):
            if not any(a < k.end and k.start < b for k in kept):
                kept.append(_Mention(a, b, tuple(ids)))
        return sorted(kept, key=lambda k: k.start)

    def _bind(self, s: str, v: _Value, values: list[_Value], mentions: list[_Mention], taken: set) -> list[int]:
        """The mention(s) value `v` belongs to (see targets.toml): right after it, else before."""
        after = next((i for i, m in enumerate(mentions) if m.start >= v.end), None)
        if after is not None and after not in taken:
            gap = s[v.end : mentions[after].start]
            if all(w.lower() in self.postfix_words for w in gap.split()):
                return [after]
        before = [i for i, m in enumerate(mentions) if m.end <= v.start]
        if not before or before[-1] in taken:
            return []
        i = before[-1]
        gap = s[mentions[i].end : v.start]
        between = any(mentions[i].end <= o.start and o.end <= v.start for o in values)
        if len(gap) > self.max_gap or ";" in gap or between:
            return []
        chain = [i]  # "broad money and total social financing ... about 9 %": both
        while (
            i > 0
            and i - 1 not in taken
            and re.fullmatch(
                r"\s*,?\s*(?:and|as well as)\s+(?:the\s+)?", s[mentions[i - 1].end : mentions[i].start], re.I
            )
        ):
            i -= 1
            chain.append(i)
        return chain

    def parse(self, sentence: str, context: str = "") -> list[Target]:
        """Every target `sentence` sets. `context`: the lead-in of the list it is an item of."""
        if not _maybe_quantity(sentence) or not self.unit_hint.search(sentence):
            return []  # most sentences state no number with a unit: skip the costly patterns
        values = self._values(sentence)
        if not values:
            return []
        mentions = self._mentions(sentence)
        taken: set[int] = set()
        out, listed = [], self._respectively(sentence, values, mentions)
        for k, v in enumerate(values):
            if k in listed:
                paired = listed[k]
                chain = [] if paired is None else [paired]
            else:
                chain = self._bind(sentence, v, values, mentions, taken)
            for i in chain:
                taken.add(i)
                if t := self._target(sentence, context, v, mentions[i], values):
                    out.append(t)
        return out

    @staticmethod
    def _respectively(s: str, values: list[_Value], mentions: list[_Mention]) -> dict[int, int | None]:
        """'cut A and B by 2 % and 3 %, respectively': value k -> the k-th of the names before it in
        its clause; a list whose names are not all read is left out (None) rather than misaligned."""
        pairs: dict[int, int | None] = {}
        i = 0
        while i < len(values):
            j = i
            while j + 1 < len(values) and _LIST_SEP.fullmatch(s, values[j].end, values[j + 1].start):
                j += 1
            if j > i and _RESPECTIVELY.match(s, values[j].end):
                clause = max([b.end() for b in _CLAUSE_BREAK.finditer(s, 0, values[i].start)], default=0)
                names = [k for k, m in enumerate(mentions) if clause <= m.start and m.end <= values[i].start]
                n = j - i + 1
                pairs.update(zip(range(i, j + 1), names[-n:] if len(names) >= n else [None] * n))
            i = j + 1
        return pairs

    def _target(self, s: str, context: str, v: _Value, m: _Mention, values: list[_Value]) -> Target | None:
        metric = next((self.by_id[i] for i in m.metrics if self.by_id[i].accepts(v)), None)
        if metric is None:
            return None
        start, end = min(m.start, v.start), max(m.end, v.end)
        brk = _PHRASE_END.search(s, end)  # the value's phrase ends at the next , ; : or value
        stop = min([brk.start() if brk else len(s)] + [o.start for o in values if o.start >= end])
        clause = max([b.end() for b in _CLAUSE_BREAK.finditer(s, 0, start)], default=0)
        phrase = max([b.end() for b in _PHRASE_END.finditer(s, 0, start)], default=0)
        if self.past_cue.search(s, max(clause, phrase, start - self.past_lookback), stop):
            return None
        colon = s.rfind(":", 0, start)  # "the targets for the year were met: ..." lists results
        if colon >= 0 and self.past_cue.search(s, 0, colon):
            return None
        if not (
            self.target_cue.search(s)
            or (context and self.target_cue.search(context))
            or self.imperative.match(s, clause)
        ):
            return None
        pre = s[max(clause, start - 40) : v.start]
        direction = ""
        if re.search(
            r"\b(?:by|of)\s*(?:[\d.,]+\s*(?:%|percent)?\s*,?\s*(?:and\s+)?)*$", pre, re.I
        ):  # "by 2 %, 3 % and"
            hits = [(d.end(), name) for name, rx in self.directions.items() for d in rx.finditer(pre)]
            direction = max(hits)[1] if hits else ""
        modifier = v.modifier or next((n for n, rx in self.context_mods if m.end <= v.start and rx.search(pre)), "")
        return Target(
            metric.id,
            metric.label,
            v.low,
            v.high,
            v.unit,
            modifier,
            self._period(s, context, v),
            s[start:end],
            direction,
        )

    def _period(self, s: str, context: str, v: _Value) -> str:
        """The period phrase nearest the value (ties: the earlier rule); else the lead-in's."""
        found = [
            (max(v.start - m.end(), m.start() - v.end, 0), rank, m.expand(value))
            for rank, (rx, value) in enumerate(self.periods)
            for m in rx.finditer(s)
        ]
        if not found and context:
            found = [
                (0, rank, m.expand(value))
                for rank, (rx, value) in enumerate(self.periods)
                for m in rx.finditer(context)
            ]
        return min(found)[2] if found else ""

    def parse_text(self, text: str) -> list[tuple[Target, Sentence]]:
        """(target, sentence) for a whole text: bullet items inherit their lead-in's cue and period,
        and "it" stands for the metric the sentence before named, in the same paragraph ("Defence
        spending is rising. The budget says it should grow by 7% this year.")."""
        out, previous = [], None
        lead: str | None = ""  # the lead-in of the current list; None: the sentence before, not yet read
        candidate = ""
        for sent in split_sentences(text):
            if sent.kind != "bullet":
                lead, candidate = None, sent.text  # read only if a list item follows (most do not)
            elif lead is None:
                is_lead = self.lead_in.search(candidate) and self.target_cue.search(candidate)
                lead = candidate if is_lead and not self.past_cue.search(candidate) else ""
            found = self.parse(sent.text, (lead or "") if sent.kind == "bullet" else "")
            if not found and previous is not None and "\n" not in text[previous.end : sent.start]:
                found = self._parse_pronoun(sent.text, previous.text)
            out += [(t, sent) for t in found]
            previous = sent
        return out

    def _parse_pronoun(self, sentence: str, before: str) -> list[Target]:
        """The targets of `sentence` read with its first "it" as the last metric `before` names."""
        pronoun = _PRONOUN.search(sentence)
        if pronoun is None or not _maybe_quantity(sentence):
            return []
        mentions = [m for m in self._mentions(before) if m.metrics]
        if not mentions:
            return []
        named = before[mentions[-1].start : mentions[-1].end]
        read = sentence[: pronoun.start()] + named + sentence[pronoun.end() :]
        return [replace(t, text=t.text.replace(named, f"it [{named}]", 1)) for t in self.parse(read)]

    def pick(self, targets: list[Target], metric: str) -> Target | None:
        """The target a text sets for `metric`: its first for the year, else its first multi-year one
        (a plan's five-year growth floor is not compared with a yearly target)."""
        mine = [t for t in targets if t.metric == metric]
        return next((t for t in mine if not self.multi_year.search(t.period)), mine[0] if mine else None)
