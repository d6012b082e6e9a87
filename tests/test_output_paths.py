"""Site folders that would destroy input are refused before any work: one line naming the
folder and the reason, exit code 1, and every file where it was. Only a site this tool wrote
(its marker file), an empty folder or a new path may be replaced."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.config import SITE_LAYOUT, SITE_MARKER, Settings, SiteError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "data" / "articles").iterdir())[:2]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (links not followed) and the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and not p.name.endswith((".lock", "-wal", "-shm"))
    }


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A built project laid out like this repository: articles, database and rule overrides in
    data/, the site in site/; the current folder is the project."""
    folder = tmp_path / "proj"
    (folder / "data" / "articles").mkdir(parents=True)
    (folder / "tracker.toml").write_text(
        'articles = "data/articles"\ndatabase = "data/tracker.db"\nsite = "site"\nrules = "data"\n'
    )
    (folder / "data" / "corrections.toml").write_text("# the analyst's corrections\n")
    for path in SAMPLE:
        shutil.copy2(path, folder / "data" / "articles" / path.name)
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(app, ["build", "--project", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert (folder / "site" / SITE_MARKER).is_file()
    return folder


def refused(project: Path, site: str | Path, reason: str, *extra: str) -> str:
    before = snapshot(project)
    result = CliRunner().invoke(app, ["build", "--project", str(project), *extra, "--site", str(site)])
    assert result.exit_code == 1, result.stderr
    message = result.stderr.strip()
    assert "Traceback" not in message and len(message.splitlines()) == 1, message
    assert f"site folder {site}" in message and reason in message, message
    assert snapshot(project) == before, "a refused build changed files"
    return message


def test_the_data_folder_is_refused_and_nothing_is_deleted(project):
    refused(project, project / "data", "is the rules folder")  # and holds the articles and the database
    assert (project / "data" / "tracker.db").is_file() and len(list((project / "data" / "articles").iterdir())) == 2


def test_the_articles_folder_and_folders_inside_it_are_refused(project):
    refused(project, project / "data" / "articles", "is the articles folder")
    refused(project, project / "data" / "articles" / "out", "lies inside the articles folder")


def test_the_current_and_the_project_folder_are_refused(project):
    refused(project, ".", "is the project folder")
    refused(project, project, "is the project folder")
    refused(project, project.parent, "contains the articles folder")


def test_the_database_file_and_its_folder_are_refused(tmp_path, monkeypatch):
    folder = tmp_path / "other"
    (folder / "texts").mkdir(parents=True)
    (folder / "tracker.toml").write_text('articles = "texts"\ndatabase = "db/tracker.db"\n')
    shutil.copy2(SAMPLE[0], folder / "texts" / SAMPLE[0].name)
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, ["build", "--project", str(folder), "--no-site"]).exit_code == 0
    refused(folder, folder / "db" / "tracker.db", "is the database file")
    refused(folder, folder / "db", "is the database's folder")
    refused(folder, folder / "texts" / "site", "lies inside the articles folder")
    # Nothing was built before the refusal: the site check comes first, even with --full.
    refused(folder, folder / "db", "is the database's folder", "--full")


def test_a_home_folder_is_refused(project, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    (home / "notes" / "todo.txt").write_text("keep me\n")
    monkeypatch.setenv("HOME", str(home))
    refused(project, home, "is a home folder")
    refused(project, tmp_path, "contains")
    assert (home / "notes" / "todo.txt").read_text() == "keep me\n"


def test_an_existing_file_is_refused_and_kept(project):
    notes = project / "notes.txt"
    notes.write_text("not a site\n")
    refused(project, notes, "is an existing file")
    assert notes.read_text() == "not a site\n"


def test_an_existing_folder_the_tool_did_not_write_is_refused_and_kept(project):
    photos = project / "photos"
    photos.mkdir()
    (photos / "cat.jpg").write_bytes(b"\xff\xd8 a cat")
    (photos / "index.html").write_text("<p>my own page</p>")
    refused(project, photos, f"no {SITE_MARKER} in it")
    assert (photos / "cat.jpg").read_bytes() == b"\xff\xd8 a cat"


def test_a_folder_reached_by_dot_dot_after_a_link_is_checked_where_it_would_be_written(project):
    # "lk/../precious": the system resolves it through the link (a path with nothing there), the
    # writer takes ".." away by text (precious itself): the check must be of what is written.
    precious = project / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("my thesis")
    (project / "deep" / "a").mkdir(parents=True)
    (project / "lk").symlink_to(project / "deep" / "a", target_is_directory=True)
    refused(project, f"{project}/lk/../precious", f"no {SITE_MARKER} in it")
    assert (precious / "thesis.txt").read_text() == "my thesis"


def test_a_link_to_the_articles_folder_is_refused(project):
    link = project / "published"
    link.symlink_to(project / "data" / "articles", target_is_directory=True)
    refused(project, link, "is the articles folder")
    assert len(list((project / "data" / "articles").iterdir())) == 2


def test_the_project_site_setting_is_checked_too(project):
    (project / "tracker.toml").write_text(
        'articles = "data/articles"\ndatabase = "data/tracker.db"\nsite = "data/articles"\nrules = "data"\n'
    )
    before = snapshot(project)
    result = CliRunner().invoke(app, ["build", "--project", str(project)])
    assert result.exit_code == 1
    assert "refused, it is the articles folder" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_a_new_path_an_empty_folder_and_the_tools_own_site_are_accepted(project):
    for site in (project / "new" / "site", project / "empty"):
        if site.name == "empty":
            site.mkdir()
        result = CliRunner().invoke(app, ["build", "--project", str(project), "--site", str(site)])
        assert result.exit_code == 0, result.stderr
        assert (site / "index.html").is_file() and (site / SITE_MARKER).is_file()
    # The project's own site, built again (it holds the marker), keeps its path.
    result = CliRunner().invoke(app, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.stderr
    assert (project / "site" / "index.html").is_file()


def test_a_site_rendered_before_the_marker_existed_is_replaced(project):
    """Sites of earlier versions have no marker; their layout (all of SITE_LAYOUT) marks them."""
    (project / "site" / SITE_MARKER).unlink()
    settings = Settings(project_dir=project)
    settings.check_site_dir()  # the whole layout: accepted
    (project / "site" / SITE_LAYOUT[-1]).unlink()
    with pytest.raises(SiteError, match="not a site policy-tracker wrote"):
        settings.check_site_dir()


def test_a_site_beside_the_database_inside_its_folder_is_accepted(tmp_path):
    """Inside the database's folder (not the folder itself) is fine: data/site beside data/tracker.db."""
    (tmp_path / "articles").mkdir()
    settings = Settings(
        project_dir=tmp_path,
        db_url=f"sqlite:///{tmp_path}/data/tracker.db",
        site_dir=tmp_path / "data" / "site",
    )
    settings.check_site_dir()
    assert os.path.exists(tmp_path / "articles")
