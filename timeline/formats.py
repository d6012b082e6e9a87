"""How values are written into the site: JSON for data files and scripts, slugs and
file-safe ids, clipped text and numbers, and the labels of the texts' languages."""

from __future__ import annotations

import hashlib
import json
import re

from markupsafe import Markup, escape

from tracker.language import CHINESE, ENGLISH, has_cjk, language_of

# The language of the site's own words (headings, navigation, explanations): <html lang>.
# Commitments, evidence and articles carry their own language (lang="zh" / lang="en").
SITE_LANGUAGE = ENGLISH
# How a commitment's language is labelled where commitments are listed: (label, its title).
LANGUAGE_LABELS = {
    CHINESE: ("中文", "Chinese: stated in a Chinese-language text, matched with Chinese commitments only"),
    ENGLISH: ("EN", "English: stated in an English-language text, matched with English commitments only"),
}


def lang_attr(language: str) -> Markup:
    """` lang="zh"` for text in another language than the page's, else nothing: text in the
    site's language inherits <html lang>."""
    return Markup(' lang="{}"').format(language) if language and language != SITE_LANGUAGE else Markup("")


def in_its_language(text: str) -> Markup:
    """A text stored without its language, escaped, in a <span lang> when it is not in the
    site's (language_of tells)."""
    attr = lang_attr(language_of(text))
    return Markup("<span{}>{}</span>").format(attr, text) if attr else escape(text)


def language_labels() -> dict[str, dict[str, str]]:
    """The labels as the pages' scripts read them: code -> {"label", "title"}."""
    return {code: {"label": label, "title": title} for code, (label, title) in LANGUAGE_LABELS.items()}


def stable_json(data, indent: int | None = None) -> str:
    """JSON with sorted keys, so that the same data gives the same bytes."""
    if indent is None:
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(data, sort_keys=True, indent=indent, ensure_ascii=False)


def script_json(data) -> str:
    """JSON for a JavaScript file or a <script> element: no raw `<`, `>`, `&` or line
    separators survive, whatever the text holds."""
    return (
        stable_json(data)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def json_script(data, element_id: str) -> Markup:
    """A <script type="application/json"> element holding `data`."""
    return Markup('<script type="application/json" id="{}">{}</script>').format(element_id, Markup(script_json(data)))


MAX_SLUG = 120  # characters: a page name stays far below the file systems' 255 bytes


def slugify(value: str) -> str:
    """An ASCII file name for `value`. A name with other letters (政府工作报告.txt) keeps its
    ASCII part and gains a short hash of the whole, so that two Chinese names stay apart; so
    does a name longer than MAX_SLUG (deep folders, long file names), cut at a hyphen."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    if any(ord(ch) > 127 and ch.isalnum() for ch in value) or len(slug) > MAX_SLUG:
        digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]
        if len(slug) > MAX_SLUG:
            cut = slug[:MAX_SLUG]
            slug = (cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2 :] else cut).strip("-")
        return f"{slug}-{digest}" if slug else digest
    return slug or "article"


def safe_id(value: str) -> str:
    """A file-name-safe form of an id (ids are normally already safe)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip(".-") or "x"


def truncate(text: str, length: int = 120) -> str:
    """The start of a text, whitespace collapsed, with "…" where it was cut (at a word). `length`
    counts Latin characters: Chinese ones are about twice as wide, so a Chinese text keeps half
    as many (cut anywhere: Chinese has no spaces)."""
    text = " ".join((text or "").split())
    if has_cjk(text):
        length = max(length // 2, 2)
        return text if len(text) <= length else text[: length - 1].rstrip() + "…"
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut[length // 2 :]:  # at a word, where one ends in the second half
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def cut_title(text: str, length: int = 70) -> str:
    """A page title of at most about `length` Latin characters, cut at a word."""
    return truncate(text, length)


def fmt_num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def corroboration(sentences: int, sources: int) -> str:
    return f"{sentences} sentence{'' if sentences == 1 else 's'} from {sources} source{'' if sources == 1 else 's'}"
