"""`tracker diff` for people: a diff (tracker.queries.meeting_diff) as markdown for reports, or
as terminal tables, grouped by status in the vocabulary's order (tracker.statuses). Each
commitment is marked with its language ([en], [zh]): a corpus may hold both, and commitments
are matched within a language."""

from __future__ import annotations

import csv
import io

from .csv_cells import spreadsheet_cell
from .language import ENGLISH
from .metadata import compact as citation_compact
from .statuses import BY_NAME, CHANGES, NOT_COVERED, REPORTED, counts_line
from .terminal import WIDE, cited_title, plain, safe


def changed(result: dict) -> bool:
    """Whether policy changed (`--exit-code`): a change new, strengthened, weakened or
    disappeared; persisted and not covered (which measures the sources) are not."""
    return any(result["counts"].get(status) for status in REPORTED)


def summary_line(result: dict) -> str:
    """ "12 changes: 3 strengthened, 9 new; 4 not covered (counted apart)", or "No changes."."""
    counts = result["counts"]
    total = sum(n for status, n in counts.items() if status != NOT_COVERED)
    if not counts:
        return "No changes."
    return f"{total} change{'' if total == 1 else 's'}: {counts_line(counts)}"


_SIDE_COLUMNS = ("id", "meeting", "language", "text", "evidence")
# Each evidence's article, in the order of `evidence` ("; " between them; empty where unknown).
_CITATION_COLUMNS = ("title", "source", "date", "url")
CSV_COLUMNS = [
    "status",
    "score",
    "reason",
    *(f"{side}_{key}" for side in ("from", "to") for key in _SIDE_COLUMNS),
    *(f"{side}_{key}" for side in ("from", "to") for key in _CITATION_COLUMNS),
]


def diff_csv(result: dict) -> str:
    """Every change as one CSV row (CSV_COLUMNS), in status order; each side's evidence as
    file:start-end, separated by "; ", and its articles' title, outlet, date and URL in the
    same order (the citation columns come after the others, so older readers keep theirs)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in result["changes"]:
        row = [c["status"], "" if c["score"] is None else f"{c['score']:.1f}", c["reason"]]
        cited = []
        for side in (c["from"], c["to"]):
            if side is None:
                row += [""] * len(_SIDE_COLUMNS)
                cited += [""] * len(_CITATION_COLUMNS)
                continue
            evidence = "; ".join(f"{e['file']}:{e['start']}-{e['end']}" for e in side["evidence"])
            row += [side["id"], side["meeting"], side.get("language") or ENGLISH, side["text"], evidence]
            cited += ["; ".join(e.get(key) or "" for e in side["evidence"]) for key in _CITATION_COLUMNS]
        writer.writerow([spreadsheet_cell(v) for v in row + cited])
    return buf.getvalue()


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
    where = f"{plain(ev['file'])}:{ev['start']}"
    if compact:
        return f"{plain(citation_compact(ev.get('source'), ev.get('date')) or '') or where}{more}"
    title = f"“{plain(ev['title'])}”" if ev.get("title") else ""
    parts = (title, plain(ev.get("source") or ""), ev.get("date"), plain(ev.get("url") or "") or where)
    return ", ".join(p for p in parts if p) + more


def _diff_markdown_head(result: dict) -> list[str]:
    a, b = result["from"], result["to"]
    lines = [f"# {plain(a['name'])} ({a['start']}) → {plain(b['name'])} ({b['start']})", ""]
    if result.get("note"):
        lines += [f"> {result['note']}", ""]
    return lines


def diff_markdown_stat(result: dict) -> str:
    """Only the number of changes per status."""
    counts = result["counts"]
    lines = [*_diff_markdown_head(result), summary_line(result), ""]
    if not counts:
        return "\n".join(lines) + "\n"
    lines += ["| status | changes |", "| --- | ---: |"]
    lines += [f"| {status} | {n} |" for status, n in counts.items() if status != NOT_COVERED]
    lines.append(f"| total | {sum(n for s, n in counts.items() if s != NOT_COVERED)} |")
    if counts.get(NOT_COVERED):
        lines.append(f"| not covered (counted apart) | {counts[NOT_COVERED]} |")
    return "\n".join(lines) + "\n"


def diff_markdown(result: dict, limit: int = 0) -> str:
    """Every status's changes (at most `limit` each; 0: all), each with its evidence and reason."""
    lines = _diff_markdown_head(result)
    lines += [summary_line(result), ""]
    for status in CHANGES:
        group = [c for c in result["changes"] if c["status"] == status]
        if not group:
            continue
        lines += [f"## {BY_NAME[status].title} ({len(group)})", ""]
        shown = group[:limit] if limit else group
        for c in shown:
            if c["from"] and c["to"]:
                lines.append(f"- **{plain(c['to']['text'])}** {language_marker(c['to'])}")
                lines.append(
                    f"  - before: “{plain(c['from']['text'])}” {language_marker(c['from'])} "
                    f"({_first_evidence(c['from'])})"
                )
                lines.append(f"  - after: ({_first_evidence(c['to'])})")
            else:
                side = c["to"] or c["from"]
                lines.append(f"- **{plain(side['text'])}** {language_marker(side)} ({_first_evidence(side)})")
            lines.append(f"  - why: {plain(c['reason'])}")
        if len(group) > len(shown):
            lines += ["", f"*{_more_line(len(group) - len(shown), status, limit)}*"]
        lines.append("")
    return "\n".join(lines) + "\n"


def _diff_table_head(result: dict, out) -> None:
    a, b = result["from"], result["to"]
    out.print(
        f"[bold]{safe(a['name'])}[/] ({a['start']} to {a['end']})  →  "
        f"[bold]{safe(b['name'])}[/] ({b['start']} to {b['end']})",
        highlight=False,
    )
    if result.get("note"):
        out.print(f"[yellow]{safe(result['note'])}[/]", highlight=False)
    out.print(summary_line(result), highlight=False)


def print_diff_stat(out, result: dict) -> None:
    """Only the number of changes per status, on the rich console `out`."""
    from rich.table import Table

    _diff_table_head(result, out)
    counts = result["counts"]
    if not counts:
        return
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("status", no_wrap=True)
    table.add_column("changes", justify="right", no_wrap=True)
    for status, n in counts.items():
        if status != NOT_COVERED:
            table.add_row(f"[{BY_NAME[status].terminal}]{status}[/]", str(n))
    table.add_row("[bold]total[/]", f"[bold]{sum(n for s, n in counts.items() if s != NOT_COVERED)}[/]")
    if counts.get(NOT_COVERED):
        table.add_row("[dim]not covered (counted apart)[/]", f"[dim]{counts[NOT_COVERED]}[/]")
    out.print(table)


def _side(side: dict | None) -> str:
    """One side of a change for the terminal: language, text, then its id and first evidence
    (dim, on a line of their own: the id is what `tracker link` takes), then the title of that
    evidence's article (cut short, on a line of its own, so the id and place never break)."""
    if not side:
        return "[dim]-[/]"
    ev = side["evidence"][0] if side.get("evidence") else {}
    title = f"\n[dim]{cited_title(ev)}[/]" if ev.get("title") else ""
    return (
        f"[cyan]{safe(language_marker(side))}[/] {safe(side['text'], lines=True)}\n"
        f"[dim]{safe(side['id'])}  {safe(_where(side))}{_cited(side)}[/]{title}"
    )


def _where(side: dict) -> str:
    """file:offset of its first evidence (what `tracker show` and the site's anchors use)."""
    ev = side["evidence"][0] if side.get("evidence") else None
    return f"{ev['file']}:{ev['start']}" if ev else ""


def _cited(side: dict) -> str:
    """ ", Reuters, 2016-03-05" where its first evidence's outlet or date is known."""
    ev = side["evidence"][0] if side.get("evidence") else {}
    cited = citation_compact(ev.get("source"), ev.get("date"))
    return f", {safe(cited)}" if cited else ""


def _print_compact(out, shown: list[dict]) -> None:
    """Changes on a narrow console: one block each, before and after under each other."""
    for c in shown:
        score = f"score {c['score']:.0f}: " if c["score"] is not None else ""
        if c["from"]:
            out.print(("before: " if c["to"] else "") + _side(c["from"]), highlight=False)
        if c["to"]:
            out.print(("after:  " if c["from"] else "") + _side(c["to"]), highlight=False)
        out.print(f"[italic]{score}{safe(c['reason'])}[/]\n", highlight=False)


def print_diff_table(out, result: dict, limit: int = 0) -> None:
    """Every status's changes (at most `limit` each; 0: all), in status order, on the rich
    console `out`: a table each on a wide console, blocks on a narrow one."""
    from rich.rule import Rule
    from rich.table import Table

    _diff_table_head(result, out)
    for status in CHANGES:
        group = [c for c in result["changes"] if c["status"] == status]
        if not group:
            continue
        meaning = BY_NAME[status]
        title = f"[{meaning.terminal}]{meaning.title}[/] ({len(group)})"
        shown = group[:limit] if limit else group
        if out.width < WIDE:
            out.print(Rule(title, align="left"))
            _print_compact(out, shown)
        else:
            table = Table(title=title, title_justify="left", show_lines=True, expand=True)
            table.add_column("before", overflow="fold", ratio=3)
            table.add_column("after", overflow="fold", ratio=3)
            table.add_column("score", justify="right", width=5, no_wrap=True)
            table.add_column("why", overflow="fold", ratio=2)
            for c in shown:
                score = f"{c['score']:.0f}" if c["score"] is not None else ""
                table.add_row(_side(c["from"]), _side(c["to"]), score, safe(c["reason"], lines=True))
            out.print(table)
        if len(group) > len(shown):
            out.print(f"[dim]{safe(_more_line(len(group) - len(shown), status, limit))}[/]", highlight=False)
