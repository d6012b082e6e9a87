"""What every `tracker` command shares: exit codes, the common options, the project's settings
and database, one-line failures, and JSON on stdout."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import statuses

# Exit codes: the nightly job and scripts tell these apart.
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_SKIPPED = 3  # the run succeeded, but some files were skipped
EXIT_NOT_FOUND = 4
EXIT_LOCKED = 5


class TableOrJson(str, Enum):
    table = "table"
    json = "json"


ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        help=(
            "Project folder: articles, database, site, corrections and rule overrides, as its tracker.toml says "
            "(default: $TRACKER_PROJECT or the current folder)."
        ),
        show_default=False,
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy database URL (default: $TRACKER_DB, else the project's database, tracker.db).",
        show_default=False,
    ),
]
ArticlesOption = Annotated[
    Path | None,
    typer.Option("--articles", help="Folder of articles (default: the project's, articles/).", show_default=False),
]
FormatOption = Annotated[TableOrJson, typer.Option("--format", "-f", help="table for people, json for machines.")]


def stderr_console():
    """Reports and progress. soft_wrap: a report line stays one line whatever the width (a log
    file that stderr goes to has none, and rich would wrap at 80 columns). No emoji codes: a
    file named ":fire:.txt" is shown as it is."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, emoji=False)


def stdout_console():
    """Results for people; lines wrap at the terminal's width, and not at all into a pipe or file."""
    from rich.console import Console

    console = Console(emoji=False)
    console.soft_wrap = not console.is_terminal
    return console


def project_settings(project: Path | None, db: str | None, articles: Path | None = None, site: Path | None = None):
    """The project's settings, the command line's paths winning over its tracker.toml."""
    from .config import Settings

    if project is None:
        return Settings(articles_dir=articles, db_url=db, site_dir=site)
    return Settings(project_dir=project, articles_dir=articles, db_url=db, site_dir=site)


def engine_for(settings, create: bool = False):
    """The database; a read-only command (`create` False) never creates a SQLite file."""
    from .db import DatabaseError, connect

    database = settings.sqlite_path
    if not create and database is not None and not database.exists():
        fail(f"no database at {database}: run `tracker build` first (or pass --project/--db)")
    try:
        return connect(settings.db_url)
    except DatabaseError as exc:
        fail(str(exc))


def safe_url(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL has no password to hide that we can find
        return url.split("@")[-1]


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    from .terminal import safe

    # Made safe: a message quotes the files' [tables], names and values; one line, however narrow
    # the terminal (a message of several lines keeps them).
    stderr_console().print(f"[red]error:[/] {safe(message, lines=True)}", highlight=False)
    raise typer.Exit(code)


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@contextmanager
def run_lock_or_exit(settings, timeout: float):
    """tracker.build.run_lock, with its failures as messages and exit codes."""
    from .build import LockFileError, RunLocked, run_lock

    try:
        with run_lock(settings, timeout):
            yield
    except RunLocked as exc:
        fail(f"{exc} (use --lock-timeout to wait longer)", EXIT_LOCKED)
    except LockFileError as exc:
        fail(str(exc))


LockTimeoutOption = Annotated[
    float,
    typer.Option("--lock-timeout", help="Seconds to wait for another run to finish before giving up (exit code 5)."),
]


class TargetsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class DiffFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


# The --status choices: the vocabulary's statuses, in its order.
Status = Enum(  # type: ignore[misc]  # built from the vocabulary, which mypy cannot read
    "Status", {name.replace(" ", "_"): name for name in statuses.CHANGES}, type=str
)
DIFF_LIMIT = 20  # changes per status `tracker diff` prints in table and markdown form by default


@contextmanager
def database_errors(settings):
    """A database that fails mid-run: one line, and the transaction rolled back."""
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    try:
        yield
    except OperationalError as exc:
        fail(
            f"database unavailable or locked ({safe_url(settings.db_url)}): "
            f"{str(exc.orig).splitlines()[0] if exc.orig else exc}; nothing was changed"
        )
    except SQLAlchemyError as exc:
        fail(
            f"database error ({safe_url(settings.db_url)}): {exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0]}; nothing was changed"
        )
