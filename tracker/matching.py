"""Matching commitments across meetings with rapidfuzz.

Scores are computed on lexicon-normalised text (tracker.lexicon) with `rapidfuzz.process.cdist`
(vectorised, all cores) and blended with topic overlap; see `score_matrix` for why.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process


def topic_overlap(topics_a: list[list[str]], topics_b: list[list[str]]) -> np.ndarray:
    """Jaccard overlap of topic sets, 0-100, as an (len(a), len(b)) matrix."""
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
    inter = a @ b.T
    union = a.sum(1)[:, None] + b.sum(1)[None, :] - inter
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
    return cfg["text_weight"] * text + cfg["topic_weight"] * topics
