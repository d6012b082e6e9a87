"""The `tracker` command: a thin typer layer over the library.

Heavy libraries (SQLAlchemy, dateparser, plotly, rapidfuzz) are imported inside the
commands that use them, so `tracker --help` starts fast.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from .command_line import (
    DIFF_LIMIT,
    EXIT_FAILURE,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_SKIPPED,
    ArticlesOption,
    DbOption,
    DiffFormat,
    FormatOption,
    LockTimeoutOption,
    ProjectOption,
    Status,
    TableOrJson,
    TargetsFormat,
    database_errors,
    engine_for,
    fail,
    print_json,
    project_settings,
    run_lock_or_exit,
    stderr_console,
    stdout_console,
)
from .diff_report import changed, diff_csv, diff_markdown, diff_markdown_stat, print_diff_stat, print_diff_table
from .terminal import (
    print_build_summary,
    print_commitments,
    print_evaluation,
    print_formulations,
    print_ingest_report,
    print_meeting,
    print_meetings,
    print_targets,
    safe,
    short_name,
)

# A command line that cannot be run as given (`tracker diff` with FROM and TO the same meeting):
# 2, as click exits on its own usage errors (a missing argument, an unknown option), so that
# `tracker diff --exit-code` (1: policy changed) is never taken for one.
EXIT_USAGE = 2


class _Commands(TyperGroup):
    """Every command: a missing or broken data file (tracker.toml, a rule file) is one line
    naming the file and what is wrong, exit code 1, no traceback."""

    def invoke(self, ctx):
        from .toml_files import ConfigError

        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            fail(str(exc))


app = typer.Typer(
    help="Follow a government's stated commitments from one political meeting to the next.",
    cls=_Commands,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"tracker (policy-tracker) {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Follow a government's stated commitments from one political meeting to the next."""


@app.command()
def ingest(
    db: DbOption = None,
    project: ProjectOption = None,
    articles: ArticlesOption = None,
    format: FormatOption = TableOrJson.table,
    lock_timeout: LockTimeoutOption = 60.0,
) -> None:
    """Read the articles folder into the database and assign each article to a meeting.

    Unchanged files are left alone, changed ones replace their earlier version, deleted ones
    are removed. Bad files are reported and skipped (exit code 3); what is stored stays.
    """
    from rich.progress import Progress

    from .db import transaction
    from .ingest import ingest as run_ingest
    from .ingest import scan_articles

    settings = project_settings(project, db, articles)
    console = stderr_console()
    with run_lock_or_exit(settings, lock_timeout):
        engine = engine_for(settings, create=True)
        total = len(scan_articles(settings.articles_dir, settings.rules["ingest"]["extensions"])[0])
        with Progress(console=console, transient=True, disable=total < 20) as progress:
            task = progress.add_task("ingesting", total=total)
            with transaction(engine) as session:
                report = run_ingest(session, settings, on_file=lambda _f: progress.advance(task))
    if format == TableOrJson.json:
        print_json(report.as_dict())
    print_ingest_report(console, report)
    raise typer.Exit(EXIT_SKIPPED if report.skipped else EXIT_OK)


@app.command()
def meetings(
    db: DbOption = None,
    format: FormatOption = TableOrJson.table,
    all_: Annotated[
        bool, typer.Option("--all", help="List every catalog meeting, not only those with articles.")
    ] = False,
    files: Annotated[bool, typer.Option("--files", help="Table: also list each meeting's article files.")] = False,
    project: ProjectOption = None,
) -> None:
    """List the meetings that have articles, in date order, one line each: id (what the other
    commands take), name, dates, how many articles and commitments."""
    from sqlalchemy import select

    from .db import Meeting, transaction
    from .queries import meeting_list, unassigned_articles

    settings = project_settings(project, db)
    engine = engine_for(settings)
    with transaction(engine) as session:
        data = meeting_list(session, all_)
        unassigned = unassigned_articles(session)
        shorts = {i: short_name(n, a) for i, n, a in session.execute(select(Meeting.id, Meeting.name, Meeting.aliases))}
    if format == TableOrJson.json:
        print_json(data)
        return
    print_meetings(stdout_console(), stderr_console(), data, unassigned, files, shorts)


def _meeting(session, spec: str, settings):
    """The stored meeting `spec` names (tracker.queries.resolve_meeting), or exit saying why."""
    from .meetings import MeetingNotFound
    from .queries import resolve_meeting

    others: list = []
    try:
        meeting = resolve_meeting(session, spec, settings, others)
    except MeetingNotFound as exc:
        fail(str(exc), EXIT_NOT_FOUND)
    if others:  # "Third Plenum": said, not silently picked
        stderr_console().print(
            f"note: {safe(repr(spec))} taken as {safe(meeting.id)}, the one with articles "
            f"(also: {safe(', '.join(m.id for m in others))})",
            highlight=False,
        )
    return meeting


@contextmanager
def _stored_meeting(project: Path | None, db: str | None, spec: str):
    """The project's settings, a session, and the stored meeting `spec` names (or exit saying why)."""
    from .db import transaction

    settings = project_settings(project, db)
    with transaction(engine_for(settings)) as session:
        yield settings, session, _meeting(session, spec, settings)


@app.command()
def show(
    meeting: Annotated[str, typer.Argument(help="Meeting id, name, alias (case-insensitive) or a date inside it.")],
    db: DbOption = None,
    format: FormatOption = TableOrJson.table,
    project: ProjectOption = None,
) -> None:
    """Show one meeting: its dates, articles (with why each was assigned) and commitments."""
    from .queries import meeting_details

    with _stored_meeting(project, db, meeting) as (_settings, session, row):
        data = meeting_details(session, row)
        commitments = [(c.id, c.text, c.topics, c.emphasis, c.language) for c in row.commitments]
    if format == TableOrJson.json:
        print_json(data)
        return
    print_meeting(stdout_console(), data, commitments)


@app.command()
def commitments(
    meeting: Annotated[str, typer.Argument(help="Meeting id, name, alias (case-insensitive) or a date inside it.")],
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="Only commitments with this topic (id or label, e.g. ai).")
    ] = None,
    format: FormatOption = TableOrJson.table,
    why: Annotated[
        bool,
        typer.Option("--why", help="Show which cues made each sentence a commitment, and how emphasis was computed."),
    ] = False,
    db: DbOption = None,
    project: ProjectOption = None,
) -> None:
    """List the commitments of one meeting, with topics, emphasis, items and evidence."""
    from .queries import commitment_dicts

    with _stored_meeting(project, db, meeting) as (settings, _session, row):
        data = commitment_dicts(row, _topic_filter(settings, topic), cues=why)
        title = f"{row.name} ({row.start} to {row.end})"
    if format == TableOrJson.json:
        print_json(data)
        return
    print_commitments(stdout_console(), title, data, why)


@app.command()
def formulations(
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            "-m",
            help="Only the formulations this meeting states (id, name, alias or date), each with its whole history.",
        ),
    ] = None,
    format: FormatOption = TableOrJson.table,
    db: DbOption = None,
    project: ProjectOption = None,
) -> None:
    """Key policy formulations ("new quality productive forces", "supply-side structural reform"):
    first and last meeting, the meetings that state them, how often at each, and the sentences."""
    from .db import transaction
    from .formulations import formulations_for

    settings = project_settings(project, db)
    engine = engine_for(settings)
    with transaction(engine) as session:
        meeting_id = _meeting(session, meeting, settings).id if meeting else None
        entries = formulations_for(session, meeting_id, settings.commitment_rules.matching)
    if format == TableOrJson.json:
        print_json([e.as_dict() for e in entries])
        return
    print_formulations(stdout_console(), entries, meeting_id)


@app.command()
def targets(
    format: Annotated[
        TargetsFormat, typer.Option("--format", "-f", help="table for people, json for machines, csv for spreadsheets.")
    ] = TargetsFormat.table,
    metric: Annotated[
        str | None, typer.Option("--metric", help="Only this metric (an id of targets.toml, e.g. gdp_growth).")
    ] = None,
    db: DbOption = None,
    project: ProjectOption = None,
) -> None:
    """Headline quantified targets (GDP growth, CPI, urban jobs, deficit ...) meeting by meeting:
    the value each meeting set with its sentence, how it moved, and where a meeting that usually
    sets one set none."""
    from .db import transaction
    from .target_changes import meeting_targets, table_as_csv

    settings = project_settings(project, db)
    engine = engine_for(settings)
    rules = settings.target_rules
    if metric is not None and metric not in rules.by_id:
        fail(f"unknown metric {metric!r}: one of {', '.join(m.id for m in rules.metrics)}")
    with transaction(engine) as session:
        rows = [r for r in meeting_targets(session, rules) if metric is None or r["metric"] == metric]
    if format == TargetsFormat.json:
        print_json(rows)
        return
    if format == TargetsFormat.csv:
        sys.stdout.write(table_as_csv(rows))
        return
    print_targets(stdout_console(), rows)


def _topic_filter(settings, topic: str | None) -> set[str] | None:
    """The topic ids --topic means (None without it), or exit naming the topics there are."""
    from .queries import UnknownTopic, topic_ids

    try:
        return topic_ids(settings, topic) if topic is not None else None
    except UnknownTopic as exc:
        fail(str(exc), EXIT_NOT_FOUND)


@app.command(name="eval")
def eval_(
    gold: Annotated[
        Path,
        typer.Argument(help="Expectation file in the format of shared/gold/sample.toml.", exists=True, dir_okay=False),
    ],
    format: FormatOption = TableOrJson.table,
    show_errors: Annotated[
        bool, typer.Option("--errors", help="List the labelled sentences the extraction got wrong.")
    ] = False,
    db: DbOption = None,
    project: ProjectOption = None,
) -> None:
    """Score the database against an analyst's expectations (meetings, links, new, disappeared,
    not-commitment): each expectation passed or failed, with what was found instead. Labelled
    sentences ([[sentence]]) give the precision, recall and F1 of extraction."""
    from .db import transaction
    from .evaluate import evaluate
    from .toml_files import ConfigError

    settings = project_settings(project, db)
    engine = engine_for(settings)
    try:
        with transaction(engine) as session:
            evaluation = evaluate(session, settings, gold)
    except (ConfigError, KeyError, ValueError) as exc:
        fail(f"{gold}: {exc}")
    results, sentences = evaluation.results, evaluation.sentences
    passed = sum(r.passed for r in results)
    if format == TableOrJson.json:
        payload = {"passed": passed, "failed": len(results) - passed, "results": [r.as_dict() for r in results]}
        if sentences is not None:
            payload["sentences"] = sentences.as_dict()
        print_json(payload)
    else:
        print_evaluation(stdout_console(), gold, results, sentences, show_errors)
    raise typer.Exit(EXIT_OK if passed == len(results) else EXIT_FAILURE)


@app.command()
def diff(
    from_meeting: Annotated[str, typer.Argument(metavar="FROM", help="The earlier meeting (id, name, alias or date).")],
    to_meeting: Annotated[str, typer.Argument(metavar="TO", help="The later meeting (id, name, alias or date).")],
    format: Annotated[
        DiffFormat,
        typer.Option(
            "--format", "-f", help="table for people, markdown for reports, json for machines, csv for spreadsheets."
        ),
    ] = DiffFormat.table,
    status: Annotated[
        list[Status] | None, typer.Option("--status", "-s", help="Only these statuses (repeatable).")
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="Only changes whose commitments have this topic.")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            show_default=False,
            help=(
                "Table and markdown: at most N changes per status, then a line saying how many more "
                f"(default {DIFF_LIMIT}; 0 = all). "
                "JSON always lists every change."
            ),
        ),
    ] = None,
    stat: Annotated[
        bool, typer.Option("--stat", help="Table and markdown: only the number of changes per status.")
    ] = False,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help="Exit 1 when policy changed (new, strengthened, weakened, disappeared), else 0, like git diff.",
        ),
    ] = False,
    db: DbOption = None,
    project: ProjectOption = None,
) -> None:
    """What persisted, strengthened, weakened, appeared and disappeared between two meetings,
    each with its reason and the evidence on both sides: a summary line, then the changes in
    status order.

    Exit codes: 0 success (with --exit-code: no policy changed), 1 with --exit-code: policy
    changed (else a failure), 2 usage error (FROM and TO the same meeting), 4 meeting not found."""
    from .db import transaction
    from .queries import meeting_diff

    if format in (DiffFormat.json, DiffFormat.csv) and (stat or limit is not None):
        fail(
            "--limit and --stat shape the table and markdown output; JSON always lists every change, "
            "and so does CSV (narrow them with --status or --topic)"
        )
    settings = project_settings(project, db)
    engine = engine_for(settings)
    with transaction(engine) as session:
        a = _meeting(session, from_meeting, settings)
        b = _meeting(session, to_meeting, settings)
        if a.id == b.id:
            fail(f"FROM and TO are the same meeting ({a.id}): name two meetings to compare", EXIT_USAGE)
        result = meeting_diff(
            session, settings, a, b, {s.value for s in status} if status else None, _topic_filter(settings, topic)
        )
    limit = DIFF_LIMIT if limit is None else limit
    if format == DiffFormat.json:
        print_json(result)
    elif format == DiffFormat.csv:
        sys.stdout.write(diff_csv(result))
    elif format == DiffFormat.markdown:
        sys.stdout.write(diff_markdown_stat(result) if stat else diff_markdown(result, limit))
    elif stat:
        print_diff_stat(stdout_console(), result)
    else:
        print_diff_table(stdout_console(), result, limit)
    raise typer.Exit(EXIT_FAILURE if exit_code and changed(result) else EXIT_OK)


def _edit_correction(kind: str, from_id: str, to_id: str, note: str, db: str | None, project: Path | None) -> None:
    from .corrections import record_correction

    settings = project_settings(project, db)
    try:
        said = record_correction(engine_for(settings), settings.corrections_path, kind, from_id, to_id, note)
    except LookupError as exc:
        fail(str(exc), EXIT_NOT_FOUND)
    except ValueError as exc:
        fail(str(exc))
    stderr_console().print(safe(said), highlight=False)


FromIdArgument = Annotated[str, typer.Argument(help="Commitment id in the earlier meeting.")]
ToIdArgument = Annotated[str, typer.Argument(help="Commitment id in the later meeting.")]
NoteOption = Annotated[str, typer.Option("--note", help="Why (kept in the corrections file for review).")]


def _correction_command(kind: str, doc: str):
    """`tracker link` and `tracker unlink`: the same arguments, one correction kind each."""

    def command(
        from_id: FromIdArgument,
        to_id: ToIdArgument,
        note: NoteOption = "",
        db: DbOption = None,
        project: ProjectOption = None,
    ) -> None:
        _edit_correction(kind, from_id, to_id, note, db, project)

    command.__doc__ = doc
    return command


app.command(name="link")(
    _correction_command(
        "link", "Force two commitments to match (written to the project's corrections.toml, applied on every build)."
    )
)
app.command(name="unlink")(
    _correction_command(
        "unlink",
        "Forbid two commitments from matching (written to the project's corrections.toml, applied on every build).",
    )
)


@app.command()
def build(
    db: DbOption = None,
    project: ProjectOption = None,
    articles: ArticlesOption = None,
    site: Annotated[
        Path | None,
        typer.Option(
            "--site", help="Output folder of the static site (default: the project's, site/).", show_default=False
        ),
    ] = None,
    no_site: Annotated[bool, typer.Option("--no-site", help="Update the database only.")] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Reprocess every article and meeting (default: only what new, changed and deleted articles affect).",
        ),
    ] = False,
    format: FormatOption = TableOrJson.table,
    lock_timeout: LockTimeoutOption = 60.0,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Where the site is published (https://...): the feed's links are absolute."),
    ] = None,
) -> None:
    """The main job: ingest the articles, extract commitments, match them across meetings and
    render the static timeline site. Progress goes to stderr, a summary at the end.

    Exit codes: 0 success, 3 success with skipped files, 5 another run holds the lock, 1 failure."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from .build import build as run_build
    from .config import site_base_url

    settings = project_settings(project, db, articles, site)
    settings.base_url = site_base_url(base_url) if base_url is not None else None
    console = stderr_console()
    with database_errors(settings):
        with run_lock_or_exit(settings, lock_timeout):
            engine = engine_for(settings, create=True)
            with Progress(
                SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
            ) as progress:
                task = progress.add_task("starting")
                report = run_build(
                    engine,
                    settings,
                    render=not no_site,
                    full=full,
                    on_stage=lambda name: progress.update(task, description=name),
                    on_file=lambda f: progress.update(task, description=f"ingesting {safe(f)}"),
                )
    exit_code = EXIT_SKIPPED if report.ingest.skipped else EXIT_OK
    if format == TableOrJson.json:
        print_json(report.as_dict() | {"exit_code": exit_code})
    print_ingest_report(console, report.ingest)
    print_build_summary(console, report, settings.corrections_path)
    raise typer.Exit(exit_code)


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(help="The folder to make a project of (created if missing; no file in it is overwritten).")
    ],
) -> None:
    """Create a project folder: tracker.toml (every setting, commented), a short README.md on
    adding articles and running, and an example article."""
    from .config import DEFAULTS_DIR
    from .new_project import ProjectExists, create_project

    try:
        written = create_project(folder)
    except ProjectExists as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot create {folder}: {exc.strerror or exc}")
    console = stderr_console()
    console.print(f"created {safe(', '.join(str(p) for p in written))}", highlight=False)
    console.print(
        f"next: put articles in {safe(folder / 'articles')} and run `tracker build --project {safe(folder)}`; "
        f"the packaged rule files a project may override are in {safe(DEFAULTS_DIR)}",
        highlight=False,
    )


if __name__ == "__main__":  # pragma: no cover
    app()
