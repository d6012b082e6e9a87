"""The built site in a real browser (headless Chromium through Playwright, from file:// URLs,
no network): the timeline draws, filters and navigates; pages render without script errors;
hostile article text never runs. Screenshots go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from test_site import copy_sample, hostile_site, make_settings, report_built, report_site  # noqa: F401 (shared fixtures)
from tracker.build import build
from tracker.db import connect
from tracker.statuses import counts_line

CHROMIUM = os.environ.get("TRACKER_CHROMIUM") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)),
                       reason=f"no Chromium at {CHROMIUM} (install it or point TRACKER_CHROMIUM at one)"),
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser-site")
    settings = make_settings(tmp, copy_sample(tmp / "articles"))
    build(connect(settings.db_url), settings)
    return settings.site_dir



class Watched:
    """A page that records console errors, page errors, dialogs and any non-file request."""

    def __init__(self, browser, width: int = 1280, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda req: self.requests.append(req.url) if not req.url.startswith(("file:", "data:", "about:", "blob:")) else None)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def check(self):
        assert self.errors == []
        assert self.dialogs == []
        assert self.requests == [], "the site must not touch the network"

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser):
    pages: list[Watched] = []

    def make(width: int = 1280, height: int = 900) -> Watched:
        w = Watched(browser, width, height)
        pages.append(w)
        return w

    yield make
    for w in pages:
        w.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def thread_points(page) -> int:
    return page.locator("#threads .scatterlayer .point").count()


def wait_ready(page) -> None:
    """The home page's script has drawn the topic overview (SVG bars in the DOM)."""
    page.wait_for_function("document.documentElement.getAttribute('data-timeline') === 'ready'")
    page.wait_for_selector("#timeline svg path.bar", state="attached")


def overview(page) -> dict:
    return page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent)")


# Where the cell of topic `key` at meeting `column` (its first, if null) is drawn, on screen,
# from the geometry the overview's <svg> states (scrolled to the middle of the window first).
CELL_AT = """([key, column]) => {
  const data = JSON.parse(document.getElementById('timeline-data').textContent);
  const svg = document.querySelector('#timeline svg');
  const cols = svg.dataset.columns.split(',').map(Number);
  const r = data.topics.findIndex(t => t.key === key);
  const c = column === null ? cols.findIndex(i => data.topics[r].counts[i]) : cols.indexOf(column);
  const y = () => svg.getBoundingClientRect().top + Number(svg.dataset.top) + (r + 0.5) * Number(svg.dataset.row);
  window.scrollBy(0, y() - window.innerHeight / 2);
  return {x: svg.getBoundingClientRect().left + Number(svg.dataset.left) + (c + 0.5) * Number(svg.dataset.column), y: y()};
}"""

# Where a data point of a plotly chart is on screen (scrolled to the middle of the window first).
POINT_AT = """([id, meta, index]) => {
  const gd = document.getElementById(id);
  const trace = gd.data.find(t => t.meta === meta);
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  let box = gd.getBoundingClientRect();
  window.scrollBy(0, box.top + ya._offset + ya.l2p(trace.y[index]) - window.innerHeight / 2);
  box = gd.getBoundingClientRect();
  return {x: box.left + xa._offset + xa.l2p(trace.x[index]), y: box.top + ya._offset + ya.l2p(trace.y[index])};
}"""


def hover_cell(page, key: str, column: int | None = None) -> str:
    """Hover a cell of the overview; the text of the tooltip."""
    at = page.evaluate(CELL_AT, [key, column])
    page.mouse.move(at["x"] - 40, at["y"] - 40)
    page.mouse.move(at["x"], at["y"])
    page.wait_for_selector(".chart-tip:not([hidden])")
    return page.locator(".chart-tip").inner_text()


def hover_point(page, chart: str, meta: str, index: int) -> str:
    """Hover a data point of the thread timeline; the text of the info line above the chart
    (plotly draws no hover box over the points)."""
    before = page.locator("#threads-info").inner_text()
    at = page.evaluate(POINT_AT, [chart, meta, index])
    page.mouse.move(at["x"] - 30, at["y"] - 30)
    page.mouse.move(at["x"], at["y"])
    page.wait_for_function("t => document.getElementById('threads-info').innerText !== t", arg=before)
    assert page.locator(f"#{chart} .hoverlayer .hovertext").count() == 0  # nothing covers the points
    return page.locator("#threads-info").inner_text()


def test_home_page_draws_the_topic_overview_and_filters_it(site, watched):
    w = watched()
    page = w.open(site / "index.html")
    wait_ready(page)
    data = overview(page)
    topics, meetings = data["topics"], data["meetings"]
    # The first screen needs no plotly.js, and no topic's thread data.
    assert page.evaluate("typeof window.Plotly") == "undefined"
    assert page.locator("script[src$='plotly.min.js'], script[src^='topics/']").count() == 0
    assert page.locator("#threads").is_hidden(), "no thread timeline before a topic is picked"
    # One path per status (every bar of that colour), the topics as row labels.
    drawn = page.locator("#timeline svg path.bar").evaluate_all("ps => ps.map(p => p.getAttribute('class'))")
    assert "bar bar-new" in drawn and "bar bar-disappeared" in drawn
    assert len(drawn) == len(set(drawn)) <= len(data["statuses"])
    labels = page.locator("#timeline svg .labels text[text-anchor='end']").all_text_contents()
    assert labels == [t["label"] for t in topics]
    assert page.locator("#timeline svg").get_attribute("data-columns") == ",".join(str(i) for i in range(len(meetings)))
    status = page.locator("#filter-status").inner_text()
    stated = sum(sum(c[:-1]) for t in topics for c in t["counts"] if c)
    assert f"{len(topics)} topics" in status and f"{stated:,} commitments stated" in status

    # Hovering a bar gives the topic's counts at that meeting.
    first = topics[0]
    text = hover_cell(page, first["key"])
    assert first["label"] in text and "commitment" in text and "Click to draw" in text

    # Status checkbox: unticking "new" removes its bars and takes them out of the count.
    new = sum(c[data["statuses"].index("new")] for t in topics for c in t["counts"] if c)
    assert new > 0
    page.uncheck('#timeline-filters input[value="new"]')
    page.wait_for_function("document.querySelectorAll('#timeline path.bar-new').length === 0")
    assert f"{stated - new:,} commitments stated" in page.locator("#filter-status").inner_text()
    page.check('#timeline-filters input[value="new"]')
    page.wait_for_function("document.querySelectorAll('#timeline path.bar-new').length === 1")

    # Date focus: only the meetings inside the dates keep a column.
    page.fill("#f-from", meetings[-1]["start"])
    page.dispatch_event("#f-from", "change")
    page.wait_for_function(f"document.querySelector('#timeline svg').dataset.columns === '{len(meetings) - 1}'")
    assert "1 meeting:" in page.locator("#filter-status").inner_text()

    # Bar height: each topic on its own scale.
    page.select_option("#f-scale", "topic")
    page.wait_for_function("document.getElementById('filter-status').textContent.includes('own tallest bar')")

    page.click("#f-reset")
    page.wait_for_function(f"document.querySelector('#timeline svg').dataset.columns.split(',').length === {len(meetings)}")
    assert page.locator("#f-scale").input_value() == "sqrt"

    # The heatmap: a cell per topic and meeting, with the total emphasis on hover.
    heat = page.evaluate("JSON.parse(document.getElementById('heatmap-figure').textContent).data[0]")
    assert page.locator("#heatmap svg rect.cell").count() == len(heat["y"]) * len(heat["x"])
    cell = page.locator("#heatmap svg rect.cell").nth(len(heat["x"]) + 1)
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.querySelector('.chart-tip').textContent.includes('total emphasis')")
    assert heat["y"][1] in page.locator(".chart-tip").inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "home-1280.png")

    # Clicking a bar picks its topic, loads plotly.js and topics/<key>.js, draws its threads.
    biggest = max(topics, key=lambda t: t["threads"])
    at = page.evaluate(CELL_AT, [biggest["key"], None])
    page.mouse.click(at["x"], at["y"])
    page.wait_for_function("document.querySelectorAll('#threads .scatterlayer .point').length > 0")
    assert page.locator("#f-topic").input_value() == biggest["key"]
    assert page.evaluate("window.location.hash") == f"#topic={biggest['key']}"
    assert page.locator(f"script[src='{biggest['file']}']").count() == 1
    assert page.locator("script[src='assets/plotly.min.js']").count() == 1
    bold = page.locator("#timeline svg .labels text[font-weight='bold']").all_text_contents()
    assert bold == [biggest["label"]]
    assert page.locator("#timeline svg rect.selected").count() == 1
    w.check()


def test_picking_a_topic_draws_its_threads_and_points_open_them(site, watched):
    w = watched()
    page = w.open(site / "index.html")
    wait_ready(page)
    topics = sorted(overview(page)["topics"], key=lambda t: -t["threads"])
    topic, other = topics[0], topics[1]
    page.select_option("#f-topic", topic["key"])
    page.wait_for_function("document.querySelectorAll('#threads .scatterlayer .point').length > 0")
    figure = page.evaluate(f"window.PolicyTrackerTopics[{json.dumps(topic['key'])}].figure")
    by_status = {t["meta"]: len(t["x"]) for t in figure["data"] if t["meta"] != "lines"}
    assert thread_points(page) == sum(by_status.values())
    assert page.locator("#threads .ytick text").count() >= 1
    assert f"{topic['threads']} thread" in page.locator("#threads-status").inner_text()
    assert page.locator("#threads-h").inner_text() == f"Threads of {topic['label']}"
    assert topic["label"] in page.locator("#threads").get_attribute("aria-label")
    assert page.locator("#threads-table").get_attribute("href") == topic["table"]  # that topic's table
    screenshot(page, "home-threads-1280.png")

    # Status checkboxes filter the thread timeline too.
    status = max(by_status, key=by_status.get)
    total = thread_points(page)
    page.uncheck(f'#timeline-filters input[value="{status}"]')
    page.wait_for_function(f"document.querySelectorAll('#threads .scatterlayer .point').length === {total - by_status[status]}")
    page.check(f'#timeline-filters input[value="{status}"]')
    page.wait_for_function(f"document.querySelectorAll('#threads .scatterlayer .point').length === {total}")

    # Another topic: its own script, its own threads; back to the first: no second download.
    page.select_option("#f-topic", other["key"])
    page.wait_for_function(f"document.getElementById('threads-h').textContent === {json.dumps('Threads of ' + other['label'])}")
    page.wait_for_function("document.querySelectorAll('#threads .scatterlayer .point').length > 0")
    page.select_option("#f-topic", "")
    page.wait_for_function("document.getElementById('threads').hidden")
    page.select_option("#f-topic", topic["key"])
    page.wait_for_function(f"document.querySelectorAll('#threads .scatterlayer .point').length === {total}")
    assert page.locator("script[src^='topics/']").count() == 2

    # Clicking a point opens its thread.
    point = page.locator("#threads .scatterlayer .trace .point").nth(3)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "/threads/" in page.url and page.url.endswith(".html")
    assert page.locator("h1").inner_text().strip()
    w.check()


def test_a_topic_link_opens_with_its_threads(site, watched):
    w = watched()
    page = w.open(site / "index.html")
    wait_ready(page)
    key = overview(page)["topics"][0]["key"]
    page.goto((site / "index.html").resolve().as_uri() + f"#topic={key}")
    page.reload()
    wait_ready(page)
    page.wait_for_function("document.querySelectorAll('#threads .scatterlayer .point').length > 0")
    assert page.locator("#f-topic").input_value() == key
    w.check()


def test_a_missing_topic_script_is_reported(site, watched, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    w = watched()
    page = w.open(copy / "index.html")
    wait_ready(page)
    topic = overview(page)["topics"][0]
    (copy / topic["file"]).unlink()
    page.select_option("#f-topic", topic["key"])
    page.wait_for_function("document.getElementById('threads-status').textContent.includes('could not be loaded')")
    assert page.locator("#threads").is_hidden()
    assert not [e for e in w.errors if e.startswith("pageerror")]


def test_home_page_at_phone_width(site, watched):
    w = watched(375, 800)
    page = w.open(site / "index.html")
    wait_ready(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "the page scrolls sideways at 375px"
    screenshot(page, "home-375.png")
    page.select_option("#f-topic", overview(page)["topics"][0]["key"])
    page.wait_for_function("document.querySelectorAll('#threads .scatterlayer .point').length > 0")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "the thread timeline scrolls sideways at 375px"
    w.check()


def test_meeting_page_renders(site, watched):
    w = watched()
    meeting = sorted((site / "meetings").glob("*.html"))[0]
    index = w.open(site / "index.html")
    index.click(f'table.meetings a[href="meetings/{meeting.name}"]')
    index.wait_for_load_state("load")
    assert index.url.endswith(f"meetings/{meeting.name}")
    assert index.locator("article.commitment").count() > 0
    assert index.locator("blockquote").count() > 0
    screenshot(index, "meeting-1280.png")
    w.check()


def test_article_compare_and_search_pages(site, watched):
    w = watched()
    article = sorted((site / "articles").glob("*.html"))[0]
    page = w.open(article)
    assert page.locator("mark[id^=ev-]").count() > 0
    page = w.open(site / "compare.html")
    page.wait_for_selector("#compare-result h2")
    assert page.locator("#compare-result .compare-group").count() > 0
    options = page.locator("#cmp-a option").evaluate_all("opts => opts.map(o => o.value)")
    page.select_option("#cmp-a", options[0])
    page.select_option("#cmp-b", options[1])
    page.wait_for_function("document.querySelector('#cmp-status').textContent.indexOf('Loading') < 0")
    # The compare page says what the change page says for the same pair: one answer.
    shown = page.locator("#cmp-status").inner_text()
    change_page = (site / "changes" / f"{options[0]}--{options[1]}.html").read_text(encoding="utf-8")
    counts = {s.lower(): int(n) for s, n in re.findall(r'<h2 id="h-[\w-]+">([\w ]+) <span class="count">\((\d+)\)</span>', change_page)}
    assert counts and shown.endswith(": " + counts_line(counts) + "."), (shown, counts)
    assert change_page.count('<article class="change">') == page.locator("#compare-result article.change").count()
    page = w.open(site / "search.html")
    page.goto((site / "search.html").resolve().as_uri() + "?q=innovation")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li").count() > 0
    assert "found" in page.locator("#search-status").inner_text()
    w.check()


def test_long_report_pages_open_as_outlines_and_expand_without_script(report_site, watched):
    """A 79-commitment meeting page: the report's section open, its numbered parts closed;
    opening a part shows its first commitments and "show N more" the rest. No JavaScript:
    <details> does it, from file://."""
    w = watched()
    page = w.open(report_site / "meetings" / "two-sessions-2019.html")
    # (assets/cite.js only shows the evidence's "cite" buttons: the outline needs no script.)
    assert page.locator("script[src]:not([src$='assets/cite.js'])").count() == 0
    parts = page.locator("details.group.part")
    assert parts.count() == 3
    assert page.evaluate("[...document.querySelectorAll('details.group.part')].every(d => !d.open)")
    first = parts.first
    assert not first.locator("article.commitment").first.is_visible()
    first.locator(":scope > summary").click()
    assert first.evaluate("d => d.open")
    cards = first.locator(":scope > article.commitment")
    assert cards.count() == 20 and cards.first.is_visible()
    more = first.locator(":scope > details.more")
    assert "more commitments" in more.locator("summary").inner_text()
    hidden = more.locator("article.commitment")
    assert hidden.count() > 0 and not hidden.first.is_visible()
    more.locator("summary").click()
    assert hidden.first.is_visible()
    screenshot(page, "meeting-report-1280.png")
    # The change page: every status a group, open, the long one with its first 20 shown.
    page = w.open(report_site / "changes" / "two-sessions-2019--two-sessions-2020.html")
    assert page.evaluate("[...document.querySelectorAll('details.status-group')].every(d => d.open)")
    long_group = page.locator("details.status-group:has(> details.more)")
    assert long_group.count() >= 1
    assert long_group.first.locator(":scope > article.change").count() == 20
    # The compare page builds the same groups in its script.
    page = w.open(report_site / "compare.html")
    page.wait_for_selector("#compare-result details.status-group")
    assert page.locator("#compare-result details.status-group:has(> details.more)").count() >= 1
    assert page.locator("#compare-result details.status-group > article.change").count() <= 20 * 5
    screenshot(page, "compare-report-1280.png")
    w.check()


def test_hostile_text_never_runs(hostile_site, watched):
    w = watched()
    page = w.open(hostile_site / "index.html")
    wait_ready(page)
    # The overview's hover label quotes the strongest commitment: as text, never as markup.
    data = overview(page)
    cells = [(t["key"], i) for t in data["topics"] for i, best in enumerate(t["strongest"]) if best and "alert(1)" in best[0]]
    assert cells
    text = hover_cell(page, *cells[0])
    assert "alert(1)" in text and "Strongest:" in text
    assert page.locator(".chart-tip img, .chart-tip script, .chart-tip b, #timeline img").count() == 0
    # The thread timeline's hover label: the article text shows as typed.
    key = next(t["key"] for t in data["topics"] if "alert(1)" in (hostile_site / t["file"]).read_text(encoding="utf-8"))
    page.select_option("#f-topic", key)
    page.wait_for_function("document.querySelectorAll('#threads .scatterlayer .point').length > 0")
    meta, index = page.evaluate("""() => {
      for (const t of document.getElementById('threads').data) {
        const i = (t.text || []).findIndex(s => s.includes('alert(1)'));
        if (i >= 0 && t.visible !== false) { return [t.meta, i]; }
      }
      return [null, -1];
    }""")
    assert index >= 0
    text = hover_point(page, "threads", meta, index)
    assert "<script>alert(1)</script>" in text or "<img src=x onerror=alert(1)>" in text
    assert page.locator("#threads .hoverlayer img, #threads .hoverlayer script").count() == 0
    assert page.locator("img").count() == 0
    for rel in ("meetings/two-sessions-2024.html", "articles/zz-hostile-txt.html", "search.html", "compare.html"):
        page = w.open(hostile_site / rel)
        assert page.locator("main h1").count() == 1
        assert page.locator("main img").count() == 0
    page = w.open(hostile_site / "search.html")
    page.fill("#q", "alert")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results img").count() == 0
    article = w.open(hostile_site / "articles/zz-hostile-txt.html")
    assert "<script>alert(1)</script>" in article.locator(".article-text").inner_text()
    w.check()


def test_browser_load_benchmark_measures_the_home_page(site):
    """benchmarks/browser_load.py: one JSON object; the home page loads no plotly.js and no
    thread data until a topic is picked."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "benchmarks.browser_load", "--site", str(site), "--repeat", "1",
                           "--pick-topic", "largest"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert len(result["runs_s"]) == 1 and 0 < result["median_s"] < 30
    assert set(result["page_files"]) == {"index.html", "assets/site.css", "assets/timeline.js"}
    assert result["page_bytes"] == sum(result["page_files"].values()) and result["plotly_js_bytes"] == 0
    assert result["pick_topic"]["threads"] > 0 and len(result["pick_topic"]["runs_s"]) == 1
