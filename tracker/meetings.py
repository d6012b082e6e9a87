"""Meetings: the catalog (meetings.toml: the kinds of meeting and the meetings) and a meeting
it lacks inferred from an article that names and dates it. Finding a meeting by what a person
types is tracker.meeting_lookup's (its names are re-exported here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import MONTH_NAMES, chinese_numeral
from .meeting_lookup import AmbiguousMeeting, MeetingNotFound, find_meeting, meeting_candidates
from .mentions import ORDINAL_WORDS, Mention, ordinal_suffix
from .toml_files import ConfigError

# The numbers a meeting can carry (recogniser groups, catalog fields, [kinds] numbers).
ATTR_KEYS = ("congress", "cc", "plenum", "npc", "npc_session", "year", "month")


@dataclass(frozen=True)
class LatestNumber:
    """A number an article may leave out, taken as the number `its` of the latest meeting of
    `kind` held before (a plenum's cc: the number of the latest party congress)."""

    number: str
    kind: str
    its: str


@dataclass(frozen=True)
class YearlySessions:
    """Meetings that are the yearly sessions of a body elected every `term_years` years,
    numbered by `term` and `session` (the Nth Session of the Mth NPC)."""

    term: str
    session: str
    term_years: int

    def year_of(self, numbers: dict, sessions: list[MeetingInfo]) -> int | None:
        """The year of the session `numbers` name, counted from one of `sessions` that carries
        both numbers (None when either is unknown)."""
        if self.term not in numbers or self.session not in numbers:
            return None
        for m in sessions:
            term, session = m.attr(self.term), m.attr(self.session)
            if term and session:
                first = m.start.year - (session - 1) - self.term_years * term
                return first + self.term_years * numbers[self.term] + numbers[self.session] - 1
        return None


@dataclass(frozen=True)
class MeetingKind:
    """What meetings.toml [kinds.<kind>] says about a kind of meeting (see the file's comments)."""

    label: str
    numbers: tuple[str, ...]
    needs: tuple[str, ...] = ()
    targets_own_year: bool = False
    number_from_latest: LatestNumber | None = None
    yearly_sessions: YearlySessions | None = None
    aliases_zh: tuple[str, ...] = ()  # templates of its meetings' Chinese names

    def chinese_names(self, numbers: dict) -> tuple[str, ...]:
        """The Chinese names of the meeting with these numbers: each template filled with the
        numbers ({year}) and the numbers in Chinese numerals ({cc_zh}: 二十); a template that
        needs a number the meeting lacks is left out."""
        fields = dict(numbers)
        fields.update({f"{k}_zh": chinese_numeral(v) for k, v in numbers.items() if 0 < v < 100})
        names = []
        for template in self.aliases_zh:
            try:
                names.append(template.format(**fields))
            except KeyError:
                continue
        return tuple(names)

    def numbers_of(self, given: dict, start: dt.date) -> tuple[tuple[str, int], ...]:
        """The numbers of a meeting of this kind held from `start`: those given, with its year
        and month taken from its start when not given."""
        from_start = {"year": start.year, "month": start.month}
        return tuple(
            sorted(
                (k, given[k] if k in given else from_start[k]) for k in self.numbers if k in given or k in from_start
            )
        )


@dataclass(frozen=True)
class MeetingInfo:
    """A meeting as detection and lookup see it (catalog entry or stored inferred meeting)."""

    id: str
    name: str
    kind: str
    start: dt.date
    end: dt.date
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, int], ...] = ()  # its numbers, as its kind carries them
    inferred: bool = False
    source: str = ""  # where the catalog has it from (e.g. the Xinhua readout and its date)
    kind_facts: MeetingKind | None = None  # None: made without the catalog (a stored meeting looked up by name)
    # Its Chinese names (meetings.toml [kinds] aliases_zh), found like aliases; not stored with it
    # (Meeting.aliases, which the site takes its short labels from, stays in English).
    names_zh: tuple[str, ...] = ()

    def attr(self, key: str) -> int | None:
        attrs = dict(self.attrs)
        if key in attrs:
            return attrs[key]
        if key == "year":
            return self.start.year
        if key == "month":
            return self.start.month
        return None

    def target_year(self, from_month: int = 10) -> int:
        """The year whose targets this meeting sets: its own, or the next one for a meeting held
        late in the year (December's Central Economic Work Conference shapes next year's),
        unless its kind sets its own year's targets (the NPC session in March)."""
        if self.kind_facts is not None and self.kind_facts.targets_own_year:
            return self.start.year
        return self.start.year + (1 if self.start.month >= from_month else 0)

    def contains(self, day: dt.date, slack_days: int = 0) -> bool:
        slack = dt.timedelta(days=slack_days)
        return self.start - slack <= day <= self.end + slack


# ---------------------------------------------------------------- the kinds of meeting


KIND_KEYS = ("label", "numbers", "needs", "targets_own_year", "number_from_latest", "yearly_sessions", "aliases_zh")


def readable_alias(aliases) -> str | None:
    """A meeting's short name, where its aliases have one: the shortest of 6 to 30 characters
    ("2024 NPC", "Third Plenum"). The site and the CLI name meetings by it."""
    readable = [a for a in aliases or () if 6 <= len(a) <= 30]
    return min(readable, key=len) if readable else None


def _number_names(where: str, key: str, value, allowed) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of number names")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ConfigError(f"{where}: {key} names {', '.join(unknown)}, not one of {', '.join(allowed) or 'none'}")
    return tuple(value)


def _inline_table(where: str, key: str, value, fields: dict[str, type]) -> dict:
    """An inline table of [kinds.<kind>] with exactly `fields`, of those types."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table ({', '.join(fields)})")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise ConfigError(f"{where}: unknown key {key}.{unknown[0]} (known: {', '.join(fields)})")
    for name, type_ in fields.items():
        if name not in value:
            raise ConfigError(f"{where}: {key}.{name} is missing")
        if not isinstance(value[name], type_) or isinstance(value[name], bool):
            raise ConfigError(f"{where}: {key}.{name} must be {'a text' if type_ is str else 'a whole number'}")
    return value


def _kind(where: str, table) -> MeetingKind:
    """One [kinds.<kind>] table, checked on its own (load_kinds checks what it names)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = [key for key in table if key not in KIND_KEYS]
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]} (known: {', '.join(KIND_KEYS)})")
    missing = [key for key in ("label", "numbers") if key not in table]
    if missing:
        raise ConfigError(f"{where}: {missing[0]} is missing")
    if not isinstance(table["label"], str) or not table["label"].strip():
        raise ConfigError(f"{where}: label must be a non-empty text")
    numbers = _number_names(where, "numbers", table["numbers"], ATTR_KEYS)
    if not isinstance(table.get("targets_own_year", False), bool):
        raise ConfigError(f"{where}: targets_own_year must be true or false")
    latest = sessions = None
    if "number_from_latest" in table:
        fields = _inline_table(
            where, "number_from_latest", table["number_from_latest"], {"number": str, "kind": str, "its": str}
        )
        latest = LatestNumber(**fields)
        _number_names(where, "number_from_latest.number", [latest.number], numbers)
    if "yearly_sessions" in table:
        fields = _inline_table(
            where, "yearly_sessions", table["yearly_sessions"], {"term": str, "session": str, "term_years": int}
        )
        sessions = YearlySessions(**fields)
        _number_names(where, "yearly_sessions.term and .session", [sessions.term, sessions.session], numbers)
        if sessions.term_years < 1:
            raise ConfigError(f"{where}: yearly_sessions.term_years must be at least 1")
    return MeetingKind(
        table["label"],
        numbers,
        _number_names(where, "needs", table.get("needs", []), numbers),
        table.get("targets_own_year", False),
        latest,
        sessions,
        _chinese_templates(where, table.get("aliases_zh", [])),
    )


def _chinese_templates(where: str, templates) -> tuple[str, ...]:
    """aliases_zh: texts whose {fields} name numbers (year, cc ...), or numbers with _zh (cc_zh)."""
    if not isinstance(templates, list) or not all(isinstance(t, str) and t.strip() for t in templates):
        raise ConfigError(f"{where}: aliases_zh must be a list of non-empty texts")
    sample = {n: 1 for n in ATTR_KEYS} | {f"{n}_zh": "一" for n in ATTR_KEYS}
    for template in templates:
        try:
            template.format(**sample)
        except (KeyError, IndexError, ValueError) as exc:
            fields = ", ".join(f"{{{k}}}" for k in sample)
            raise ConfigError(f"{where}: aliases_zh {template!r} fills in {exc}, not one of {fields}") from None
    return tuple(templates)


def load_kinds(catalog: dict) -> dict[str, MeetingKind]:
    """The [kinds.<kind>] tables of meetings.toml; a malformed one raises ConfigError naming the
    kind and the key (the CLI prints it and stops)."""
    tables = catalog.get("kinds", {})
    if not isinstance(tables, dict):
        raise ConfigError("meetings.toml: kinds must be a table of tables, one per kind")
    kinds = {name: _kind(f"meetings.toml kinds.{name}", table) for name, table in tables.items()}
    for name, kind in kinds.items():
        latest = kind.number_from_latest
        if latest is not None:
            where = f"meetings.toml kinds.{name}"
            if latest.kind not in kinds:
                raise ConfigError(f"{where}: number_from_latest.kind names {latest.kind}, not one of the kinds")
            _number_names(where, "number_from_latest.its", [latest.its], kinds[latest.kind].numbers)
    return kinds


# ---------------------------------------------------------------- the meetings


CATALOG_FIELDS = {"id", "name", "kind", "start", "end", "aliases", "source", *ATTR_KEYS}


def load_catalog(catalog: dict) -> list[MeetingInfo]:
    """The [[meeting]] tables of meetings.toml, each with its kind's facts; a malformed entry (or
    [kinds] table) raises ConfigError saying which entry and what is wrong (the CLI prints it and
    stops, nothing stored is changed)."""
    kinds = load_kinds(catalog)
    meetings = []
    seen: set[str] = set()
    entries = catalog.get("meeting", [])
    if not isinstance(entries, list):
        raise ConfigError("meetings.toml: [[meeting]] must be an array of tables")
    for number, entry in enumerate(entries, 1):
        where = f"meetings.toml: meeting #{number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} is not a table")
        if isinstance(entry.get("id"), str):
            where += f" ({entry['id']})"
        missing = [k for k in ("id", "name", "kind", "start", "end") if k not in entry]
        if missing:
            raise ConfigError(f"{where} lacks {', '.join(missing)}")
        unknown = sorted(set(entry) - CATALOG_FIELDS)
        if unknown:
            raise ConfigError(
                f"{where}: unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(CATALOG_FIELDS))})"
            )
        for key in ("id", "name", "kind", "source"):
            if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
                raise ConfigError(f"{where}: {key} must be a non-empty string")
        start, end = entry["start"], entry["end"]
        if not all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in (start, end)):
            raise ConfigError(f"{where}: start and end must be dates written YYYY-MM-DD (no quotes)")
        if end < start:
            raise ConfigError(f"{where}: end {end} is before start {start}")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError(f"{where}: aliases must be a list of non-empty strings")
        if any(not isinstance(entry[k], int) or isinstance(entry[k], bool) for k in ATTR_KEYS if k in entry):
            raise ConfigError(f"{where}: {', '.join(k for k in ATTR_KEYS if k in entry)} must be whole numbers")
        kind = kinds.get(entry["kind"])
        if kind is None:
            raise ConfigError(f"{where}: kind {entry['kind']!r} is not one of the kinds ({', '.join(kinds) or 'none'})")
        foreign = [k for k in ATTR_KEYS if k in entry and k not in kind.numbers]
        if foreign:
            raise ConfigError(
                f"{where}: a {entry['kind']} does not carry {', '.join(foreign)} "
                f"(its numbers: {', '.join(kind.numbers) or 'none'})"
            )
        if entry["id"] in seen:
            raise ConfigError(f"{where}: the id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        attrs = kind.numbers_of(entry, start)
        meetings.append(
            MeetingInfo(
                id=entry["id"],
                name=entry["name"],
                kind=entry["kind"],
                start=start,
                end=end,
                aliases=tuple(aliases),
                attrs=attrs,
                source=entry.get("source", ""),
                kind_facts=kind,
                names_zh=kind.chinese_names(dict(attrs)),
            )
        )
    return meetings


# ---------------------------------------------------------------- a meeting the catalog lacks


def infer_meeting(
    mention: Mention,
    start: dt.date,
    end_day: int | None,
    meetings: list[MeetingInfo],
    kinds: dict[str, MeetingKind],
    rules: dict,
) -> MeetingInfo | None:
    """A meeting the catalog lacks, named with its dates in an article: its id and name from the
    [detection] inferred_ids / inferred_names templates of its kind, filled with the numbers the
    mention states and those the catalog implies (None when they do not suffice, or when
    [kinds] lacks its kind)."""
    kind = kinds.get(mention.kind)
    if kind is None:
        return None
    try:
        end = start.replace(day=end_day) if end_day else start
    except ValueError:
        return None
    if end < start:
        return None
    attrs = dict(mention.attrs)
    if "year" in attrs and attrs["year"] != start.year:
        return None
    if kind.yearly_sessions is not None:
        year = kind.yearly_sessions.year_of(attrs, [m for m in meetings if m.kind == mention.kind])
        if year is not None and year != start.year:
            return None  # "the First Session of the 15th NPC on March 5, 2031": the numbers say 2028
    attrs.setdefault("year", start.year)
    latest = kind.number_from_latest
    if latest is not None and latest.number not in attrs:
        before = [m for m in meetings if m.kind == latest.kind and m.start <= start]
        number = max(before, key=lambda m: m.start).attr(latest.its) if before else None
        if number is not None:
            attrs[latest.number] = number
    if any(number not in attrs for number in kind.needs):
        return None
    fields: dict = dict(attrs)
    for key, value in attrs.items():
        fields[f"{key}_th"] = ordinal_suffix(value)
        if 0 < value <= len(ORDINAL_WORDS):
            fields[f"{key}_word"] = ORDINAL_WORDS[value - 1].capitalize()
    fields.update(
        date=start.isoformat(),
        mm=f"{start.month:02d}",
        dd=f"{start.day:02d}",
        month_name=MONTH_NAMES[start.month - 1],
        day=start.day,
    )
    det = rules["detection"]
    try:
        meeting_id = det["inferred_ids"][mention.kind].format(**fields)
        name = det["inferred_names"][mention.kind].format(**fields)
    except (KeyError, IndexError, ValueError):
        return None
    numbers = kind.numbers_of(attrs, start)
    return MeetingInfo(
        meeting_id,
        name,
        mention.kind,
        start,
        end,
        (mention.text.strip(),),
        numbers,
        inferred=True,
        kind_facts=kind,
        names_zh=kind.chinese_names(dict(numbers)),
    )


__all__ = ["AmbiguousMeeting", "MeetingNotFound", "find_meeting", "meeting_candidates"]  # tracker.meeting_lookup
