"""Kinds of meeting (meetings.toml [kinds]): the numbers each kind carries and the facts detection
reads from the table rather than from kind names in code; a bad table is a one-line error."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib

import pytest
from typer.testing import CliRunner

from tracker.articles import parse_article
from tracker.cli import app
from tracker.config import Settings
from tracker.toml_files import ConfigError
from tracker.detection import detect_meeting
from tracker.meetings import load_catalog, load_kinds
from tracker.mentions import Mention
from tracker.rule_files.rules import RulesFile

from conftest import ROOT

# Kinds no code knows by name: a provincial party committee's plenums belong, like the Central
# Committee's, to the latest congress before them.
PROVINCIAL_CATALOG = """
[kinds.provincial_congress]
label = "Zhejiang Provincial Party Congress"
numbers = ["congress"]
needs = ["congress"]

[kinds.provincial_plenum]
label = "Plenary session of the Zhejiang Provincial Party Committee"
numbers = ["cc", "plenum"]
needs = ["cc", "plenum"]
number_from_latest = { number = "cc", kind = "provincial_congress", its = "congress" }

[[meeting]]
id = "zj-15-congress"
name = "15th Zhejiang Provincial Party Congress"
kind = "provincial_congress"
congress = 15
start = 2022-06-18
end = 2022-06-21

[[meeting]]
id = "zj-15-3-plenum"
name = "Third Plenary Session of the 15th Zhejiang Provincial Party Committee"
kind = "provincial_plenum"
cc = 15
plenum = 3
start = 2023-07-20
end = 2023-07-21
"""


@pytest.fixture
def provincial_rules(rules):
    extended = copy.deepcopy(rules)
    det = extended["detection"]
    det["recognizer"].append({
        "kind": "provincial_plenum",
        "pattern": r"\b(?P<plenum>ORD)\s+Plenum\s+of\s+the\s+(?:(?P<cc>ORD)\s+)?Zhejiang\s+Provincial\s+Party\s+Committee"})
    det["inferred_ids"]["provincial_plenum"] = "zj-{cc}-{plenum}-plenum"
    det["inferred_names"]["provincial_plenum"] = "{plenum_word} Plenary Session of the {cc_th} Zhejiang Provincial Party Committee"
    # As Settings.rules reads a rules file: validated, every default (the recogniser's weight) filled in.
    return RulesFile.model_validate(extended).model_dump(by_alias=True)


def _detect(raw: str, catalog: dict, rules: dict):
    parsed = parse_article(raw.encode(), "article.txt", rules)
    return detect_meeting(parsed.title, parsed.text, parsed.meta, load_catalog(catalog), load_kinds(catalog), rules)


def test_an_invented_kind_is_detected_and_inferred_with_the_numbers_its_table_gives(provincial_rules):
    catalog = tomllib.loads(PROVINCIAL_CATALOG)
    named = _detect("Zhejiang looks back\n\nThe Third Plenum of the Zhejiang Provincial Party Committee set out "
                    "plans for the private economy.\n", catalog, provincial_rules)
    assert named.meeting_id == "zj-15-3-plenum"  # found by its numbers: plenum 3

    inferred = _detect("Zhejiang sets its course\n\nThe Fourth Plenum of the Zhejiang Provincial Party Committee was "
                       "held in Hangzhou from November 24 to 25, 2023.\n", catalog, provincial_rules)
    assert inferred.meeting_id == "zj-15-4-plenum"  # cc from the latest provincial congress before it
    meeting = inferred.new_meeting
    assert meeting.kind == "provincial_plenum" and meeting.attrs == (("cc", 15), ("plenum", 4))
    assert meeting.kind_facts.label == "Plenary session of the Zhejiang Provincial Party Committee"

    # Without the congress the table says the plenum belongs to, its cc is unknown: not inferred.
    catalog["meeting"] = catalog["meeting"][1:]
    undated = _detect("Zhejiang sets its course\n\nThe Fourth Plenum of the Zhejiang Provincial Party Committee was "
                      "held in Hangzhou from November 24 to 25, 2023.\n", catalog, provincial_rules)
    assert undated.meeting_id is None and undated.new_meeting is None


def test_the_year_whose_targets_a_meeting_sets_comes_from_its_kind():
    catalog = tomllib.loads("""
[kinds.budget_session]
label = "Budget session"
numbers = ["year"]
targets_own_year = true

[kinds.work_conference]
label = "Work conference"
numbers = ["year"]

[[meeting]]
id = "budget-2030"
name = "2030 budget session"
kind = "budget_session"
start = 2030-12-02
end = 2030-12-04

[[meeting]]
id = "conference-2030"
name = "2030 work conference"
kind = "work_conference"
start = 2030-12-10
end = 2030-12-12
""")
    budget, conference = load_catalog(catalog)
    assert (budget.target_year(), conference.target_year()) == (2030, 2031)
    assert budget.attrs == (("year", 2030),)  # a number the kind carries, taken from the start


def test_yearly_sessions_count_the_year_of_a_session_by_the_tables_term():
    from tracker.meetings import infer_meeting

    catalog = tomllib.loads("""
[kinds.assembly]
label = "Provincial assembly session"
numbers = ["npc", "npc_session", "year"]
yearly_sessions = { term = "npc", session = "npc_session", term_years = 3 }

[[meeting]]
id = "assembly-1-1"
name = "First Session of the First Assembly"
kind = "assembly"
npc = 1
npc_session = 1
year = 2030
start = 2030-03-01
end = 2030-03-05
""")
    meetings, kinds = load_catalog(catalog), load_kinds(catalog)
    rules = {"detection": {"inferred_ids": {"assembly": "assembly-{npc}-{npc_session}"},
                           "inferred_names": {"assembly": "Session {npc_session} of Assembly {npc}"}}}
    mention = Mention(0, 10, "First Session of the Second Assembly", "assembly", 1.0, (), {"npc": 2, "npc_session": 1})
    # Three years a term: the second assembly's first session is in 2033 (2035 for the NPC's five).
    inferred = infer_meeting(mention, dt.date(2033, 3, 2), None, meetings, kinds, rules)
    assert inferred is not None and inferred.attrs == (("npc", 2), ("npc_session", 1), ("year", 2033))
    assert infer_meeting(mention, dt.date(2035, 3, 2), None, meetings, kinds, rules) is None


def test_inferred_meetings_of_the_real_catalog_carry_their_kinds_numbers(rules, catalog, kinds):
    raw = ("Leaders review the economy\n\nBEIJING, April 27, 2032 (Newswire) -- The Political Bureau of the CPC "
           "Central Committee held a meeting on Tuesday to analyse the current economic situation.\n")
    parsed = parse_article(raw.encode(), "a.txt", rules)
    a = detect_meeting(parsed.title, parsed.text, parsed.meta, catalog, kinds, rules)
    assert a.meeting_id == "politburo-2032-04" and a.new_meeting.attrs == (("month", 4), ("year", 2032))
    plenum = next(m for m in catalog if m.id == "cpc-20-cc-3-plenum")
    assert plenum.attrs == (("cc", 20), ("plenum", 3))


# ---------------------------------------------------------------- a bad [kinds] table


@pytest.mark.parametrize(("change", "message"), [
    (lambda k: k["plenum"].update(labels="x"), "meetings.toml kinds.plenum: unknown key labels"),
    (lambda k: k["plenum"].pop("numbers"), "meetings.toml kinds.plenum: numbers is missing"),
    (lambda k: k["cewc"].update(numbers="year"), "meetings.toml kinds.cewc: numbers must be a list"),
    (lambda k: k["cewc"].update(numbers=["week"]), "meetings.toml kinds.cewc: numbers names week"),
    (lambda k: k["cewc"].update(needs=["cc"]), "meetings.toml kinds.cewc: needs names cc"),
    (lambda k: k["two_sessions"].update(targets_own_year="yes"), "kinds.two_sessions: targets_own_year must be true or false"),
    (lambda k: k["two_sessions"]["yearly_sessions"].update(term_years="five"),
     "kinds.two_sessions: yearly_sessions.term_years must be a whole number"),
    (lambda k: k["plenum"]["number_from_latest"].update(kind="congress"),
     "kinds.plenum: number_from_latest.kind names congress, not one of the kinds"),
    (lambda k: k.pop("politburo"), "kind 'politburo' is not one of the kinds"),
    (lambda k: k["cewc"].update(numbers=[]), "(cewc-2013): a cewc does not carry year"),
])
def test_bad_kinds_table_is_a_one_line_config_error(change, message):
    catalog = copy.deepcopy(Settings(project_dir=ROOT).catalog)
    change(catalog["kinds"])
    with pytest.raises(ConfigError) as raised:
        load_catalog(catalog)
    assert message in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize(("override", "kind", "key"), [
    ("[kinds.two_sessions]\ntarget_own_year = true\n", "two_sessions", "unknown key target_own_year"),
    ('[kinds.provincial_plenum]\nnumbers = ["year"]\n', "provincial_plenum", "label is missing"),
    ("[kinds.two_sessions.yearly_sessions]\nterm_years = \"five\"\n", "two_sessions",
     "yearly_sessions.term_years must be a whole number"),
])
def test_tracker_build_stops_on_a_bad_kinds_table_with_one_line(tmp_path, override, kind, key):
    """A project's meetings.toml overrides the packaged one key by key; a bad [kinds] entry
    stops the build with one line."""
    (tmp_path / "meetings.toml").write_text(override, encoding="utf-8")
    (tmp_path / "articles").mkdir()
    result = CliRunner().invoke(app, ["build", "--no-site", "--project", str(tmp_path), "--articles", str(tmp_path / "articles"),
                                      "--db", f"sqlite:///{tmp_path}/t.db"], env={"COLUMNS": "400"})
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"meetings.toml kinds.{kind}: {key}" in lines[0]
