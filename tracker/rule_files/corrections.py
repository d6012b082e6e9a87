"""The options of corrections.toml: an analyst's corrections to matching, written by
`tracker link` / `tracker unlink` or by hand, applied on every build."""

from __future__ import annotations

from pydantic import Field

from .validation import RuleTable


class CorrectionEntry(RuleTable):
    """[[link]] or [[unlink]]: one pair of commitments."""

    from_: str = Field(alias="from")
    """Id of the commitment in the earlier meeting (`tracker commitments MEETING --format json`)."""
    to: str
    """Id of the commitment in the later meeting."""
    note: str = ""
    """Why (for people; it changes nothing)."""


class CorrectionsFile(RuleTable):
    """corrections.toml."""

    link: list[CorrectionEntry] = []
    """Pairs of commitments forced to match."""
    unlink: list[CorrectionEntry] = []
    """Pairs of commitments forbidden to match."""
