"""Which language a text is in, and the form its words are compared in.

Chinese texts are read in the original. For matching, a text is folded to one form without
moving any character: full-width ASCII (互联网＋, ２０２５) becomes half-width and traditional
characters become simplified (OpenCC), one character for one, so an offset into the folded text
is an offset into the original, which is what is displayed. Chinese words come from jieba, with
the formulations of the lexicon added to its dictionary so that 新质生产力 stays one word.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

ENGLISH = "en"
CHINESE = "zh"
LANGUAGE_NAMES = {ENGLISH: "English", CHINESE: "Chinese"}

# CJK Unified Ideographs with extension A and the compatibility block.
CJK_CHARACTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")
# Full-width ASCII (U+FF01-U+FF5E: ＡＩ, ２０２５, ＋, ％, and the marks ，；：！？（）) and the
# ideographic space, to their half-width forms: rules read "," ";" ":" in the folded text.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def language_of(text: str) -> str:
    """Chinese when CJK characters make up at least a fifth of the letters: an English article
    quoting a few Chinese names stays English, a Chinese one with English names is Chinese."""
    sample = text[:20000]
    cjk = len(CJK_CHARACTER.findall(sample))
    if cjk == 0:
        return ENGLISH
    latin = sum(len(w) for w in _LATIN_WORD.findall(sample))
    return CHINESE if cjk >= 0.2 * (cjk + latin) else ENGLISH


def has_cjk(text: str) -> bool:
    return CJK_CHARACTER.search(text) is not None


def fold_width(text: str) -> str:
    return text.translate(_WIDTH)


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters as simplified, one for one (offsets keep their meaning)."""
    if not has_cjk(text):
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length: convert character by character instead.
    return "".join(c if len(s := _converter().convert(c)) != 1 else s for c in text)


def matching_form(text: str) -> str:
    """The form texts are compared in: half-width, simplified; same length as `text`."""
    return simplified(fold_width(text))


def word_count(text: str) -> int:
    """Words for length rules (navigation labels, headings, densities): Latin words, plus one
    word for every two Chinese characters (Chinese words are mostly one or two characters)."""
    if not has_cjk(text):
        return len(text.split())
    return len(_LATIN_WORD.findall(text)) + math.ceil(len(CJK_CHARACTER.findall(text)) / 2)


# ---------------------------------------------------------------- Chinese words

_user_words: set[str] = set()
_added: set[tuple[str, ...]] = set()  # the batches already added in this process


@lru_cache(maxsize=1)
def _tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.initialize()
    return jieba.dt  # the default tokenizer: jieba.posseg cuts with it too


def add_words(words: tuple[str, ...]) -> None:
    """Words the segmenter must keep whole (formulations, lexicon terms); a batch added once in a
    process (forked workers inherit what their parent added)."""
    if words in _added:
        return
    _added.add(words)
    tokenizer = _tokenizer()
    for word in words:
        word = matching_form(word.strip())
        if word and word not in _user_words and has_cjk(word):
            _user_words.add(word)
            tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word, tune=False), 1) + 100)


_PUNCTUATION_OR_SPACE = re.compile(r"^[\s\W_]+$")


def tagged_words(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, part of speech) of jieba's words of `text` in matching form."""
    import jieba.posseg

    _tokenizer()  # the user words are in jieba's default dictionary too (see add_words)
    folded = matching_form(text)
    result, position = [], 0
    for pair in jieba.posseg.cut(folded):
        result.append((position, position + len(pair.word), pair.word, pair.flag))
        position += len(pair.word)
    return result


def chinese_words(text: str) -> list[str]:
    """jieba's words of `text` in matching form, punctuation and spaces left out."""
    return [w for w in _tokenizer().lcut(matching_form(text)) if not _PUNCTUATION_OR_SPACE.match(w)]
