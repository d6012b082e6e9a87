"""What can happen to a commitment from one meeting to the next, defined once: the names, their
order, titles, help text and colours used by the CLI, the pages and the site's scripts (which
receive them as data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    name: str
    title: str  # a heading over a list of changes with this status
    help: str  # one line an analyst reads in a tooltip or legend
    colour: str  # on the site (Okabe-Ito: distinguishable with the common colour-vision deficiencies)
    terminal: str  # rich style in the CLI


ALL = (
    Status(
        "strengthened",
        "Strengthened",
        "carried on with stronger language or a more ambitious target",
        "#009E73",
        "green",
    ),
    Status("new", "New", "stated here, not at the earlier meeting", "#0072B2", "cyan"),
    Status("persisted", "Persisted", "carried on with about the same language", "#7a7a7a", "white"),
    Status("weakened", "Weakened", "carried on with weaker language or a less ambitious target", "#D55E00", "yellow"),
    Status(
        "disappeared",
        "Disappeared",
        "not carried on, where the later meeting's sources would have stated it",
        "#222222",
        "red",
    ),
    Status(
        "not covered",
        "Not covered (the later meeting's sources are silent on it)",
        "not carried on, but the later meeting's sources are silent on its subject (counted apart)",
        "#c8c8c8",
        "dim",
    ),
    Status(
        "first seen",
        "First seen",
        "stated at the first meeting on the timeline: nothing earlier to compare with",
        "#56B4E9",
        "blue",
    ),
    Status("reappeared", "Reappeared", "came back after being absent", "#CC79A7", "magenta"),
)
BY_NAME = {s.name: s for s in ALL}

# The statuses of the changes from one meeting to another, in the order every list shows them;
# "not covered" last and counted apart (it measures the sources, not policy).
CHANGES = ("strengthened", "new", "persisted", "weakened", "disappeared", "not covered")
CHANGE_ORDER = {name: i for i, name in enumerate(CHANGES)}
NOT_COVERED = "not covered"
# What a run summary reports as changed policy.
REPORTED = ("new", "strengthened", "weakened", "disappeared")
# A commitment's status at its own meeting, against the meeting before it.
AT_MEETING = ("first seen", "new", "persisted", "strengthened", "weakened")


def counts_line(counts: dict[str, int]) -> str:
    """ "3 new, 1 weakened; 4 not covered (counted apart)", as the CLI and every page write it."""
    policy = ", ".join(f"{n} {s}" for s, n in counts.items() if n and s != NOT_COVERED)
    apart = f"{counts[NOT_COVERED]} not covered (counted apart)" if counts.get(NOT_COVERED) else ""
    return "; ".join(x for x in (policy, apart) if x)


def as_data() -> dict:
    """The vocabulary as the site's scripts receive it."""
    return {
        "order": list(CHANGES),
        "atMeeting": list(AT_MEETING),
        "help": {s.name: s.help for s in ALL},
        "colors": {s.name: s.colour for s in ALL},
        "titles": {s.name: s.title for s in ALL},
    }
