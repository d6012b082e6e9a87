"""The topic lexicon: which topics a text is about, and the normalised form that matching
compares (synonyms and abbreviations replaced by one canonical term, stop words dropped,
words stemmed), so "EVs" and "green energy vehicles" compare as the same thing.

One lexicon for both languages: a topic's Chinese terms (人工智能) sit beside its English ones
and are replaced by the same canonical term, so the topics of a Chinese commitment are those of
an English one. Chinese has no spaces: Chinese terms match as written, anywhere (so a term must
not be a common part of other words), and the rest of a Chinese text is cut into jieba's words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .language import add_words, chinese_words, has_cjk, matching_form
from .regexscan import literal_alternation
from .rule_files.topics import TopicEntry


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    canonical: str
    terms: tuple[str, ...]


class Lexicon:
    def __init__(self, topics: list[TopicEntry], stopwords: list[str], words: tuple[str, ...] | list[str] = ()):
        self.topics = [Topic(t.id, t.label, t.canonical, tuple(t.terms)) for t in topics]
        self.by_id = {t.id: t for t in self.topics}
        self._term_topic: dict[str, Topic] = {}
        exact: list[str] = []
        loose: list[str] = []
        chinese: list[str] = []
        for topic, entry in zip(self.topics, topics):
            exact_case = set(entry.exact_case)
            for term in topic.terms:
                if has_cjk(term):
                    chinese.append(matching_form(term))
                    self._term_topic[matching_form(term)] = topic
                    continue
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
        self.chinese_terms = tuple(sorted(set(chinese), key=len, reverse=True))
        # What the segmenter keeps whole: the Chinese terms and the known formulations.
        self.chinese_words = tuple(sorted({*self.chinese_terms, *(matching_form(w) for w in words if has_cjk(w))}))
        self._chinese_pattern = (
            re.compile(literal_alternation([], list(self.chinese_terms))) if self.chinese_terms else None
        )
        self.stopwords = frozenset(w.casefold() for w in stopwords)
        # The same commitment texts are compared meeting after meeting: normalise each once.
        self._normalized: dict[str, str] = {}
        self._topics: dict[str, list[str]] = {}

    def topic_of(self, term: str) -> Topic:
        found = self._term_topic.get(term) or self._term_topic.get(term.casefold())
        return found or self._term_topic[matching_form(term)]

    def find_terms(self, text: str) -> list[tuple[int, int, Topic]]:
        found = [] if self._pattern is None else [(m.start(), m.end(), m.group()) for m in self._pattern.finditer(text)]
        if self._chinese_pattern is not None and has_cjk(text):
            folded = matching_form(text)  # same length: offsets hold for the original
            chinese = [(m.start(), m.end(), m.group()) for m in self._chinese_pattern.finditer(folded)]
            if chinese:
                found = sorted(found + chinese)
        return [(start, end, self.topic_of(term)) for start, end, term in found]

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
        if has_cjk(text):
            return self._normalize_chinese(text)
        for start, end, topic in terms:
            pieces.append(text[last:start])
            pieces.append(" " + topic.canonical.replace(" ", "_").replace("-", "_") + " ")
            last = end
        pieces.append(text[last:])
        tokens = re.findall(r"[\w]+", "".join(pieces).casefold())
        return " ".join(_stem(t) for t in tokens if t not in self.stopwords and not t.isdigit())

    def _normalize_chinese(self, text: str) -> str:
        """jieba's words, with the lexicon's Chinese terms and the known formulations kept whole,
        stop words left out. The terms stay as written: a Chinese task is a clause, and a broad
        term put in its topic's place (外贸, 丝绸之路经济带 -> trade) would make two tasks alike
        that share only their topic; the topics are compared on their own (topic overlap)."""
        add_words(self.chinese_words)  # in this process (workers are forked before some texts)
        tokens = (w.casefold() for w in chinese_words(text))
        return " ".join(t for t in tokens if t not in self.stopwords and not t.isdigit())


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
    formulations = [w for known in rules.formulations.known for w in (known.name, *known.variants)]
    return Lexicon(
        settings.topics.topic,
        [*rules.matching.stopwords, *rules.matching.generic_words, *emphasis_words],
        formulations,
    )
