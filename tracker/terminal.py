"""What the CLI shows people on the terminal: each command's result as rich tables and lines
(machines get the same results as JSON; `tracker diff` has its own, tracker.diff_report).

`out` is the console for results (stdout), `err` / `console` the one for reports (stderr).
Everything that comes from a file (its name, front matter, title, text) passes through `safe`
before it reaches a console.
"""

from __future__ import annotations

from pathlib import Path

# Characters a terminal acts on instead of showing: C0 and C1 controls and DEL (ESC starts
# colour, title and screen-clearing sequences), the bidirectional overrides and isolates (they
# reorder what follows), and the Unicode line and paragraph separators. Shown as \x1b, \u202e.
_CONTROLS = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)
} | {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_KEEP_LINES = {code: text for code, text in _CONTROLS.items() if code not in (0x09, 0x0A)}


def plain(value: object, *, lines: bool = False) -> str:
    """`value` as text a terminal shows as it is: its controls written out (ESC as \\x1b); tab
    and newline kept only with `lines` (a table cell may have several lines, a report line not)."""
    return str(value).translate(_KEEP_LINES if lines else _CONTROLS)


def safe(value: object, *, lines: bool = False) -> str:
    """Untrusted text (a file name, a front-matter value, a title, article text) made safe for
    a rich console: controls written out (`plain`) and rich markup escaped, so "[/b]x.txt" and
    "[draft]/e.txt" print as they are."""
    from rich.markup import escape

    return escape(plain(value, lines=lines))


# Tables cite an article by its title cut to this many columns (at a word, with "…").
TITLE_WIDTH = 60


def cut_at_word(text: str, width: int = TITLE_WIDTH) -> str:
    """`text` (whitespace collapsed) in at most `width` terminal columns: cut after the last word
    that fits, with "…"; a first word too long (or Chinese, written without spaces) is cut
    where the columns end."""
    from rich.cells import cell_len, set_cell_size

    text = " ".join(text.split())
    if cell_len(text) <= width:
        return text
    kept = ""
    for word in text.split(" "):
        longer = f"{kept} {word}" if kept else word
        if cell_len(longer) > width - 1:
            break
        kept = longer
    if not kept:
        kept = set_cell_size(text, width - 1).rstrip()
    return kept.rstrip(" ,;:.-–—") + "…"


def cited_title(evidence: dict) -> str:
    """The title of an evidence's article for a table, cut short and quoted, made `safe`
    ("" when it has none)."""
    title = evidence.get("title")
    return f"“{safe(cut_at_word(plain(title)))}”" if title else ""


def print_ingest_report(console, report) -> None:
    """What ingestion did: each file skipped, warned about, left unassigned or removed, then the counts."""
    for label, problems in (
        ("skipped", report.skipped),
        ("warning", report.warnings),
        ("unassigned", report.unassigned),
    ):
        for p in problems:
            console.print(f"[yellow]{label}[/] {safe(p.file)}: {safe(p.reason)}", highlight=False)
    for rel in report.removed:
        console.print(f"removed {safe(rel)} (file deleted)", highlight=False)
    console.print(
        f"ingest: {len(report.added)} added, {len(report.changed)} changed, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.skipped)} skipped"
        + (f", meetings inferred: {safe(', '.join(report.meetings_added))}" if report.meetings_added else ""),
        highlight=False,
    )


def print_build_summary(console, report, corrections_path: Path) -> None:
    """After `tracker build` (the ingestion report printed): corrections that name commitments
    gone, and one paragraph on what this build did and what the database holds."""
    ing, m = report.ingest, report.matching
    for stale in m.stale_corrections:
        console.print(f"[yellow]stale correction[/] {safe(stale)} (edit {safe(corrections_path)})", highlight=False)
    run = report.summary["changes"]
    this_run = ", ".join(f"{len(v)} {k}" for k, v in run.items() if v) or "no change of status"
    changes = ", ".join(f"{n} {s}" for s, n in sorted(m.counts.items())) or "no changes"
    site = safe(report.site_dir) if report.site_dir else ""
    site_part = (
        f" The site is in {site}/ ({report.site_files} files, "
        f"{report.site_written} files rewritten): "
        f"open {site}/index.html in a browser."
        if report.site_dir
        else ""
    )
    console.print(
        f"\n{'Full' if report.full else 'Incremental'} build: {len(ing.added)} articles added, "
        f"{len(ing.changed)} changed, "
        f"{len(ing.removed)} removed, {len(ing.skipped)} skipped; meetings re-extracted: {len(report.commitments)}, "
        f"pairs compared again: {len(m.recomputed)} of {len(m.pairs)}. This run: {this_run}"
        + (
            f"; meetings added: {safe(', '.join(report.summary['meetings_added']))}"
            if report.summary["meetings_added"]
            else ""
        )
        + f". In all: {changes}.{site_part}",
        highlight=False,
    )


def _dates(m: dict) -> str:
    """A meeting's dates, short: 2024-07-15/18 (ISO 8601), 2024-12-30/01-02, or one day."""
    start, end = m["start"], m["end"]
    if start == end:
        return start
    return f"{start}/{end[8:] if start[:7] == end[:7] else end[5:] if start[:4] == end[:4] else end}"


def short_name(name: str, aliases: list[str] | tuple[str, ...] | None) -> str:
    """A meeting's short name, as the site shows it (meetings.readable_alias), else its name."""
    from .meetings import readable_alias

    return readable_alias(aliases) or name


def print_meetings(
    out, err, data: list[dict], unassigned: list[str], files: bool = False, shorts: dict[str, str] | None = None
) -> None:
    """`tracker meetings`: one line per meeting (`out`): its id (what other commands take), name,
    dates and counts; `files` adds its article files. Then the articles no meeting has (`err`).
    A name too long for the console is given by its short name (`shorts`, by id: "2024 NPC"
    for "2024 Two Sessions (2nd Session of the 14th National People's Congress ...)")."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    table = Table(
        title=f"Meetings ({len(data)})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    # The id, dates and counts keep their width; the name takes the rest: the full name where it
    # fits, else the short name, cut with "…" only if even that is too long (one line per
    # meeting). --files: then each meeting's files, one a line.
    id_width = max((len(m["id"]) + 11 * m["inferred"] for m in data), default=2)
    dates_width = max((len(_dates(m)) for m in data), default=5)
    # The rest: the counts' columns (8 and 11) and 2 columns between each two (collapse_padding).
    name_width = max(out.width - id_width - dates_width - 8 - 11 - 4 * 2, 10)
    table.add_column("id", no_wrap=True, min_width=id_width)
    table.add_column("name", overflow="ellipsis", no_wrap=True, max_width=name_width)
    table.add_column("dates", no_wrap=True, min_width=dates_width)
    table.add_column("articles", justify="right", no_wrap=True, min_width=8)
    table.add_column("commitments", justify="right", no_wrap=True, min_width=11)
    for m in data:
        name = plain(m["name"])
        if cell_len(name) > name_width:
            name = plain((shorts or {}).get(m["id"]) or m["name"])
        table.add_row(
            safe(m["id"]) + (" [dim](inferred)[/]" if m["inferred"] else ""),
            safe(name),
            _dates(m),
            str(len(m["articles"])),
            str(m["commitments"]),
        )
    out.print(table)
    for m in data if files else ():
        out.print(f"\n[bold]{safe(m['id'])}[/]", highlight=False)
        for a in m["articles"]:
            out.print(f"  {safe(a['file'])}", highlight=False, soft_wrap=True)
    if unassigned:
        err.print(
            f"{len(unassigned)} unassigned articles: {safe(', '.join(unassigned))} "
            "(see `tracker show` or the ingest report)",
            highlight=False,
        )


def print_meeting(out, data: dict, commitments: list[tuple]) -> None:
    """`tracker show`: one meeting (tracker.queries.meeting_details) and its commitments
    (id, text, topics, emphasis, language). What comes from articles is made `safe`: "[bold]"
    in a title or a file name is text, not rich markup."""
    inferred = ", inferred" if data["inferred"] else ""
    out.print(f"[bold]{safe(data['name'])}[/]  ({safe(data['id'])}{inferred})", highlight=False)
    out.print(f"{data['start']} to {data['end']}", highlight=False)
    if data.get("inferred_from"):
        out.print(f"inferred from {safe(data['inferred_from'])}", highlight=False)
    out.print(f"\n[bold]Articles[/] ({len(data['articles'])})")
    for a in data["articles"]:
        states = f" [dim](states {a['date']})[/]" if a["date"] else ""
        out.print(f"- {safe(a['file'])}: {safe(a['title'])}{states}", highlight=False)
        out.print(f"  [dim]{safe(a['assignment'])}[/]", highlight=False)
    if data["unassigned_candidate_of"]:
        out.print(f"\n[bold]Unassigned articles that could be about it[/] ({len(data['unassigned_candidate_of'])})")
        for a in data["unassigned_candidate_of"]:
            out.print(f"- {safe(a['file'])}: {safe(a['title'])}", highlight=False)
            out.print(f"  [dim]{safe(a['assignment'])}[/]", highlight=False)
    out.print(f"\n[bold]Commitments[/] ({len(commitments)})")
    for commitment_id, text, topics, emphasis, language in commitments:
        marks = safe(f"[{emphasis:.2f}] [{language}]")
        out.print(
            f"- [dim]{safe(commitment_id)}[/] {marks} {safe(text)} [dim]{safe(', '.join(topics))}[/]", highlight=False
        )


# Below this width a table of long texts is unreadable: results are printed as blocks instead.
WIDE = 120


def _commitment_text(d: dict, why: bool) -> str:
    text = safe(d["text"], lines=True)
    if d["items"]:
        text += "\n[dim]items: " + safe("; ".join(d["items"]), lines=True) + "[/]"
    if why:
        cues = sorted({cue for fired in d["cues"].values() for cue in fired})
        text += "\n[cyan]why: " + safe("; ".join(cues)) + "[/]"
        text += "\n[cyan]emphasis " + safe(d["emphasis_explained"] or "") + "[/]"
    return text


def _evidence(d: dict) -> list[str]:
    """Each evidence sentence's place (file:start-end) and, where known, its outlet and date,
    then its article's title (cut short) on a line of its own, so the place never breaks."""
    from .metadata import compact

    lines = []
    for e in d["evidence"]:
        cited = compact(e.get("source"), e.get("date"))
        lines.append(safe(f"{e['file']}:{e['start']}-{e['end']}" + (f" ({cited})" if cited else "")))
        if e.get("title"):
            lines.append("  " + cited_title(e))
    return lines


def print_commitments(out, title: str, data: list[dict], why: bool) -> None:
    """`tracker commitments`: one meeting's commitments (their JSON shape, with their cues), each
    with its id (what `tracker link` takes) and language (en, zh); `why` adds the cues that fired
    and how emphasis was computed. A table on a wide console, one block per commitment on a
    narrow one (ids and evidence never break)."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    if out.width < WIDE:
        out.print(f"[bold]Commitments: {safe(title)}[/] ({len(data)})", highlight=False)
        for d in data:
            lang = d.get("language") or "en"
            out.print(
                f"\n[bold]{safe(d['id'])}[/]  {safe(lang)}  emphasis {d['emphasis']:.2f}"
                + (f"  [dim]{safe(', '.join(d['topics']))}[/]" if d["topics"] else ""),
                highlight=False,
            )
            out.print(_commitment_text(d, why), highlight=False)
            for line in _evidence(d):
                out.print(f"[dim]  {line}[/]", highlight=False, soft_wrap=True)
        return
    table = Table(title=f"Commitments: {safe(title)}", title_justify="left", show_lines=True)
    table.add_column("id", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("commitment", overflow="fold", ratio=4)
    table.add_column("topics", overflow="fold", ratio=1)
    table.add_column("emphasis", justify="right", no_wrap=True)
    # Each place (file:start-end, outlet, date) on one line; the titles under them wrap at words.
    places = [cell_len(Text.from_markup(line).plain) for d in data for line in _evidence(d) if line[:1] != " "]
    table.add_column("evidence", overflow="fold", min_width=max(places, default=8))
    for d in data:
        table.add_row(
            safe(d["id"]),
            safe(d.get("language") or "en"),
            _commitment_text(d, why),
            safe(", ".join(d["topics"])),
            f"{d['emphasis']:.2f}",
            "\n".join(_evidence(d)),
        )
    out.print(table)


def print_formulations(out, entries: list, meeting_id: str | None) -> None:
    """`tracker formulations`: each formulation's first and last meeting, meetings and uses."""
    from rich.table import Table

    from .formulations import summary_rows

    table = Table(
        title=f"Key formulations{f' stated at {safe(meeting_id)}' if meeting_id else ''} ({len(entries)})",
        title_justify="left",
    )
    table.add_column("formulation", overflow="fold", ratio=3)
    table.add_column("first", overflow="fold")
    table.add_column("last", overflow="fold")
    table.add_column("meetings", justify="right")
    table.add_column("uses", justify="right")
    for e, row in zip(entries, summary_rows(entries)):
        variants = [v for v in e.variants if v != e.name]
        name = safe(row["name"]) + (f"\n[dim]also: {safe('; '.join(variants))}[/]" if variants else "")
        table.add_row(name, safe(row["first"]), safe(row["last"]), str(row["meetings"]), str(row["uses"]))
    out.print(table)


def print_targets(out, rows: list[dict]) -> None:
    """`tracker targets`: the value each meeting set for each metric, and how it moved."""
    from rich.table import Table

    table = Table(title=f"Targets ({len(rows)} meeting-metric rows)", title_justify="left", show_lines=False)
    for column in ("metric", "meeting", "value", "change", "file"):
        table.add_column(column, overflow="fold")
    for r in rows:
        value = (
            safe(r["value"])
            if r["status"] == "set"
            else f"[yellow]{r['status']}[/]"
            if r["status"] == "none set"
            else "[dim]not covered[/]"
        )
        table.add_row(
            safe(r["label"]), safe(f"{r['meeting']} ({r['start']})"), value, safe(r["change"]), safe(r["file"])
        )
    out.print(table)


def print_evaluation(out, gold: Path, results: list, sentences, show_errors: bool) -> None:
    """`tracker eval`: each expectation passed or failed, the extraction's scores on the labelled
    sentences (and with `show_errors` the sentences it got wrong), then the tally."""
    from rich.table import Table

    passed = sum(r.passed for r in results)
    if results:
        table = Table(title=f"Evaluation against {safe(gold)}", title_justify="left", show_lines=True)
        table.add_column("kind")
        table.add_column("expectation", overflow="fold", ratio=3)
        table.add_column("result")
        table.add_column("found", overflow="fold", ratio=3)
        for r in results:
            table.add_row(
                safe(r.kind),
                safe(r.expectation, lines=True),
                "[green]passed[/]" if r.passed else "[red]FAILED[/]",
                safe(r.found, lines=True),
            )
        out.print(table)
    if sentences is not None:
        _print_sentence_scores(out, gold, sentences, show_errors)
    if results:
        out.print(f"{passed} passed, {len(results) - passed} failed")


def _print_sentence_scores(out, gold: Path, sentences, show_errors: bool) -> None:
    from rich.table import Table

    table = Table(
        title=f"Extraction on the labelled sentences of {safe(gold)} ({sentences.doubtful} doubtful left out)",
        title_justify="left",
    )
    table.add_column("file", overflow="fold")
    for column in ("labelled", "TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    rows = [*sentences.by_file().items(), ("all", sentences)]
    for name, scores in rows:
        table.add_row(
            safe(name),
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
                errors.add_row(
                    safe(label.file),
                    "missed" if label.commitment else "extracted",
                    safe(label.text, lines=True),
                    safe(label.why, lines=True),
                )
        out.print(errors)
