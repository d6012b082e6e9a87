"""The site and the CLI on a corpus of English and Chinese texts: every commitment and evidence
sentence carries its language (lang="zh"), a mixed site labels each commitment's language, a
topic's page holds both languages' threads, `tracker diff` and `tracker commitments` mark the
language, and Chinese text from articles stays text in HTML, embedded JSON, CSV and the feed.

The Chinese texts are invented. Until Chinese commitments are extracted, the test adds them
to the built database itself (commitments, evidence, threads and changes, as `tracker build`
stores them) and renders the site again."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select
from typer.testing import CliRunner

from conftest import ROOT
from test_site import copy_sample, embedded_json, make_settings, parse, read, tree
from tracker.build import build
from tracker.config import Settings
from tracker.db import Article, Commitment, Evidence, connect, transaction

# Text that must stay text: an end of script, markup and both kinds of quotes, inside Chinese.
HOSTILE_ZH = '我们将依法保护数据安全</script><script>alert("中文")</script>，“引号”与\'单引号\'及"双引号"照原样显示。'
# A long run without punctuation or spaces: it must wrap, not widen the page.
LONG_RUN_ZH = "我们将" + "持续推进高水平科技自立自强" * 12 + "。"

ZH_REPORT_2015 = """---
title: 政府工作报告（测试用虚构文本）
meeting: two-sessions-2015
kind: official
date: 2015-03-05
---
各位代表：

一、今年的主要任务

我们要加快发展人工智能产业，使智能制造在更多领域落地见效。

要大力推广新能源汽车，让覆盖城乡的充电网络惠及更多用户。

要实施更加积极的就业政策，让高校毕业生多渠道就业。
"""

ZH_NEWS_2024 = f"""---
title: 两会观察：“新质生产力”成为热词 </script>"'
meeting: two-sessions-2024
kind: news
date: 2024-03-06
---
全国两会期间，代表委员热议发展新质生产力。

政府将加快发展人工智能，使新质生产力与实体经济深度融合。

{HOSTILE_ZH}

{LONG_RUN_ZH}
"""

# (file, sentence, topics) of the Chinese commitments the build extracts (the topics from the lexicon).
ZH_COMMITMENTS = [
    ("zh_report_2015.txt", "我们要加快发展人工智能产业，使智能制造在更多领域落地见效。", ["ai", "industrial_system"]),
    ("zh_report_2015.txt", "要大力推广新能源汽车，让覆盖城乡的充电网络惠及更多用户。", ["ev"]),
    ("zh_news_2024.txt", "政府将加快发展人工智能，使新质生产力与实体经济深度融合。", ["ai", "industrial_system"]),
    ("zh_news_2024.txt", HOSTILE_ZH, ["regulation_security"]),
    ("zh_news_2024.txt", LONG_RUN_ZH, ["self_reliance"]),
]
FIRST_MEETING = "two-sessions-2015"  # the Chinese report's: before every sample meeting
NEXT_MEETING = "cpc-20-congress"  # the sample's first, English only
MIXED_MEETING = "two-sessions-2024"  # English articles and the Chinese news
BEFORE_MIXED = "cpc-20-congress"


@dataclass
class ZhSite:
    settings: Settings
    engine: object
    ids: dict[str, str]  # sentence -> the id of its commitment
    threads: dict[str, str]  # sentence -> the thread of its commitment

    @property
    def site(self) -> Path:
        return self.settings.site_dir


def chinese_commitments(engine) -> tuple[dict[str, str], dict[str, str]]:
    """The id and the thread of the commitment the build extracted from each sentence of
    ZH_COMMITMENTS (one task each: their later clauses do not open tasks of their own), which
    has the topics the list gives."""
    ids: dict[str, str] = {}
    threads: dict[str, str] = {}
    with transaction(engine) as session:
        articles = {a.file: a for a in session.scalars(select(Article).where(Article.file.like("zh_%")))}
        assert {a.language for a in articles.values()} == {"zh"}
        for file, sentence, topics in ZH_COMMITMENTS:
            (commitment,) = session.scalars(
                select(Commitment)
                .join(Evidence)
                .where(Evidence.article_id == articles[file].id, Evidence.sentence == sentence)
            ).unique()
            assert commitment.language == "zh" and commitment.topics == topics
            ids[sentence] = commitment.id
            threads[sentence] = commitment.thread_id
    return ids, threads


def build_zh_site(tmp: Path) -> ZhSite:

    articles = copy_sample(tmp / "articles")
    (articles / "zh_report_2015.txt").write_text(ZH_REPORT_2015, encoding="utf-8")
    (articles / "zh_news_2024.txt").write_text(ZH_NEWS_2024, encoding="utf-8")
    settings = make_settings(tmp, articles)
    engine = connect(settings.db_url)
    build(engine, settings)
    return ZhSite(settings, engine, *chinese_commitments(engine))


@pytest.fixture(scope="module")
def zh(tmp_path_factory) -> ZhSite:
    return build_zh_site(tmp_path_factory.mktemp("zh-site"))


def elements_with(html: str, text: str) -> list[str]:
    """The start tags of the elements whose own text begins with `text` (escaped as Jinja does)."""
    escaped = str(escape(text))
    return re.findall(rf"(<[a-z0-9]+[^>]*>)(?:<a [^>]*>)?{re.escape(escaped[:20])}", html)


# ------------------------------------------------------------------------------------------
# Language in the pages


def test_pages_keep_the_site_language_and_mark_chinese_text(zh):
    site = zh.site
    meeting = read(site, f"meetings/{FIRST_MEETING}.html")
    assert meeting.startswith('<!DOCTYPE html>\n<html lang="en">')
    for _file, sentence, _topics in ZH_COMMITMENTS[:2]:
        tags = elements_with(meeting, sentence)
        assert '<p class="ctext" lang="zh">' in tags, tags  # the commitment
        assert '<blockquote lang="zh">' in "".join(re.findall(r"<blockquote[^>]*>", meeting))
    # English text, in the site's language, inherits <html lang="en">.
    english = read(site, f"meetings/{NEXT_MEETING}.html")
    cards = re.findall(r'<article class="commitment">\s*<p class="ctext"( lang="\w+")?>', english)
    assert cards and set(cards) == {""}
    # The article page: its title and text.
    article = read(site, "articles/zh-report-2015-txt.html")
    assert '<h1 lang="zh">' in article and '<div class="article-text" lang="zh">' in article
    thread = read(site, f"threads/{zh.threads[ZH_COMMITMENTS[0][1]]}.html")
    assert '<h1 lang="zh">' in thread and '<p class="ctext" lang="zh">' in thread


def test_a_mixed_site_labels_each_commitments_language(zh):
    site = zh.site
    label_zh = re.compile(r'<span class="lang lang-zh" title="Chinese[^"]*"><span lang="zh">中文</span></span>')
    label_en = re.compile(r'<span class="lang lang-en" title="English[^"]*"><span>EN</span></span>')
    mixed = read(site, f"meetings/{MIXED_MEETING}.html")
    cards = re.findall(r'<article class="commitment">.*?</article>', mixed, re.S)
    zh_cards = [c for c in cards if 'lang="zh"' in c.split("</p>")[0]]
    assert len(zh_cards) == 3 and all(label_zh.search(c) for c in zh_cards)
    assert all(label_en.search(c) for c in cards if c not in zh_cards)
    # The change page lists the Chinese commitments as new, labelled.
    change = read(site, f"changes/{BEFORE_MIXED}--{MIXED_MEETING}.html")
    assert len(label_zh.findall(change)) == 3 and label_en.search(change)
    # A thread page, the search and compare data carry the language for their scripts.
    thread = read(site, f"threads/{zh.threads[ZH_COMMITMENTS[2][1]]}.html")
    assert label_zh.search(thread)
    index = embedded_json(read(site, "search.html"), "search-index")
    assert {e["language"] for e in index} == {"en", "zh"}
    languages = embedded_json(read(site, "search.html"), "search-languages")
    assert languages["show"] is True and languages["labels"]["zh"]["label"] == "中文"
    compare = embedded_json(read(site, "compare.html"), "compare-data")
    assert compare["show_languages"] is True
    assert {c["language"] for c in compare["commitments"]} == {"en", "zh"}


def test_a_topic_page_holds_both_languages_threads(zh):
    table = read(zh.site, "tables/ai.html")
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>', table, re.S)
    langs = [re.search(r'<a href="[^"]+"(?: lang="(\w+)")?>', r).group(1) or "en" for r in rows]
    assert langs.count("zh") == 2 and "en" in langs
    assert all('class="lang lang-zh"' in r for r, lang in zip(rows, langs) if lang == "zh")
    # The home page's overview counts them under the same topic.
    overview = embedded_json(read(zh.site, "index.html"), "timeline-data")
    ai = next(t for t in overview["topics"] if t["key"] == "ai")
    first = [m["id"] for m in overview["meetings"]].index(FIRST_MEETING)
    assert ai["counts"][first] and ai["strongest"][first][2] == "zh"


def test_an_english_only_site_shows_no_language_labels(tmp_path):
    settings = make_settings(tmp_path, copy_sample(tmp_path / "articles"))
    build(connect(settings.db_url), settings)
    meeting = read(settings.site_dir, "meetings/two-sessions-2024.html")
    assert 'class="lang ' not in meeting and 'lang="' not in meeting.split("\n", 2)[2]
    assert '<p class="ctext">' in meeting
    assert embedded_json(read(settings.site_dir, "search.html"), "search-languages")["show"] is False


def test_the_style_sheet_gives_chinese_a_cjk_font_and_loads_nothing(zh):
    css = read(zh.site, "assets/site.css")
    assert re.search(r":lang\(zh\) \{ font-family: var\(--cjk-sans\), sans-serif; line-break: strict;", css)
    assert '--cjk-sans: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC"' in css
    assert "overflow-wrap: anywhere" in css
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    for page in zh.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<link[^>]+href="(https?:)?//', html), page
        assert all(not re.match(r"^([a-z]+:)?//", a.get("src") or "") for a in parse(html).scripts), page


def test_thread_timeline_labels_use_a_cjk_font(zh):
    from timeline.thread_timeline import FONT

    text = read(zh.site, "topics/ai.js")
    figure = json.loads(re.search(r"= (\{.*\});\n$", text, re.S).group(1))["figure"]
    for font in (figure["layout"]["font"], figure["layout"]["hoverlabel"]["font"]):
        assert "Noto Sans CJK SC" in font["family"] and font["family"] == FONT
    hovers = [h for trace in figure["data"] for h in trace.get("text", []) if "新质生产力" in h]
    assert hovers


def test_search_index_holds_traditional_text_also_in_simplified_form(zh):
    from timeline.downloads import search_entry
    from timeline.model import CommitmentView, MeetingView

    meeting = MeetingView("m", "M", "M", "two_sessions", "2024-03-05", "2024-03-11", False, None, 0)

    def entry(text: str) -> dict:
        view = CommitmentView(text, text, [], [], 1.0, "", "new", text, "m", 0, 0, language="zh")
        return search_entry(view, meeting)

    traditional = entry("加快發展新質生產力，推進ＡＩ產業。")
    assert traditional["text"] == "加快發展新質生產力，推進ＡＩ產業。"
    assert "加快发展新质生产力，推进ＡＩ产业。" in traditional["folded"]  # search.js folds the width
    assert "folded" not in entry("加快发展新质生产力。")  # already in matching form: not twice


def test_a_chinese_file_name_gets_a_distinct_page(zh):
    from timeline.formats import slugify

    assert slugify("政府工作报告.txt") != slugify("政府工作报告（摘要）.txt")
    assert re.fullmatch(r"txt-[0-9a-f]{8}", slugify("政府工作报告.txt"))
    assert slugify("zh_report_2015.txt") == "zh-report-2015-txt"


# ------------------------------------------------------------------------------------------
# Chinese text from articles is untrusted: escaping in every output


def test_chinese_hostile_text_stays_text_in_html_and_embedded_json(zh):
    site = zh.site
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<script>alert("中文")' not in html, page
        # The only </script> are those closing our own script elements.
        assert html.count("</script>") == len(parse(html).scripts), page
    meeting = read(site, f"meetings/{MIXED_MEETING}.html")
    assert "依法保护数据安全&lt;/script&gt;&lt;script&gt;alert(&#34;中文&#34;)&lt;/script&gt;" in meeting
    assert "“引号”与&#39;单引号&#39;及&#34;双引号&#34;" in meeting
    # Embedded JSON gives the text back as it was.
    index = embedded_json(read(site, "search.html"), "search-index")
    assert HOSTILE_ZH in [e["text"] for e in index]
    compare = embedded_json(read(site, "compare.html"), "compare-data")
    assert HOSTILE_ZH in [c["text"] for c in compare["commitments"]]
    article = read(site, "articles/zh-news-2024-txt.html")
    assert "<title>两会观察：“新质生产力”成为热词 &lt;/script&gt;&#34;&#39; · policy-tracker</title>" in article
    # The scripts the pages load hold no raw "<"; plotly's hover labels (HTML) have it escaped.
    topic = read(site, "topics/regulation_security.js")
    assert "<" not in topic.split("*/", 1)[1]
    hovers = [
        h
        for t in json.loads(re.search(r"= (\{.*\});\n$", topic, re.S).group(1))["figure"]["data"]
        for h in t.get("text", [])
    ]
    assert any("依法保护数据安全&lt;/script&gt;&lt;script&gt;al" in h for h in hovers)


def test_chinese_hostile_text_round_trips_through_csv_and_dataset(zh):
    site = zh.site
    rows = list(csv.DictReader(io.StringIO(read(site, "data/commitments.csv"))))
    by_text = {r["text"]: r for r in rows}
    assert by_text[HOSTILE_ZH]["language"] == "zh" and by_text[LONG_RUN_ZH]["topics"] == "self_reliance"
    evidence = list(csv.DictReader(io.StringIO(read(site, "data/evidence.csv"))))
    assert HOSTILE_ZH in [r["sentence"] for r in evidence]
    data = json.loads(read(site, "data/dataset.json"))
    assert {c["language"] for c in data["commitments"] if c["text"] == HOSTILE_ZH} == {"zh"}


def test_chinese_hostile_text_stays_text_in_the_feed(zh):
    feed = read(zh.site, "feed.xml")
    root = ET.fromstring(feed.encode("utf-8"))  # well-formed XML
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    contents = [e.findtext("a:content", namespaces=ns) for e in root.findall("a:entry", ns)]
    mine = next(c for c in contents if "依法保护数据安全" in c)
    # The entry's HTML, once unescaped by the XML parser, still has the text escaped as HTML.
    assert "&lt;/script&gt;&lt;script&gt;alert(&#34;中文&#34;)" in mine and "<script>" not in mine
    assert '<span lang="zh">' in mine


# ------------------------------------------------------------------------------------------
# Writing the site stays deterministic and incremental


def test_a_mixed_site_rebuilds_byte_identical(zh):
    from timeline.writer import render_site

    before = tree(zh.site)
    with transaction(zh.engine) as session:
        count, written = render_site(session, zh.settings)
    assert written == 0 and tree(zh.site) == before and count == len(before)


# ------------------------------------------------------------------------------------------
# The CLI marks each commitment's language


@pytest.fixture(scope="module")
def zh_cli(zh):
    runner = CliRunner(env={"TRACKER_PROJECT": str(ROOT), "TRACKER_DB": None, "COLUMNS": "300"})
    from tracker.cli import app

    def invoke(*args: str):
        result = runner.invoke(app, [*args, "--db", zh.settings.db_url])
        assert result.exit_code == 0, result.output
        return result.stdout

    return invoke


def test_diff_marks_the_language_in_json_markdown_and_table(zh_cli):
    data = json.loads(zh_cli("diff", BEFORE_MIXED, MIXED_MEETING, "--format", "json"))
    languages = {side["language"] for c in data["changes"] for side in (c["from"], c["to"]) if side}
    assert languages == {"en", "zh"}
    markdown = zh_cli("diff", BEFORE_MIXED, MIXED_MEETING, "--format", "markdown", "--limit", "0")
    assert re.search(r"^- \*\*政府将加快发展人工智能，.*\*\* \[zh\] \(“.+”, 2024-03-06, zh_news_2024\.txt:\d+\)$", markdown, re.M)
    assert re.search(r"^- \*\*[A-Z].*\*\* \[en\] \(", markdown, re.M)
    table = zh_cli("diff", FIRST_MEETING, NEXT_MEETING, "--limit", "0")
    assert "[zh] 我们要加快发展人工智能产业" in table


def test_commitments_table_and_json_give_the_language(zh_cli):
    data = json.loads(zh_cli("commitments", MIXED_MEETING, "--format", "json"))
    assert {c["language"] for c in data} == {"en", "zh"}
    table = zh_cli("commitments", MIXED_MEETING)
    assert re.search(r"│ zh +│ 政府将加快发展人工智能", table)
    assert re.search(r"│ en +│ [A-Z]", table)
    # Article text is text for rich too: "[/script]"-like brackets do not vanish or break it.
    assert '依法保护数据安全</script><script>alert("中文")</script>' in table.replace("\n", "").replace("│", "")
