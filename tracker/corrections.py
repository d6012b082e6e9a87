"""Analyst corrections to matching (corrections.toml, in the project's rules folder): links to
force and links to forbid, applied on every build."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from .rule_files.corrections import CorrectionsFile
from .rule_files.validation import load_rule_file


@dataclass
class Corrections:
    """Analyst corrections (corrections.toml): links to force and links to forbid."""

    force: set[tuple[str, str]] = field(default_factory=set)
    forbid: set[tuple[str, str]] = field(default_factory=set)


def load_corrections(path) -> Corrections:
    """corrections.toml (tracker/rule_files/corrections.py), validated; none if there is no such file."""
    corrections = Corrections()
    path = Path(path)
    if not path.exists():
        return corrections
    validated = load_rule_file([path], CorrectionsFile)
    for entries, target in ((validated.link, corrections.force), (validated.unlink, corrections.forbid)):
        for entry in entries:
            target.add((entry.from_, entry.to))
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
    # A TOML writer, not string formatting: json.dumps wrote "😀" as the surrogate pair
    # \ud83d\ude00, which TOML rejects, so every later build failed on the file.
    entry = {"from": from_id, "to": to_id, "note": note}
    text += f"\n[[{kind}]]\n" + tomli_w.dumps({key: _encodable(value) for key, value in entry.items()})
    path.write_text(text, encoding="utf-8")


def _encodable(text: str) -> str:
    """`text` without lone surrogates (what a terminal's undecodable bytes arrive as), which no
    UTF-8 file can hold: each becomes U+FFFD."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def record_correction(engine, path, kind: str, from_id: str, to_id: str, note: str) -> str:
    """Write an analyst's link or unlink of two stored commitments to `path` (checked first:
    LookupError for an unknown id, ValueError when FROM is not earlier); returns what was done."""
    from .db import Commitment, transaction

    with transaction(engine) as session:
        rows = {cid: session.get(Commitment, cid) for cid in (from_id, to_id)}
        missing = [cid for cid, row in rows.items() if row is None]
        if missing:
            raise LookupError(
                f"no commitment with id {', '.join(missing)} (ids: `tracker commitments MEETING --format json`)"
            )
        a, b = rows[from_id], rows[to_id]
        assert a is not None and b is not None
        if a.meeting.start >= b.meeting.start:
            raise ValueError(
                f"{from_id} ({a.meeting_id}) must belong to an earlier meeting than {to_id} ({b.meeting_id})"
            )
        summary = f"{a.text[:60]} -> {b.text[:60]}"
    existing = load_corrections(path)
    if (from_id, to_id) in (existing.force if kind == "link" else existing.forbid):
        return f"already in {path}"
    save_correction(path, kind, from_id, to_id, note or summary)
    return f"{kind} {from_id} -> {to_id} written to {path}; it applies from the next build."
