"""Quantified targets in Chinese texts, read by the rules of targets.toml with the English
metric ids and units, so that a Chinese report and its English translation compare.

Every sentence here was written for these tests, in the style of a 政府工作报告."""

from pathlib import Path

import pytest

from tracker.config import Settings
from tracker.target_changes import targets_table

ROOT = Path(__file__).resolve().parents[1]
GWR_ZH = ROOT.parent / "shared" / "corpus" / "gwr" / "zh"


@pytest.fixture(scope="module")
def rules():
    return Settings(project_dir=ROOT).target_rules


def found(rules, sentence, context=""):
    return {t.metric: (t.low, t.high, t.unit, t.modifier) for t in rules.parse(sentence, context)}


def test_the_years_headline_targets(rules):
    sentence = (
        "今年发展的主要预期目标是：国内生产总值增长6%左右，居民消费价格涨幅2.5%左右，"
        "城镇新增就业1200万人以上，城镇登记失业率4.8%以内，城镇调查失业率5.2%左右，进出口增长4%左右。"
    )
    assert found(rules, sentence) == {
        "gdp_growth": (6, 6, "%", "around"),
        "cpi": (2.5, 2.5, "%", "around"),
        "urban_jobs": (12, 12, "million", "at least"),
        "unemployment_registered": (4.8, 4.8, "%", "at most"),
        "unemployment_surveyed": (5.2, 5.2, "%", "around"),
        "trade_growth": (4, 4, "%", "around"),
    }
    (gdp, *_rest) = rules.parse(sentence)
    assert (gdp.period, gdp.text, gdp.describe()) == ("this year", "国内生产总值增长6%左右", "around 6 %")


@pytest.mark.parametrize(
    ("sentence", "metric", "value"),
    [
        ("今年拟安排财政赤字3.1万亿元，比去年增加2000亿元。", "deficit_amount", (3.1, 3.1, "trillion yuan", "")),
        ("今年拟安排财政赤字12800亿元。", "deficit_amount", (1.28, 1.28, "trillion yuan", "")),
        ("今年赤字率拟按2.8%安排。", "deficit_ratio", (2.8, 2.8, "%", "")),
        ("今年赤字率从去年的2.6%提高到2.9%。", "deficit_ratio", (2.9, 2.9, "%", "")),  # "from ... to": where it goes
        ("今年拟安排地方政府专项债券3500亿元。", "special_bonds", (350, 350, "billion yuan", "")),
        ("今年要新增地方政府专项债券4.1万亿元。", "special_bonds", (4.1, 4.1, "trillion yuan", "")),
        ("今年粮食产量要保持在6.2亿吨以上。", "grain_output", (620, 620, "million tonnes", "at least")),
        ("今年粮食产量要保持在1.3万亿斤以上。", "grain_output", (650, 650, "million tonnes", "at least")),
        ("单位国内生产总值能耗要降低2.8%左右。", "energy_intensity", (2.8, 2.8, "%", "around")),
        ("广义货币M2预期增长11%左右。", "m2_growth", (11, 11, "%", "around")),
        ("今年社会融资规模余额增长10%左右。", "aggregate_financing", (10, 10, "%", "around")),
        ("今年全国国防预算增长6.8%。", "defence_budget", (6.8, 6.8, "%", "")),
        ("今年要再减少农村贫困人口1200万人以上。", "poverty_reduction", (12, 12, "million", "at least")),
        ("到2030年，全社会研发经费投入强度要达到3%。", "rd_intensity", (3, 3, "%", "")),
        ("今年国内生产总值增长6%至6.5%。", "gdp_growth", (6, 6.5, "%", "")),
        ("今年国内生产总值增长6%－6.5%。", "gdp_growth", (6, 6.5, "%", "")),  # a full-width hyphen
        (
            "今年國內生產總值增長目標為６．５％左右。",
            "gdp_growth",
            (6.5, 6.5, "%", "around"),
        ),  # traditional, full-width
        ("今年城镇新增就业1100萬人以上。", "urban_jobs", (11, 11, "million", "at least")),
        ("今年居民消费价格涨幅控制在3%以下。", "cpi", (3, 3, "%", "at most")),
        ("今年城镇登记失业率要低于4.5%。", "unemployment_registered", (4.5, 4.5, "%", "at most")),
    ],
)
def test_each_metric_unit_and_modifier(rules, sentence, metric, value):
    assert found(rules, sentence)[metric] == value


def test_the_text_is_the_original_and_values_are_in_english_units(rules):
    (t,) = rules.parse("今年國內生產總值增長目標為６．５％左右。")
    assert t.text == "國內生產總值增長目標為６．５％左右"  # what the reader sees: the original characters
    assert t.describe() == "around 6.5 %"


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("We aim for GDP growth of around 6 percent this year.", "今年国内生产总值预期增长6%左右。"),
        ("The deficit is projected to be 3.1 trillion yuan.", "今年拟安排财政赤字3.1万亿元。"),
        ("Special bonds for local governments will total 350 billion yuan.", "今年拟安排地方政府专项债券3500亿元。"),
        ("We will add more than 12 million new urban jobs.", "今年城镇新增就业要达到1200万人以上。"),
        ("Grain output should stay above 650 million metric tons.", "今年粮食产量要保持在1.3万亿斤以上。"),
    ],
)
def test_an_english_and_a_chinese_statement_give_the_same_target(rules, english, chinese):
    (en,) = rules.parse(english)
    (zh,) = rules.parse(chinese)
    assert (en.metric, en.low, en.high, en.unit, en.modifier) == (zh.metric, zh.low, zh.high, zh.unit, zh.modifier)


@pytest.mark.parametrize(
    "sentence",
    [
        "去年国内生产总值增长5.2%，城镇新增就业1244万人。",  # last year: results
        "过去一年，居民消费价格上涨0.2%。",
        "国内生产总值比上年增长5.2%，城镇新增就业1244万人。",  # no cue: a review states results
        "城镇新增就业1244万人，超过全年预期目标。",  # a target met
        "全面完成年初确定的主要目标，国内生产总值增长5.2%。",
        "今年以来，进出口增长5%。",  # so far this year
        "今年前两个月，进出口增长8.7%。",
        "国内生产总值增长5.2%，为今年经济发展打下好的基础。",  # 今年 after the value: not its time
        "城镇调查失业率稳定在5.2%左右。",  # 稳定在 reads the same in a review
        "今年人均国内生产总值增长5%左右。",  # per capita: not the GDP target
        "其中中央财政赤字2.5万亿元，地方财政赤字6000亿元。",  # the shares, not the whole deficit
        "2025年是“十四五”规划收官之年。",  # years and plan numbers are not values
    ],
)
def test_past_results_and_other_figures_are_not_targets(rules, sentence):
    assert rules.parse(sentence) == []


def test_respectively_with_fenbie_and_plan_periods(rules):
    targets = rules.parse("今后五年，单位国内生产总值用水量、能耗、二氧化碳排放量分别下降16%、13.5%、18%。")
    assert [(t.metric, t.low, t.period, t.direction) for t in targets] == [
        ("water_intensity", 16, "next five years", "cut"),
        ("energy_intensity", 13.5, "next five years", "cut"),
        ("carbon_intensity", 18, "next five years", "cut"),
    ]
    (plan,) = rules.parse("“十五五”时期经济年均增长要保持在4.5%以上。")
    assert (plan.metric, plan.period, plan.modifier) == ("gdp_growth", "2026-2030", "at least")
    assert rules.multi_year.search(plan.period)


def test_a_paragraph_of_targets_and_items_split_at_semicolons(rules):
    text = (
        "今年发展的主要预期目标是：国内生产总值增长5%左右；居民消费价格涨幅2%左右；"
        "城镇新增就业1200万人以上。单位国内生产总值能耗降低2.5%左右，生态环境质量持续改善。\n"
        "单位国内生产总值能耗下降4.4%，是近年来最大降幅。\n"
    )
    found_metrics = {t.metric: t.describe() for t, _s in rules.parse_text(text)}
    assert found_metrics == {
        "gdp_growth": "around 5 %",
        "cpi": "around 2 %",
        "urban_jobs": "at least 12 million",
        "energy_intensity": "around 2.5 %",
    }


def test_targets_table_one_row_when_languages_agree_both_when_they_differ(rules):
    gdp_en, gdp_zh = (
        rules.parse("We aim for GDP growth of around 5 percent.")[0],
        rules.parse("今年国内生产总值增长5%左右。")[0],
    )
    jobs_en = rules.parse("We will add 12 million new urban jobs.")[0]
    jobs_zh = rules.parse("今年城镇新增就业1200万人以上。")[0]
    rows = [
        {
            "meeting": "m1",
            "name": "Session A",
            "kind": "two_sessions",
            "start": "2031-03-05",
            "official": True,
            "targets": [
                (gdp_en, "We aim for GDP growth of around 5 percent.", "a_en.txt"),
                (jobs_en, "We will add 12 million new urban jobs.", "a_en.txt"),
                (gdp_zh, "今年国内生产总值增长5%左右。", "a_zh.txt"),
                (jobs_zh, "今年城镇新增就业1200万人以上。", "a_zh.txt"),
            ],
        }
    ]
    table = targets_table(rows, rules)
    assert [(r["value"], r["file"]) for r in table if r["metric"] == "gdp_growth"] == [("around 5 %", "a_en.txt")]
    assert [(r["value"], r["file"]) for r in table if r["metric"] == "urban_jobs"] == [
        ("12 million", "a_en.txt"),
        ("at least 12 million", "a_zh.txt"),
    ]


@pytest.mark.skipif(not GWR_ZH.is_dir(), reason="the development corpus (/work/shared/corpus) is not here")
def test_the_chinese_reports_of_the_dev_corpus_set_the_headline_targets(rules):
    """The four reports' headline targets, as a reader of each report finds them."""
    expected = {
        2013: {
            "gdp_growth": "around 7.5 %",
            "unemployment_registered": "at most 4.6 %",
            "deficit_amount": "1.2 trillion yuan",
        },
        2014: {
            "gdp_growth": "around 7.5 %",
            "unemployment_registered": "at most 4.6 %",
            "deficit_amount": "1.35 trillion yuan",
        },
        2015: {
            "gdp_growth": "around 7 %",
            "unemployment_registered": "at most 4.5 %",
            "deficit_amount": "1.62 trillion yuan",
        },
        2016: {
            "gdp_growth": "6.5–7 %",
            "unemployment_registered": "at most 4.5 %",
            "deficit_amount": "2.18 trillion yuan",
        },
    }
    for year, metrics in expected.items():
        targets = [t for t, _s in rules.parse_text((GWR_ZH / f"gwr_{year}_zh.txt").read_text(encoding="utf-8"))]
        picked = {m: t.describe() for m in metrics if (t := rules.pick(targets, m))}
        assert picked == metrics, year
