"""Key policy formulations (提法): the noun phrases analysts follow from meeting to meeting
("supply-side structural reform", "Internet Plus", "new quality productive forces").

They are found in the text, not only from a list: phrases the text puts in quotes, policy
names written in title case ("Silk Road Economic Belt", "Made in China 2025"), hyphenated
policy compounds with a policy head ("innovation-driven development", "people-centered
urbanization"), and the known formulations of data/commitments.toml [formulations] with their
variants. Variants across meetings are grouped with rapidfuzz ("new productive forces" ~ "new
quality productive forces").
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz


_DATE_NOT_NAME = re.compile(r"(?:^|\s)(?:in|for|of|by|on|to|and|since|until)\s+(?:19|20)\d\d$", re.I)


def formulation_key(text: str) -> str:
    """Comparable form: case, hyphens, quotes and a leading article do not count."""
    text = re.sub(r"[-‐–—_]", " ", text.casefold())
    text = re.sub(r"[“”\"'‘’]", "", text)
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip())
    return re.sub(r"\s+", " ", text).strip(" .,;:")


class FormulationFinder:
    """data/commitments.toml [formulations], compiled once."""

    def __init__(self, rules: dict):
        cfg = rules.get("formulations", {})
        self.canonical: dict[str, str] = {}
        for entry in cfg.get("known", []):
            for variant in (entry["name"], *entry.get("variants", [])):
                self.canonical[formulation_key(variant)] = entry["name"]
        names = sorted(self.canonical, key=len, reverse=True)
        self.known = (re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in names) + r")(?![\w-])", re.I)
                      if names else None)
        self.min_words, self.max_words = int(cfg.get("min_words", 2)), int(cfg.get("max_words", 6))
        self.quoted = re.compile(r"[“\"]([A-Za-z][^“”\"]{2,80}?)[,.;:]?[”\"]")
        heads = "|".join(cfg.get("title_heads", [])) or r"(?!)"
        small = r"(?:of|and|for|the|in|on|to)"
        self.title = re.compile(rf"\b(?:(?-i:[A-Z0-9])[\w+-]*\s+(?:{small}\s+)*){{1,6}}(?:{heads})\b")
        self.ignore = {formulation_key(n) for n in cfg.get("ignore", [])}
        compound_heads = "|".join(cfg.get("compound_heads", [])) or r"(?!)"
        function = r"(?:in|of|the|a|an|and|or|to|for|on|at|by|with|from|as)"
        self.compound = re.compile(rf"\b([a-z]+(?:-[a-z]+)+)\s+(?:(?!{function}\s)[a-z]+\s+)?(?:{compound_heads})\b")
        self.generic = {m.casefold() for m in cfg.get("generic_modifiers", [])}

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
            words = len(key.split())
            if key in self.ignore or not (self.min_words <= words <= self.max_words):
                return
            taken.append((start, end))
            name = self.canonical.get(key)
            found.append((start, name or re.sub(r"\s+", " ", phrase.strip(" .,;:")), "known" if name else how))

        if self.known is not None:
            for m in self.known.finditer(text):
                add(m.start(), m.end(), m.group(), "known")
        for m in self.quoted.finditer(text):
            add(m.start(1), m.end(1), m.group(1), "quoted")
        for m in self.title.finditer(text):
            phrase = re.sub(r"^(?:(?:The|A|An|In|By|For|Of|On|To|At|From|Since|Until)\s+)+", "", m.group())
            if _DATE_NOT_NAME.search(phrase):
                continue  # "Plan for Work in 2031": a year after a preposition is a date, not a name
            add(m.end() - len(phrase), m.end(), phrase, "name")
        for m in self.compound.finditer(text):
            if m.group(1).casefold() not in self.generic:
                add(m.start(), m.end(), m.group(), "compound")
        seen: dict[str, str] = {}
        for _start, name, how in sorted(found):
            seen.setdefault(name, how)
        return list(seen.items())


def variant_groups(phrases: list[str], set_ratio: float, ratio: float) -> dict[str, str]:
    """Each formulation key -> the key of its group: keys whose words one contains of the other's
    (token_set_ratio >= set_ratio) and that read alike (ratio >= ratio) are one formulation."""
    keys = sorted({formulation_key(p) for p in phrases})
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if fuzz.token_set_ratio(a, b) >= set_ratio and fuzz.ratio(a, b) >= ratio:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return {k: find(k) for k in keys}
