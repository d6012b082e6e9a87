"""Storage and ingestion against PostgreSQL, at the SQLAlchemy URL in $TRACKER_TEST_PG.

Skipped when it is unset. Each test starts from an empty schema (drop_all + create_all).
Example: TRACKER_TEST_PG=postgresql+psycopg://tracker:tracker@127.0.0.1:5432/tracker_test
"""

from __future__ import annotations


import pytest

from conftest import PG_URL, ROOT, SAMPLE_DIR, empty_postgres_schema
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

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TRACKER_TEST_PG not set: no PostgreSQL server to test against"),
]


@pytest.fixture
def pg_settings(articles_dir):
    empty_postgres_schema(PG_URL)
    yield Settings(project_dir=ROOT, articles_dir=articles_dir, db_url=PG_URL)
    empty_postgres_schema(PG_URL, create=False)


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


# ---------------------------------------------------------------- the whole pipeline on PostgreSQL


def test_pipeline_incremental_on_postgres_equals_full_build_on_sqlite(pg_settings, tmp_path):
    import shutil

    from test_nightly import SAMPLE, dump
    from tracker.db import connect
    from tracker.build import build

    pg = Settings(project_dir=ROOT, articles_dir=pg_settings.articles_dir, db_url=PG_URL, site_dir=tmp_path / "pg-site")
    engine = connect(PG_URL)
    try:
        for batch in (SAMPLE[:2], SAMPLE[2:]):
            for path in batch:
                shutil.copy2(path, pg.articles_dir / path.name)
            build(engine, pg)
        (pg.articles_dir / SAMPLE[0].name).write_text(
            SAMPLE[0].read_text() + "\nChina will vigorously expand quantum networks.\n"
        )
        (pg.articles_dir / SAMPLE[1].name).unlink()
        report = build(engine, pg)
        assert (
            not report.full and report.ingest.changed == [SAMPLE[0].name] and report.ingest.removed == [SAMPLE[1].name]
        )
        on_postgres = dump(engine)
    finally:
        engine.dispose()
    lite = Settings(
        project_dir=ROOT,
        articles_dir=pg.articles_dir,
        db_url=f"sqlite:///{tmp_path}/full.db",
        site_dir=tmp_path / "lite-site",
    )
    build(connect(lite.db_url), lite, full=True)
    assert dump(connect(lite.db_url)) == on_postgres


def test_eval_passes_on_postgres(pg_settings, tmp_path):
    import shutil

    from typer.testing import CliRunner

    from tracker.cli import app
    from tracker.db import connect
    from tracker.build import build

    for path in SAMPLE_DIR.iterdir():
        shutil.copy2(path, pg_settings.articles_dir / path.name)
    engine = connect(PG_URL)
    try:
        build(engine, pg_settings, render=False)
    finally:
        engine.dispose()
    result = CliRunner().invoke(app, ["eval", str(ROOT / "data" / "gold" / "sample.toml"), "--db", PG_URL])
    assert result.exit_code == 0, result.stdout
    assert "12 passed, 0 failed" in result.stdout


def test_failure_mid_match_leaves_postgres_as_before(pg_settings, monkeypatch):
    import shutil

    import tracker.matching as matching
    from test_nightly import SAMPLE, dump
    from tracker.db import connect
    from tracker.build import build

    engine = connect(PG_URL)
    try:
        for path in SAMPLE[:3]:
            shutil.copy2(path, pg_settings.articles_dir / path.name)
        build(engine, pg_settings, render=False)
        before = dump(engine)
        for path in SAMPLE[3:]:
            shutil.copy2(path, pg_settings.articles_dir / path.name)

        def broken(*args, **kwargs):
            raise RuntimeError("matching failed")

        monkeypatch.setattr(matching, "compare", broken)
        with pytest.raises(RuntimeError):
            build(engine, pg_settings, render=False)
        assert dump(engine) == before
    finally:
        engine.dispose()


def test_one_file_the_database_refuses_is_skipped_and_the_others_stored(pg_settings):
    """A path longer than the column allows: PostgreSQL refuses that row; the batch falls back
    to one savepoint per file, so only that file is skipped."""
    import shutil

    from tracker.db import connect, transaction
    from tracker.ingest import ingest

    deep = pg_settings.articles_dir
    for n in range(5):
        deep = deep / (f"{n}" * 220)
    deep.mkdir(parents=True)
    (deep / "long.txt").write_text("---\nmeeting: 2019 Two Sessions\n---\nChina will build more ports.\n")
    for path in sorted(SAMPLE_DIR.iterdir())[:2]:
        shutil.copy2(path, pg_settings.articles_dir / path.name)
    engine = connect(PG_URL)
    try:
        with transaction(engine) as session:
            report = ingest(session, pg_settings)
        assert len(report.added) == 2
        skipped = {p.file: p.reason for p in report.skipped}
        assert any(f.endswith("long.txt") and "cannot be stored" in r for f, r in skipped.items()), skipped
        assert len(stored_articles(pg_settings)) == 2
    finally:
        engine.dispose()


# ---------------------------------------------------------------- one run per database, run numbers


def test_a_second_run_on_one_database_exits_with_the_lock_busy_code(pg_settings, tmp_path):
    """Runs from different project folders share the database, not the lock file: the advisory
    lock excludes them. Before it, the second run failed with UniqueViolation and left a
    spurious run in the feed."""
    import shutil

    from sqlalchemy import select, text
    from typer.testing import CliRunner

    from tracker.cli import app
    from tracker.command_line import EXIT_LOCKED
    from tracker.db import ADVISORY_LOCK_KEY, Run, connect, make_engine

    for path in sorted(SAMPLE_DIR.iterdir())[:2]:
        shutil.copy2(path, pg_settings.articles_dir / path.name)
    args = ["build", "--project", str(tmp_path), "--articles", str(pg_settings.articles_dir), "--db", PG_URL]
    args += ["--site", str(tmp_path / "site"), "--lock-timeout", "0"]
    key = {"key": ADVISORY_LOCK_KEY}
    other = make_engine(PG_URL)
    try:
        with other.connect() as other_run:
            assert other_run.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar()
            result = CliRunner().invoke(app, args)
            assert result.exit_code == EXIT_LOCKED, result.output
            assert len(result.stderr.strip().splitlines()) == 1
            assert "another tracker run holds the lock of database" in result.stderr
            other_run.execute(text("SELECT pg_advisory_unlock(:key)"), key)
    finally:
        other.dispose()
    engine = connect(PG_URL)
    try:
        with engine.connect() as connection:
            assert list(connection.scalars(select(Run.id))) == []  # the refused run left nothing
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        with engine.connect() as connection:
            assert list(connection.scalars(select(Run.id))) == [1]
    finally:
        engine.dispose()


def test_a_rolled_back_run_takes_no_run_number_on_postgres(pg_settings, tmp_path, monkeypatch):
    """A sequence keeps the numbers of rolled-back inserts; runs are numbered by the build."""
    import shutil

    from sqlalchemy import select

    import timeline.writer as writer_module
    from tracker.build import build
    from tracker.db import Run, connect

    samples = sorted(SAMPLE_DIR.iterdir())
    work = Settings(project_dir=ROOT, articles_dir=pg_settings.articles_dir, db_url=PG_URL, site_dir=tmp_path / "site")
    engine = connect(PG_URL)
    try:
        shutil.copy2(samples[0], work.articles_dir / samples[0].name)
        build(engine, work)
        shutil.copy2(samples[1], work.articles_dir / samples[1].name)
        real_prepare = writer_module.prepare_site

        def broken(*args, **kwargs):
            raise RuntimeError("rendering failed")

        monkeypatch.setattr(writer_module, "prepare_site", broken)
        with pytest.raises(RuntimeError):
            build(engine, work)
        monkeypatch.setattr(writer_module, "prepare_site", real_prepare)
        build(engine, work)
        with engine.connect() as connection:
            assert list(connection.scalars(select(Run.id).order_by(Run.id))) == [1, 2]
    finally:
        engine.dispose()
