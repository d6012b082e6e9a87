"""Citable evidence: every evidence sentence carries its article's title, outlet, date and URL
where known, from front matter, HTML metadata (trafilatura) or the top of the text (an outlet
line, a byline or dateline date); shown in the site (with a "cite" button), `tracker diff`
(markdown, JSON, the compact table) and the downloads. All texts here are invented."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from test_site import copy_sample, make_settings, read
from tracker.articles import parse_article
from tracker.build import build
from tracker.config import Settings
from tracker.db import connect


@pytest.fixture(scope="module")
def rules() -> dict:
    return Settings(project_dir=ROOT).rules


def parsed(text: str, rules: dict, name: str = "a.txt"):
    return parse_article(text.encode("utf-8"), name, rules)


# ------------------------------------------------------------------------------------------
# Reading the outlet, the date and the URL


def test_a_known_outlet_line_at_the_top_is_the_source_not_text(rules):
    a = parsed(
        "South China Morning Post\n\nBeijing sets a growth goal for the year\n\nBy Li Wen | 5 March 2031\n\n"
        "China will cut excess steel capacity this year, the premier said.\n",
        rules,
    )
    assert a.citation.source == "South China Morning Post"
    assert a.citation.published == dt.date(2031, 3, 5)
    assert a.title == "Beijing sets a growth goal for the year"
    assert "Morning Post" not in a.text


def test_the_outlet_in_a_wire_dateline(rules):
    a = parsed("BEIJING, March 5 (Reuters) - China will aim for growth of around 6 percent this year.\n", rules)
    assert a.citation.source == "Reuters"
    assert a.citation.published is None  # a dateline without a year dates nothing


def test_a_dateline_with_its_year_dates_the_article(rules):
    a = parsed(
        "Plenum ends\n\nBEIJING, July 18, 2030 (Wire) - The plenum closed on Thursday with a pledge to "
        "deepen reform of state firms, officials said after the four-day meeting.\n",
        rules,
    )
    assert a.citation.published == dt.date(2030, 7, 18)


def test_the_general_rule_a_short_title_case_line_above_the_headline(rules):
    a = parsed("Policy Wire\n\nBeijing unveils steps to boost growth this year\n\nChina will do things.\n", rules)
    assert a.citation.source == "Policy Wire" and "short title-case line" in a.citation.how["source"]


def test_an_outlet_line_then_a_section_label_then_the_headline(rules):
    a = parsed("Policy Wire\nChina\n\nBeijing unveils steps to boost growth this year\n\nChina will act.\n", rules)
    assert a.citation.source == "Policy Wire" and a.title == "Beijing unveils steps to boost growth this year"


def test_the_outlet_after_the_headline_in_an_html_title(rules):
    page = (
        "<html><head><title>Beijing unveils steps to boost growth | Invented Review</title></head><body>"
        "<article><h1>Beijing unveils steps to boost growth</h1><p>China will act on demand this year.</p>"
        "</article></body></html>"
    )
    c = parsed(page, rules, "suffix.html").citation
    assert c.source == "Invented Review" and "title's suffix" in c.how["source"]
    # A title that only goes on with more words is no outlet.
    longer = page.replace(" | Invented Review", " - and what it means for the world economy this year")
    assert parsed(longer, rules, "longer.html").citation.source is None


def test_section_labels_and_headlines_are_not_outlets(rules):
    label = parsed("Politics\n\nBeijing unveils steps to boost growth this year\n\nChina will do things.\n", rules)
    assert label.citation.source is None
    headline = parsed("China Plans Big Reform\n\nBeijing unveils steps to boost growth\n\nChina will act.\n", rules)
    assert headline.citation.source is None and headline.title == "China Plans Big Reform"
    prose = parsed("China will cut steel capacity.\n\nIt will also do more.\n", rules)
    assert prose.citation.source is None


def test_a_date_in_the_article_body_is_not_its_date(rules):
    a = parsed(
        "Plenum ends\n\nThe leadership met on March 5, 2016 to set out the plan for the next five years "
        "and beyond, with many pledges on industry and on the environment.\n",
        rules,
    )
    assert a.citation.published is None


def test_front_matter_wins(rules):
    a = parsed(
        "---\ntitle: The plan\nsource: Invented Daily\ndate: 2024-07-19\nurl: https://example.org/plan\n---\n"
        "The Diplomat\n\nA headline of some length here\n\nBy Jo | March 5, 2016\n\nChina will act.\n",
        rules,
    )
    c = a.citation
    assert (c.source, c.published, c.url) == ("Invented Daily", dt.date(2024, 7, 19), "https://example.org/plan")
    assert c.how == {"source": "front matter", "date": "front matter", "url": "front matter"}


HTML_PAGE = """<!DOCTYPE html><html><head><title>Plenum plan | Invented Wire</title>
<meta property="og:site_name" content="Invented Wire">
<meta property="article:published_time" content="2024-07-19T08:00:00+00:00">
<link rel="canonical" href="https://news.example.org/2030/07/plenum-plan">
</head><body><article><h1>Plenum sets the course of reform</h1>
<p>The plenum on March 5, 2016 was recalled. China will deepen the reform of state-owned enterprises.</p>
</article></body></html>"""


def test_html_metadata_is_read_by_trafilatura(rules):
    # (htmldate refuses a date after today's: the page's date is a past one.)
    a = parsed(HTML_PAGE, rules, "plan.html")
    c = a.citation
    assert (c.source, c.published, c.url) == (
        "Invented Wire",
        dt.date(2024, 7, 19),
        "https://news.example.org/2030/07/plenum-plan",
    )
    assert set(c.how.values()) == {"HTML metadata"}


def test_html_without_metadata_guesses_no_date_from_its_text(rules):
    page = "<html><body><article><h1>A headline here</h1><p>The plenum on March 5, 2016 said China will act.</p>"
    c = parsed(page + "</article></body></html>", rules, "bare.html").citation
    assert c.published is None and c.url is None


# ------------------------------------------------------------------------------------------
# A built project: the CLI and the site cite the articles

CITED_ARTICLE = """---
title: Plenum pledges faster chip push
meeting: cpc-20-cc-3-plenum
date: 2024-07-19
source: Invented Wire
url: https://news.example.org/2024/07/chips
---
China will accelerate the development of semiconductor manufacturing and integrated circuits.

The plenum said Beijing will expand support for basic research in artificial intelligence.
"""

HOSTILE_URL_ARTICLE = """---
title: A page with a hostile link
meeting: cpc-20-cc-3-plenum
source: Evil <b>Wire</b>
url: "javascript:alert(1)"
---
China will build more charging stations for new energy vehicles in rural areas.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("citations")
    articles = copy_sample(tmp / "articles")
    (articles / "cited.md").write_text(CITED_ARTICLE, encoding="utf-8")
    (articles / "hostile_url.md").write_text(HOSTILE_URL_ARTICLE, encoding="utf-8")
    settings = Settings(
        project_dir=ROOT,
        articles_dir=articles,
        db_url=f"sqlite:///{tmp}/t.db",
        site_dir=tmp / "site",
        base_url="https://tracker.example.org/site",
    )
    build(connect(settings.db_url), settings)
    return settings


def cli(settings, *args: str) -> str:
    from tracker.cli import app

    runner = CliRunner(env={"COLUMNS": "250"})
    result = runner.invoke(app, [*args, "--db", settings.db_url, "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_evidence_json_carries_title_source_date_url(project):
    data = json.loads(cli(project, "commitments", "cpc-20-cc-3-plenum", "--format", "json"))
    evidence = [e for c in data for e in c["evidence"] if e["file"] == "cited.md"]
    assert evidence
    assert {(e["title"], e["source"], e["date"], e["url"]) for e in evidence} == {
        ("Plenum pledges faster chip push", "Invented Wire", "2024-07-19", "https://news.example.org/2024/07/chips")
    }
    diplomat = [e for c in data for e in c["evidence"] if e["file"].startswith("001_")]
    assert diplomat and {e["source"] for e in diplomat} == {"The Diplomat"}  # its top line, read as the outlet


def test_diff_cites_the_article_in_markdown_and_table(project):
    markdown = cli(project, "diff", "20th Party Congress", "Third Plenum", "--format", "markdown", "--limit", "0")
    assert re.search(
        r"\(“Plenum pledges faster chip push”, Invented Wire, 2024-07-19, https://news\.example\.org/2024/07/chips\)",
        markdown,
    )
    assert "(“Tech Policy in China’s Third Plenum”, The Diplomat, 001_bec66fbcd87b5ca6.txt:" in markdown
    table = cli(project, "diff", "20th Party Congress", "Third Plenum", "--limit", "0")
    assert "Invented Wire, 2024-07-19" in table and "The Diplomat" in table


def cite_buttons(page: str) -> list[str]:
    return [html.unescape(v) for v in re.findall(r'<button type="button" class="cite" data-cite="([^"]*)"', page)]


def test_the_site_shows_the_outlet_and_a_cite_button(project):
    page = read(project.site_dir, "meetings/cpc-20-cc-3-plenum.html")
    citations = cite_buttons(page)
    mine = [c for c in citations if "Invented Wire" in c]
    assert mine, citations[:3]
    assert all(
        c.startswith("“Plenum pledges faster chip push”. Invented Wire, 2024-07-19. https://news.example.org/2024/07/chips.\n“")
        for c in mine
    )
    assert any("China will accelerate the development of semiconductor manufacturing" in c for c in mine)
    assert '<span class="outlet">Invented Wire, 2024-07-19</span>' in page
    assert 'class="original" href="https://news.example.org/2024/07/chips"' in page
    # Without a URL of its own, the citation points at the article's page on the published site.
    plain = [c for c in citations if "The Diplomat" in c]
    assert plain and all("https://tracker.example.org/site/articles/001-bec66fbcd87b5ca6-txt.html#ev-" in c for c in plain)
    assert 'src="../assets/cite.js"' in page and (project.site_dir / "assets" / "cite.js").is_file()


def test_a_hostile_url_never_becomes_a_link(project):
    page = read(project.site_dir, "meetings/cpc-20-cc-3-plenum.html")
    assert "javascript:" not in page.split("<body", 1)[1].replace("data-cite", "")
    assert 'href="javascript' not in page
    assert "Evil &lt;b&gt;Wire&lt;/b&gt;" in page and "<b>Wire</b>" not in page


def test_the_article_page_gives_the_publication_date(project):
    page = read(project.site_dir, "articles/cited-md.html")
    assert "<dt>Published</dt><dd>2024-07-19</dd>" in page


# ------------------------------------------------------------------------------------------
# The cite button in a browser, from file://


def test_the_cite_button_copies_from_a_file_url(project):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.is_file():
        pytest.skip("no Chromium at /usr/bin/chromium")
    page_path = project.site_dir / "meetings" / "cpc-20-cc-3-plenum.html"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            # Record what reaches the clipboard by either route (the async API, or the
            # execCommand fallback's copy event), since a headless browser may refuse either.
            page.add_init_script(
                """window.__copied = [];
                document.addEventListener('copy', function (e) {
                  var a = document.activeElement; if (a && a.value) window.__copied.push(a.value); });
                if (navigator.clipboard) {
                  navigator.clipboard.writeText = function (t) { window.__copied.push(t); return Promise.resolve(); };
                }"""
            )
            page.goto(page_path.resolve().as_uri())
            button = page.locator("button.cite").filter(has=page.locator("xpath=self::*[contains(@data-cite, 'Invented Wire')]"))
            button.first.click()
            page.wait_for_function("window.__copied.length > 0 || document.querySelector('textarea.cite-text')")
            copied = page.evaluate(
                "window.__copied[0] || document.querySelector('textarea.cite-text').value"
            )
            assert copied.startswith("“Plenum pledges faster chip push”. Invented Wire, 2024-07-19.")
            assert "semiconductor" in copied or "artificial intelligence" in copied
            assert page.locator("#cite-status").text_content()
            assert errors == []
        finally:
            browser.close()
