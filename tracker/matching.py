"""Matching: what happened to each commitment of one meeting at a later one.

`tracker.pairing` pairs the units of the two meetings' commitments; here each linked pair gets a
status (by its quantified targets, else its language) and each commitment left unpaired gets
disappeared, not covered or new, every one with a reason an analyst can check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from .corrections import Corrections
from .language import CHINESE, ENGLISH, LANGUAGE_NAMES
from .pairing import Pairing, pair_units
from .rule_files.commitments import MatchingTable


@dataclass
class ChangeDraft:
    """What happened to one commitment from meeting A to meeting B, before it is stored."""

    status: str  # persisted | strengthened | weakened | new | disappeared
    score: float | None
    reason: str
    from_index: int | None
    to_index: int | None
    forced: bool = False
    topics: list[str] = field(default_factory=list)  # what carried on: topics the matched units share


@dataclass(frozen=True)
class Coverage:
    """What a meeting's sources can vouch for. An official full text (a work report, a
    communique) states everything the meeting committed to, so its silence is news; readouts
    and news cover only what they talk about: the topics they state commitments on."""

    official: tuple[str, ...] = ()  # files of its official full texts
    topics: frozenset[str] = frozenset()  # topics its sources state commitments on
    sources: tuple[tuple[str, int], ...] = ()  # (source kind, number of sources)
    language: str | None = None  # the language of the sources it counts, when it counts one only
    # The same for each language its sources are in: a Chinese commitment is carried on, or
    # dropped, by the Chinese sources (commitments are matched within a language).
    by_language: tuple[tuple[str, Coverage], ...] = ()

    def describe(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.sources) or "no sources"
        if self.language:
            return f"{counts} in {LANGUAGE_NAMES.get(self.language, self.language)}; no official full text"
        return f"{counts}; no official full text"

    def in_language(self, language: str) -> Coverage:
        if not self.by_language:
            return self
        return dict(self.by_language).get(language, Coverage(language=language))


def compare(
    commitments_a: list,
    commitments_b: list,
    lexicon,
    cfg: MatchingTable,
    corrections: Corrections | None = None,
    coverage_b: Coverage | None = None,
    target_rules=None,
    threads: int = -1,
) -> list[ChangeDraft]:
    """What happened to each commitment of meeting A in later meeting B.

    Units (whole commitments, list heads and list items) are scored with `score_matrix`, then
    paired to maximise the total score (`optimal_pairs`, see tracker.pairing), each unit used
    once, pairs under the threshold never. A commitment without list
    items has one unit, so it links at most once; a list commitment links to several of the
    other meeting only through different items (it split into, or merged from, several).

    A commitment of A that nothing of B carries on is `disappeared` only where B's sources
    would have stated it (`coverage_b`: an official full text, or sources stating commitments
    on its topics); otherwise B's sources are silent on it and it is `not covered`.

    A linked pair is strengthened or weakened by its quantified targets where it states them
    (`target_rules`: raised, lowered, added; a target dropped makes it disappeared), else by
    its language (emphasis ratio); corroboration is shown in the reason, never counted.

    `threads`: rapidfuzz's workers for the scores (-1: all cores; Settings.performance.threads).
    """
    corrections = corrections or Corrections()
    languages = sorted({_language(c) for c in (*commitments_a, *commitments_b)})
    if len(languages) > 1:
        return [
            change
            for language in languages
            for change in _compare_in_language(
                language, commitments_a, commitments_b, lexicon, cfg, corrections, coverage_b, target_rules, threads
            )
        ]
    if coverage_b is not None and languages:
        coverage_b = coverage_b.in_language(languages[0])
    cfg = weighed_for(languages[0] if languages else ENGLISH, cfg)
    pairing = pair_units(commitments_a, commitments_b, lexicon, cfg, corrections, threads)
    changes = [
        _linked_change(pairing, ca, cb, link, cfg, target_rules) for (ca, cb), link in sorted(pairing.links.items())
    ]
    return changes + _unlinked_changes(pairing, corrections, coverage_b, lexicon, cfg.threshold)


def weighed_for(language: str, cfg: MatchingTable) -> MatchingTable:
    """The matching options with the topic weight of the language's commitments."""
    if language == CHINESE and cfg.chinese_topic_weight is not None:
        return cfg.model_copy(
            update={"topic_weight": cfg.chinese_topic_weight, "text_weight": 1 - cfg.chinese_topic_weight}
        )
    return cfg


def _language(commitment) -> str:
    return getattr(commitment, "language", None) or ENGLISH


def _compare_in_language(
    language: str,
    commitments_a: list,
    commitments_b: list,
    lexicon,
    cfg: MatchingTable,
    corrections: Corrections,
    coverage_b: Coverage | None,
    target_rules,
    threads: int,
) -> list[ChangeDraft]:
    """`compare` on the commitments of one language, with indexes into the whole lists."""
    index_a = [i for i, c in enumerate(commitments_a) if _language(c) == language]
    index_b = [j for j, c in enumerate(commitments_b) if _language(c) == language]
    changes = compare(
        [commitments_a[i] for i in index_a],
        [commitments_b[j] for j in index_b],
        lexicon,
        cfg,
        corrections,
        coverage_b.in_language(language) if coverage_b is not None else None,
        target_rules,
        threads,
    )
    for change in changes:
        change.from_index = index_a[change.from_index] if change.from_index is not None else None
        change.to_index = index_b[change.to_index] if change.to_index is not None else None
    return changes


def _linked_change(
    p: Pairing, ca: int, cb: int, link: tuple[float, list[tuple[int, int]], bool], cfg: MatchingTable, target_rules
) -> ChangeDraft:
    """The status of a linked pair, by its targets, else its language, and the reason."""
    s, unit_pairs, forced = link
    a, b = p.commitments_a[ca], p.commitments_b[cb]
    up, down = cfg.strengthened, cfg.weakened
    ratio = (b.emphasis or 0.01) / max(a.emphasis or 0.01, 0.01)
    status = "strengthened" if ratio >= up else "weakened" if ratio <= down else "persisted"
    targets = _target_status(a, b, target_rules)
    if targets is not None and targets[0]:
        status = targets[0]  # a target kept at its value leaves the decision to the language
    via = []
    for ua_i, ub_i in unit_pairs:
        la, lb = p.units_a[ua_i].label, p.units_b[ub_i].label
        if la and lb:
            via.append(f"item {_quote(la)} ~ item {_quote(lb)}")
        elif la:
            via.append(f"its item {_quote(la)}")
        elif lb:
            via.append(f"the later item {_quote(lb)}")
    how = "linked by an analyst" if forced else f"similarity {s:.0f}"
    lifted = [(ua_i, ub_i) for ua_i, ub_i in unit_pairs if p.scores[ua_i, ub_i] > p.wording[ua_i, ub_i]]
    if lifted and not forced:
        ua_i, ub_i = lifted[0]
        shared = sorted(p.forms_a[p.units_a[ua_i].commitment] & p.forms_b[p.units_b[ub_i].commitment] & p.rare)
        labels = sorted(p.metrics_a[p.units_a[ua_i].commitment] & p.metrics_b[p.units_b[ub_i].commitment])
        what = (
            f"shared formulation {_names(shared, p.form_names)}"
            if shared
            else "a target for the same metric: " + ", ".join(_quote(m) for m in labels)
        )
        how += f" ({what}; wording alone {float(p.wording[ua_i, ub_i]):.0f})"
    reason = (
        (f"{targets[1]}; " if targets else "")
        + f"{_emphasis_reason(a, b)}; {how}"
        + (f" via {', '.join(via)}" if via else "")
        + _corroboration(a, b)
    )
    carried: list[str] = []
    for ua_i, ub_i in unit_pairs:
        ta, tb = p.units_a[ua_i].topics, p.units_b[ub_i].topics
        carried.extend(t for t in ta if t in tb)
    return ChangeDraft(status, round(s, 1), reason, ca, cb, forced, list(dict.fromkeys(carried)))


def _why_not(score: float, partner: tuple[int, float] | None, texts: list, forbidden: bool, threshold: float) -> str:
    """Why the closest candidate was not taken, in true numbers."""
    if score < threshold:
        return f"similarity {score:.0f}, below the threshold {threshold:.0f}"
    if forbidden:
        return f"similarity {score:.0f}, but an analyst unlinked the pair"
    if partner is not None:
        return f"similarity {score:.0f}, but it is paired with {_quote(texts[partner[0]].text, 50)} at {partner[1]:.0f}"
    return f"similarity {score:.0f}, but its units are paired elsewhere"


def _unlinked_changes(
    p: Pairing, corrections: Corrections, coverage_b: Coverage | None, lexicon, threshold: float
) -> list[ChangeDraft]:
    """Disappeared (or not covered) for each commitment of A left unlinked, new for each of B,
    each with its closest candidate and why it was not taken."""
    commitments_a, commitments_b, ids_a, ids_b = p.commitments_a, p.commitments_b, p.ids_a, p.ids_b
    only_a, only_b = p.only_a, p.only_b
    closest = p.closest()
    linked_a = {ca: (cb, s) for (ca, cb), (s, _u, _f) in p.links.items()}
    linked_b = {cb: (ca, s) for (ca, cb), (s, _u, _f) in p.links.items()}
    changes: list[ChangeDraft] = []
    for ca, a in enumerate(commitments_a):
        if ca in linked_a:
            continue
        status, reason = _silence(a, coverage_b, lexicon)
        if ca in only_a:
            reason = (
                f"its formulation {_names(only_a[ca], p.form_names)} is not in the later meeting's official full text"
            )
        if closest.shape[1]:
            cb = int(np.argmax(closest[ca]))
            score = float(closest[ca, cb])
            forbidden = (ids_a[ca], ids_b[cb]) in corrections.forbid
            why = _why_not(score, linked_b.get(cb), commitments_a, forbidden, threshold)
            reason += f" (closest: {_quote(commitments_b[cb].text)}: {why})"
        changes.append(ChangeDraft(status, None, reason, ca, None))
    for cb in range(len(commitments_b)):
        if cb in linked_b:
            continue
        reason = "nothing in the earlier meeting announced it"
        if cb in only_b:
            reason = f"new formulation {_names(only_b[cb], p.form_names)}, not in the earlier meeting"
        if closest.shape[0]:
            ca = int(np.argmax(closest[:, cb]))
            score = float(closest[ca, cb])
            forbidden = (ids_a[ca], ids_b[cb]) in corrections.forbid
            why = _why_not(score, linked_a.get(ca), commitments_b, forbidden, threshold)
            reason += f" (closest: {_quote(commitments_a[ca].text)}: {why})"
        changes.append(ChangeDraft("new", None, reason, None, cb))
    return changes


_NUMBER = re.compile(r"\d")

# A target change decides a link's status: raised (or added) is strengthened, lowered is
# weakened, dropped is disappeared; the strongest decision wins when several metrics move.
_TARGET_DECIDES = {"disappeared": 3, "weakened": 2, "strengthened": 1}


def _target_status(a, b, target_rules) -> tuple[str, str] | None:
    """(status, reason) from the quantified targets two linked commitments state, or None when
    neither states one (or no moved target decides: the language does)."""
    if target_rules is None:
        return None
    from .target_changes import compare_targets
    from .targets import Target

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
            replace(
                c,
                status="persisted",
                reason=f"{c.reason}; the later statement has figures the target rules do not read",
            )
            for c in changes
            if c.status == "disappeared"
        ]
    decided = [
        ("strengthened" if c.status == "new" else c.status, c.reason.replace(" set at ", " added at "))
        for c in changes
        if c.status in ("new", *_TARGET_DECIDES)
    ]
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
        return (
            "disappeared",
            f"the later meeting's official full text ({', '.join(coverage.official)}) does not carry it on",
        )
    topics = list(getattr(a, "topics", None) or [])
    shared = [t for t in topics if t in coverage.topics]
    if shared:
        return (
            "disappeared",
            f"the later meeting's sources state commitments on {labels(shared)}, but none carries it on",
        )
    about = labels(topics) if topics else "its subject (no topic of the lexicon)"
    return "not covered", f"the later meeting's sources ({coverage.describe()}) state nothing on {about}"


def _corroboration(a, b) -> str:
    """How many sources state it, before and after: shown, never counted as emphasis."""
    sa, sb = a.signals or {}, b.signals or {}
    before = (sa.get("sentences", 1), sa.get("articles", 1))
    after = (sb.get("sentences", 1), sb.get("articles", 1))
    if before == after:
        return ""
    return (
        f"; corroboration {before[0]} sentences in {before[1]} sources -> {after[0]} in {after[1]} (shown, not counted)"
    )


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


def _names(groups: list[str], names: dict[str, str]) -> str:
    return ", ".join(_quote(names.get(g, g)) for g in groups)
