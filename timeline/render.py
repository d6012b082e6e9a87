"""Render the static timeline site from what `tracker` stored.

`render_site(session, settings)` writes every page into a temporary sibling folder and swaps it
into place, so a reader never sees a half-built site and pages of earlier builds disappear.
The output is deterministic: the same database gives byte-identical files (no timestamps,
stable ordering, sorted JSON keys). Nothing here matches commitments: the threads and changes
are the ones `tracker` stored.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db import Article, Change, Commitment, Meeting, Run, ThreadMember

from . import figures

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

STATUSES = ["new", "persisted", "strengthened", "weakened", "reappeared"]
CHANGE_ORDER = ["strengthened", "new", "persisted", "weakened", "reappeared", "disappeared"]
STATUS_HELP = {
    "new": "first stated at this meeting",
    "persisted": "carried on with about the same emphasis",
    "strengthened": "carried on with more emphasis",
    "weakened": "carried on with less emphasis",
    "reappeared": "came back after being absent",
    "disappeared": "not carried on",
}
RECENT_RUNS = 30  # runs shown on recent.html and in feed.xml
NO_TOPIC = ""
NO_TOPIC_LABEL = "No topic tagged"


# --------------------------------------------------------------------------------------------
# Helpers


def stable_json(data, indent: int | None = None) -> str:
    if indent is None:
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(data, sort_keys=True, indent=indent, ensure_ascii=False)


def json_for_script(data) -> str:
    """JSON safe inside <script type="application/json">: no `<`, `>` or `&` survive raw."""
    return (stable_json(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def json_script(data, element_id: str) -> Markup:
    return Markup('<script type="application/json" id="{}">{}</script>').format(
        element_id, Markup(json_for_script(data)))


def slugify(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug or "article"


def safe_id(value: str) -> str:
    """A file-name-safe form of an id (ids are normally already safe)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip(".-") or "x"


def truncate(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def fmt_num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def short_label(meeting: Meeting) -> str:
    candidates = [a for a in (meeting.aliases or []) if 6 <= len(a) <= 30]
    if candidates:
        return min(candidates, key=len)
    return truncate(meeting.name, 30)


# --------------------------------------------------------------------------------------------
# The model the templates read


@dataclass
class EvidenceView:
    sentence: str
    file: str
    article_url: str  # relative to the site root, with the #ev-N anchor
    title: str


@dataclass
class CommitmentView:
    id: str
    text: str
    topics: list[str]
    topic_labels: list[str]
    emphasis: float
    explanation: str
    status: str
    thread_id: str
    meeting_id: str
    meeting_index: int
    position: int
    evidence: list[EvidenceView] = field(default_factory=list)

    @property
    def group(self) -> str:
        return self.topics[0] if self.topics else NO_TOPIC

    @property
    def thread_url(self) -> str:
        return f"threads/{safe_id(self.thread_id)}.html"


@dataclass
class ThreadView:
    id: str
    group: str
    group_label: str
    topics: list[str]
    commitments: list[CommitmentView]
    row: int = 0

    @property
    def url(self) -> str:
        return f"threads/{safe_id(self.id)}.html"

    @property
    def title(self) -> str:
        return truncate(self.commitments[0].text, 90)

    @property
    def meeting_indices(self) -> list[int]:
        return sorted({c.meeting_index for c in self.commitments})


@dataclass
class MeetingView:
    id: str
    name: str
    short: str
    kind: str
    start: str
    end: str
    inferred: bool
    inferred_from: str | None
    index: int
    articles: list[dict] = field(default_factory=list)
    commitments: list[CommitmentView] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"meetings/{safe_id(self.id)}.html"

    @property
    def dates(self) -> str:
        return self.start if self.start == self.end else f"{self.start} to {self.end}"


@dataclass
class ChangeView:
    status: str
    score: float | None
    reason: str
    before: CommitmentView | None
    after: CommitmentView | None


@dataclass
class PairView:
    before: MeetingView
    after: MeetingView
    changes: list[ChangeView]

    @property
    def url(self) -> str:
        return f"changes/{safe_id(self.before.id)}--{safe_id(self.after.id)}.html"

    def groups(self) -> list[tuple[str, list[ChangeView]]]:
        by: dict[str, list[ChangeView]] = defaultdict(list)
        for c in self.changes:
            by[c.status].append(c)
        order = CHANGE_ORDER + sorted(s for s in by if s not in CHANGE_ORDER)
        return [(s, by[s]) for s in order if by.get(s)]

    def counts(self) -> list[tuple[str, int]]:
        return [(s, len(items)) for s, items in self.groups()]


@dataclass
class Model:
    meetings: list[MeetingView]
    commitments: list[CommitmentView]
    threads: list[ThreadView]
    pairs: list[PairView]
    articles: list[dict]
    unassigned: list[dict]
    topic_labels: dict[str, str]
    topic_order: dict[str, int]
    runs: list[dict] = field(default_factory=list)
    # Commitments no commitment of the next meeting carries on (where a thread's × goes).
    disappeared: set[str] = field(default_factory=set)


def load_model(session: Session, settings) -> Model:
    topics_data = settings.topics.get("topic", [])
    topic_labels = {t["id"]: t.get("label", t["id"]) for t in topics_data}
    topic_order = {t["id"]: i for i, t in enumerate(topics_data)}

    def label_of(topic_id: str) -> str:
        return topic_labels.get(topic_id, topic_id) if topic_id else NO_TOPIC_LABEL

    articles_rows = list(session.scalars(select(Article).order_by(Article.file)))
    slugs: dict[int, str] = {}
    used: set[str] = set()
    for a in articles_rows:
        slug = slugify(a.file)
        if slug in used:
            n = 2
            while f"{slug}-{n}" in used:
                n += 1
            slug = f"{slug}-{n}"
        used.add(slug)
        slugs[a.id] = slug

    # Evidence anchors: per article, ev-1, ev-2, ... in text order; overlapping sentences share one.
    anchors: dict[int, str] = {}  # evidence id -> anchor
    marks: dict[int, list[dict]] = {}  # article id -> marks
    for a in articles_rows:
        evs = sorted(a.evidence, key=lambda e: (e.start, e.end, e.commitment_id, e.position))
        article_marks: list[dict] = []
        n = len(a.text or "")
        for ev in evs:
            start, end = max(0, min(ev.start, n)), max(0, min(ev.end, n))
            if end <= start:
                continue
            if article_marks and start < article_marks[-1]["end"]:
                mark = article_marks[-1]
                mark["end"] = max(mark["end"], end)
            else:
                mark = {"start": start, "end": end, "anchor": f"ev-{len(article_marks) + 1}", "commitments": []}
                article_marks.append(mark)
            if ev.commitment_id not in mark["commitments"]:
                mark["commitments"].append(ev.commitment_id)
            anchors[ev.id] = mark["anchor"]
        marks[a.id] = article_marks

    meeting_rows = [m for m in session.scalars(
        select(Meeting).where(Meeting.articles.any() | Meeting.commitments.any()).order_by(Meeting.start, Meeting.id))]
    meetings: list[MeetingView] = []
    commitments: list[CommitmentView] = []
    by_commitment: dict[str, CommitmentView] = {}
    for index, m in enumerate(meeting_rows):
        mv = MeetingView(m.id, m.name, short_label(m), m.kind, m.start.isoformat(), m.end.isoformat(),
                         bool(m.inferred), m.inferred_from, index)
        mv.articles = [{"file": a.file, "title": a.title or a.file, "url": f"articles/{slugs[a.id]}.html",
                        "source": a.source, "link": a.url, "assignment": a.assignment or ""}
                       for a in sorted(m.articles, key=lambda a: a.file)]
        for c in sorted(m.commitments, key=lambda c: (c.position, c.id)):
            cv = CommitmentView(
                id=c.id, text=c.text, topics=list(c.topics or []),
                topic_labels=[label_of(t) for t in (c.topics or [])], emphasis=float(c.emphasis or 0.0),
                explanation=(c.signals or {}).get("explanation") or "", status=c.thread_status or "new",
                thread_id=c.thread_id or c.id, meeting_id=m.id, meeting_index=index, position=c.position,
            )
            for ev in sorted(c.evidence, key=lambda e: (e.position, e.id)):
                anchor = anchors.get(ev.id)
                url = f"articles/{slugs[ev.article_id]}.html" + (f"#{anchor}" if anchor else "")
                cv.evidence.append(EvidenceView(ev.sentence, ev.article.file, url, ev.article.title or ev.article.file))
            mv.commitments.append(cv)
            commitments.append(cv)
            by_commitment[cv.id] = cv
        meetings.append(mv)

    # Threads, sorted by their first topic (lexicon order), then by date.
    # A commitment that carries on several earlier ones belongs to each of their threads,
    # with the status it has in that thread (stored by tracker's matching).
    grouped: dict[str, list[CommitmentView]] = defaultdict(list)
    members = session.execute(select(ThreadMember.thread_id, ThreadMember.commitment_id, ThreadMember.status, ThreadMember.topics)
                              .order_by(ThreadMember.thread_id, ThreadMember.commitment_id)).all()
    carried: dict[tuple[str, str], list[str]] = {}  # (thread, commitment) -> topics the link into it carried
    for thread_id, commitment_id, status, topics in members:
        carried[(thread_id, commitment_id)] = list(topics or [])
        cv = by_commitment.get(commitment_id)
        if cv is not None:
            grouped[thread_id].append(cv if (cv.thread_id, cv.status) == (thread_id, status)
                                      else replace(cv, thread_id=thread_id, status=status, evidence=cv.evidence))
    if not members:  # a database matched before thread memberships were stored
        for cv in commitments:
            grouped[cv.thread_id].append(cv)
    threads: list[ThreadView] = []
    for tid, items in grouped.items():
        items.sort(key=lambda c: (c.meeting_index, c.position, c.id))
        # The thread's topic: the one its links carried most often (what actually went on from
        # meeting to meeting); for a thread without links, its commitment's first topic.
        order = list(dict.fromkeys(t for c in items for t in c.topics))
        via = [t for c in items for t in carried.get((tid, c.id), [])]  # in date order: ties go to the earliest
        if via:
            first = max(dict.fromkeys(via), key=lambda t: (via.count(t), -via.index(t)))
        else:
            first = order[0] if order else NO_TOPIC
        topics = order
        threads.append(ThreadView(tid, first, label_of(first), topics, items))
    threads.sort(key=lambda t: (t.group == NO_TOPIC, topic_order.get(t.group, 10_000), t.group,
                                t.commitments[0].meeting_index, t.commitments[0].position, t.id))
    for row, t in enumerate(threads):
        t.row = row

    # Stored changes between consecutive meetings.
    index_of = {m.id: m for m in meetings}
    pair_changes: dict[tuple[str, str], list[ChangeView]] = defaultdict(list)
    for ch in session.scalars(select(Change).order_by(Change.from_meeting_id, Change.to_meeting_id, Change.position, Change.id)):
        pair_changes[(ch.from_meeting_id, ch.to_meeting_id)].append(ChangeView(
            ch.status, ch.score, ch.reason or "", by_commitment.get(ch.from_commitment_id or ""),
            by_commitment.get(ch.to_commitment_id or "")))
    pairs = [PairView(index_of[a], index_of[b], items) for (a, b), items in pair_changes.items()
             if a in index_of and b in index_of]
    pairs.sort(key=lambda p: (p.before.index, p.after.index))

    articles = []
    unassigned = []
    for a in articles_rows:
        entry = {"id": a.id, "file": a.file, "title": a.title or a.file, "slug": slugs[a.id],
                 "url": f"articles/{slugs[a.id]}.html", "meeting": a.meeting_id, "source": a.source,
                 "link": a.url, "date": a.date.isoformat() if a.date else None,
                 "assignment": a.assignment or "", "text": a.text or "", "marks": marks[a.id]}
        articles.append(entry)
        if a.meeting_id is None:
            unassigned.append(entry)
    runs = [
        {"id": run.id, "finished": run.finished, "full": run.full, **run.summary}
        for run in session.scalars(select(Run).order_by(Run.id.desc()).limit(RECENT_RUNS))
    ]
    disappeared = set(session.scalars(select(Change.from_commitment_id).where(Change.status == "disappeared")))
    return Model(meetings, commitments, threads, pairs, articles, unassigned, topic_labels, topic_order, runs, disappeared)


# --------------------------------------------------------------------------------------------
# Article text with highlighted evidence


def highlight(article: dict, commitments: dict[str, CommitmentView], root: str) -> Markup:
    """The article text with every evidence sentence in <mark id="ev-N">; each piece of text is
    escaped on its own, so nothing in the article can become markup."""
    text = article["text"]
    out: list[Markup] = []
    cursor = 0
    for mark in article["marks"]:
        out.append(escape(text[cursor:mark["start"]]))
        links = Markup("").join(
            Markup('<a class="evlink" href="{}" title="{}">thread</a>').format(
                root + commitments[cid].thread_url, "Thread of: " + truncate(commitments[cid].text, 80))
            for cid in mark["commitments"] if cid in commitments)
        out.append(Markup('<mark id="{}">{}</mark>{}').format(mark["anchor"], text[mark["start"]:mark["end"]], links))
        cursor = mark["end"]
    out.append(escape(text[cursor:]))
    return Markup("").join(out)


# --------------------------------------------------------------------------------------------
# Data downloads


def commitment_record(c: CommitmentView, meeting: MeetingView) -> dict:
    return {
        "id": c.id, "meeting": c.meeting_id, "meeting_start": meeting.start, "text": c.text,
        "topics": c.topics, "emphasis": c.emphasis, "emphasis_explained": c.explanation or None,
        "thread": c.thread_id, "thread_status": c.status, "position": c.position,
        "evidence": [{"file": e.file, "sentence": e.sentence, "url": e.article_url} for e in c.evidence],
    }


def dataset(model: Model) -> dict:
    by_id = {m.id: m for m in model.meetings}
    return {
        "meetings": [{"id": m.id, "name": m.name, "short": m.short, "kind": m.kind, "start": m.start,
                      "end": m.end, "inferred": m.inferred, "articles": [a["file"] for a in m.articles],
                      "commitments": len(m.commitments)} for m in model.meetings],
        "articles": [{"file": a["file"], "title": a["title"], "meeting": a["meeting"], "source": a["source"],
                      "url": a["link"], "assignment": a["assignment"]} for a in model.articles],
        "commitments": [commitment_record(c, by_id[c.meeting_id]) for c in model.commitments],
        "changes": [{"from_meeting": p.before.id, "to_meeting": p.after.id, "status": c.status,
                     "score": c.score, "reason": c.reason,
                     "from_commitment": c.before.id if c.before else None,
                     "to_commitment": c.after.id if c.after else None}
                    for p in model.pairs for c in p.changes],
        "threads": [{"id": t.id, "topic": t.group or None, "topics": t.topics,
                     "commitments": [c.id for c in t.commitments],
                     "meetings": [model.meetings[i].id for i in t.meeting_indices]} for t in model.threads],
        "topics": [{"id": k, "label": v} for k, v in sorted(model.topic_labels.items(), key=lambda kv: model.topic_order[kv[0]])],
    }


def to_csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def csv_files(model: Model) -> dict[str, str]:
    return {
        "meetings.csv": to_csv(
            ["id", "name", "kind", "start", "end", "inferred", "articles", "commitments"],
            [[m.id, m.name, m.kind, m.start, m.end, int(m.inferred), len(m.articles), len(m.commitments)] for m in model.meetings]),
        "commitments.csv": to_csv(
            ["id", "meeting", "position", "text", "topics", "emphasis", "emphasis_explained", "thread", "thread_status"],
            [[c.id, c.meeting_id, c.position, c.text, ";".join(c.topics), c.emphasis, c.explanation, c.thread_id, c.status]
             for c in model.commitments]),
        "evidence.csv": to_csv(
            ["commitment", "meeting", "position", "file", "sentence"],
            [[c.id, c.meeting_id, i, e.file, e.sentence] for c in model.commitments for i, e in enumerate(c.evidence)]),
        "changes.csv": to_csv(
            ["from_meeting", "to_meeting", "status", "score", "reason", "from_commitment", "to_commitment"],
            [[p.before.id, p.after.id, c.status, c.score, c.reason, c.before.id if c.before else None,
              c.after.id if c.after else None] for p in model.pairs for c in p.changes]),
        "threads.csv": to_csv(
            ["thread", "topic", "topics", "first_meeting", "last_meeting", "meetings", "commitments", "first_text"],
            [[t.id, t.group, ";".join(t.topics), model.meetings[t.meeting_indices[0]].id,
              model.meetings[t.meeting_indices[-1]].id, ";".join(model.meetings[i].id for i in t.meeting_indices),
              ";".join(c.id for c in t.commitments), t.commitments[0].text] for t in model.threads]),
    }


# --------------------------------------------------------------------------------------------
# Client-side data (compare and search)


def compare_data(model: Model) -> dict:
    return {
        "meetings": [{"id": m.id, "name": m.name, "short": m.short, "start": m.start, "end": m.end,
                      "url": m.url} for m in model.meetings],
        "commitments": [{"id": c.id, "meeting": c.meeting_id, "thread": c.thread_id, "text": c.text,
                         "emphasis": c.emphasis, "topics": c.topic_labels, "url": c.thread_url}
                        for c in model.commitments],
    }


def search_index(model: Model) -> list[dict]:
    by_id = {m.id: m for m in model.meetings}
    return [{"id": c.id, "text": c.text, "topics": c.topic_labels, "meeting": by_id[c.meeting_id].name,
             "short": by_id[c.meeting_id].short, "date": by_id[c.meeting_id].start, "status": c.status,
             "emphasis": c.emphasis, "url": c.thread_url,
             "evidence": c.evidence[0].sentence if c.evidence else ""} for c in model.commitments]


# --------------------------------------------------------------------------------------------
# Writing


def make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["truncate_text"] = truncate
    env.filters["num"] = fmt_num
    env.globals["json_script"] = json_script
    env.globals["STATUS_HELP"] = STATUS_HELP
    return env


class Writer:
    """Writes the new site into `root`. A file whose bytes equal the previous site's copy is
    hard-linked from it instead of rewritten, so a nightly run rewrites only what changed
    (and the previous site stays intact until the swap)."""

    def __init__(self, root: Path, previous: Path | None = None):
        self.root = root
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.count = 0
        self.written = 0

    def _unchanged(self, rel: str, data: bytes) -> bool:
        if self.previous is None:
            return False
        old = self.previous / rel
        try:
            if old.is_symlink() or not old.is_file() or old.stat().st_size != len(data) or old.read_bytes() != data:
                return False
            os.link(old, self.root / rel)
            return True
        except OSError:  # another file system, or no hard links: write it instead
            return False

    def data(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        self.count += 1
        if self._unchanged(rel, data):
            return
        path.write_bytes(data)
        self.written += 1

    def text(self, rel: str, content: str) -> None:
        self.data(rel, content.encode("utf-8"))

    def copy(self, source: Path, rel: str) -> None:
        self.data(rel, source.read_bytes())


def plotly_js_path() -> Path:
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package ({path})")
    return path


def write_site(model: Model, out: Path, previous: Path | None = None) -> Writer:
    env = make_env()
    w = Writer(out, previous)
    by_commitment = {c.id: c for c in model.commitments}
    nav_meetings = model.meetings

    def page(rel: str, template: str, **context) -> None:
        depth = rel.count("/")
        root = "../" * depth
        html = env.get_template(template).render(root=root, nav_meetings=nav_meetings, page_path=rel, **context)
        w.text(rel, html)

    # Assets
    w.copy(plotly_js_path(), "assets/plotly.min.js")
    for source in sorted(STATIC.iterdir()):
        if source.is_file() and not source.name.startswith("."):
            w.copy(source, f"assets/{source.name}")

    # Home (timeline/figures.py owns what the home page shows)
    page("index.html", "index.html", **figures.home_context(model, STATUSES))

    # The timeline's table alternative (its own page: on a large site it is megabytes)
    table_rows = []
    for t in model.threads:
        cells: list[list] = [[] for _ in model.meetings]
        for c in t.commitments:
            cells[c.meeting_index].append(c)
        table_rows.append((t, cells))
    page("timeline-table.html", "timeline-table.html", model=model, rows=table_rows, title="The timeline as a table")

    # Meetings
    pairs_by_after = {p.after.id: p for p in model.pairs}
    pairs_by_before = {p.before.id: p for p in model.pairs}
    for m in model.meetings:
        groups: dict[str, list[CommitmentView]] = defaultdict(list)
        for c in m.commitments:
            groups[c.group].append(c)
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] == NO_TOPIC, model.topic_order.get(kv[0], 10_000), kv[0]))
        topic_groups = [(model.topic_labels.get(k, k) if k else NO_TOPIC_LABEL, v) for k, v in ordered]
        previous = model.meetings[m.index - 1] if m.index > 0 else None
        following = model.meetings[m.index + 1] if m.index + 1 < len(model.meetings) else None
        page(m.url, "meeting.html", meeting=m, topic_groups=topic_groups, previous=previous, following=following,
             change_in=pairs_by_after.get(m.id), change_out=pairs_by_before.get(m.id), title=m.name)

    # Changes between consecutive meetings
    for p in model.pairs:
        page(p.url, "changes.html", pair=p, title=f"Changes from {p.before.short} to {p.after.short}")

    # Threads
    for t in model.threads:
        present = {c.meeting_index for c in t.commitments}
        rows = []
        for i in range(t.meeting_indices[0], len(model.meetings)):
            items = [c for c in t.commitments if c.meeting_index == i]
            rows.append((model.meetings[i], items))
            if not items and i - 1 in present and max(present) < i:
                last = [c for c in t.commitments if c.meeting_index == i - 1]
                if not any(c.id in model.disappeared for c in last):
                    rows.pop()  # it merged into another thread: no "not carried on" row
                break  # show one "not carried on" row after the end, then stop
        also = [model.topic_labels.get(x, x) for x in t.topics if x != t.group]
        page(t.url, "thread.html", thread=t, rows=rows, also=also, title=f"Thread: {t.title}")

    # Articles
    for a in model.articles:
        meeting = next((m for m in model.meetings if m.id == a["meeting"]), None)
        page(a["url"], "article.html", article=a, meeting=meeting, body=highlight(a, by_commitment, "../"),
             title=a["title"])

    # Compare and search
    page("compare.html", "compare.html", compare=compare_data(model), title="Compare two meetings")
    page("search.html", "search.html", index=search_index(model), title="Search commitments")

    # What each nightly run changed: a page and an Atom feed
    meeting_urls = {m.id: m.url for m in model.meetings}
    page("recent.html", "recent.html", runs=model.runs, meeting_urls=meeting_urls, title="Recent changes")
    w.text("feed.xml", env.get_template("feed.xml").render(runs=model.runs, meeting_urls=meeting_urls))

    # Data downloads
    w.text("data/dataset.json", stable_json(dataset(model), indent=1) + "\n")
    for name, content in csv_files(model).items():
        w.text(f"data/{name}", content)
    return w


@dataclass
class PreparedSite:
    """A fully rendered site in a temporary folder, not yet visible to readers."""

    tmp: Path
    target: Path
    files: int
    written: int

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def publish(self) -> None:
        """Swap the new site into place (two renames), then remove the old one."""
        parent = self.target.parent
        old = None
        if self.target.exists() or self.target.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=parent))
            old.rmdir()
            os.rename(self.target, old)
        try:
            os.rename(self.tmp, self.target)
        except BaseException:
            if old is not None:
                os.rename(old, self.target)
            self.discard()
            raise
        if old is not None:
            if old.is_symlink() or old.is_file():
                old.unlink()
            else:
                shutil.rmtree(old, ignore_errors=True)


def prepare_site(session: Session, settings) -> PreparedSite:
    """Render every page into a temporary sibling of settings.site_dir (readers see nothing yet)."""
    site_dir = Path(settings.site_dir)
    parent = site_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    model = load_model(session, settings)
    target = parent / site_dir.name
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.tmp-", dir=parent))
    try:
        writer = write_site(model, tmp, previous=target if target.is_dir() else None)
        for dirpath, dirnames, _files in os.walk(tmp):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o755)
        os.chmod(tmp, 0o755)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PreparedSite(tmp, target, writer.count, writer.written)


def render_site(session: Session, settings) -> tuple[int, int]:
    """Render the whole site into settings.site_dir atomically: (files in the site, files
    rewritten because their content changed; unchanged files are hard links of the old ones)."""
    prepared = prepare_site(session, settings)
    prepared.publish()
    return prepared.files, prepared.written
