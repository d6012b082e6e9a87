"""Pairing: which units of two meetings' commitments pair up.

The units (whole commitments, list heads, list items) are scored with
`tracker.similarity.score_matrix`; a pair that shares a rare key formulation or a target's metric
is lifted to a floor; analyst links are taken first, then units are paired one to one for the
highest total score (`optimal_pairs`). `tracker.matching` reads the pairs as changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .corrections import Corrections
from .formulations import formulation_key, variant_groups
from .rule_files.commitments import MatchingTable
from .similarity import score_matrix


@dataclass
class Unit:
    """What is compared: a whole commitment, the head of a list, or one item of a list."""

    commitment: int  # index into the meeting's commitments
    label: str | None  # the item text, or None for the whole commitment / its head
    normalized: str
    topics: list[str]


def units_of(commitments: list, lexicon) -> list[Unit]:
    """The units of each commitment in order: the whole (or the head of a list), then its items."""
    units = []
    for index, c in enumerate(commitments):
        items = list(c.items or [])
        head = (c.signals or {}).get("head") if items else None
        whole = head or c.text
        units.append(Unit(index, None, lexicon.normalize(whole), lexicon.topics_of(whole)))
        for item in items:
            normalized = lexicon.normalize(item)
            if normalized:
                units.append(Unit(index, item, normalized, lexicon.topics_of(item)))
    return units


@dataclass
class Pairing:
    """Two meetings' commitments paired: their units, the scores of every unit pair, the key
    formulations and target metrics each commitment states, and the links found."""

    commitments_a: list
    commitments_b: list
    units_a: list[Unit]
    units_b: list[Unit]
    scores: np.ndarray  # lifted where a pair shares a rare formulation or a target's metric
    wording: np.ndarray  # the scores before that lift: for the reasons
    starts_a: list[int]  # each commitment's first unit (units of one commitment are contiguous)
    starts_b: list[int]
    forms_a: list[set[str]]  # formulation groups each commitment states (see _formulation_groups)
    forms_b: list[set[str]]
    rare: set[str]
    form_names: dict[str, str]  # formulation group -> a phrase to show for it
    group_of: dict[str, str]
    metrics_a: list[set[str]]  # metrics each commitment sets a target for
    metrics_b: list[set[str]]
    # Named formulations of a commitment that the other meeting's official full text never
    # states: such a commitment is disappeared (or new) whatever it restates.
    only_a: dict[int, list[str]] = field(default_factory=dict)
    only_b: dict[int, list[str]] = field(default_factory=dict)
    # commitment pair -> (best score, [(unit of A, unit of B), ...], forced by an analyst)
    links: dict[tuple[int, int], tuple[float, list[tuple[int, int]], bool]] = field(default_factory=dict)

    @property
    def ids_a(self) -> list[str]:
        return [c.id for c in self.commitments_a]

    @property
    def ids_b(self) -> list[str]:
        return [c.id for c in self.commitments_b]

    def closest(self) -> np.ndarray:
        """Best score of every commitment pair on the wording alone, as an (A, B) matrix."""
        return _commitment_max(
            self.wording, self.starts_a, self.starts_b, len(self.commitments_a), len(self.commitments_b)
        )


def pair_units(
    commitments_a: list, commitments_b: list, lexicon, cfg: MatchingTable, corrections: Corrections, threads: int
) -> Pairing:
    """The units of A and B, scored and paired (see the module's docstring)."""
    units_a, units_b = units_of(commitments_a, lexicon), units_of(commitments_b, lexicon)
    scores = score_matrix(
        [u.normalized for u in units_a],
        [u.topics for u in units_a],
        [u.normalized for u in units_b],
        [u.topics for u in units_b],
        cfg,
        threads,
    )
    forms_a, forms_b, rare, form_names, group_of = _formulation_groups(commitments_a, commitments_b, cfg)
    pairing = Pairing(
        commitments_a,
        commitments_b,
        units_a,
        units_b,
        scores,
        scores.copy(),
        _starts(units_a, len(commitments_a)),
        _starts(units_b, len(commitments_b)),
        forms_a,
        forms_b,
        rare,
        form_names,
        group_of,
        _target_metrics(commitments_a),
        _target_metrics(commitments_b),
    )
    _lift_shared(pairing, cfg.formulation_floor)
    pairing.only_a, pairing.only_b = _unshared_formulations(pairing, cfg)
    pairing.links = _links(pairing, corrections, cfg.threshold)
    return pairing


def _lift_shared(p: Pairing, floor: float) -> None:
    """Lift to `floor` the score of unit pairs that share a rare key formulation, or a target
    for the same metric (a defence budget growth target is the defence budget growth target,
    however the sentence around it is worded)."""
    if not floor or not p.scores.size:
        return
    for ua_i, ua in enumerate(p.units_a):
        fa, ma = p.forms_a[ua.commitment] & p.rare, p.metrics_a[ua.commitment]
        if not fa and not ma:
            continue
        for ub_i, ub in enumerate(p.units_b):
            shared = (fa & p.forms_b[ub.commitment]) or (ma & p.metrics_b[ub.commitment])
            if shared and p.scores[ua_i, ub_i] < floor:
                p.scores[ua_i, ub_i] = floor


def _unshared_formulations(p: Pairing, cfg: MatchingTable) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The named formulations of each commitment of A that B never states, and of B that A never
    states: such a commitment is disappeared (or new) whatever it restates. Only where the other
    meeting has an official full text can its silence be read."""
    only_a: dict[int, list[str]] = {}
    only_b: dict[int, list[str]] = {}
    if cfg.formulation_decides:
        all_a = set().union(*p.forms_a) if p.forms_a else set()
        all_b = set().union(*p.forms_b) if p.forms_b else set()
        named_a, named_b = _named_groups(p.commitments_a, p.group_of), _named_groups(p.commitments_b, p.group_of)
        if _has_official_text(p.commitments_b):
            only_a = {i: sorted(f - all_b) for i, f in enumerate(named_a) if f - all_b}
        if _has_official_text(p.commitments_a):
            only_b = {j: sorted(f - all_a) for j, f in enumerate(named_b) if f - all_a}
    return only_a, only_b


def _links(
    p: Pairing, corrections: Corrections, threshold: float
) -> dict[tuple[int, int], tuple[float, list[tuple[int, int]], bool]]:
    """The links an analyst forces, then the optimal pairs of the units left, without forbidden
    pairs and commitments an unshared formulation decides (see Pairing.links)."""
    ids_a, ids_b, only_a, only_b = p.ids_a, p.ids_b, p.only_a, p.only_b
    links: dict[tuple[int, int], tuple[float, list[tuple[int, int]], bool]] = {}
    used_a: set[int] = set()
    used_b: set[int] = set()
    index_a = {cid: i for i, cid in enumerate(ids_a)}
    index_b = {cid: i for i, cid in enumerate(ids_b)}
    for from_id, to_id in sorted(corrections.force):
        if (
            from_id in index_a
            and to_id in index_b
            and p.starts_a[index_a[from_id]] >= 0
            and p.starts_b[index_b[to_id]] >= 0
        ):
            ca, cb = index_a[from_id], index_b[to_id]
            rows = range(p.starts_a[ca], _end(p.starts_a, ca, len(p.units_a)))
            cols = range(p.starts_b[cb], _end(p.starts_b, cb, len(p.units_b)))
            s, ua_i, ub_i = max((float(p.scores[i, j]), i, j) for i in rows for j in cols)
            links[(ca, cb)] = (s, [(ua_i, ub_i)], True)
            used_a.add(ua_i)
            used_b.add(ub_i)
    allowed = p.scores.copy() if p.scores.size else p.scores
    if (only_a or only_b) and allowed.size:
        for i, ua in enumerate(p.units_a):
            if ua.commitment in only_a:
                allowed[i, :] = 0.0
        for j, ub in enumerate(p.units_b):
            if ub.commitment in only_b:
                allowed[:, j] = 0.0
    if corrections.forbid and allowed.size:
        for i, ua in enumerate(p.units_a):
            for j, ub in enumerate(p.units_b):
                if (ids_a[ua.commitment], ids_b[ub.commitment]) in corrections.forbid:
                    allowed[i, j] = 0.0
    for ua_i, ub_i in optimal_pairs(allowed, threshold, used_a, used_b):
        s = float(p.scores[ua_i, ub_i])
        ca, cb = p.units_a[ua_i].commitment, p.units_b[ub_i].commitment
        best, via, forced = links.get((ca, cb), (s, [], False))
        links[(ca, cb)] = (max(best, s), via + [(ua_i, ub_i)], forced)
        used_a.add(ua_i)
        used_b.add(ub_i)
    return links


def optimal_pairs(scores: np.ndarray, threshold: float, used_a: set[int], used_b: set[int]) -> list[tuple[int, int]]:
    """Unit pairs (i, j), each unit at most once, that maximise the total score over pairs
    scoring at least `threshold` (rows in `used_a` and columns in `used_b` are taken already).

    scipy's linear_sum_assignment on the scores, with pairs below the threshold worth nothing:
    a maximum-weight assignment then contains a maximum-weight matching of the allowed pairs.
    Only rows and columns with an allowed pair enter it (most have none)."""
    if not scores.size:
        return []
    allowed = scores >= threshold
    if used_a:
        allowed[sorted(used_a), :] = False
    if used_b:
        allowed[:, sorted(used_b)] = False
    rows = np.flatnonzero(allowed.any(axis=1))
    cols = np.flatnonzero(allowed.any(axis=0))
    if not len(rows):
        return []
    from scipy.optimize import linear_sum_assignment

    weights = np.where(allowed[np.ix_(rows, cols)], scores[np.ix_(rows, cols)], 0.0).astype(np.float64)
    picked_rows, picked_cols = linear_sum_assignment(weights, maximize=True)
    return sorted((int(rows[r]), int(cols[c])) for r, c in zip(picked_rows, picked_cols) if weights[r, c] > 0)


def _starts(units: list[Unit], count: int) -> list[int]:
    """Index of each commitment's first unit (-1 for a commitment without units)."""
    starts = [-1] * count
    for index, unit in enumerate(units):
        if starts[unit.commitment] < 0:
            starts[unit.commitment] = index
    return starts


def _end(starts: list[int], commitment: int, total: int) -> int:
    later = [s for s in starts[commitment + 1 :] if s >= 0]
    return later[0] if later else total


def _commitment_max(scores: np.ndarray, starts_a: list[int], starts_b: list[int], n_a: int, n_b: int) -> np.ndarray:
    """Best unit score of every commitment pair, as an (n_a, n_b) matrix."""
    result = np.zeros((n_a, n_b), dtype=np.float32)
    rows = [s for s in starts_a if s >= 0]
    cols = [s for s in starts_b if s >= 0]
    if not rows or not cols or not scores.size:
        return result
    reduced = np.maximum.reduceat(np.maximum.reduceat(scores, rows, axis=0), cols, axis=1)
    has_a = [i for i, s in enumerate(starts_a) if s >= 0]
    has_b = [j for j, s in enumerate(starts_b) if s >= 0]
    result[np.ix_(has_a, has_b)] = reduced
    return result


def _target_metrics(commitments: list) -> list[set[str]]:
    """The labels of the metrics each commitment sets a target for."""
    return [
        {t.get("label") or t.get("metric", "") for t in (c.signals or {}).get("targets") or []} for c in commitments
    ]


def _formulation_groups(commitments_a: list, commitments_b: list, cfg: MatchingTable):
    """(groups of each commitment of A, of B, the rare groups, group -> a name to show, phrase
    key -> group). A group is a formulation with its variants across the two meetings."""

    def stated(commitments):
        return [list((c.signals or {}).get("formulations") or []) for c in commitments]

    named_a, named_b = stated(commitments_a), stated(commitments_b)
    phrases = [p for names in (*named_a, *named_b) for p in names]
    if not phrases:
        return [set() for _ in commitments_a], [set() for _ in commitments_b], set(), {}, {}
    group = variant_groups(phrases, cfg.formulation_set_ratio, cfg.formulation_ratio)
    names: dict[str, str] = {}
    for p in phrases:
        names.setdefault(group[formulation_key(p)], p)
    forms_a = [{group[formulation_key(p)] for p in ps} for ps in named_a]
    forms_b = [{group[formulation_key(p)] for p in ps} for ps in named_b]
    limit = cfg.formulation_rare
    rare = {g for g in names if sum(g in f for f in forms_a) <= limit and sum(g in f for f in forms_b) <= limit}
    return forms_a, forms_b, rare, names, group


def _has_official_text(commitments: list) -> bool:
    return any((c.signals or {}).get("official") for c in commitments)


def _named_groups(commitments: list, group_of: dict[str, str]) -> list[set[str]]:
    """The groups of each commitment's named formulations (known, quoted, names: not the
    compounds found by their shape alone)."""
    return [
        {
            group_of[formulation_key(p)]
            for p in (c.signals or {}).get("named_formulations") or []
            if formulation_key(p) in group_of
        }
        for c in commitments
    ]
