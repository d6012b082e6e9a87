"""The site's data: the downloads (dataset.json, CSV files, targets) and the data the compare
and search pages' scripts read (compare/<a>--<b>.js and the embedded search index)."""

from __future__ import annotations

import csv
import io

from tracker import statuses
from tracker.csv_cells import spreadsheet_cell
from tracker.language import simplified
from tracker.target_changes import table_as_csv

from .evidence import EvidenceView
from .formats import language_labels, safe_id, script_json, stable_json
from .model import CommitmentView, MeetingView, Model, PairView

COMPARE_GLOBAL = "PolicyTrackerCompare"  # what compare/<a>--<b>.js scripts fill in


def add_downloads(pages) -> None:
    """data/*: the whole model as JSON and as CSV tables, and the targets; compare/*.js: each
    stored pair's changes. `pages`: the site's timeline.pages.Pages."""
    model, writer = pages.model, pages.writer
    # Compact JSON: json's C encoder does not indent (indent=1 took 0.9 s at 2,000 articles).
    pages.file("data/dataset.json", lambda: stable_json(dataset(model)) + "\n")
    for name, content in csv_files(model).items():
        writer.text(f"data/{name}", content)
    writer.text("data/targets.csv", spreadsheet_safe(table_as_csv(model.targets)))
    writer.text("data/targets.json", stable_json(model.targets, indent=1) + "\n")
    commitment_index = {c.id: i for i, c in enumerate(model.commitments)}
    for pair in model.compared:
        pages.file(compare_file(pair), lambda pair=pair: compare_pair_file(pair, commitment_index))


def commitment_record(c: CommitmentView, meeting: MeetingView) -> dict:
    return {
        "id": c.id,
        "meeting": c.meeting_id,
        "meeting_start": meeting.start,
        "text": c.text,
        "language": c.language,
        "topics": c.topics,
        "emphasis": c.emphasis,
        "emphasis_explained": c.explanation or None,
        "thread": c.thread_id,
        "thread_status": c.status,
        "position": c.position,
        "evidence": [evidence_record(e) for e in c.evidence],
    }


def evidence_record(e: EvidenceView) -> dict:
    """An evidence sentence with what cites it (as `tracker commitments --format json` gives it):
    its article's title, source (the outlet), date (published) and url (the article's own),
    and `page`, where this site shows the sentence."""
    return {
        "file": e.file,
        "sentence": e.sentence,
        "title": e.title,
        "source": e.source,
        "date": e.date,
        "url": e.link,
        "page": e.article_url,
    }


def cited(e: EvidenceView | None) -> str:
    """One cell: title, outlet, date and the article's URL (else its file)."""
    if e is None:
        return ""
    return ", ".join(p for p in (e.named, e.source, e.date, e.link or e.file) if p)


def dataset(model: Model) -> dict:
    by_id = {m.id: m for m in model.meetings}
    return {
        "meetings": [
            {
                "id": m.id,
                "name": m.name,
                "short": m.short,
                "kind": m.kind,
                "start": m.start,
                "end": m.end,
                "inferred": m.inferred,
                "articles": [a["file"] for a in m.articles],
                "commitments": len(m.commitments),
            }
            for m in model.meetings
        ],
        "articles": [
            {
                "file": a["file"],
                "title": a["title"],
                "meeting": a["meeting"],
                "source": a["source"],
                "date": a["published"],
                "url": a["link"],
                "kind": a["kind"],
                "language": a["language"],
                "assignment": a["assignment"],
            }
            for a in model.articles
        ],
        "commitments": [commitment_record(c, by_id[c.meeting_id]) for c in model.commitments],
        "changes": [
            {
                "from_meeting": p.before.id,
                "to_meeting": p.after.id,
                "status": c.status,
                "score": c.score,
                "reason": c.reason,
                "from_commitment": c.before.id if c.before else None,
                "to_commitment": c.after.id if c.after else None,
            }
            for p in model.pairs
            for c in p.changes
        ],
        "threads": [
            {
                "id": t.id,
                "topic": t.group or None,
                "topics": t.topics,
                "commitments": [c.id for c in t.commitments],
                "meetings": [model.meetings[i].id for i in t.meeting_indices],
            }
            for t in model.threads
        ],
        "topics": [
            {"id": k, "label": v}
            for k, v in sorted(model.topic_labels.items(), key=lambda kv: model.topic_order[kv[0]])
        ],
    }


def to_csv(header: list[str], rows: list[list]) -> str:
    """CSV text whose cells no spreadsheet evaluates as formulas (tracker.csv_cells)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_cell(v) for v in row])
    return buf.getvalue()


def spreadsheet_safe(text: str) -> str:
    """CSV text made elsewhere (tracker's targets table), its cells neutralised like to_csv's."""
    rows = list(csv.reader(io.StringIO(text)))
    return to_csv(rows[0], rows[1:]) if rows else text


def _side(c: CommitmentView | None) -> list:
    """A change's side in changes.csv: commitment id, its text, its first evidence sentence and
    that sentence's citation."""
    if c is None:
        return ["", "", "", ""]
    first = c.evidence[0] if c.evidence else None
    return [c.id, c.text, first.sentence if first else "", cited(first)]


def csv_files(model: Model) -> dict[str, str]:
    consecutive = {(p.before.id, p.after.id) for p in model.pairs}
    return {
        "meetings.csv": to_csv(
            ["id", "name", "kind", "start", "end", "inferred", "articles", "commitments"],
            [
                [m.id, m.name, m.kind, m.start, m.end, int(m.inferred), len(m.articles), len(m.commitments)]
                for m in model.meetings
            ],
        ),
        "commitments.csv": to_csv(
            [
                "id",
                "meeting",
                "position",
                "text",
                "topics",
                "emphasis",
                "emphasis_explained",
                "thread",
                "thread_status",
                "language",
            ],
            [
                [
                    c.id,
                    c.meeting_id,
                    c.position,
                    c.text,
                    ";".join(c.topics),
                    c.emphasis,
                    c.explanation,
                    c.thread_id,
                    c.status,
                    c.language,
                ]
                for c in model.commitments
            ],
        ),
        "evidence.csv": to_csv(
            ["commitment", "meeting", "position", "file", "sentence", "title", "source", "date", "url"],
            [
                [c.id, c.meeting_id, i, e.file, e.sentence, e.title, e.source, e.date, e.link]
                for c in model.commitments
                for i, e in enumerate(c.evidence)
            ],
        ),
        "changes.csv": to_csv(
            [
                "from_meeting",
                "from_meeting_name",
                "from_meeting_start",
                "to_meeting",
                "to_meeting_name",
                "to_meeting_start",
                "consecutive",
                "status",
                "score",
                "reason",
                "from_commitment",
                "from_text",
                "from_sentence",
                "from_source",
                "to_commitment",
                "to_text",
                "to_sentence",
                "to_source",
            ],
            [
                [
                    p.before.id,
                    p.before.name,
                    p.before.start,
                    p.after.id,
                    p.after.name,
                    p.after.start,
                    "yes" if (p.before.id, p.after.id) in consecutive else "no",
                    c.status,
                    c.score,
                    c.reason,
                    *_side(c.before),
                    *_side(c.after),
                ]
                for p in model.compared
                for c in p.changes
            ],
        ),
        "articles.csv": to_csv(
            ["file", "title", "source", "date", "url", "kind", "language", "meeting"],
            [
                [a["file"], a["title"], a["source"], a["published"], a["link"], a["kind"], a["language"], a["meeting"]]
                for a in model.articles
            ],
        ),
        "threads.csv": to_csv(
            ["thread", "topic", "topics", "first_meeting", "last_meeting", "meetings", "commitments", "first_text"],
            [
                [
                    t.id,
                    t.group,
                    ";".join(t.topics),
                    model.meetings[t.meeting_indices[0]].id,
                    model.meetings[t.meeting_indices[-1]].id,
                    ";".join(model.meetings[i].id for i in t.meeting_indices),
                    ";".join(c.id for c in t.commitments),
                    t.commitments[0].text,
                ]
                for t in model.threads
            ],
        ),
    }


# --------------------------------------------------------------------------------------------
# What the compare and search pages' scripts read


def compare_file(pair: PairView) -> str:
    return f"compare/{safe_id(pair.before.id)}--{safe_id(pair.after.id)}.js"


def compare_data(model: Model) -> dict:
    """The compare page's own data: meetings, commitments (referred to by index), the stored
    pairs (each pair's changes are in compare_pair_file, loaded when picked) and the statuses:
    their order, help, and the one counted apart."""
    adjacent = {(p.before.id, p.after.id): p.url for p in model.pairs}
    return {
        "meetings": [
            {"id": m.id, "name": m.name, "short": m.short, "start": m.start, "end": m.end, "url": m.url}
            for m in model.meetings
        ],
        "commitments": [
            {
                "id": c.id,
                "meeting": c.meeting_id,
                "text": c.text,
                "emphasis": c.emphasis,
                "topics": c.topic_labels,
                "url": c.thread_url,
                "language": c.language,
                **({"section": c.section} if c.section else {}),
            }
            for c in model.commitments
        ],
        "pairs": [
            {
                "key": f"{p.before.id}--{p.after.id}",
                "before": p.before.id,
                "after": p.after.id,
                "file": compare_file(p),
                **({"page": adjacent[(p.before.id, p.after.id)]} if (p.before.id, p.after.id) in adjacent else {}),
            }
            for p in model.compared
        ],
        "topics": [
            {"key": t, "label": model.topic_label(t)}
            for t in sorted({t for c in model.commitments for t in c.topics}, key=model.topic_rank)
        ],
        "order": list(statuses.CHANGES),
        "help": {s.name: s.help for s in statuses.ALL},
        "apart": statuses.NOT_COVERED,
        "languages": language_labels(),
        "show_languages": model.mixed,
    }


def compare_pair_file(pair: PairView, index: dict[str, int]) -> str:
    """compare/<a>--<b>.js: the stored changes of one pair as [status, score, reason, index of
    the earlier commitment, index of the later one], in the order of the change pages."""
    ordered = sorted(
        (c for _s, items in pair.groups() for c in items),
        key=lambda c: statuses.CHANGE_ORDER.get(c.status, len(statuses.CHANGE_ORDER)),
    )
    changes = [
        [c.status, c.score, c.reason, index[c.before.id] if c.before else None, index[c.after.id] if c.after else None]
        for c in ordered
    ]
    key = f"{pair.before.id}--{pair.after.id}"
    return (
        f"/* policy-tracker: the stored changes from one meeting to another, laid out by assets/compare.js. */\n"
        f"(window.{COMPARE_GLOBAL} = window.{COMPARE_GLOBAL} || {{}})[{script_json(key)}] = "
        f"{script_json({'changes': changes})};\n"
    )


def search_index(model: Model) -> list[dict]:
    """What assets/search.js searches: each commitment with its meeting, topics and first
    evidence sentence; where its Chinese is traditional, also its text in simplified characters
    (as tracker compares texts), so that a simplified query finds it."""
    by_id = {m.id: m for m in model.meetings}
    return [search_entry(c, by_id[c.meeting_id]) for c in model.commitments]


def search_entry(c: CommitmentView, meeting: MeetingView) -> dict:
    evidence = c.evidence[0].sentence if c.evidence else ""
    # Full-width forms need nothing here: search.js folds them (NFKC) in the text and the query.
    folded = simplified(c.text + "\n" + evidence)
    return {
        "id": c.id,
        "text": c.text,
        "language": c.language,
        "topics": c.topic_labels,
        "meeting": meeting.name,
        "short": meeting.short,
        "date": meeting.start,
        "status": c.status,
        "emphasis": c.emphasis,
        "url": c.thread_url,
        "evidence": evidence,
        **({"folded": folded} if folded != c.text + "\n" + evidence else {}),
    }
