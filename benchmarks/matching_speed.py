"""Speed of matching two meetings of N commitments each, and of difflib on the same pairs.

    python -m benchmarks.matching_speed [--n 1000] [--difflib-pairs 20000] [--repeat 5]

Commitment texts come from a generated corpus (benchmarks.generate), so they look like real
ones. Prints JSON: median seconds of `tracker.matching.compare` (full pairing with statuses) and
of `score_matrix` alone on N x N, difflib.SequenceMatcher.ratio() on a sample of the same
normalised pairs scaled to N x N, and the ratio.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.generate import generate
from tracker.config import Settings
from tracker.commitment_rules import CommitmentRules
from tracker.extract import ArticleText, extract_meeting
from tracker.lexicon import load_lexicon
from tracker.matching import compare
from tracker.similarity import score_matrix


@dataclass
class C:
    id: str
    text: str
    emphasis: float
    items: list
    signals: dict = field(default_factory=dict)


def commitments(n: int, seed: int) -> list[C]:
    settings = Settings()
    rules = CommitmentRules(settings.commitment_rules)
    lexicon = load_lexicon(settings)
    out: list[C] = []
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), meetings=20, per_meeting=30, seed=seed)
        texts = [ArticleText(i, p.name, p.read_text(encoding="utf-8", errors="replace"))
                 for i, p in enumerate(sorted((Path(tmp) / "articles").iterdir()))]
    for draft in extract_meeting("m", texts, rules, lexicon, 101, settings.performance.threads):  # 101: no merging
        out.append(C(f"c{len(out)}", draft.text, draft.emphasis, draft.items, draft.signals))
    random.Random(seed).shuffle(out)
    while len(out) < 2 * n:
        out += out
    return out[: 2 * n]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--difflib-pairs", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    lexicon = load_lexicon(settings)
    cfg = settings.commitment_rules.matching
    pool = commitments(args.n, seed=7)
    a, b = pool[: args.n], pool[args.n:]
    norm_a = [lexicon.normalize(c.text) for c in a]
    norm_b = [lexicon.normalize(c.text) for c in b]
    topics_a = [lexicon.topics_of(c.text) for c in a]
    topics_b = [lexicon.topics_of(c.text) for c in b]

    compare_times, matrix_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        compare(a, b, lexicon, cfg)
        compare_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        score_matrix(norm_a, topics_a, norm_b, topics_b, cfg)
        matrix_times.append(time.perf_counter() - started)

    rng = random.Random(1)
    pairs = [(rng.randrange(args.n), rng.randrange(args.n)) for _ in range(args.difflib_pairs)]
    started = time.perf_counter()
    for i, j in pairs:
        difflib.SequenceMatcher(None, norm_a[i], norm_b[j]).ratio()
    difflib_sample = time.perf_counter() - started
    difflib_full = difflib_sample * (args.n * args.n) / len(pairs)
    result = {
        "n": args.n,
        "pairs": args.n * args.n,
        "compare_seconds_median": round(statistics.median(compare_times), 3),
        "score_matrix_seconds_median": round(statistics.median(matrix_times), 3),
        "difflib_seconds_for_all_pairs (extrapolated from sample)": round(difflib_full, 1),
        "difflib_sample_pairs": len(pairs),
        "ratio_difflib_over_score_matrix": round(difflib_full / statistics.median(matrix_times), 1),
        "ratio_difflib_over_compare": round(difflib_full / statistics.median(compare_times), 1),
    }
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
