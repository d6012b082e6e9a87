"""`tracker diff` for people: a diff (tracker.queries.meeting_diff) as markdown for reports, or
as terminal tables, grouped by status in the vocabulary's order (tracker.statuses). Each
commitment is marked with its language ([en], [zh]): a corpus may hold both, and commitments
are matched within a language."""

from __future__ import annotations

from .language import ENGLISH
from .metadata import compact as citation_compact
from .statuses import BY_NAME, CHANGES, NOT_COVERED, counts_line


def language_marker(c: dict) -> str:
    """A commitment's language, short: "[zh]" or "[en]" (its JSON shape says "language")."""
    return f"[{c.get('language') or ENGLISH}]"


def _more_line(hidden: int, status: str, limit: int) -> str:
    return f"… {hidden} more {status} not shown (--limit {limit}; --limit 0 shows all)"


def _first_evidence(c: dict | None, compact: bool = False) -> str:
    """Its first evidence's citation: title, outlet, date and URL (or file and offset) where
    known; `compact` (tables): only the outlet and date, "Reuters, 2016-03-05"."""
    if not c or not c["evidence"]:
        return ""
    ev = c["evidence"][0]
    more = f" (+{len(c['evidence']) - 1} more)" if len(c["evidence"]) > 1 else ""
    where = f"{ev['file']}:{ev['start']}"
    if compact:
        return f"{citation_compact(ev.get('source'), ev.get('date')) or where}{more}"
    title = f"“{ev['title']}”" if ev.get("title") else ""
    return ", ".join(p for p in (title, ev.get("source"), ev.get("date"), ev.get("url") or where) if p) + more


def _diff_markdown_head(result: dict) -> list[str]:
    a, b = result["from"], result["to"]
    lines = [f"# {a['name']} ({a['start']}) → {b['name']} ({b['start']})", ""]
    if result.get("note"):
        lines += [f"> {result['note']}", ""]
    return lines


def diff_markdown_stat(result: dict) -> str:
    """Only the number of changes per status."""
    counts = result["counts"]
    lines = _diff_markdown_head(result)
    if not counts:
        return "\n".join(lines + ["No changes."]) + "\n"
    lines += ["| status | changes |", "| --- | ---: |"]
    lines += [f"| {status} | {n} |" for status, n in counts.items() if status != NOT_COVERED]
    lines.append(f"| total | {sum(n for s, n in counts.items() if s != NOT_COVERED)} |")
    if counts.get(NOT_COVERED):
        lines.append(f"| not covered (counted apart) | {counts[NOT_COVERED]} |")
    return "\n".join(lines) + "\n"


def diff_markdown(result: dict, limit: int = 0) -> str:
    """Every status's changes (at most `limit` each; 0: all), each with its evidence and reason."""
    lines = _diff_markdown_head(result)
    counts = result["counts"]
    lines += [counts_line(counts) or "No changes.", ""]
    for status in CHANGES:
        group = [c for c in result["changes"] if c["status"] == status]
        if not group:
            continue
        lines += [f"## {BY_NAME[status].title} ({len(group)})", ""]
        shown = group[:limit] if limit else group
        for c in shown:
            if c["from"] and c["to"]:
                lines.append(f"- **{c['to']['text']}** {language_marker(c['to'])}")
                lines.append(
                    f"  - before: “{c['from']['text']}” {language_marker(c['from'])} ({_first_evidence(c['from'])})"
                )
                lines.append(f"  - after: ({_first_evidence(c['to'])})")
            else:
                side = c["to"] or c["from"]
                lines.append(f"- **{side['text']}** {language_marker(side)} ({_first_evidence(side)})")
            lines.append(f"  - why: {c['reason']}")
        if len(group) > len(shown):
            lines += ["", f"*{_more_line(len(group) - len(shown), status, limit)}*"]
        lines.append("")
    return "\n".join(lines) + "\n"


def _diff_table_head(result: dict, out) -> None:
    from rich.markup import escape

    a, b = result["from"], result["to"]
    out.print(
        f"[bold]{escape(a['name'])}[/] ({a['start']} to {a['end']})  →  "
        f"[bold]{escape(b['name'])}[/] ({b['start']} to {b['end']})",
        highlight=False,
    )
    if result.get("note"):
        out.print(f"[yellow]{escape(result['note'])}[/]", highlight=False)


def print_diff_stat(out, result: dict) -> None:
    """Only the number of changes per status, on the rich console `out`."""
    from rich.table import Table

    _diff_table_head(result, out)
    counts = result["counts"]
    if not counts:
        out.print("No changes match.")
        return
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("status")
    table.add_column("changes", justify="right")
    for status, n in counts.items():
        if status != NOT_COVERED:
            table.add_row(f"[{BY_NAME[status].terminal}]{status}[/]", str(n))
    table.add_row("[bold]total[/]", f"[bold]{sum(n for s, n in counts.items() if s != NOT_COVERED)}[/]")
    if counts.get(NOT_COVERED):
        table.add_row("[dim]not covered (counted apart)[/]", f"[dim]{counts[NOT_COVERED]}[/]")
    out.print(table)


def print_diff_table(out, result: dict, limit: int = 0) -> None:
    """Every status's changes (at most `limit` each; 0: all) as a table, on the rich console `out`."""
    from rich.markup import escape
    from rich.table import Table

    _diff_table_head(result, out)
    counts = result["counts"]
    if counts:
        out.print(counts_line(counts), highlight=False)
    for status in CHANGES:
        group = [c for c in result["changes"] if c["status"] == status]
        if not group:
            continue
        meaning = BY_NAME[status]
        table = Table(
            title=f"[{meaning.terminal}]{meaning.title}[/] ({len(group)})",
            title_justify="left",
            show_lines=True,
            expand=True,
        )
        table.add_column("before", overflow="fold", ratio=3)
        table.add_column("after", overflow="fold", ratio=3)
        table.add_column("score", justify="right", width=5)
        table.add_column("why", overflow="fold", ratio=2)
        shown = group[:limit] if limit else group
        for c in shown:
            before, after = (
                f"[cyan]{escape(language_marker(side))}[/] {escape(side['text'])}\n"
                f"[dim]{escape(_first_evidence(side, compact=True))}[/]"
                if side
                else "[dim]-[/]"
                for side in (c["from"], c["to"])
            )
            score = f"{c['score']:.0f}" if c["score"] is not None else ""
            table.add_row(before, after, score, escape(c["reason"]), style=None)
        out.print(table)
        if len(group) > len(shown):
            out.print(f"[dim]{escape(_more_line(len(group) - len(shown), status, limit))}[/]", highlight=False)
    if not result["changes"]:
        out.print("No changes match.")
