"""What the CLI shows people on the terminal: each command's result as rich tables and lines
(machines get the same results as JSON; `tracker diff` has its own, tracker.diff_report).

`out` is the console for results (stdout), `err` / `console` the one for reports (stderr).
"""

from __future__ import annotations

from pathlib import Path


def print_ingest_report(console, report) -> None:
    """What ingestion did: each file skipped, warned about, left unassigned or removed, then the counts."""
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


def print_build_summary(console, report, corrections_path: Path) -> None:
    """After `tracker build` (the ingestion report printed): corrections that name commitments
    gone, and one paragraph on what this build did and what the database holds."""
    ing, m = report.ingest, report.matching
    for stale in m.stale_corrections:
        console.print(f"[yellow]stale correction[/] {stale} (edit {corrections_path})", highlight=False)
    run = report.summary["changes"]
    this_run = ", ".join(f"{len(v)} {k}" for k, v in run.items() if v) or "no change of status"
    changes = ", ".join(f"{n} {s}" for s, n in sorted(m.counts.items())) or "no changes"
    site_part = (
        f" The site is in {report.site_dir}/ ({report.site_files} files, "
        f"{report.site_written} files rewritten): "
        f"open {report.site_dir}/index.html in a browser."
        if report.site_dir
        else ""
    )
    console.print(
        f"\n{'Full' if report.full else 'Incremental'} build: {len(ing.added)} articles added, "
        f"{len(ing.changed)} changed, "
        f"{len(ing.removed)} removed, {len(ing.skipped)} skipped; meetings re-extracted: {len(report.commitments)}, "
        f"pairs compared again: {len(m.recomputed)} of {len(m.pairs)}. This run: {this_run}"
        + (
            f"; meetings added: {', '.join(report.summary['meetings_added'])}"
            if report.summary["meetings_added"]
            else ""
        )
        + f". In all: {changes}.{site_part}",
        highlight=False,
    )


def print_meetings(out, err, data: list[dict], unassigned: list[str]) -> None:
    """`tracker meetings`: a table of the meetings (`out`), and the articles no meeting has (`err`)."""
    from rich.table import Table

    table = Table(title="Meetings", title_justify="left")
    for col in ("id", "name", "dates", "articles", "commitments"):
        table.add_column(col, overflow="fold")
    for m in data:
        dates = m["start"] if m["start"] == m["end"] else f"{m['start']} to {m['end']}"
        table.add_row(
            m["id"] + (" (inferred)" if m["inferred"] else ""),
            m["name"],
            dates,
            "\n".join(a["file"] for a in m["articles"]),
            str(m["commitments"]),
        )
    out.print(table)
    if unassigned:
        err.print(f"unassigned articles: {', '.join(unassigned)} (see `tracker show` or the ingest report)")


def print_meeting(out, data: dict, commitments: list[tuple]) -> None:
    """`tracker show`: one meeting (tracker.queries.meeting_details) and its commitments
    (text, topics, emphasis, language). What comes from articles is escaped: "[bold]" in a
    title or a file name is text, not rich markup."""
    from rich.markup import escape

    inferred = ", inferred" if data["inferred"] else ""
    out.print(f"[bold]{escape(data['name'])}[/]  ({escape(data['id'])}{inferred})", highlight=False)
    out.print(f"{data['start']} to {data['end']}", highlight=False)
    if data.get("inferred_from"):
        out.print(f"inferred from {escape(data['inferred_from'])}", highlight=False)
    out.print(f"\n[bold]Articles[/] ({len(data['articles'])})")
    for a in data["articles"]:
        states = f" [dim](states {a['date']})[/]" if a["date"] else ""
        out.print(f"- {escape(a['file'])}: {escape(a['title'])}{states}", highlight=False)
        out.print(f"  [dim]{escape(a['assignment'])}[/]", highlight=False)
    if data["unassigned_candidate_of"]:
        out.print(f"\n[bold]Unassigned articles that could be about it[/] ({len(data['unassigned_candidate_of'])})")
        for a in data["unassigned_candidate_of"]:
            out.print(f"- {escape(a['file'])}: {escape(a['title'])}", highlight=False)
            out.print(f"  [dim]{escape(a['assignment'])}[/]", highlight=False)
    out.print(f"\n[bold]Commitments[/] ({len(commitments)})")
    for text, topics, emphasis, language in commitments:
        marks = escape(f"[{emphasis:.2f}] [{language}]")
        out.print(f"- {marks} {escape(text)} [dim]{escape(', '.join(topics))}[/]", highlight=False)


def print_commitments(out, title: str, data: list[dict], why: bool) -> None:
    """`tracker commitments`: one meeting's commitments (their JSON shape, with their cues) as a
    table, each with its language (en, zh); `why` adds the cues that fired and how emphasis was
    computed. Article text is escaped: a "[bold]" in it is text, not rich markup."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Commitments: {escape(title)}", title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("lang")
    table.add_column("commitment", overflow="fold", ratio=4)
    table.add_column("topics", overflow="fold", ratio=1)
    table.add_column("emphasis", justify="right")
    table.add_column("evidence", overflow="fold", ratio=1)
    for n, d in enumerate(data, 1):
        text = escape(d["text"])
        if d["items"]:
            text += "\n[dim]items: " + escape("; ".join(d["items"])) + "[/]"
        if why:
            cues = sorted({cue for fired in d["cues"].values() for cue in fired})
            text += "\n[cyan]why: " + escape("; ".join(cues)) + "[/]"
            text += "\n[cyan]emphasis " + escape(d["emphasis_explained"] or "") + "[/]"
        evidence = "\n".join(f"{e['file']}:{e['start']}-{e['end']}" for e in d["evidence"])
        table.add_row(
            str(n),
            d.get("language") or "en",
            text,
            escape(", ".join(d["topics"])),
            f"{d['emphasis']:.2f}",
            escape(evidence),
        )
    out.print(table)


def print_formulations(out, entries: list, meeting_id: str | None) -> None:
    """`tracker formulations`: each formulation's first and last meeting, meetings and uses."""
    from rich.markup import escape
    from rich.table import Table

    from .formulations import summary_rows

    table = Table(
        title=f"Key formulations{f' stated at {meeting_id}' if meeting_id else ''} ({len(entries)})",
        title_justify="left",
    )
    table.add_column("formulation", overflow="fold", ratio=3)
    table.add_column("first", overflow="fold")
    table.add_column("last", overflow="fold")
    table.add_column("meetings", justify="right")
    table.add_column("uses", justify="right")
    for e, row in zip(entries, summary_rows(entries)):
        variants = [v for v in e.variants if v != e.name]
        name = escape(row["name"]) + (f"\n[dim]also: {escape('; '.join(variants))}[/]" if variants else "")
        table.add_row(name, row["first"], row["last"], str(row["meetings"]), str(row["uses"]))
    out.print(table)


def print_targets(out, rows: list[dict]) -> None:
    """`tracker targets`: the value each meeting set for each metric, and how it moved."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Targets ({len(rows)} meeting-metric rows)", title_justify="left", show_lines=False)
    for column in ("metric", "meeting", "value", "change", "file"):
        table.add_column(column, overflow="fold")
    for r in rows:
        value = (
            escape(r["value"])
            if r["status"] == "set"
            else f"[yellow]{r['status']}[/]"
            if r["status"] == "none set"
            else "[dim]not covered[/]"
        )
        table.add_row(
            escape(r["label"]), escape(f"{r['meeting']} ({r['start']})"), value, escape(r["change"]), escape(r["file"])
        )
    out.print(table)


def print_evaluation(out, gold: Path, results: list, sentences, show_errors: bool) -> None:
    """`tracker eval`: each expectation passed or failed, the extraction's scores on the labelled
    sentences (and with `show_errors` the sentences it got wrong), then the tally."""
    from rich.table import Table

    passed = sum(r.passed for r in results)
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


def _print_sentence_scores(out, gold: Path, sentences, show_errors: bool) -> None:
    from rich.table import Table

    table = Table(
        title=f"Extraction on the labelled sentences of {gold} ({sentences.doubtful} doubtful left out)",
        title_justify="left",
    )
    table.add_column("file", overflow="fold")
    for column in ("labelled", "TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    rows = [*sentences.by_file().items(), ("all", sentences)]
    for name, scores in rows:
        table.add_row(
            name,
            str(len(scores.labels)),
            str(scores.true_positives),
            str(scores.false_positives),
            str(scores.false_negatives),
            f"{scores.precision:.3f}",
            f"{scores.recall:.3f}",
            f"{scores.f1:.3f}",
            end_section=name == rows[-2][0],
        )
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
