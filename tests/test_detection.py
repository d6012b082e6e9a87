"""Meeting detection on short articles written for these tests (not the sample corpus)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from storage_scenarios import FIFTH_PLENUM_ARTICLE, check_inferred_meeting
from tracker.articles import parse_article
from tracker.detection import Assignment, detect_meeting


@pytest.fixture
def detect(rules, catalog, kinds):
    def run(raw: str, file: str = "article.txt") -> Assignment:
        parsed = parse_article(raw.encode(), file, rules)
        return detect_meeting(parsed.title, parsed.text, parsed.meta, catalog, kinds, rules)

    return run


def test_19th_party_congress(detect):
    a = detect(
        "Xi opens the 19th Party Congress with a three-hour speech\n\n"
        "Xi Jinping opened the 19th National Congress of the Communist Party of China in Beijing on "
        "October 18, 2017, with a report that promised a new era for the country.\n\n"
        "Delegates heard the general secretary set goals for 2035 and for the middle of the century.\n"
    )
    assert a.meeting_id == "cpc-19-congress"
    assert a.date == dt.date(2017, 10, 18)
    assert a.new_meeting is None
    assert "19th Party Congress" in a.reason


def test_2019_central_economic_work_conference_by_its_date(detect):
    a = detect(
        "What the Central Economic Work Conference said about growth\n\n"
        "China's leaders wrapped up the annual Central Economic Work Conference on December 12, 2019, "
        "pledging to keep growth within a reasonable range next year.\n\n"
        "The meeting called for stable employment and a proactive fiscal policy.\n"
    )
    assert a.meeting_id == "cewc-2019"
    assert a.date == dt.date(2019, 12, 12)


def test_article_naming_no_meeting_has_no_meeting_and_says_why(detect):
    a = detect(
        "Rain floods farmland in southern province\n\n"
        "Heavy rain has flooded thousands of hectares of farmland, local officials said on Tuesday.\n\n"
        "Rescue teams were sent to the worst-hit villages.\n"
    )
    assert a == Assignment(None, None, "no meeting named or implied")


def test_generic_mention_without_any_date_is_ambiguous(detect):
    a = detect("Plenum notes\n\nThe Third Plenum is expected to focus on reform.\n")
    assert a.meeting_id is None
    assert a.reason.startswith("ambiguous: 'Third Plenum' could be")


def test_subject_meeting_beats_a_passing_reference(detect):
    a = detect(
        "Beijing doubles down on consumption at the 2024 Two Sessions\n\n"
        "Premier Li Qiang told delegates at the 2024 Two Sessions in Beijing that boosting household "
        "consumption is the top task for the year.\n\n"
        "The message repeated a theme of the previous Central Economic Work Conference, which had urged "
        "families to spend more, and of the Central Economic Work Conference before it.\n\n"
        "The Central Economic Work Conference sets the economic agenda for the year ahead.\n"
    )
    assert a.meeting_id == "two-sessions-2024"
    assert "looking back" not in a.reason.split(" (others:")[0]


def test_passing_reference_named_in_full_loses_to_a_generic_subject(detect):
    # Counted plainly, the fully named CEWC (2.0) would beat the generic "Two Sessions" (1.2).
    a = detect(
        "Consumption takes centre stage\n\n"
        "Following the 2023 Central Economic Work Conference, delegates at the Two Sessions in March 2024 "
        "made household consumption their first priority.\n"
    )
    assert a.meeting_id == "two-sessions-2024"
    assert "(others: cewc-2023" in a.reason


def test_passing_reference_in_the_lead_does_not_win_over_the_title(detect):
    a = detect(
        "Third Plenum of the 20th Central Committee ends with a reform resolution\n\n"
        "Since the 20th Party Congress, reform has slowed; the plenum in July 2024 promised to speed it up.\n"
    )
    assert a.meeting_id == "cpc-20-cc-3-plenum"


def test_generic_third_plenum_in_mid_july_is_2024s(detect):
    a = detect(
        "Third Plenum pledges deeper reform\n\n"
        "When the Third Plenum met in mid-July, the Central Committee adopted a resolution on further "
        "deepening reform.\n\n"
        "The resolution lists more than 300 reform measures to be completed by 2029.\n"
    )
    assert a.meeting_id == "cpc-20-cc-3-plenum"
    assert "the dates in the text fit" in a.reason


def test_generic_third_plenum_in_november_2013_is_the_18th_central_committees(detect):
    a = detect(
        "The Third Plenum that launched a reform era\n\n"
        "The Third Plenum, held in November 2013, promised to let the market play a decisive role in "
        "allocating resources.\n\n"
        "Analysts still measure later reforms against that decision.\n"
    )
    assert a.meeting_id == "cpc-18-cc-3-plenum"


@pytest.mark.parametrize("year", [2019, 2023])
def test_government_work_report_with_a_year_is_that_years_two_sessions(detect, year):
    a = detect(
        "Premier sets growth target\n\n"
        f"In the {year} government work report, the premier set a growth target of around 5 percent.\n\n"
        "The report also promised to stabilise the property market.\n"
    )
    assert a.meeting_id == f"two-sessions-{year}"
    assert "government work report" in a.reason


def test_day_without_a_year_is_resolved_against_the_meeting(detect):
    a = detect(
        "Key takeaways from the 20th Party Congress\n\n"
        "On Oct. 19, delegates to the 20th Party Congress spent the day in small groups, discussing the "
        "general secretary's long speech.\n\n"
        "Delegates approved amendments to the party constitution at the close of the meeting.\n"
    )
    assert a.meeting_id == "cpc-20-congress"
    assert a.date == dt.date(2022, 10, 19)


def test_stated_date_outside_the_meeting_is_not_its_date(detect):
    a = detect(
        "Looking back at the 20th Party Congress\n\n"
        "On March 3, analysts reviewed the 20th Party Congress and its report.\n"
    )
    assert a.meeting_id == "cpc-20-congress"
    assert a.date is None


def test_front_matter_meeting_and_date_win(detect):
    a = detect(
        "---\nmeeting: third plenum of the 18th central committee\ndate: 2013-11-12\n---\n"
        "Notes on the 20th Party Congress\n\nThe 20th Party Congress opened on October 16, 2022.\n"
    )
    assert a.meeting_id == "cpc-18-cc-3-plenum"
    assert a.date == dt.date(2013, 11, 12)
    assert a.reason == "front matter names 'third plenum of the 18th central committee'"


def test_meeting_missing_from_the_catalog_is_inferred_with_its_dates(detect, catalog):
    assert "cpc-20-cc-5-plenum" not in {m.id for m in catalog}
    a = detect(FIFTH_PLENUM_ARTICLE)
    assert a.meeting_id == "cpc-20-cc-5-plenum"
    assert a.new_meeting is not None
    assert a.new_meeting.inferred is True
    assert a.new_meeting.id == "cpc-20-cc-5-plenum"
    assert a.new_meeting.kind == "plenum"
    assert (a.new_meeting.start, a.new_meeting.end) == (dt.date(2026, 10, 20), dt.date(2026, 10, 23))
    assert a.new_meeting.name == "Fifth Plenary Session of the 20th Central Committee of the Communist Party of China"
    assert a.date == dt.date(2026, 10, 20)
    assert a.reason.startswith("inferred meeting not in the catalog")


def test_catalog_meeting_with_its_dates_is_not_inferred(detect):
    a = detect(
        "Fourth Plenum closes\n\n"
        "The Fourth Plenum of the 20th Central Committee was held in Beijing from October 20 to 23, 2025.\n"
    )
    assert a.meeting_id == "cpc-20-cc-4-plenum"
    assert a.new_meeting is None
    assert a.date == dt.date(2025, 10, 20)


def test_inferred_meeting_is_stored_by_ingest(settings):
    check_inferred_meeting(settings)


# ---------------------------------------------------------------- reading texts as an analyst does


def test_delivery_line_beats_the_congress_the_report_implements(detect):
    # The body names the party congress it implements again and again; the delivery line says
    # where the report was given.
    a = detect(
        "REPORT ON THE WORK OF THE GOVERNMENT\n\n"
        "Delivered at the Second Session of the 13th National People's Congress on March 5, 2019\n\n"
        "Deputies, over the past twelve months we kept to the course charted by the 19th National Congress of "
        "the Communist Party of China.\n\n"
        "The 19th Party Congress set out the path; the 19th Party Congress also set our goals for 2035.\n\n"
        "Guided by the 19th CPC National Congress, we will keep growth steady this year.\n"
    )
    assert a.meeting_id == "two-sessions-2019"
    assert "heading" in a.reason and "decides" in a.reason
    assert a.date == dt.date(2019, 3, 5)


def test_session_number_resolves_through_the_catalog(detect):
    a = detect("Work report\n\nPresented at the Fifth Session of the 12th NPC on March 5, 2017\n\nDeputies, we will work hard.\n")
    assert a.meeting_id == "two-sessions-2017"


def test_session_number_beyond_the_catalog_is_counted_from_it(detect):
    # One session a year, five a term: the First Session of the 15th NPC falls in 2028.
    a = detect("Work report\n\nDelivered at the First Session of the 15th National People's Congress on March 5, 2028\n\n"
               "Deputies, we will work hard this year.\n")
    assert a.meeting_id == "two-sessions-2028" and a.new_meeting is not None
    b = detect("Work report\n\nDelivered at the First Session of the 15th National People's Congress on March 5, 2031\n\n"
               "Deputies, we will work hard this year.\n")
    assert b.meeting_id != "two-sessions-2031"  # the numbers say 2028, the date says 2031: not inferred


def test_dates_about_the_past_do_not_decide(detect):
    # 2019 and 2021 are told in the past tense; the growth target is bound to 2022.
    a = detect(
        "Beijing aims low\n\n"
        "Delegates gathered for the annual session of parliament in the capital.\n\n"
        "Back in 2019 the economy grew quickly, and exports rose sharply in 2021.\n\n"
        "The premier set a growth target of around 5.5% for 2022, the work report said.\n"
    )
    assert a.meeting_id == "two-sessions-2022"


def test_past_dates_alone_leave_the_meeting_open(detect):
    a = detect(
        "Parliament meets\n\n"
        "The annual session of parliament opened in Beijing with little fanfare.\n\n"
        "Exports fell sharply in 2019, and investment slowed in 2018.\n"
    )
    assert a.meeting_id is None
    assert a.reason.startswith("ambiguous")


def test_future_year_bound_target_points_to_the_meeting_that_sets_it(detect):
    # A December conference shapes the next year's targets: "the growth target for 2020" means
    # the 2019 Central Economic Work Conference, not the 2020 one.
    a = detect(
        "Leaders prepare for a year of slower growth\n\n"
        "Party leaders are expected to convene the Central Economic Work Conference within days. What they agree "
        "there shapes the growth target for 2020, to be announced next spring.\n\n"
        "Economists think hitting that number will be tougher in 2020.\n"
    )
    assert a.meeting_id == "cewc-2019"


def test_text_that_contrasts_itself_with_an_earlier_meeting_is_not_about_it(detect):
    a = detect(
        "A plenum of small steps\n\n"
        "When the Third Plenum met in mid-July, the Central Committee promised to finish its reforms by 2029.\n\n"
        "Unlike the 2013 plenum, which had promised to let markets play a decisive role, this one offered few "
        "surprises.\n\n"
        "Back at the Third Plenum of the 18th Central Committee, hopes had run high.\n"
    )
    assert a.meeting_id == "cpc-20-cc-3-plenum"
    assert "cpc-18-cc-3-plenum" not in a.reason.split(" (others:")[0]


def test_publication_date_places_a_preview_before_its_conference(detect):
    # Published days before the December 2021 conference: about it, not about the 2022 one.
    a = detect(
        "---\ndate: 2021-12-02\n---\n"
        "What to expect from the Central Economic Work Conference\n\n"
        "China's leaders gather soon for their annual economic meeting, the Central Economic Work Conference.\n\n"
        "Investors hope for more support for the property market.\n"
    )
    assert a.meeting_id == "cewc-2021"


def test_dateline_is_a_publication_date(detect):
    a = detect(
        "Premier opens parliament\n\n"
        "BEIJING, March 5, 2018 (Newswire) - The premier opened the annual meeting of parliament with a pledge "
        "to cut overcapacity.\n\n"
        "Delegates will vote on a constitutional amendment later in the session.\n"
    )
    assert a.meeting_id == "two-sessions-2018"


def test_weekday_with_a_yearless_date_picks_the_year(detect):
    # March 5 fell on a Tuesday in 2019 and 2024; the premier's name rules out 2019.
    a = detect(
        "Growth goal unveiled\n\n"
        "Premier Li Qiang read out the growth goal to the annual session of parliament on Tuesday, March 5.\n"
    )
    assert a.meeting_id == "two-sessions-2024"


def test_wire_dateline_weekday_picks_the_year(detect):
    # "BEIJING, March 5 (...) - ... on Wednesday": March 5 was a Wednesday in 2025, not in 2024 or 2026.
    a = detect(
        "Growth goal kept\n\n"
        "BEIJING, March 5 (Newswire) - China kept its growth goal for this year unchanged, Premier Li Qiang said "
        "on Wednesday at the opening of the annual parliamentary meeting.\n"
    )
    assert a.meeting_id == "two-sessions-2025"


def test_deadline_points_to_the_meeting_a_few_years_before_it(detect):
    # Three Third Plenums in the catalog (2013, 2018, 2024): only 2024's is within a few years of 2029.
    a = detect("Plenum wraps up\n\nThe Third Plenum ended with a pledge to complete more than 300 reforms by 2029.\n")
    assert a.meeting_id == "cpc-20-cc-3-plenum"


def test_meeting_end_day_decides(detect):
    # March 15 falls inside the 2018 and 2019 sessions (those not before 2018, spoken of as past),
    # but only the 2019 session ended on it.
    a = detect(
        "Lawmakers wrap up\n\n"
        "The annual session of parliament, which ends on March 15th, has passed a law on foreign investment.\n\n"
        "A survey carried out in 2018 found many firms uneasy about the rules.\n"
    )
    assert a.meeting_id == "two-sessions-2019"


def test_office_holder_places_the_text_in_a_term(detect):
    # "Outgoing" premier Li Keqiang: the end of his term, the 2023 session.
    a = detect(
        "A cautious target\n\n"
        "Li Keqiang, the outgoing premier, gave a short and sober speech to the National People's Congress on "
        "March 5th.\n"
    )
    assert a.meeting_id == "two-sessions-2023"


def test_politburo_readout_without_a_year_is_not_reported_as_naming_no_meeting(detect):
    a = detect(
        "Leaders review the economy\n\n"
        "The Political Bureau of the CPC Central Committee held a meeting on April 29 to analyse the economic "
        "situation.\n"
    )
    assert a.meeting_id is None
    assert a.reason != "no meeting named or implied"
    # Two catalog meetings fell on April 29 (2016 and 2022): both are left open, and said.
    assert set(a.candidates) == {"politburo-2016-04", "politburo-2022-04"}
    assert "politburo-2016-04" in a.reason and "politburo-2022-04" in a.reason


def test_politburo_readout_of_a_catalog_meeting(detect):
    a = detect(
        "Leaders review the economy\n\n"
        "The Political Bureau of the CPC Central Committee held a meeting on July 24 to plan economic work for "
        "the second half of the year. Growth slowed in the second quarter of 2023, official data showed.\n"
    )
    assert a.meeting_id == "politburo-2023-07"
    assert a.date == dt.date(2023, 7, 24)


def test_politburo_readout_with_a_dateline_is_inferred(detect):
    a = detect(
        "Leaders review the economy\n\n"
        "BEIJING, April 27, 2032 (Newswire) -- The Political Bureau of the CPC Central Committee held a meeting on "
        "Tuesday to analyse the current economic situation.\n"
    )
    assert a.meeting_id == "politburo-2032-04"
    assert a.new_meeting is not None and a.new_meeting.kind == "politburo"
    assert a.new_meeting.start == a.new_meeting.end == dt.date(2032, 4, 27)


@pytest.mark.parametrize(("sentence", "kind", "meeting_id"), [
    ("Premier Zhang chaired a State Council executive meeting on June 14, 2030, which approved new measures.",
     "state_council_executive", "state-council-executive-2030-06-14"),
    ("The Central Rural Work Conference was held in Beijing from December 18 to 19, 2029.",
     "central_rural_work_conference", "central-rural-work-conference-2029"),
    ("The Central Conference on Work Relating to Foreign Affairs was held in Beijing on December 27 and 28, 2029.",
     "central_foreign_affairs_conference", "central-foreign-affairs-conference-2029"),
    ("The Central Financial Work Conference was held in Beijing from October 30 to 31, 2029.",
     "central_financial_work_conference", "central-financial-work-conference-2029"),
    ("Xi chaired the fifth meeting of the Central Financial and Economic Affairs Commission on May 5, 2029.",
     "cfeac", "cfeac-2029-05-05"),
    ("The Political Bureau held its 20th group study session on February 21, 2029.",
     "politburo_study", "politburo-study-2029-02-21"),
])
def test_other_kinds_of_meeting_are_inferred_from_their_dates(detect, sentence, kind, meeting_id):
    a = detect(f"Meeting notes\n\n{sentence}\n")
    assert a.meeting_id == meeting_id
    assert a.new_meeting is not None and a.new_meeting.kind == kind


def test_other_kind_without_a_date_is_said_to_be_undated(detect):
    a = detect("Cabinet moves\n\nA State Council executive meeting approved new measures for farmers.\n")
    assert a.meeting_id is None
    assert "state council executive meeting" in a.reason and "no date" in a.reason


def test_ambiguous_text_is_unassigned_with_its_candidates(detect):
    # "In March" and the Two Sessions, and nothing that says which year.
    a = detect("Notes from the Two Sessions\n\nThe Two Sessions met in March and heard the work report.\n")
    assert a.meeting_id is None
    assert a.reason.startswith("ambiguous:")
    assert "two-sessions-2013" in a.reason


def test_unassigned_article_is_listed_under_its_candidates_by_show(tmp_path):
    from typer.testing import CliRunner

    from tracker.cli import app

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "readout.txt").write_text(
        "Leaders review the economy\n\nThe Political Bureau of the CPC Central Committee held a meeting on April 29 "
        "to analyse the economic situation and economic work.\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path}/t.db"
    runner = CliRunner()
    built = runner.invoke(app, ["build", "--no-site", "--articles", str(articles), "--db", db, "--format", "json"])
    assert built.exit_code == 0, built.output
    report = json.loads(built.stdout)
    assert report["unassigned"][0]["file"] == "readout.txt"
    assert "politburo-2022-04" in report["unassigned"][0]["reason"]
    shown = runner.invoke(app, ["show", "politburo-2022-04", "--db", db, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert [a["file"] for a in json.loads(shown.stdout)["unassigned_candidate_of"]] == ["readout.txt"]


# ---------------------------------------------------------------- bad catalog and rule input


def test_catalog_accepts_a_source_field(catalog):
    politburo = [m for m in catalog if m.kind == "politburo"]
    assert politburo and all(m.source for m in politburo)
    assert all(m.start == m.end and m.start.month in (4, 7, 9, 12) for m in politburo)


@pytest.mark.parametrize(("entry", "message"), [
    ({"id": "x", "name": "X", "kind": "politburo", "start": "2020-01-01", "end": "2020-01-01"}, "must be dates"),
    ({"id": "x", "name": "X", "kind": "politburo", "start": dt.date(2020, 1, 2)}, "lacks end"),
    ({"id": "x", "name": "X", "kind": "politburo", "start": dt.date(2020, 1, 2), "end": dt.date(2020, 1, 1)}, "before start"),
    ({"id": "x", "name": "X", "kind": "politburo", "start": dt.date(2020, 1, 1), "end": dt.date(2020, 1, 1), "sourse": "typo"},
     "unknown field"),
    ({"id": "x", "name": "X", "kind": "politburo", "start": dt.date(2020, 1, 1), "end": dt.date(2020, 1, 1), "aliases": "a"},
     "aliases must be a list"),
])
def test_malformed_catalog_entry_is_a_clear_config_error(entry, message):
    from tracker.toml_files import ConfigError
    from tracker.meetings import load_catalog

    with pytest.raises(ConfigError, match=message):
        load_catalog({"meeting": [entry]})


@pytest.mark.parametrize(("override", "message"), [
    ("[detection]\nheading_cue = '('\n",
     "[detection] heading_cue: not a valid regular expression (missing ), unterminated subpattern at position 0)"),
    ("[detection]\ntitle_weight = 'heavy'\n", "[detection] title_weight: expected a number, got 'heavy'"),
    ("[detection]\ntitel_weight = 4.0\n", "[detection] titel_weight: unknown key (did you mean title_weight?)"),
    # [[detection.recognizer]] and [[detection.officeholder]] have no ids: the project's list
    # replaces the packaged one, so an entry of it can lack a key.
    ('[[detection.recognizer]]\nkind = "plenum"\n', "[detection.recognizer #1] pattern: missing"),
    ("[[detection.recognizer]]\nkind = \"party_congress\"\npattern = '\\b(?P<session>ORD)'\n",
     "[detection.recognizer #1] pattern: unknown group(s) session (known: congress, cc, plenum, npc, npc_session, year, month)"),
    ("[[detection.officeholder]]\nname = \"Wen Jiabao\"\nfrom = '2003-03-16'\n",
     "[detection.officeholder #1] from: expected a date written YYYY-MM-DD (no quotes), got '2003-03-16'"),
])
def test_bad_detection_rule_is_a_clear_config_error(tmp_path, override, message):
    """A project's rules.toml that breaks the merged rules: one line naming it and the key."""
    from tracker.config import Settings
    from tracker.toml_files import ConfigError

    (tmp_path / "rules.toml").write_text(override, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Settings(project_dir=tmp_path).rules
    assert str(err.value) == f"{tmp_path / 'rules.toml'}: {message}"


def _run(project, *args: str):
    from typer.testing import CliRunner

    from tracker.cli import app

    # COLUMNS: a narrow terminal; a message is one line however long (soft wrap).
    return CliRunner(env={"COLUMNS": "40"}).invoke(app, [*args, "--project", str(project)])


def _stored(project) -> tuple:
    """What the database holds (as SQL: in WAL mode the file's bytes change when a later
    connection checkpoints the log, with the same content) and the site's files."""
    import sqlite3

    site = project / "site"
    connection = sqlite3.connect(project / "tracker.db")
    try:
        stored = list(connection.iterdump())
    finally:
        connection.close()
    return stored, sorted((p.relative_to(site), p.read_bytes()) for p in site.rglob("*") if p.is_file())


def _topic_count() -> int:
    from tracker.config import DEFAULTS_DIR
    from tracker.toml_files import load_toml

    return len(load_toml(DEFAULTS_DIR / "topics.toml")["topic"])


@pytest.mark.parametrize(("file", "override", "message"), [
    ("rules.toml", "[detection]\nheading_cue = '('\n", "[detection] heading_cue: not a valid regular expression"),
    ("rules.toml", "[detection]\ntitel_weight = 4.0\n", "[detection] titel_weight: unknown key (did you mean title_weight?)"),
    ("commitments.toml", "[detection]\nactor = ['the state']\n", "[detection] actor: unknown key (did you mean actors?)"),
    ("commitments.toml", "[matching]\nthreshold = '62'\n", "[matching] threshold: expected a number, got '62'"),
    ("commitments.toml", '[[official.cue]]\nname = "no pattern"\n', "[official.cue #1] pattern: missing"),
    # Topics merge by id: a new topic that lacks its terms.
    ("topics.toml", '[[topic]]\nid = "ports"\nlabel = "Ports"\n', f"[topic #{_topic_count() + 1}] terms: missing"),
    ("targets.toml", "[settings]\nmax_gap = 'wide'\n", "[settings] max_gap: expected a whole number, got 'wide'"),
    ("corrections.toml", '[[link]]\nfrom = "a"\nto = ', "not valid TOML"),
    ("corrections.toml", '[[link]]\nfrom = "a"\ntoo = "b"\n', "[link #1] too: unknown key (did you mean to?)"),
])
def test_a_bad_rule_file_ends_build_and_diff_with_one_line_and_changes_nothing(tmp_path, file, override, message):
    project = tmp_path / "project"
    articles = project / "articles"
    articles.mkdir(parents=True)
    (articles / "a.txt").write_text("Plenum\n\nThe Third Plenum met in July 2024. China will build ports.\n", encoding="utf-8")
    (articles / "b.txt").write_text("Sessions\n\nThe 2025 Two Sessions opened. China will build ports.\n", encoding="utf-8")
    assert _run(project, "build").exit_code == 0
    before = _stored(project)
    (articles / "c.txt").write_text("Plenum\n\nThe Fourth Plenum met in October 2025.\n", encoding="utf-8")
    (project / file).write_text(override, encoding="utf-8")
    # Read backwards, the pair is compared on demand: with every rule file (a stored pair needs none but rules.toml).
    for args in (("build",), ("build", "--full"), ("diff", "two-sessions-2025", "cpc-20-cc-3-plenum")):
        result = _run(project, *args)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"error: {project / file}: {message}"), result.output
    assert _stored(project) == before


# ---------------------------------------------------------------- exact shortcuts (speed only: never a different answer)

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

from oracles import reference_find_mentions, reference_find_time_cues  # noqa: E402
from tracker.articles import _holding_blocks, furniture_rules  # noqa: E402
from tracker.dates import find_time_cues  # noqa: E402
from tracker.mentions import find_mentions  # noqa: E402

CHECKS = hsettings(max_examples=250, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SPACES = [" ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u2003", ", ", ". ", " (", ") ", "-", "’s "]
DATE_WORDS = ["January", "Jan.", "Jan", "March", "Mar", "May", "may", "June", "Sept.", "Sep", "October", "Oct.",
              "December", "16", "16th", "3rd", "1", "31", "٣", "2024", "2019", "1999", "2035", "2031-03-09", "2032-10-21",
              "early", "mid", "late", "in", "In", "during", "this", "last", "next", "since", "until", "to", "through",
              "of", "by", "Made", "China", "2025", "Vision", "the", "plenum", "Market", "decade", "innovation"]


def _texts(words):
    return st.lists(st.tuples(st.sampled_from(words), st.sampled_from(SPACES)), max_size=70).map(
        lambda parts: "".join(w + s for w, s in parts))


@CHECKS
@given(_texts(DATE_WORDS))
def test_time_cues_equal_every_pattern_over_the_whole_text(rules, text):
    assert find_time_cues(text, rules) == reference_find_time_cues(text, rules)


def _meeting_words(catalog):
    names = sorted({a for m in catalog[::7] for a in (m.name, *m.aliases)})
    return names + ["Third", "third", "20th", "Twentieth", "19th", "Plenum", "Plenary Session", "of the", "Central Committee",
                    "CPC", "Party Congress", "National Congress", "Two Sessions", "NPC", "npc", "CPPCC", "lianghui",
                    "government work report", "Premier Li Qiang's", "Central Economic Work Conference", "CEWC",
                    "2024", "2013", "session", "sessions", "annual", "National People's Congress", "last year's", "and",
                    "conference", "İ", "ſession", "word " * 20]


@CHECKS
@given(st.data())
def test_mentions_equal_plain_alternations_and_every_recogniser(rules, catalog, data):
    text = data.draw(_texts(_meeting_words(catalog)))
    assert find_mentions(text, catalog, rules) == reference_find_mentions(text, catalog, rules)


@CHECKS
@given(st.lists(st.tuples(st.sampled_from([
    "By", "Jane", "Doe", "is", "a", "the", "analyst", "Photo", "photo", "credit", ":", "by", "Imaginechina", "Read more", ">",
    "|", "(left)", "(L)", "Tags", "related", "Related articles", "Subscribe", "share", "China", "will", "growth", "via",
    "Getty Images", "AP Photo", "was", "director", "İs", "ſhare", "credits", "•"]), st.sampled_from(SPACES)), max_size=14))
def test_furniture_line_test_equals_the_whole_alternation(rules, parts):
    line = "".join(w + s for w, s in parts).strip()
    furniture = furniture_rules(rules)
    assert furniture.lines_test.found(line) == (furniture.lines.search(line) is not None)


@CHECKS
@given(st.recursive(st.sampled_from(["text", "<br>", ""]),
                    lambda inner: st.tuples(st.sampled_from(["p", "li", "ul", "div", "td", "h2", "blockquote", "span",
                                                             "article", "table", "tr"]),
                                            st.lists(inner, max_size=3)).map(
                        lambda t: f"<{t[0]}>" + "".join(t[1]) + f"</{t[0]}>"), max_leaves=12))
def test_holding_blocks_are_the_elements_with_a_p_or_li_inside(html):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    expected = {id(e) for e in [soup, *soup.find_all(True)] if e.find(["p", "li"])}
    assert _holding_blocks(soup) == expected
