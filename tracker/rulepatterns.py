"""Regular expressions from rules.toml, compiled with an error that says which entry is bad."""

from __future__ import annotations

import re

from .config import ConfigError


def compile_rule(pattern: str, where: str, flags: int = 0) -> re.Pattern:
    """`pattern` compiled; a ConfigError naming `where` ("detection.heading_cue") if it is not
    a string or not a valid regular expression."""
    if not isinstance(pattern, str):
        raise ConfigError(f"rules.toml {where}: the pattern must be a string")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise ConfigError(f"rules.toml {where}: not a valid regular expression ({exc})") from exc
