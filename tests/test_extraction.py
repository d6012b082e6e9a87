"""Sentence splitting, commitment detection, list items, topics, emphasis and merging."""

from pathlib import Path

import pytest

from tracker.config import DEFAULTS_DIR, Settings
from tracker.commitment_rules import CommitmentRules
from tracker.extract import ArticleText, extract_meeting
from tracker.lexicon import load_lexicon
from tracker.sentences import Sentence, split_sentences

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def settings():
    return Settings(project_dir=ROOT)


@pytest.fixture(scope="module")
def rules(settings):
    return CommitmentRules(settings.commitment_rules)


@pytest.fixture(scope="module")
def lexicon(settings):
    return load_lexicon(settings)


def texts(text):
    return [s.text for s in split_sentences(text)]


# ---------------------------------------------------------------- splitter

def test_splitter_keeps_abbreviations_and_initials_inside_sentences():
    text = ("On Oct. 16, leaders met in the U.S. capital and Dr. J. Smith spoke. "
            "He holds a Ph.D. from Oxford, i.e. a doctorate. Xiaoting (Maya) Liu is Program Manager.")
    assert texts(text) == [
        "On Oct. 16, leaders met in the U.S. capital and Dr. J. Smith spoke.",
        "He holds a Ph.D. from Oxford, i.e. a doctorate.",
        "Xiaoting (Maya) Liu is Program Manager.",
    ]


def test_splitter_ends_sentence_after_acronym_before_sentence_opener():
    assert texts("Tariffs rose in the U.S. The EU followed.") == ["Tariffs rose in the U.S.", "The EU followed."]


def test_splitter_quotes_and_dashes():
    text = "He said “we must grow.” Then growth — slow but steady — came. “Why?” she asked."
    assert texts(text) == ["He said “we must grow.”", "Then growth — slow but steady — came.", "“Why?” she asked."]


def test_splitter_bullets_numbered_items_and_headings():
    text = "Build a modern industrial system\n  • To promote open data.\n- Second item\n1. Third item.\nBody text here."
    sentences = split_sentences(text)
    assert [(s.kind, s.text) for s in sentences] == [
        ("heading", "Build a modern industrial system"),
        ("bullet", "To promote open data."),
        ("bullet", "Second item"),
        ("bullet", "Third item."),
        ("sentence", "Body text here."),
    ]


def test_splitter_offsets_point_into_the_text():
    text = "First one. Second one!\n\n• Third, a bullet.\nA heading line\nLast? Yes."
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


# ---------------------------------------------------------------- detection

POSITIVE = [
    "Xi said China needs to build a modernized industrial system.",
    "First, the document encouraged the private sector's role in co-leading technological breakthroughs and scientific research.",
    "The document indicates that China will both ease the difficulty for foreign enterprises operating in China.",
    "Xi vowed to promote a low-carbon lifestyle.",
    "The communique calls for faster development of the digital economy.",
    "There is an emphasis on promoting the development of the platform economy.",
    "Beijing plans to expand tax credits for research by 2027.",
]

NEGATIVE = [
    "EV exports came in at $34.1 billion in 2023.",
    "Exports of batteries grew by nearly 30 percent in 2023.",
    "The United States severely restricts EV imports with a 27.5 percent tariff.",
    "Canadian governments and businesses should thus pay close attention to the agenda.",
    "Washington will raise tariffs on Chinese solar panels next year.",
    "Nico Han is a researcher at the Wilson Center and the co-founder of two organizations.",
    "Subscribe for full access.",
    "As a result, China is expected to increase strategic exports to the EU.",
    "What technology policies were reiterated in these sessions?",
    "I think the government will struggle, said Doug Fuller, a researcher with Copenhagen Business School.",
    "Last year's Central Economic Work Conference identified self-reliance as a top priority.",
    # what China needs or must do, with nobody in the sentence saying so: the author's reading
    "Beijing needs to let weak banks fail, on this reading.",
    "Officials must now weigh exports against jobs.",
    "If exports slump, the cabinet will face hard choices.",
    "Mr Zhang, an economist at a Hong Kong bank, said the government should cut rates.",
    "The Standing Committee of the legislature met on Monday.",
    # nouns are not verbs; forecasts, hypotheticals and other people's wishes are not commitments
    "The party gave the mayor a swift promotion.",
    "Whether the new premier will change course remains unclear.",
    "The premier made no promises to bondholders.",
    "China will find it harder to grow in the second half.",
    "Households hope that the government will cut mortgage rates.",
    "Mr Chen worries that the property slump will drag on.",
    "President Xi Jinping’s new team will feature loyal aides.",
]


@pytest.mark.parametrize("sentence", POSITIVE)
def test_detects_commitments(rules, sentence):
    decision = rules.decide(Sentence(0, len(sentence), sentence, "sentence"))
    assert decision.is_commitment, decision
    assert decision.cues  # explainable: the cues that fired


@pytest.mark.parametrize("sentence", NEGATIVE)
def test_rejects_non_commitments(rules, sentence):
    decision = rules.decide(Sentence(0, len(sentence), sentence, "sentence"))
    assert not decision.is_commitment, decision


def test_bullet_goal_is_a_commitment_but_heading_is_not(rules):
    bullet = "To promote the opening and sharing of high-quality training data at the national level."
    assert rules.decide(Sentence(0, len(bullet), bullet, "bullet")).is_commitment
    assert not rules.decide(Sentence(0, 10, "Build a modern industrial system", "heading")).is_commitment


def test_exclusion_reason_is_named(rules):
    s = "The United States says China will flood its markets with EVs."  # a cue fires, then the exclusion
    decision = rules.decide(Sentence(0, len(s), s, "sentence"))
    assert not decision.is_commitment
    assert decision.excluded_by and decision.excluded_by.startswith("foreign government")
    assert decision.cues  # --why can say what fired and what excluded it


# ---------------------------------------------------------------- items and topics

def test_list_items_are_split(rules):
    s = ("His speech also emphasized that China should develop integrated clusters of new growth tech areas, such as "
         "next-generation information technology, artificial intelligence, biotech, new energy, new materials, "
         "high-end equipment, and green industry.")
    head, items = rules.items(s)
    assert items == ["next-generation information technology", "artificial intelligence", "biotech", "new energy",
                     "new materials", "high-end equipment", "green industry"]
    assert head.endswith("new growth tech areas")


def test_short_enumeration_without_introducer_is_not_a_list(rules):
    _head, items = rules.items("China will encourage private firms and foreign firms.")
    assert items == []


@pytest.mark.parametrize("text,topic", [
    ("fostering artificial intelligence", "ai"), ("more AI in factories", "ai"),
    ("green energy vehicles", "ev"), ("EVs and batteries", "ev"), ("new energy vehicles", "ev"),
    ("chips", "semiconductors"), ("self-sufficiency in technology", "self_reliance"),
    ("independent innovation", "self_reliance"), ("carbon neutrality", "low_carbon"), ("carbon peaking", "low_carbon"),
    ("privately-owned companies", "private_sector"), ("two-way foreign investment", "opening_up"),
])
def test_topics_map_synonyms_and_abbreviations(lexicon, text, topic):
    assert topic in lexicon.topics_of(text)


def test_lexicon_does_not_read_ai_inside_words_or_it_as_a_topic(lexicon):
    assert "ai" not in lexicon.topics_of("The said aim is maintained")


def test_normalization_makes_synonyms_equal(lexicon):
    assert lexicon.normalize("promote green energy vehicles") == lexicon.normalize("promote new energy vehicles")
    assert lexicon.normalize("develop AI") == lexicon.normalize("develop artificial intelligence")


# ---------------------------------------------------------------- emphasis and merging

def extract(settings, rules, lexicon, *articles):
    cfg = settings.commitment_rules
    return extract_meeting("m", [ArticleText(i, f"a{i}.txt", t) for i, t in enumerate(articles)], rules, lexicon,
                           cfg.merge.threshold, settings.performance.threads)


def test_strong_hedged_and_quantified_language_moves_emphasis(settings, rules, lexicon):
    plain, strong, hedged, target = (
        extract(settings, rules, lexicon, text)[0]
        for text in (
            "China will develop the hydrogen industry.",
            "China will vigorously accelerate the hydrogen industry as a top priority.",
            "China will carefully explore the hydrogen industry step by step.",
            "China will develop the hydrogen industry to 5 percent of output by 2030.",
        )
    )
    assert strong.emphasis > plain.emphasis > hedged.emphasis
    assert target.emphasis == plain.emphasis, "a target is compared as a target, not counted as emphasis"
    assert "top priority" in strong.signals["strong"]
    assert strong.signals["explanation"].startswith(f"{strong.emphasis:.2f} =")


def test_same_commitment_in_two_articles_is_merged_with_both_evidence(settings, rules, lexicon):
    drafts = extract(settings, rules, lexicon,
                     "China will accelerate the development of the digital economy.",
                     "Officials said China will accelerate development of the digital economy.")
    assert len(drafts) == 1
    assert {ev.file for ev in drafts[0].evidence} == {"a0.txt", "a1.txt"}
    assert drafts[0].signals["articles"] == 2
    lone = extract(settings, rules, lexicon, "China will accelerate the development of the digital economy.")[0]
    assert drafts[0].emphasis == lone.emphasis, "corroboration is shown beside emphasis, never added to it"
    assert "stated in 2 sentences from 2 sources (shown, not counted)" in drafts[0].signals["explanation"]


def test_a_long_hedge_counts_once_and_nouns_are_not_cues(settings, rules, lexicon):
    (hedged,) = extract(settings, rules, lexicon,
                        "China will reach peak carbon in a planned and step-by-step manner.")
    assert hedged.signals["hedged"] == ["in a planned and step-by-step manner"]
    assert hedged.emphasis == pytest.approx(0.7)
    (plain,) = extract(settings, rules, lexicon,
                       "China will make breakthroughs in core technologies in key areas and major projects.")
    assert plain.signals["strong"] == [] and plain.emphasis == pytest.approx(1.0)


def test_emphasis_is_the_strongest_statement_not_a_sum(settings, rules, lexicon):
    (merged,) = extract(settings, rules, lexicon,
                        "China will vigorously develop the hydrogen industry.",
                        "Officials said China will develop the hydrogen industry gradually.")
    assert merged.emphasis == pytest.approx(1.3) and merged.signals["strong"] == ["vigorously"]


def test_different_commitments_are_not_merged(settings, rules, lexicon):
    drafts = extract(settings, rules, lexicon,
                     "• To expedite the formulation and review of laws and regulations related to general artificial intelligence.\n"
                     "• To conduct research on humanities and ethics related to AI.")
    assert len(drafts) == 2


def test_commitment_ids_are_stable_and_evidence_offsets_exact(settings, rules, lexicon):
    text = "Background first. China will build more ports by 2030. EV exports came in at $34.1 billion in 2023."
    first = extract(settings, rules, lexicon, text)
    second = extract(settings, rules, lexicon, text)
    assert [d.id for d in first] == [d.id for d in second]
    assert len(first) == 1
    ev = first[0].evidence[0]
    assert text[ev.start:ev.end] == ev.sentence == "China will build more ports by 2030."


def test_gold_not_commitment_sentences_are_never_extracted(tmp_path):
    """Every [[not_commitment]] phrase of the shared gold file, on the sample corpus."""
    import tomllib

    from tracker.db import Commitment, connect
    from tracker.build import build

    gold_path = ROOT / "data" / "gold" / "sample.toml"
    gold = tomllib.loads(gold_path.read_text())
    settings = Settings(project_dir=ROOT, db_url=f"sqlite:///{tmp_path}/t.db", site_dir=tmp_path / "site")
    engine = connect(settings.db_url)
    build(engine, settings, render=False)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        sentences = [ev.sentence.casefold() for c in session.query(Commitment) for ev in c.evidence]
    assert sentences
    for entry in gold["not_commitment"]:
        assert not any(entry["phrase"].casefold() in s for s in sentences), entry["phrase"]


def test_merge_threshold_above_100_switches_merging_off(settings, rules, lexicon):
    text = "China will accelerate the digital economy.\n\nChina will accelerate the digital economy."
    drafts = extract_meeting("m", [ArticleText(0, "a.txt", text)], rules, lexicon, 101, settings.performance.threads)
    assert len(drafts) == 2


# ---------------------------------------------------------------- exact shortcuts (speed only: never a different answer)

import re  # noqa: E402

from hypothesis import HealthCheck, assume, given, settings as hsettings, strategies as st  # noqa: E402

from oracles import reference_decide, reference_merge_pairs, reference_split_line  # noqa: E402
from test_regexscan import TRICKY  # noqa: E402
from tracker.extract import merge_groups, merge_pairs  # noqa: E402

FAST = hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rule_words(settings):
    """Words from the rule file and the test sentences: texts made of them reach the cues."""
    raw = (DEFAULTS_DIR / "commitments.toml").read_text() + " ".join(POSITIVE + NEGATIVE)
    return sorted(set(re.findall(r"[A-Za-z]+", raw)))


@pytest.fixture(scope="module")
def rule_words(settings):
    return _rule_words(settings)


def test_gated_decide_equals_every_pattern_on_the_sample_corpus(rules):
    sentences = [s for path in sorted((ROOT / "data" / "articles").iterdir()) if path.is_file()
                 for s in split_sentences(path.read_text(encoding="utf-8", errors="replace"))]
    sentences += [Sentence(0, len(t), t, kind) for t in POSITIVE + NEGATIVE for kind in ("sentence", "bullet")]
    assert len(sentences) > 100
    for sentence in sentences:
        assert rules.decide(sentence) == reference_decide(rules, sentence), sentence.text


@hsettings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_gated_decide_equals_every_pattern_on_varied_sentences(rules, rule_words, data):
    words = st.one_of(st.sampled_from(rule_words), st.sampled_from(rule_words).map(str.upper),
                      st.text(alphabet=TRICKY, min_size=1, max_size=4), st.sampled_from(["2024", "30%", "$5", "U.S.", "İs", "wıll", "ſhall"]))
    seps = st.sampled_from([" ", " ", " ", ", ", "  ", "\t", "\u00a0", " (", ") ", "-", "’s ", ": ", ". "])
    parts = data.draw(st.lists(st.tuples(words, seps), min_size=1, max_size=18))
    text = "".join(w + s for w, s in parts).strip() + data.draw(st.sampled_from(["", ".", "?", "?”", ":"]))
    assume(text)
    sentence = Sentence(0, len(text), text, data.draw(st.sampled_from(["sentence", "sentence", "bullet", "heading"])))
    assert rules.decide(sentence) == reference_decide(rules, sentence)


@FAST
@given(st.lists(st.lists(st.sampled_from(["digit", "economi", "ai", "chip", "5g", "green", "b", "é", "ai_chip"]),
                         max_size=6).map(" ".join), max_size=14),
       st.sampled_from([40, 62, 75, 88, 95, 100, 101]))
def test_merge_pairs_and_groups_equal_scoring_every_pair(normalized, threshold):
    pairs = reference_merge_pairs(normalized, threshold)
    assert merge_pairs(normalized, threshold, 1) == pairs
    # merge_groups: the connected groups of those pairs
    parent = list(range(len(normalized)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in pairs:
        parent[find(j)] = find(i)
    labels = merge_groups(normalized, threshold, 1)
    for i in range(len(normalized)):
        for j in range(len(normalized)):
            assert (labels[i] == labels[j]) == (find(i) == find(j))


@FAST
@given(st.lists(st.sampled_from(["Dr.", "U.S.", "The", "the", "J.", "etc.", "i.e.", "Oct.", "growth", "Ph.D.",
                                 "It", "2024.", "“Why?”", "(a)", "end!", "x", "China", "…", "A.", "no."]), max_size=25),
       st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2003", " \n"]), min_size=1, max_size=25))
def test_splitter_equals_the_slicing_splitter(words, spaces):
    from tracker.sentences import split_line

    line = "".join(w + spaces[i % len(spaces)] for i, w in enumerate(words)).replace("\n", " ")
    assert split_line(line, 7, "sentence") == reference_split_line(line, 7, "sentence")
    heading = " ".join(words[:15])
    from tracker.sentences import _is_heading

    assert _is_heading(heading) == (0 < len(heading.split()) <= 14 and not re.search(r"[.!?:;,\"”’)]$", heading))
