"""The built site in a real browser (headless Chromium through Playwright, from file:// URLs,
no network): the timeline draws, filters and navigates; pages render without script errors;
hostile article text never runs. Screenshots go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from test_site import XSS_ARTICLE, copy_sample, make_settings
from tracker.db import connect
from tracker.pipeline import build

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


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser-xss")
    articles = copy_sample(tmp / "articles")
    (articles / "zz_hostile.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    settings = make_settings(tmp, articles)
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


def points(page) -> int:
    return page.locator("#timeline .scatterlayer .point").count()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_home_page_draws_filters_and_navigates(site, watched):
    w = watched()
    page = w.open(site / "index.html")
    page.wait_for_function("document.querySelectorAll('#timeline .scatterlayer .point').length > 0")
    page.wait_for_selector("#heatmap .heatmaplayer, #heatmap .hm")
    total = points(page)
    assert total > 0
    screenshot(page, "home-1280.png")

    # Topic filter: fewer points, and the count is announced.
    options = page.locator("#f-topic option").evaluate_all("opts => opts.map(o => o.value).filter(Boolean)")
    assert options
    page.select_option("#f-topic", options[0])
    page.wait_for_function(f"document.querySelectorAll('#timeline .scatterlayer .point').length !== {total}")
    assert 0 < points(page) < total
    assert "Showing" in page.locator("#filter-status").inner_text()
    page.select_option("#f-topic", "")
    page.wait_for_function(f"document.querySelectorAll('#timeline .scatterlayer .point').length === {total}")

    # Status checkbox: unticking "new" hides its points.
    page.uncheck('#timeline-filters input[value="new"]')
    page.wait_for_function(f"document.querySelectorAll('#timeline .scatterlayer .point').length < {total}")
    page.check('#timeline-filters input[value="new"]')
    page.wait_for_function(f"document.querySelectorAll('#timeline .scatterlayer .point').length === {total}")

    # Date focus: the x axis range follows the two date inputs.
    page.fill("#f-from", "2024-01-01")
    page.dispatch_event("#f-from", "change")
    page.wait_for_function("document.getElementById('timeline').layout.xaxis.range[0] > '2023-12'")

    # Clicking a point opens its thread.
    page.click("#f-reset")
    page.wait_for_function(f"document.querySelectorAll('#timeline .scatterlayer .point').length === {total}")
    point = page.locator("#timeline .scatterlayer .trace .point").nth(3)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "/threads/" in page.url and page.url.endswith(".html")
    assert page.locator("h1").inner_text().strip()
    w.check()


def test_home_page_at_phone_width(site, watched):
    w = watched(375, 800)
    page = w.open(site / "index.html")
    page.wait_for_function("document.querySelectorAll('#timeline .scatterlayer .point').length > 0")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "the page scrolls sideways at 375px"
    screenshot(page, "home-375.png")
    w.check()


def test_meeting_page_renders(site, watched):
    w = watched()
    meeting = sorted((site / "meetings").glob("*.html"))[0]
    index = w.open(site / "index.html")
    index.click(f'a[href="meetings/{meeting.name}"] >> nth=0')
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
    assert "→" in page.locator("#cmp-status").inner_text()
    page = w.open(site / "search.html")
    page.goto((site / "search.html").resolve().as_uri() + "?q=innovation")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li").count() > 0
    assert "found" in page.locator("#search-status").inner_text()
    w.check()


def test_hostile_text_never_runs(hostile_site, watched):
    w = watched()
    page = w.open(hostile_site / "index.html")
    page.wait_for_function("document.querySelectorAll('#timeline .scatterlayer .point').length > 0")
    # Hover every point of the new-status trace: hover labels render text, not markup.
    page.locator("#timeline .scatterlayer .point").first.hover(force=True)
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
