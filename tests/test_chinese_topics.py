"""The topic lexicon's Chinese terms (topics.toml): one topic each, none hiding inside unrelated
words (Chinese terms match as substrings: there are no spaces), and invented sentences in the
style of a 政府工作报告 get the topics a reader would give them.

Every sentence here was written for these tests."""

from pathlib import Path

import pytest

from tracker.config import Settings
from tracker.language import has_cjk, matching_form
from tracker.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def settings():
    return Settings(project_dir=ROOT)


@pytest.fixture(scope="module")
def chinese_terms(settings) -> dict[str, list[str]]:
    """Each Chinese term (in matching form) -> the ids of the topics that list it."""
    out: dict[str, list[str]] = {}
    for topic in settings.topics.topic:
        for term in dict.fromkeys(topic.terms):
            if has_cjk(term):
                out.setdefault(matching_form(term), []).append(topic.id)
    return out


def test_every_topic_has_chinese_terms_and_each_term_one_topic(settings, chinese_terms):
    assert not {term: ids for term, ids in chinese_terms.items() if len(ids) > 1}
    with_chinese = {i for ids in chinese_terms.values() for i in ids}
    assert [t.id for t in settings.topics.topic if t.id not in with_chinese] == []
    # every topic keeps English terms too: the lexicon is one for both languages
    assert all(any(not has_cjk(term) for term in t.terms) for t in settings.topics.topic)


# Sentences about other things, full of words that contain short Chinese terms' characters:
# 人民生活 (民生), 各种业务 (种业), 中国企业 (国企), 中国债券 (国债), 碳酸钙 (碳), 智能体系
# (智能体), 全国产业 (国产), 居民消费价格 (消费).
UNRELATED = [
    "人民生活水平稳步提高，各种业务办理更加便捷。",
    "中国企业承建的桥梁如期完工，中国债券指数表现平稳。",
    "这家工厂生产碳酸钙和石灰，年产量保持稳定。",
    "该系统是一套完整的智能体系，已在多个城市试用。",
    "发言人介绍了全国产业工人队伍建设的情况。",
    "居民消费价格指数公布后，物价总体平稳。",
    "代表们审议了关于修改选举法的决定草案，会场气氛热烈。",
]


@pytest.mark.parametrize("sentence", UNRELATED)
def test_no_chinese_term_hides_inside_unrelated_words(chinese_terms, sentence):
    folded = matching_form(sentence)
    assert [term for term in chinese_terms if term in folded] == []


# Invented sentences and the topics a reader gives them (in any order).
SENTENCES = [
    ("加快发展人工智能，推动大模型广泛应用。", {"ai"}),
    ("巩固扩大新能源汽车产业优势。", {"ev"}),
    ("突破集成电路和高端芯片关键核心技术。", {"semiconductors", "self_reliance"}),
    ("积极稳妥推进碳达峰碳中和。", {"low_carbon"}),
    ("加快发展新质生产力，建设现代化产业体系。", {"industrial_system"}),
    ("高标准建设自由贸易试验区，扎实推进共建一带一路。", {"opening_up", "trade"}),
    ("鼓励大众创业、万众创新。", {"science_innovation"}),
    ("实施互联网+行动计划和中国制造2025。", {"digital_economy", "industrial_system"}),
    ("稳妥推进国有企业混合所有制改革。", {"state_enterprises"}),
    ("做好六稳工作，落实六保任务。", {"growth_demand"}),
]


def test_chinese_sentences_get_their_topics(settings):
    lexicon = load_lexicon(settings)
    wrong = {s: lexicon.topics_of(s) for s, expected in SENTENCES if set(lexicon.topics_of(s)) != expected}
    assert wrong == {}
