"""The static site (timeline/) at the HTML level: every page kind, relative links that
resolve, plotly.js served once from the site's assets, data downloads, atomic and deterministic
builds, and escaping of hostile article text."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sqlalchemy import select

from conftest import ROOT, SAMPLE_DIR
from tracker.config import Settings
from tracker.db import Article, Change, Commitment, connect, meetings_with_articles, transaction, ThreadMember
from tracker.build import build

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_QUOTES = "\"'><img src=x onerror=alert(1)>"
XSS_ARTICLE = f"""---
title: Hostile {XSS_SCRIPT} title {XSS_QUOTES}
meeting: 2024 Two Sessions
date: 2024-03-05
source: Test {XSS_QUOTES}
---
The 2024 Two Sessions opened in Beijing on March 5, 2024 with the government work report.

The government will vigorously develop artificial intelligence {XSS_SCRIPT} and accelerate breakthroughs in semiconductors {XSS_QUOTES} across the country.

China will strengthen support for new energy vehicles and build a nationwide charging network {XSS_SCRIPT}.
"""


def make_settings(tmp: Path, articles: Path) -> Settings:
    return Settings(project_dir=ROOT, articles_dir=articles, db_url=f"sqlite:///{tmp}/t.db", site_dir=tmp / "site")


def copy_sample(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in SAMPLE_DIR.iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
    return target


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    settings = make_settings(tmp, copy_sample(tmp / "articles"))
    engine = connect(settings.db_url)
    report = build(engine, settings)
    return settings, engine, report


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built[0].site_dir


@pytest.fixture(scope="module")
def db(built):
    settings, engine, _report = built
    with transaction(engine) as session:
        meetings = meetings_with_articles(session)
        data = {
            "meetings": [(m.id, m.name, m.start.isoformat()) for m in meetings],
            "commitments": [(c.id, c.meeting_id, c.text, c.thread_id, c.thread_status, [e.sentence for e in c.evidence])
                            for c in session.scalars(select(Commitment).order_by(Commitment.meeting_id, Commitment.position))],
            # Changes between consecutive meetings (the change pages); others serve the compare page.
            "changes": [(ch.from_meeting_id, ch.to_meeting_id, ch.status) for ch in session.scalars(select(Change).where(Change.adjacent))],
            "all_changes": [(ch.from_meeting_id, ch.to_meeting_id, ch.adjacent) for ch in session.scalars(select(Change))],
            "articles": [(a.file, a.title, a.meeting_id, len(a.evidence)) for a in session.scalars(select(Article))],
            "members": [(m.thread_id, m.commitment_id, m.status) for m in session.scalars(select(ThreadMember))],
        }
    return data


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def esc(text: str) -> str:
    """How Jinja2's autoescape writes text."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append((tag, name, attrs[name]))
        if tag == "script":
            self.scripts.append(attrs)


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def embedded_json(html: str, element_id: str):
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert match, f"no embedded JSON #{element_id}"
    return json.loads(match.group(1))


# ------------------------------------------------------------------------------------------


def test_build_returns_the_number_of_files_written(built, site):
    _settings, _engine, report = built
    files = [p for p in site.rglob("*") if p.is_file()]
    assert report.site_files == len(files) > 0
    assert not [p for p in site.parent.iterdir() if p.name.startswith(f".{site.name}.")], "temporary folders left behind"


def test_every_page_kind_exists(site, db):
    for meeting_id, _name, _start in db["meetings"]:
        assert (site / "meetings" / f"{meeting_id}.html").is_file()
    pairs = sorted({(a, b) for a, b, _s in db["changes"]})
    assert len(pairs) == len(db["meetings"]) - 1
    for a, b in pairs:
        assert (site / "changes" / f"{a}--{b}.html").is_file()
    for thread in {m[0] for m in db["members"]}:
        assert (site / "threads" / f"{thread}.html").is_file()
    for file, *_rest in db["articles"]:
        slug = re.sub(r"[^a-z0-9]+", "-", file.lower()).strip("-")
        assert (site / "articles" / f"{slug}.html").is_file()
    for rel in ("index.html", "compare.html", "search.html", "assets/site.css", "assets/plotly.min.js",
                "data/dataset.json", "data/meetings.csv", "data/commitments.csv", "data/evidence.csv",
                "data/changes.csv", "data/threads.csv"):
        assert (site / rel).is_file(), rel


def topic_script(site: Path, rel: str) -> tuple[str, dict]:
    """The key and data a topics/<key>.js script assigns (it must do nothing else)."""
    text = read(site, rel)
    match = re.fullmatch(r"/\*[^*]*\*/\n\(window\.PolicyTrackerTopics = window\.PolicyTrackerTopics \|\| \{\}\)"
                         r"\[(\"[^\"]+\")\] = (\{.*\});\n", text, re.S)
    assert match, f"{rel} is not a plain data assignment"
    return json.loads(match.group(1)), json.loads(match.group(2))


def test_index_has_the_topic_overview_heatmap_tables_and_meetings(site, db):
    html = read(site, "index.html")
    assert len(db["meetings"]) == 3
    for meeting_id, name, start in db["meetings"]:
        assert f'href="meetings/{meeting_id}.html"' in html
        assert start in html
    overview = embedded_json(html, "timeline-data")
    statuses = ["first seen", "new", "persisted", "strengthened", "weakened", "disappeared"]
    assert overview["statuses"] == statuses
    assert [m["id"] for m in overview["meetings"]] == [m[0] for m in db["meetings"]]
    topics = overview["topics"]
    assert topics and len({t["key"] for t in topics}) == len(topics)
    # Each commitment counts once, under its thread's main topic, with its status against the
    # meeting before (the stored changes): a meeting's column adds up to its commitments; its
    # new ones are the pair's "new" changes; the dark bars are the pair's "disappeared" ones.
    for i, (meeting_id, _name, _start) in enumerate(db["meetings"]):
        mine = [c for c in db["commitments"] if c[1] == meeting_id]
        stated = [sum(t["counts"][i][s] for t in topics if t["counts"][i]) for s in range(len(statuses) - 1)]
        assert sum(stated) == len(mine)
        if i == 0:
            assert stated[0] == len(mine), "the first meeting's commitments are all first seen"
        else:
            assert stated[0] == 0
            assert stated[1] == sum(1 for a, b, st in db["changes"] if b == meeting_id and st == "new")
        dropped = sum(t["counts"][i][-1] for t in topics if t["counts"][i])
        assert dropped == sum(1 for a, b, st in db["changes"] if b == meeting_id and st == "disappeared")
        assert all(len(t["emphasis"]) == len(t["strongest"]) == len(t["counts"]) == 3 for t in topics)
    assert sum(t["threads"] for t in topics) == len({m[0] for m in db["members"]})
    assert sum(t["commitments"] for t in topics) == len(db["commitments"])
    assert [m["label"] for m in overview["meetings"]] == ["20th Party Congress 2022", "2024 NPC", "Third Plenum 2024"]
    # The home page carries no thread-level data: that is in topics/<key>.js, loaded on demand.
    assert "threads/" not in json.dumps(overview) and "Evidence:" not in html
    heat = embedded_json(html, "heatmap-figure")
    assert heat["data"][0]["type"] == "heatmap" and len(heat["data"][0]["x"]) == 3
    # Filters, data tables, downloads, search box.
    assert '<select id="f-topic"' in html and html.count('name="status"') == 6
    assert html.count("<option value=") == len(topics) + 1 + 3  # topics, "all", three bar scales
    assert html.count('type="date"') == 2 and '<select id="f-scale"' in html
    assert html.count("<caption") >= 3 and 'scope="row"' in html and 'scope="col"' in html
    assert html.count('scope="rowgroup"') == len(topics)  # the overview's table, one group per topic
    assert 'id="timeline" class="chart" role="img" aria-label=' in html
    assert 'id="threads" class="chart" role="img" aria-label=' in html
    # The thread timeline's table alternative is its own page, linked from the chart.
    assert 'href="timeline-table.html"' in html
    # It lists the topics; each topic's threads are a table of their own, every thread in one.
    index = read(site, "timeline-table.html")
    assert "<caption>" in index
    rows = 0
    for t in topics:
        assert f'<tr id="topic-{t["key"]}"><th scope="row"><a href="{t["table"]}">' in index
        table = read(site, t["table"])
        assert "<caption>" in table and 'scope="col"' in table and '../timeline-table.html' in table
        rows += table.count('<tr><th scope="row">')
    assert rows == len({m[0] for m in db["members"]})
    for name in ("dataset.json", "meetings.csv", "commitments.csv", "evidence.csv", "changes.csv", "threads.csv"):
        assert f'href="data/{name}"' in html
    assert 'action="search.html"' in html


def test_topic_scripts_hold_the_thread_timelines(site, db):
    """topics/<key>.js: one per topic of the home page, each the thread timeline of the threads
    whose main topic it is."""
    overview = embedded_json(read(site, "index.html"), "timeline-data")
    files = sorted(p.relative_to(site).as_posix() for p in (site / "topics").glob("*.js")) if (site / "topics").is_dir() else []
    assert files == sorted(t["file"] for t in overview["topics"])
    rows = 0
    points = 0
    for t in overview["topics"]:
        key, data = topic_script(site, t["file"])
        assert key == t["key"] and data["key"] == t["key"] and data["threads"] == t["threads"]
        fig = data["figure"]
        traces = {tr["meta"]: tr for tr in fig["data"]}
        assert set(traces) == {"lines", "first seen", "new", "persisted", "strengthened", "weakened", "reappeared", "disappeared"}
        assert fig["layout"]["xaxis"]["tickvals"] == [0, 1, 2]
        for trace in fig["data"]:
            if trace["meta"] == "lines":
                continue
            assert len(trace["x"]) == len(trace["y"]) == len(trace["text"]) == len(trace["customdata"])
            assert all(0 <= x < 3 for x in trace["x"]) and all(0 <= y < data["threads"] for y in trace["y"])
            for url in trace["customdata"]:
                assert url.startswith("threads/") and (site / url).is_file()
            if trace["meta"] != "disappeared":
                points += len(trace["x"])
        rows += data["threads"]
    # One point per commitment in each thread it belongs to (merged commitments carry on several).
    assert points == len(db["members"])
    assert rows == len({m[0] for m in db["members"]})


def test_home_page_context_is_cheap_to_build(built):
    """The home page is rendered on every build: its context must not grow with the threads'
    points (no figure per thread, no go.Figure validation of thousands of points)."""
    from timeline import figures
    from timeline.model import load_model

    settings, engine, _report = built
    with transaction(engine) as session:
        model = load_model(session, settings)
    context = figures.home_context(model)
    assert set(context) >= {"overview", "heatmap_fig", "heat_table", "status_counts", "overview_rows"}
    assert "timeline_fig" not in context


def test_pages_are_semantic_and_accessible(site):
    for rel in ("index.html", "compare.html", "search.html", *(p.relative_to(site).as_posix() for p in (site / "meetings").glob("*.html"))):
        html = read(site, rel)
        assert '<html lang="en">' in html and '<meta name="viewport"' in html
        assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
        for tag in ("<header", "<nav", "<main", "<footer"):
            assert tag in html, (rel, tag)
        levels = [int(h) for h in re.findall(r"<h([1-6])[\s>]", html)]
        assert levels and levels[0] == 1 and levels.count(1) == 1, rel
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (rel, levels)
    css = read(site, "assets/site.css")
    assert "@media print" in css and "@media (max-width" in css and ":focus-visible" in css


def test_meeting_page_lists_commitments_with_evidence_and_changes(site, db):
    meeting_id = db["meetings"][1][0]
    html = read(site, f"meetings/{meeting_id}.html")
    mine = [c for c in db["commitments"] if c[1] == meeting_id]
    assert mine
    for _id, _m, text, thread, _status, sentences in mine:
        assert esc(text) in html
        assert f'href="../threads/{thread}.html"' in html
        for sentence in sentences:
            assert esc(sentence) in html
    assert html.count("<blockquote>") >= len(mine)
    assert re.search(r'href="\.\./articles/[a-z0-9-]+\.html#ev-\d+"', html)
    assert "What changed since the previous meeting" in html
    previous = db["meetings"][0][0]
    assert f'href="../changes/{previous}--{meeting_id}.html"' in html


def test_changes_page_groups_by_status(site, db):
    a, b = db["meetings"][0][0], db["meetings"][1][0]
    html = read(site, f"changes/{a}--{b}.html")
    statuses = {s for x, y, s in db["changes"] if (x, y) == (a, b)}
    assert statuses
    for status in statuses:
        assert f'<section id="status-{status.replace(" ", "-")}"' in html
        count = sum(1 for x, y, s in db["changes"] if (x, y, s) == (a, b, status))
        assert f'<span class="count">({count})</span>' in html
    assert "score " in html and "<blockquote>" in html


def test_thread_page_follows_the_commitment(site, db):
    by_thread: dict[str, list] = {}
    for c in db["commitments"]:
        by_thread.setdefault(c[3], []).append(c)
    thread, items = max(by_thread.items(), key=lambda kv: (len({c[1] for c in kv[1]}), kv[0]))
    assert len({c[1] for c in items}) >= 2, "the sample should have a thread across meetings"
    html = read(site, f"threads/{thread}.html")
    for _id, meeting, text, _t, status, _ev in items:
        assert esc(text) in html and f'href="../meetings/{meeting}.html"' in html
        assert f"status-{status.replace(' ', '-')}" in html
    # Meetings in date order.
    order = [html.index(f'href="../meetings/{m}.html"') for m, *_ in db["meetings"] if f'href="../meetings/{m}.html"' in html.split("<main", 1)[1]]
    assert order == sorted(order)


def test_article_page_highlights_the_evidence(site, db):
    file, _title, _meeting, n_evidence = max(db["articles"], key=lambda a: a[3])
    slug = re.sub(r"[^a-z0-9]+", "-", file.lower()).strip("-")
    html = read(site, f"articles/{slug}.html")
    marks = re.findall(r'<mark id="(ev-\d+)">(.*?)</mark>', html, re.S)
    assert 0 < len(marks) <= n_evidence
    assert [m[0] for m in marks] == [f"ev-{i}" for i in range(1, len(marks) + 1)]
    sentences = {esc(s) for c in db["commitments"] for s in c[5]}
    assert any(text in sentences for _id, text in marks)
    assert 'class="evlink" href="../threads/' in html


def test_compare_and_search_pages_carry_their_data(site, db):
    compare = embedded_json(read(site, "compare.html"), "compare-data")
    assert [m["id"] for m in compare["meetings"]] == [m[0] for m in db["meetings"]]
    assert len(compare["commitments"]) == len(db["commitments"])
    assert all({"emphasis", "meeting", "url"} <= set(c) for c in compare["commitments"])
    assert len(compare["pairs"]) == len(db["meetings"]) * (len(db["meetings"]) - 1) // 2
    for pair in compare["pairs"]:
        assert (site / pair["file"]).is_file()
    html = read(site, "compare.html")
    assert '<select id="cmp-a"' in html and '<select id="cmp-b"' in html and "assets/compare.js" in html
    index = embedded_json(read(site, "search.html"), "search-index")
    assert len(index) == len(db["commitments"])
    assert {"text", "topics", "meeting", "url"} <= set(index[0])


def test_data_downloads_parse(site, db):
    data = json.loads(read(site, "data/dataset.json"))
    assert set(data) >= {"meetings", "articles", "commitments", "changes", "threads"}
    assert [m["id"] for m in data["meetings"]] == [m[0] for m in db["meetings"]]
    assert len(data["commitments"]) == len(db["commitments"])
    assert all(c["evidence"] for c in data["commitments"])
    assert len(data["changes"]) == len(db["changes"])
    assert sorted(t["id"] for t in data["threads"]) == sorted({m[0] for m in db["members"]})
    assert {a["file"] for a in data["articles"]} == {a[0] for a in db["articles"]}
    expected = {"meetings.csv": len(db["meetings"]), "commitments.csv": len(db["commitments"]),
                "evidence.csv": sum(len(c[5]) for c in db["commitments"]), "changes.csv": len(db["all_changes"]),
                "threads.csv": len({m[0] for m in db["members"]})}
    for name, rows in expected.items():
        parsed = list(csv.DictReader(io.StringIO(read(site, f"data/{name}"))))
        assert len(parsed) == rows, name
    # changes.csv: every stored pair (the 20th Congress to the Third Plenum too), consecutive marked.
    changes = list(csv.DictReader(io.StringIO(read(site, "data/changes.csv"))))
    assert sorted((r["from_meeting"], r["to_meeting"], r["consecutive"] == "yes") for r in changes) == sorted(
        db["all_changes"])


def test_plotly_is_served_once_from_the_assets(site):
    copies = [p for p in site.rglob("*") if p.is_file() and "plotly" in p.name]
    assert [p.relative_to(site).as_posix() for p in copies] == ["assets/plotly.min.js"]
    import plotly

    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert (site / "assets/plotly.min.js").read_bytes() == bundled.read_bytes()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "cdn.plot.ly" not in html and "cdn.jsdelivr" not in html, page
        assert len(html) < 1_000_000, f"{page} looks like it inlines plotly.js"
        for attrs in parse(html).scripts:
            src = attrs.get("src")
            if src:
                assert not re.match(r"^[a-z]+:|^//", src), (page, src)
    # The home page draws its first screen without plotly.js and loads it with a topic's threads.
    index = read(site, "index.html")
    assert not [a for a in parse(index).scripts if a.get("src", "").endswith("plotly.min.js")]
    assert 'data-plotly="assets/plotly.min.js"' in index


def test_relative_links_resolve(site):
    checked = 0
    ids_cache: dict[Path, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        for tag, attr, value in parse(page.read_text(encoding="utf-8")).links:
            parts = urlsplit(value)
            assert not parts.scheme and not parts.netloc, f"{page}: absolute link {value}"
            assert not parts.path.startswith("/"), f"{page}: root-relative link {value}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
            assert target.is_file(), f"{page.relative_to(site)}: {tag} {attr}={value} does not exist"
            assert site.resolve() in target.parents, f"{page}: {value} leaves the site"
            if parts.fragment and target.suffix == ".html":
                if target not in ids_cache:
                    ids_cache[target] = parse(target.read_text(encoding="utf-8")).ids
                assert parts.fragment in ids_cache[target], f"{page.relative_to(site)}: no #{parts.fragment} in {target.name}"
            checked += 1
    assert checked > 100


def test_rebuilds_are_byte_identical_and_drop_stale_files(built, tmp_path):
    from timeline.writer import render_site

    settings, engine, _report = built
    site = settings.site_dir
    before = tree(site)
    (site / "stale.html").write_text("old page")
    (site / "meetings" / "gone.html").write_text("old page")
    with transaction(engine) as session:
        count, written = render_site(session, settings)
    after = tree(site)
    assert "stale.html" not in after and "meetings/gone.html" not in after
    assert count == len(after)
    assert written == 0  # nothing changed: every file is a hard link of the previous one
    assert after == before
    # A database built again from scratch gives the same site too, apart from the run
    # history (recent.html, feed.xml), which records when each database's runs happened.
    fresh = make_settings(tmp_path, copy_sample(tmp_path / "articles"))
    build(connect(fresh.db_url), fresh)
    history = ("recent.html", "feed.xml")
    assert {k: v for k, v in tree(fresh.site_dir).items() if k not in history} == {k: v for k, v in before.items() if k not in history}


def test_empty_database_renders_a_site(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    settings = make_settings(tmp_path, articles)
    report = build(connect(settings.db_url), settings)
    html = read(settings.site_dir, "index.html")
    assert "No meetings" in html and report.site_files == len(tree(settings.site_dir))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("xss")
    articles = copy_sample(tmp / "articles")
    (articles / "zz_hostile.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    settings = make_settings(tmp, articles)
    build(connect(settings.db_url), settings)
    return settings.site_dir


def test_hostile_article_text_is_escaped(hostile_site):
    site = hostile_site
    data = json.loads(read(site, "data/dataset.json"))
    hostile = [c for c in data["commitments"] if "alert(1)" in c["text"]]
    assert hostile, "the hostile article should give commitments carrying the payload"
    assert any("<img src=x" in c["text"] for c in hostile) and any("<script>" in c["text"] for c in hostile)
    article = read(site, "articles/zz-hostile-txt.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article and "<mark id=" in article
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        lowered = html.lower()
        assert "<script>alert" not in lowered, page
        assert "<img src=x" not in lowered, page
        # The only <script> elements are ours.
        for attrs in parse(html).scripts:
            assert attrs.get("src", "").startswith(("assets/", "../assets/")) or attrs.get("type") == "application/json", (page, attrs)
    meeting = read(site, "meetings/two-sessions-2024.html")
    assert "&lt;img src=x onerror=alert(1)&gt;" in meeting
    # The data the home page loads: the overview keeps the text as text (the page escapes it),
    # topic scripts carry hover labels already escaped, and no raw `<` at all.
    overview = embedded_json(read(site, "index.html"), "timeline-data")
    assert any("alert(1)" in best[0] for t in overview["topics"] for best in t["strongest"] if best)
    hostile_hovers = []
    for path in sorted((site / "topics").glob("*.js")):
        body = path.read_text(encoding="utf-8").split("*/", 1)[1]
        assert "<" not in body and ">" not in body, path
        _key, data = topic_script(site, path.relative_to(site).as_posix())
        hostile_hovers += [h for tr in data["figure"]["data"] for h in tr.get("text", []) if "alert(1)" in h]
    assert hostile_hovers
    for hover in hostile_hovers:
        assert "<script" not in hover and "<img" not in hover
        assert "&lt;script&gt;" in hover or "&lt;img" in hover


# ------------------------------------------------------------------------------------------
# Long official reports: meeting pages grouped by the report's sections, long lists collapsed


def write_reports(articles: Path) -> Path:
    """Two work-report-like articles (2019, 2020: over 60 commitments each, in sections) and a
    news article of 2019 (commitments without a section)."""
    from report_corpus import news, official_report

    articles.mkdir(parents=True, exist_ok=True)
    (articles / "gwr_2019.txt").write_text(official_report(2019), encoding="utf-8")
    (articles / "gwr_2020.txt").write_text(official_report(2020, shift=40), encoding="utf-8")
    (articles / "news_2019.txt").write_text(news(2019), encoding="utf-8")
    return articles


@pytest.fixture(scope="module")
def report_built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reports")
    settings = make_settings(tmp, write_reports(tmp / "articles"))
    engine = connect(settings.db_url)
    build(engine, settings)
    return settings, engine


@pytest.fixture(scope="module")
def report_site(report_built) -> Path:
    return report_built[0].site_dir


def sections_of(engine, meeting_id: str) -> list[tuple[str, str, str]]:
    """(text, top-level section, numbered part) of a meeting's commitments, in text order."""
    with transaction(engine) as session:
        rows = session.scalars(select(Commitment).where(Commitment.meeting_id == meeting_id).order_by(Commitment.position)).all()
        out = []
        for c in rows:
            top, _sep, part = ((c.signals or {}).get("section") or "").partition(" › ")
            out.append((c.text, top, part))
    return out


GROUP = re.compile(r'<details class="group( part)?"( open)?>\s*<summary><h([34])>(.*?) <span class="count">\((\d+)\)</span></h\3></summary>')


def test_meeting_page_of_a_long_report_groups_by_section_with_counts_and_collapses(report_built):
    from timeline.groups import LONG_LIST, NO_SECTION_LABEL, SHOWN_OF_LONG

    settings, engine = report_built
    rows = sections_of(engine, "two-sessions-2019")
    assert len(rows) > 60, "the generated report should give well over 60 commitments"
    html = read(settings.site_dir, "meetings/two-sessions-2019.html")
    assert "Commitments by report section" in html and "Commitments by topic" not in html
    # Expected groups, from the stored sections: top-level ones in text order, the news last.
    tops = list(dict.fromkeys(top for _t, top, _p in rows if top))
    assert tops == ["II. Tasks for 2019"], tops  # the review section states no commitment
    parts = list(dict.fromkeys(part for _t, top, part in rows if part))
    assert len(parts) == 3 and parts[0].startswith("1. Expanding domestic demand")
    found = GROUP.findall(html)
    top_groups = [(label, int(n), bool(is_open)) for is_part, is_open, _h, label, n in found if not is_part]
    part_groups = [(label, int(n), bool(is_open)) for is_part, is_open, _h, label, n in found if is_part]
    untopped = sum(1 for _t, top, _p in rows if not top)
    assert untopped >= 1, "the news article should give commitments without a section"
    assert top_groups == [("II. Tasks for 2019", len(rows) - untopped, True), (NO_SECTION_LABEL, untopped, True)]
    # Numbered parts: in text order, counted, escaped, and closed (the page is long: an outline).
    assert part_groups == [(esc(p), sum(1 for _t, _top, q in rows if q == p), False) for p in parts]
    assert "3. Expanding R&amp;D spending &lt;b&gt;across regions&lt;/b&gt;" in html and "<b>across" not in html
    # A part longer than LONG_LIST shows its first SHOWN_OF_LONG, the rest behind "show N more".
    long_parts = [p for p in parts if sum(1 for _t, _top, q in rows if q == p) > LONG_LIST]
    assert long_parts, "the first part should be long"
    for p in parts:
        n = sum(1 for _t, _top, q in rows if q == p)
        start = html.index(f"<h4>{esc(p)} ")
        body = html[start:html.index('<details class="group', start)] if p != parts[-1] else html[start:]
        if n > LONG_LIST:
            assert f'<details class="more">\n  <summary>Show {n - SHOWN_OF_LONG} more commitments</summary>' in body
            assert body.index("<details class=\"more\">") > [m.start() for m in re.finditer('<article class="commitment">', body)][SHOWN_OF_LONG - 1]
        else:
            assert '<details class="more">' not in body
    # Every commitment is shown once, in text order within the report's sections.
    positions = []
    for text, top, _part in rows:
        card = f'<p class="ctext">{esc(text)}</p>'
        assert html.count(card) == 1, text
        if top:
            positions.append(html.index(card))
    assert positions == sorted(positions)
    # What changed since the previous meeting: a count per status, each a link to that status on
    # the change page; what disappeared (stated only at the previous meeting) is listed, grouped;
    # nothing is printed twice.
    later = read(settings.site_dir, "meetings/two-sessions-2020.html")
    assert 'href="../changes/two-sessions-2019--two-sessions-2020.html#status-disappeared"' in later
    assert re.search(r'<details class="group status-group"( open)?>\s*<summary><h3 class="status-heading">'
                     r'<span class="status status-disappeared"', later)
    texts = re.findall(r'<p class="ctext"[^>]*>(.*?)</p>', later) + [
        link for ul in re.findall(r'<ul class="changes-brief">(.*?)</ul>', later, re.S)
        for link in re.findall(r'<a [^>]*>(.*?)</a>', ul)]
    assert texts and len(texts) == len(set(texts))


def test_change_page_of_two_long_reports_groups_statuses_and_collapses_long_ones(report_built):
    from timeline.groups import LONG_LIST, SHOWN_OF_LONG

    settings, engine = report_built
    with transaction(engine) as session:
        statuses = [ch.status for ch in session.scalars(select(Change).where(
            Change.from_meeting_id == "two-sessions-2019", Change.to_meeting_id == "two-sessions-2020"))]
    counts = {s: statuses.count(s) for s in set(statuses)}
    assert max(counts.values()) > LONG_LIST, counts
    html = read(settings.site_dir, "changes/two-sessions-2019--two-sessions-2020.html")
    for status, n in counts.items():
        start = html.index(f'<section id="status-{status}"')
        body = html[start:html.index("</section>", start)]
        assert f'<details class="group status-group" open>\n  <summary><h2 id="h-{status}">{status.capitalize()} <span class="count">({n})</span></h2></summary>' in body
        assert body.count('<article class="change">') == n
        if n > LONG_LIST:
            more = body.index(f"<summary>Show {n - SHOWN_OF_LONG} more {status}</summary>")
            assert body[:more].count('<article class="change">') == SHOWN_OF_LONG
        else:
            assert '<details class="more">' not in body
    assert "In the report: II. Tasks for 2019 › 1. Expanding domestic demand" in html
    # The compare page carries the sections for its own grouping (compare.js).
    compare = embedded_json(read(settings.site_dir, "compare.html"), "compare-data")
    assert sum(1 for c in compare["commitments"] if c.get("section", "").startswith("II. Tasks for")) > 120


def test_report_site_is_byte_identical_across_builds_and_a_section_rename_reaches_the_meeting_page(report_built, tmp_path):
    """A fresh build gives the same files; a change of section headings alone (the commitments'
    texts unchanged) renders the meeting page again, as a full build would."""
    settings, _engine = report_built
    fresh = make_settings(tmp_path / "a", write_reports(tmp_path / "a" / "articles"))
    build(connect(fresh.db_url), fresh)
    history = ("recent.html", "feed.xml")
    first = {k: v for k, v in tree(fresh.site_dir).items() if k not in history}
    assert first == {k: v for k, v in tree(settings.site_dir).items() if k not in history}
    # Rename the forward section: same sentences, other sections. Incremental build, then a
    # full build of the same articles elsewhere: the meeting pages must be equal.
    report = fresh.articles_dir / "gwr_2019.txt"
    report.write_text(report.read_text(encoding="utf-8").replace("II. Tasks for 2019", "II. Tasks and Targets for 2019"), encoding="utf-8")
    incremental = build(connect(fresh.db_url), fresh)
    assert not incremental.full
    page = read(fresh.site_dir, "meetings/two-sessions-2019.html")
    assert "<h3>II. Tasks and Targets for 2019 " in page and "<h3>II. Tasks for 2019 " not in page
    other = make_settings(tmp_path / "b", tmp_path / "b" / "articles")
    shutil.copytree(fresh.articles_dir, other.articles_dir)
    build(connect(other.db_url), other)
    assert page == read(other.site_dir, "meetings/two-sessions-2019.html")
    assert {k: v for k, v in tree(fresh.site_dir).items() if k not in history} == \
        {k: v for k, v in tree(other.site_dir).items() if k not in history}


def test_meeting_page_without_sections_groups_by_topic_in_collapsible_groups(site, db):
    meeting_id = db["meetings"][1][0]
    html = read(site, f"meetings/{meeting_id}.html")
    assert "Commitments by topic" in html and "Commitments by report section" not in html
    groups = GROUP.findall(html)
    assert groups and not any(is_part for is_part, *_ in groups)
    assert sum(int(n) for *_rest, n in groups) == sum(1 for c in db["commitments"] if c[1] == meeting_id)
