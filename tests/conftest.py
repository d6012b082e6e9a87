"""Shared fixtures: the project's real data files, a temp articles folder and a temp database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tracker.config import Settings
from tracker.meetings import load_catalog, load_kinds

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "articles"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    """A developer's TRACKER_DB / TRACKER_PROJECT must not leak into the tests."""
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_PROJECT", raising=False)


@pytest.fixture
def articles_dir(tmp_path) -> Path:
    path = tmp_path / "articles"
    path.mkdir()
    return path


@pytest.fixture
def settings(tmp_path, articles_dir) -> Settings:
    """A project in a temp folder (the packaged rules), its articles folder, a temp SQLite database."""
    return Settings(project_dir=tmp_path, articles_dir=articles_dir, db_url=f"sqlite:///{tmp_path}/t.db")


# A PostgreSQL database to test against (CI sets it; tests that need it are skipped without).
PG_URL = os.environ.get("TRACKER_TEST_PG", "").strip()


def empty_postgres_schema(url: str, create: bool = True) -> None:
    from tracker.db import Base, make_engine

    engine = make_engine(url)
    try:
        Base.metadata.drop_all(engine)
        if create:
            Base.metadata.create_all(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def stored_settings(request, tmp_path, articles_dir) -> Settings:
    """`settings` on each database the tool supports: the temp SQLite file, then the empty
    schema of $TRACKER_TEST_PG (skipped when it is unset)."""
    if request.param == "sqlite":
        yield Settings(project_dir=tmp_path, articles_dir=articles_dir, db_url=f"sqlite:///{tmp_path}/t.db")
        return
    if not PG_URL:
        pytest.skip("TRACKER_TEST_PG not set: no PostgreSQL server to test against")
    empty_postgres_schema(PG_URL)
    yield Settings(project_dir=tmp_path, articles_dir=articles_dir, db_url=PG_URL)
    empty_postgres_schema(PG_URL, create=False)


@pytest.fixture(scope="session")
def rules() -> dict:
    return Settings(project_dir=ROOT).rules


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(Settings(project_dir=ROOT).catalog)


@pytest.fixture(scope="session")
def kinds():
    return load_kinds(Settings(project_dir=ROOT).catalog)


@pytest.fixture
def sample_copy(articles_dir) -> Path:
    """The sample corpus copied into the temp articles folder (safe to edit and delete)."""
    for path in SAMPLE_DIR.iterdir():
        if path.is_file():
            shutil.copy2(path, articles_dir / path.name)
    return articles_dir
