"""Quantified targets: read from sentences, compared between meetings, tabulated.

Every sentence here was written for these tests."""

import csv
import io
import json
from pathlib import Path

import pytest

from tracker.config import DEFAULTS_DIR, Settings

from tracker.toml_files import ConfigError, load_toml
from tracker.target_changes import compare_targets, table_as_csv, targets_table
from tracker.targets import Target

ROOT = Path(__file__).resolve().parents[1]
RULES_PATH = DEFAULTS_DIR / "targets.toml"
GWR_DIR = ROOT.parent / "shared" / "corpus" / "gwr" / "en"


@pytest.fixture(scope="module")
def rules():
    return Settings(project_dir=ROOT).target_rules


def found(rules, sentence, context=""):
    return {t.metric: t for t in rules.parse(sentence, context)}


def test_single_value_with_modifier_and_period(rules):
    (t,) = rules.parse("We aim to keep GDP growth at around 6.8 percent this year.")
    assert (t.metric, t.low, t.high, t.unit, t.modifier, t.period) == ("gdp_growth", 6.8, 6.8, "%", "around", "this year")
    assert t.text == "GDP growth at around 6.8 percent"
    assert t.describe() == "around 6.8 %"


@pytest.mark.parametrize("sentence", [
    "This year the economy is expected to grow by 6 to 6.5 percent.",
    "The growth target for this year is set at 6-6.5%.",
    "For the coming year we have set a projected growth rate between 6% and 6.5%.",
])
def test_ranges(rules, sentence):
    t = found(rules, sentence)["gdp_growth"]
    assert (t.low, t.high, t.unit) == (6.0, 6.5, "%")
    assert t.describe() == "6–6.5 %"


@pytest.mark.parametrize("sentence, metric, modifier, value", [
    ("We will create over 12 million new urban jobs.", "urban_jobs", "at least", 12),
    ("The surveyed urban unemployment rate should be kept within 5.2 percent.", "unemployment_surveyed", "at most", 5.2),
    ("The registered unemployment rate in cities must not rise above 4.4%.", "unemployment_registered", "at most", 4.4),
    ("Hold registered urban unemployment at 4.3% or below.", "unemployment_registered", "at most", 4.3),
    ("We will cut energy intensity by no less than 3.2 percent.", "energy_intensity", "at least", 3.2),
    ("Grain output should stay above 660 million tonnes.", "grain_output", "at least", 660),
    ("The deficit-to-GDP ratio is projected at 2.9 percent.", "deficit_ratio", "", 2.9),
    ("The cabinet set a ceiling for inflation of 2.5 percent for the year.", "cpi", "at most", 2.5),
])
def test_modifiers(rules, sentence, metric, modifier, value):
    t = found(rules, sentence)[metric]
    assert (t.modifier, t.low) == (modifier, value)


def test_units_scale_and_words(rules):
    assert found(rules, "The budget deficit is projected at 3.9 trillion yuan for this year.")["deficit_amount"].unit == "trillion yuan"
    jobs = found(rules, "We aim to add more than eleven million urban jobs.")["urban_jobs"]
    assert (jobs.low, jobs.unit, jobs.describe()) == (11, "million", "at least 11 million")


def test_several_targets_in_one_sentence(rules):
    got = found(rules, "The main targets for next year are: GDP growth of about 5.5 percent, a CPI increase of around "
                       "3 percent, more than 12 million new urban jobs, and a surveyed urban unemployment rate within 5.5 percent.")
    assert {m: t.describe() for m, t in got.items()} == {
        "gdp_growth": "around 5.5 %", "cpi": "around 3 %", "urban_jobs": "at least 12 million",
        "unemployment_surveyed": "at most 5.5 %"}
    assert {t.period for t in got.values()} == {"next year"}


def test_a_list_under_its_lead_in(rules):
    text = ("The main targets for this year are as follows:\n-- Increase GDP by about 6%.\n"
            "-- Keep the CPI increase at around 3%.\n-- Add at least ten million urban jobs.\n")
    got = {t.metric: t for t, _s in rules.parse_text(text)}
    assert set(got) == {"gdp_growth", "cpi", "urban_jobs"}
    assert got["cpi"].period == "this year"
    assert got["gdp_growth"].direction == "increase"


@pytest.mark.parametrize("sentence", [
    "Last year GDP grew by 6.9 percent and 13 million new urban jobs were created.",
    "The economy expanded 7.1 percent in the first quarter, and consumer prices rose 2 percent.",
    "Registered urban unemployment was held under 4.2% throughout the last five years.",
    "We met all the main targets set a year ago: the economy grew by 6.7% and energy intensity fell by 5%.",
    "Most forecasters expect the economy to grow by 4.5% this year.",
    "A central government deficit of 1.9 trillion yuan is planned.",
    "The budget plan will bring a deficit increase of 900 billion yuan.",
])
def test_past_results_and_non_targets_are_not_targets(rules, sentence):
    assert rules.parse(sentence) == []


def test_past_result_next_to_a_target(rules):
    got = rules.parse("GDP grew by 6.9 percent last year, and we aim to keep GDP growth at around 6.5 percent this year.")
    assert [(t.metric, t.low) for t in got] == [("gdp_growth", 6.5)]


def test_respectively_lists_pair_in_order_or_not_at_all(rules):
    got = found(rules, "In the coming five years, energy intensity and carbon intensity should fall by 13.5% and 18%, respectively.")
    assert [(m, t.low, t.direction, t.period) for m, t in got.items()] == [
        ("energy_intensity", 13.5, "cut", "next five years"), ("carbon_intensity", 18, "cut", "next five years")]
    # three numbers, two names we know: no guessing which is which
    assert rules.parse("We should cut land use, energy intensity and carbon intensity by 20%, 14% and 17%, respectively.") == []


def test_years_and_other_numbers_are_not_values(rules):
    (t,) = rules.parse("In 2027 we will hold registered urban unemployment within 4.5 percent.")
    assert (t.low, t.period) == (4.5, "2027")
    assert rules.parse("By 2035, per capita income should double the 2020 level.") == []
    assert rules.parse("We will cut 1.5 million jobs in coal and steel this year.") == []


def test_from_to_is_the_new_value_and_directions(rules):
    ratio = found(rules, "We plan to lift the deficit-to-GDP ratio from 2.7 percent to 3 percent.")["deficit_ratio"]
    assert (ratio.low, ratio.high) == (3, 3)
    assert found(rules, "We will cut energy intensity by 2.5 percent.")["energy_intensity"].direction == "cut"
    defence = found(rules, "The country will raise its defence budget by 7.1 percent this year.")["defence_budget"]
    assert (defence.low, defence.direction) == (7.1, "increase")


def T(metric, low, high=None, modifier="", unit="%", period="this year"):
    return Target(metric, metric, low, low if high is None else high, unit, modifier, period)


def test_compare_statuses(rules):
    before = [T("gdp_growth", 7, modifier="around"), T("unemployment_registered", 4.6, modifier="at most"),
              T("cpi", 3, modifier="around"), T("urban_jobs", 10, unit="million", modifier="at least"),
              T("trade_growth", 6, modifier="around")]
    after = [T("gdp_growth", 6.5, 7), T("unemployment_registered", 4.5, modifier="at most"),
             T("cpi", 3.5, modifier="around"), T("trade_growth", 6, modifier="around"), T("energy_intensity", 3.4, modifier="at least")]
    changes = {c.metric: c for c in compare_targets(before, after, rules)}
    assert changes["gdp_growth"].status == "weakened"
    assert changes["gdp_growth"].reason == "GDP growth target lowered from around 7 % to 6.5–7 %"
    assert changes["unemployment_registered"].status == "strengthened"  # lower is better
    assert changes["cpi"].status == "persisted" and "raised from around 3 % to around 3.5 %" in changes["cpi"].reason
    assert changes["urban_jobs"].status == "disappeared" and "at least 10 million" in changes["urban_jobs"].reason
    assert changes["energy_intensity"].status == "new" and changes["energy_intensity"].before is None
    assert changes["trade_growth"].status == "persisted" and "kept at around 6 %" in changes["trade_growth"].reason


def test_compare_ranges_by_midpoint_and_modifiers_only_on_equal_values(rules):
    def status(b, a):
        return compare_targets([b], [a], rules)[0].status
    assert status(T("gdp_growth", 6.5, 7), T("gdp_growth", 7)) == "strengthened"
    assert status(T("gdp_growth", 6, 7), T("gdp_growth", 6.5)) == "persisted"  # same midpoint
    assert status(T("gdp_growth", 7, modifier="around"), T("gdp_growth", 7, modifier="at least")) == "strengthened"
    assert status(T("unemployment_registered", 4.5, modifier="around"),
                  T("unemployment_registered", 4.5, modifier="at most")) == "strengthened"
    assert status(T("urban_jobs", 11, unit="million", modifier="at least"), T("urban_jobs", 12, unit="million")) == "strengthened"


def test_plan_period_targets_are_not_compared_with_yearly_ones(rules):
    before = [T("gdp_growth", 6.5, modifier="at least", period="2026-2030"), T("gdp_growth", 5, modifier="around")]
    (change,) = compare_targets(before, [T("gdp_growth", 5, modifier="around")], rules)
    assert change.status == "persisted"


def test_targets_table_marks_none_set_and_not_covered(rules):
    gdp_a, gdp_b = T("gdp_growth", 6, modifier="around"), T("gdp_growth", 5.5, modifier="around")
    rows = [
        {"meeting": "m1", "name": "Session A", "kind": "two_sessions", "start": "2031-03-11", "official": True,
         "targets": [(gdp_a, "We aim for GDP growth of around 6 percent.", Path("a.txt"))]},
        {"meeting": "m2", "name": "Session B", "kind": "two_sessions", "start": "2032-03-12", "official": True, "targets": []},
        {"meeting": "m3", "name": "Session C", "kind": "two_sessions", "start": "2033-03-13", "official": False, "targets": []},
        {"meeting": "m4", "name": "Session D", "kind": "two_sessions", "start": "2034-03-14", "official": True,
         "targets": [(gdp_b, "=HYPERLINK(\"x\")", "d.txt")]},
        {"meeting": "m5", "name": "A plenum", "kind": "plenum", "start": "2034-10-20", "official": True, "targets": []},
    ]
    table = targets_table(rows, rules)
    gdp = [r for r in table if r["metric"] == "gdp_growth"]
    assert [(r["meeting"], r["status"]) for r in gdp] == [("m1", "set"), ("m2", "none set"), ("m3", "not covered"), ("m4", "set")]
    assert gdp[1]["change"] == "not restated (last around 6 % at Session A)"
    assert gdp[3]["change"] == "lowered from around 6 % to around 5.5 %" and gdp[3]["change_status"] == "weakened"
    assert gdp[0]["value"] == "around 6 %" and gdp[0]["file"] == "a.txt"
    assert not any(r["meeting"] == "m5" for r in table)  # plenums do not usually set these
    json.dumps(table)
    parsed = list(csv.DictReader(io.StringIO(table_as_csv(table))))
    assert parsed[3]["sentence"] == "'=HYPERLINK(\"x\")"
    assert parsed[0]["value"] == "around 6 %"


def test_csv_guards_every_formula_prefix():
    rows = [{"metric": "=cmd|' /C calc'!A0", "label": "+1", "name": "-2", "sentence": "@SUM(A1)", "value": "around 6 %"}]
    (row,) = list(csv.DictReader(io.StringIO(table_as_csv(rows))))
    assert (row["metric"], row["label"], row["name"], row["sentence"]) == ("'=cmd|' /C calc'!A0", "'+1", "'-2", "'@SUM(A1)")
    assert row["value"] == "around 6 %"


NEW_METRIC = 'id = "new_metric"\npatterns = ["new metric"]\nunits = ["%"]\nbetter = "higher"\nset_by = ["two_sessions"]\n'


@pytest.mark.parametrize("override, reason", [
    ('[[metric]]\nid = "gdp_growth"\nbetter = "bigger"\n',
     "[metric #1] better: expected 'higher', 'lower' or 'neither', got 'bigger'"),
    ("[[metric]]\nid = \"gdp_growth\"\npatterns = ['GDP growth((']\n",
     "[metric #1] patterns #1: not a valid regular expression (missing ), unterminated subpattern"),
    # An override merges by id: a new metric without a label is one that lacks it.
    (f"[[metric]]\n{NEW_METRIC}", f"[metric #{len(load_toml(RULES_PATH)['metric']) + 1}] label: missing"),
    ('[[metric]]\nid = "gdp_growth"\nunits = ["furlongs"]\n', "[metric #1] (gdp_growth) units: unknown unit"),
    ('[[metric]]\nid = "gdp_growth"\nset_by = ["tea_party"]\n', "unknown meeting kind"),
    ("[settings]\nmax_gap = 12.5\n", "[settings] max_gap: expected a whole number, got 12.5"),
    ("[settings]\nmax_gaps = 120\n", "[settings] max_gaps: unknown key (did you mean max_gap?)"),
    ("[[metric\n", "not valid TOML"),
])
def test_malformed_rules_name_the_file(tmp_path, override, reason):
    """A project's override that breaks the merged rules: one line naming the override and the key."""
    bad = tmp_path / "targets.toml"
    bad.write_text(override, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Settings(project_dir=tmp_path).target_rules
    assert str(err.value).startswith(f"{bad}: ") and reason in str(err.value) and "\n" not in str(err.value)


def test_every_government_work_report_sets_the_core_targets(rules):
    reports = sorted(GWR_DIR.glob("*.txt")) if GWR_DIR.is_dir() else []
    if not reports:
        pytest.skip(f"no English Government Work Reports under {GWR_DIR}")
    for path in reports:
        metrics = {t.metric for t, _s in rules.parse_text(path.read_text(encoding="utf-8"))}
        assert {"gdp_growth", "cpi", "urban_jobs"} <= metrics, path.name


def test_it_stands_for_the_metric_the_sentence_before_names():
    rules = Settings(project_dir=ROOT).target_rules
    text = ("Defence spending is higher than the state admits. But a draft budget said it should grow by 6.3% this year.\n\n"
            "It will grow by 5% in any case.")
    found = rules.parse_text(text)
    assert [(t.metric, t.describe()) for t, _s in found] == [("defence_budget", "6.3 %")]
    assert found[0][0].text.startswith("it [Defence spending]")
