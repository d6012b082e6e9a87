"""End to end on the real sample corpus data/articles/ (read in place, never modified)."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT, SAMPLE_DIR
from storage_scenarios import EXPECTED_SAMPLE_MEETINGS, SAMPLE_FILES, check_sample_corpus, run_ingest, stored_articles
from tracker.config import Settings


@pytest.fixture
def sample_settings(tmp_path) -> Settings:
    return Settings(project_dir=ROOT, articles_dir=SAMPLE_DIR, db_url=f"sqlite:///{tmp_path}/t.db")


def test_sample_files_are_the_expected_ones():
    assert sorted(p.name for p in SAMPLE_DIR.iterdir() if p.is_file()) == SAMPLE_FILES


def test_sample_corpus_meetings_articles_and_dates(sample_settings):
    check_sample_corpus(sample_settings)


def test_sample_corpus_titles_and_clean_text(sample_settings):
    run_ingest(sample_settings)
    articles = stored_articles(sample_settings)
    assert articles["000_e968482bdaf0a329.txt"]["title"] == "Tech Policy at China’s 2024 Two Sessions"
    assert articles["001_bec66fbcd87b5ca6.txt"]["title"] == "Tech Policy in China’s Third Plenum"
    assert articles["004_632af777cb7a8f71.txt"]["title"] == "Key tech policies from China’s 20th Communist Party Congress"
    for name, row in articles.items():
        text = row["text"]
        for junk in ("Want to read more?", "Subscribe for full access.", "The Authors", "By Nico Han",
                     "Associated Press", "Read more >", "Read More", "Yenching Scholar", "Editors:"):
            assert junk not in text, (name, junk)
        assert not text.startswith(("The Diplomat", "Overview", "China\n")), name
    assert "Build a modern industrial system" in articles["004_632af777cb7a8f71.txt"]["text"]
    assert articles["004_632af777cb7a8f71.txt"]["text"].startswith("On Oct. 16, top leaders")
    assert articles["000_e968482bdaf0a329.txt"]["text"].endswith("dependence on foreign manufacturing.")


def test_sample_corpus_dates_are_only_those_stated(sample_settings):
    run_ingest(sample_settings)
    articles = stored_articles(sample_settings)
    assert articles["004_632af777cb7a8f71.txt"]["date"] == dt.date(2022, 10, 16)
    for name in ("000_e968482bdaf0a329.txt", "002_4720f2c803981388.txt", "003_7cc84e104f871c44.txt"):
        assert articles[name]["date"] is None, name  # no day of the meeting is stated
    for name, row in articles.items():
        if row["date"] is not None:
            start, end, _files = EXPECTED_SAMPLE_MEETINGS[row["meeting_id"]]
            assert start <= row["date"] <= end, name
