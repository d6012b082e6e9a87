"""Storage and ingestion against PostgreSQL, at the SQLAlchemy URL in $TRACKER_TEST_PG.

Skipped when it is unset. Each test starts from an empty schema (drop_all + create_all).
Example: TRACKER_TEST_PG=postgresql+psycopg://tracker:tracker@127.0.0.1:5432/tracker_test
"""

from __future__ import annotations

import os

import pytest

from conftest import DATA_DIR
from storage_scenarios import (
    check_bad_file_skipped,
    check_changed_file,
    check_deleted_file,
    check_idempotent,
    check_inferred_meeting,
    check_sample_corpus,
    run_ingest,
    stored_articles,
)
from tracker.config import Settings

PG_URL = os.environ.get("TRACKER_TEST_PG", "").strip()

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TRACKER_TEST_PG not set: no PostgreSQL server to test against"),
]


@pytest.fixture
def pg_settings(articles_dir):
    from tracker.db import Base, make_engine

    engine = make_engine(PG_URL)
    try:
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
    finally:
        engine.dispose()
    yield Settings(data_dir=DATA_DIR, articles_dir=articles_dir, db_url=PG_URL)
    engine = make_engine(PG_URL)
    try:
        Base.metadata.drop_all(engine)
    finally:
        engine.dispose()


def test_backend_is_postgresql(pg_settings):
    from tracker.db import connect

    engine = connect(pg_settings.db_url)
    try:
        assert engine.dialect.name == "postgresql"
    finally:
        engine.dispose()


def test_ingest_sample_corpus(sample_copy, pg_settings):
    check_sample_corpus(pg_settings)


def test_ingest_again_is_idempotent(sample_copy, pg_settings):
    check_idempotent(pg_settings)


def test_changed_file_replaces_its_article(sample_copy, pg_settings):
    check_changed_file(pg_settings)


def test_deleted_file_removes_its_article(sample_copy, pg_settings):
    check_deleted_file(pg_settings)


def test_bad_file_skipped_and_stored_version_kept(sample_copy, pg_settings):
    check_bad_file_skipped(pg_settings)


def test_inferred_meeting_stored_and_removed(pg_settings):
    check_inferred_meeting(pg_settings)


def test_non_ascii_text_round_trips(pg_settings):
    text = "Notes\n\nChina’s “new productive forces” – 新质生产力 – dominated the 2024 Two Sessions in March 2024.\n"
    (pg_settings.articles_dir / "zh.txt").write_text(text, encoding="utf-8")
    report = run_ingest(pg_settings)
    assert report.added == ["zh.txt"]
    assert "新质生产力" in stored_articles(pg_settings)["zh.txt"]["text"]
