"""Reading the TOML files a project is configured by: a file that cannot be read is one
`ConfigError` line naming it, and a packaged rule file is overridden key by key by the
project's own."""

from __future__ import annotations

import tomllib
from pathlib import Path


class ConfigError(Exception):
    """A data file the pipeline needs is missing or malformed."""


def load_toml(path: Path | str) -> dict:
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        bad = exc.object[exc.start]
        raise ConfigError(f"{path}: not valid TOML (not UTF-8: byte {bad:#04x} at line {line})") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def merge_rules(base: dict, override: dict) -> dict:
    """`override` laid over `base` key by key: tables merge; a list of tables whose entries all
    have an `id` (meetings, topics, metrics) merges entry by entry (same id merged, a new id
    added at the end); any other value replaces the default's."""
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[key] = merge_rules(old, value)
        elif isinstance(old, list) and _entries_with_ids(old) and _entries_with_ids(value):
            entries = {entry["id"]: entry for entry in old}
            for entry in value:
                entries[entry["id"]] = merge_rules(entries.get(entry["id"], {}), entry)
            merged[key] = list(entries.values())
        else:
            merged[key] = value
    return merged


def _entries_with_ids(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(e, dict) and "id" in e for e in value)


def load_rules(paths: list[Path]) -> dict:
    """One rule file from its sources (`Settings.rule_sources`), later ones overriding earlier."""
    merged: dict = {}
    for path in paths:
        merged = merge_rules(merged, load_toml(path))
    return merged
