"""Commitment extraction for one meeting: each article's sentences decided (by
tracker/commitment_rules.py) -> list items -> topics -> merged per meeting (rapidfuzz) ->
emphasis.

The rules live in commitments.toml and the topics in topics.toml; nothing here
knows any particular article.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from .commitment_rules import CommitmentRules
from .language import ENGLISH
from .lexicon import Lexicon
from .reading import OFFICIAL
from .sentences import split_sentences
from .similarity import text_score

# How many scores (float32) one block of _candidate_pairs holds: 4 MB, whatever the number of
# strings (the whole matrix of 10,000 strings would be 400 MB).
_BLOCK_SCORES = 1_000_000


def _candidate_rows(unique: list[str], threshold: float, workers: int) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(a, bs, token_sort_ratios) for each distinct string a: the strings b >= a whose
    token_sort_ratio with a reaches what a text score of `threshold` needs, in order, scored
    block of rows after block (4 MB at a time).

    Since token_set_ratio is at most 100, a text score (similarity.text_score: the mean of
    token_set_ratio and token_sort_ratio) reaching `threshold` needs token_sort_ratio to reach
    2 * threshold - 100: rapidfuzz computes that with a score cutoff, which lets it skip
    dissimilar pairs early. token_sort_ratio is ratio on the words sorted and joined by one
    space: sorting each string's words once here, rather than for every pair inside cdist,
    gives the same scores several times faster. Only the upper triangle is scored."""
    from rapidfuzz import fuzz, process

    cutoff = max(0.0, 2 * threshold - 100)
    floor = max(cutoff, 1e-9)
    words_sorted = [" ".join(sorted(u.split())) for u in unique]
    rows = max(1, _BLOCK_SCORES // max(1, len(unique)))
    for first in range(0, len(unique), rows):
        block = process.cdist(
            words_sorted[first : first + rows],
            words_sorted[first:],
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            workers=workers,
            dtype=np.float32,
        )
        # Row r is string first + r, column c string first + c: keep c >= r (the upper triangle).
        for r in range(block.shape[0]):
            columns = np.flatnonzero(block[r, r:] >= floor) + r
            yield first + r, columns + first, block[r, columns]


def _candidate_pairs(unique: list[str], threshold: float, workers: int) -> Iterator[tuple[int, int, float]]:
    """(a, b, token_sort_ratio) of the pairs of _candidate_rows, one by one."""
    for a, bs, sorts in _candidate_rows(unique, threshold, workers):
        for b, sort in zip(bs.tolist(), sorts.tolist()):
            yield a, b, sort


def _reaches(unique: list[str], threshold: float) -> Callable[[int, int, float], bool]:
    """Whether strings a and b, of token_sort_ratio `sort`, reach `threshold` (the text score)."""
    from rapidfuzz import fuzz

    def reaches(a: int, b: int, sort: float) -> bool:
        return text_score(fuzz.token_set_ratio(unique[a], unique[b]), sort) >= threshold

    return reaches


def _similar_unique(unique: list[str], threshold: float, workers: int) -> tuple[list[tuple[int, int]], list[bool]]:
    """(pairs, self_pairs): the pairs (a < b) of distinct strings whose text score (the mean of
    token_set_ratio and token_sort_ratio: similarity.text_score) reaches `threshold`, and for each
    string whether two copies of it do (always for a non-empty string; an empty one scores 50).
    token_set_ratio runs only on the pairs _candidate_pairs lets through."""
    reaches = _reaches(unique, threshold)
    pairs: list[tuple[int, int]] = []
    self_pairs = [False] * len(unique)
    for a, b, sort in _candidate_pairs(unique, threshold, workers):
        if a == b:
            self_pairs[a] = reaches(a, a, sort)
        elif reaches(a, b, sort):
            pairs.append((a, b))
    return pairs, self_pairs


def _by_string(normalized: list[str]) -> tuple[list[str], list[list[int]]]:
    """The distinct strings, and the positions of each."""
    index: dict[str, int] = {}
    members: list[list[int]] = []
    for i, n in enumerate(normalized):
        u = index.setdefault(n, len(index))
        if u == len(members):
            members.append([])
        members[u].append(i)
    return list(index), members


def merge_groups(normalized: list[str], threshold: float, workers: int) -> list[int]:
    """For each string, the label of its group: the strings connected by pairs whose text score
    reaches `threshold` (the groups of merge_pairs). Each distinct string is scored once, and a
    pair already in one group is not scored in full: the groups are the same, and thousands of
    near-identical statements cost no list of millions of pairs."""
    if threshold > 100:
        return list(range(len(normalized)))  # a threshold no score reaches: merging is switched off
    unique, members = _by_string(normalized)
    if not unique:
        return []
    reaches = _reaches(unique, threshold)
    parent = list(range(len(normalized)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(positions) -> None:
        root = find(positions[0])
        for i in positions[1:]:
            parent[find(i)] = root

    def together(positions) -> bool:
        root = find(positions[0])
        return all(find(i) == root for i in positions[1:])

    # For each distinct string, a root its first copy had (a group only grows, so two strings
    # once seen in one group stay in one), and whether all its copies are in that group: pairs
    # known to be in one group are passed over a row at a time, not one by one.
    seen_root = np.array([m[0] for m in members])
    whole = np.array([len(m) == 1 for m in members])
    # Every copy of a string pairs with every copy of the other (two copies of one string, with
    # each other, unless it is empty).
    for a, bs, sorts in _candidate_rows(unique, threshold, workers):
        seen_root[a] = find(members[a][0])
        if whole[a]:
            open_ = ~(whole[bs] & (seen_root[bs] == seen_root[a]))
            bs, sorts = bs[open_], sorts[open_]
        for b, sort in zip(bs.tolist(), sorts.tolist()):
            same = members[a] if a == b else members[a] + members[b]
            if len(same) > 1 and not together(same) and reaches(a, b, sort):
                join(same)
            if together(members[b]):
                whole[b], seen_root[b] = True, find(members[b][0])
        whole[a] = whole[a] or together(members[a])
    return [find(i) for i in range(len(normalized))]


def merge_pairs(normalized: list[str], threshold: float, workers: int) -> list[tuple[int, int]]:
    """Pairs (i < j), in order, whose text score (similarity.text_score) reaches `threshold`; the
    result equals scoring every pair (each distinct string is scored once: see _similar_unique)."""
    if threshold > 100:
        return []  # a threshold no score reaches: merging is switched off
    unique, members = _by_string(normalized)
    pairs, self_pairs = _similar_unique(unique, threshold, workers)
    found: set[tuple[int, int]] = set()
    for u, same in enumerate(members):
        if self_pairs[u]:
            found.update((i, j) for x, i in enumerate(same) for j in same[x + 1 :])
    for a, b in pairs:
        found.update((min(i, j), max(i, j)) for i in members[a] for j in members[b])
    return sorted(found)


@dataclass
class EvidenceDraft:
    article_id: int
    file: str
    sentence: str
    start: int
    end: int
    cues: list[str]
    section: str = ""  # where it stands in an official report: "III. Major Tasks › 1. Making ..."


@dataclass
class CommitmentDraft:
    id: str
    meeting_id: str
    text: str
    language: str
    items: list[str]
    topics: list[str]
    emphasis: float
    signals: dict
    cues: dict
    evidence: list[EvidenceDraft] = field(default_factory=list)


@dataclass
class ArticleText:
    id: int
    file: str
    text: str
    title: str = ""
    year: int | None = None  # of the meeting the article is about
    kind: str | None = None  # the source kind its front matter declares, if any
    language: str = ENGLISH


def commitment_id(meeting_id: str, normalized_text: str, raw_text: str) -> str:
    basis = f"{meeting_id}|{normalized_text or raw_text.casefold()}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def statement_language(sentence: str, rules: CommitmentRules) -> tuple[float, list[str], list[str]]:
    """(strength, boosters, hedges) of one statement. A phrase counts once however long
    ("in a planned and step-by-step manner" is one hedge: the longest phrase wins), and a
    phrase said twice counts once; at most `max_cues_counted` of each kind count."""
    e = rules.emphasis
    strong = sorted({m.group().lower() for m in rules.strong.finditer(sentence)})
    hedged = sorted({m.group().lower() for m in rules.hedged.finditer(sentence)})
    cap = e.max_cues_counted
    value = e.base + e.per_strong * min(cap, len(strong)) + e.per_hedge * min(cap, len(hedged))
    return round(max(e.floor, value), 2), strong, hedged


def emphasis_of(evidence: list[EvidenceDraft], rules: CommitmentRules) -> tuple[float, dict]:
    """Emphasis (the language of its strongest statement) and the signals it is built from.

    Language is measured per statement; how many sources state a commitment (corroboration)
    is kept beside it, never added: a commitment covered by eight articles is not stronger
    policy than one covered by four."""
    e = rules.emphasis
    measured = [(statement_language(ev.sentence, rules), i) for i, ev in enumerate(evidence)]
    (value, strong, hedged), best = max(measured, key=lambda m: (m[0][0], -m[1]))
    sentences = len(evidence)
    articles = len({ev.file for ev in evidence})
    target = [m.group() for m in rules.target.finditer(" ".join(ev.sentence for ev in evidence))]
    parts = [f"{e.base:.2f} base"]
    if strong:
        parts.append(
            f"+{e.per_strong * min(e.max_cues_counted, len(strong)):.2f} stronger: "
            + ", ".join(repr(w) for w in strong)
        )
    if hedged:
        parts.append(
            f"-{abs(e.per_hedge) * min(e.max_cues_counted, len(hedged)):.2f} hedged: "
            + ", ".join(repr(w) for w in hedged)
        )
    of = f" (the strongest of {sentences} statements)" if sentences > 1 else ""
    corroboration = (
        f"; stated in {sentences} sentence{'s' if sentences > 1 else ''} "
        f"from {articles} source{'s' if articles > 1 else ''} (shown, not counted)"
    )
    signals = {
        "sentences": sentences,
        "articles": articles,
        "strong": strong,
        "hedged": hedged,
        "target": target[0] if target else None,
        "explanation": f"{value:.2f} = " + " ".join(parts) + of + corroboration,
    }
    return value, signals


_PRONOUN_START = re.compile(r"(?:It|He|She|They)\b")
_NUMBERED_PART = re.compile(r"\s*\(?\d{1,2}[.)]\s*$")  # the marker before a numbered heading's text


def extract_meeting(
    meeting_id: str,
    articles: list[ArticleText],
    rules: CommitmentRules,
    lexicon: Lexicon,
    merge_threshold: float,
    threads: int,
    max_sentence_chars: int | None = None,
) -> list[CommitmentDraft]:
    """All commitments of one meeting, merged over its articles, in a deterministic order
    (`threads`: rapidfuzz's workers for the merge scores, -1 for all cores). A sentence longer
    than `max_sentence_chars` (rules.toml [ingest]) is no candidate: the commitment rules would
    search it, and merging compare it with every other, in time that grows with its length (its
    square for the comparison)."""
    candidates: list[tuple[EvidenceDraft, str, list[str]]] = []  # evidence, head, items
    official: dict[int, bool] = {}  # article id -> an official full text in the speaker's voice
    languages = {article.id: article.language for article in articles}
    for article in sorted(articles, key=lambda a: a.file):
        reading = rules.reading.read(article.title, article.text, article.year, article.kind)
        official[article.id] = reading.voice == OFFICIAL
        paragraph: list[str] = []  # the sentences before this one in its paragraph
        previous_end = 0
        part, part_section = "", None  # the numbered part ("1. Making ...") of an official section
        for sentence in split_sentences(article.text):
            if "\n" in article.text[previous_end : sentence.start]:
                paragraph = []  # a pronoun refers back within its paragraph only
            if max_sentence_chars is not None and len(sentence.text) > max_sentence_chars:
                paragraph, previous_end = [], sentence.end  # nor a sentence a pronoun refers back to
                continue
            last_actor, after_reported = None, False
            if _PRONOUN_START.match(sentence.text):
                last_actor = next(filter(None, map(rules.last_actor, reversed(paragraph))), None)
                after_reported = bool(paragraph) and bool(rules.reported.search(paragraph[-1]))
            decision = rules.decide(sentence, reading, last_actor, after_reported)
            paragraph.append(sentence.text)
            previous_end = sentence.end
            section = reading.section_at(sentence.start)
            if section is not part_section:
                part, part_section = "", section
            line_start = article.text.rfind("\n", 0, sentence.start) + 1
            if section.title and _NUMBERED_PART.match(article.text, line_start, sentence.start):
                part = article.text[line_start : sentence.end].strip()
            if not decision.is_commitment:
                continue
            where = " › ".join(p for p in (section.title, part) if p)
            for task in rules.tasks(sentence):
                head, items = rules.items(task.text)
                candidates.append(
                    (
                        EvidenceDraft(article.id, article.file, task.text, task.start, task.end, decision.cues, where),
                        head,
                        items,
                    )
                )
    if not candidates:
        return []

    # One commitment per meeting, many sources: merge near-identical statements.
    normalized = [lexicon.normalize(ev.sentence) for ev, _h, _i in candidates]
    topic_sets = [lexicon.topics_of(ev.sentence) for ev, _h, _i in candidates]
    labels = merge_groups(normalized, merge_threshold, threads)
    groups: dict[int, list[int]] = {}
    for i in range(len(candidates)):
        groups.setdefault(labels[i], []).append(i)

    drafts = []
    for members in groups.values():
        members.sort(key=lambda i: (candidates[i][0].file, candidates[i][0].start))
        first = candidates[members[0]]
        evidence = [candidates[i][0] for i in members]
        items = list(dict.fromkeys(item for i in members for item in candidates[i][2]))
        topics = list(dict.fromkeys(t for i in members for t in topic_sets[i]))
        emphasis, signals = emphasis_of(evidence, rules)
        signals["head"] = first[1] if first[2] else None
        found = rules.formulations.find_with_source(" ".join(ev.sentence for ev in evidence))
        signals["formulations"] = [name for name, _how in found]
        # Named ones (known, quoted, title-case names) can decide new and disappeared; compounds
        # found by their shape only help matching.
        signals["named_formulations"] = [name for name, how in found if how != "compound"]
        if any(official.get(ev.article_id) for ev in evidence):
            signals["official"] = True  # stated in an official full text: its meeting's coverage is complete
        if first[0].section:
            signals["section"] = first[0].section
        text = first[0].sentence
        drafts.append(
            CommitmentDraft(
                id=commitment_id(meeting_id, normalized[members[0]], text),
                meeting_id=meeting_id,
                text=text,
                language=languages[first[0].article_id],
                items=items,
                topics=topics,
                emphasis=emphasis,
                signals=signals,
                cues={ev.file + f":{ev.start}": ev.cues for ev in evidence},
                evidence=evidence,
            )
        )
    drafts.sort(key=lambda d: (d.evidence[0].file, d.evidence[0].start))
    seen: dict[str, int] = {}
    for draft in drafts:  # identical texts in one meeting that did not merge still get distinct ids
        n = seen.get(draft.id, 0)
        seen[draft.id] = n + 1
        if n:
            draft.id = f"{draft.id[:9]}-{n}"
    return drafts
