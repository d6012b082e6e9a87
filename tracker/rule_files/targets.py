"""The options of targets.toml: quantified targets, the metrics they are set for, how they are
phrased and which way is more ambitious (the file's header explains the reading). Patterns are
Python regular expressions, matched case-insensitively."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .validation import NEVER, Pattern, RuleTable

Spellings = list[Pattern]  # the spellings of one name, as patterns
Bounds = Annotated[list[float], Field(min_length=2, max_length=2)]  # [min, max]


class SettingsTable(RuleTable):
    """[settings]: how values are paired with metrics."""

    max_gap: int = 120
    """A value belongs to the nearest mention before it at most this many characters away."""
    past_lookback: int = 80
    """A past cue makes a value a past result from the previous , ; or : but at most this many
    characters before its mention."""
    postfix_words: list[str] = []
    """Words that may stand between a value and a metric named after it ("12 million new urban jobs")."""
    multi_year: Pattern = NEVER
    """A period, as [[period]] records it, that is a multi-year horizon (plan targets, deadlines)."""
    meeting_kinds: list[str] = []
    """The meeting kinds of meetings.toml; a metric's set_by must name these (empty: any)."""
    lead_in: Pattern = NEVER
    """A sentence ending so introduces a list: its cue and period carry over to the bullet items."""
    paragraph_lead_in: Pattern = NEVER
    """A sentence with this (and a target cue, no past cue) opens a paragraph of targets: its cue
    and period carry over to the paragraph's later sentences (a Chinese report's 主要预期目标是：)."""
    range_separators: list[Pattern] = ["to", "and", "-", "–"]
    """What stands between the two ends of a range ("6 to 6.5 %"); "and" only after "between"."""
    from_words: list[Pattern] = [r"\bfrom\b"]
    """A range after one of these is a move ("from 2 % to 2.5 %"): the target is its upper end."""


class CuesTable(RuleTable):
    """[cues]: what makes a value a target rather than a past result."""

    target: list[Pattern] = []
    """What marks a target rather than a past result ("aim to", "target", "will")."""
    target_before: list[Pattern] = []
    """Target cues that count only before the value (Chinese time phrases: 今年, this year)."""
    past: list[Pattern] = []
    """What marks a past result ("last year", "grew")."""
    imperative: list[str] = []
    """Verbs whose clause is a target when it begins with one ("increase", "keep")."""


class ModifiersTable(RuleTable):
    """[modifiers]: around, at least, at most."""

    before: dict[str, list[str]] = {}
    """Phrases before a value, for each modifier ("around", "at least", "at most")."""
    after: dict[str, list[str]] = {}
    """Phrases after a value ("or more")."""
    context: dict[str, list[Pattern]] = {}
    """Patterns near a value that give its modifier ("ceiling": at most)."""

    @model_validator(mode="after")
    def _phrases_given(self) -> ModifiersTable:
        for table, name in ((self.before, "before"), (self.after, "after")):
            if empty := [key for key, forms in table.items() if not forms]:
                raise ValueError(f"[modifiers.{name}] {empty[0]}: expected at least one phrase")
        return self


class ConversionEntry(RuleTable):
    """[units.conversion.NAME]: a unit read as a multiple of a base unit."""

    spellings: Spellings = Field(min_length=1)
    """How it is written."""
    unit: str
    """The base unit of [units.base] it is converted to."""
    factor: float
    """How many of that unit one of it is."""


class UnitsTable(RuleTable):
    """[units]: units a value takes; a metric's units are base units, scales or "scale base"."""

    base: dict[str, Spellings] = {}
    """Units and their spellings ("%": percent, per cent)."""
    scale: dict[str, Spellings] = {}
    """Scales ("million": mln, mn)."""
    prefix: dict[str, Spellings] = {}
    """Units written before the number ("US dollars": $)."""
    scale_size: dict[str, float] = {}
    """The size of each scale ("million": 1e6), for writing a multiplied-out value in the scales."""
    multiplier: dict[str, float] = {}
    """Number words written after the digits that multiply them ("万": 1e4): the value is
    multiplied out and written in the largest scale of `scale_size` not above it."""
    counter: list[Pattern] = []
    """Words after a count that name what is counted and add no unit ("人" in 1000万人)."""
    conversion: dict[str, ConversionEntry] = {}
    """Units converted to a base unit ("jin": half a kilogram)."""

    @model_validator(mode="after")
    def _spellings_given(self) -> UnitsTable:
        tables = ((self.base, "base"), (self.scale, "scale"), (self.prefix, "prefix"))
        for table, name in tables:
            if empty := [key for key, forms in table.items() if not forms]:
                raise ValueError(f"[units.{name}] {empty[0]}: expected at least one spelling")
        if unknown := [name for name in self.scale_size if name not in self.scale]:
            raise ValueError(f"[units.scale_size] {unknown[0]}: not a scale of [units.scale]")
        if unknown := [name for name, c in self.conversion.items() if c.unit not in self.base]:
            raise ValueError(f"[units.conversion] {unknown[0]}: unit is not a base unit of [units.base]")
        if (self.multiplier or self.conversion) and not self.scale_size:
            raise ValueError("[units.scale_size]: needed to write multiplied or converted values")
        return self


class PeriodEntry(RuleTable):
    """[[period]]: the period a target is set for."""

    pattern: Pattern
    """How a period is written."""
    value: str
    """What it is recorded as; \\1, \\2 are the pattern's groups."""

    @model_validator(mode="after")
    def _groups_exist(self) -> PeriodEntry:
        groups = re.compile(self.pattern).groups
        if any(int(g) > groups for g in re.findall(r"\\(\d)", self.value)):
            raise ValueError(f"value {self.value!r} names a group the pattern does not have")
        return self


class MetricEntry(RuleTable):
    """[[metric]]: a quantity targets are set for (GDP growth, CPI, ...)."""

    id: str
    """The metric's id (`tracker targets --metric ID`)."""
    label: str
    """What people read."""
    patterns: list[Pattern] = Field(min_length=1)
    """How texts name the metric."""
    exclude: list[Pattern] = []
    """Mentions that look like it but are something else."""
    units: list[str] = Field(min_length=1)
    """Units its values take: a base unit, a scale or "scale base" of [units]."""
    range: Bounds | None = None
    """[min, max]: values outside are other figures."""
    better: Literal["higher", "lower", "neither"]
    """Which way is more ambitious."""
    set_by: list[str]
    """Meeting kinds that set it every year; a meeting of that kind that sets none is reported."""
    headline: bool = False
    """A headline target (shown first)."""


class TargetsFile(RuleTable):
    """targets.toml."""

    settings: SettingsTable = SettingsTable()
    cues: CuesTable = CuesTable()
    directions: dict[str, list[str]] = {}
    """Words that say a value is an increase or a cut."""
    modifiers: ModifiersTable = ModifiersTable()
    units: UnitsTable = UnitsTable()
    period: list[PeriodEntry] = []
    """Periods a target is set for, tried in order."""
    metric: list[MetricEntry] = Field(min_length=1)
    """The metrics."""

    @model_validator(mode="after")
    def _metrics_fit(self) -> TargetsFile:
        known_units = {
            *self.units.base,
            *self.units.scale,
            *(f"{scale} {base}" for scale in self.units.scale for base in self.units.base),
        }
        kinds = set(self.settings.meeting_kinds)
        seen: set[str] = set()
        for number, m in enumerate(self.metric, 1):
            where = f"[metric #{number}] ({m.id})"
            if m.id in seen:
                raise ValueError(f"{where} id: {m.id!r} is used twice")
            seen.add(m.id)
            if bad := [u for u in m.units if u not in known_units]:
                raise ValueError(
                    f"{where} units: unknown unit(s) {bad} (known: base, scale or 'scale base' of [units])"
                )
            if kinds and (bad := [k for k in m.set_by if k not in kinds]):
                raise ValueError(f"{where} set_by: unknown meeting kind(s) {bad} (known: [settings] meeting_kinds)")
        return self
