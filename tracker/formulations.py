"""Key policy formulations (提法): the noun phrases analysts follow from meeting to meeting
("supply-side structural reform", "Internet Plus", "new quality productive forces").

They are found in the text, not only from a list: phrases the text puts in quotes, policy
names written in title case ("Silk Road Economic Belt", "Made in China 2025"), hyphenated
policy compounds with a policy head ("innovation-driven development", "people-centered
urbanization"), and the known formulations of commitments.toml [formulations] with their
variants. Variants across meetings are grouped with rapidfuzz ("new productive forces" ~ "new
quality productive forces").

In Chinese the same sources hold: phrases in “” (“互联网+”, “中国制造2025”) and the known ones
(供给侧结构性改革). A Chinese formulation is measured in characters (no spaces to count words
by), and its variants are compared on jieba's words (京津冀地区协同发展 ~ 京津冀协同发展).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .language import chinese_words, has_cjk, matching_form, tagged_words
from .rule_files.commitments import FormulationsTable, MatchingTable

_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?")  # a number in a name tells one plan or congress from another
_DATE_NOT_NAME = re.compile(r"(?:^|\s)(?:in|for|of|by|on|to|and|since|until)\s+(?:19|20)\d\d$", re.I)
# A Chinese formulation has this many characters: a slogan of a few words, not a sentence.
CHINESE_CHARACTERS = (2, 12)
_CHINESE_QUOTED = re.compile(r"“([^“”，。；：！？]{2,16}?)”")


def formulation_key(text: str) -> str:
    """Comparable form: case, hyphens, quotes and a leading article do not count."""
    if has_cjk(text):
        return re.sub(r"[\s“”\"'‘’「」]", "", matching_form(text).casefold()).strip(" .,;:、，。")
    text = re.sub(r"[-‐–—_]", " ", text.casefold())
    text = re.sub(r"[“”\"'‘’]", "", text)
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip())
    return re.sub(r"\s+", " ", text).strip(" .,;:")


def _size_fits(key: str, min_words: int, max_words: int) -> bool:
    if has_cjk(key):
        return CHINESE_CHARACTERS[0] <= len(key) <= CHINESE_CHARACTERS[1]
    return min_words <= len(key.split()) <= max_words


class FormulationFinder:
    """commitments.toml [formulations], compiled once."""

    def __init__(self, cfg: FormulationsTable):
        self.canonical: dict[str, str] = {}
        for entry in cfg.known:
            for variant in (entry.name, *entry.variants):
                self.canonical[formulation_key(variant)] = entry.name
        names = sorted((n for n in self.canonical if not has_cjk(n)), key=len, reverse=True)
        self.known = (
            re.compile(
                r"(?<![\w-])(?:" + "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in names) + r")(?![\w-])", re.I
            )
            if names
            else None
        )
        chinese = sorted((n for n in self.canonical if has_cjk(n)), key=len, reverse=True)
        self.known_chinese = re.compile("|".join(map(re.escape, chinese))) if chinese else None
        self.min_words, self.max_words = cfg.min_words, cfg.max_words
        self.quoted = re.compile(r"[“\"]([A-Za-z][^“”\"]{2,80}?)[,.;:]?[”\"]")
        heads = "|".join(cfg.title_heads) or r"(?!)"
        small = r"(?:of|and|for|the|in|on|to)"
        self.title = re.compile(rf"\b(?:(?-i:[A-Z0-9])[\w+-]*\s+(?:{small}\s+)*){{1,6}}(?:{heads})\b")
        self.ignore = {formulation_key(n) for n in cfg.ignore}
        compound_heads = "|".join(cfg.compound_heads) or r"(?!)"
        function = r"(?:in|of|the|a|an|and|or|to|for|on|at|by|with|from|as)"
        self.compound = re.compile(rf"\b([a-z]+(?:-[a-z]+)+)\s+(?:(?!{function}\s)[a-z]+\s+)?(?:{compound_heads})\b")
        self.generic = {m.casefold() for m in cfg.generic_modifiers}
        self.chinese_heads = tuple(cfg.chinese_heads)
        self.chinese_tags = frozenset(cfg.chinese_tags)

    def find(self, text: str) -> list[str]:
        """The formulations `text` states, each once, in order (known ones by their name)."""
        return [name for name, _how in self.find_with_source(text)]

    def find_with_source(self, text: str) -> list[tuple[str, str]]:
        """(formulation, how it was found: known, quoted, name or compound), each once, in order."""
        found: list[tuple[int, str, str]] = []
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, phrase: str, how: str) -> None:
            if any(s < end and start < e for s, e in taken):
                return
            key = formulation_key(phrase)
            if key in self.ignore or not _size_fits(key, self.min_words, self.max_words):
                return
            taken.append((start, end))
            name = self.canonical.get(key)
            found.append((start, name or re.sub(r"\s+", " ", phrase.strip(" .,;:")), "known" if name else how))

        if self.known is not None:
            for m in self.known.finditer(text):
                add(m.start(), m.end(), m.group(), "known")
        if self.known_chinese is not None and has_cjk(text):
            for m in self.known_chinese.finditer(matching_form(text)):  # same length as text
                add(m.start(), m.end(), m.group(), "known")
        for m in self.quoted.finditer(text):
            add(m.start(1), m.end(1), m.group(1), "quoted")
        for m in _CHINESE_QUOTED.finditer(text):
            if has_cjk(m.group(1)):
                add(m.start(1), m.end(1), m.group(1), "quoted")
        for m in self.title.finditer(text):
            phrase = re.sub(r"^(?:(?:The|A|An|In|By|For|Of|On|To|At|From|Since|Until)\s+)+", "", m.group())
            if _DATE_NOT_NAME.search(phrase):
                continue  # "Plan for Work in 2031": a year after a preposition is a date, not a name
            add(m.end() - len(phrase), m.end(), phrase, "name")
        for m in self.compound.finditer(text):
            if m.group(1).casefold() not in self.generic:
                add(m.start(), m.end(), m.group(), "compound")
        if (self.chinese_heads or self.chinese_tags) and has_cjk(text):
            for start, end, phrase in self._chinese_compounds(text):
                add(start, end, phrase, "compound")
        seen: dict[str, str] = {}
        for _start, name, how in sorted(found):
            seen.setdefault(name, how)
        return list(seen.items())

    def _chinese_compounds(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, phrase) of the Chinese compounds: an instrument's head noun with the two
        content words before it, and the abbreviations (see [formulations] chinese_heads)."""
        words = tagged_words(text)
        found = []
        for i, (start, end, word, tag) in enumerate(words):
            if tag in self.chinese_tags and len(word) >= 3:
                found.append((start, end, word))
            if not word.endswith(self.chinese_heads) or not has_cjk(word):
                continue
            # The word before the head names the instrument ("收储"); the one before that joins
            # unless it is a verb (the action taken on it: "建立存款保险制度").
            first = i
            if i >= 1 and _content_word(words[i - 1][2]):
                first = i - 1
                if i >= 2 and _content_word(words[i - 2][2]) and words[i - 2][3] != "v":
                    first = i - 2
            if first < i:
                found.append((words[first][0], end, text[words[first][0] : end]))
        return found


def _content_word(word: str) -> bool:
    return has_cjk(word) and len(word) >= 2 and word not in _FUNCTION_WORDS


# Words that join or frame a noun phrase rather than name it.
_FUNCTION_WORDS = frozenset(
    "的 和 与 及 以及 或 等 在 对 把 为 以 于 并 其 中 各 各项 各类 有关 相关 这 该 一系列".split()
)


def variant_groups(phrases: list[str], set_ratio: float, ratio: float) -> dict[str, str]:
    """Each formulation key -> the key of its group: keys whose words one contains of the other's
    (token_set_ratio >= set_ratio) and that read alike (ratio >= ratio) are one formulation."""
    keys = sorted({formulation_key(p) for p in phrases})
    parent = {k: k for k in keys}
    # Chinese keys are compared on their words (no spaces to tell them by).
    spaced = {k: " ".join(chinese_words(k)) if has_cjk(k) else k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if _NUMBER.findall(a) != _NUMBER.findall(b):
                continue  # "12th Five-Year Plan" and "13th Five-Year Plan" are two plans
            if has_cjk(a) != has_cjk(b):
                continue  # languages meet through known variants, not spelling
            if fuzz.token_set_ratio(spaced[a], spaced[b]) >= set_ratio and fuzz.ratio(a, b) >= ratio:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return {k: find(k) for k in keys}


# --------------------------------------------------------------------------------------------
# The corpus-wide index: when each formulation first and last appeared, where, how often, in
# which sentences (`tracker formulations` and the site's formulations page).


@dataclass
class FormulationUse:
    """One sentence in which a meeting's commitment states a formulation."""

    meeting_id: str
    commitment_id: str
    sentence: str
    file: str | None  # the article the sentence is from; None when only the commitment text says it

    def as_dict(self) -> dict:
        return {
            "meeting": self.meeting_id,
            "commitment": self.commitment_id,
            "file": self.file,
            "sentence": self.sentence,
        }


@dataclass
class FormulationEntry:
    """A formulation with all its spellings, followed across every meeting that states it."""

    name: str  # the most frequent spelling (ties: the earliest)
    variants: list[str]  # every spelling seen, sorted
    first_meeting: str
    last_meeting: str
    meetings: list[str]  # ids, in date order
    frequency: dict[str, int]  # meeting id -> how many of its commitments state it
    uses: list[FormulationUse] = field(default_factory=list)
    named: bool = False  # found as a known, quoted or title-case name at least once (not only as a compound)

    @property
    def total(self) -> int:
        """Commitments stating it, over all meetings."""
        return sum(self.frequency.values())

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "variants": list(self.variants),
            "first_meeting": self.first_meeting,
            "last_meeting": self.last_meeting,
            "meetings": list(self.meetings),
            "frequency": dict(self.frequency),
            "named": self.named,
            "sentences": [use.as_dict() for use in self.uses],
        }


def _field(obj, name: str, default=None):
    """Attribute or dict key: the index reads ORM rows, plain objects and dicts alike."""
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _evidence_file(evidence) -> str | None:
    article = _field(evidence, "article")
    return _field(article, "file") if article is not None else _field(evidence, "file")


def _phrase_pattern(phrases: set[str]) -> re.Pattern:
    """Any of `phrases` as whole words, case-insensitive, a hyphen and a space alike."""
    alternatives = sorted(
        {r"[\s\-‐–—]+".join(re.escape(w) for w in formulation_key(p).split()) for p in phrases if not has_cjk(p)},
        key=len,
        reverse=True,
    )
    chinese = sorted({re.escape(formulation_key(p)) for p in phrases if has_cjk(p)}, key=len, reverse=True)
    pattern = r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)" if alternatives else r"(?!)"
    return re.compile(pattern + ("|" + "|".join(chinese) if chinese else ""), re.I)


def _uses(meeting_id: str, commitment, pattern: re.Pattern) -> list[FormulationUse]:
    """The commitment's evidence sentences that state the formulation, each once; the
    commitment text when none does (a known formulation may be named by another spelling)."""
    evidence = list(_field(commitment, "evidence") or [])
    uses: list[FormulationUse] = []
    seen: set[str] = set()
    for ev in evidence:
        sentence = _field(ev, "sentence") or ""
        if sentence not in seen and pattern.search(matching_form(sentence)):
            seen.add(sentence)
            uses.append(FormulationUse(meeting_id, _field(commitment, "id"), sentence, _evidence_file(ev)))
    if not uses:
        file = _evidence_file(evidence[0]) if evidence else None
        uses.append(FormulationUse(meeting_id, _field(commitment, "id"), _field(commitment, "text") or "", file))
    return uses


def formulation_index(meetings: list[tuple[str, list]], matching: MatchingTable) -> list[FormulationEntry]:
    """Every formulation of the corpus, its spellings grouped over all meetings (not pair by pair
    as in matching, so a variant links its first use to its last), ordered by first meeting
    then name. `meetings`: (meeting id, its commitments) in date order; a commitment is any
    object or dict with id, text, signals and evidence (sentence, article.file)."""
    set_ratio, ratio = matching.formulation_set_ratio, matching.formulation_ratio
    stated: list[tuple[str, object, list[str], set[str]]] = []  # meeting id, commitment, phrases, named keys
    for meeting_id, commitments in meetings:
        for c in commitments:
            signals = _field(c, "signals") or {}
            phrases = list(dict.fromkeys(signals.get("formulations") or []))
            if phrases:
                named_keys = {formulation_key(p) for p in signals.get("named_formulations") or []}
                stated.append((meeting_id, c, phrases, named_keys))
    if not stated:
        return []
    group_of = variant_groups([p for _m, _c, phrases, _n in stated for p in phrases], set_ratio, ratio)
    order = {meeting_id: i for i, (meeting_id, _c) in enumerate(meetings)}

    spellings: dict[str, dict[str, int]] = {}  # group -> spelling -> count, in order of first use
    frequency: dict[str, dict[str, int]] = {}
    named: dict[str, bool] = {}
    stated_by: dict[str, list[tuple[str, object]]] = {}  # group -> (meeting id, commitment)
    for meeting_id, c, phrases, named_keys in stated:
        groups_here: dict[str, None] = {}
        for p in phrases:
            group = group_of[formulation_key(p)]
            groups_here[group] = None
            counts = spellings.setdefault(group, {})
            counts[p] = counts.get(p, 0) + 1
            named[group] = named.get(group, False) or formulation_key(p) in named_keys
        for group in groups_here:  # two spellings in one commitment: stated once
            per_meeting = frequency.setdefault(group, {})
            per_meeting[meeting_id] = per_meeting.get(meeting_id, 0) + 1
            stated_by.setdefault(group, []).append((meeting_id, c))

    entries = []
    for group, counts in spellings.items():
        name = max(counts, key=counts.__getitem__)  # max keeps the first of equals: the earliest
        pattern = _phrase_pattern(set(counts))
        seen_in = sorted(frequency[group], key=order.__getitem__)
        entries.append(
            FormulationEntry(
                name=name,
                variants=sorted(counts, key=lambda s: (s.casefold(), s)),
                first_meeting=seen_in[0],
                last_meeting=seen_in[-1],
                meetings=seen_in,
                frequency={m: frequency[group][m] for m in seen_in},
                uses=[use for meeting_id, c in stated_by[group] for use in _uses(meeting_id, c, pattern)],
                named=named[group],
            )
        )
    entries.sort(key=lambda e: (order[e.first_meeting], e.name.casefold(), e.name))
    return entries


def formulations_for(session, meeting_id: str | None, matching: MatchingTable) -> list[FormulationEntry]:
    """The index from the database; with `meeting_id`, only the formulations that meeting states,
    each still with its whole history (an unknown id or a meeting without any: empty)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from .db import Article, Commitment, Evidence, Meeting

    stmt = (
        select(Meeting)
        .where(Meeting.commitments.any())
        .order_by(Meeting.start, Meeting.id)
        .options(
            selectinload(Meeting.commitments)
            .selectinload(Commitment.evidence)
            .selectinload(Evidence.article)
            .load_only(Article.id, Article.file)
        )
    )
    meetings = [(m.id, list(m.commitments)) for m in session.scalars(stmt)]
    entries = formulation_index(meetings, matching)
    if meeting_id is not None:
        entries = [e for e in entries if meeting_id in e.frequency]
    return entries


def summary_rows(entries: list[FormulationEntry]) -> list[dict]:
    """One row per formulation for a table: where it started and ended, how widely it was used."""
    return [
        {"name": e.name, "first": e.first_meeting, "last": e.last_meeting, "meetings": len(e.meetings), "uses": e.total}
        for e in entries
    ]
