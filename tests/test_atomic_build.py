"""Consistent and atomic builds: the site folder holds a whole site at every instant, leftovers
of killed runs go, a full disk is one line with nothing lost, readers are not blocked while a
build writes (SQLite WAL), one run per PostgreSQL database (advisory lock), run numbers
without gaps, and `--full` on an existing database gives what a fresh build gives."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import timeline.writer as writer_module
from tracker.build import RunLocked, build, run_lock
from tracker.cli import app
from tracker.config import SITE_MARKER, Settings
from tracker.db import ADVISORY_LOCK_KEY, Article, Base, Run, connect

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "data" / "articles").iterdir())


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def full_dump(engine, numbered: bool = True) -> dict[str, list[str]]:
    """Every row of every table, sorted, all columns but the time a run finished. Without
    `numbered`: no run history, and rows told apart by what they hold rather than by the
    numbers the database gave them (an article by its file)."""
    dump = {}
    with engine.connect() as connection:
        files = dict(connection.execute(select(Article.id, Article.file)).all())
        for table in Base.metadata.sorted_tables:
            if not numbered and table.name == "runs":
                continue
            columns = [
                c
                for c in table.columns
                if (table.name, c.name) != ("runs", "finished")
                and (numbered or not (c.primary_key and c.autoincrement is True))
            ]
            rows = [
                dict(zip([c.name for c in columns], row, strict=True)) for row in connection.execute(select(*columns))
            ]
            if not numbered:
                for row in rows:
                    if "article_id" in row:
                        row["article_id"] = files[row["article_id"]]
            dump[table.name] = sorted(json.dumps(row, default=str, sort_keys=True) for row in rows)
    return dump


@pytest.fixture
def work(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    return Settings(
        project_dir=ROOT, articles_dir=articles, db_url=f"sqlite:///{tmp_path}/t.db", site_dir=tmp_path / "site"
    )


def add(work: Settings, *paths: Path) -> None:
    assert work.articles_dir is not None
    for path in paths:
        shutil.copy2(path, work.articles_dir / path.name)


def cli_build(work: Settings, *extra: str):
    return CliRunner().invoke(
        app,
        ["build", "--articles", str(work.articles_dir), "--db", str(work.db_url), "--site", str(work.site_dir), *extra],
    )


def _exchange_supported(folder: Path) -> bool:
    a, b = folder / "probe-a", folder / "probe-b"
    a.mkdir()
    b.mkdir()
    try:
        return writer_module._exchange(a, b)
    finally:
        shutil.rmtree(a)
        shutil.rmtree(b)


# ---------------------------------------------------------------- the site swap


def test_the_site_folder_holds_a_whole_site_at_every_step_of_the_swap(work, tmp_path, monkeypatch):
    """Every rename the publishing does is checked: after it, site/index.html must be there.
    (Moving the old site aside and the new one in, two renames, leaves a moment without it.)"""
    if not _exchange_supported(tmp_path):
        pytest.skip("no atomic exchange of folders on this system: publishing falls back to two renames")
    add(work, *SAMPLE[:2])
    engine = connect(work.db_url)
    build(engine, work)
    old_site = tree(work.site_dir)
    assert work.site_dir is not None
    real_rename, real_replace = os.rename, os.replace
    steps = []

    def checked(real):
        def rename(src, dst, *args, **kwargs):
            real(src, dst, *args, **kwargs)
            steps.append((src, dst))
            assert (work.site_dir / "index.html").is_file(), f"no site after renaming {src} to {dst}"

        return rename

    monkeypatch.setattr(os, "rename", checked(real_rename))
    monkeypatch.setattr(os, "replace", checked(real_replace))
    add(work, *SAMPLE[2:])
    report = build(engine, work)
    assert report.site_written > 0 and tree(work.site_dir) != old_site  # the new site is in place
    assert (work.site_dir / SITE_MARKER).is_file() and not work.site_dir.is_symlink()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]


def test_leftovers_of_killed_runs_are_removed_by_the_next_run(work, tmp_path):
    add(work, *SAMPLE[:2])
    for name in (".site.tmp-k1l2m3", ".site.old-x9y8z7"):  # a killed run's: the marker is written first
        (tmp_path / name / "data").mkdir(parents=True)
        (tmp_path / name / SITE_MARKER).write_text("a site\n")
        (tmp_path / name / "data" / "dataset.json").write_bytes(b"0" * 100_000)
    (tmp_path / ".site.tmp-q1w2e3").mkdir()  # killed before its first file
    (tmp_path / ".other.tmp-keep").mkdir()  # not this site's: left alone
    build(connect(work.db_url), work)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".other.tmp-keep"]


def test_files_and_folders_that_only_look_like_leftovers_are_kept(tmp_path):
    from timeline.writer import remove_leftovers

    (tmp_path / ".notes.old-2023").mkdir()
    (tmp_path / ".notes.old-2023" / "important.txt").write_text("precious")  # someone's backup
    (tmp_path / ".notes.tmp-backup").write_text("precious")  # a file
    (tmp_path / ".notes.old-link").symlink_to(tmp_path / ".notes.old-2023")  # a link
    (tmp_path / ".bashrc.old-1").mkdir()
    (tmp_path / ".bashrc.old-1" / SITE_MARKER).write_text("")  # another name's: a glob must not reach it
    before = sorted(p.name for p in tmp_path.iterdir())
    remove_leftovers(tmp_path, "notes")
    remove_leftovers(tmp_path, "*")  # a site named "*": its glob characters are only characters
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / ".notes.old-2023" / "important.txt").read_text() == "precious"


def test_a_full_disk_while_rendering_is_one_line_and_loses_nothing(work, tmp_path, monkeypatch):
    add(work, *SAMPLE[:3])
    assert cli_build(work).exit_code == 0
    engine = connect(work.db_url)
    db_before, site_before = full_dump(engine), tree(work.site_dir)
    add(work, *SAMPLE[3:])
    real_put, calls = writer_module.Writer.put, {"n": 0}

    def put(self, rel, data):
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.root / rel))
        return real_put(self, rel, data)

    monkeypatch.setattr(writer_module.Writer, "put", put)
    result = cli_build(work)
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in result.output, message
    assert "cannot write the site" in message and "No space left on device" in message, message
    assert full_dump(engine) == db_before  # the run rolled back
    assert tree(work.site_dir) == site_before  # the old site intact
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]
    monkeypatch.setattr(writer_module.Writer, "put", real_put)
    assert cli_build(work).exit_code == 0 and tree(work.site_dir) != site_before  # space again: it builds


# ---------------------------------------------------------------- SQLite: readers during a build


def test_a_reader_can_query_while_a_write_transaction_is_open(work):
    engine = connect(work.db_url)
    path = str(work.sqlite_path)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    writer = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    reader = sqlite3.connect(path, timeout=0.2)
    try:
        # EXCLUSIVE: with a rollback journal no reader gets in until it ends ("database is locked").
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("INSERT INTO settings (key, value) VALUES ('during', 'a build')")
        keys = {row[0] for row in reader.execute("SELECT key FROM settings")}
        assert "schema_version" in keys and "during" not in keys  # the last committed state
        writer.execute("COMMIT")
    finally:
        writer.close()
        reader.close()


# ---------------------------------------------------------------- run numbers


def test_a_rolled_back_run_takes_no_run_number(work, monkeypatch):
    add(work, SAMPLE[0])
    engine = connect(work.db_url)
    build(engine, work)
    add(work, SAMPLE[1])

    def broken(*args, **kwargs):
        raise RuntimeError("rendering failed")

    real_prepare = writer_module.prepare_site
    monkeypatch.setattr(writer_module, "prepare_site", broken)
    with pytest.raises(RuntimeError):
        build(engine, work)  # the run was recorded, then rolled back
    monkeypatch.setattr(writer_module, "prepare_site", real_prepare)
    build(engine, work)
    add(work, SAMPLE[2])
    build(engine, work)
    with engine.connect() as connection:
        assert list(connection.scalars(select(Run.id).order_by(Run.id))) == [1, 2, 3]


# ---------------------------------------------------------------- --full on an existing database


def fresh_build(work: Settings, tmp_path: Path):
    """The same articles built from nothing into a database and site of their own: (settings, engine)."""
    fresh = Settings(
        project_dir=ROOT,
        articles_dir=work.articles_dir,
        db_url=f"sqlite:///{tmp_path}/fresh.db",
        site_dir=tmp_path / "fresh-site",
    )
    fresh_engine = connect(fresh.db_url)
    build(fresh_engine, fresh, full=True)
    return fresh, fresh_engine


def test_full_build_on_an_existing_database_equals_a_fresh_build(work, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the run times shown on the site, pinned
    engine = connect(work.db_url)
    add(work, *SAMPLE)
    build(engine, work)
    built_once = full_dump(engine), tree(work.site_dir)
    again = build(engine, work, full=True)
    assert again.full
    fresh, fresh_engine = fresh_build(work, tmp_path)
    assert full_dump(engine) == full_dump(fresh_engine) == built_once[0]
    assert tree(work.site_dir) == tree(fresh.site_dir) == built_once[1]  # type: ignore[arg-type]


def test_full_build_after_a_history_of_runs_equals_a_fresh_build(work, tmp_path, monkeypatch):
    """Articles added in two runs, one changed, one deleted, then `--full`: every table equals a
    fresh build's but for the numbers the database gave rows and the run history, and so does
    every page but the two that show that history."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert work.articles_dir is not None
    engine = connect(work.db_url)
    for batch in (SAMPLE[:2], SAMPLE[2:]):
        add(work, *batch)
        build(engine, work)
    changed = work.articles_dir / SAMPLE[0].name
    changed.write_text(SAMPLE[0].read_text() + "\nChina will vigorously expand quantum networks.\n")
    (work.articles_dir / SAMPLE[1].name).unlink()
    build(engine, work)
    build(engine, work, full=True)
    fresh, fresh_engine = fresh_build(work, tmp_path)
    assert full_dump(engine, numbered=False) == full_dump(fresh_engine, numbered=False)
    history = ("recent.html", "feed.xml")
    site, fresh_site = tree(work.site_dir), tree(fresh.site_dir)  # type: ignore[arg-type]
    assert sorted(k for k in site.keys() | fresh_site.keys() if site.get(k) != fresh_site.get(k)) == sorted(history)


# ---------------------------------------------------------------- one run per database


class FakeConnection:
    """Records the statements run on it; pg_try_advisory_lock answers from `answers`."""

    def __init__(self, log: list, answers: list[bool]):
        self.log, self.answers = log, answers

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.log.append("close")

    def execute(self, statement, params=None):
        sql = str(statement)
        self.log.append((sql, params))
        answer = self.answers.pop(0) if "pg_try_advisory_lock" in sql else True
        return type("Result", (), {"scalar": lambda _self: answer})()

    def commit(self):
        self.log.append("commit")

    def rollback(self):
        self.log.append("rollback")


def fake_engine(monkeypatch, answers: list[bool]) -> list:
    import tracker.db

    log: list = []

    class Engine:
        def connect(self):
            return FakeConnection(log, answers)

        def dispose(self):
            log.append("dispose")

    monkeypatch.setattr(tracker.db, "make_engine", lambda url: Engine())
    return log


def test_a_postgresql_run_holds_the_advisory_lock_for_the_whole_run(tmp_path, monkeypatch):
    log = fake_engine(monkeypatch, [True])
    settings = Settings(project_dir=tmp_path, db_url="postgresql+psycopg://u@db.example/tracker")
    with run_lock(settings, timeout=1):
        log.append("the run")
    statements = [entry[0] if isinstance(entry, tuple) else entry for entry in log]
    assert statements == [
        "SELECT pg_try_advisory_lock(:key)",
        "commit",
        "the run",
        "SELECT pg_advisory_unlock(:key)",
        "commit",
        "close",
        "dispose",
    ]
    assert all(entry[1] == {"key": ADVISORY_LOCK_KEY} for entry in log if isinstance(entry, tuple))


def test_a_second_postgresql_run_gives_up_with_the_lock_busy_code(tmp_path, monkeypatch):
    from tracker.command_line import EXIT_LOCKED

    log = fake_engine(monkeypatch, [False] * 100)
    settings = Settings(project_dir=tmp_path, db_url="postgresql+psycopg://u:secret@db.example/tracker")
    with pytest.raises(RunLocked, match="another tracker run holds the lock of database db.example/tracker"):
        with run_lock(settings, timeout=0.3):
            pytest.fail("the run must not start")
    assert "pg_advisory_unlock" not in str(log) and "secret" not in str(log)
    (tmp_path / "articles").mkdir()
    result = CliRunner().invoke(
        app, ["build", "--project", str(tmp_path), "--db", str(settings.db_url), "--lock-timeout", "0"]
    )
    assert result.exit_code == EXIT_LOCKED, result.output
    assert "another tracker run holds the lock of database" in result.stderr and "secret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_sqlite_takes_no_database_lock(work, monkeypatch):
    import tracker.db

    def no_engine(url):
        raise AssertionError("SQLite has its lock file; no connection for a lock")

    monkeypatch.setattr(tracker.db, "make_engine", no_engine)
    with run_lock(work, timeout=1):
        assert work.lock_path.exists()


# ---------------------------------------------------------------- workers die with a killed run

WORKERS_THAT_WAIT = """
import time
from pathlib import Path
from tracker.config import Performance, Settings
from tracker.parallel import parallel_map

def wait(item, job):
    time.sleep(600)

settings = Settings(project_dir=Path({folder!r}), performance=Performance(workers=2, parallel_min_items=1))
list(parallel_map(wait, list(range(4)), None, settings))
"""


def children_of(pid: int) -> set[int]:
    found = set()
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat_file.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_the_workers_of_a_run_killed_with_sigkill_do_not_live_on(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    run = subprocess.Popen([sys.executable, "-c", WORKERS_THAT_WAIT.format(folder=str(tmp_path))], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while len(workers := children_of(run.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) >= 2, "the run started its workers"
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    deadline = time.monotonic() + 30
    while (alive := {w for w in workers if Path(f"/proc/{w}").exists()}) and time.monotonic() < deadline:
        time.sleep(0.1)
    for w in alive:  # clean up before failing
        os.kill(w, signal.SIGKILL)
    assert not alive, "workers outlived the killed run"
