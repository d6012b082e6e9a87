"""The ingest stage: the articles folder -> stored articles, each assigned to a meeting.

Runs inside the build's transaction: a crash or an error leaves the database as it was.
New and changed files are read and assigned in worker processes; unchanged ones are
recognised by digest first.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, defer

from .articles import ArticleError, ParsedArticle, parse_article
from .config import Performance, Settings
from .dates import warm_up_dates
from .db import Article, Meeting
from .detection import Assignment, detect_meeting
from .language import language_of
from .meetings import MeetingInfo, MeetingKind, MeetingNotFound, load_catalog, load_kinds
from .parallel import parallel_map


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
            raise ArticleError(f"too large: {size:,} bytes (limit {max_bytes:,}; see [ingest] max_bytes in rules.toml)")
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
        row.aliases, row.numbers, row.inferred, row.inferred_from = list(info.aliases), dict(info.attrs), False, None
        session.add(row)


def known_meetings(session: Session, catalog: list[MeetingInfo], kinds: dict[str, MeetingKind]) -> list[MeetingInfo]:
    """The catalog plus meetings inferred from articles earlier, with the numbers stored with
    them (recognisers find them by these: "20th Central Committee's Fifth Plenum")."""
    catalog_ids = {m.id for m in catalog}
    inferred = [
        MeetingInfo(
            m.id,
            m.name,
            m.kind,
            m.start,
            m.end,
            tuple(m.aliases or ()),
            attrs=tuple(sorted(m.numbers.items())),
            inferred=True,
            kind_facts=kinds.get(m.kind),
        )
        for m in session.scalars(select(Meeting).where(Meeting.inferred.is_(True)))
        if m.id not in catalog_ids
    ]
    return [*catalog, *inferred]


def ingest(
    session: Session, settings: Settings, on_file: Callable[[str], None] | None = None, force: bool = False
) -> IngestReport:
    """Bring the stored articles in line with the articles folder. Runs inside the caller's
    transaction; each file is applied in a savepoint so one bad file cannot spoil the rest.
    `force` re-reads unchanged files too (after the rules changed, or for --full)."""
    rules = settings.rules  # validated when read: a bad rule is a ConfigError before any file is read
    articles_dir: Path = settings.articles_dir  # type: ignore[assignment]  # set by Settings.__post_init__
    performance: Performance = settings.performance  # type: ignore[assignment]  # set by Settings.__post_init__
    report = IngestReport()
    kinds, catalog = load_kinds(settings.catalog), load_catalog(settings.catalog)
    sync_catalog(session, catalog)
    session.flush()
    meetings = known_meetings(session, catalog, kinds)

    files, problems = scan_articles(articles_dir, rules["ingest"]["extensions"])
    report.skipped.extend(problems)
    # Texts stay in the database (16 MB at 2,000 articles): a run replaces few of them.
    stored = {a.file: a for a in session.scalars(select(Article).options(defer(Article.text)))}
    job = _ReadJob(
        articles_dir,
        rules,
        tuple(meetings),
        kinds,
        rules["ingest"]["max_bytes"],
        {rel: a.sha256 for rel, a in stored.items()},
        force,
    )
    # Unchanged files are recognised here, by digest (16 MB in 0.05 s), so that only new and
    # changed ones go to the workers: starting them costs more than a nightly run's work.
    unchanged: dict[str, _ReadResult] = {}
    if not force:
        for rel in files:
            result = _unchanged_article(rel, job) if rel in job.stored_digests else None
            if result is not None:
                unchanged[rel] = result
    to_read = [rel for rel in files if rel not in unchanged]
    if len(to_read) >= performance.parallel_min_items:
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
        assert parsed is not None and assignment is not None, "results that get here were read and assigned"
        if inferred_so_far:
            # A meeting inferred from an earlier file may be this one's: detect again, in order.
            try:
                assignment = detect_meeting(parsed.title, parsed.text, parsed.meta, meetings, kinds, rules)
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
    folder_listed = articles_dir.is_dir() and "./" not in unlisted
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


def _store_articles(session: Session, report: IngestReport, pending: list[tuple]) -> None:
    """Store the parsed articles. All in one savepoint first (thousands of savepoints cost more
    than parsing); if the database refuses one, again one savepoint each, so that only the
    file it refuses is skipped and the others are stored."""

    def apply(item) -> None:
        existing, rel, parsed, assignment = item
        info = assignment.new_meeting
        if info is not None and session.get(Meeting, info.id) is None:
            session.add(
                Meeting(
                    id=info.id,
                    name=info.name,
                    kind=info.kind,
                    start=info.start,
                    end=info.end,
                    aliases=list(info.aliases),
                    numbers=dict(info.attrs),
                    inferred=True,
                    inferred_from=f"{rel}: {assignment.reason}",
                )
            )
            session.flush()
        article = existing or Article(file=rel)
        article.sha256 = parsed.sha256
        article.title = parsed.title
        article.source, article.url = parsed.citation.source, parsed.citation.url
        article.published = parsed.citation.published
        article.declared_kind = parsed.declared_kind
        article.encoding = parsed.encoding
        article.text = parsed.text
        article.language = language_of(parsed.title + "\n" + parsed.text)
        article.date = assignment.date
        article.meeting_id = assignment.meeting_id
        article.assignment = assignment.reason
        session.add(article)

    # The report compares with what was stored before: note it before the rows change.
    before = [
        (item, item[0].sha256 if item[0] is not None else None, item[0].meeting_id if item[0] is not None else None)
        for item in pending
    ]
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
                report.skipped.append(
                    Problem(item[1], f"cannot be stored: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
                )
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


# ---------------------------------------------------------------- CPU work in worker processes


@dataclass
class _ReadJob:
    articles_dir: Path
    rules: dict
    meetings: tuple[MeetingInfo, ...]
    kinds: dict[str, MeetingKind]
    max_bytes: int
    stored_digests: dict[str, str]
    force: bool


@dataclass
class _ReadResult:
    file: str
    unchanged: bool = False
    error: str | None = None
    parsed: ParsedArticle | None = None
    assignment: Assignment | None = None


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
            assignment = detect_meeting(
                parsed.title, parsed.text, parsed.meta, list(job.meetings), job.kinds, job.rules
            )
        except MeetingNotFound as exc:
            raise ArticleError(f"front matter names an unknown meeting: {exc}") from exc
        return _ReadResult(rel, unchanged=unchanged, parsed=parsed, assignment=assignment)
    except ArticleError as exc:
        return _ReadResult(rel, error=str(exc))
