"""Front matter: YAML between `---` lines, TOML between `+++` lines, or none."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.articles import ArticleError, parse_article, split_front_matter

YAML_ARTICLE = """\
---
title: Communique of the Fourth Plenum
meeting: Fourth Plenum of the 20th Central Committee
date: 2025-10-23
source: Xinhua
url: https://example.org/communique
---
The plenum adopted recommendations for the 15th Five-Year Plan.
"""

TOML_ARTICLE = """\
+++
title = "Work report highlights"
meeting = "2024 Two Sessions"
date = 2024-03-05
source = "The Example Review"
url = "https://example.org/work-report"
+++
Premier Li Qiang delivered the government work report to the National People's Congress.
"""


def test_yaml_front_matter_is_read_and_removed_from_the_body():
    meta, body = split_front_matter(YAML_ARTICLE)
    assert meta == {
        "title": "Communique of the Fourth Plenum",
        "meeting": "Fourth Plenum of the 20th Central Committee",
        "date": dt.date(2025, 10, 23),
        "source": "Xinhua",
        "url": "https://example.org/communique",
    }
    assert body == "The plenum adopted recommendations for the 15th Five-Year Plan.\n"


def test_toml_front_matter_is_read_and_removed_from_the_body():
    meta, body = split_front_matter(TOML_ARTICLE)
    assert meta == {
        "title": "Work report highlights",
        "meeting": "2024 Two Sessions",
        "date": dt.date(2024, 3, 5),
        "source": "The Example Review",
        "url": "https://example.org/work-report",
    }
    assert body.startswith("Premier Li Qiang delivered")
    assert "+++" not in body


def test_parse_article_uses_front_matter_title_and_keeps_meta(rules):
    parsed = parse_article(YAML_ARTICLE.encode(), "plenum.md", rules)
    assert parsed.title == "Communique of the Fourth Plenum"
    assert parsed.meta["source"] == "Xinhua"
    assert parsed.meta["meeting"] == "Fourth Plenum of the 20th Central Committee"
    assert parsed.text == "The plenum adopted recommendations for the 15th Five-Year Plan."
    assert "title:" not in parsed.text and "---" not in parsed.text
    assert parsed.warnings == []


def test_crlf_line_endings_and_utf8_bom_still_find_the_front_matter(rules):
    raw = b"\xef\xbb\xbf" + YAML_ARTICLE.replace("\n", "\r\n").encode()
    parsed = parse_article(raw, "plenum.txt", rules)
    assert parsed.title == "Communique of the Fourth Plenum"
    assert parsed.meta["date"] == dt.date(2025, 10, 23)
    assert parsed.text == "The plenum adopted recommendations for the 15th Five-Year Plan."


def test_non_string_values_become_strings_and_unknown_keys_warn(rules):
    raw = b"---\ntitle: 2024\nauthor: Jane Doe\nTags: [a, b]\n---\nThe Two Sessions opened in March.\n"
    parsed = parse_article(raw, "a.txt", rules)
    assert parsed.title == "2024"
    assert parsed.warnings == ["front matter keys ignored: author, tags"]


def test_no_front_matter_returns_the_text_untouched():
    text = "The Two Sessions opened in Beijing.\n---\nA rule line further down is not front matter.\n"
    assert split_front_matter(text) == ({}, text)


def test_a_line_of_five_dashes_is_not_a_fence():
    text = "-----\nThe Two Sessions opened in Beijing.\n"
    assert split_front_matter(text) == ({}, text)


def test_empty_front_matter_block_gives_no_metadata():
    meta, body = split_front_matter("---\n---\nBody text.\n")
    assert meta == {}
    assert body == "Body text.\n"


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: [unclosed\nmeeting: Third Plenum\n---\nBody.\n",  # YAML flow sequence never closed
        "---\ntitle: a: b: c\n---\nBody.\n",  # mapping values not allowed here
        "+++\ntitle = \n+++\nBody.\n",  # TOML value missing
        '+++\ntitle = "unterminated\n+++\nBody.\n',
    ],
)
def test_malformed_front_matter_raises_article_error(text):
    with pytest.raises(ArticleError, match=r"^malformed front matter: \S"):
        split_front_matter(text)


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Third Plenum\n\nThe body never closes the block.\n",
        "+++\ntitle = \"Third Plenum\"\n\nThe body never closes the block.\n",
    ],
)
def test_unclosed_fence_raises_article_error(text):
    with pytest.raises(ArticleError, match="opening fence without a closing one"):
        split_front_matter(text)


@pytest.mark.parametrize(
    "text",
    [
        "---\n- Third Plenum\n- Two Sessions\n---\nBody.\n",  # a list
        "---\njust a sentence, not a mapping\n---\nBody.\n",  # a scalar
    ],
)
def test_non_mapping_yaml_raises_article_error_with_clear_message(text):
    with pytest.raises(ArticleError) as info:
        split_front_matter(text)
    assert str(info.value) == "malformed front matter: expected key: value pairs"


def test_parse_article_reports_front_matter_errors(rules):
    with pytest.raises(ArticleError, match="malformed front matter"):
        parse_article(b"---\n- a\n- b\n---\nThe Two Sessions opened.\n", "bad.txt", rules)
