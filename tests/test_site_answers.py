"""The site answers "what changed between A and B, and where does it say so?": the home page
leads with the latest meeting's changes linked to their evidence, every stored pair has a change
page reachable from the home page, each change has a stable anchor, each commitment is printed
once on a change page, and page titles are cut at a word. In a real browser (headless Chromium,
file://, at 1280x900 and 390x844), with screenshots in test-artifacts/: no console errors, no
overlapping labels, and the first three changes on the home page reach their evidence in one
click."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from test_browser import ARTIFACTS, CHROMIUM, Watched, sync_playwright, wait_ready  # noqa: F401
from test_site import built, copy_sample, make_settings, read, site  # noqa: F401 (shared fixtures)

from timeline.formats import cut_title

SIZES = [(1280, 900), (390, 844)]


def test_home_page_leads_with_the_latest_changes_and_their_evidence(site):
    html = read(site, "index.html")
    main = html.split('<main id="main"', 1)[1]
    # The answer comes first: before the meetings table and the charts.
    assert main.index('class="answer"') < main.index('id="meetings-h"') < main.index('id="timeline"')
    assert "What changed at Third Plenum" in main
    links = re.findall(r'<a class="evidence-link" href="([^"]+)"', main)
    assert 3 <= len(links) <= 5
    for link in links:
        page, anchor = link.split("#")
        assert anchor.startswith("ev-") and f'<mark id="{anchor}">' in read(site, page)
    # Every stored pair into a meeting is one link away, with its evidence on the change page:
    # "from the 20th Party Congress to the Third Plenum" is not a consecutive pair.
    assert 'href="changes/cpc-20-congress--cpc-20-cc-3-plenum.html"' in main
    change = read(site, "changes/cpc-20-congress--cpc-20-cc-3-plenum.html")
    assert "<blockquote>" in change and "with meetings between them" in change


def test_change_pages_print_each_commitment_once_with_a_stable_anchor(site):
    for page in sorted((site / "changes").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        anchors = re.findall(r'<p class="meta" id="(ch-[^"]+)">', html)
        assert anchors and len(anchors) == len(set(anchors)) == html.count('<article class="change">')
        for side in re.findall(r'<div class="side">(.*?)</div>', html, re.S):
            texts = re.findall(r'<p class="ctext"[^>]*>(.*?)</p>', side, re.S)
            quotes = re.findall(r"<blockquote[^>]*><p>(.*?)</p>", side, re.S)
            # The text is printed as a paragraph only where no sentence quoted says it already.
            assert not (set(texts) & set(quotes)), page.name
            assert "<a href" not in "".join(texts)


def test_page_titles_are_cut_at_a_word():
    long = "China will vigorously develop artificial intelligence and accelerate breakthroughs in semiconductors"
    cut = cut_title(long, 70)
    assert cut.endswith("…") and len(cut) <= 70 and long.startswith(cut[:-1]) and long[len(cut) - 1] == " "
    assert cut_title("Short title") == "Short title"


def test_shortened_sentences_end_at_a_word():
    from timeline.formats import truncate

    text = "The state will spread supply chain computing clusters, covering 70 percent of them by 2016."
    for length in range(30, len(text)):
        cut = truncate(text, length)
        assert cut.endswith("…") and len(cut) <= length and text[len(cut) - 1] in " ,", (length, cut)
    assert truncate("政府将加快培育新质生产力，推动人工智能发展。", 10) == "政府将加…"  # no spaces: cut anywhere


# --------------------------------------------------------------------------------------------
# In a real browser


def no_overlapping_turned_labels(page, selector: str) -> None:
    """Column labels: flat ones must not overlap; turned ones (rotate(-60)) are parallel lines of
    text, apart when their anchors are at least a font size apart across the text direction."""
    labels = page.evaluate(
        """sel => [...document.querySelectorAll(sel)].map(t => [
      Number(t.getAttribute('x')), Number(t.getAttribute('font-size')), t.getAttribute('transform') || ''])""",
        selector,
    )
    assert labels, selector
    if not any("rotate" in t for *_rest, t in labels):
        no_overlapping_labels(page, selector)
        return
    xs = sorted(x for x, _size, _t in labels)
    size = max(size for _x, size, _t in labels)
    assert all((b - a) * 0.866 >= size for a, b in zip(xs, xs[1:])), (xs, size)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(200)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


# Boxes of a chart's labels (SVG text), as [left, top, right, bottom] on the page.
LABEL_BOXES = """sel => [...document.querySelectorAll(sel)].map(t => {
  const b = t.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom, t.textContent];
}).filter(b => b[2] > b[0])"""


def overlaps(boxes: list) -> list:
    """Pairs of boxes that overlap by more than a pixel each way."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1:
                found.append((a[4], b[4]))
    return found


def no_overlapping_labels(page, selector: str) -> None:
    # A turned label's bounding box is its rectangle's hull: compare the row labels with each
    # other and the flat labels with each other.
    boxes = page.evaluate(LABEL_BOXES, selector)
    assert boxes, selector
    assert overlaps(boxes) == [], selector


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.browser
def test_the_answer_in_a_real_browser(site, browser, size):
    if sync_playwright is None or not Path(CHROMIUM).is_file():
        pytest.skip("no browser")
    width, height = size
    w = Watched(browser, width, height)
    try:
        page = w.open(site / "index.html")
        wait_ready(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, "the page scrolls sideways"
        # The answer is on the first screen.
        box = page.locator(".top-changes li").first.bounding_box()
        assert box and box["y"] < height
        no_overlapping_labels(page, "#timeline svg g.pinned text")
        no_overlapping_labels(page, "#heatmap svg g.pinned text")
        sizes = page.evaluate(
            "[...document.querySelectorAll('#timeline svg text')].map(t => Number(t.getAttribute('font-size') || t.parentNode.getAttribute('font-size')))"
        )
        assert min(sizes) >= 11, "no chart label under 11 px"
        shoot(page, f"answers-home-{width}.png")
        # The heatmap and the overview tell the same count.
        heat = page.evaluate("JSON.parse(document.getElementById('heatmap-figure').textContent).data[0]")
        data = page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent)")
        assert heat["customdata"] == [[sum(c[:-1]) if c else 0 for c in t["counts"]] for t in data["topics"]]

        # The first three changes each reach their evidence in one click.
        links = page.locator(".top-changes a.evidence-link")
        for i in range(min(3, links.count())):
            page = w.open(site / "index.html")
            link = page.locator(".top-changes a.evidence-link").nth(i)
            quoted = unescape(page.locator(".top-changes li").nth(i).locator("q").first.inner_text()).strip("“”…")
            with page.expect_navigation():
                link.click()
            target = page.locator("mark:target")
            assert target.count() == 1
            said = " ".join(target.inner_text().split())
            assert said.startswith(" ".join(quoted.split())[:40]) or quoted[:40] in said, (quoted, said)
            if i == 0:
                shoot(page, f"answers-article-{width}.png")

        # The 20th Party Congress to the Third Plenum: one click from the home page to the changes
        # with their evidence.
        page = w.open(site / "index.html")
        with page.expect_navigation():
            page.locator('table.meetings a[href="changes/cpc-20-congress--cpc-20-cc-3-plenum.html"]').click()
        assert page.locator("blockquote").count() > 0
        first = page.locator("p.meta[id^=ch-]").first.get_attribute("id")
        shoot(page, f"answers-change-{width}.png")

        # A topic: its threads, each row labelled, the labels apart, no mode bar.
        page = w.open(site / "index.html")
        wait_ready(page)
        key = max(data["topics"], key=lambda t: t["threads"])["key"]
        page.select_option("#f-topic", key)
        page.wait_for_function("document.querySelectorAll('#threads .scatterlayer .point').length > 0")
        assert page.locator("#threads .modebar").count() == 0
        rows = page.locator("#threads .ytick text").count()
        assert rows == page.evaluate(f"window.PolicyTrackerTopics[{key!r}].threads")
        no_overlapping_labels(page, "#threads .ytick text")
        no_overlapping_turned_labels(page, "#threads-axis text")
        assert page.evaluate("getComputedStyle(document.getElementById('threads-axis')).position") == "sticky"
        shoot(page, f"answers-topic-{width}.png")

        # The compare page opened from a shared address: the meetings, the filter and the change.
        url = (
            (site / "compare.html").resolve().as_uri()
            + "?a=cpc-20-congress&b=cpc-20-cc-3-plenum&status=new,strengthened,weakened,disappeared#"
            + first
        )
        page.goto(url)
        page.wait_for_selector("#compare-result h2")
        assert page.locator("#cmp-a").input_value() == "cpc-20-congress"
        assert page.locator("#cmp-b").input_value() == "cpc-20-cc-3-plenum"
        assert not page.locator('#cmp-statuses input[value="persisted"]').is_checked()
        assert page.locator("#compare-result .status-persisted").count() == 0
        if page.locator(f"#{first}").count():
            assert page.locator(f"#{first}").is_visible()
        page.uncheck('#cmp-statuses input[value="new"]')
        page.wait_for_function("location.search.includes('status=strengthened%2Cweakened%2Cdisappeared')")
        # A topic narrows the changes to those with a commitment on it, and is in the address too.
        before = page.locator("#compare-result article.change").count()
        shown = page.locator("#compare-result article.change").first.inner_text()
        options = page.locator("#cmp-topic option")
        topic, label = next(
            (o.get_attribute("value"), o.inner_text())
            for o in (options.nth(i) for i in range(1, options.count()))
            if o.inner_text() in shown
        )
        page.select_option("#cmp-topic", topic)
        page.wait_for_function(f"location.search.includes('topic={topic}')")
        changes = page.locator("#compare-result article.change")
        assert 0 < changes.count() <= before
        assert all(label in changes.nth(i).inner_text() for i in range(changes.count()))
        page.goto(page.url)
        page.wait_for_selector("#compare-result h2")
        assert page.locator("#cmp-topic").input_value() == topic
        assert page.locator("#compare-result article.change").count() == changes.count()
        shoot(page, f"answers-compare-{width}.png")
        w.check()
    finally:
        w.close()


# --------------------------------------------------------------------------------------------
# Twenty meetings (benchmarks.generate): the labels stay readable, every stored pair is a link


@pytest.fixture(scope="module")
def site20(tmp_path_factory) -> Path:
    from benchmarks.generate import generate
    from tracker.build import build
    from tracker.db import connect

    tmp = tmp_path_factory.mktemp("site20")
    generate(tmp / "corpus", 20, 3, seed=1, include=("cpc-20-congress", "cpc-20-cc-3-plenum"))
    settings = make_settings(tmp, tmp / "corpus" / "articles")
    build(connect(settings.db_url), settings)
    return settings.site_dir


def test_twenty_meetings_link_every_stored_pair_from_the_home_page(site20):
    html = read(site20, "index.html")
    pages = sorted(p.name for p in (site20 / "changes").glob("*.html"))
    assert len(pages) > 19, "more than the consecutive pairs"
    for name in pages:
        assert f'href="changes/{name}"' in html, name
        # ... and from the pages of both its meetings.
        for meeting in name[: -len(".html")].split("--"):
            assert f'href="../changes/{name}"' in read(site20, f"meetings/{meeting}.html"), (name, meeting)


def test_thread_rows_read_apart():
    from timeline.thread_timeline import row_labels

    texts = [
        "Officials also identified future industries such as quantum computing and biomanufacturing.",
        "Officials also identified future growth in the service sector.",
        "Officials also identified future growth in the service sector.",
        "China will expand domestic demand.",
    ]
    assert row_labels(texts) == [
        "…industries such as quantum…",
        "…growth in the service sector.",
        "…growth in the service sector. (2)",
        "China will expand domestic demand.",
    ]


def test_twenty_meetings_label_every_thread_row_apart(site20):
    for topic in (site20 / "topics").glob("*.js"):
        payload = json.loads(topic.read_text(encoding="utf-8").split("] = ", 1)[1].rstrip().rstrip(";"))
        labels = payload["figure"]["layout"]["yaxis"]["ticktext"]
        assert len(labels) == len(set(labels)), topic.name


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.browser
def test_twenty_meetings_in_a_real_browser(site20, browser, size):
    width, height = size
    w = Watched(browser, width, height)
    try:
        page = w.open(site20 / "index.html")
        wait_ready(page)
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
        svg = page.locator("#timeline svg")
        assert svg.get_attribute("data-columns").count(",") == 19
        # Every meeting named, in full, at 11 px at least; columns at least 34 px (the chart
        # scrolls sideways where they do not fit).
        labels = page.locator("#timeline svg g.labels:not(.pinned) text").all_text_contents()
        data = page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent)")
        assert labels == [m["label"] for m in data["meetings"]]
        assert float(svg.get_attribute("data-column")) >= 34
        sizes = page.evaluate("[...document.querySelectorAll('#timeline svg text')].map(t => "
                              "Number(t.getAttribute('font-size') || t.parentNode.getAttribute('font-size')))")
        assert min(sizes) >= 11
        no_overlapping_turned_labels(page, "#timeline svg g.labels:not(.pinned) text")
        no_overlapping_labels(page, "#timeline svg g.pinned text")
        if width < 500:
            # Scrolled sideways, the topic names stay where they were.
            before = page.locator("#timeline svg g.pinned text").first.bounding_box()
            page.evaluate("document.getElementById('timeline').scrollLeft = 400")
            page.wait_for_function("document.querySelector('#timeline svg g.pinned').getAttribute('transform')"
                                   " === 'translate(400,0)'")
            assert page.locator("#timeline svg g.pinned text").first.bounding_box()["x"] == pytest.approx(before["x"])
        shoot(page, f"answers-home20-{width}.png")
        # A row label (cut short where the names do not fit) gives the topic's full name in a
        # tip on a click or a tap; a second one draws its threads.
        names = page.locator("#timeline svg g.pinned text")
        row = next((r for r in range(names.count()) if names.nth(r).text_content() != data["topics"][r]["label"]), 0)
        if width < 500:
            assert row or names.nth(0).text_content() != data["topics"][0]["label"], "names are cut on a phone"
        names.nth(row).click()
        assert page.locator(".chart-tip").is_visible()
        assert page.locator(".chart-tip strong").inner_text() == data["topics"][row]["label"]
        names.nth(row).click()
        assert page.locator("#f-topic").input_value() == data["topics"][row]["key"]
        page.select_option("#f-topic", "")
        # The 20th Party Congress to the Third Plenum in two clicks: the changes with their
        # evidence quoted, then the sentence highlighted in its article.
        pair_link = page.locator('table.meetings a[href="changes/cpc-20-congress--cpc-20-cc-3-plenum.html"]')
        scroller = page.locator("section[aria-labelledby=meetings-h] .table-scroll")
        if width >= 1000:  # on a laptop the link is in view without scrolling the table sideways
            link_box, box = pair_link.bounding_box(), scroller.bounding_box()
            assert link_box["x"] + link_box["width"] <= box["x"] + box["width"]
        else:  # on a phone the table scrolls sideways with the meeting names pinned
            name = page.locator("table.meetings tbody th").first
            before = name.bounding_box()["x"]
            scroller.evaluate("box => { box.scrollLeft = 300; }")
            assert scroller.evaluate("box => box.scrollLeft") > 0
            assert name.bounding_box()["x"] == pytest.approx(before, abs=1)
        with page.expect_navigation():
            pair_link.click()
        quoted = " ".join(page.locator("blockquote").first.inner_text().split())
        with page.expect_navigation():
            page.locator("p.source a").first.click()
        assert " ".join(page.locator("mark:target").inner_text().split()) == quoted
        page = w.open(site20 / "index.html")
        wait_ready(page)
        # A topic's threads: every row labelled, the meeting axis sticky, the text filter in the address.
        key = max(data["topics"], key=lambda t: t["threads"])["key"]
        page.select_option("#f-topic", key)
        page.wait_for_function("document.querySelectorAll('#threads .scatterlayer .point').length > 0")
        threads = page.evaluate(f"window.PolicyTrackerTopics[{key!r}].threads")
        assert page.locator("#threads .ytick text").count() == threads
        no_overlapping_labels(page, "#threads .ytick text")
        no_overlapping_turned_labels(page, "#threads-axis text")
        word = page.evaluate(f"window.PolicyTrackerTopics[{key!r}].titles[0].split(' ')[2]")
        page.fill("#threads-q", word)
        page.wait_for_function("location.hash.includes('q=')")
        kept = page.locator("#threads .ytick text").count()
        assert 1 <= kept <= threads
        shoot(page, f"answers-topic20-{width}.png")
        # The compare page opened without meetings shows the latest stored comparison.
        page = w.open(site20 / "compare.html")
        page.wait_for_selector("#compare-result h2")
        assert page.locator("#compare-result article.change").count() > 0
        w.check()
    finally:
        w.close()
