"""Smoke tests of the benchmark tooling (benchmarks.generate, benchmarks.run). No timing assertions."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from benchmarks.generate import generate
from benchmarks.run import STAGES, measure


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_generator_is_deterministic(tmp_path):
    a = generate(tmp_path / "a", 3, 3, seed=7)
    b = generate(tmp_path / "b", 3, 3, seed=7)
    generate(tmp_path / "c", 3, 3, seed=8)
    assert {k: v for k, v in a.items() if k != "out_dir"} == {k: v for k, v in b.items() if k != "out_dir"}
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert _tree(tmp_path / "a") != _tree(tmp_path / "c")


def test_generator_output(tmp_path):
    summary = generate(tmp_path, 3, 3, seed=1)
    files = sorted((tmp_path / "articles").iterdir())
    assert len(files) == summary["articles"] == 9
    assert all(p.suffix in (".txt", ".md", ".html") for p in files)
    gold = tomllib.loads((tmp_path / "gold.toml").read_text(encoding="utf-8"))
    planted = json.loads((tmp_path / "planted.json").read_text(encoding="utf-8"))
    assert gold["article"] and gold["link"] and gold["not_commitment"]
    assert len(gold["link"]) == len(planted["links"]) == summary["planted_links"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in files}
    for thread in planted["threads"]:  # every planted phrase is in the articles that state it
        for info in thread["presence"].values():
            assert info["articles"]
            assert all(info["phrase"] in texts[f] for f in info["articles"])


def test_generator_caps_meetings(tmp_path):
    summary = generate(tmp_path, 60, 1, seed=1)
    assert len(summary["meetings"]) == 50
    assert summary["notes"]


def test_runner_smoke(tmp_path):
    result = measure(9, meetings=3, repeat=1, seed=1, keep=tmp_path / "bench", difflib_budget=0.5, help_runs=1)
    json.dumps(result)  # serialisable
    for key in ("machine", "articles", "meetings", "mb", "full_build", "incremental", "cli_help_seconds", "site",
                "matching_quality", "fuzz_vs_difflib"):
        assert key in result, key
    assert result["articles"] == 9 and result["meetings"] == 3 and result["mb"] > 0
    full = result["full_build"]
    assert set(full["stages"]) == set(STAGES)
    for stage in ("ingestion", "extraction", "matching"):
        assert len(full["stages"][stage]["runs"]) == 1
    assert full["ingest"]["added"] == 9
    assert full["commitments"] > 0
    incremental = result["incremental"]
    assert incremental["add_one_article_latest_meeting"]["articles_added"] == 1
    assert incremental["add_one_article"]["articles_added"] == 1
    assert incremental["change_one_article"]["articles_changed"] == 1
    # Every page is rendered every run; one more article changes the files that show it.
    assert incremental["add_one_article_latest_meeting"]["site_files_changed"] > 0
    assert result["tracker_build_command"]["full"]["median"] > 0
    assert result["tracker_build_command"]["add_one_article_latest_meeting"]["median"] > 0
    assert incremental["fingerprint_build"]["library_says_full_build"]
    assert not incremental["noop_build"]["library_says_full_build"] and incremental["noop_build"]["site_files_changed"] == 0
    quality = result["matching_quality"]
    for key in ("precision", "recall"):
        assert isinstance(quality[key], float | int) and 0 <= quality[key] <= 1, (key, quality[key])
    assert quality["planted_links"] > 0
    fuzz = result["fuzz_vs_difflib"]
    assert fuzz["pairs"] > 0 and fuzz["rapidfuzz_score_matrix_seconds"] > 0


@pytest.mark.parametrize("seed", [3])
def test_generated_articles_are_assigned_to_their_meetings(tmp_path, seed):
    """The planted commitments are extracted and the articles are detected as their meeting."""
    from tracker.config import Settings
    from tracker.db import connect, transaction
    from tracker.evaluate import evaluate
    from tracker.build import build

    generate(tmp_path / "c", 2, 3, seed=seed)
    settings = Settings(project_dir=tmp_path, articles_dir=tmp_path / "c" / "articles",
                        db_url=f"sqlite:///{tmp_path}/t.db", site_dir=tmp_path / "site")
    engine = connect(settings.db_url)
    build(engine, settings, render=False)
    with transaction(engine) as session:
        results = evaluate(session, settings, tmp_path / "c" / "gold.toml").results
    by_kind = {}
    for r in results:
        by_kind.setdefault(r.kind, []).append(r.passed)
    assert all(by_kind["article"])
    assert all(by_kind["not_commitment"])


def test_devcorpus_says_clearly_when_the_shared_folder_is_absent(tmp_path, capsys):
    from benchmarks import devcorpus

    assert devcorpus.main(["--shared", str(tmp_path / "nowhere"), "--repeat", "1"]) == 2
    err = capsys.readouterr().err
    assert "nowhere is absent" in err and "corpus/gwr/en" in err
    (tmp_path / "shared" / "articles").mkdir(parents=True)
    assert devcorpus.main(["--shared", str(tmp_path / "shared"), "--repeat", "1"]) == 2
    assert "articles holds no article" in capsys.readouterr().err
    (tmp_path / "shared" / "articles" / "a.txt").write_text("China will act.", encoding="utf-8")
    assert devcorpus.main(["--shared", str(tmp_path / "shared"), "--repeat", "1"]) == 2
    assert "corpus/gwr/en is absent" in capsys.readouterr().err


@pytest.mark.skipif(not all((Path(__file__).resolve().parents[2] / "shared" / f).is_dir() for f in ("articles", "corpus/gwr/en", "corpus/news")),
                    reason="the development corpus (../shared) is not next to the project")
def test_devcorpus_smoke(tmp_path):
    """One full build of the development corpus in a fresh process (about 15 s); no timing asserted."""
    from benchmarks import devcorpus

    result = devcorpus.measure(repeat=1, keep=tmp_path / "dev")
    json.dumps(result)
    assert result["corpus"]["articles"] == len(devcorpus.corpus_files(devcorpus.DEFAULT_SHARED)) > 0
    assert result["corpus"]["mb"] > 0 and result["full_build_seconds"]["median"] > 0 and result["mb_per_second"] > 0
    assert len(result["full_build_seconds"]["runs"]) == 1 and result["exit_codes"][0] in (0, 3)
    per_meeting = result["commitments_per_meeting"]
    assert per_meeting and result["commitments"] == sum(m["commitments"] for m in per_meeting)
    assert max(m["commitments"] for m in per_meeting) > 100  # a work report
    # Nothing of the corpus lands in the project.
    assert not list(devcorpus.ROOT.glob("**/gwr_2014.txt"))
