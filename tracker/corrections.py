"""Analyst corrections to matching (corrections.toml, in the project's rules folder): links to
force and links to forbid, applied on every build."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .rule_files.corrections import CorrectionsFile
from .rule_files.validation import load_rule_file


@dataclass
class Corrections:
    """Analyst corrections (corrections.toml): links to force and links to forbid."""

    force: set[tuple[str, str]] = field(default_factory=set)
    forbid: set[tuple[str, str]] = field(default_factory=set)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)


def load_corrections(path) -> Corrections:
    """corrections.toml (tracker/rule_files/corrections.py), validated; none if there is no such file."""
    corrections = Corrections()
    path = Path(path)
    if not path.exists():
        return corrections
    validated = load_rule_file([path], CorrectionsFile)
    for entries, target in ((validated.link, corrections.force), (validated.unlink, corrections.forbid)):
        for entry in entries:
            pair = (entry.from_, entry.to)
            target.add(pair)
            corrections.notes[pair] = entry.note
    return corrections


def save_correction(path, kind: str, from_id: str, to_id: str, note: str) -> None:
    """Append one correction, keeping the file readable and reviewable (plain TOML)."""
    path = Path(path)
    header = (
        "# Analyst corrections to matching, applied on every build.\n"
        "# [[link]] forces two commitments (ids from `tracker commitments --format json`) to match;\n"
        "# [[unlink]] forbids it. Edit by hand or with `tracker link` / `tracker unlink`.\n"
    )
    text = path.read_text(encoding="utf-8") if path.exists() else header
    # json.dumps writes a valid TOML basic string for any text.
    text += f"\n[[{kind}]]\nfrom = {json.dumps(from_id)}\nto = {json.dumps(to_id)}\nnote = {json.dumps(note)}\n"
    path.write_text(text, encoding="utf-8")
