"""Project folders: found from --project, $TRACKER_PROJECT or the current folder; tracker.toml;
rule files packaged as defaults and overridden key by key; `tracker init`; read-only commands
that never create a database."""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SAMPLE_DIR
from tracker.cli import app
from tracker.config import DEFAULTS_DIR, RULE_FILES, Performance, Settings
from tracker.toml_files import ConfigError, load_toml, merge_rules
from tracker.lexicon import load_lexicon
from tracker.new_project import TEMPLATE_DIR


def tracker(*args, env: dict | None = None):
    # COLUMNS: a wide terminal, so rich does not wrap the lines the tests read.
    return CliRunner(env={"COLUMNS": "300", **(env or {})}).invoke(app, [str(a) for a in args])


@pytest.fixture
def built(tmp_path) -> Settings:
    """A project built from the sample articles, by `tracker build --project`."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(SAMPLE_DIR, project / "articles")
    result = tracker("build", "--no-site", "--project", project)
    assert result.exit_code == 0, result.output
    return Settings(project_dir=project)


def test_build_in_an_empty_folder_puts_database_and_site_there(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = tracker("build", "--articles", SAMPLE_DIR, "--format", "json")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tracker.db").is_file() and (tmp_path / "site" / "index.html").is_file()
    assert json.loads(result.stdout)["commitments"]
    meetings = json.loads(tracker("meetings", "--format", "json").stdout)
    assert {m["id"] for m in meetings} == {"cpc-20-congress", "two-sessions-2024", "cpc-20-cc-3-plenum"}


def test_init_then_build(tmp_path):
    project = tmp_path / "new"
    result = tracker("init", project)
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == [
        "README.md", "articles/example.md", "tracker.toml"]
    assert tomllib.loads((project / "tracker.toml").read_text()) == {}  # every setting commented out
    built = tracker("build", "--project", project, "--format", "json")
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout)["commitments"]["two-sessions-2024"] > 0  # the example article
    assert (project / "tracker.db").is_file() and (project / "site" / "index.html").is_file()


def test_init_never_overwrites(tmp_path):
    (tmp_path / "README.md").write_text("mine")
    result = tracker("init", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'README.md'} already exists: nothing written"
    assert (tmp_path / "README.md").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]


READ_ONLY = [("meetings",), ("show", "Third Plenum"), ("commitments", "Third Plenum"),
             ("diff", "20th Party Congress", "Third Plenum"), ("formulations",), ("targets",),
             ("eval", ROOT / "data" / "gold" / "sample.toml"), ("link", "a", "b"), ("unlink", "a", "b")]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: c[0])
def test_read_only_commands_never_create_a_database(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = tracker(*command)
    assert result.exit_code == 1
    assert result.stderr == "error: no database at tracker.db: run `tracker build` first (or pass --project/--db)\n"
    assert list(tmp_path.iterdir()) == []
    elsewhere = tracker(*command, "--db", f"sqlite:///{tmp_path}/other.db")
    assert elsewhere.exit_code == 1 and f"no database at {tmp_path}/other.db" in elsewhere.stderr
    assert list(tmp_path.iterdir()) == []


def test_commands_run_from_any_folder_with_project(built, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = tracker("diff", "20th Party Congress", "Third Plenum", "--stat", "--project", built.project_dir)
    assert result.exit_code == 0, result.output
    assert "persisted" in result.stdout
    by_env = tracker("meetings", "--format", "json", env={"TRACKER_PROJECT": str(built.project_dir)})
    assert by_env.exit_code == 0 and len(json.loads(by_env.stdout)) == 3
    assert list(elsewhere.iterdir()) == []


def test_a_missing_project_folder_is_one_line(tmp_path):
    result = tracker("meetings", "--project", tmp_path / "nope")
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path / 'nope'}: no such project folder (`tracker init {tmp_path / 'nope'}` creates one)\n"


def test_tracker_toml_names_the_paths_relative_to_the_project(tmp_path, monkeypatch):
    project = tmp_path / "p"
    project.mkdir()
    (project / "tracker.toml").write_text('articles = "texts"\ndatabase = "db/my.db"\nsite = "out"\nrules = "rules"\n'
                                          '[performance]\nworkers = 1\n')
    settings = Settings(project_dir=project)
    assert (settings.articles_dir, settings.site_dir, settings.rules_dir) == (project / "texts", project / "out", project / "rules")
    assert settings.db_url == f"sqlite:///{project / 'db' / 'my.db'}" and settings.sqlite_path == project / "db" / "my.db"
    assert settings.corrections_path == project / "rules" / "corrections.toml"
    assert settings.lock_path == project / "db" / "my.db.lock"
    assert settings.performance == Performance(workers=1)
    # Flags win over tracker.toml, $TRACKER_DB over its database.
    assert Settings(project_dir=project, articles_dir=tmp_path / "a").articles_dir == tmp_path / "a"
    monkeypatch.setenv("TRACKER_DB", "sqlite:///elsewhere.db")
    assert Settings(project_dir=project).db_url == "sqlite:///elsewhere.db"
    monkeypatch.delenv("TRACKER_DB")
    shutil.copytree(SAMPLE_DIR, project / "texts")
    (project / "db").mkdir()
    monkeypatch.chdir(tmp_path)
    result = tracker("build", "--project", "p")
    assert result.exit_code == 0, result.output
    assert (project / "db" / "my.db").is_file() and (project / "out" / "index.html").is_file()


@pytest.mark.parametrize(("text", "message"), [
    ('articels = "a"\n', "unknown key 'articels'"),
    ("site = 3\n", "site must be a path in quotes"),
    ("[performance]\nworkers = -1\n", "[performance] workers must be a whole number, 0 or more"),
    ("[performance]\nthreads = 2\n", "unknown key 'threads' in [performance]"),
    ("articles = \n", "not valid TOML"),
])
def test_a_broken_tracker_toml_is_one_line_naming_it(tmp_path, text, message):
    (tmp_path / "tracker.toml").write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Settings(project_dir=tmp_path)
    result = tracker("meetings", "--project", tmp_path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {tmp_path / 'tracker.toml'}: ") and result.stderr.count("\n") == 1
    assert message in result.stderr  # [tables] printed as written, not taken for markup


def test_a_project_rule_file_overrides_the_defaults_key_by_key(tmp_path):
    packaged = Settings(project_dir=tmp_path)  # no rule file of its own
    project = tmp_path / "p"
    project.mkdir()
    (project / "rules.toml").write_text("[ingest]\nmax_bytes = 1000\n")
    (project / "topics.toml").write_text('[[topic]]\nid = "ports"\nlabel = "Ports"\nterms = ["ports"]\n\n'
                                         '[[topic]]\nid = "ai"\nlabel = "AI"\n')
    settings = Settings(project_dir=project)
    assert settings.rule_sources("rules.toml") == [DEFAULTS_DIR / "rules.toml", project / "rules.toml"]
    assert settings.rule_sources("commitments.toml") == [DEFAULTS_DIR / "commitments.toml"]
    assert settings.rules["ingest"]["max_bytes"] == 1000
    assert {**settings.rules["ingest"], "max_bytes": 0} == {**packaged.rules["ingest"], "max_bytes": 0}
    assert {**settings.rules, "ingest": None} == {**packaged.rules, "ingest": None}
    # Topics merge by id: a new id is added at the end, a known one changes only what is given.
    lexicon, packaged_lexicon = load_lexicon(settings), load_lexicon(packaged)
    assert [t.id for t in lexicon.topics] == [t.id for t in packaged_lexicon.topics] + ["ports"]
    assert lexicon.by_id["ai"].label == "AI"
    assert lexicon.topics_of("Artificial intelligence at the ports of Tianjin") == ["ai", "ports"]


def test_merge_rules_replaces_plain_values_and_lists():
    base = {"a": {"x": 1, "words": ["one", "two"]}, "items": [{"pattern": "p"}], "n": 1}
    merged = merge_rules(base, {"a": {"words": ["three"]}, "items": [{"pattern": "q"}]})
    assert merged == {"a": {"x": 1, "words": ["three"]}, "items": [{"pattern": "q"}], "n": 1}
    assert base["a"]["words"] == ["one", "two"]  # the defaults are not changed


def test_performance_is_not_a_rule(tmp_path):
    """The performance knobs live in tracker.toml, not in the fingerprinted rule files."""
    from tracker.runs import config_fingerprint

    for name in RULE_FILES:
        assert "performance" not in load_toml(DEFAULTS_DIR / name)
    assert "workers" not in load_toml(DEFAULTS_DIR / "commitments.toml")["matching"]
    before = config_fingerprint(Settings(project_dir=tmp_path))
    (tmp_path / "tracker.toml").write_text("[performance]\nworkers = 1\nparallel_min_items = 2\n")
    assert config_fingerprint(Settings(project_dir=tmp_path)) == before
    (tmp_path / "rules.toml").write_text("[ingest]\nmax_bytes = 10\n")
    assert config_fingerprint(Settings(project_dir=tmp_path)) != before


def test_package_data_ships_the_defaults_and_the_template():
    """pyproject's package-data (globs relative to each package, as setuptools reads them) takes
    every data file of the packages into a wheel: the rule files, the project template, the
    site's templates and static files."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert sorted(p.name for p in DEFAULTS_DIR.iterdir()) == sorted(RULE_FILES)
    for package, folders in (("tracker", (DEFAULTS_DIR, TEMPLATE_DIR)), ("timeline", ("templates", "static"))):
        root = ROOT / package
        shipped = {p for pattern in package_data[package] for p in root.glob(pattern) if p.is_file()}
        files = {p for folder in folders for p in (root / folder).rglob("*") if p.is_file()}
        assert files and files <= shipped, sorted(map(str, files - shipped))
