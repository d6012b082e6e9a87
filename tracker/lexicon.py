"""The topic lexicon: which topics a text is about, and the normalised form that matching
compares (synonyms and abbreviations replaced by one canonical term, stop words dropped,
words stemmed), so "EVs" and "green energy vehicles" compare as the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .regexscan import literal_alternation
from .rule_files.topics import TopicEntry


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    canonical: str
    terms: tuple[str, ...]


class Lexicon:
    def __init__(self, topics: list[TopicEntry], stopwords: list[str]):
        self.topics = [Topic(t.id, t.label, t.canonical, tuple(t.terms)) for t in topics]
        self.by_id = {t.id: t for t in self.topics}
        self._term_topic: dict[str, Topic] = {}
        exact: list[str] = []
        loose: list[str] = []
        for topic, entry in zip(self.topics, topics):
            exact_case = set(entry.exact_case)
            for term in topic.terms:
                # Short all-capital abbreviations ("AI", "EV", "BRI") only match as written.
                if term in exact_case or (term.isupper() and len(term) <= 4):
                    exact.append(term)
                    self._term_topic[term] = topic
                else:
                    loose.append(term)
                    self._term_topic[term.casefold()] = topic
        # Longest terms first, exact-case ones before the others: written as tries that try the
        # terms in that order (lexicon.literal_alternation), which re runs much faster.
        terms = literal_alternation(sorted(exact, key=len, reverse=True), sorted(loose, key=len, reverse=True))
        self._pattern = re.compile(r"(?<![\w-])" + terms + r"(?![\w-])", re.I) if exact or loose else None
        self.stopwords = frozenset(w.casefold() for w in stopwords)
        # The same commitment texts are compared meeting after meeting: normalise each once.
        self._normalized: dict[str, str] = {}
        self._topics: dict[str, list[str]] = {}

    def topic_of(self, term: str) -> Topic:
        return self._term_topic.get(term) or self._term_topic[term.casefold()]

    def find_terms(self, text: str) -> list[tuple[int, int, Topic]]:
        if self._pattern is None:
            return []
        return [(m.start(), m.end(), self.topic_of(m.group())) for m in self._pattern.finditer(text)]

    def topics_of(self, text: str) -> list[str]:
        """Topic ids in order of first appearance."""
        cached = self._topics.get(text)
        if cached is None:
            cached = self._topics[text] = list(dict.fromkeys(topic.id for _s, _e, topic in self.find_terms(text)))
        return list(cached)

    def normalize(self, text: str) -> str:
        """Comparable form: canonical topic terms as single tokens, stems of the other words."""
        cached = self._normalized.get(text)
        if cached is None:
            cached = self._normalized[text] = self._normalize(text)
        return cached

    def _normalize(self, text: str) -> str:
        pieces = []
        last = 0
        terms = self.find_terms(text)
        if text not in self._topics:  # the same terms give the topics: no second search
            self._topics[text] = list(dict.fromkeys(topic.id for _s, _e, topic in terms))
        for start, end, topic in terms:
            pieces.append(text[last:start])
            pieces.append(" " + topic.canonical.replace(" ", "_").replace("-", "_") + " ")
            last = end
        pieces.append(text[last:])
        tokens = re.findall(r"[\w]+", "".join(pieces).casefold())
        return " ".join(_stem(t) for t in tokens if t not in self.stopwords and not t.isdigit())


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    if "_" in token:
        return token  # a canonical topic term
    return _stemmer().stemWord(token)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def load_lexicon(settings) -> Lexicon:
    """The lexicon with the words matching leaves out: stop words, policy boilerplate and the
    emphasis vocabulary (single words; how strongly something is said is not what is said)."""
    rules = settings.commitment_rules
    emphasis_words = [w for w in (*rules.emphasis.strong, *rules.emphasis.hedged) if " " not in w]
    return Lexicon(settings.topics.topic, [*rules.matching.stopwords, *rules.matching.generic_words, *emphasis_words])
