"""Where one project's things live, and the rule files that steer the pipeline.

A project folder (`--project DIR`, else $TRACKER_PROJECT, else the current folder) holds the
articles, the database, the site, the analyst's corrections and overrides of the rule files;
its optional `tracker.toml` says where each is and how many cores a run may use. The rule
files (catalog, rules, commitment rules, topics, targets) ship with the package in
`tracker/defaults/`; a file of the same name in the project's rules folder overrides them key by
key (`merge_rules`), and the result is validated against its schema (tracker/rule_files/).
Everything an analyst may want to tune is TOML, not constants in code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .toml_files import ConfigError, load_rules, load_toml

PROJECT_FILE = "tracker.toml"
DEFAULTS_DIR = Path(__file__).with_name("defaults")
# The rule files the results depend on, each a packaged default a project may override.
RULE_FILES = ("meetings.toml", "rules.toml", "commitments.toml", "topics.toml", "targets.toml")
# tracker.toml's paths, relative to the project folder, and where each is without one (the
# corrections: corrections.toml in the rules folder). `database` may also be a database URL.
PROJECT_PATHS = {"articles": "articles", "database": "tracker.db", "site": "site", "rules": ".", "corrections": None}
# Written into every site this tool renders: only a folder holding it (or an empty one) may be
# replaced by a build, so a mistyped --site never deletes someone's files.
SITE_MARKER = ".policy-tracker-site"
# A site rendered before the marker existed: these files together, nothing a person keeps by hand.
SITE_LAYOUT = ("index.html", "feed.xml", "assets/site.css", "assets/plotly.min.js", "data/dataset.json")


class SiteError(ConfigError):
    """The site folder cannot be used (it would destroy input) or written; one line saying why."""


@dataclass(frozen=True)
class Performance:
    """tracker.toml [performance]: how much of the machine a run uses. Results never depend on
    it, so it stays out of the rule files (whose changes force a full build)."""

    workers: int = 0  # worker processes and scoring threads (0: one per core)
    parallel_min_items: int = 64  # smaller batches run in the main process: starting workers costs more

    @property
    def processes(self) -> int:
        return self.workers or os.cpu_count() or 1

    @property
    def threads(self) -> int:
        """rapidfuzz's `workers` (-1: all cores)."""
        return self.workers or -1


def site_base_url(value: str) -> str:
    """An absolute http(s) URL, ending in "/" so that the site's relative paths join onto it."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value.strip()):
        raise ConfigError(f"base URL {value!r}: expected an absolute http:// or https:// URL")
    return value.strip().rstrip("/") + "/"


def _project_dir_default() -> Path:
    return Path(os.environ.get("TRACKER_PROJECT") or ".")


@dataclass
class Settings:
    """One project's paths (explicit arguments win over tracker.toml, which wins over the
    defaults of PROJECT_PATHS; $TRACKER_DB wins over tracker.toml's database) and its rules."""

    project_dir: Path = field(default_factory=_project_dir_default)
    articles_dir: Path | None = None
    db_url: str | None = None
    site_dir: Path | None = None
    rules_dir: Path | None = None  # overrides of the packaged rule files
    corrections_path: Path | None = None
    performance: Performance | None = None
    base_url: str | None = None  # where the site is published (`tracker build --base-url`): the feed's links

    def __post_init__(self) -> None:
        if self.base_url is not None:
            self.base_url = site_base_url(self.base_url)
        self.project_dir = Path(self.project_dir)
        if not self.project_dir.is_dir():
            raise ConfigError(
                f"{self.project_dir}: no such project folder (`tracker init {self.project_dir}` creates one)"
            )
        project = self._project_file()

        def path(explicit, key: str) -> Path:
            if explicit is not None:
                return Path(explicit)
            return self.project_dir / Path(str(project.get(key, PROJECT_PATHS[key]))).expanduser()

        self.articles_dir = path(self.articles_dir, "articles")
        self.site_dir = path(self.site_dir, "site")
        self.rules_dir = path(self.rules_dir, "rules")
        if self.corrections_path is None and "corrections" not in project:
            self.corrections_path = self.rules_dir / "corrections.toml"
        self.corrections_path = path(self.corrections_path, "corrections")
        if self.db_url is None:
            database = str(project.get("database", PROJECT_PATHS["database"]))
            self.db_url = os.environ.get("TRACKER_DB") or (
                database if "://" in database else f"sqlite:///{self.project_dir / Path(database).expanduser()}"
            )
        if self.performance is None:
            self.performance = Performance(**project.get("performance", {}))

    def _project_file(self) -> dict:
        """tracker.toml, checked: only the known keys, each of its type."""
        path = self.project_dir / PROJECT_FILE
        if not path.is_file():
            return {}
        project = load_toml(path)
        for key, value in project.items():
            if key == "performance":
                if not isinstance(value, dict):
                    raise ConfigError(f"{path}: [performance] must be a table")
            elif key not in PROJECT_PATHS:
                raise ConfigError(f"{path}: unknown key {key!r} (known: {', '.join([*PROJECT_PATHS, 'performance'])})")
            elif not isinstance(value, str) or not value:
                raise ConfigError(f"{path}: {key} must be a path in quotes")
        for key, value in project.get("performance", {}).items():
            if key not in Performance.__dataclass_fields__:
                raise ConfigError(
                    f"{path}: unknown key {key!r} in [performance] "
                    f"(known: {', '.join(Performance.__dataclass_fields__)})"
                )
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{path}: [performance] {key} must be a whole number, 0 or more")
        return project

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the database is SQLite on disk, else None."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        if self.db_url is None:
            return None
        try:
            url = make_url(self.db_url)
        except ArgumentError:  # connect() says what is wrong with it
            return None
        if (
            url.get_backend_name() != "sqlite"
            or url.database in (None, "", ":memory:")
            or url.database.startswith("file:")
        ):
            return None
        return Path(url.database)

    @property
    def lock_path(self) -> Path:
        """The run lock: beside the SQLite database, else in the project folder."""
        database = self.sqlite_path
        return database.with_name(database.name + ".lock") if database else self.project_dir / ".tracker.lock"

    def check_site_dir(self) -> None:
        """Refuse (SiteError) a site folder whose replacement would destroy input: one that is,
        contains or lies inside the articles or rules folder, that is or contains the project
        folder, the database, the current folder or a home folder, or an existing path that is
        not a site this tool wrote."""
        assert self.site_dir is not None and self.articles_dir is not None and self.rules_dir is not None
        site = self.site_dir
        # The folder itself and, if it is a link, where it leads: either would be replaced.
        target = site_target(site)
        candidates = {target, site.resolve(), target.resolve()}
        guarded: list[tuple[Path, str, bool]] = [  # (path, what it is, may the site lie inside it)
            (self.articles_dir, "the articles folder", False),
            (self.project_dir, "the project folder", True),
            (Path.cwd(), "the current folder", True),
            *[(home, "a home folder", True) for home in _home_folders()],
        ]
        if self.rules_dir.resolve() != self.project_dir.resolve():
            guarded.append((self.rules_dir, "the rules folder", False))
        if self.corrections_path is not None:
            guarded.append((self.corrections_path, "the corrections file", True))
        database = self.sqlite_path
        if database is not None:
            guarded += [(database, "the database file", True), (database.parent, "the database's folder", True)]
        guarded.append((self.lock_path, "the run lock", True))
        # Sameness first: `--site .` is "the project folder" before it is "contains the articles".
        for relation in ("is", "contains", "lies inside"):
            for path, what, inside_ok in guarded:
                kept = path.resolve()
                for candidate in candidates:
                    if (
                        (relation == "is" and candidate == kept)
                        or (relation == "contains" and candidate in kept.parents)
                        or (relation == "lies inside" and not inside_ok and kept in candidate.parents)
                    ):
                        raise SiteError(f"site folder {site}: refused, it {relation} {what} ({kept})")
        # What is there: at the path written (`..` taken away by text, as the writer does) and
        # at the path as the system resolves it (they differ after a link): both must be sites.
        for there in dict.fromkeys((target, site)):
            if there.exists() and not there.is_dir():
                raise SiteError(f"site folder {site}: refused, it is an existing file, not a site this tool wrote")
            if there.exists() and not is_tool_site(there):
                raise SiteError(
                    f"site folder {site}: refused, it holds files and is not a site policy-tracker wrote "
                    f"(no {SITE_MARKER} in it); move it away or pick another site folder"
                )

    def rule_sources(self, name: str) -> list[Path]:
        """The files that make up rule file `name`, read in order (later ones override earlier):
        the packaged default, then the project's override if it has one."""
        assert self.rules_dir is not None  # set by __post_init__
        override = self.rules_dir / name
        return [DEFAULTS_DIR / name, *([override] if override.is_file() else [])]

    @cached_property
    def rules(self) -> dict:
        """Ingestion, detection, extraction and matching rules (rules.toml), validated against
        tracker/rule_files/rules.py, every default filled in. A plain dict: the detection code
        reads the file as one."""
        from .rule_files.rules import RulesFile
        from .rule_files.validation import load_rule_file

        return load_rule_file(self.rule_sources("rules.toml"), RulesFile).model_dump(by_alias=True)

    @cached_property
    def commitment_rules(self):
        """Commitment detection, items, emphasis, merging and matching (commitments.toml),
        validated: a tracker.rule_files.commitments.CommitmentsFile."""
        from .rule_files.commitments import CommitmentsFile
        from .rule_files.validation import load_rule_file

        return load_rule_file(self.rule_sources("commitments.toml"), CommitmentsFile)

    @cached_property
    def target_rules(self):
        """Quantified targets: metrics, how they are phrased, which way is more ambitious
        (targets.toml), validated and compiled."""
        from .rule_files.targets import TargetsFile
        from .rule_files.validation import load_rule_file
        from .targets import TargetRules

        return TargetRules(load_rule_file(self.rule_sources("targets.toml"), TargetsFile))

    @cached_property
    def topics(self):
        """The topic lexicon (topics.toml), validated: a tracker.rule_files.topics.TopicsFile."""
        from .rule_files.topics import TopicsFile
        from .rule_files.validation import load_rule_file

        return load_rule_file(self.rule_sources("topics.toml"), TopicsFile)

    @cached_property
    def catalog(self) -> dict:
        """The meeting catalog and its [kinds] (meetings.toml), checked by meetings.load_catalog."""
        return load_rules(self.rule_sources("meetings.toml"))


def is_tool_site(folder: Path) -> bool:
    """Whether a build may replace `folder`: a site this tool wrote (its marker, or the layout
    of one rendered before the marker existed), or an empty folder."""
    if (folder / SITE_MARKER).is_file() or all((folder / rel).is_file() for rel in SITE_LAYOUT):
        return True
    return not any(folder.iterdir())


def site_target(path: Path) -> Path:
    """Where a build writes the site given as `path`: made absolute as the writer does (`..`
    taken away by text), its parent's links resolved, not its own last part. Checked and
    written alike, so "lk/../x" cannot be checked at one place and replaced at another."""
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name


def _home_folders() -> set[Path]:
    """Every account's home folder (the current one at least): never a site folder."""
    homes = {Path.home()}
    try:
        import pwd

        homes |= {Path(entry.pw_dir) for entry in pwd.getpwall() if entry.pw_dir not in ("", "/")}
    except ImportError:  # no account database on this system (Windows)
        pass
    return homes
