"""Quantified targets: the headline numbers official texts set ("GDP growth of around 6 %",
"over 11 million new urban jobs"), read from sentences. How they move from one meeting to the
next is tracker/target_changes.py.

How targets are named, which units they take, which way is more ambitious and which words mark
a target rather than a past result are rules in targets.toml (its header explains the
reading). Code here only applies them: find values (a number with a unit), find metric mentions,
pair each value with one mention, keep the pairs that are forward-looking.

Chinese sentences are read by the same rules, in tracker.language's matching form (half-width,
simplified, same offsets). Chinese writes no spaces, so a pattern is bounded as a word only where
it meets Latin letters or digits, and a modifier may touch its number (7%左右).
"""

from __future__ import annotations

import re
from collections import namedtuple
from dataclasses import asdict, dataclass, replace

from tracker.language import CJK_CHARACTER, has_cjk, matching_form
from tracker.rule_files.targets import MetricEntry, TargetsFile
from tracker.rule_files.validation import NEVER
from tracker.sentences import Sentence, split_sentences

_WORDS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)} | {
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
    "hundred": 100,
}
_CJK = CJK_CHARACTER.pattern[1:-1]  # the character ranges, for use inside [...]
_LATIN = rf"[^\W{_CJK}]"  # a letter, digit or _ that is not Chinese
# A pattern is a whole word where it meets Latin letters or digits; next to Chinese it is not.
_WORD_START, _WORD_END = rf"(?:(?<!{_LATIN})|(?=[{_CJK}]))", rf"(?:(?!{_LATIN})|(?<=[{_CJK}]))"
# A number, not inside a word or a longer number, nor a year, month or day (2025年).
_NUM = (
    rf"(?<![.,]|{_LATIN})(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?!\d*\s*[年月日])|(?:" + "|".join(_WORDS) + r")\b)"
)
_CLAUSE_BREAK = re.compile(r"[;:。]|--|—")
_PHRASE_END = re.compile(r"[,;:、。]")
_SENTENCE_IN_GAP = re.compile(r"[;。]")
_LIST_SEP = re.compile(r"\s*(?:,?\s*(?:and\s+)?|[、和及])")
_RESPECTIVELY = re.compile(r"\s*,?\s*respectively\b", re.I)
_RESPECTIVELY_BEFORE = re.compile(r"分别\w{0,3}$")  # 分别下降23%、15%: "respectively" comes first
_CHANGE_CHAIN = r"\s*(?:[\d.,]+\s*(?:%|percent)?\s*[,、]?\s*(?:and\s+|和|及)?)*$"  # "by 2 %, 3 % and"
_ENDS_LIST_ITEM = re.compile(r"[;；][”’」』)）]*\s*$")
_DIGIT = re.compile(r"\d")


def _maybe_quantity(sentence: str) -> bool:
    """A digit or a number word ("ten million"): a cheap test before the value patterns."""
    return bool(_DIGIT.search(sentence)) or not _WORDS.keys().isdisjoint(sentence.lower().split())


_PRONOUN = re.compile(r"\b(?:it|its growth)\b(?=\s+(?:should|will|would|is|was|must|to)\b)")


def _whole(alternatives: str) -> str:
    return f"{_WORD_START}(?:{alternatives}){_WORD_END}"


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
_Size = namedtuple("_Size", "factor base")  # a Chinese multiplier or converted unit: value x factor, in base
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
        self.paragraph_lead_in = re.compile(s.paragraph_lead_in, re.I)
        self.range_sep = "|".join(s.range_separators) or NEVER
        self.from_word = re.compile(rf"(?:{'|'.join(s.from_words) or NEVER})[^,;]{{0,30}}$", re.I)
        self.target_cue = re.compile("|".join(cues.target) or NEVER, re.I)
        self.target_before = re.compile("|".join(cues.target_before) or NEVER, re.I)
        self.past_cue = re.compile("|".join(cues.past) or NEVER, re.I)
        verbs = "|".join(map(re.escape, cues.imperative)) or NEVER
        self.imperative = re.compile(rf"\W*(?:and\s+)?(?:{verbs}){_WORD_END}", re.I)
        directions = {name: "|".join(map(re.escape, words)) for name, words in validated.directions.items()}
        self.directions = {name: re.compile(_whole(words), re.I) for name, words in directions.items()}
        # In Chinese a change needs no "by": 下降3% is "down by 3 %" (下降到3% is a level, "to").
        change_verbs = [re.escape(w) for words in validated.directions.values() for w in words if has_cjk(w)]
        self.change_verb = re.compile(f"(?:{'|'.join(change_verbs) or NEVER})(?:分别)?{_CHANGE_CHAIN}")
        self.context_mods = [(name, re.compile("|".join(patterns), re.I)) for name, patterns in mods.context.items()]
        self.periods = [(re.compile(p.pattern, re.I), p.value) for p in validated.period]
        self.base, self.scale, self.prefix = (self._table(table) for table in (units.base, units.scale, units.prefix))
        self.scale_sizes = sorted(((size, name) for name, size in units.scale_size.items()), reverse=True)
        self.sizes = {k: _Size(v, "") for k, v in units.multiplier.items()}
        self.multiplier = self._table({k: [re.escape(k)] for k in units.multiplier})
        self.converted = self._table({name: c.spellings for name, c in units.conversion.items()})
        self.sizes |= {name: _Size(c.factor, c.unit) for name, c in units.conversion.items()}
        self.counter = "|".join(units.counter) or NEVER
        self._mod_before = self._table(mods.before, phrases=True)
        self._mod_after = self._table(mods.after, phrases=True)
        self.value_re = self._value_regex()
        tables = (self.scale, self.base, self.prefix, self.multiplier, self.converted)
        units_alt = "|".join(p.pattern for table in tables for p in table.values())
        self.unit_hint = re.compile(units_alt or NEVER, re.I)  # a value needs one of its units
        self.metrics = [self._metric(m) for m in validated.metric]
        self.by_id = {m.id: m for m in self.metrics}

    @staticmethod
    def _metric(m: MetricEntry) -> Metric:
        def whole(phrases: list[str]) -> re.Pattern:
            return re.compile(_whole("|".join(phrases)), re.I)

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
                rf"(?P<low{n}>{_NUM})\s*(?:(?P<mult{n}>{alt(self.multiplier)})|(?P<scale{n}>(?:{alt(self.scale)}){word}))?"
                rf"\s*(?:(?P<base{n}>(?:{alt(self.base)}){word})|(?P<conv{n}>{alt(self.converted)}))?(?:{self.counter})?"
            )

        # Chinese phrases touch their number: 低于4.6%, 7%左右
        return re.compile(
            rf"(?:(?P<mod>{alt(self._mod_before)})(?:\s+|(?<=[{_CJK}])\s*))?(?P<between>between\s+)?"
            rf"(?:(?P<cur>{alt(self.prefix)})\s*)?{part(1)}"
            rf"(?:\s*(?P<sep>{self.range_sep})\s*(?:{alt(self.prefix)})?\s*{part(2)})?"
            rf"(?:(?:\s+|(?=[{_CJK}]))(?P<post>{alt(self._mod_after)}){word})?",
            re.I,
        )

    @staticmethod
    def _name(text: str | None, table: dict[str, re.Pattern]) -> str:
        return next((name for name, rx in table.items() if text and rx.fullmatch(text)), "")

    def _end(self, g: dict, n: int) -> tuple[float, str, str]:
        """(number, scale, base) of a range's end `n`; a Chinese multiplier (万, 亿) or converted
        unit (斤) multiplied out and written in the largest scale not above it: 1.62万亿元 is
        1.62 trillion yuan, 1000万 10 million, as an English text of the same meeting says."""
        number, base = _number(g[f"low{n}"]), self._name(g[f"base{n}"], self.base)
        tables = ((f"mult{n}", self.multiplier), (f"conv{n}", self.converted))
        sizes = [self.sizes[self._name(g[key], table)] for key, table in tables if g[key]]
        if not sizes:
            return number, self._name(g[f"scale{n}"], self.scale), base
        for size in sizes:
            number, base = number * size.factor, size.base or base
        scale_size, scale = next(((f, name) for f, name in self.scale_sizes if f <= number), (1.0, ""))
        return float(f"{number / scale_size:.10g}"), scale, base

    def _values(self, s: str) -> list[_Value]:
        """Numbers with a unit; a range only with the same unit on both ends; 'from A to B' is B."""
        out, pos = [], 0
        while m := self.value_re.search(s, pos):
            g = m.groupdict()
            low_end = max(m.end(k) for k in ("low1", "mult1", "scale1", "base1", "conv1") if g[k])
            low, scale1, base1 = self._end(g, 1)
            base1 = base1 or self._name(g["cur"], self.prefix)
            unit1 = " ".join(p for p in (scale1, base1) if p)
            end, high, unit, post = low_end, None, unit1, ""
            if g["low2"] and (g["sep"] != "and" or g["between"]):
                low2, scale2, base2 = self._end(g, 2)
                unit2 = " ".join(p for p in (scale2 or scale1, base2 or base1) if p)
                if not (g["mult1"] or g["scale1"] or g["base1"] or g["conv1"]) or unit1 == unit2:
                    end, high, unit, post = m.end(), low2, unit2, g["post"]
            elif g["post"] and not g["low2"]:
                end, post = m.end(), g["post"]
            pos = end
            if not unit:
                continue
            if high is not None and self.from_word.search(s[max(0, m.start() - 35) : m.start()]):
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
        if len(gap) > self.max_gap or _SENTENCE_IN_GAP.search(gap) or between:
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
        if not _maybe_quantity(sentence):
            return []
        original, sentence = sentence, matching_form(sentence)
        context = matching_form(context)
        if not self.unit_hint.search(sentence):
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
                    out.append(replace(t, text=original[min(mentions[i].start, v.start) : max(mentions[i].end, v.end)]))
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
            if j > i and (_RESPECTIVELY.match(s, values[j].end) or _RESPECTIVELY_BEFORE.search(s, 0, values[i].start)):
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
            or self.target_before.search(s, 0, v.start)
            or (context and (self.target_cue.search(context) or self.target_before.search(context)))
            or self.imperative.match(s, clause)
        ):
            return None
        pre = s[max(clause, start - 40) : v.start]
        direction = ""
        if re.search(r"\b(?:by|of)" + _CHANGE_CHAIN, pre, re.I) or self.change_verb.search(pre):
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
        spending is rising. The budget says it should grow by 7% this year."). A sentence after one
        ending in ";" continues it (Chinese lists are split at ；), and a paragraph opened by a
        paragraph_lead_in ("今年发展的主要预期目标是：…") sets targets in all its sentences."""
        out: list[tuple[Target, Sentence]] = []
        previous: Sentence | None = None
        lead: str | None = ""  # the lead-in of the current list; None: the sentence before, not yet read
        candidate = paragraph_lead = chain = ""
        for sent in split_sentences(text):
            # the sentence before, in the same paragraph
            before = previous.text if previous and "\n" not in text[previous.end : sent.start] else None
            if sent.kind != "bullet":
                lead, candidate = None, sent.text  # read only if a list item follows (most do not)
                paragraph_lead = paragraph_lead if before is not None else ""
                if before is not None and _ENDS_LIST_ITEM.search(before):
                    chain = chain or (before if self._is_lead(before) else "")
                else:
                    chain = ""
            elif lead is None:
                lead = candidate if self.lead_in.search(candidate) and self._is_lead(candidate) else ""
            found = self.parse(sent.text, (lead or "") if sent.kind == "bullet" else paragraph_lead or chain)
            if not found and before is not None:
                found = self._parse_pronoun(sent.text, before)
            out += [(t, sent) for t in found]
            opens = sent.kind != "bullet" and self.paragraph_lead_in.search(matching_form(sent.text))
            paragraph_lead = paragraph_lead or (sent.text if opens and self._is_lead(sent.text) else "")
            previous = sent
        return out

    def _is_lead(self, sentence: str) -> bool:
        """Whether the cue of `sentence` carries over to the items that follow it."""
        folded = matching_form(sentence)
        cued = self.target_cue.search(folded) or self.target_before.search(folded)
        return bool(cued) and not self.past_cue.search(folded)

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
