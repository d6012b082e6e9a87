"""Reading a text the way it is written: official voice and report sections, attribution in news.

Every text here was written for these tests (none is copied from the development corpus).
"""

from pathlib import Path

import pytest

from tracker.config import Settings
from tracker.commitment_rules import CommitmentRules
from tracker.extract import ArticleText, extract_meeting
from tracker.lexicon import load_lexicon
from tracker.reading import FORWARD, NEWS, OFFICIAL, OPENING, REVIEW
from tracker.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]

# A made-up report in the shape of a premier's report: delivery line, salutation, a review of
# last year, this year's targets and tasks, a closing exhortation.
REPORT = """Delivered at the Fifth Session of the 15th National People's Congress on March 5, 2031

Fellow Deputies,

On behalf of the State Council, I now submit this report for your review.

I. Review of Our Work in 2030

We cut red tape and opened more sectors to investment. We will always remember the support of the people. GDP grew by about 5.2 percent. Grain output reached 700 million metric tons.

II. Targets and Policies for 2031

The main targets for this year are: GDP growth of around 5 percent; about 12 million new urban jobs. Consumer prices are projected to rise by around 2 percent. We must keep the economy running within a reasonable range. It is necessary for local governments to stop hidden borrowing. Development remains the foundation of everything we do.

III. Tasks for 2031

1. Expanding domestic demand and boosting consumption

We will raise basic pensions for retirees. Rural roads will be upgraded in every county. Governments at all levels and their officials must practise strict economy. Services are where we will find new jobs. This will mean faster growth of household income.

2. Modernizing agriculture

Our goal is to keep grain output above 650 million metric tons. China wishes to join talks on a fisheries pact.

Fellow Deputies,

Let us unite and strive to fulfill this year's targets.
"""

OFFICIAL_TRUE = [
    "The main targets for this year are: GDP growth of around 5 percent; about 12 million new urban jobs.",
    "Consumer prices are projected to rise by around 2 percent.",
    "We must keep the economy running within a reasonable range.",
    "It is necessary for local governments to stop hidden borrowing.",
    "Expanding domestic demand and boosting consumption",
    "We will raise basic pensions for retirees.",
    "Rural roads will be upgraded in every county.",
    "Governments at all levels and their officials must practise strict economy.",
    "This will mean faster growth of household income.",
    "Modernizing agriculture",
    "Our goal is to keep grain output above 650 million metric tons.",
    "China wishes to join talks on a fisheries pact.",
]
OFFICIAL_FALSE = [
    "On behalf of the State Council, I now submit this report for your review.",
    "We cut red tape and opened more sectors to investment.",
    "We will always remember the support of the people.",  # "will", but in the review
    "GDP grew by about 5.2 percent.",
    "Grain output reached 700 million metric tons.",
    "Development remains the foundation of everything we do.",
    "Services are where we will find new jobs.",
    "Let us unite and strive to fulfill this year's targets.",
    "III. Tasks for 2031",
]


@pytest.fixture(scope="module")
def rules():
    return CommitmentRules(Settings(project_dir=ROOT).commitment_rules)


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(Settings(project_dir=ROOT))


def extracted(rules, lexicon, text, title="", year=None):
    drafts = extract_meeting("m", [ArticleText(1, "a.txt", text, title, year)], rules, lexicon, 88, 1)
    return [ev.sentence for d in drafts for ev in d.evidence]


def decisions(rules, text, title=""):
    reading = rules.reading.read(title, text)
    return {s.text: rules.decide(s, reading) for s in split_sentences(text)}


# ---------------------------------------------------------------- voice and sections

def test_a_report_in_the_governments_own_voice_is_official(rules):
    reading = rules.reading.read("Report on the Work of the Government", REPORT)
    assert reading.voice == OFFICIAL
    assert "Report on the Work of the Government" in reading.voice_reason
    assert rules.reading.read("", REPORT).voice == OFFICIAL  # the delivery line alone suffices


def test_a_news_article_quoting_a_delivery_line_is_not_official(rules):
    news = ("Delivered at the start of the session, the speech was short.\n\n"
            "Analysts said the premier sounded cautious. Markets barely moved.")
    assert rules.reading.read("A cautious speech", news).voice == NEWS


def test_sections_of_a_report_are_review_forward_and_opening(rules):
    reading = rules.reading.read("", REPORT)
    modes = [(s.title, s.mode) for s in reading.sections]
    assert modes == [("", OPENING), ("I. Review of Our Work in 2030", REVIEW),
                     ("II. Targets and Policies for 2031", FORWARD), ("III. Tasks for 2031", FORWARD)]


@pytest.mark.parametrize("heading, year, mode", [
    ("Our Work in 2030", 2031, REVIEW),  # only a year before the document's own
    ("Our Work in 2031", 2031, FORWARD),
    ("Review of the Past Five Years", 2031, REVIEW),
    ("Major Achievements of the Last Plan Period and Targets for the Next", 2031, FORWARD),  # tense decides
    ("Improving the Government's Performance", 2031, FORWARD),
    ("A Review of Work in 2030", None, REVIEW),
])
def test_heading_modes(rules, heading, year, mode):
    assert rules.reading.heading_mode(heading, year) == mode


def test_document_year_comes_from_the_delivery_line(rules):
    assert rules.reading.document_year("Report", REPORT) == 2031


# ---------------------------------------------------------------- official voice

def test_official_report_commitments_and_non_commitments(rules, lexicon):
    found = extracted(rules, lexicon, REPORT, "Report on the Work of the Government")
    for sentence in OFFICIAL_TRUE:
        assert sentence in found, sentence
    for sentence in OFFICIAL_FALSE:
        assert sentence not in found, sentence


def test_official_decisions_say_why(rules):
    by_text = decisions(rules, REPORT)
    assert by_text["We will always remember the support of the people."].excluded_by.startswith("in the review section")
    assert "speaker 'We' + 'will'" in by_text["We will raise basic pensions for retirees."].cues
    assert any(c.startswith("passive future") for c in by_text["Rural roads will be upgraded in every county."].cues)
    assert any(c.startswith("task heading") for c in by_text["Modernizing agriculture"].cues)
    assert by_text["Services are where we will find new jobs."].excluded_by.startswith("description")


def test_past_figure_is_not_a_target_but_a_future_figure_is(rules):
    text = REPORT.replace("Development remains the foundation of everything we do.",
                          "Industrial output rose by about 6 percent in the first months. The deficit will be 3.1 trillion yuan.")
    by_text = decisions(rules, text)
    assert not by_text["Industrial output rose by about 6 percent in the first months."].is_commitment
    assert by_text["The deficit will be 3.1 trillion yuan."].is_commitment
    forecast = REPORT.replace("Development remains the foundation of everything we do.",
                              "The number of retirees will reach 300 million.")
    assert not decisions(rules, forecast)["The number of retirees will reach 300 million."].is_commitment


def test_we_is_the_author_in_news(rules, lexicon):
    news = ("China's parliament opened on Tuesday.\n\n"
            "We should not expect much from this year's budget. The premier said China will cut taxes for small firms.")
    found = extracted(rules, lexicon, news, "Parliament opens")
    assert "We should not expect much from this year's budget." not in found
    assert "The premier said China will cut taxes for small firms." in found


# ---------------------------------------------------------------- news: attribution and cue words

def test_commit_does_not_fire_inside_committee(rules):
    by_text = decisions(rules, "The Standing Committee of the legislature met in Beijing on Monday.")
    assert not any(d.is_commitment for d in by_text.values())


def test_continued_to_is_past_not_a_pledge(rules):
    by_text = decisions(rules, "China continued to buy soybeans from Brazil last year.")
    assert not any(d.is_commitment for d in by_text.values())


def test_pronoun_subject_is_the_last_named_actor_within_the_paragraph(rules, lexicon):
    news = ("The communique was released after the four-day meeting. It calls for a unified national market.\n\n"
            "It was a cold week in the capital. It calls for warm coats, the weather bureau noted.")
    found = extracted(rules, lexicon, news, "After the plenum")
    assert "It calls for a unified national market." in found
    assert "It calls for warm coats, the weather bureau noted." not in found


def test_reported_speech_goes_on_into_the_next_sentence_with_would(rules, lexicon):
    news = ("The premier said China would widen access to its bond market next year. "
            "It would also pursue closer ties with its neighbours.\n\n"
            "Analysts said exports would suffer. It would hurt growth.\n\n"
            "The plenum met in July. It would be wrong to expect much.")
    found = extracted(rules, lexicon, news, "After the session")
    assert "It would also pursue closer ties with its neighbours." in found
    assert "It would hurt growth." not in found  # nobody stated a policy before it
    assert "It would be wrong to expect much." not in found  # not after reported speech


def test_forward_clause_attributed_to_a_leader_at_the_end(rules, lexicon):
    news = "Science spending must rise faster than the economy, Xi said on Friday."
    assert news in extracted(rules, lexicon, news, "Xi on science")
    assert news not in extracted(rules, lexicon, "Science spending must rise faster than the economy, a banker said on Friday.", "x")


def test_delegates_proposals_are_not_the_meetings_commitments(rules, lexicon):
    news = "An NPC delegate proposed that the government should build more charging stations."
    assert extracted(rules, lexicon, news, "Delegates' ideas") == []


def test_list_items_run_into_a_paragraph_are_split_with_exact_offsets():
    text = "The tasks are as follows: --keep prices stable; --create jobs for graduates. The reasons are: -- There is pressure on wages. A well-known a--b dash stays."
    pieces = split_sentences(text)
    assert [(p.kind, p.text) for p in pieces] == [
        ("sentence", "The tasks are as follows:"),
        ("bullet", "keep prices stable;"),
        ("bullet", "create jobs for graduates."),
        ("sentence", "The reasons are:"),
        ("bullet", "There is pressure on wages."),
        ("sentence", "A well-known a--b dash stays."),
    ]
    for p in pieces:
        assert text[p.start:p.end] == p.text


def test_list_items_of_a_forward_section_are_tasks_unless_they_describe_or_look_back(rules, lexicon):
    report = REPORT.replace(
        "Development remains the foundation of everything we do.",
        "The requirements for this year are: --keep prices stable; --create jobs for graduates. "
        "The risks are: -- There is slack in the labour market. -- Export growth was weak last year.")
    found = extracted(rules, lexicon, report, "Report on the Work of the Government")
    assert "keep prices stable;" in found and "create jobs for graduates." in found
    assert "There is slack in the labour market." not in found
    assert "Export growth was weak last year." not in found


def test_a_stated_focus_is_a_goal(rules):
    report = REPORT.replace("Development remains the foundation of everything we do.",
                            "The focus will be on cutting taxes for small firms.")
    assert decisions(rules, report)["The focus will be on cutting taxes for small firms."].is_commitment


def test_commitments_of_a_report_know_their_section_and_numbered_part(rules, lexicon):
    drafts = extract_meeting("m", [ArticleText(1, "a.txt", REPORT, "Report", 2031)], rules, lexicon, 88, 1)
    sections = {d.text: d.signals.get("section") for d in drafts}
    assert sections["We will raise basic pensions for retirees."] == \
        "III. Tasks for 2031 › 1. Expanding domestic demand and boosting consumption"
    assert sections["Our goal is to keep grain output above 650 million metric tons."] == \
        "III. Tasks for 2031 › 2. Modernizing agriculture"
    assert sections["We must keep the economy running within a reasonable range."] == "II. Targets and Policies for 2031"
    news = extract_meeting("m", [ArticleText(2, "n.txt", "The plenum called for a unified market.", "News")],
                           rules, lexicon, 88, 1)
    assert "section" not in news[0].signals


@pytest.mark.parametrize("sentence", [
    "The premier unveiled an inflation goal of about 2.5% for the year.",
    "Mr Wang said the government would extend free school meals to 30 counties.",
    "A draft plan said science funding should grow by 8% next year.",
    "He also mentioned a programme to train rural doctors.",
    "The government reckons China must train 2m more nurses over the next year.",
])
def test_reported_targets_and_speech_of_officials_in_news(rules, sentence):
    from tracker.sentences import Sentence

    decision = rules.decide(Sentence(0, len(sentence), sentence, "sentence"), None, "the premier")
    assert decision.is_commitment, decision


def test_a_bullet_line_is_an_item_then_prose():
    text = "-- We should keep prices stable. Prices rose last year.\n• Build roads. They help."
    assert [(p.kind, p.text) for p in split_sentences(text)] == [
        ("bullet", "We should keep prices stable."), ("sentence", "Prices rose last year."),
        ("bullet", "Build roads."), ("sentence", "They help."),
    ]


@pytest.mark.parametrize(("override", "message"), [
    # [[official.cue]] has no ids: the project's list replaces the packaged one.
    ("[[official.cue]]\nname = \"broken\"\npattern = '(unclosed'\n",
     "[official.cue #1] pattern: not a valid regular expression (missing ), unterminated subpattern"),
    ("[detection]\nactor = ['the state']\n", "[detection] actor: unknown key (did you mean actors?)"),
    ("[official]\nspeaker_window = 'two'\n", "[official] speaker_window: expected a whole number, got 'two'"),
])
def test_a_broken_rule_file_is_a_clear_config_error(tmp_path, override, message):
    """A project's commitments.toml that breaks the merged rules: one line naming it and the key."""
    from tracker.toml_files import ConfigError

    path = tmp_path / "commitments.toml"
    path.write_text(override, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Settings(project_dir=tmp_path).commitment_rules
    assert str(err.value).startswith(f"{path}: {message}") and "\n" not in str(err.value)


READOUT = """Leaders map out work for the second half

BEIJING, July 29, 2031 -- The Political Bureau of the Central Committee held a meeting on Tuesday to study the economy.

The meeting noted that output has grown steadily since January.

It is necessary to expand domestic demand and steady foreign trade, the meeting said.

Efforts should be made to defuse risks in property and local debt, according to the meeting.

The meeting stressed that employment must be kept stable, and urged efforts to help small firms.
"""


def test_an_official_readout_speaks_for_the_meeting(rules, lexicon):
    reading = rules.reading.read("Leaders map out work", READOUT)
    assert reading.voice == "readout", reading.voice_reason
    found = extracted(rules, lexicon, READOUT, "Leaders map out work")
    assert "It is necessary to expand domestic demand and steady foreign trade, the meeting said." in found
    assert "Efforts should be made to defuse risks in property and local debt, according to the meeting." in found
    assert "The meeting noted that output has grown steadily since January." not in found


def test_a_news_story_that_mentions_a_meeting_once_is_not_a_readout(rules):
    news = ("Markets rose after the meeting. The meeting said little about property. Traders were calm.\n\n"
            "Analysts expect more support later in the year, and banks are cautious.")
    assert rules.reading.read("Markets", news).voice == "news"
