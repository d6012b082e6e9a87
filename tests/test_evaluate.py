"""`tracker eval` on sentence labels: precision, recall and F1 of extraction."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from storage_scenarios import write
from tracker.cli import app
from tracker.evaluate import SentenceLabel, SentenceScores, _is_extracted, _words

ARTICLE = """---
title: Communique of the plenum
meeting: Third Plenum of the 20th Central Committee
---
The plenum called for deepening reform of state-owned enterprises across the economy.
The weather in Beijing was cold and grey that week, reporters noted.
The communique said China will build a unified national market by 2029.
"""


def _label(commitment: bool, extracted: bool) -> SentenceLabel:
    return SentenceLabel("a.txt", "2024-07-16", "text", commitment, extracted, "")


def test_scores_count_true_and_false_positives_and_misses():
    labels = [_label(True, True)] * 3 + [_label(False, True)] + [_label(True, False)] * 2 + [_label(False, False)] * 4
    scores = SentenceScores(labels, doubtful=1)
    assert (scores.true_positives, scores.false_positives, scores.false_negatives) == (3, 1, 2)
    assert scores.precision == pytest.approx(0.75)
    assert scores.recall == pytest.approx(0.6)
    assert scores.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert scores.summary()["doubtful_left_out"] == 1
    assert len(scores.as_dict()["errors"]) == 3


def test_no_extraction_scores_zero_not_a_division_error():
    scores = SentenceScores([_label(True, False)], 0)
    assert (scores.precision, scores.recall, scores.f1) == (0.0, 0.0, 0.0)


def test_extracted_when_contained_or_when_four_fifths_of_its_words_are():
    evidence = [(s, _words(s)) for s in ["We will cut taxes and fees for small firms this year, and do more."]]
    assert _is_extracted("We will cut taxes and fees for small firms this year", evidence)
    # 8 of 10 words present (the splitter cut the sentence differently): counts.
    assert _is_extracted("We will cut taxes and fees for small businesses quickly", evidence)
    # 6 of 10: does not.
    assert not _is_extracted("We will cut taxes on imported luxury goods for tourists", evidence)
    assert not _is_extracted("Anything at all", [])
    assert _words("The the THE") == Counter({"the": 3})


def test_eval_cli_prints_sentence_scores_in_table_and_json(settings, tmp_path):
    write(settings.articles_dir, "plenum.txt", ARTICLE)
    gold = tmp_path / "gold.toml"
    gold.write_text('''
[[sentence]]
file = "plenum.txt"
meeting = "2024-07-16"
text = "The plenum called for deepening reform of state-owned enterprises across the economy."
commitment = true
why = "call of the plenum"

[[sentence]]
file = "plenum.txt"
meeting = "2024-07-16"
text = "The weather in Beijing was cold and grey that week, reporters noted."
commitment = false
why = "description"

[[sentence]]
file = "plenum.txt"
meeting = "2024-07-16"
text = "The communique said China will build a unified national market by 2029."
commitment = true
doubt = true
why = "left out"
''', encoding="utf-8")
    runner = CliRunner(env={"TRACKER_PROJECT": str(settings.project_dir), "TRACKER_DB": None, "COLUMNS": "200"})
    built = runner.invoke(app, ["build", "--db", settings.db_url, "--articles", str(settings.articles_dir),
                                "--site", str(tmp_path / "site")])
    assert built.exit_code == 0, built.output
    result = runner.invoke(app, ["eval", str(gold), "--db", settings.db_url, "--format", "json"])
    assert result.exit_code == 0, result.output
    sentences = json.loads(result.stdout)["sentences"]
    assert sentences["labelled"] == 2 and sentences["doubtful_left_out"] == 1
    assert (sentences["true_positives"], sentences["false_positives"], sentences["false_negatives"]) == (1, 0, 0)
    assert sentences["precision"] == sentences["recall"] == sentences["f1"] == 1.0
    table = runner.invoke(app, ["eval", str(gold), "--db", settings.db_url, "--errors"])
    assert "plenum.txt" in table.stdout and "1.000" in table.stdout
