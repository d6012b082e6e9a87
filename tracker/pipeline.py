"""The pipeline, stage after stage: ingest -> extract -> match -> render.

`ingest` turns the articles folder into stored articles assigned to meetings, in one
transaction: a crash or an error leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import delete, func, insert, select, tuple_, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, defer

from .articles import ArticleError, parse_article
from .config import Settings
from .db import Article, Meeting
from .reading import NEWS, OFFICIAL
from .parallel import parallel_map
from .meetings import ATTR_KEYS, MeetingInfo, MeetingNotFound, check_detection_rules, detect_meeting, load_catalog, warm_up_dates


@dataclass
class Problem:
    file: str
    reason: str


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unassigned: list[Problem] = field(default_factory=list)
    meetings_added: list[str] = field(default_factory=list)
    # Meetings whose articles changed: their commitments must be extracted again.
    touched_meetings: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "changed": self.changed,
            "unchanged": len(self.unchanged),
            "removed": self.removed,
            "skipped": [vars(p) for p in self.skipped],
            "warnings": [vars(p) for p in self.warnings],
            "unassigned": [vars(p) for p in self.unassigned],
            "meetings_added": self.meetings_added,
        }


def scan_articles(articles_dir: Path, extensions: list[str]) -> tuple[list[str], list[Problem]]:
    """Article files (relative paths, sorted) under `articles_dir`, and the ones that cannot be read."""
    files: list[str] = []
    problems: list[Problem] = []
    if not articles_dir.is_dir():
        return files, [Problem(str(articles_dir), "articles folder not found")]
    wanted = {e.lower() for e in extensions}

    def unreadable_folder(exc: OSError) -> None:
        try:  # relative, like the files: ingest keeps what is stored under this folder
            rel = Path(exc.filename).relative_to(articles_dir).as_posix()
        except (TypeError, ValueError):
            rel = str(exc.filename)
        problems.append(Problem(rel + "/", f"folder cannot be read: {exc.strerror or exc}"))

    # os.walk does not follow symlinked folders, so a symlink loop cannot trap it.
    for root, dirs, names in os.walk(articles_dir, onerror=unreadable_folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or Path(name).suffix.lower() not in wanted:
                continue
            path = Path(root) / name
            rel = path.relative_to(articles_dir).as_posix()
            try:
                if not path.is_file():
                    problems.append(Problem(rel, "not a regular file (broken symlink or special file)"))
                    continue
            except OSError as exc:
                problems.append(Problem(rel, f"cannot be read: {exc.strerror or exc}"))
                continue
            files.append(rel)
    return sorted(files), problems


def read_article_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"too large: {size:,} bytes (limit {max_bytes:,}; see [ingest] max_bytes in data/rules.toml)")
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise ArticleError("disappeared while the run was reading it") from exc
    except PermissionError as exc:
        raise ArticleError("no permission to read it") from exc
    except IsADirectoryError as exc:
        raise ArticleError("is a directory") from exc
    except OSError as exc:
        raise ArticleError(f"cannot be read: {exc.strerror or exc}") from exc


def sync_catalog(session: Session, catalog: list[MeetingInfo]) -> None:
    """Catalog meetings into the meetings table (catalog edits win over stored copies)."""
    stored = {m.id: m for m in session.scalars(select(Meeting))}
    for info in catalog:
        row = stored.get(info.id) or Meeting(id=info.id)
        row.name, row.kind, row.start, row.end = info.name, info.kind, info.start, info.end
        row.aliases, row.inferred, row.inferred_from = list(info.aliases), False, None
        session.add(row)


def inferred_attrs(meeting_id: str, kind: str, rules: dict) -> tuple[tuple[str, int], ...]:
    """The numbers of an inferred meeting (cc, plenum, ...), read back from its id with the
    [detection.inferred_ids] template that made it: the table does not store them, and without
    them recognisers ("20th Central Committee's Fifth Plenum") could not find it on later runs."""
    template = rules.get("detection", {}).get("inferred_ids", {}).get(kind)
    if not template:
        return ()
    parts = re.split(r"\{(\w+)\}", template)
    seen: set[str] = set()
    regex = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        elif part in ATTR_KEYS and part not in seen:
            seen.add(part)
            regex += rf"(?P<{part}>\d+)"
        else:
            regex += ".+?"
    match = re.fullmatch(regex, meeting_id)
    if not match:
        return ()
    return tuple(sorted((k, int(v)) for k, v in match.groupdict().items()
                        if k != "year" or kind in ("two_sessions", "cewc")))


def known_meetings(session: Session, catalog: list[MeetingInfo], rules: dict | None = None) -> list[MeetingInfo]:
    """The catalog plus meetings inferred from articles earlier."""
    catalog_ids = {m.id for m in catalog}
    inferred = [
        MeetingInfo(m.id, m.name, m.kind, m.start, m.end, tuple(m.aliases or ()),
                    attrs=inferred_attrs(m.id, m.kind, rules or {}), inferred=True)
        for m in session.scalars(select(Meeting).where(Meeting.inferred.is_(True)))
        if m.id not in catalog_ids
    ]
    return [*catalog, *inferred]


def ingest(session: Session, settings: Settings, on_file: Callable[[str], None] | None = None,
           force: bool = False) -> IngestReport:
    """Bring the stored articles in line with the articles folder. Runs inside the caller's
    transaction; each file is applied in a savepoint so one bad file cannot spoil the rest.
    `force` re-reads unchanged files too (after the rules changed, or for --full)."""
    rules = settings.rules
    check_detection_rules(rules)  # a bad pattern or weight: a clear ConfigError before any file is read
    report = IngestReport()
    catalog = load_catalog(settings.catalog)
    sync_catalog(session, catalog)
    session.flush()
    meetings = known_meetings(session, catalog, rules)

    files, problems = scan_articles(settings.articles_dir, rules["ingest"]["extensions"])
    report.skipped.extend(problems)
    # Texts stay in the database (16 MB at 2,000 articles): a run replaces few of them.
    stored = {a.file: a for a in session.scalars(select(Article).options(defer(Article.text)))}
    job = _ReadJob(settings.articles_dir, rules, tuple(meetings), int(rules["ingest"]["max_bytes"]),
                   {rel: a.sha256 for rel, a in stored.items()}, force)
    # Unchanged files are recognised here, by digest (16 MB in 0.05 s), so that only new and
    # changed ones go to the workers: starting them costs more than a nightly run's work.
    unchanged: dict[str, _ReadResult] = {}
    if not force:
        for rel in files:
            result = _unchanged_article(rel, job) if rel in job.stored_digests else None
            if result is not None:
                unchanged[rel] = result
    to_read = [rel for rel in files if rel not in unchanged]
    if len(to_read) >= int(rules.get("performance", {}).get("parallel_min_items", 64)):
        warm_up_dates()
    read = parallel_map(_read_article, to_read, job, settings)
    inferred_so_far = False
    pending: list[tuple] = []  # (stored article or None, file, parsed, assignment), in file order
    for result in (unchanged[rel] if rel in unchanged else next(read) for rel in files):
        rel = result.file
        if on_file:
            on_file(rel)
        existing = stored.get(rel)
        if result.unchanged:
            report.unchanged.append(rel)
            if not force:
                continue
        if result.error is not None:
            report.skipped.append(Problem(rel, result.error))
            continue  # an earlier stored version, if any, stays as it was
        parsed, assignment = result.parsed, result.assignment
        if inferred_so_far:
            # A meeting inferred from an earlier file may be this one's: detect again, in order.
            try:
                assignment = detect_meeting(parsed.title, parsed.text, parsed.meta, meetings, rules, rel)
            except MeetingNotFound as exc:
                report.skipped.append(Problem(rel, f"front matter names an unknown meeting: {exc}"))
                continue
        for warning in parsed.warnings:
            report.warnings.append(Problem(rel, warning))
        if assignment.new_meeting is not None and all(m.id != assignment.new_meeting.id for m in meetings):
            meetings.append(assignment.new_meeting)
            inferred_so_far = True
        pending.append((existing, rel, parsed, assignment))

    _store_articles(session, report, pending)

    # A file is gone only if its folder could be listed: a missing or unreadable folder (a
    # mistyped --articles, an unmounted share) must not delete what is stored.
    present = set(files) | {p.file for p in report.skipped}
    unlisted = [p.file for p in problems if p.file.endswith("/")]
    folder_listed = settings.articles_dir.is_dir() and "./" not in unlisted
    for rel, article in sorted(stored.items()):
        if folder_listed and rel not in present and not any(rel.startswith(d) for d in unlisted):
            report.touched_meetings.add(article.meeting_id or "")
            session.delete(article)
            report.removed.append(rel)
    session.flush()
    # Inferred meetings no article speaks of any more go away with their last article.
    for meeting in session.scalars(select(Meeting).where(Meeting.inferred.is_(True))):
        if not meeting.articles:
            session.delete(meeting)
    report.touched_meetings.discard("")
    session.flush()
    return report


# ---------------------------------------------------------------- CPU work in worker processes


@dataclass
class _ReadJob:
    articles_dir: Path
    rules: dict
    meetings: tuple[MeetingInfo, ...]
    max_bytes: int
    stored_digests: dict[str, str]
    force: bool


@dataclass
class _ReadResult:
    file: str
    unchanged: bool = False
    error: str | None = None
    parsed: object = None
    assignment: object = None


def _unchanged_article(rel: str, job: _ReadJob) -> _ReadResult | None:
    """An "unchanged" result if the file's bytes are the stored ones; None to read it fully."""
    try:
        raw = read_article_bytes(job.articles_dir / rel, job.max_bytes)
    except ArticleError:
        return None  # _read_article reports it
    return _ReadResult(rel, unchanged=True) if hashlib.sha256(raw).hexdigest() == job.stored_digests[rel] else None


def _read_article(rel: str, job: _ReadJob) -> _ReadResult:
    """Read, parse and assign one file (pure CPU and file reads: safe in a worker process)."""
    try:
        raw = read_article_bytes(job.articles_dir / rel, job.max_bytes)
        digest = hashlib.sha256(raw).hexdigest()
        unchanged = job.stored_digests.get(rel) == digest
        if unchanged and not job.force:
            return _ReadResult(rel, unchanged=True)
        parsed = parse_article(raw, rel, job.rules)
        try:
            assignment = detect_meeting(parsed.title, parsed.text, parsed.meta, list(job.meetings), job.rules, rel)
        except MeetingNotFound as exc:
            raise ArticleError(f"front matter names an unknown meeting: {exc}") from exc
        return _ReadResult(rel, unchanged=unchanged, parsed=parsed, assignment=assignment)
    except ArticleError as exc:
        return _ReadResult(rel, error=str(exc))


def _extract_one(work: tuple, job: tuple) -> list:
    """The commitments of one meeting (pure CPU: safe in a worker process)."""
    from . import extract as extract_module

    meeting_id, texts = work
    rules, lexicon, merge_threshold, matching_cfg, target_rules = job
    sources = {}  # article id -> (kind, why, targets)
    for t in texts:
        kind, why = rules.reading.kind(t.title, t.text, t.kind)
        targets = [{"target": target.as_dict(), "sentence": sentence.text, "start": sentence.start}
                   for target, sentence in target_rules.parse_text(t.text)]
        sources[t.id] = (kind, why, targets)
    drafts = extract_module.extract_meeting(meeting_id, texts, rules, lexicon, merge_threshold, matching_cfg)
    for draft in drafts:
        # A commitment sets the targets its statements set.
        stated = [x["target"] for ev in draft.evidence for x in sources[ev.article_id][2] if x["start"] == ev.start]
        draft.signals["targets"] = [dict(t) for t in {tuple(sorted(t.items())) for t in stated}]
        draft.signals["targets"].sort(key=lambda t: (t["metric"], t["text"]))
    return drafts, sources


def _store_articles(session: Session, report: IngestReport, pending: list[tuple]) -> None:
    """Store the parsed articles. All in one savepoint first (thousands of savepoints cost more
    than parsing); if the database refuses one, again one savepoint each, so that only the
    file it refuses is skipped and the others are stored."""
    def apply(item) -> None:
        existing, rel, parsed, assignment = item
        info = assignment.new_meeting
        if info is not None and session.get(Meeting, info.id) is None:
            session.add(Meeting(id=info.id, name=info.name, kind=info.kind, start=info.start, end=info.end,
                                aliases=list(info.aliases), inferred=True, inferred_from=f"{rel}: {assignment.reason}"))
            session.flush()
        article = existing or Article(file=rel)
        article.sha256 = parsed.sha256
        article.title = parsed.title
        article.source = parsed.meta.get("source")
        article.url = parsed.meta.get("url")
        article.declared_kind = parsed.declared_kind
        article.encoding = parsed.encoding
        article.text = parsed.text
        article.date = assignment.date
        article.meeting_id = assignment.meeting_id
        article.assignment = assignment.reason
        session.add(article)

    # The report compares with what was stored before: note it before the rows change.
    before = [(item, item[0].sha256 if item[0] is not None else None, item[0].meeting_id if item[0] is not None else None)
              for item in pending]
    try:
        with session.begin_nested():
            for item in pending:
                apply(item)
            session.flush()
    except SQLAlchemyError:
        stored = []
        for item, _sha, _meeting in before:
            if item[0] is not None:
                session.refresh(item[0])
            try:
                with session.begin_nested():
                    apply(item)
                    session.flush()
                stored.append(item)
            except SQLAlchemyError as exc:
                if item[0] is not None:
                    session.refresh(item[0])
                report.skipped.append(Problem(item[1], f"cannot be stored: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"))
        ok = {id(item) for item in stored}
        before = [entry for entry in before if id(entry[0]) in ok]
    for item, sha, old_meeting in before:
        existing, rel, parsed, assignment = item
        if existing is None:
            report.added.append(rel)
        elif sha != parsed.sha256:
            report.changed.append(rel)
        if existing is not None:
            report.touched_meetings.add(old_meeting or "")
        if assignment.new_meeting is not None and assignment.new_meeting.id not in report.meetings_added:
            report.meetings_added.append(assignment.new_meeting.id)
        report.touched_meetings.add(assignment.meeting_id or "")
        if assignment.meeting_id is None:
            report.unassigned.append(Problem(rel, assignment.reason))

def extract(session: Session, settings: Settings, meeting_ids: set[str] | None = None) -> dict[str, int]:
    """(Re)extract the commitments of the given meetings (all meetings with articles when None).
    Returns the number of commitments per meeting."""
    from .db import Commitment, Evidence
    from .extract import ArticleText, CommitmentRules
    from .lexicon import load_lexicon

    rules_data = settings.commitment_rules
    rules = CommitmentRules(rules_data, str(settings.data_dir / "commitments.toml"))
    lexicon = load_lexicon(settings)
    stmt = select(Meeting).where(Meeting.articles.any())
    if meeting_ids is not None:
        stmt = select(Meeting).where(Meeting.id.in_(sorted(meeting_ids)))
    else:
        # Extracting everything also clears the meetings whose articles have all gone or moved
        # to another meeting (after a rule change), or their old commitments would linger.
        orphaned = select(Meeting.id).where(~Meeting.articles.any())
        session.execute(delete(Evidence).where(Evidence.commitment_id.in_(
            select(Commitment.id).where(Commitment.meeting_id.in_(orphaned)))))
        session.execute(delete(Commitment).where(Commitment.meeting_id.in_(orphaned)))
    counts = {}
    meetings = list(session.scalars(stmt.order_by(Meeting.start, Meeting.id)))
    work = [(m.id, [ArticleText(a.id, a.file, a.text, a.title or "", m.start.year, a.declared_kind) for a in m.articles])
            for m in meetings]
    job = (rules, lexicon, rules_data["merge"]["threshold"], rules_data["matching"], settings.target_rules)
    total_articles = sum(len(texts) for _id, texts in work)
    results = parallel_map(_extract_one, work, job, settings, size=total_articles)
    commitment_rows: list[dict] = []
    evidence_rows: list[dict] = []
    # Old commitments go in bulk; the database's ON DELETE CASCADE removes their evidence,
    # changes and thread memberships (loading them all to delete them one by one costs more).
    old_ids = select(Commitment.id).where(Commitment.meeting_id.in_([m.id for m in meetings]))
    session.execute(delete(Evidence).where(Evidence.commitment_id.in_(old_ids)))
    session.execute(delete(Commitment).where(Commitment.meeting_id.in_([m.id for m in meetings])))
    for meeting in meetings:
        session.expire(meeting, ["commitments"])
    articles = {a.id: a for m in meetings for a in m.articles}
    for meeting, (drafts, sources) in zip(meetings, results):
        for article_id, (kind, why, targets) in sources.items():
            article = articles[article_id]
            article.kind, article.kind_reason, article.targets = kind, why, targets
        for position, draft in enumerate(drafts):
            commitment_rows.append(dict(
                id=draft.id, meeting_id=meeting.id, position=position, text=draft.text, topics=draft.topics,
                items=draft.items, emphasis=draft.emphasis, signals=draft.signals, cues=draft.cues,
                thread_id=None, thread_status=None,
            ))
            evidence_rows.extend(
                dict(commitment_id=draft.id, article_id=ev.article_id, position=i, sentence=ev.sentence, start=ev.start, end=ev.end)
                for i, ev in enumerate(draft.evidence)
            )
        counts[meeting.id] = len(drafts)
    session.flush()
    # Bulk inserts: the ORM's one-INSERT-per-object costs more than extraction itself.
    if commitment_rows:
        session.execute(insert(Commitment), commitment_rows)
    if evidence_rows:
        session.execute(insert(Evidence), evidence_rows)
    for meeting in meetings:
        session.expire(meeting, ["commitments"])
    session.flush()
    return counts


@dataclass
class MatchReport:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    recomputed: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # status -> number of changes
    stale_corrections: list[str] = field(default_factory=list)


def match(session: Session, settings: Settings, touched: set[str] | None = None) -> MatchReport:
    """Changes between consecutive meetings, and threads across all of them.

    With `touched` (meetings whose commitments were extracted again), only the consecutive
    pairs that involve one of them, or that became consecutive in this run, are compared
    again; the other pairs keep their stored changes. Threads are then rebuilt from the
    stored changes, which gives the same result as comparing everything."""
    from .db import Change, Commitment
    from .lexicon import load_lexicon
    from .matching import compare, load_corrections

    cfg = settings.commitment_rules["matching"]
    lexicon = load_lexicon(settings)
    corrections = load_corrections(settings.corrections_path)
    report = MatchReport()
    meetings = list(session.scalars(select(Meeting).where(Meeting.commitments.any()).order_by(Meeting.start, Meeting.id)))
    known = set(session.scalars(select(Commitment.id)))
    for kind, pairs in (("link", corrections.force), ("unlink", corrections.forbid)):
        for a, b in sorted(pairs):
            missing = [x for x in (a, b) if x not in known]
            if missing:
                report.stale_corrections.append(f"{kind} {a} -> {b}: commitment {', '.join(missing)} no longer exists")

    pairs = compared_pairs(meetings, cfg)
    wanted = {(a.id, b.id) for a, b in pairs}
    coverage = coverage_of(session, meetings)
    consecutive = {(meetings[i].id, meetings[i + 1].id) for i in range(len(meetings) - 1)}
    stored = {tuple(row) for row in session.execute(select(Change.from_meeting_id, Change.to_meeting_id).distinct())}
    # SQL-level deletes: changes of a re-extracted meeting may already be gone by ON DELETE CASCADE.
    for pair in sorted(stored - wanted):
        session.execute(delete(Change).where(Change.from_meeting_id == pair[0], Change.to_meeting_id == pair[1]))
    rows: list[dict] = []
    for previous_meeting, meeting in pairs:
        key = (previous_meeting.id, meeting.id)
        report.pairs.append(key)
        if touched is not None and key in stored and not ({previous_meeting.id, meeting.id} & touched):
            continue
        session.execute(delete(Change).where(Change.from_meeting_id == key[0], Change.to_meeting_id == key[1]))
        previous, current = list(previous_meeting.commitments), list(meeting.commitments)
        for position, change in enumerate(compare(previous, current, lexicon, cfg, corrections, coverage[meeting.id],
                                                  settings.target_rules)):
            a = previous[change.from_index] if change.from_index is not None else None
            b = current[change.to_index] if change.to_index is not None else None
            rows.append(dict(from_meeting_id=key[0], to_meeting_id=key[1], status=change.status, adjacent=key in consecutive,
                             score=change.score, reason=change.reason, position=position, topics=change.topics,
                             from_commitment_id=a.id if a else None, to_commitment_id=b.id if b else None))
        report.recomputed.append(key)
    # Bulk inserts: one ORM object per change cost more than comparing (70,000 changes at 2,000 articles).
    for start in range(0, len(rows), 5000):
        session.execute(insert(Change), rows[start:start + 5000])
    session.flush()
    # A meeting added between two others makes a stored pair no longer adjacent, and the reverse.
    session.execute(update(Change).where(Change.adjacent.is_not(True), tuple_(Change.from_meeting_id, Change.to_meeting_id)
                                         .in_(sorted(consecutive))).values(adjacent=True))
    session.execute(update(Change).where(Change.adjacent.is_(True), tuple_(Change.from_meeting_id, Change.to_meeting_id)
                                         .not_in(sorted(consecutive))).values(adjacent=False))
    for status, count in session.execute(select(Change.status, func.count()).where(Change.adjacent.is_(True)).group_by(Change.status)):
        report.counts[status] = count
    # Threads before the first meeting whose commitments or incoming links changed stay as stored
    # (threads follow links between consecutive meetings only).
    index_of = {m.id: i for i, m in enumerate(meetings)}
    on_timeline_before = {m for pair in stored for m in pair}
    if touched is None or any(m not in index_of and m in on_timeline_before for m in touched):
        first = 0  # everything, or a meeting left the timeline (rare): all threads again
    else:
        changed = [index_of[b] for a, b in report.recomputed if (a, b) in consecutive]
        first = min(changed + [index_of[m] for m in touched if m in index_of], default=None)
    if first is not None:
        assign_threads(session, meetings, lexicon, cfg, first)
    session.flush()
    return report


def compared_pairs(meetings: list[Meeting], cfg: dict) -> list[tuple[Meeting, Meeting]]:
    """The (earlier, later) pairs whose changes are stored: consecutive meetings always, and
    the pairs within the [matching] pairs_nearby / pairs_same_kind windows (0: every pair)."""
    nearby, same_kind = int(cfg.get("pairs_nearby", 0)), int(cfg.get("pairs_same_kind", 0))
    rank: dict[str, int] = {}  # meeting id -> its position among the meetings of its kind
    seen: dict[str, int] = defaultdict(int)
    for m in meetings:
        rank[m.id] = seen[m.kind]
        seen[m.kind] += 1
    pairs = []
    for i, a in enumerate(meetings):
        for j in range(i + 1, len(meetings)):
            b = meetings[j]
            close = not nearby or j - i <= nearby
            kin = a.kind == b.kind and (not same_kind or rank[b.id] - rank[a.id] <= same_kind)
            if j == i + 1 or close or kin:
                pairs.append((a, b))
    return pairs


def coverage_of(session: Session, meetings: list[Meeting]) -> dict:
    """Meeting id -> its `Coverage`: official full texts among its sources, the topics its
    commitments are on, and its sources by kind."""
    from .matching import Coverage

    result = {}
    for m in meetings:
        kinds: dict[str, int] = defaultdict(int)
        official = []
        for a in sorted(m.articles, key=lambda a: a.file):
            kinds[a.kind or NEWS] += 1
            if a.kind == OFFICIAL:
                official.append(a.file)
        topics = frozenset(t for c in m.commitments for t in (c.topics or []))
        result[m.id] = Coverage(tuple(official), topics, tuple(sorted(kinds.items())))
    return result


def assign_threads(session: Session, meetings: list[Meeting], lexicon, cfg: dict, first: int = 0) -> None:
    """Follow every commitment across meetings in date order.

    A commitment linked from earlier ones joins each of their primary threads, with the link's
    status; its own primary thread is that of its best-scoring link, and only that one goes on
    (the others merged into it and end there, without a disappearance). A source whose list
    items went to several commitments forks: each extra successor gets a thread of its own
    that starts with the source. A commitment with no link from the previous meeting
    continues a thread that ended earlier when it scores at least `reappear_threshold`
    against it ("reappeared"); otherwise it starts a thread of its own.

    With `first` > 0, the threads of meetings before `first` are taken as stored (their links
    did not change) and only the rest is assigned again; the result is the same as from 0."""
    from .db import Change, ThreadMember
    from .matching import scores_at_least, units_of

    member_rows: list[dict] = []
    links: dict[str, list[tuple[float, str, str]]] = {}
    carried: dict[tuple[str, str], list[str]] = {}  # (source, target) -> topics the link carried
    best_successor: dict[str, tuple[float, str]] = {}  # source -> its best-scoring link (score, target)
    for change in session.scalars(select(Change).where(Change.adjacent.is_(True), Change.from_commitment_id.is_not(None),
                                                       Change.to_commitment_id.is_not(None))):
        score = change.score or 0.0
        links.setdefault(change.to_commitment_id, []).append((score, change.from_commitment_id, change.status))
        carried[(change.from_commitment_id, change.to_commitment_id)] = list(change.topics or [])
        key = (score, change.to_commitment_id)
        previous = best_successor.get(change.from_commitment_id)
        if previous is None or (key[0], previous[1]) > (previous[0], key[1]):
            best_successor[change.from_commitment_id] = key
    threads_of: dict[str, dict[str, str]] = {}  # commitment -> {thread: status}, primary thread first
    via: dict[tuple[str, str], list[str]] = {}  # (thread, commitment) -> topics the link into it carried
    last_seen: dict[str, int] = {}  # thread -> index of the last meeting it has a member in
    ended: list = []  # (thread, last commitment) of threads that stopped before the previous meeting
    lookback = int(cfg.get("reappear_lookback", 8))
    first = max(0, min(first, len(meetings)))
    if first > 0 and not _threads_stored(session, meetings[:first]):
        first = 0  # memberships missing (e.g. removed by hand): nothing to start from
    if first == 0:
        session.execute(delete(ThreadMember))
    else:
        threads_of, last_seen, ended = _stored_threads(session, meetings, first, lookback)
    for index in range(first, len(meetings)):
        meeting = meetings[index]
        current = list(meeting.commitments)
        fresh = []
        for c in current:
            joined: dict[str, str] = {}
            for _score, source, status in sorted(links.get(c.id, []), key=lambda t: (-t[0], t[1])):
                if source not in threads_of:
                    continue
                if best_successor[source][1] == c.id:
                    # Its best successor carries on the source's primary thread; the other
                    # threads the source is in merged into it and end there. So every
                    # commitment carries exactly one thread on, and threads never pile up.
                    thread = next(iter(threads_of[source]))
                    joined.setdefault(thread, status)
                    via.setdefault((thread, c.id), carried.get((source, c.id), []))
                else:
                    # The source split (its list items went different ways): this continuation
                    # is a thread of its own, forked from the source's primary thread.
                    primary, source_status = next(iter(threads_of[source].items()))
                    fork = hashlib.sha1(f"{primary}|{c.id}".encode()).hexdigest()[:12]
                    if fork not in threads_of[source]:
                        threads_of[source][fork] = source_status
                        member_rows.append(dict(thread_id=fork, commitment_id=source, status=source_status, topics=[]))
                        last_seen[fork] = index - 1
                    joined.setdefault(fork, status)
                    via.setdefault((fork, c.id), carried.get((source, c.id), []))
            if joined:
                threads_of[c.id] = joined
            else:
                fresh.append(c)
        for c in current:
            for thread in threads_of.get(c.id, {}):
                last_seen[thread] = index
        if index > 0:
            for c in meetings[index - 1].commitments:
                for thread in sorted(threads_of.get(c.id, {})):
                    if last_seen.get(thread) == index - 1:
                        ended.append((thread, c))
        ended = [(t, c) for t, c in ended if index - last_seen.get(t, index) <= lookback]
        candidates = [(t, c) for t, c in ended if last_seen.get(t) != index]
        if fresh and candidates:
            ua = units_of([c for _t, c in candidates], lexicon)
            ub = units_of(fresh, lexicon)
            hits = scores_at_least([u.normalized for u in ua], [u.topics for u in ua], [u.normalized for u in ub],
                                   [u.topics for u in ub], cfg, cfg["reappear_threshold"])
            for _s, i, j in sorted(hits, key=lambda t: (-t[0], t[1], t[2])):
                thread, new = candidates[ua[i].commitment][0], fresh[ub[j].commitment]
                if last_seen.get(thread) == index or new.id in threads_of:
                    continue
                threads_of[new.id] = {thread: "reappeared"}
                last_seen[thread] = index
        ended = [(t, c) for t, c in ended if last_seen.get(t) != index]
        for c in fresh:
            if c.id not in threads_of:
                threads_of[c.id] = {c.id: "first seen" if index == 0 else "new"}
                last_seen[c.id] = index
        for c in current:
            joined = threads_of[c.id]
            c.thread_id, c.thread_status = next(iter(joined.items()))
            for thread, status in sorted(joined.items()):
                member_rows.append(dict(thread_id=thread, commitment_id=c.id, status=status, topics=via.get((thread, c.id), [])))
    session.flush()
    if member_rows:
        session.execute(insert(ThreadMember), member_rows)


def _threads_stored(session: Session, meetings: list[Meeting]) -> bool:
    """Whether every commitment of `meetings` has its primary thread membership stored."""
    from .db import Commitment, ThreadMember

    ids = [m.id for m in meetings]
    missing = session.scalar(select(func.count()).select_from(Commitment).where(
        Commitment.meeting_id.in_(ids),
        ~select(ThreadMember.commitment_id).where(ThreadMember.commitment_id == Commitment.id,
                                                   ThreadMember.thread_id == Commitment.thread_id).exists()))
    return not missing


def _stored_threads(session: Session, meetings: list[Meeting], first: int, lookback: int):
    """The state of `assign_threads` on entering meeting `first`, rebuilt from the stored
    memberships, after removing those that meeting `first` and later ones gave: every
    membership of their commitments, and the forks they made from sources of the meeting
    before (a fork starts with its source, so it is the only earlier member of its thread)."""
    from .db import Commitment, ThreadMember

    index_of = {m.id: i for i, m in enumerate(meetings)}
    rows = session.execute(select(ThreadMember.thread_id, ThreadMember.commitment_id, ThreadMember.status,
                                  Commitment.meeting_id, Commitment.thread_id, Commitment.position)
                           .join(Commitment, ThreadMember.commitment_id == Commitment.id)).all()
    earliest: dict[str, int] = {}  # thread -> index of its earliest member
    for thread, _cid, _status, meeting_id, _primary, _pos in rows:
        i = index_of.get(meeting_id, len(meetings))
        earliest[thread] = min(i, earliest.get(thread, i))
    kept: list[tuple] = []
    gone: list[tuple[str, str]] = []
    for row in rows:
        thread, cid, _status, meeting_id, primary, _pos = row
        i = index_of.get(meeting_id, len(meetings))
        fork_of_later = i == first - 1 and thread != primary and earliest[thread] == i
        if i >= first or fork_of_later:
            gone.append((thread, cid))
        else:
            kept.append(row)
    for start in range(0, len(gone), 500):
        batch = gone[start:start + 500]
        session.execute(delete(ThreadMember).where(tuple_(ThreadMember.thread_id, ThreadMember.commitment_id).in_(batch)))
    threads_of: dict[str, dict[str, str]] = {}
    last_seen: dict[str, int] = {}
    last_member: dict[str, tuple[int, str]] = {}  # thread -> (meeting index, commitment) of its last member
    by_commitment = {c.id: c for m in meetings[max(0, first - 1 - lookback):first] for c in m.commitments}
    for thread, cid, status, meeting_id, primary, _pos in sorted(kept, key=lambda r: (r[0] != r[4], r[0])):
        threads_of.setdefault(cid, {})[thread] = status  # primary thread first
        i = index_of[meeting_id]
        if i >= last_seen.get(thread, -1):
            last_seen[thread] = i
            last_member[thread] = (i, cid)
    # Threads whose last member is older than the meeting before `first` (that meeting's
    # endings are added by the loop), in the order the loop adds them.
    ended = [(thread, by_commitment[cid]) for thread, (i, cid) in last_member.items()
             if first - 1 - lookback <= i < first - 1]
    ended.sort(key=lambda tc: (last_seen[tc[0]], tc[1].position, tc[1].id, tc[0]))
    return threads_of, last_seen, ended


@dataclass
class MeetingChange:
    status: str
    score: float | None
    reason: str
    before: object | None  # Commitment of the earlier meeting, or None
    after: object | None  # Commitment of the later meeting, or None


STATUS_ORDER = {"strengthened": 0, "new": 1, "persisted": 2, "weakened": 3, "disappeared": 4, "not covered": 5}


def compare_meetings(session: Session, settings: Settings, first: Meeting, second: Meeting) -> list[MeetingChange]:
    """What changed from meeting `first` to meeting `second`: the stored changes of the pair
    (what the site shows), or for a pair not stored (outside the [matching] pairs windows, or
    read backwards in time) the same comparison made now."""
    from .db import Change, Commitment
    from .lexicon import load_lexicon
    from .matching import compare, load_corrections

    rows = list(session.scalars(select(Change).where(Change.from_meeting_id == first.id, Change.to_meeting_id == second.id)
                                .order_by(Change.position, Change.id)))
    if rows:
        ids = {cid for ch in rows for cid in (ch.from_commitment_id, ch.to_commitment_id) if cid}
        by_id = {c.id: c for c in session.scalars(select(Commitment).where(Commitment.id.in_(ids)))}
        result = [MeetingChange(ch.status, ch.score, ch.reason, by_id.get(ch.from_commitment_id or ""),
                                by_id.get(ch.to_commitment_id or "")) for ch in rows]
    else:
        a, b = list(first.commitments), list(second.commitments)
        coverage = coverage_of(session, [second])[second.id]
        changes = compare(a, b, load_lexicon(settings), settings.commitment_rules["matching"],
                          load_corrections(settings.corrections_path), coverage, settings.target_rules)
        result = [
            MeetingChange(c.status, c.score, c.reason,
                          a[c.from_index] if c.from_index is not None else None,
                          b[c.to_index] if c.to_index is not None else None)
            for c in changes
        ]
    result.sort(key=lambda m: (STATUS_ORDER.get(m.status, 9), (m.before or m.after).position, (m.after or m.before).position))
    return result


@dataclass
class BuildReport:
    ingest: IngestReport
    commitments: dict[str, int]
    matching: MatchReport
    full: bool = False
    summary: dict = field(default_factory=dict)  # what this run changed (see `run_summary`)
    site_files: int = 0
    site_written: int = 0
    site_rendered: int = 0  # pages rendered (the others showed the same as before and were reused)
    site_dir: str | None = None


def config_fingerprint(settings: Settings) -> str:
    """Hash of every data file the results depend on: when one changes, the next run is full."""
    digest = hashlib.sha256()
    for name in ("meetings.toml", "rules.toml", "commitments.toml", "topics.toml", "targets.toml", "corrections.toml"):
        path = Path(settings.data_dir) / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def _snapshot(session: Session) -> dict:
    from .db import Change, Commitment

    return {
        "commitments": {cid: (mid, text) for cid, mid, text in session.execute(select(Commitment.id, Commitment.meeting_id, Commitment.text))},
        "changes": {tuple(row) for row in session.execute(select(Change.from_meeting_id, Change.to_meeting_id, Change.status,
                                                                 Change.from_commitment_id, Change.to_commitment_id)
                                                          .where(Change.adjacent.is_(True)))},
        "meetings": set(session.scalars(select(Meeting.id).where(Meeting.articles.any()))),
    }


def run_summary(before: dict, after: dict, ingest_report: IngestReport) -> dict:
    """What a run changed: articles, meetings, and commitments that became new, strengthened,
    weakened or disappeared (compared with the stored state before the run)."""
    appeared = sorted(after["changes"] - before["changes"], key=lambda c: tuple(x or "" for x in c))
    texts = after["commitments"]
    gone_texts = before["commitments"]

    def entry(change) -> dict:
        from_meeting, to_meeting, status, from_id, to_id = change
        cid = to_id or from_id
        text = texts.get(cid, gone_texts.get(cid, ("", "")))[1]
        return {"from": from_meeting, "to": to_meeting, "commitment": cid, "text": text}

    statuses = {status: [entry(c) for c in appeared if c[2] == status] for status in ("new", "strengthened", "weakened", "disappeared")}
    return {
        "articles": {
            "added": ingest_report.added,
            "changed": ingest_report.changed,
            "removed": ingest_report.removed,
            "skipped": [vars(p) for p in ingest_report.skipped],
        },
        "meetings_added": sorted(after["meetings"] - before["meetings"]),
        "meetings_removed": sorted(before["meetings"] - after["meetings"]),
        "commitments_added": len(set(after["commitments"]) - set(before["commitments"])),
        "commitments_removed": len(set(before["commitments"]) - set(after["commitments"])),
        "changes": statuses,
    }


def _changed_anything(summary: dict) -> bool:
    a = summary["articles"]
    return bool(a["added"] or a["changed"] or a["removed"] or summary["meetings_added"] or summary["meetings_removed"]
                or summary["commitments_added"] or summary["commitments_removed"] or any(summary["changes"].values()))


def build(engine, settings: Settings, render: bool = True, full: bool = False,
          on_file: Callable[[str], None] | None = None, on_stage: Callable[[str], None] | None = None) -> BuildReport:
    """The main job, top to bottom: ingest -> extract -> match, in one transaction (a failure
    leaves the database as it was), then render the site (swapped into place whole).

    Incremental unless `full` or the data files changed: only new, changed and deleted
    articles are read, only the meetings they touch are extracted again, only the pairs of
    meetings around those are compared again."""
    import datetime as dt

    from .db import Run, Setting, transaction

    stage = on_stage or (lambda _name: None)
    fingerprint = config_fingerprint(settings)
    prepared = None
    try:
        with transaction(engine) as session:
            stored = session.get(Setting, "fingerprint")
            if stored is None or stored.value != fingerprint:
                full = True
            before = _snapshot(session)
            stage("ingesting articles")
            ingest_report = ingest(session, settings, on_file=on_file, force=full)
            stage("extracting commitments")
            touched = None if full else ingest_report.touched_meetings
            counts = extract(session, settings, touched)
            stage("matching across meetings")
            match_report = match(session, settings, touched)
            summary = run_summary(before, _snapshot(session), ingest_report)
            if _changed_anything(summary):
                # SOURCE_DATE_EPOCH (the reproducible-builds convention) pins the time when set.
                epoch = os.environ.get("SOURCE_DATE_EPOCH")
                when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
                session.add(Run(finished=when.replace(microsecond=0).isoformat(), full=full, summary=summary))
            session.merge(Setting(key="fingerprint", value=fingerprint))
            if render:
                from timeline.render import prepare_site

                stage("rendering the site")
                session.flush()
                # Rendered inside the transaction: a rendering failure rolls the database back too.
                prepared = prepare_site(session, settings)
        # Committed: now readers may see the new site (two renames).
        if prepared is not None:
            prepared.publish()
    except BaseException:
        if prepared is not None:
            prepared.discard()
        raise
    report = BuildReport(ingest_report, counts, match_report, full=full, summary=summary)
    if prepared is not None:
        report.site_files, report.site_written, report.site_dir = prepared.files, prepared.written, str(settings.site_dir)
        report.site_rendered = prepared.rendered
    return report
