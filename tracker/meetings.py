"""Meetings: the catalog (data/meetings.toml), a meeting it lacks inferred from an article that
names and dates it, and finding a meeting by what a person types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .config import ConfigError
from .dates import MONTH_NAMES, parse_date, parse_month
from .mentions import ORDINAL_WORDS, Mention, find_mentions, ordinal_suffix


@dataclass(frozen=True)
class MeetingInfo:
    """A meeting as detection and lookup see it (catalog entry or stored inferred meeting)."""

    id: str
    name: str
    kind: str
    start: dt.date
    end: dt.date
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, int], ...] = ()
    inferred: bool = False
    source: str = ""  # where the catalog has it from (e.g. the Xinhua readout and its date)

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
        late in the year (December's Central Economic Work Conference shapes next year's)."""
        if self.kind == "two_sessions":
            return self.start.year
        return self.start.year + (1 if self.start.month >= from_month else 0)

    def contains(self, day: dt.date, slack_days: int = 0) -> bool:
        slack = dt.timedelta(days=slack_days)
        return self.start - slack <= day <= self.end + slack


ATTR_KEYS = ("congress", "cc", "plenum", "npc", "npc_session", "year", "month")
CATALOG_FIELDS = {"id", "name", "kind", "start", "end", "aliases", "source", *ATTR_KEYS}


def load_catalog(catalog: dict) -> list[MeetingInfo]:
    """The [[meeting]] tables of meetings.toml; a malformed entry raises ConfigError saying which
    entry and what is wrong (the CLI prints it and stops, nothing stored is changed)."""
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
            raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(CATALOG_FIELDS))})")
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
        if entry["id"] in seen:
            raise ConfigError(f"{where}: the id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        meetings.append(
            MeetingInfo(
                id=entry["id"],
                name=entry["name"],
                kind=entry["kind"],
                start=start,
                end=end,
                aliases=tuple(aliases),
                attrs=tuple((k, int(entry[k])) for k in ATTR_KEYS if k in entry),
                source=entry.get("source", ""),
            )
        )
    return meetings


# ---------------------------------------------------------------- a meeting the catalog lacks


def _npc_session_year(attrs: dict, meetings: list[MeetingInfo]) -> int | None:
    """The year of "the Nth Session of the Mth NPC", counted from a catalog session (one a year,
    five a term): how a session the catalog lacks is dated."""
    if "npc" not in attrs or "npc_session" not in attrs:
        return None
    for m in meetings:
        if m.kind == "two_sessions" and m.attr("npc") and m.attr("npc_session"):
            first = m.start.year - (m.attr("npc_session") - 1) - 5 * m.attr("npc")
            return first + 5 * attrs["npc"] + attrs["npc_session"] - 1
    return None


def infer_meeting(mention: Mention, start: dt.date, end_day: int | None, meetings: list[MeetingInfo],
                  rules: dict) -> MeetingInfo | None:
    """A meeting the catalog lacks, named with its dates in an article: its id and name from the
    [detection] inferred_ids / inferred_names templates of its kind, filled with the numbers the
    mention states and those the catalog implies (None when they do not suffice)."""
    try:
        end = start.replace(day=end_day) if end_day else start
    except ValueError:
        return None
    if end < start:
        return None
    attrs = dict(mention.attrs)
    if "year" in attrs and attrs["year"] != start.year:
        return None
    if mention.kind == "two_sessions":
        year = _npc_session_year(attrs, meetings)
        if year is not None and year != start.year:
            return None  # "the First Session of the 15th NPC on March 5, 2031": the numbers say 2028
    attrs.setdefault("year", start.year)
    if mention.kind == "plenum" and "cc" not in attrs:
        congresses = [m for m in meetings if m.kind == "party_congress" and m.start <= start]
        if not congresses:
            return None
        attrs["cc"] = max(congresses, key=lambda m: m.start).attr("congress")
    if mention.kind in ("plenum",) and "plenum" not in attrs:
        return None
    if mention.kind == "party_congress" and "congress" not in attrs:
        return None
    fields: dict = dict(attrs)
    for key, value in attrs.items():
        fields[f"{key}_th"] = ordinal_suffix(value)
        if 0 < value <= len(ORDINAL_WORDS):
            fields[f"{key}_word"] = ORDINAL_WORDS[value - 1].capitalize()
    fields.update(date=start.isoformat(), mm=f"{start.month:02d}", dd=f"{start.day:02d}",
                  month_name=MONTH_NAMES[start.month - 1], day=start.day)
    det = rules["detection"]
    try:
        meeting_id = det["inferred_ids"][mention.kind].format(**fields)
        name = det["inferred_names"][mention.kind].format(**fields)
    except (KeyError, IndexError, ValueError):
        return None
    keep = {k: v for k, v in attrs.items() if k in ATTR_KEYS and (k != "year" or mention.kind not in ("party_congress", "plenum"))}
    return MeetingInfo(meeting_id, name, mention.kind, start, end, (mention.text.strip(),),
                       tuple(sorted(keep.items())), inferred=True)


# ---------------------------------------------------------------- finding a meeting by name


class MeetingNotFound(LookupError):
    """Nothing in the catalog fits what a person typed."""


def find_meeting(spec: str, meetings: list[MeetingInfo], rules: dict, prefer: set[str] = frozenset()) -> MeetingInfo:
    """A meeting by id, name or alias (case-insensitive), a phrase a recogniser knows, or a
    date inside it. When several fit ("Third Plenum"), meetings in `prefer` (those with
    articles) win, then the latest."""
    wanted = spec.strip().casefold()
    by_id = {m.id.casefold(): m for m in meetings}
    if wanted in by_id:
        return by_id[wanted]
    matches = [m for m in meetings if wanted == m.name.casefold() or wanted in (a.casefold() for a in m.aliases)]
    if not matches:
        mentions = find_mentions(spec, meetings, rules)
        full = [mn for mn in mentions if mn.start == 0 and mn.end >= len(spec.strip()) - 1]
        if full:
            matches = list(full[0].candidates)
    if not matches:
        day = parse_date(spec)
        if day is not None:
            matches = [m for m in meetings if m.contains(day)]
    if not matches:
        month = parse_month(spec)  # "July 2024", "2024-07": the meetings held that month
        if month is not None:
            matches = [m for m in meetings if (m.start.year, m.start.month) <= month <= (m.end.year, m.end.month)]
    if not matches:
        raise MeetingNotFound(f"no meeting matches {spec!r} (try an id from `tracker meetings`, a name, or a date)")
    # Several fit: those with articles, then the major kinds (a month holds a plenum and a
    # Politburo meeting: "July 2024" means the plenum), then the latest.
    order = list(rules.get("detection", {}).get("kind_priority", []))
    rank = {kind: len(order) - i for i, kind in enumerate(order)}
    matches.sort(key=lambda m: (m.id in prefer, rank.get(m.kind, 0), m.start), reverse=True)
    return matches[0]
