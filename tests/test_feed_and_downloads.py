"""feed.xml is valid Atom whatever the articles hold (hostile markup, characters XML forbids),
with both sides of each change and absolute links when the site's base URL is known; the CSV
downloads are joined (changes.csv with both meetings, sentences and sources; articles.csv)
and no cell of any of them is a formula a spreadsheet would run. All texts here are invented."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from test_site import copy_sample, make_settings, read
from timeline.downloads import spreadsheet_safe, to_csv
from timeline.feed import xml_text
from tracker.csv_cells import spreadsheet_cell
from tracker.build import build
from tracker.config import Settings
from tracker.db import connect

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://tracker.example.org/policy/"
PAYLOAD = "<img src=x onerror=alert(1)>"
# ESC, U+0001 and U+FFFF: text XML 1.0 may not hold, each enough to make a feed unreadable.
FORBIDDEN = "\x1b\x01\uffff"

HOSTILE = f"""---
title: =HYPERLINK("https://evil.example/","open") {PAYLOAD}
meeting: two-sessions-2024
source: "@SUM(1+1) Wire"
date: 2024-03-06
url: https://news.example.org/hostile
---
China will expand rural broadband {PAYLOAD} to every village{FORBIDDEN[0]} this year.

China will build{FORBIDDEN[1]} new charging stations{FORBIDDEN[2]} for electric vehicles in rural areas.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("feed")
    articles = copy_sample(tmp / "articles")
    (articles / "zz_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(
        project_dir=ROOT, articles_dir=articles, db_url=f"sqlite:///{tmp}/t.db", site_dir=tmp / "site", base_url=BASE
    )
    build(connect(settings.db_url), settings)
    return settings.site_dir


@pytest.fixture(scope="module")
def feed(site) -> ET.Element:
    raw = (site / "feed.xml").read_bytes()
    return ET.fromstring(raw)  # raises on anything not well-formed


class Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.hrefs += [v or "" for k, v in attrs if k == "href"]


def parse_html(text: str) -> Hrefs:
    parser = Hrefs()
    parser.feed(text)
    return parser


# ------------------------------------------------------------------------------------------
# The Atom feed


def test_the_feed_has_the_atom_structure(feed):
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{required}") or "").strip(), required
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+00:00|Z)", entry.findtext(f"{ATOM}updated"))
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)


def test_links_are_absolute_with_a_base_url(feed):
    links = feed.findall(f".//{ATOM}link")
    assert {link.get("rel") for link in links} >= {"self", "alternate"}
    assert all(link.get("href", "").startswith(BASE) for link in links)
    assert next(link for link in links if link.get("rel") == "self").get("href") == BASE + "feed.xml"
    # The ids are the site's own URLs, so two sites' feeds never share one.
    assert feed.findtext(f"{ATOM}id") == BASE + "feed.xml"
    assert all(e.findtext(f"{ATOM}id").startswith(BASE + "recent.html#run-") for e in feed.findall(f"{ATOM}entry"))
    for entry in feed.findall(f"{ATOM}entry"):
        hrefs = parse_html(entry.findtext(f"{ATOM}content")).hrefs
        assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs), hrefs[:5]
        assert any(h.startswith(BASE + "articles/") for h in hrefs)


def test_hostile_text_is_escaped_once_and_forbidden_characters_are_gone(site, feed):
    raw = read(site, "feed.xml")
    assert not any(ch in raw for ch in FORBIDDEN)
    contents = [e.findtext(f"{ATOM}content") for e in feed.findall(f"{ATOM}entry")]
    mine = [c for c in contents if "rural broadband" in c]
    assert mine
    for content in mine:
        # The XML parser gives back the entry's HTML; the article's markup is text in it.
        assert "&lt;img src=x onerror=alert(1)&gt;" in content
        tags = parse_html(content).tags
        assert all("onerror" not in attrs for _tag, attrs in tags)
        assert "img" not in {tag for tag, _attrs in tags}
        assert "every village this year" in content and "build new charging stations" in content


def test_both_sides_of_a_change_are_in_the_entry(feed):
    content = feed.find(f"{ATOM}entry/{ATOM}content").text
    # A strengthened change: the sentence before and after, each with where it is stated.
    block = re.search(r"<h3>Strengthened \(\d+\)</h3>(.*?)</ul>", content, re.S)
    assert block, content[:500]
    assert "<b>Before</b> (cpc-20-congress)" in block.group(1) and "<b>After</b> (two-sessions-2024)" in block.group(1)
    assert "Key tech policies from China’s 20th Communist Party Congress" in block.group(1)
    # A new commitment has only its later side, with its outlet and date.
    assert "@SUM(1+1) Wire, 2024-03-06" in content


def test_xml_text_keeps_what_xml_allows():
    assert xml_text("a\tb\nc\rd é 中 😀") == "a\tb\nc\rd é 中 😀"
    assert xml_text("a\x1bb\x01c\ufffed\uffffe\x00f\ud800") == "abcdef"


def test_a_feed_without_a_base_url_is_valid_with_relative_links(tmp_path):
    settings = make_settings(tmp_path, copy_sample(tmp_path / "articles"))
    build(connect(settings.db_url), settings)
    feed = ET.fromstring((settings.site_dir / "feed.xml").read_bytes())
    assert feed.findtext(f"{ATOM}id") == "urn:policy-tracker:runs"
    assert {link.get("href") for link in feed.findall(f"{ATOM}link")} == {"recent.html", "feed.xml"}


def test_build_refuses_a_base_url_that_is_not_one(tmp_path):
    from tracker.cli import app

    runner = CliRunner()
    result = runner.invoke(
        app, ["build", "--project", str(ROOT), "--db", f"sqlite:///{tmp_path}/t.db", "--base-url", "javascript:x"]
    )
    assert result.exit_code == 1
    assert "base URL 'javascript:x': expected an absolute http:// or https:// URL" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "t.db").exists()


# ------------------------------------------------------------------------------------------
# The CSV downloads


def rows(site, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(read(site, f"data/{name}"))))


def test_changes_csv_carries_meetings_sentences_and_sources(site):
    changes = rows(site, "changes.csv")
    linked = [r for r in changes if r["status"] == "strengthened"]
    assert linked
    r = linked[0]
    assert r["from_meeting_name"] == "20th National Congress of the Communist Party of China"
    assert r["from_meeting_start"] == "2022-10-16" and r["to_meeting_start"] == "2024-03-04"
    assert r["from_text"] and r["to_text"] and r["from_sentence"] and r["to_sentence"]
    assert r["from_source"].startswith("Key tech policies from China’s 20th Communist Party Congress, ")
    new = [r for r in changes if r["status"] == "new" and "rural broadband" in r["to_text"]]
    assert new and new[0]["from_commitment"] == "" and new[0]["from_sentence"] == ""
    assert new[0]["to_source"].startswith("'=HYPERLINK(")
    assert new[0]["to_source"].endswith(", @SUM(1+1) Wire, 2024-03-06, https://news.example.org/hostile")


def test_articles_csv(site):
    articles = {r["file"]: r for r in rows(site, "articles.csv")}
    assert list(rows(site, "articles.csv")[0]) == ["file", "title", "source", "date", "url", "kind", "language", "meeting"]
    diplomat = articles["001_bec66fbcd87b5ca6.txt"]
    assert (diplomat["source"], diplomat["meeting"], diplomat["language"]) == ("The Diplomat", "cpc-20-cc-3-plenum", "en")
    hostile = articles["zz_hostile.txt"]
    assert hostile["title"].startswith("'=HYPERLINK(")
    assert (hostile["source"], hostile["date"]) == ("'@SUM(1+1) Wire", "2024-03-06")
    assert 'href="data/articles.csv"' in read(site, "index.html")


def test_no_cell_of_any_csv_starts_a_formula(site):
    names = sorted(p.name for p in (site / "data").glob("*.csv"))
    assert {"articles.csv", "changes.csv", "evidence.csv", "targets.csv"} <= set(names)
    hostile_cells = 0
    for name in names:
        for row in csv.reader(io.StringIO(read(site, f"data/{name}"))):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert re.fullmatch(r"[+-]?\d+(\.\d*)?", cell), (name, cell)
                hostile_cells += cell.startswith(("'=", "'@"))
    assert hostile_cells >= 3  # the title and source, in articles.csv, evidence.csv and changes.csv


def test_spreadsheet_cells():
    assert [spreadsheet_cell(v) for v in ["=1+1", "+A1", "-A1", "@x", "\tx", "\rx", "-", "a=b"]] == [
        "'=1+1", "'+A1", "'-A1", "'@x", "'\tx", "'\rx", "'-", "a=b",
    ]  # fmt: skip
    assert [spreadsheet_cell(v) for v in [-0.5, "-0.5", "+3", "1e5", None, 7]] == ["-0.5", "-0.5", "+3", "1e5", "", "7"]
    # A formula after spaces is one too; control characters a terminal would act on are removed.
    assert spreadsheet_cell("  =1+1") == "'  =1+1"
    assert spreadsheet_cell("e_\x1b]0;pwned\x07.txt \x9b2J") == "e_]0;pwned.txt 2J"
    assert spreadsheet_cell("line one\nline\ttwo") == "line one\nline\ttwo"
    text = to_csv(["a", "b"], [["=cmd|' /C calc'!A0", 1]])
    assert text == "a,b\n'=cmd|' /C calc'!A0,1\n"
    assert spreadsheet_safe('metric,value\n"=2+3",-1.5\n') == "metric,value\n'=2+3,-1.5\n"
