"""Which rapidfuzz scorer separates true links from false ones? Measured on the gold file.

For every [[link]] of a gold file, the best unit score between commitments that contain the
phrases (a true link); for every [[disappeared]] / [[new]] expectation, the best score the
phrase's commitments get against the other meeting (must stay below the threshold). Prints
each scorer's lowest true-link score, highest false-link score and the margin between them.

    python -m benchmarks.scorers data/gold/sample.toml
"""

from __future__ import annotations

import sys

import numpy as np
from rapidfuzz import fuzz, process

from tracker.config import Settings

from tracker.toml_files import load_toml
from tracker.db import connect, transaction
from tracker.evaluate import _has, _meeting_at
from tracker.lexicon import load_lexicon
from tracker.pairing import units_of
from tracker.similarity import topic_overlap

SCORERS = {
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "partial_ratio": fuzz.partial_ratio,
    "WRatio": fuzz.WRatio,
    "QRatio": fuzz.QRatio,
}


def best(units_a, units_b, text_fn, topic_weight):
    if not units_a or not units_b:
        return 0.0
    text = text_fn([u.normalized for u in units_a], [u.normalized for u in units_b])
    topics = topic_overlap([u.topics for u in units_a], [u.topics for u in units_b])
    return float(((1 - topic_weight) * text + topic_weight * topics).max())


def main(gold_path: str) -> None:
    settings = Settings()
    lexicon = load_lexicon(settings)
    gold = load_toml(gold_path)
    with transaction(connect(settings.db_url)) as session:
        positives, negatives = [], []
        for e in gold.get("link", []):
            a, b = _meeting_at(session, e["from"]), _meeting_at(session, e["to"])
            ca = [c for c in a.commitments if _has(c, e["from_phrase"])]
            cb = [c for c in b.commitments if _has(c, e["to_phrase"])]
            positives.append((e["from_phrase"], units_of(ca, lexicon), units_of(cb, lexicon)))
        for kind in ("disappeared", "new"):
            for e in gold.get(kind, []):
                a, b = _meeting_at(session, e["from"]), _meeting_at(session, e["to"])
                if kind == "disappeared":
                    ca, cb = [c for c in a.commitments if _has(c, e["phrase"])], list(b.commitments)
                else:
                    ca, cb = list(a.commitments), [c for c in b.commitments if _has(c, e["phrase"])]
                negatives.append((e["phrase"], units_of(ca, lexicon), units_of(cb, lexicon)))
        rows = []
        candidates = {name: (lambda s: (lambda x, y: process.cdist(x, y, scorer=s, workers=-1, dtype=np.float32)))(s)
                      for name, s in SCORERS.items()}
        candidates["mean(token_set, token_sort)"] = lambda x, y: (candidates["token_set_ratio"](x, y) + candidates["token_sort_ratio"](x, y)) / 2
        for name, fn in candidates.items():
            for topic_weight in (0.0, 0.3, 0.5):
                pos = [best(ua, ub, fn, topic_weight) for _p, ua, ub in positives]
                neg = [best(ua, ub, fn, topic_weight) for _p, ua, ub in negatives]
                rows.append((min(pos) - max(neg), name, topic_weight, min(pos), max(neg), pos, neg))
        rows.sort(reverse=True)
        print(f"{'scorer':30} {'topic_w':>7} {'min true':>9} {'max false':>9} {'margin':>7}")
        for margin, name, tw, lo, hi, pos, neg in rows:
            print(f"{name:30} {tw:7.1f} {lo:9.1f} {hi:9.1f} {margin:7.1f}   true={[round(p) for p in pos]} false={[round(n) for n in neg]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/gold/sample.toml")
