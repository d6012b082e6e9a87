"""Reference oracles: frozen copies of earlier or plain algorithms, kept on purpose.

Property tests check each fast implementation in `tracker/` against the slower, obviously
correct version here (every pattern over the whole text, every pair scored, plain alternations):
the same input must give the same answer. Keep them as they are: do not speed them up, fix
their style or make them share code with `tracker/`, or the tests would compare the fast code
with itself. They reach into `tracker/` only for data (patterns, word lists, result types).
"""

import re
from collections import defaultdict

import numpy as np
from rapidfuzz import fuzz, process

from tracker import dates as dates_module
from tracker.commitment_rules import Decision
from tracker.dates import TimeCue
from tracker.mentions import ORD_PATTERN, Mention, attr_value
from tracker.sentences import _BOUNDARY, ABBREVIATIONS, SENTENCE_STARTERS, Sentence


# ---------------------------------------------------------------- meeting detection (tracker.dates, tracker.mentions)

def reference_find_time_cues(text, rules):
    """find_time_cues as it was: every pattern run over the whole text."""
    ignored_before = re.compile(rules["detection"]["year_ignored_before"], re.I)
    cues, taken = [], []
    for pattern in dates_module._TIME_PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            if groups.get("bare_year"):
                if ignored_before.search(text[max(0, match.start() - 40):match.start()]):
                    continue
                cue = TimeCue(match.start(), match.end(), match.group(), int(groups["bare_year"]), None, None)
            else:
                month = int(groups["month_num"]) if groups.get("month_num") else \
                    dates_module.MONTHS[groups["month"].rstrip(".").lower()]
                day = groups.get("day")
                day = int(day) if day else dates_module._PART_DAY.get((groups.get("part") or "").lower())
                year = int(groups["year"]) if groups.get("year") else None
                end_day = int(groups["end_day"]) if groups.get("end_day") else None
                cue = TimeCue(match.start(), match.end(), match.group(), year, month, day, end_day)
            cues.append(cue)
            taken.append((match.start(), match.end()))
    cues.sort(key=lambda c: c.start)
    return cues


def reference_find_mentions(text, meetings, rules):
    """find_mentions as it was: plain alternations, every recogniser in every window."""
    det = rules["detection"]
    recognizers = [(r["kind"], re.compile(r["pattern"].replace("ORD", ORD_PATTERN), re.I), float(r.get("weight", 1.0)))
                   for r in det["recognizer"]]
    anchor = det.get("anchor", r"(?s:.)")
    width = int(det.get("anchor_window", 160))
    windows = []
    for match in re.finditer(anchor, text):
        start, end = max(0, match.start() - width), min(len(text), match.end() + width)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    index = defaultdict(list)
    for m in meetings:
        for alias in (m.name, *m.aliases):
            index[alias.casefold()].append(m)
    anchor_re = re.compile(anchor)
    anchored = sorted((a for a in index if anchor_re.search(a)), key=len, reverse=True)
    loose = sorted((a for a in index if not anchor_re.search(a)), key=len, reverse=True)

    def compile_(aliases):
        return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in aliases) + r")\b", re.I) if aliases else None

    anchored_re, loose_re = compile_(anchored), compile_(loose)
    found, seen = [], set()

    def matches(pattern):
        for start, end in windows:
            for match in pattern.finditer(text, start, end):
                key = (match.start(), match.end(), pattern.pattern)
                if key not in seen:
                    seen.add(key)
                    yield match

    for kind, pattern, weight in recognizers:
        for match in matches(pattern):
            attrs = {}
            for key, value in match.groupdict().items():
                if value:
                    attrs[key] = attr_value(key, value)
            candidates = tuple(m for m in meetings if m.kind == kind and all(m.attr(k) == v for k, v in attrs.items()))
            found.append(Mention(match.start(), match.end(), match.group(), kind, weight, candidates, attrs,
                                 specific=len(candidates) == 1 and bool(attrs)))
    for match in [*(matches(anchored_re) if anchored_re is not None else ()),
                  *(loose_re.finditer(text) if loose_re is not None else ())]:
        candidates = tuple(index[match.group().casefold()])
        found.append(Mention(match.start(), match.end(), match.group(), candidates[0].kind, 1.0, candidates,
                             specific=len(candidates) == 1))
    found.sort(key=lambda mn: (mn.start, -(mn.end - mn.start), not mn.specific, len(mn.candidates)))
    kept = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            if mention.specific and not kept[-1].specific and mention.end >= kept[-1].end - 2:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


# ---------------------------------------------------------------- extraction (tracker.commitment_rules, tracker.sentences)

def reference_decide(rules, sentence):
    """CommitmentRules.decide as it was before its gates: every pattern on every sentence."""
    text = sentence.text
    if sentence.kind == "heading":
        return Decision(False, [], "heading")
    cues = []
    match = rules.actor_forward.search(text)
    if match:
        cues.append(f"actor {match.group('actor').strip()!r} + forward {match.group('forward').strip()!r}")
    attributed = rules.attributed.search(text)
    if attributed and not match:
        cues.append(f"forward {attributed.group('forward')!r} attributed to {attributed.group('actor').strip()!r}")
    if sentence.kind == "bullet":
        bullet = rules.bullet_start.match(text)
        if bullet:
            cues.append(f"bullet goal {bullet.group().strip()!r}")
    for pattern in rules.impersonal:
        m = pattern.search(text)
        if m:
            cues.append(f"impersonal {m.group().strip()!r}")
    for pattern in rules.nominal:
        m = pattern.search(text)
        if m:
            cues.append(f"nominal {m.group().strip()!r}")
    if not cues:
        return Decision(False, [], None)
    for name, pattern in rules.exclusions:
        m = pattern.search(text)
        if m:
            return Decision(False, cues, f"{name}: {m.group().strip()!r}")
    return Decision(True, cues)


def reference_merge_pairs(normalized, threshold):
    """merge_pairs as it was: token_sort_ratio on every pair, token_set_ratio where it can still reach."""
    if threshold > 100:
        return []
    cutoff = max(0.0, 2 * threshold - 100)
    sort = process.cdist(normalized, normalized, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, workers=1,
                         dtype=np.float32)
    return [(int(i), int(j)) for i, j in np.argwhere(np.triu(sort >= max(cutoff, 1e-9), k=1))
            if (fuzz.token_set_ratio(normalized[i], normalized[j]) + float(sort[i, j])) / 2 >= threshold]


def reference_split_line(line, offset, kind):
    """split_line as it was (slices instead of positions)."""
    def is_boundary(dot, after):
        if line[dot] != ".":
            return True
        match = re.compile(r"([A-Za-z][A-Za-z.]*)\.?$").search(line[max(0, dot - 20):dot])
        if not match:
            return True
        word = match.group(1).lower().rstrip(".")
        next_word = re.match(r"[\"“‘'«(\[]?([A-Za-z]+)", line[after:])
        next_lower = next_word.group(1).lower() if next_word else ""
        if len(word) == 1 and match.group(1).isupper():
            return False
        if "." in word or word in {"u.s", "u.k", "u.n", "e.u"}:
            return next_lower in SENTENCE_STARTERS
        if word in ABBREVIATIONS:
            return word == "etc" and next_lower in SENTENCE_STARTERS
        return True

    sentences = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        after = match.end() + (len(line[match.end():]) - len(line[match.end():].lstrip()))
        if not is_boundary(match.start(), after):
            continue
        piece = line[start:match.end()]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            sentences.append(Sentence(offset + start + lead, offset + match.end(), piece.strip(), kind))
        start = after
    piece = line[start:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        sentences.append(Sentence(offset + start + lead, offset + start + lead + len(piece.strip()), piece.strip(), kind))
    return sentences


# ---------------------------------------------------------------- regex shortcuts (tracker.regexscan)

def plain_literal_alternation(exact, loose):
    """What regexscan.literal_alternation stands for: "(?:(?-i:E1|E2|...)|L1|L2|...)", escaped."""
    return "(?:" + "|".join(p for p in (
        "(?-i:" + "|".join(map(re.escape, exact)) + ")" if exact else "",
        "|".join(map(re.escape, loose))) if p) + ")"
