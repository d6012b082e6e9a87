"""Targets across meetings: what happened to each target from one meeting to the next (the
five STATUSES, with the reason), the table of every metric at every meeting that sets it, and
that table as CSV. The targets themselves are read from sentences by tracker/targets.py.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .language import language_of
from .targets import Target, TargetRules

STATUSES = ("strengthened", "weakened", "persisted", "new", "disappeared")
_MOD_STRENGTH = {"at least": 1, "at most": -1}  # floor vs ceiling, for better = "higher"
CSV_COLUMNS = (
    "metric",
    "label",
    "meeting",
    "name",
    "kind",
    "start",
    "status",
    "value",
    "change",
    "change_status",
    "sentence",
    "file",
)


@dataclass(frozen=True)
class TargetChange:
    metric: str
    label: str
    status: str  # one of STATUSES
    before: Target | None
    after: Target | None
    reason: str


def _change(before: Target | None, after: Target | None, better: str) -> tuple[str, str]:
    """(status, what happened). Ranges compare by their midpoint ('6.5–7 %' counts as 6.75); a
    modifier changes ambition only when the values are equal ('around 7 %' -> 'at least 7 %' is
    stronger when higher is better). A metric whose better is "neither" has no stronger or weaker:
    a changed value is reported as "persisted" (the metric is still targeted) with a reason that
    says it changed and which way, so it is never hidden."""
    if before is None:
        assert after is not None, "a change has a target before or after"
        return "new", f"set at {after.describe()}"
    if after is None:
        return "disappeared", f"dropped (was {before.describe()})"
    b, a = before.describe(), after.describe()
    if _value(before) == _value(after):
        return "persisted", f"kept at {a}"
    if before.unit != after.unit:
        return "persisted", f"changed from {b} to {a} (different units, not compared)"
    sign = {"higher": 1, "lower": -1}.get(better, 0)
    if after.mid != before.mid:
        moved, step = ("raised", 1) if after.mid > before.mid else ("lowered", -1)
    else:
        step = _MOD_STRENGTH.get(after.modifier, 0) - _MOD_STRENGTH.get(before.modifier, 0)
        moved = "changed" if (before.low, before.high) == (after.low, after.high) else "changed (same midpoint)"
        step = step if moved == "changed" else 0
    phrase = f"{moved} from {b} to {a}"
    if sign == 0 or step == 0:
        return "persisted", phrase + (" (neither direction is more ambitious)" if sign == 0 and step else "")
    return ("strengthened" if sign * step > 0 else "weakened"), phrase


def compare_targets(before: list[Target], after: list[Target], rules: TargetRules) -> list[TargetChange]:
    """One change per metric either text sets, in targets.toml order; each text's target for a
    metric is `pick`ed (its first yearly one). Ranges compare by midpoint, modifiers only break ties
    of equal values. Only the five STATUSES exist: a metric whose better is "neither" (CPI, deficit,
    M2) cannot be strengthened or weakened, so a changed value is "persisted" (still targeted) and
    the reason carries the move, e.g. "CPI increase target raised from around 3 % to around 3.5 %
    (neither direction is more ambitious)"."""
    out = []
    for metric in rules.metrics:
        b, a = rules.pick(before, metric.id), rules.pick(after, metric.id)
        if b or a:
            status, phrase = _change(b, a, metric.better)
            out.append(TargetChange(metric.id, metric.label, status, b, a, f"{metric.label} target {phrase}"))
    return out


def targets_table(rows: list[dict], rules: TargetRules) -> list[dict]:
    """One row per (metric, meeting) where the meeting's kind usually sets the metric or it set it
    anyway. status: "set"; "none set" (an official full text without it); "not covered" (no
    official text: we cannot tell). change: against the last meeting that set it. When texts in
    different languages (a report and its translation) give the metric different values, each
    value has its row: a translation that reads "10 million" where the original says "1000万人以上"
    is shown, not hidden; when they agree, the first source's row stands for both."""
    out = []
    for metric in rules.metrics:
        last: tuple[Target, str] | None = None
        for row in rows:
            found = [(t, sent, f) for t, sent, f in row["targets"] if t.metric == metric.id]
            picked = _picks_by_language(found, rules, metric.id)
            if not picked and row["kind"] not in metric.set_by:
                continue
            entry = {
                "metric": metric.id,
                "label": metric.label,
                "meeting": row["meeting"],
                "name": row["name"],
                "kind": row["kind"],
                "start": str(row["start"]),
                "official": bool(row.get("official")),
                "value": "",
                "target": None,
                "sentence": "",
                "file": "",
                "change": "",
                "change_status": "",
            }
            for target, sent, file in picked:
                status, phrase = _change(last[0] if last else None, target, metric.better)
                out.append(
                    entry
                    | {
                        "status": "set",
                        "value": target.describe(),
                        "target": target.as_dict(),
                        "sentence": getattr(sent, "text", None) or str(sent),
                        "file": str(file),
                        "change_status": status,
                        "change": phrase if last else "first set in this table",
                    }
                )
            if picked:
                last = (picked[0][0], row["name"])
                continue
            if row.get("official"):
                entry.update(
                    status="none set",
                    change_status="disappeared" if last else "",
                    change=f"not restated (last {last[0].describe()} at {last[1]})" if last else "",
                )
            else:
                entry["status"] = "not covered"
            out.append(entry)
    return out


def _value(target: Target) -> tuple:
    return (target.low, target.high, target.unit, target.modifier)


def _picks_by_language(found: list[tuple], rules: TargetRules, metric: str) -> list[tuple]:
    """(target, sentence, file) the meeting's texts set for `metric`: the target `pick`ed from each
    language's texts (in source order), one per distinct value."""
    by_language: dict[str, list[tuple]] = {}
    for item in found:
        by_language.setdefault(language_of(getattr(item[1], "text", None) or str(item[1])), []).append(item)
    picked: list[tuple] = []
    for items in by_language.values():
        target = rules.pick([t for t, _s, _f in items], metric)
        if target is not None and all(_value(target) != _value(t) for t, _s, _f in picked):
            picked.append(next(x for x in items if x[0] is target))
    return picked


def _cell(value) -> str:
    """Untrusted text in a spreadsheet: a leading = + - @ (or tab/CR) would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip(" ")[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_as_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(c, "")) for c in CSV_COLUMNS])
    return buf.getvalue()


def meeting_targets(session, rules: TargetRules) -> list[dict]:
    """targets_table's input from the database: each meeting with articles, in date order, the
    targets its sources set (with the sentence and file) and whether an official full text is
    among them (only then can a missing target be read as "none set")."""
    from sqlalchemy import select

    from .db import Meeting

    rows = []
    for meeting in session.scalars(select(Meeting).where(Meeting.articles.any()).order_by(Meeting.start, Meeting.id)):
        articles = sorted(meeting.articles, key=lambda a: (a.kind != "official", a.file))
        found = [(Target(**t["target"]), t["sentence"], a.file) for a in articles for t in (a.targets or [])]
        rows.append(
            {
                "meeting": meeting.id,
                "name": meeting.name,
                "kind": meeting.kind,
                "start": meeting.start.isoformat(),
                "official": any(a.kind == "official" for a in articles),
                "targets": found,
            }
        )
    return targets_table(rows, rules)
