"""How a rule file is read: the files it is made of merged in order (config.merge_rules), then
validated against its schema. A problem ends as one ConfigError line naming the file, the key and what was expected:
`rules.toml: [detection] title_weight: expected a number, got 'x'`."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from ..toml_files import ConfigError, load_rules, load_toml


class RuleTable(BaseModel):
    """A table of a rule file: every key known and typed as TOML writes it (a number is not a
    string, a date is not quoted), read-only. The docstring under each option documents it."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True)


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    return pattern


Pattern = Annotated[str, AfterValidator(_compiles)]
"""A Python regular expression (checked when the file is read)."""

NEVER = r"(?!)"  # the default of a pattern that is off: it matches nothing
OPEN_END = dt.date(9999, 12, 31)

Schema = TypeVar("Schema", bound=RuleTable)


def load_rule_file(sources: list[Path], schema: type[Schema]) -> Schema:
    """The rule file made of `sources` (the packaged default, then a project's override), merged
    by config.merge_rules and validated against `schema`; ConfigError if it does not fit."""
    merged = load_rules(sources)
    try:
        return schema.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(problem_line(exc, schema, sources, merged)) from None


# ---------------------------------------------------------------- one line per problem

_EXPECTED = {
    "float_type": "a number",
    "int_type": "a whole number",
    "string_type": "text in quotes",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a table",
    "model_type": "a table",
    "date_type": "a date written YYYY-MM-DD (no quotes)",
}


def problem_line(exc: ValidationError, schema: type[RuleTable], sources: list[Path], merged: dict) -> str:
    """`FILE: [TABLE] KEY: what was expected`, for the first problem (and how many more there are)."""
    errors = exc.errors(include_url=False)
    # A misspelt key is also a missing one: report the misspelling, and not the missing key again.
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    misspelt = {tuple(e["loc"][:-1]) + (_suggestion(schema, tuple(e["loc"])),) for e in unknown}
    errors = unknown + [e for e in errors if e["type"] != "extra_forbidden" and tuple(e["loc"]) not in misspelt]
    first = errors[0]
    loc = tuple(first["loc"])
    # The file that wrote the key, or for a missing key the table that lacks it (the last such
    # file: the one an analyst edits).
    written = loc[:-1] if first["type"] == "missing" else loc
    file = next((path for path in reversed(sources) if _holds(load_toml(path), merged, written)), sources[-1])
    where = _where(loc, schema)
    line = f"{file}: {where + ': ' if where else ''}{_what(first, schema)}"
    if len(errors) > 1:
        line += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return line


def _what(error: Mapping[str, Any], schema: type[RuleTable]) -> str:
    kind, given, loc = error["type"], error["input"], tuple(error["loc"])
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        close = _suggestion(schema, loc)
        known = ", ".join(_known_keys(_type_at(schema, loc[:-1])))
        return "unknown key" + (f" (did you mean {close}?)" if close else f" (known: {known})")
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, got {_shown(given)}"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_shown(given)}"
    return error["msg"][:1].lower() + error["msg"][1:]


def _suggestion(schema: type[RuleTable], loc: tuple) -> str | None:
    """The known key an unknown key at `loc` is probably a misspelling of."""
    close = difflib.get_close_matches(str(loc[-1]), _known_keys(_type_at(schema, loc[:-1])), n=1)
    return close[0] if close else None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _where(loc: tuple, schema: type[RuleTable]) -> str:
    """`[detection] title_weight`, `[detection.recognizer #3] pattern`, `[detection] actors #2`,
    `[detection]` (a table)."""
    parts: list[str] = []
    for step in loc:
        if isinstance(step, int) and parts:
            parts[-1] += f" #{step + 1}"
        else:
            parts.append(str(step))
    if not parts:
        return ""
    if _known_keys(_type_at(schema, loc)):  # a table
        return f"[{'.'.join(parts)}]"
    return f"[{'.'.join(parts[:-1])}] {parts[-1]}" if len(parts) > 1 else parts[0]


def _holds(table: Any, merged: Any, loc: tuple) -> bool:
    """Whether one source file, `table`, wrote the value at `loc` of the `merged` rule file. As
    merge_rules merges: an entry of a list of entries with ids is found by its id; any other
    list is one file's, whole."""
    for step in loc:
        if isinstance(table, dict) and isinstance(merged, dict) and step in table:
            table, merged = table[step], merged.get(step)
        elif isinstance(table, list) and isinstance(merged, list) and isinstance(step, int) and step < len(merged):
            entry = merged[step]
            if isinstance(entry, dict) and "id" in entry:
                table = next((e for e in table if isinstance(e, dict) and e.get("id") == entry["id"]), None)
            else:
                table = table[step] if table == merged else None
            if table is None:
                return False
            merged = entry
        else:
            return False
    return True


def _unwrapped(tp: Any) -> Any:
    """`tp` without Annotated and without `| None`."""
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


def _type_at(schema: type, loc: tuple) -> Any:
    """The schema type of the value at `loc` (None where it cannot be told)."""
    tp: Any = schema
    for step in loc:
        tp = _unwrapped(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            fields = {f.alias or name: f for name, f in tp.model_fields.items()}
            if step not in fields:
                return None
            tp = fields[step].annotation
        elif typing.get_origin(tp) in (list, tuple, dict):
            tp = typing.get_args(tp)[-1]
        else:
            return None
    return _unwrapped(tp)


def _known_keys(tp: Any) -> list[str]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [f.alias or name for name, f in tp.model_fields.items()]
    return []
