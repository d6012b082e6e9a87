"""The rule files' schemas (tracker/rule_files): every option documented, files merged in order,
a problem reported as one line naming the file that wrote the key."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from tracker.config import ConfigError
from tracker.rule_files import commitments, corrections, rules, targets, topics
from tracker.rule_files.rules import RulesFile
from tracker.rule_files.validation import RuleTable, deep_merge, load_rule_file

DATA = Path(__file__).resolve().parents[1] / "data"


def _tables():
    for module in (rules, commitments, topics, targets, corrections):
        for _name, table in inspect.getmembers(module, inspect.isclass):
            if issubclass(table, RuleTable) and table is not RuleTable and table.__module__ == module.__name__:
                yield table


@pytest.mark.parametrize("table", list(_tables()), ids=lambda t: f"{t.__module__}.{t.__name__}")
def test_every_option_and_table_is_documented(table):
    assert table.__doc__ and table.__doc__ != RuleTable.__doc__, f"{table.__name__} has no docstring"
    for name, field in table.model_fields.items():
        documented_table = isinstance(field.annotation, type) and issubclass(field.annotation, RuleTable)
        assert field.description or documented_table, f"{table.__name__}.{name} has no docstring"


def test_tables_merge_key_by_key_and_other_values_replace():
    base = {"a": {"x": 1, "y": [1, 2], "t": {"k": 1}}, "b": 2}
    assert deep_merge(base, {"a": {"y": [3], "t": {"j": 2}}, "c": 3}) == \
        {"a": {"x": 1, "y": [3], "t": {"k": 1, "j": 2}}, "b": 2, "c": 3}
    assert base == {"a": {"x": 1, "y": [1, 2], "t": {"k": 1}}, "b": 2}  # not modified


def test_a_later_file_overrides_an_earlier_one_and_a_problem_names_the_file_with_the_key(tmp_path):
    override = tmp_path / "rules.toml"
    override.write_text("[detection]\ntitle_weight = 5.0\n", encoding="utf-8")
    merged = load_rule_file([DATA / "rules.toml", override], RulesFile)
    shipped = load_rule_file([DATA / "rules.toml"], RulesFile)
    assert merged.detection.title_weight == 5.0
    assert merged.detection.recognizer == shipped.detection.recognizer and merged.ingest == shipped.ingest

    override.write_text("[detection]\ntitel_weight = 5.0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule_file([DATA / "rules.toml", override], RulesFile)
    assert str(err.value) == f"{override}: [detection] titel_weight: unknown key (did you mean title_weight?)"

    override.write_text("[ingest]\nextensions = '.txt'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule_file([DATA / "rules.toml", override], RulesFile)
    assert str(err.value) == f"{override}: [ingest] extensions: expected a list, got '.txt'"


def test_several_problems_are_one_line_that_counts_the_others(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text((DATA / "rules.toml").read_text(encoding="utf-8")
                    .replace("title_weight = 4.0", "title_weight = 'x'").replace("lead_weight = 2.0", "lead_weight = 'y'"),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule_file([path], RulesFile)
    assert str(err.value) == f"{path}: [detection] title_weight: expected a number, got 'x' (and 1 more problem)"
