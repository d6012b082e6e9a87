"""Chinese meeting names and dates: the numerals, the dates, the catalog's Chinese names,
find_meeting and detection, and the year of an untitled annual report. The Chinese sentences
are written for these tests; the development corpus is read only by the last test, which skips
when /work/shared is absent."""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from tracker.articles import parse_article
from tracker.config import Settings
from tracker.dates import chinese_number, chinese_numeral, find_time_cues, parse_date, parse_month
from tracker.detection import detect_meeting
from tracker.language import has_cjk
from tracker.meetings import find_meeting, load_catalog
from tracker.mentions import find_mentions
from tracker.regex_literals import ACCELERATOR_VARIABLE
from tracker.regexscan import Gate, find_places, gate_text, literal_prefixes
from tracker.text_time import read_text_time
from tracker.toml_files import ConfigError

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared")


@pytest.fixture
def detect(rules, catalog, kinds):
    def run(raw: str, file: str = "article.txt"):
        parsed = parse_article(raw.encode(), file, rules)
        return detect_meeting(parsed.title, parsed.text, parsed.meta, catalog, kinds, rules)

    return run


@pytest.fixture
def find(catalog, rules):
    return lambda spec: find_meeting(spec, catalog, rules).id


# ---------------------------------------------------------------- numerals and dates


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("四", 4),
        ("十", 10),
        ("十二", 12),
        ("十九", 19),
        ("二十", 20),
        ("二十一", 21),
        ("第十二", 12),
        ("两", 2),
        ("一百零一", 101),
        ("二〇一五", 2015),
        ("二零一五", 2015),
        ("二○一五", 2015),
        ("12", 12),
        ("１２", 12),
    ],
)
def test_chinese_numerals_parse(numeral, value):
    assert chinese_number(numeral) == value


@pytest.mark.parametrize("text", ["", "第", "plenum", "十九届", "二十大"])
def test_what_is_not_a_numeral_is_none(text):
    assert chinese_number(text) is None


def test_numbers_written_as_chinese_numerals_read_back():
    assert [chinese_numeral(n) for n in (3, 10, 12, 19, 20, 21)] == ["三", "十", "十二", "十九", "二十", "二十一"]
    assert all(chinese_number(chinese_numeral(n)) == n for n in range(1, 100))


@pytest.mark.parametrize(
    "spec",
    [
        "二〇三一年三月五日",
        "二零三一年三月五日",
        "二○三一年三月五日",
        "2031年3月5日",
        "２０３１年３月５日",
        "2031 年 3 月 5 号",
    ],
)
def test_a_chinese_date_a_person_types(spec):
    assert parse_date(spec) == dt.date(2031, 3, 5)


def test_a_chinese_month_a_person_types():
    assert parse_month("2024年7月") == (2024, 7)
    assert parse_month("二〇二四年七月") == (2024, 7)
    assert parse_date("2031年2月30日") is None


def test_dates_a_chinese_text_states(rules):
    text = "大会定于二〇三一年三月五日开幕，会期至3月11日；另一会议于2032年10月20日至23日举行，2033年再议。"
    cues = [(c.text, c.year, c.month, c.day, c.end_day) for c in find_time_cues(text, rules)]
    assert cues == [
        ("二〇三一年三月五日", 2031, 3, 5, None),
        ("3月11日", None, 3, 11, None),
        ("2032年10月20日至23日", 2032, 10, 20, 23),
        ("2033年", 2033, None, None, None),
    ]


def test_a_year_before_a_chinese_word_is_a_year_but_a_decade_and_a_name_are_not(rules):
    years = [c.year for c in find_time_cues("上世纪1990年代，中国制造2025提出；2016—2020年是规划期。", rules)]
    assert years == [2016, 2020]


# ---------------------------------------------------------------- the catalog's Chinese names


def test_every_meeting_of_the_catalog_has_chinese_names(catalog):
    assert all(m.names_zh and all(has_cjk(n) for n in m.names_zh) for m in catalog)
    # Not among the aliases stored with the meeting: the site takes its short labels from those.
    assert not any(has_cjk(a) for m in catalog for a in m.aliases)


def test_chinese_names_are_filled_from_the_numbers(catalog):
    by_id = {m.id: m for m in catalog}
    assert "中国共产党第十九届中央委员会第四次全体会议" in by_id["cpc-19-cc-4-plenum"].names_zh
    assert "党的二十大" in by_id["cpc-20-congress"].names_zh
    assert "十二届全国人大三次会议" in by_id["two-sessions-2015"].names_zh
    assert "2024年7月中央政治局会议" in by_id["politburo-2024-07"].names_zh


def test_a_chinese_name_template_must_name_meeting_numbers():
    catalog = copy.deepcopy(Settings(project_dir=ROOT).catalog)
    catalog["kinds"]["cewc"]["aliases_zh"] = ["{week}年中央经济工作会议"]
    with pytest.raises(ConfigError, match="kinds.cewc: aliases_zh .* fills in 'week'"):
        load_catalog(catalog)


# ---------------------------------------------------------------- find_meeting (tracker show, tracker diff)


@pytest.mark.parametrize(
    ("spec", "meeting_id"),
    [
        ("第十二届全国人民代表大会第三次会议", "two-sessions-2015"),
        ("十二届全国人大三次会议", "two-sessions-2015"),
        ("十二届全国政协三次会议", "two-sessions-2015"),
        ("2015年全国两会", "two-sessions-2015"),
        ("2015年两会", "two-sessions-2015"),
        ("十九届四中全会", "cpc-19-cc-4-plenum"),
        ("中共十九届四中全会", "cpc-19-cc-4-plenum"),
        ("十九屆四中全會", "cpc-19-cc-4-plenum"),  # traditional characters
        ("中国共产党第十九届中央委员会第四次全体会议", "cpc-19-cc-4-plenum"),
        ("二十届三中全会", "cpc-20-cc-3-plenum"),
        ("党的二十大", "cpc-20-congress"),
        ("中共二十大", "cpc-20-congress"),
        ("二十大", "cpc-20-congress"),
        ("中国共产党第二十次全国代表大会", "cpc-20-congress"),
        ("2023年中央经济工作会议", "cewc-2023"),
        ("2024年7月中央政治局会议", "politburo-2024-07"),
        ("二〇一五年三月五日", "two-sessions-2015"),
        ("2015年3月5日", "two-sessions-2015"),
        ("2024年7月", "cpc-20-cc-3-plenum"),
    ],
)
def test_find_meeting_by_a_chinese_name_or_date(find, spec, meeting_id):
    assert find(spec) == meeting_id


# ---------------------------------------------------------------- mentions and detection


def test_a_chinese_name_needs_no_word_boundary_but_does_not_continue_a_number(rules, catalog):
    found = find_mentions("代表们在十九届四中全会上发言；12015年两会不是日期。", catalog, rules)
    assert [(m.text, m.candidates[0].id) for m in found if m.specific] == [("十九届四中全会", "cpc-19-cc-4-plenum")]


@pytest.mark.parametrize(
    ("text", "meeting_id"),
    [
        ("人大开幕\n\n第十二届全国人民代表大会第三次会议今天上午在人民大会堂开幕。\n", "two-sessions-2015"),
        ("代表热议\n\n出席十二届全国人大三次会议的代表分组审议了各项报告。\n", "two-sessions-2015"),
        ("全会公报\n\n十九届四中全会审议通过了关于治理体系的决定。\n", "cpc-19-cc-4-plenum"),
        ("解读\n\n中共十九届四中全会对制度建设作出了系统部署。\n", "cpc-19-cc-4-plenum"),
        ("大会闭幕\n\n党的二十大选举产生了新一届中央委员会。\n", "cpc-20-congress"),
        ("大会开幕\n\n中国共产党第二十次全国代表大会在北京开幕。\n", "cpc-20-congress"),
        ("经济工作\n\n2023年中央经济工作会议强调，明年要坚持稳中求进。\n", "cewc-2023"),
        ("会议纪要\n\n2024年7月30日，中共中央政治局召开会议，分析研究经济形势。\n", "politburo-2024-07"),
        ("观察\n\n7月政治局会议释放了什么信号？2024年下半年经济工作怎么做。\n", "politburo-2024-07"),
        ("两会前瞻\n\n2015年全国两会将于3月3日开幕，代表委员陆续抵京。\n", "two-sessions-2015"),
        ("热词\n\n今年两会上，代表们关注就业。会期为2015年3月3日至15日。\n", "two-sessions-2015"),
    ],
)
def test_each_chinese_name_form_is_detected(detect, text, meeting_id):
    assert detect(text).meeting_id == meeting_id


def test_the_government_work_report_is_a_weak_cue_for_its_years_session(detect):
    a = detect("报告解读\n\n政府工作报告提出，2015年国内生产总值增长目标为7%左右。\n")
    assert a.meeting_id == "two-sessions-2015"
    assert "政府工作报告" in a.reason


def test_a_meeting_the_text_carries_out_counts_little(detect):
    a = detect("代表发言\n\n2015年全国两会期间，代表们表示要深入贯彻落实党的十八大精神，十八大以来的成就令人鼓舞。\n")
    assert a.meeting_id == "two-sessions-2015"


def test_a_chinese_date_is_the_stated_date(detect):
    a = detect("全会闭幕\n\n中国共产党第二十届中央委员会第三次全体会议于2024年7月15日至18日在北京举行。\n")
    assert (a.meeting_id, a.date) == ("cpc-20-cc-3-plenum", dt.date(2024, 7, 15))


def test_a_session_the_catalog_lacks_is_inferred_with_chinese_names(detect):
    a = detect("新一届人大\n\n十五届全国人大一次会议于2028年3月5日在北京开幕。\n")
    assert a.meeting_id == "two-sessions-2028"
    assert a.new_meeting is not None and "2028年全国两会" in a.new_meeting.names_zh


# ---------------------------------------------------------------- an annual report without a title

REVIEW = (
    "各位代表：\n\n{delivery}"
    "{review_heading}"
    "过去一年，面对复杂局面，各地区各部门攻坚克难。2024年全年国内生产总值增长5.1%，"
    "城镇新增就业1230万人，完成了全年主要目标任务。与2023年相比，粮食产量再创新高。\n\n"
    "{forward_heading}"
    "今年经济社会发展的主要预期目标是：国内生产总值增长5%左右，城镇新增就业1200万人以上。"
    "到2030年，基本建成现代化产业体系。\n\n"
    "各位代表！我们要坚定信心，扎实做好各项工作。\n"
)


@pytest.mark.parametrize(
    ("delivery", "review_heading", "forward_heading"),
    [
        (
            "下面，我代表国务院向本次大会报告政府工作，请审议。\n\n",
            "一、2024年工作回顾\n\n",
            "二、2025年工作总体部署\n\n",
        ),
        ("", "一、2024年工作回顾\n\n", "二、2025年工作总体部署\n\n"),  # no delivery line
        ("", "一、过去一年工作回顾\n\n", "二、今年的主要任务\n\n"),  # the review names no year
        ("", "", ""),  # no headings: a paragraph opening 过去一年 reviews, one opening 今年 turns
    ],
)
def test_an_untitled_report_reviewing_a_year_is_of_the_next_years_session(
    detect, delivery, review_heading, forward_heading
):
    a = detect(REVIEW.format(delivery=delivery, review_heading=review_heading, forward_heading=forward_heading))
    assert a.meeting_id == "two-sessions-2025", a.reason


def test_a_review_dates_the_text_and_its_dates_are_past(rules):
    doc = "x\n\n" + REVIEW.format(
        delivery="", review_heading="一、2024年工作回顾\n\n", forward_heading="二、2025年重点工作\n\n"
    )
    chinese = {**rules, "detection": {**rules["detection"], **rules["detection"]["chinese"]}}
    cues = find_time_cues(doc, chinese)
    tt = read_text_time(doc, 1, cues, {}, chinese)
    frames = {c.text: f for c, f in zip(cues, tt.frames)}
    assert frames["2024年"] == "past" and frames["2023年"] == "past" and frames["2025年"] == "target"
    assert (tt.own_year, tt.floor_year) == (2025, 2025)
    assert 2030 in tt.deadlines


def test_a_review_opened_by_a_paragraph_ends_where_a_paragraph_turns_to_this_year(rules):
    doc = (
        "x\n\n过去一年，各项改革稳步推进，2027年粮食产量创新高。\n\n今年以来，物价保持平稳。\n\n"
        "今年，我们将实施新的规划，2028年财政赤字率拟按3%安排。\n"
    )
    chinese = {**rules, "detection": {**rules["detection"], **rules["detection"]["chinese"]}}
    cues = find_time_cues(doc, chinese)
    tt = read_text_time(doc, 1, cues, {}, chinese)
    assert dict(zip([c.text for c in cues], tt.frames)) == {"2027年": "past", "2028年": "future"}
    assert tt.own_year == 2028


# ---------------------------------------------------------------- English texts read as before


def test_an_english_article_quoting_chinese_is_read_by_the_english_rules(detect):
    text = (
        "Premier opens the Two Sessions\n\n"
        "The annual Two Sessions (两会) opened in Beijing on March 5, 2024, with the government work report.\n\n"
        "Delegates will discuss a growth target of around 5% for 2024.\n"
    )
    quoting, plain = detect(text), detect(text.replace(" (两会)", ""))
    assert (
        (quoting.meeting_id, quoting.date)
        == (plain.meeting_id, plain.date)
        == ("two-sessions-2024", dt.date(2024, 3, 5))
    )


def test_chinese_recognisers_and_anchor_words_cost_english_texts_no_pattern_runs(rules, monkeypatch):
    # The shortcuts measured here exist only with the accelerator on (CI also runs with it off).
    monkeypatch.setenv(ACCELERATOR_VARIABLE, "on")
    anchor = literal_prefixes(re.compile(rules["detection"]["anchor"]))
    assert anchor is not None and "会议" in anchor[1]  # the anchor is still found by its prefixes
    english = gate_text("The Third Plenum of the 20th Central Committee met in July 2024 and issued a communique.")
    chinese = [r for r in rules["detection"]["recognizer"] if has_cjk(r["pattern"])]
    assert chinese and not any(Gate(re.compile(r["pattern"], re.I)).allows(english) for r in chinese)


def test_places_of_english_and_chinese_prefixes_are_all_found():
    text = "Plenum 会议 plenum 全会 session 会议"
    prefixes = ("plen", "sess", "会议", "全会")
    expected = sorted(i for p in prefixes for i in range(len(text)) if text.lower().startswith(p, i))
    assert find_places(text.lower(), prefixes) == expected
    assert find_places("plenum only", prefixes) == [0]


# ---------------------------------------------------------------- the development corpus


@pytest.mark.skipif(
    not (SHARED / "gold" / "gwr-zh-dev.toml").is_file(), reason="/work/shared (development corpus) is absent"
)
def test_the_chinese_work_reports_of_the_development_corpus_are_their_sessions(rules, catalog, kinds):
    gold = tomllib.loads((SHARED / "gold" / "gwr-zh-dev.toml").read_text(encoding="utf-8"))
    by_id = {m.id: m for m in catalog}
    for expected in gold["article"]:
        path = SHARED / "corpus" / "gwr" / "zh" / expected["file"]
        parsed = parse_article(path.read_bytes(), path.name, rules)
        a = detect_meeting(parsed.title, parsed.text, parsed.meta, catalog, kinds, rules)
        day = dt.date.fromisoformat(expected["meeting"])
        assert a.meeting_id is not None and by_id[a.meeting_id].contains(day), (path.name, a.reason)
