"""End to end on the development corpus in ../shared (real texts nobody on the team wrote):
build it as an analyst would and hold `tracker eval` to the targets of the real-texts issue.

An accuracy check, not a timing. Skipped, with the reason, when ../shared is absent.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from conftest import ROOT
from tracker.cli import app
from tracker.db import Commitment

SHARED = ROOT.parent / "shared"
SOURCES = [
    SHARED / "articles",
    SHARED / "corpus" / "gwr" / "en",
    SHARED / "corpus" / "gwr" / "zh",
    SHARED / "corpus" / "news",
]
GOLD = SHARED / "gold"

pytestmark = pytest.mark.skipif(
    not all(p.is_dir() for p in [*SOURCES, GOLD]),
    reason=f"the development corpus is not at {SHARED} (its articles, corpus/gwr/en, corpus/gwr/zh, corpus/news and gold)",
)

# Expectations that fail today, and why: each needs a referent or a target read across two
# differently worded sentences (the targets part of the statuses issue). A test below fails if
# any other expectation fails, and says so when one of these starts to pass.
KNOWN_MATCHING_GAPS = {
    ("news-dev", "link", "3.8trn-yuan"): "'This year they will be allowed to issue ...': 'they' (local governments) is not resolved",
    ("news-dev", "new", "greater self-reliance and strength"): "the reported clause stands 11 words after its speaker",
}


@pytest.fixture(scope="module")
def evaluations(tmp_path_factory):
    work = tmp_path_factory.mktemp("devcorpus")
    articles = work / "articles"
    articles.mkdir()
    for folder in SOURCES:
        for path in folder.iterdir():
            if path.is_file():
                shutil.copy2(path, articles / path.name)
    runner = CliRunner(env={"TRACKER_PROJECT": str(work), "TRACKER_DB": None, "COLUMNS": "200"})
    db = f"sqlite:///{work}/t.db"
    built = runner.invoke(app, ["build", "--full", "--db", db, "--articles", str(articles), "--site", str(work / "site")])
    assert built.exit_code == 0, built.output
    results = {}
    for name in ("sample", "gwr-dev", "news-dev", "sentences-dev", "gwr-zh-dev"):
        result = runner.invoke(app, ["eval", str(GOLD / f"{name}.toml"), "--db", db, "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        results[name] = json.loads(result.stdout)
    targets = runner.invoke(app, ["targets", "--db", db, "--format", "json"])
    assert targets.exit_code == 0, targets.output
    results["targets"] = json.loads(targets.stdout)
    formulations = runner.invoke(app, ["formulations", "--db", db, "--format", "json"])
    assert formulations.exit_code == 0, formulations.output
    results["formulations"] = json.loads(formulations.stdout)
    engine = create_engine(db)
    with Session(engine) as session:
        results["languages"] = sorted(
            set(session.execute(select(Commitment.meeting_id, Commitment.language)).all())
        )
    engine.dispose()
    return results


def _key(name: str, result: dict) -> tuple[str, str, str]:
    phrase = result["expectation"]
    for quote in ("'", '"'):
        if quote in phrase:
            phrase = phrase.split(quote)[1]
            break
    return name, result["kind"], phrase


@pytest.mark.parametrize(("name", "labelled"), [("sentences-dev", 100), ("gwr-zh-dev", 50)])
def test_sentence_labels_reach_the_targets(evaluations, name, labelled):
    scores = evaluations[name]["sentences"]
    assert scores["labelled"] >= labelled
    assert scores["precision"] >= 0.85, scores
    assert scores["recall"] >= 0.85, scores
    assert scores["f1"] >= 0.85, scores


@pytest.mark.parametrize("name", ["sample", "gwr-dev", "news-dev", "gwr-zh-dev"])
def test_every_article_is_on_its_meeting_and_no_listed_non_commitment_is_extracted(evaluations, name):
    for result in evaluations[name]["results"]:
        if result["kind"] in ("article", "not_commitment"):
            assert result["passed"], result


@pytest.mark.parametrize("name", ["sample", "gwr-dev", "news-dev", "gwr-zh-dev"])
def test_expectations_pass_but_for_the_known_matching_gaps(evaluations, name):
    failed = {_key(name, r) for r in evaluations[name]["results"] if not r["passed"]}
    unexpected = failed - set(KNOWN_MATCHING_GAPS)
    assert not unexpected, unexpected
    now_passing = {k for k in KNOWN_MATCHING_GAPS if k[0] == name} - failed
    assert not now_passing, f"these pass now: remove them from KNOWN_MATCHING_GAPS: {now_passing}"


def test_every_work_report_sets_the_headline_targets_and_their_moves_are_read(evaluations):
    """Every Government Work Report sets GDP growth, CPI and new urban jobs targets; in the
    targets table each report's meeting has them, with the sentence, and each move from one
    report to the next is described with both numbers."""
    rows = evaluations["targets"]
    reports = {r["meeting"] for r in rows if r["kind"] == "two_sessions" and r["official"]}
    assert len(reports) >= 4, "the development corpus holds four work reports"
    for metric in ("gdp_growth", "cpi", "urban_jobs"):
        for meeting in reports:
            # One row, or one per language where the English and Chinese reports state it apart
            # ("10 million" against 1000万人以上).
            found = [r for r in rows if r["metric"] == metric and r["meeting"] == meeting]
            assert 1 <= len(found) <= 2, found
            assert all(r["status"] == "set" and r["sentence"] and r["value"] for r in found), found
    moves = [r for r in rows if r["metric"] == "gdp_growth" and r["change_status"] in ("strengthened", "weakened")]
    assert moves and all(re.search(r"(raised|lowered) from .+ to .+", r["change"]) for r in moves), moves


def test_each_report_meeting_has_commitments_in_both_languages(evaluations):
    """The English and Chinese reports of 2013-2016 built together: four meetings, each with
    commitments in English and in Chinese (matched within their language)."""
    languages: dict[str, set[str]] = {}
    for meeting, language in evaluations["languages"]:
        languages.setdefault(meeting, set()).add(language)
    both = sorted(m for m, found in languages.items() if found == {"en", "zh"})
    assert both == ["two-sessions-2013", "two-sessions-2014", "two-sessions-2015", "two-sessions-2016"], languages


@pytest.mark.parametrize("name", ["互联网+", "中国制造2025"])
def test_chinese_formulations_are_first_seen_when_analysts_date_them(evaluations, name):
    (entry,) = [e for e in evaluations["formulations"] if e["name"] == name]
    assert entry["first_meeting"] == "two-sessions-2015", entry
