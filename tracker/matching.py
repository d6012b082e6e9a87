"""Matching commitments across meetings with rapidfuzz.

Scores are computed on lexicon-normalised text (tracker.lexicon) with `rapidfuzz.process.cdist`
(vectorised, all cores) and blended with topic overlap; see `score_matrix` for why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz import fuzz, process


def topic_overlap(topics_a: list[list[str]], topics_b: list[list[str]]) -> np.ndarray:
    """Weighted Jaccard overlap of topic sets, 0-100, as an (len(a), len(b)) matrix.

    Each topic weighs its inverse document frequency over the units compared, so sharing a
    specific topic (self-reliance) counts more than sharing a generic one (innovation)."""
    vocabulary = sorted({t for ts in (*topics_a, *topics_b) for t in ts})
    if not vocabulary:
        return np.zeros((len(topics_a), len(topics_b)), dtype=np.float32)
    index = {t: i for i, t in enumerate(vocabulary)}

    def one_hot(sets):
        m = np.zeros((len(sets), len(vocabulary)), dtype=np.float32)
        for row, ts in enumerate(sets):
            for t in ts:
                m[row, index[t]] = 1.0
        return m

    a, b = one_hot(topics_a), one_hot(topics_b)
    units = len(topics_a) + len(topics_b)
    weights = (1.0 + np.log(units / (a.sum(0) + b.sum(0)))).astype(np.float32)
    a_w, b_w = a * weights, b * weights
    inter = a_w @ b.T
    union = a_w.sum(1)[:, None] + b_w.sum(1)[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, 100.0 * inter / union, 0.0).astype(np.float32)


def score_matrix(norm_a: list[str], topics_a: list[list[str]], norm_b: list[str], topics_b: list[list[str]],
                 cfg: dict) -> np.ndarray:
    """Similarity 0-100 of every unit of A with every unit of B.

    text = mean of token_set_ratio and token_sort_ratio: token_set_ratio alone gives 100 when
    one text's words are a subset of the other's; token_sort_ratio pulls that down in
    proportion to the words the shorter one lacks. The topic overlap (Jaccard of lexicon
    topics) keeps a shared generic word from linking commitments about different things.
    """
    if not norm_a or not norm_b:
        return np.zeros((len(norm_a), len(norm_b)), dtype=np.float32)
    workers = int(cfg.get("workers", -1))
    token_set = process.cdist(norm_a, norm_b, scorer=fuzz.token_set_ratio, workers=workers, dtype=np.float32)
    token_sort = process.cdist(norm_a, norm_b, scorer=fuzz.token_sort_ratio, workers=workers, dtype=np.float32)
    text = (token_set + token_sort) / 2.0
    topics = topic_overlap(topics_a, topics_b)
    # Two texts that name no topic at all (a growth target, a budget line) are compared by
    # their text alone: the lexicon's silence is no evidence that they differ.
    untagged = np.outer([not t for t in topics_a], [not t for t in topics_b])
    topics = np.where(untagged, text, topics)
    return cfg["text_weight"] * text + cfg["topic_weight"] * topics


def scores_at_least(norm_a: list[str], topics_a: list[list[str]], norm_b: list[str], topics_b: list[list[str]],
                    cfg: dict, threshold: float) -> list[tuple[float, int, int]]:
    """The (score, i, j) of `score_matrix` that are >= threshold, without scoring text where
    the topic overlap alone rules a pair out: text is at most 100, so a pair needs
    topic_weight * topics >= threshold - text_weight * 100. (Thread reappearance: about 5 %
    of the pairs pass, and scoring only those is 8x faster.) Same float32 arithmetic as
    score_matrix, so the same pairs and scores."""
    if not norm_a or not norm_b:
        return []
    topics = topic_overlap(topics_a, topics_b)
    text_weight, topic_weight = cfg["text_weight"], cfg["topic_weight"]
    untagged = np.outer([not t for t in topics_a], [not t for t in topics_b])
    bound = np.where(untagged, np.float32(100.0), topics)  # as in score_matrix: text stands in for topics
    rows, cols = np.nonzero(text_weight * np.float32(100.0) + topic_weight * bound >= threshold)
    if not len(rows):
        return []
    pairs = [(norm_a[i], norm_b[j]) for i, j in zip(rows.tolist(), cols.tolist())]
    token_set = np.array([fuzz.token_set_ratio(a, b) for a, b in pairs], dtype=np.float32)
    token_sort = np.array([fuzz.token_sort_ratio(a, b) for a, b in pairs], dtype=np.float32)
    text = (token_set + token_sort) / 2.0
    scores = text_weight * text + topic_weight * np.where(untagged[rows, cols], text, topics[rows, cols])
    keep = scores >= threshold
    return list(zip(scores[keep].tolist(), rows[keep].tolist(), cols[keep].tolist()))


# ---------------------------------------------------------------- units and comparing two meetings

@dataclass
class Unit:
    """What is compared: a whole commitment, the head of a list, or one item of a list."""

    commitment: int  # index into the meeting's commitments
    label: str | None  # the item text, or None for the whole commitment / its head
    normalized: str
    topics: list[str]


def units_of(commitments: list, lexicon) -> list[Unit]:
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
class ChangeDraft:
    status: str  # persisted | strengthened | weakened | new | disappeared
    score: float | None
    reason: str
    from_index: int | None
    to_index: int | None
    forced: bool = False
    topics: list[str] = field(default_factory=list)  # what carried on: topics the matched units share


@dataclass
class Corrections:
    """Analyst corrections (data/corrections.toml): links to force and links to forbid."""

    force: set[tuple[str, str]] = field(default_factory=set)
    forbid: set[tuple[str, str]] = field(default_factory=set)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Coverage:
    """What a meeting's sources can vouch for. An official full text (a work report, a
    communique) states everything the meeting committed to, so its silence is news; readouts
    and news cover only what they talk about: the topics they state commitments on."""

    official: tuple[str, ...] = ()  # files of its official full texts
    topics: frozenset[str] = frozenset()  # topics its sources state commitments on
    sources: tuple[tuple[str, int], ...] = ()  # (source kind, number of sources)

    def describe(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.sources) or "no sources"
        return f"{counts}; no official full text"


def counts_line(counts: dict[str, int]) -> str:
    """"3 new, 1 weakened; 4 not covered (counted apart)", as the CLI and every page write it:
    not covered measures the sources, not policy."""
    policy = ", ".join(f"{n} {s}" for s, n in counts.items() if n and s != "not covered")
    apart = f"{counts['not covered']} not covered (counted apart)" if counts.get("not covered") else ""
    return "; ".join(x for x in (policy, apart) if x)


def _corroboration(a, b) -> str:
    """How many sources state it, before and after: shown, never counted as emphasis."""
    sa, sb = a.signals or {}, b.signals or {}
    before = (sa.get("sentences", 1), sa.get("articles", 1))
    after = (sb.get("sentences", 1), sb.get("articles", 1))
    if before == after:
        return ""
    return f"; corroboration {before[0]} sentences in {before[1]} sources -> {after[0]} in {after[1]} (shown, not counted)"


def _emphasis_reason(a, b) -> str:
    sa, sb = a.signals or {}, b.signals or {}
    parts = []
    added = sorted(set(sb.get("strong", [])) - set(sa.get("strong", [])))
    dropped = sorted(set(sa.get("strong", [])) - set(sb.get("strong", [])))
    hedges_added = sorted(set(sb.get("hedged", [])) - set(sa.get("hedged", [])))
    hedges_dropped = sorted(set(sa.get("hedged", [])) - set(sb.get("hedged", [])))
    if added:
        parts.append(", ".join(_quote(w) for w in added) + " added")
    if dropped:
        parts.append(", ".join(_quote(w) for w in dropped) + " dropped")
    if hedges_added:
        parts.append("hedged with " + ", ".join(_quote(w) for w in hedges_added))
    if hedges_dropped:
        parts.append(", ".join(_quote(w) for w in hedges_dropped) + " no longer hedged")
    return f"emphasis {a.emphasis:.2f} -> {b.emphasis:.2f}" + (": " + ", ".join(parts) if parts else "")


def _quote(text: str, limit: int = 70) -> str:
    """A short quotation for a reason: white space (no-break spaces too) as one space."""
    text = " ".join(str(text).split())
    return "'" + (text if len(text) <= limit else text[: limit - 3].rstrip() + "...") + "'"


def _starts(units: list[Unit], count: int) -> list[int]:
    """Index of each commitment's first unit (-1 for a commitment without units)."""
    starts = [-1] * count
    for index, unit in enumerate(units):
        if starts[unit.commitment] < 0:
            starts[unit.commitment] = index
    return starts


def _end(starts: list[int], commitment: int, total: int) -> int:
    later = [s for s in starts[commitment + 1:] if s >= 0]
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


def compare(commitments_a: list, commitments_b: list, lexicon, cfg: dict, corrections: Corrections | None = None,
            coverage_b: Coverage | None = None, target_rules=None) -> list[ChangeDraft]:
    """What happened to each commitment of meeting A in later meeting B.

    Units (whole commitments, list heads and list items) are scored with `score_matrix`, then
    paired to maximise the total score (`optimal_pairs`), each unit used once, pairs under the
    threshold never. A commitment without list
    items has one unit, so it links at most once; a list commitment links to several of the
    other meeting only through different items (it split into, or merged from, several).

    A commitment of A that nothing of B carries on is `disappeared` only where B's sources
    would have stated it (`coverage_b`: an official full text, or sources stating commitments
    on its topics); otherwise B's sources are silent on it and it is `not covered`.

    A linked pair is strengthened or weakened by its quantified targets where it states them
    (`target_rules`: raised, lowered, added; a target dropped makes it disappeared), else by
    its language (emphasis ratio); corroboration is shown in the reason, never counted.
    """
    corrections = corrections or Corrections()
    units_a, units_b = units_of(commitments_a, lexicon), units_of(commitments_b, lexicon)
    scores = score_matrix([u.normalized for u in units_a], [u.topics for u in units_a],
                          [u.normalized for u in units_b], [u.topics for u in units_b], cfg)
    ids_a = [c.id for c in commitments_a]
    ids_b = [c.id for c in commitments_b]
    threshold = float(cfg["threshold"])

    # Best score per commitment pair (units of one commitment are contiguous rows/columns),
    # for the "closest" reasons; forced links look up their best unit pair directly.
    starts_a = _starts(units_a, len(commitments_a))
    starts_b = _starts(units_b, len(commitments_b))
    closest = _commitment_max(scores, starts_a, starts_b, len(commitments_a), len(commitments_b))

    # Key formulations: shared rare ones lift a pair's score; one the other meeting never states
    # makes the commitment new (or disappeared) whatever it restates.
    forms_a, forms_b, rare, forms_names, group_of = _formulation_groups(commitments_a, commitments_b, cfg)
    shared_floor = float(cfg.get("formulation_floor", 0))
    wording = scores.copy()  # before formulations lift it: for the reasons
    # So do targets set for the same metric (a defence budget growth target is the defence
    # budget growth target, however the sentence around it is worded).
    metrics_a, metrics_b = _target_metrics(commitments_a), _target_metrics(commitments_b)
    if shared_floor and scores.size:
        for ua_i, ua in enumerate(units_a):
            fa, ma = forms_a[ua.commitment] & rare, metrics_a[ua.commitment]
            if not fa and not ma:
                continue
            for ub_i, ub in enumerate(units_b):
                shared = (fa & forms_b[ub.commitment]) or (ma & metrics_b[ub.commitment])
                if shared and scores[ua_i, ub_i] < shared_floor:
                    scores[ua_i, ub_i] = shared_floor
    only_a: dict[int, list[str]] = {}
    only_b: dict[int, list[str]] = {}
    if cfg.get("formulation_decides", False):
        # Only where the other meeting has an official full text can its silence be read.
        all_a = set().union(*forms_a) if forms_a else set()
        all_b = set().union(*forms_b) if forms_b else set()
        named_a, named_b = _named_groups(commitments_a, group_of), _named_groups(commitments_b, group_of)
        if _has_official_text(commitments_b):
            only_a = {i: sorted(f - all_b) for i, f in enumerate(named_a) if f - all_b}
        if _has_official_text(commitments_a):
            only_b = {j: sorted(f - all_a) for j, f in enumerate(named_b) if f - all_a}

    # commitment pair -> (best score, [(unit of A, unit of B), ...], forced)
    links: dict[tuple[int, int], tuple[float, list[tuple[int, int]], bool]] = {}
    used_a: set[int] = set()
    used_b: set[int] = set()
    index_a = {cid: i for i, cid in enumerate(ids_a)}
    index_b = {cid: i for i, cid in enumerate(ids_b)}
    for from_id, to_id in sorted(corrections.force):
        if from_id in index_a and to_id in index_b and starts_a[index_a[from_id]] >= 0 and starts_b[index_b[to_id]] >= 0:
            ca, cb = index_a[from_id], index_b[to_id]
            rows = range(starts_a[ca], _end(starts_a, ca, len(units_a)))
            cols = range(starts_b[cb], _end(starts_b, cb, len(units_b)))
            s, ua_i, ub_i = max((float(scores[i, j]), i, j) for i in rows for j in cols)
            links[(ca, cb)] = (s, [(ua_i, ub_i)], True)
            used_a.add(ua_i)
            used_b.add(ub_i)
    allowed = scores.copy() if scores.size else scores
    if (only_a or only_b) and allowed.size:
        for i, ua in enumerate(units_a):
            if ua.commitment in only_a:
                allowed[i, :] = 0.0
        for j, ub in enumerate(units_b):
            if ub.commitment in only_b:
                allowed[:, j] = 0.0
    if corrections.forbid and allowed.size:
        for i, ua in enumerate(units_a):
            for j, ub in enumerate(units_b):
                if (ids_a[ua.commitment], ids_b[ub.commitment]) in corrections.forbid:
                    allowed[i, j] = 0.0
    for ua_i, ub_i in optimal_pairs(allowed, threshold, used_a, used_b):
        s = float(scores[ua_i, ub_i])
        ca, cb = units_a[ua_i].commitment, units_b[ub_i].commitment
        best, via, forced = links.get((ca, cb), (s, [], False))
        links[(ca, cb)] = (max(best, s), via + [(ua_i, ub_i)], forced)
        used_a.add(ua_i)
        used_b.add(ub_i)

    changes: list[ChangeDraft] = []
    up, down = float(cfg["strengthened"]), float(cfg["weakened"])
    for (ca, cb), (s, unit_pairs, forced) in sorted(links.items()):
        a, b = commitments_a[ca], commitments_b[cb]
        ratio = (b.emphasis or 0.01) / max(a.emphasis or 0.01, 0.01)
        status = "strengthened" if ratio >= up else "weakened" if ratio <= down else "persisted"
        targets = _target_status(a, b, target_rules)
        if targets is not None and targets[0]:
            status = targets[0]  # a target kept at its value leaves the decision to the language
        via = []
        for ua_i, ub_i in unit_pairs:
            la, lb = units_a[ua_i].label, units_b[ub_i].label
            if la and lb:
                via.append(f"item {_quote(la)} ~ item {_quote(lb)}")
            elif la:
                via.append(f"its item {_quote(la)}")
            elif lb:
                via.append(f"the later item {_quote(lb)}")
        how = "linked by an analyst" if forced else f"similarity {s:.0f}"
        lifted = [(ua_i, ub_i) for ua_i, ub_i in unit_pairs if scores[ua_i, ub_i] > wording[ua_i, ub_i]]
        if lifted and not forced:
            ua_i, ub_i = lifted[0]
            shared = sorted(forms_a[units_a[ua_i].commitment] & forms_b[units_b[ub_i].commitment] & rare)
            labels = sorted(metrics_a[units_a[ua_i].commitment] & metrics_b[units_b[ub_i].commitment])
            what = (f"shared formulation {_names(shared, forms_names)}" if shared else
                    "a target for the same metric: " + ", ".join(_quote(m) for m in labels))
            how += f" ({what}; wording alone {float(wording[ua_i, ub_i]):.0f})"
        reason = ((f"{targets[1]}; " if targets else "") + f"{_emphasis_reason(a, b)}; {how}"
                  + (f" via {', '.join(via)}" if via else "") + _corroboration(a, b))
        carried: list[str] = []
        for ua_i, ub_i in unit_pairs:
            ta, tb = units_a[ua_i].topics, units_b[ub_i].topics
            carried.extend(t for t in ta if t in tb)
        changes.append(ChangeDraft(status, round(s, 1), reason, ca, cb, forced, list(dict.fromkeys(carried))))

    linked_a = {ca: (cb, s) for (ca, cb), (s, _u, _f) in links.items()}
    linked_b = {cb: (ca, s) for (ca, cb), (s, _u, _f) in links.items()}

    def why_not(score: float, partner: tuple[int, float] | None, texts: list, forbidden: bool) -> str:
        """Why the closest candidate was not taken, in true numbers."""
        if score < threshold:
            return f"similarity {score:.0f}, below the threshold {threshold:.0f}"
        if forbidden:
            return f"similarity {score:.0f}, but an analyst unlinked the pair"
        if partner is not None:
            return f"similarity {score:.0f}, but it is paired with {_quote(texts[partner[0]].text, 50)} at {partner[1]:.0f}"
        return f"similarity {score:.0f}, but its units are paired elsewhere"

    for ca, a in enumerate(commitments_a):
        if ca in linked_a:
            continue
        status, reason = _silence(a, coverage_b, lexicon)
        if ca in only_a:
            reason = f"its formulation {_names(only_a[ca], forms_names)} is not in the later meeting's official full text"
        if closest.shape[1]:
            cb = int(np.argmax(closest[ca]))
            score = float(closest[ca, cb])
            forbidden = (ids_a[ca], ids_b[cb]) in corrections.forbid
            reason += f" (closest: {_quote(commitments_b[cb].text)}: {why_not(score, linked_b.get(cb), commitments_a, forbidden)})"
        changes.append(ChangeDraft(status, None, reason, ca, None))
    for cb, b in enumerate(commitments_b):
        if cb in linked_b:
            continue
        reason = "nothing in the earlier meeting announced it"
        if cb in only_b:
            reason = f"new formulation {_names(only_b[cb], forms_names)}, not in the earlier meeting"
        if closest.shape[0]:
            ca = int(np.argmax(closest[:, cb]))
            score = float(closest[ca, cb])
            forbidden = (ids_a[ca], ids_b[cb]) in corrections.forbid
            reason += f" (closest: {_quote(commitments_a[ca].text)}: {why_not(score, linked_a.get(ca), commitments_b, forbidden)})"
        changes.append(ChangeDraft("new", None, reason, None, cb))
    return changes


_NUMBER = re.compile(r"\d")

# A target change decides a link's status: raised (or added) is strengthened, lowered is
# weakened, dropped is disappeared; the strongest decision wins when several metrics move.
_TARGET_DECIDES = {"disappeared": 3, "weakened": 2, "strengthened": 1}


def _target_metrics(commitments: list) -> list[set[str]]:
    """The labels of the metrics each commitment sets a target for."""
    return [{t.get("label") or t.get("metric", "") for t in (c.signals or {}).get("targets") or []} for c in commitments]


def _target_status(a, b, target_rules) -> tuple[str, str] | None:
    """(status, reason) from the quantified targets two linked commitments state, or None when
    neither states one (or no moved target decides: the language does)."""
    if target_rules is None:
        return None
    from .targets import Target, compare_targets

    before = [Target(**t) for t in (a.signals or {}).get("targets") or []]
    after = [Target(**t) for t in (b.signals or {}).get("targets") or []]
    if not before and not after:
        return None
    changes = compare_targets(before, after, target_rules)
    if before:
        # Only the metrics the earlier statement targets: a later list of targets it is paired
        # with through one item does not make the others "added".
        changes = [c for c in changes if c.before is not None]
    if any(c.status == "disappeared" for c in changes) and _NUMBER.search(b.text or ""):
        # The later statement has figures the target rules did not read: say so, decide nothing.
        changes = [c for c in changes if c.status != "disappeared"] + [
            replace(c, status="persisted", reason=f"{c.reason}; the later statement has figures the target rules do not read")
            for c in changes if c.status == "disappeared"]
    decided = [("strengthened" if c.status == "new" else c.status, c.reason.replace(" set at ", " added at "))
               for c in changes if c.status in ("new", *_TARGET_DECIDES)]
    if not decided:
        kept = "; ".join(c.reason for c in changes)
        return None if not kept else ("", kept)
    status = max(decided, key=lambda d: _TARGET_DECIDES[d[0]])[0]
    return status, "; ".join(reason for _s, reason in decided)


def _silence(a, coverage: Coverage | None, lexicon) -> tuple[str, str]:
    """(status, reason) of a commitment the later meeting does not carry on (`coverage` None:
    nothing is known of the sources, and silence counts)."""
    def labels(ids: list[str]) -> str:
        return ", ".join(lexicon.by_id[t].label if t in lexicon.by_id else t for t in ids)

    if coverage is None:
        return "disappeared", "no commitment of the later meeting carries it on"
    if coverage.official:
        return "disappeared", f"the later meeting's official full text ({', '.join(coverage.official)}) does not carry it on"
    topics = list(getattr(a, "topics", None) or [])
    shared = [t for t in topics if t in coverage.topics]
    if shared:
        return "disappeared", f"the later meeting's sources state commitments on {labels(shared)}, but none carries it on"
    about = labels(topics) if topics else "its subject (no topic of the lexicon)"
    return "not covered", f"the later meeting's sources ({coverage.describe()}) state nothing on {about}"


def _formulation_groups(commitments_a: list, commitments_b: list, cfg: dict):
    """(groups of each commitment of A, of B, the rare groups, group -> a name to show, phrase
    key -> group). A group is a formulation with its variants across the two meetings."""
    from .formulations import formulation_key, variant_groups

    def stated(commitments):
        return [list((c.signals or {}).get("formulations") or []) for c in commitments]

    named_a, named_b = stated(commitments_a), stated(commitments_b)
    phrases = [p for names in (*named_a, *named_b) for p in names]
    if not phrases:
        return [set() for _ in commitments_a], [set() for _ in commitments_b], set(), {}, {}
    group = variant_groups(phrases, float(cfg.get("formulation_set_ratio", 90)), float(cfg.get("formulation_ratio", 75)))
    names: dict[str, str] = {}
    for p in phrases:
        names.setdefault(group[formulation_key(p)], p)
    forms_a = [{group[formulation_key(p)] for p in ps} for ps in named_a]
    forms_b = [{group[formulation_key(p)] for p in ps} for ps in named_b]
    limit = int(cfg.get("formulation_rare", 5))
    rare = {g for g in names if sum(g in f for f in forms_a) <= limit and sum(g in f for f in forms_b) <= limit}
    return forms_a, forms_b, rare, names, group


def _has_official_text(commitments: list) -> bool:
    return any((c.signals or {}).get("official") for c in commitments)


def _named_groups(commitments: list, group_of: dict[str, str]) -> list[set[str]]:
    """The groups of each commitment's named formulations (known, quoted, names: not the
    compounds found by their shape alone)."""
    from .formulations import formulation_key

    return [{group_of[formulation_key(p)] for p in (c.signals or {}).get("named_formulations") or []
             if formulation_key(p) in group_of} for c in commitments]


def _names(groups: list[str], names: dict[str, str]) -> str:
    return ", ".join(_quote(names.get(g, g)) for g in groups)


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


# ---------------------------------------------------------------- analyst corrections


def load_corrections(path) -> Corrections:
    """data/corrections.toml: [[link]] and [[unlink]] tables with `from` and `to` commitment ids."""
    import tomllib
    from pathlib import Path

    corrections = Corrections()
    path = Path(path)
    if not path.exists():
        return corrections
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    for kind, target in (("link", corrections.force), ("unlink", corrections.forbid)):
        for entry in data.get(kind, []):
            pair = (str(entry["from"]), str(entry["to"]))
            target.add(pair)
            corrections.notes[pair] = str(entry.get("note", ""))
    return corrections


def save_correction(path, kind: str, from_id: str, to_id: str, note: str) -> None:
    """Append one correction, keeping the file readable and reviewable (plain TOML)."""
    from pathlib import Path

    path = Path(path)
    header = (
        "# Analyst corrections to matching, applied on every build.\n"
        "# [[link]] forces two commitments (ids from `tracker commitments --format json`) to match;\n"
        "# [[unlink]] forbids it. Edit by hand or with `tracker link` / `tracker unlink`.\n"
    )
    text = path.read_text(encoding="utf-8") if path.exists() else header
    # json.dumps writes a valid TOML basic string for any text.
    import json

    text += f"\n[[{kind}]]\nfrom = {json.dumps(from_id)}\nto = {json.dumps(to_id)}\nnote = {json.dumps(note)}\n"
    path.write_text(text, encoding="utf-8")
