"""What the home page answers first: the latest meeting, what changed there since the previous
comparable meeting (the counts per status and the top changes as sentences, each linking to its
evidence), the sources of each meeting by kind, and which stored comparisons lead into each
meeting. Every figure is read from the stored changes (model.compared): nothing is decided here.

Each change has a stable anchor made of its commitments' ids (`change_anchor`), shared by the
change pages and the compare page, so a link to one change survives a rebuild."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tracker import statuses

from .formats import safe_id, truncate
from .model import ChangeView, CommitmentView, MeetingView, Model, PairView

# The changes the top of the home page tells as sentences: policy moves, not continuity, and
# not "not covered" (a fact about the sources, not policy).
TOLD = ("strengthened", "weakened", "new", "disappeared")
TOP_CHANGES = 5
KIND_ORDER = ("official full text", "official readout or excerpt", "news or analysis")


def change_anchor(before_id: str | None, after_id: str | None) -> str:
    """The id of a change on the change page and the compare page, from its commitments' ids."""
    return f"ch-{safe_id(before_id or 'none')}--{safe_id(after_id or 'none')}"


def anchor_of(change: ChangeView) -> str:
    return change_anchor(change.before.id if change.before else None, change.after.id if change.after else None)


def subject(change: ChangeView) -> CommitmentView | None:
    """The commitment a change is told by: the later one, or the earlier one that was dropped."""
    return change.after or change.before


@dataclass
class ToldChange:
    """One change as a sentence: its status, the commitment, what it was before, and links."""

    status: str
    text: str
    language: str
    was: str  # the earlier wording, where it changed strength
    evidence_url: str  # the article page, at the evidence sentence
    evidence_title: str
    change_url: str  # the change page, at this change


def told(pair: PairView, change: ChangeView) -> ToldChange | None:
    c = subject(change)
    if c is None or not c.evidence:
        return None
    was = ""
    if change.status in ("strengthened", "weakened") and change.before and change.after:
        was = truncate(change.before.text, 110)
    ev = c.evidence[0]
    return ToldChange(
        change.status,
        truncate(c.text, 160),
        c.language,
        was,
        ev.article_url,
        ev.title,
        f"{pair.url}#{anchor_of(change)}",
    )


def top_changes(pair: PairView, limit: int = TOP_CHANGES) -> list[ToldChange]:
    """The strongest policy moves of a pair: by the emphasis of the commitment told, then by the
    order of the statuses, then by id (a stable order)."""
    moves = [ch for ch in pair.changes if ch.status in TOLD and subject(ch) is not None]
    moves.sort(
        key=lambda ch: (
            -(subject(ch).emphasis),  # type: ignore[union-attr]
            TOLD.index(ch.status),
            anchor_of(ch),
        )
    )
    out = []
    for ch in moves:
        item = told(pair, ch)
        if item is not None:
            out.append(item)
        if len(out) == limit:
            break
    return out


def sources_by_kind(m: MeetingView) -> list[tuple[str, int]]:
    """A meeting's articles by source kind, in a fixed order (kinds not detected last)."""
    counts = Counter(a["kind"] or "source of unknown kind" for a in m.articles)
    order = [k for k in KIND_ORDER if counts.get(k)] + sorted(k for k in counts if k not in KIND_ORDER)
    return [(k, counts[k]) for k in order]


def comparable_pair(model: Model, m: MeetingView) -> tuple[PairView | None, str]:
    """The stored comparison that says what changed at `m`: from the latest earlier meeting of
    the same kind when that pair is stored, else from the meeting before; and why that one."""
    into = [p for p in model.compared if p.after.id == m.id]
    same_kind = [p for p in into if p.before.kind == m.kind]
    if same_kind:
        return max(same_kind, key=lambda p: p.before.index), "the previous meeting of the same kind"
    if into:
        return max(into, key=lambda p: p.before.index), "the meeting before"
    return None, ""


def pairs_into(model: Model) -> dict[str, list[PairView]]:
    """Per meeting, the stored comparisons that end at it, latest earlier meeting first."""
    out: dict[str, list[PairView]] = {m.id: [] for m in model.meetings}
    for p in model.compared:
        out.setdefault(p.after.id, []).append(p)
    for items in out.values():
        items.sort(key=lambda p: -p.before.index)
    return out


def latest_answer(model: Model) -> dict | None:
    """The first screen of the home page: the latest meeting and what changed at it."""
    if not model.meetings:
        return None
    latest = model.meetings[-1]
    pair, why = comparable_pair(model, latest)
    counts = pair.counts() if pair else []
    policy = [(s, n) for s, n in counts if s != statuses.NOT_COVERED]
    apart = [(s, n) for s, n in counts if s == statuses.NOT_COVERED]
    return {
        "meeting": latest,
        "pair": pair,
        "why": why,
        "counts": policy,
        "apart": apart,
        "top": top_changes(pair) if pair else [],
        "others": [p for p in pairs_into(model).get(latest.id, []) if p is not pair],
    }
