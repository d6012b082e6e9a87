"""A site with Chinese and English commitments in a real browser (headless Chromium, file://,
no network): Chinese text renders in a CJK font (.ci/run installs fonts-noto-cjk), not as
missing-glyph boxes; long Chinese runs wrap at phone width; search finds Chinese terms inside
sentences and English terms as whole words; the compare page and the thread timeline's hover
labels carry Chinese. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from test_browser import browser, hover_cell, hover_point, pytestmark, screenshot, wait_ready, watched  # noqa: F401 (fixtures)
from test_chinese_site import BEFORE_MIXED, FIRST_MEETING, HOSTILE_ZH, LONG_RUN_ZH, MIXED_MEETING, build_zh_site
from test_site import embedded_json, read

SEARCH_JS = ROOT / "timeline" / "static" / "search.js"
ELEMENTS_JS = ROOT / "timeline" / "static" / "elements.js"  # what search.js builds with
CJK_FAMILY = re.compile(r"CJK|Source Han|PingFang|YaHei|WenQuanYi|Hiragino", re.I)

# How each character of `text` is drawn, in `font`, on a canvas (its pixels, as a string), and
# how a character no installed font has is drawn (U+10FFFD, private use): a character drawn as
# that missing-glyph box, or all characters drawn alike, is tofu.
GLYPHS = """([text, font]) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (ch) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = font; ctx.textBaseline = 'top'; ctx.fillStyle = '#000';
    ctx.fillText(ch, 4, 4);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3)).join(',');
  };
  const missing = draw('\\u{10FFFD}');
  const chars = [...new Set([...text])];
  const drawn = chars.map(draw);
  return {chars: chars.length, distinct: new Set(drawn).size,
          missing: drawn.filter(d => d === missing).length, blank: drawn.filter(d => !/[1-9]/.test(d)).length};
}"""


@pytest.fixture(scope="module")
def zh_site(tmp_path_factory) -> Path:
    return build_zh_site(tmp_path_factory.mktemp("zh-browser")).site


def platform_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium actually drew the first `selector` element's text with. (Its CSS
    inspector logs an "unsafe attempt to load" file:// console error: check a page first.)"""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [f["familyName"] for f in fonts if f["glyphCount"] > 0]


def glyphs(page, text: str, selector: str) -> dict:
    font = page.evaluate(
        "s => { const c = getComputedStyle(document.querySelector(s)); return c.fontSize + ' ' + c.fontFamily; }",
        selector,
    )
    return page.evaluate(GLYPHS, [text, font])


def test_a_chinese_meeting_page_draws_chinese_glyphs(zh_site, watched):
    w = watched()
    page = w.open(zh_site / "meetings" / f"{FIRST_MEETING}.html")
    texts = page.locator('p.ctext[lang="zh"]').all_text_contents()
    assert len(texts) >= 2
    first = 'p.ctext[lang="zh"]'
    assert "Noto Sans CJK SC" in page.evaluate(f"getComputedStyle(document.querySelector('{first}')).fontFamily")
    # Each character is a glyph of its own: none is the missing-glyph box, and different
    # characters look different (boxes would all look alike).
    drawn = glyphs(page, "".join(texts), first)
    no_font = f"Chinese drawn as missing-glyph boxes ({drawn}): install a CJK font (fonts-noto-cjk; .ci/run does)"
    assert drawn["chars"] >= 20 and drawn["missing"] == 0 and drawn["blank"] <= 2, no_font
    assert drawn["distinct"] >= drawn["chars"] - drawn["blank"], drawn
    # The check can fail: Tangut, for which no font is installed, is all boxes.
    tangut = glyphs(page, "\U00017000\U00017001\U00017002\U00017003", first)
    assert tangut["missing"] == tangut["chars"] == 4 or tangut["distinct"] == 1, tangut
    # The text takes room: the commitment is laid out, on lines as wide as the card allows.
    box = page.locator(first).first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 10
    # Quotes are set upright, in a CJK font too.
    assert page.evaluate("getComputedStyle(document.querySelector('blockquote[lang=\"zh\"]')).fontStyle") == "normal"
    screenshot(page, "meeting-zh-1280.png")
    w.check()
    # Chromium drew the Chinese with a CJK font (not a fallback box font).
    for selector in (first, 'blockquote[lang="zh"] p'):
        used = platform_fonts(page, selector)
        assert any(CJK_FAMILY.search(f) for f in used), (selector, used)


def test_a_mixed_meeting_at_phone_width_wraps_long_chinese_runs(zh_site, watched):
    w = watched(375, 800)
    page = w.open(zh_site / "meetings" / f"{MIXED_MEETING}.html")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "the page scrolls sideways at 375px"
    card = page.locator("article.commitment", has_text=LONG_RUN_ZH[:12]).first
    box = card.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] > 100  # many lines
    labels = page.locator('article.commitment .lang-zh [lang="zh"]')
    assert labels.count() == 3 and labels.first.inner_text() == "中文"
    assert "Chinese" in page.locator("article.commitment .lang-zh").first.get_attribute("title")
    # The hostile sentence shows as typed.
    assert page.locator("p.ctext", has_text="依法保护数据安全").first.inner_text() == HOSTILE_ZH
    screenshot(page, "meeting-mixed-zh-375.png")
    w.check()


SEARCH_CASES = [
    # (query, text, found?)
    ("AI", "Officials said the supply chains are fine.", False),
    ("AI", "China will develop AI chips.", True),
    ("ai", "AI-powered factories and AI's uses", True),
    ("AI", "发展AI芯片产业", True),
    ("ＡＩ", "China will develop AI chips.", True),  # full-width letters, as half-width
    ("chain", "resilient supply chains", True),
    ("reform", "reformed institutions", False),
    ("reform*", "reformed institutions", True),
    ("EV", "every level of government", False),
    ("新质生产力", "政府将加快培育新质生产力，推动人工智能发展。", True),
    ("新质 人工智能", "政府将加快培育新质生产力，推动人工智能发展。", True),
    ("新质 芯片", "政府将加快培育新质生产力，推动人工智能发展。", False),
    ("生产力 AI", "加快培育新质生产力，发展AI产业", True),
    ("</script>", "text with </script> inside", True),
]


def test_search_matching_finds_chinese_anywhere_and_latin_whole_words(browser):  # noqa: F811
    page = browser.new_page()
    try:
        page.set_content("<!DOCTYPE html><title>search</title>")
        page.add_script_tag(content=ELEMENTS_JS.read_text(encoding="utf-8"))
        page.add_script_tag(content=SEARCH_JS.read_text(encoding="utf-8"))
        found = page.evaluate(
            "cases => cases.map(([q, text]) => window.PolicyTrackerSearch.matcher(q)(text))",
            [[q, t] for q, t, _ in SEARCH_CASES],
        )
    finally:
        page.close()
    assert dict(zip([(q, t) for q, t, _ in SEARCH_CASES], found)) == {(q, t): ok for q, t, ok in SEARCH_CASES}


def test_search_page_on_a_mixed_site(zh_site, watched):
    index = embedded_json(read(zh_site, "search.html"), "search-index")
    with_term = [e for e in index if "新质生产力" in e["text"] + e["evidence"]]
    assert with_term
    w = watched()
    page = w.open(zh_site / "search.html")
    page.goto((zh_site / "search.html").resolve().as_uri() + "?q=" + "新质生产力")
    page.wait_for_selector("#search-results li")
    results = page.locator("#search-results li")
    assert results.count() == len(with_term)
    assert results.locator('p.ctext[lang="zh"]').count() >= 1
    assert results.locator(".lang-zh").count() >= 1
    screenshot(page, "search-zh-1280.png")
    # "AI": whole words only. The index has texts with "said" or "chains" but no word AI.
    page.fill("#q", "AI")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('found')")

    def words(e: dict) -> str:
        return " \n ".join(
            [
                e["text"],
                " ".join(e["topics"]),
                e["meeting"],
                e["short"],
                e["date"],
                e["status"],
                e["evidence"],
                e.get("folded", ""),
            ]
        ).lower()

    whole = re.compile(r"(?<![a-z0-9])ai(?:e?s)?(?![a-z0-9])")
    assert any(re.search(r"said|chains", words(e)) and not whole.search(words(e)) for e in index)
    expected = sum(1 for e in index if whole.search(words(e)))
    shown = page.locator("#search-results li").count()
    assert shown == min(expected, 200) and expected > 0
    w.check()


def test_compare_page_shows_chinese_commitments_with_their_language(zh_site, watched):
    w = watched()
    page = w.open(zh_site / "compare.html")
    page.select_option("#cmp-a", BEFORE_MIXED)
    page.select_option("#cmp-b", MIXED_MEETING)
    page.wait_for_selector('#compare-result p.ctext[lang="zh"]')
    assert page.locator("#compare-result .lang-zh").count() == 3
    assert page.locator('#compare-result .lang-zh [lang="zh"]').first.inner_text() == "中文"
    assert page.locator("#compare-result .lang-en").count() >= 1
    w.check()
    assert any(CJK_FAMILY.search(f) for f in platform_fonts(page, '#compare-result p.ctext[lang="zh"] a'))


def test_thread_timeline_hover_label_draws_chinese(zh_site, watched):
    w = watched()
    page = w.open(zh_site / "index.html")
    wait_ready(page)
    page.select_option("#f-topic", "ai")
    page.wait_for_function("document.querySelectorAll('#threads .scatterlayer .point').length > 0")
    meta, index = page.evaluate("""() => {
      for (const t of document.getElementById('threads').data) {
        const i = (t.text || []).findIndex(s => s.includes('新质生产力'));
        if (i >= 0) { return [t.meta, i]; }
      }
      return [null, -1];
    }""")
    assert index >= 0
    text = hover_point(page, "threads", meta, index)
    assert "新质生产力" in text
    screenshot(page, "home-threads-zh-1280.png")
    w.check()
    used = platform_fonts(page, "#threads-info div.first")
    assert any(CJK_FAMILY.search(f) for f in used), (text, used)


def test_overview_hover_quotes_the_strongest_chinese_commitment_in_its_language(zh_site, watched):
    w = watched()
    page = w.open(zh_site / "index.html")
    wait_ready(page)
    data = page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent)")
    column = [m["id"] for m in data["meetings"]].index(FIRST_MEETING)
    text = hover_cell(page, "ai", column)
    assert "我们要加快发展人工智能产业" in text
    assert page.locator('.chart-tip span[lang="zh"]').count() == 1
    w.check()
