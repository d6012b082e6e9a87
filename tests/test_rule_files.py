"""The rule files' schemas (tracker/rule_files): every option documented, the packaged file and a
project's override validated as merged (config.merge_rules), a problem reported as one line
naming the file that wrote the key."""

from __future__ import annotations

import inspect

import pytest

from tracker.config import DEFAULTS_DIR

from tracker.toml_files import ConfigError
from tracker.rule_files import commitments, corrections, rules, targets, topics
from tracker.rule_files.rules import RulesFile
from tracker.rule_files.topics import TopicsFile
from tracker.rule_files.validation import RuleTable, load_rule_file

PACKAGED_RULES = DEFAULTS_DIR / "rules.toml"


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


def test_a_problem_in_a_list_merged_by_id_names_the_file_that_holds_that_entry(tmp_path):
    """Entries with ids merge by id, so the merged list's place is not the file's place: the
    problem of entry "b" lies in the file that has "b", not in the one whose second entry has a label."""
    base, override = tmp_path / "base.toml", tmp_path / "override.toml"
    base.write_text('[[topic]]\nid = "a"\nterms = ["x"]\n\n[[topic]]\nid = "b"\nlabel = 5\nterms = ["y"]\n', encoding="utf-8")
    override.write_text('[[topic]]\nid = "c"\nterms = ["z"]\n\n[[topic]]\nid = "d"\nlabel = "D"\nterms = ["w"]\n',
                        encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule_file([base, override], TopicsFile)
    assert str(err.value) == f"{base}: [topic #2] label: expected text in quotes, got 5"
    override.write_text('[[topic]]\nid = "b"\nlabel = 6\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule_file([base, override], TopicsFile)
    assert str(err.value) == f"{override}: [topic #2] label: expected text in quotes, got 6"


def test_a_later_file_overrides_an_earlier_one_and_a_problem_names_the_file_with_the_key(tmp_path):
    override = tmp_path / "rules.toml"
    override.write_text("[detection]\ntitle_weight = 5.0\n", encoding="utf-8")
    merged = load_rule_file([PACKAGED_RULES, override], RulesFile)
    shipped = load_rule_file([PACKAGED_RULES], RulesFile)
    assert merged.detection.title_weight == 5.0
    assert merged.detection.recognizer == shipped.detection.recognizer and merged.ingest == shipped.ingest

    override.write_text("[detection]\ntitel_weight = 5.0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule_file([PACKAGED_RULES, override], RulesFile)
    assert str(err.value) == f"{override}: [detection] titel_weight: unknown key (did you mean title_weight?)"

    override.write_text("[ingest]\nextensions = '.txt'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule_file([PACKAGED_RULES, override], RulesFile)
    assert str(err.value) == f"{override}: [ingest] extensions: expected a list, got '.txt'"


def test_several_problems_are_one_line_that_counts_the_others(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[detection]\ntitle_weight = 'x'\nlead_weight = 'y'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule_file([PACKAGED_RULES, path], RulesFile)
    assert str(err.value) == f"{path}: [detection] title_weight: expected a number, got 'x' (and 1 more problem)"
