"""Similarity of commitments, 0-100: the text score (rapidfuzz, on lexicon-normalised text) blended
with the overlap of their topics; see `score_matrix` for why."""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from .rule_files.commitments import MatchingTable


def text_score(token_set, token_sort):
    """The text score of two texts from their rapidfuzz token_set_ratio and token_sort_ratio
    (numbers, or arrays of them pair by pair): their mean. token_set_ratio alone gives 100 when
    one text's words are a subset of the other's; token_sort_ratio pulls that down in proportion
    to the words the shorter one lacks. The ratios come in as the caller computes them fastest
    (all pairs at once, a few pairs, with a score cutoff)."""
    return (token_set + token_sort) / 2.0


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


def score_matrix(
    norm_a: list[str],
    topics_a: list[list[str]],
    norm_b: list[str],
    topics_b: list[list[str]],
    cfg: MatchingTable,
    threads: int = -1,
) -> np.ndarray:
    """Similarity 0-100 of every unit of A with every unit of B.

    The text score (`text_score`, with `rapidfuzz.process.cdist`: vectorised, all cores) blended
    with the topic overlap (Jaccard of lexicon topics), which keeps a shared generic word from
    linking commitments about different things. `threads`: cdist's workers (-1: all cores).
    """
    if not norm_a or not norm_b:
        return np.zeros((len(norm_a), len(norm_b)), dtype=np.float32)
    token_set = process.cdist(norm_a, norm_b, scorer=fuzz.token_set_ratio, workers=threads, dtype=np.float32)
    token_sort = process.cdist(norm_a, norm_b, scorer=fuzz.token_sort_ratio, workers=threads, dtype=np.float32)
    text = text_score(token_set, token_sort)
    topics = topic_overlap(topics_a, topics_b)
    # Two texts that name no topic at all (a growth target, a budget line) are compared by
    # their text alone: the lexicon's silence is no evidence that they differ.
    untagged = np.outer([not t for t in topics_a], [not t for t in topics_b])
    topics = np.where(untagged, text, topics)
    return cfg.text_weight * text + cfg.topic_weight * topics


def scores_at_least(
    norm_a: list[str],
    topics_a: list[list[str]],
    norm_b: list[str],
    topics_b: list[list[str]],
    cfg: MatchingTable,
    threshold: float,
) -> list[tuple[float, int, int]]:
    """The (score, i, j) of `score_matrix` that are >= threshold, without scoring text where
    the topic overlap alone rules a pair out: text is at most 100, so a pair needs
    topic_weight * topics >= threshold - text_weight * 100. (Thread reappearance: about 5 %
    of the pairs pass, and scoring only those is 8x faster.) Same float32 arithmetic as
    score_matrix, so the same pairs and scores."""
    if not norm_a or not norm_b:
        return []
    topics = topic_overlap(topics_a, topics_b)
    text_weight, topic_weight = cfg.text_weight, cfg.topic_weight
    untagged = np.outer([not t for t in topics_a], [not t for t in topics_b])
    bound = np.where(untagged, np.float32(100.0), topics)  # as in score_matrix: text stands in for topics
    rows, cols = np.nonzero(text_weight * np.float32(100.0) + topic_weight * bound >= threshold)
    if not len(rows):
        return []
    pairs = [(norm_a[i], norm_b[j]) for i, j in zip(rows.tolist(), cols.tolist())]
    token_set = np.array([fuzz.token_set_ratio(a, b) for a, b in pairs], dtype=np.float32)
    token_sort = np.array([fuzz.token_sort_ratio(a, b) for a, b in pairs], dtype=np.float32)
    text = text_score(token_set, token_sort)
    scores = text_weight * text + topic_weight * np.where(untagged[rows, cols], text, topics[rows, cols])
    keep = scores >= threshold
    return list(zip(scores[keep].tolist(), rows[keep].tolist(), cols[keep].tolist()))
