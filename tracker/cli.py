"""The `tracker` command: a thin typer layer over the library.

Heavy libraries (SQLAlchemy, dateparser, plotly, rapidfuzz) are imported inside the
commands that use them, so `tracker --help` starts fast.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    help="Follow a government's stated commitments from one political meeting to the next.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Exit codes: the nightly job and scripts tell these apart.
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_SKIPPED = 3  # the run succeeded, but some files were skipped
EXIT_NOT_FOUND = 4
EXIT_LOCKED = 5


class TableOrJson(str, Enum):
    table = "table"
    json = "json"


DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLAlchemy database URL (default: $TRACKER_DB or sqlite:///data/tracker.db).", show_default=False)]
DataOption = Annotated[Optional[Path], typer.Option("--data", help="Folder with meetings.toml, rules.toml, topics.toml (default: ./data or $TRACKER_DATA).", show_default=False)]
ArticlesOption = Annotated[Optional[Path], typer.Option("--articles", help="Folder of articles (default: DATA/articles).", show_default=False)]
FormatOption = Annotated[TableOrJson, typer.Option("--format", "-f", help="table for people, json for machines.")]


def _console():
    from rich.console import Console

    return Console(stderr=True)


def _stdout():
    from rich.console import Console

    return Console()


def _settings(db: str | None, data: Path | None = None, articles: Path | None = None, site: Path | None = None):
    from .config import Settings

    kwargs = {}
    if data is not None:
        kwargs["data_dir"] = data
    if site is not None:
        kwargs["site_dir"] = site
    return Settings(articles_dir=articles, db_url=db, **kwargs)


def _engine(settings):
    from .db import DatabaseError, connect

    try:
        return connect(settings.db_url)
    except DatabaseError as exc:
        _console().print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_FAILURE)


def _safe_url(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL has no password to hide that we can find
        return url.split("@")[-1]


def _fail(message: str, code: int = EXIT_FAILURE):
    _console().print(f"[red]error:[/] {message}")
    raise typer.Exit(code)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _report_ingest(report, console) -> None:
    for p in report.skipped:
        console.print(f"[yellow]skipped[/] {p.file}: {p.reason}", highlight=False, markup=True)
    for p in report.warnings:
        console.print(f"[yellow]warning[/] {p.file}: {p.reason}", highlight=False)
    for p in report.unassigned:
        console.print(f"[yellow]unassigned[/] {p.file}: {p.reason}", highlight=False)
    for rel in report.removed:
        console.print(f"removed {rel} (file deleted)", highlight=False)
    console.print(
        f"ingest: {len(report.added)} added, {len(report.changed)} changed, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.skipped)} skipped"
        + (f", meetings inferred: {', '.join(report.meetings_added)}" if report.meetings_added else ""),
        highlight=False,
    )


@contextmanager
def _run_lock(settings, timeout: float):
    """tracker.build.run_lock, with its failures as messages and exit codes."""
    from .build import LockFileError, RunLocked, run_lock

    try:
        with run_lock(settings, timeout):
            yield
    except RunLocked as exc:
        _fail(f"{exc} (use --lock-timeout to wait longer)", EXIT_LOCKED)
    except LockFileError as exc:
        _fail(str(exc))


LockTimeoutOption = Annotated[float, typer.Option("--lock-timeout", help="Seconds to wait for another run to finish before giving up (exit code 5).")]


def _run_ingest(settings, lock_timeout: float = 60.0):
    from rich.progress import Progress

    from .config import ConfigError
    from .db import transaction
    from .ingest import ingest, scan_articles

    console = _console()
    with _run_lock(settings, lock_timeout):
        engine = _engine(settings)
        try:
            total = len(scan_articles(settings.articles_dir, settings.rules["ingest"]["extensions"])[0])
            with Progress(console=console, transient=True, disable=total < 20) as progress:
                task = progress.add_task("ingesting", total=total)
                with transaction(engine) as session:
                    report = ingest(session, settings, on_file=lambda _f: progress.advance(task))
        except ConfigError as exc:
            _fail(str(exc))
    return engine, report


@app.command()
def ingest(
    db: DbOption = None,
    data: DataOption = None,
    articles: ArticlesOption = None,
    format: FormatOption = TableOrJson.table,
    lock_timeout: LockTimeoutOption = 60.0,
) -> None:
    """Read the articles folder into the database and assign each article to a meeting.

    Unchanged files are left alone, changed ones replace their earlier version, deleted ones
    are removed. Bad files are reported and skipped (exit code 3); what is stored stays.
    """
    settings = _settings(db, data, articles)
    _engine_, report = _run_ingest(settings, lock_timeout)
    if format == TableOrJson.json:
        _print_json(report.as_dict())
    _report_ingest(report, _console())
    raise typer.Exit(EXIT_SKIPPED if report.skipped else EXIT_OK)


@app.command()
def meetings(
    db: DbOption = None,
    format: FormatOption = TableOrJson.table,
    all_: Annotated[bool, typer.Option("--all", help="List every catalog meeting, not only those with articles.")] = False,
    data: DataOption = None,
) -> None:
    """List the meetings that have articles, in date order, with their commitment counts."""
    from sqlalchemy import select

    from .db import Article, Meeting, meetings_with_articles, transaction
    from .queries import meeting_dict

    settings = _settings(db, data)
    engine = _engine(settings)
    with transaction(engine) as session:
        rows = list(session.scalars(select(Meeting).order_by(Meeting.start, Meeting.id))) if all_ else meetings_with_articles(session)
        data = [meeting_dict(m) for m in rows]
        unassigned = list(session.scalars(select(Article.file).where(Article.meeting_id.is_(None)).order_by(Article.file)))
    if format == TableOrJson.json:
        _print_json(data)
        return
    from rich.table import Table

    table = Table(title="Meetings", title_justify="left")
    for col in ("id", "name", "dates", "articles", "commitments"):
        table.add_column(col, overflow="fold")
    for m in data:
        dates = m["start"] if m["start"] == m["end"] else f"{m['start']} to {m['end']}"
        table.add_row(m["id"] + (" (inferred)" if m["inferred"] else ""), m["name"], dates,
                      "\n".join(a["file"] for a in m["articles"]), str(m["commitments"]))
    _stdout().print(table)
    if unassigned:
        _console().print(f"unassigned articles: {', '.join(unassigned)} (see `tracker show` or the ingest report)")


def _meeting(session, spec: str, settings):
    """The stored meeting `spec` names (tracker.queries.resolve_meeting), or exit saying why."""
    from .config import ConfigError
    from .meetings import MeetingNotFound
    from .queries import resolve_meeting

    try:
        return resolve_meeting(session, spec, settings)
    except MeetingNotFound as exc:
        _fail(str(exc), EXIT_NOT_FOUND)
    except ConfigError as exc:  # a broken rules.toml: say where, no traceback
        _fail(str(exc))


@app.command()
def show(
    meeting: Annotated[str, typer.Argument(help="Meeting id, name, alias (case-insensitive) or a date inside it.")],
    db: DbOption = None,
    format: FormatOption = TableOrJson.table,
    data: DataOption = None,
) -> None:
    """Show one meeting: its dates, articles (with why each was assigned) and commitments."""
    from .db import transaction
    from .queries import meeting_dict

    settings = _settings(db, data)
    engine = _engine(settings)
    with transaction(engine) as session:
        row = _meeting(session, meeting, settings)
        data = meeting_dict(row)
        data["aliases"] = list(row.aliases or [])
        data["articles"] = [
            {"file": a.file, "title": a.title, "date": a.date.isoformat() if a.date else None, "assignment": a.assignment}
            for a in row.articles
        ]
        if row.inferred:
            data["inferred_from"] = row.inferred_from
        # Unassigned articles whose text leaves this meeting among several (their reason lists it).
        import re

        from sqlalchemy import select

        from .db import Article

        maybe = session.scalars(select(Article).where(Article.meeting_id.is_(None), Article.assignment.contains(row.id))
                                .order_by(Article.file))
        data["unassigned_candidate_of"] = [{"file": a.file, "title": a.title, "assignment": a.assignment} for a in maybe
                                           if re.search(rf"(?<![\w-]){re.escape(row.id)}(?![\w-])", a.assignment or "")]
        commitments = [(c.text, c.topics, c.emphasis) for c in row.commitments]
    if format == TableOrJson.json:
        _print_json(data)
        return
    out = _stdout()
    out.print(f"[bold]{data['name']}[/]  ({data['id']}{', inferred' if data['inferred'] else ''})", highlight=False)
    out.print(f"{data['start']} to {data['end']}", highlight=False)
    if data.get("inferred_from"):
        out.print(f"inferred from {data['inferred_from']}", highlight=False)
    out.print(f"\n[bold]Articles[/] ({len(data['articles'])})")
    for a in data["articles"]:
        out.print(f"- {a['file']}: {a['title']}" + (f" [dim](states {a['date']})[/]" if a["date"] else ""), highlight=False)
        out.print(f"  [dim]{a['assignment']}[/]", highlight=False)
    if data["unassigned_candidate_of"]:
        out.print(f"\n[bold]Unassigned articles that could be about it[/] ({len(data['unassigned_candidate_of'])})")
        for a in data["unassigned_candidate_of"]:
            out.print(f"- {a['file']}: {a['title']}", highlight=False)
            out.print(f"  [dim]{a['assignment']}[/]", highlight=False)
    out.print(f"\n[bold]Commitments[/] ({len(commitments)})")
    for text, topics, emphasis in commitments:
        out.print(f"- [{emphasis:.2f}] {text} [dim]{', '.join(topics)}[/]", highlight=False)


@app.command()
def commitments(
    meeting: Annotated[str, typer.Argument(help="Meeting id, name, alias (case-insensitive) or a date inside it.")],
    topic: Annotated[Optional[str], typer.Option("--topic", "-t", help="Only commitments with this topic (id or label, e.g. ai).")] = None,
    format: FormatOption = TableOrJson.table,
    why: Annotated[bool, typer.Option("--why", help="Show which cues made each sentence a commitment, and how emphasis was computed.")] = False,
    db: DbOption = None,
    data: DataOption = None,
) -> None:
    """List the commitments of one meeting, with topics, emphasis, items and evidence."""
    from .db import transaction

    settings = _settings(db, data)
    engine = _engine(settings)
    with transaction(engine) as session:
        row = _meeting(session, meeting, settings)
        wanted = _topic_filter(settings, topic)
        data = [c.as_dict() | {"cues": c.cues} for c in row.commitments if wanted is None or wanted & set(c.topics or [])]
        title = f"{row.name} ({row.start} to {row.end})"
    if format == TableOrJson.json:
        for d in data:
            if not why:
                d.pop("cues")
        _print_json(data)
        return
    from rich.table import Table

    table = Table(title=f"Commitments: {title}", title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("commitment", overflow="fold", ratio=4)
    table.add_column("topics", overflow="fold", ratio=1)
    table.add_column("emphasis", justify="right")
    table.add_column("evidence", overflow="fold", ratio=1)
    for n, d in enumerate(data, 1):
        text = d["text"]
        if d["items"]:
            text += "\n[dim]items: " + "; ".join(d["items"]) + "[/]"
        if why:
            cues = sorted({cue for fired in d["cues"].values() for cue in fired})
            text += "\n[cyan]why: " + "; ".join(cues) + "[/]"
            text += "\n[cyan]emphasis " + (d["emphasis_explained"] or "") + "[/]"
        evidence = "\n".join(f"{e['file']}:{e['start']}-{e['end']}" for e in d["evidence"])
        table.add_row(str(n), text, ", ".join(d["topics"]), f"{d['emphasis']:.2f}", evidence)
    _stdout().print(table)


@app.command()
def formulations(
    meeting: Annotated[Optional[str], typer.Option("--meeting", "-m", help="Only the formulations this meeting states (id, name, alias or date), each with its whole history.")] = None,
    format: FormatOption = TableOrJson.table,
    db: DbOption = None,
    data: DataOption = None,
) -> None:
    """Key policy formulations ("new quality productive forces", "supply-side structural reform"):
    first and last meeting, the meetings that state them, how often at each, and the sentences."""
    from .db import transaction
    from .formulations import formulations_for, summary_rows

    settings = _settings(db, data)
    engine = _engine(settings)
    with transaction(engine) as session:
        meeting_id = _meeting(session, meeting, settings).id if meeting else None
        entries = formulations_for(session, meeting_id, settings.commitment_rules["matching"])
    if format == TableOrJson.json:
        _print_json([e.as_dict() for e in entries])
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Key formulations{f' stated at {meeting_id}' if meeting_id else ''} ({len(entries)})",
                  title_justify="left")
    table.add_column("formulation", overflow="fold", ratio=3)
    table.add_column("first", overflow="fold")
    table.add_column("last", overflow="fold")
    table.add_column("meetings", justify="right")
    table.add_column("uses", justify="right")
    for e, row in zip(entries, summary_rows(entries)):
        variants = [v for v in e.variants if v != e.name]
        name = escape(row["name"]) + (f"\n[dim]also: {escape('; '.join(variants))}[/]" if variants else "")
        table.add_row(name, row["first"], row["last"], str(row["meetings"]), str(row["uses"]))
    _stdout().print(table)


class TargetsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def targets(
    format: Annotated[TargetsFormat, typer.Option("--format", "-f", help="table for people, json for machines, csv for spreadsheets.")] = TargetsFormat.table,
    metric: Annotated[Optional[str], typer.Option("--metric", help="Only this metric (an id of data/targets.toml, e.g. gdp_growth).")] = None,
    db: DbOption = None,
    data: DataOption = None,
) -> None:
    """Headline quantified targets (GDP growth, CPI, urban jobs, deficit ...) meeting by meeting:
    the value each meeting set with its sentence, how it moved, and where a meeting that usually
    sets one set none."""
    from .db import transaction
    from .targets import meeting_targets, table_as_csv

    settings = _settings(db, data)
    engine = _engine(settings)
    rules = settings.target_rules
    if metric is not None and metric not in rules.by_id:
        _fail(f"unknown metric {metric!r}: one of {', '.join(m.id for m in rules.metrics)}")
    with transaction(engine) as session:
        rows = [r for r in meeting_targets(session, rules) if metric is None or r["metric"] == metric]
    if format == TargetsFormat.json:
        _print_json(rows)
        return
    if format == TargetsFormat.csv:
        sys.stdout.write(table_as_csv(rows))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Targets ({len(rows)} meeting-metric rows)", title_justify="left", show_lines=False)
    for column in ("metric", "meeting", "value", "change", "file"):
        table.add_column(column, overflow="fold")
    for r in rows:
        value = escape(r["value"]) if r["status"] == "set" else f"[yellow]{r['status']}[/]" if r["status"] == "none set" else "[dim]not covered[/]"
        table.add_row(escape(r["label"]), escape(f"{r['meeting']} ({r['start']})"), value, escape(r["change"]), escape(r["file"]))
    _stdout().print(table)


def _topic_filter(settings, topic: str | None) -> set[str] | None:
    """Topic ids meant by `topic` (an id, a label or any term of the lexicon)."""
    if topic is None:
        return None
    from .lexicon import load_lexicon

    lexicon = load_lexicon(settings)
    wanted = topic.strip().casefold()
    ids = {t.id for t in lexicon.topics if wanted in (t.id.casefold(), t.label.casefold(), t.canonical.casefold())}
    ids |= set(lexicon.topics_of(topic))
    if not ids:
        _fail(f"unknown topic {topic!r}; topics: {', '.join(t.id for t in lexicon.topics)}", EXIT_NOT_FOUND)
    return ids


@app.command(name="eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="Expectation file in the format of shared/gold/sample.toml.", exists=True, dir_okay=False)],
    format: FormatOption = TableOrJson.table,
    show_errors: Annotated[bool, typer.Option("--errors", help="List the labelled sentences the extraction got wrong.")] = False,
    db: DbOption = None,
    data: DataOption = None,
) -> None:
    """Score the database against an analyst's expectations (meetings, links, new, disappeared,
    not-commitment): each expectation passed or failed, with what was found instead. Labelled
    sentences ([[sentence]]) give the precision, recall and F1 of extraction."""
    from .config import ConfigError
    from .db import transaction
    from .evaluate import evaluate

    settings = _settings(db, data)
    engine = _engine(settings)
    try:
        with transaction(engine) as session:
            evaluation = evaluate(session, settings, gold)
    except (ConfigError, KeyError, ValueError) as exc:
        _fail(f"{gold}: {exc}")
    results, sentences = evaluation.results, evaluation.sentences
    passed = sum(r.passed for r in results)
    if format == TableOrJson.json:
        payload = {"passed": passed, "failed": len(results) - passed, "results": [r.as_dict() for r in results]}
        if sentences is not None:
            payload["sentences"] = sentences.as_dict()
        _print_json(payload)
    else:
        from rich.table import Table

        out = _stdout()
        if results:
            table = Table(title=f"Evaluation against {gold}", title_justify="left", show_lines=True)
            table.add_column("kind")
            table.add_column("expectation", overflow="fold", ratio=3)
            table.add_column("result")
            table.add_column("found", overflow="fold", ratio=3)
            for r in results:
                table.add_row(r.kind, r.expectation, "[green]passed[/]" if r.passed else "[red]FAILED[/]", r.found)
            out.print(table)
        if sentences is not None:
            _print_sentence_scores(out, gold, sentences, show_errors)
        if results:
            out.print(f"{passed} passed, {len(results) - passed} failed")
    raise typer.Exit(EXIT_OK if passed == len(results) else EXIT_FAILURE)


def _print_sentence_scores(out, gold: Path, sentences, show_errors: bool) -> None:
    from rich.table import Table

    table = Table(title=f"Extraction on the labelled sentences of {gold} ({sentences.doubtful} doubtful left out)",
                  title_justify="left")
    table.add_column("file", overflow="fold")
    for column in ("labelled", "TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    rows = [*sentences.by_file().items(), ("all", sentences)]
    for name, scores in rows:
        table.add_row(name, str(len(scores.labels)), str(scores.true_positives), str(scores.false_positives),
                      str(scores.false_negatives), f"{scores.precision:.3f}", f"{scores.recall:.3f}",
                      f"{scores.f1:.3f}", end_section=name == rows[-2][0])
    out.print(table)
    if show_errors:
        errors = Table(title="Sentences the extraction got wrong", title_justify="left", show_lines=True)
        errors.add_column("file")
        errors.add_column("error")
        errors.add_column("sentence", overflow="fold", ratio=3)
        errors.add_column("label's reason", overflow="fold", ratio=2)
        for label in sentences.labels:
            if label.commitment != label.extracted:
                errors.add_row(label.file, "missed" if label.commitment else "extracted", label.text, label.why)
        out.print(errors)


class DiffFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


# The --status choices, in the order `tracker diff --help` has always listed them; the
# vocabulary itself (titles, order, colours) is tracker.statuses.
Status = Enum("Status", {name.replace(" ", "_"): name for name in
                         ("persisted", "strengthened", "weakened", "new", "disappeared", "not covered")}, type=str)
DIFF_LIMIT = 20  # changes per status `tracker diff` prints in table and markdown form by default


@app.command()
def diff(
    from_meeting: Annotated[str, typer.Argument(metavar="FROM", help="The earlier meeting (id, name, alias or date).")],
    to_meeting: Annotated[str, typer.Argument(metavar="TO", help="The later meeting (id, name, alias or date).")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="table for people, markdown for reports, json for machines.")] = DiffFormat.table,
    status: Annotated[Optional[list[Status]], typer.Option("--status", "-s", help="Only these statuses (repeatable).")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", "-t", help="Only changes whose commitments have this topic.")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=0, show_default=False, help=(
        f"Table and markdown: at most N changes per status, then a line saying how many more (default {DIFF_LIMIT}; 0 = all). "
        "JSON always lists every change."))] = None,
    stat: Annotated[bool, typer.Option("--stat", help="Table and markdown: only the number of changes per status.")] = False,
    db: DbOption = None,
    data: DataOption = None,
) -> None:
    """What persisted, strengthened, weakened, appeared and disappeared between two meetings,
    each with its reason and the evidence on both sides."""
    from .db import transaction
    from .diff_report import diff_markdown, diff_markdown_stat, print_diff_stat, print_diff_table
    from .queries import meeting_diff

    if format == DiffFormat.json and (stat or limit is not None):
        _fail("--limit and --stat shape the table and markdown output; JSON always lists every change "
              "(narrow it with --status or --topic)")
    settings = _settings(db, data)
    engine = _engine(settings)
    with transaction(engine) as session:
        a = _meeting(session, from_meeting, settings)
        b = _meeting(session, to_meeting, settings)
        if a.id == b.id:
            _fail(f"FROM and TO are the same meeting ({a.id})")
        result = meeting_diff(session, settings, a, b, {s.value for s in status} if status else None,
                              _topic_filter(settings, topic))
    if format == DiffFormat.json:
        _print_json(result)
        return
    limit = DIFF_LIMIT if limit is None else limit
    if format == DiffFormat.markdown:
        sys.stdout.write(diff_markdown_stat(result) if stat else diff_markdown(result, limit))
        return
    if stat:
        print_diff_stat(_stdout(), result)
        return
    print_diff_table(_stdout(), result, limit)


def _edit_correction(kind: str, from_id: str, to_id: str, note: str, db: str | None, data: Path | None) -> None:
    from .db import Commitment, transaction
    from .matching import load_corrections, save_correction

    settings = _settings(db, data)
    engine = _engine(settings)
    with transaction(engine) as session:
        rows = {cid: session.get(Commitment, cid) for cid in (from_id, to_id)}
        missing = [cid for cid, row in rows.items() if row is None]
        if missing:
            _fail(f"no commitment with id {', '.join(missing)} (ids: `tracker commitments MEETING --format json`)", EXIT_NOT_FOUND)
        a, b = rows[from_id], rows[to_id]
        if a.meeting.start >= b.meeting.start:
            _fail(f"{from_id} ({a.meeting_id}) must belong to an earlier meeting than {to_id} ({b.meeting_id})")
        summary = f"{a.text[:60]} -> {b.text[:60]}"
    existing = load_corrections(settings.corrections_path)
    if (from_id, to_id) in (existing.force if kind == "link" else existing.forbid):
        _console().print(f"already in {settings.corrections_path}")
        return
    save_correction(settings.corrections_path, kind, from_id, to_id, note or summary)
    _console().print(f"{kind} {from_id} -> {to_id} written to {settings.corrections_path}; it applies from the next build.")


FromIdArgument = Annotated[str, typer.Argument(help="Commitment id in the earlier meeting.")]
ToIdArgument = Annotated[str, typer.Argument(help="Commitment id in the later meeting.")]
NoteOption = Annotated[str, typer.Option("--note", help="Why (kept in the corrections file for review).")]


@app.command()
def link(
    from_id: FromIdArgument,
    to_id: ToIdArgument,
    note: NoteOption = "",
    db: DbOption = None,
    data: DataOption = None,
) -> None:
    """Force two commitments to match (written to data/corrections.toml, applied on every build)."""
    _edit_correction("link", from_id, to_id, note, db, data)


@app.command()
def unlink(
    from_id: FromIdArgument,
    to_id: ToIdArgument,
    note: NoteOption = "",
    db: DbOption = None,
    data: DataOption = None,
) -> None:
    """Forbid two commitments from matching (written to data/corrections.toml, applied on every build)."""
    _edit_correction("unlink", from_id, to_id, note, db, data)


@app.command()
def build(
    db: DbOption = None,
    data: DataOption = None,
    articles: ArticlesOption = None,
    site: Annotated[Optional[Path], typer.Option("--site", help="Output folder of the static site (default: site/).", show_default=False)] = None,
    no_site: Annotated[bool, typer.Option("--no-site", help="Update the database only.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Reprocess every article and meeting (default: only what new, changed and deleted articles affect).")] = False,
    format: FormatOption = TableOrJson.table,
    lock_timeout: LockTimeoutOption = 60.0,
) -> None:
    """The main job: ingest the articles, extract commitments, match them across meetings and
    render the static timeline site. Progress goes to stderr, a summary at the end.

    Exit codes: 0 success, 3 success with skipped files, 5 another run holds the lock, 1 failure."""
    from rich.progress import Progress, SpinnerColumn, TextColumn
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from .config import ConfigError
    from .build import build as run_build

    settings = _settings(db, data, articles, site)
    console = _console()
    try:
        with _run_lock(settings, lock_timeout):
            engine = _engine(settings)
            with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as progress:
                task = progress.add_task("starting")
                report = run_build(engine, settings, render=not no_site, full=full,
                                   on_stage=lambda name: progress.update(task, description=name),
                                   on_file=lambda f: progress.update(task, description=f"ingesting {f}"))
    except ConfigError as exc:
        _fail(str(exc))
    except OperationalError as exc:
        _fail(f"database unavailable or locked ({_safe_url(settings.db_url)}): {str(exc.orig).splitlines()[0] if exc.orig else exc}; nothing was changed")
    except SQLAlchemyError as exc:
        _fail(f"database error ({_safe_url(settings.db_url)}): {exc.__class__.__name__}: {str(exc).splitlines()[0]}; nothing was changed")
    ing, m = report.ingest, report.matching
    if format == TableOrJson.json:
        _print_json({
            "full": report.full,
            "run": report.summary,
            "warnings": [vars(p) for p in ing.warnings],
            "unassigned": [vars(p) for p in ing.unassigned],
            "commitments": report.commitments,
            "changes_total": m.counts,
            "pairs_compared": [list(pair) for pair in m.recomputed],
            "stale_corrections": m.stale_corrections,
            "site": {"dir": report.site_dir, "files": report.site_files, "written": report.site_written,
                     "pages_rendered": report.site_rendered} if report.site_dir else None,
            "exit_code": EXIT_SKIPPED if ing.skipped else EXIT_OK,
        })
    _report_ingest(ing, console)
    for stale in m.stale_corrections:
        console.print(f"[yellow]stale correction[/] {stale} (edit {settings.corrections_path})", highlight=False)
    run = report.summary["changes"]
    this_run = ", ".join(f"{len(v)} {k}" for k, v in run.items() if v) or "no change of status"
    changes = ", ".join(f"{n} {s}" for s, n in sorted(m.counts.items())) or "no changes"
    site_part = (f" The site is in {report.site_dir}/ ({report.site_files} files, {report.site_rendered} pages rendered, "
                 f"{report.site_written} files rewritten): "
                 f"open {report.site_dir}/index.html in a browser." if report.site_dir else "")
    console.print(
        f"\n{'Full' if report.full else 'Incremental'} build: {len(ing.added)} articles added, {len(ing.changed)} changed, "
        f"{len(ing.removed)} removed, {len(ing.skipped)} skipped; meetings re-extracted: {len(report.commitments)}, "
        f"pairs compared again: {len(m.recomputed)} of {len(m.pairs)}. This run: {this_run}"
        + (f"; meetings added: {', '.join(report.summary['meetings_added'])}" if report.summary["meetings_added"] else "")
        + f". In all: {changes}.{site_part}",
        highlight=False,
    )
    raise typer.Exit(EXIT_SKIPPED if ing.skipped else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    app()
