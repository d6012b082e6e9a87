"""A commitment's status at its own meeting, and which commitments the next meeting did not
carry on: both read from the stored changes between consecutive meetings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


def unlinked_status(meeting_index: int) -> str:
    """The status of a commitment that no link of the meeting before carries on: the first
    meeting's commitments are first seen (nothing earlier to compare with), the others new."""
    return "first seen" if meeting_index == 0 else "new"


@dataclass
class MeetingStatuses:
    linked: dict[str, str] = field(
        default_factory=dict
    )  # commitment -> status of its best link from the meeting before
    disappeared: set[str] = field(default_factory=set)  # commitments the next meeting did not carry on


def meeting_statuses(changes: Iterable) -> MeetingStatuses:
    """Read from stored changes (rows with from_commitment_id, to_commitment_id, status, score
    and adjacent, in stored order): a linked commitment's status at its meeting is that of its
    best-scoring link from the meeting before (the first stored among equal scores); a
    commitment whose change to the next meeting is "disappeared" was not carried on."""
    result = MeetingStatuses()
    best_score: dict[str, float] = {}
    for ch in changes:
        if not ch.adjacent:
            continue
        if ch.to_commitment_id and ch.from_commitment_id:
            score = ch.score or 0.0
            if ch.to_commitment_id not in best_score or score > best_score[ch.to_commitment_id]:
                best_score[ch.to_commitment_id] = score
                result.linked[ch.to_commitment_id] = ch.status
        elif ch.status == "disappeared":
            result.disappeared.add(ch.from_commitment_id)
    return result
