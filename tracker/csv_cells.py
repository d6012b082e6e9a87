"""CSV cells from untrusted text (article titles and sentences, file names), safe where a CSV
goes: a spreadsheet, or a terminal when `tracker diff --format csv` prints to one."""

from __future__ import annotations

import re

# A cell a spreadsheet would evaluate as a formula (OWASP, "CSV injection"): one starting with
# = + - @, a tab or a carriage return, also after spaces. A plain number ("-0.5") is a number.
_FORMULA_START = re.compile(r"^ *[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
# Control characters but tab and line ends (ESC, BEL, C1...): a terminal would act on them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def spreadsheet_cell(value) -> str:
    """A CSV cell's text that no spreadsheet evaluates and no terminal acts on: control
    characters removed, and one that would start a formula prefixed with an apostrophe (the
    cell shows the text as written)."""
    text = _CONTROL.sub("", "" if value is None else str(value))
    if _FORMULA_START.match(text) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text
