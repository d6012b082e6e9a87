"""How a meeting page groups its commitments (by report section or by topic), and how long
lists collapse: a work report gives 150-400 commitments.

A list longer than LONG_LIST shows its first SHOWN_OF_LONG items, the rest behind a "show N
more" <details>; on a page listing more than LONG_LIST commitments, a group larger than FEW
starts closed (its summary gives the count)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import CommitmentView, MeetingView, Model

LONG_LIST = 50
SHOWN_OF_LONG = 20
FEW = 10
SECTION_SEP = " › "  # signals["section"]: "III. Major Tasks for 2014 › 4. Advancing ..."
NO_SECTION_LABEL = "Not in a report section"


@dataclass
class CommitmentGroup:
    """A collapsible group of a meeting page: a report section with its numbered parts as
    sub-groups, a topic, or the commitments stated outside any report section."""

    label: str
    items: list[CommitmentView]  # directly in this group, in text order
    parts: list[CommitmentGroup] = field(default_factory=list)
    open: bool = True

    @property
    def count(self) -> int:
        return len(self.items) + sum(p.count for p in self.parts)

    def outline(self) -> tuple:
        """What the page shows of the grouping (for page keys)."""
        return (self.label, self.open, tuple(c.id for c in self.items), tuple(p.outline() for p in self.parts))


def opens(size: int, total: int) -> bool:
    """Whether a group of `size` items starts open on a page (or list) of `total` items."""
    return total <= LONG_LIST or size <= FEW


def split_long(items: list) -> tuple[list, list]:
    """(shown, behind "show N more"): a long list shows only its first items."""
    items = list(items)
    if len(items) > LONG_LIST:
        return items[:SHOWN_OF_LONG], items[SHOWN_OF_LONG:]
    return items, []


def topic_groups(items: list[CommitmentView], model: Model) -> list[CommitmentGroup]:
    """Commitments by their first topic, in the lexicon's order (untagged last)."""
    by: dict[str, list[CommitmentView]] = defaultdict(list)
    for c in items:
        by[c.group].append(c)
    ordered = sorted(by.items(), key=lambda kv: model.topic_rank(kv[0]))
    return [CommitmentGroup(model.topic_label(k), v) for k, v in ordered]


def meeting_groups(m: MeetingView, model: Model) -> tuple[bool, list[CommitmentGroup]]:
    """(by section?, groups) of a meeting page. When some commitments stand in an official
    report's sections: one group per top-level section ("III. Major Tasks for 2014") in text
    order, its numbered parts ("4. Advancing ...") as sub-groups, then the commitments outside
    any section (news) in a group of their own (by topic if there are many). Otherwise: one group per topic.
    On a long page (more than LONG_LIST commitments) the page opens as an outline: a group with
    sub-groups starts open and its sub-groups closed; a group without them starts closed
    unless it has at most FEW commitments."""
    total = len(m.commitments)
    if not any(c.section for c in m.commitments):
        groups = topic_groups(m.commitments, model)
        for g in groups:
            g.open = opens(g.count, total)
        return False, groups

    def source(c: CommitmentView) -> tuple[str, str]:
        return (c.evidence[0].file, c.evidence[0].title) if c.evidence else ("", "")

    several = len({source(c)[0] for c in m.commitments if c.section}) > 1  # sections of more than one report
    tops: dict[tuple[str, str], CommitmentGroup] = {}
    parts: dict[tuple[str, str, str], CommitmentGroup] = {}
    for c in m.commitments:  # in text order (positions follow each article's text, articles by file)
        if not c.section:
            continue
        top, _sep, part = c.section.partition(SECTION_SEP)
        file, title = source(c)
        group = tops.get((file, top))
        if group is None:
            group = tops[(file, top)] = CommitmentGroup(f"{top} ({title})" if several else top, [])
        if not part:
            group.items.append(c)
            continue
        sub = parts.get((file, top, part))
        if sub is None:
            sub = parts[(file, top, part)] = CommitmentGroup(part, [])
            group.parts.append(sub)
        sub.items.append(c)
    groups = list(tops.values())
    rest = [c for c in m.commitments if not c.section]
    if rest:  # by topic when there are many of them
        groups.append(
            CommitmentGroup(NO_SECTION_LABEL, [], topic_groups(rest, model))
            if len(rest) > LONG_LIST
            else CommitmentGroup(NO_SECTION_LABEL, rest)
        )
    for g in groups:
        g.open = bool(g.parts) or opens(g.count, total)
        for p in g.parts:
            p.open = total <= LONG_LIST
    return True, groups
