"""The ingest stage: the articles folder -> stored articles, each assigned to a meeting.

Runs inside the build's transaction: a crash or an error leaves the database as it was.
New and changed files are read and assigned in worker processes; unchanged ones are
recognised by digest first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, defer

from .article_files import OUTSIDE_FOLDER, Problem, read_article_bytes, scan_articles
from .articles import ArticleError, ParsedArticle, parse_article
from .config import Performance, Settings
from .dates import warm_up_dates
from .db import Article, Meeting
from .detection import Assignment, detect_meeting
from .language import language_of
from .meetings import MeetingInfo, MeetingKind, MeetingNotFound, load_catalog, load_kinds
from .parallel import parallel_map

__all__ = ["IngestReport", "Problem", "ingest", "read_article_bytes", "scan_articles"]


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


def sync_catalog(session: Session, catalog: list[MeetingInfo]) -> None:
    """Catalog meetings into the meetings table (catalog edits win over stored copies)."""
    stored = {m.id: m for m in session.scalars(select(Meeting))}
    for info in catalog:
        row = stored.get(info.id) or Meeting(id=info.id)
        row.name, row.kind, row.start, row.end = info.name, info.kind, info.start, info.end
        row.aliases, row.numbers, row.inferred, row.inferred_from = list(info.aliases), dict(info.attrs), False, None
        session.add(row)


def known_meetings(
    session: Session, catalog: list[MeetingInfo], kinds: dict[str, MeetingKind], read_again: set[str]
) -> list[MeetingInfo]:
    """The catalog plus the meetings inferred earlier, with the numbers stored with them
    (recognisers find them by these: "20th Central Committee's Fifth Plenum"), but not those
    inferred from a file in `read_again`: read again, it infers its meeting again or not at all,
    as in a fresh build."""
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
        for m in session.scalars(select(Meeting).where(Meeting.inferred.is_(True)).order_by(Meeting.id))
        if m.id not in catalog_ids and _inferred_from(m.inferred_from or "") not in read_again
    ]
    return [*catalog, *inferred]


def _inferred_from(note: str) -> str:
    """The file an inferred meeting's note names ("FILE: inferred meeting not in the catalog, ...")."""
    return note.partition(": inferred meeting not in the catalog")[0]


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

    ingest_rules = rules["ingest"]
    files, problems = scan_articles(articles_dir, ingest_rules["extensions"], ingest_rules["follow_symlinks_outside"])
    # Texts stay in the database (16 MB at 2,000 articles): a run replaces few of them.
    stored = {a.file: a for a in session.scalars(select(Article).options(defer(Article.text)))}
    job = _ReadJob(
        articles_dir,
        rules,
        (),
        kinds,
        ingest_rules["max_bytes"],
        {rel: a.sha256 for rel, a in stored.items()},
        force,
        None if ingest_rules["follow_symlinks_outside"] else articles_dir,
    )
    # Unchanged files are recognised here, by digest (16 MB in 0.05 s), so that only new and
    # changed ones go to the workers: starting them costs more than a nightly run's work.
    unchanged: dict[str, _ReadResult] = {}
    if not force:
        for rel in files:
            result = _unchanged_article(rel, job) if rel in job.stored_digests else None
            if result is not None:
                unchanged[rel] = result
    read_again = {rel for rel in stored if rel not in unchanged}  # changed, forced or gone
    meetings = known_meetings(session, catalog, kinds, read_again)
    job = replace(job, meetings=tuple(meetings))
    known_before = {m.id for m in meetings if m.inferred}
    stored_inferred = set(session.scalars(select(Meeting.id).where(Meeting.inferred.is_(True))))
    to_read = [rel for rel in files if rel not in unchanged]
    if len(to_read) >= performance.parallel_min_items:
        warm_up_dates()
    results = parallel_map(_read_article, to_read, job, settings)
    ordered = (unchanged[rel] if rel in unchanged else next(results) for rel in files)
    outcome = _assign_in_order(ordered, stored, meetings, kinds, rules, force, on_file)
    # A stored inferred meeting is dated by the first file in file order that speaks of it (as in
    # a fresh build): a new or changed file before the one that inferred it infers it again.
    inferring = {
        meeting_id: _inferred_from(note or "")
        for meeting_id, note in session.execute(
            select(Meeting.id, Meeting.inferred_from).where(Meeting.inferred.is_(True))
        )
    }
    place = {rel: i for i, rel in enumerate(files)}
    redated = {
        a.meeting_id
        for _s, rel, _p, a in outcome.pending
        if a.meeting_id in inferring and place.get(rel, -1) < place.get(inferring[a.meeting_id], -1)
    }
    meetings = [m for m in meetings if m.id not in redated]
    # The same folder must give the same assignments however it was built up: an article sorted
    # before the one inferring its meeting, or one whose meeting lost the article inferring it,
    # is read again, every file against every meeting the folder infers (2 rounds at most).
    for _round in range(2):
        inferred_now = {m.id for m in meetings if m.inferred}
        if inferred_now == known_before and not (stored_inferred - known_before):
            break
        known_before, stored_inferred = inferred_now, set()
        catalog_ids = {m.id for m in catalog}
        meetings = [*catalog, *sorted((m for m in meetings if m.id not in catalog_ids), key=lambda m: m.id)]
        again = parallel_map(_read_article, files, replace(job, meetings=tuple(meetings), force=True), settings)
        inferred_by = outcome.inferred_by
        outcome = _assign_in_order(again, stored, meetings, kinds, rules, True, None)
        outcome.refresh_inferred, outcome.inferred_by = True, inferred_by | outcome.inferred_by
    report.skipped.extend(problems)
    report.skipped.extend(outcome.skipped)
    report.warnings.extend(outcome.warnings)
    report.unchanged.extend(outcome.unchanged)

    _store_articles(session, report, outcome.pending, outcome.inferred_by if outcome.refresh_inferred else None)

    # A file is gone only if its folder could be listed: a missing or unreadable folder (a
    # mistyped --articles, an unmounted share) must not delete what is stored. A link out of
    # the folder is gone too: what was stored through it must not stay published.
    present = set(files) | {p.file for p in report.skipped if not p.reason.startswith(OUTSIDE_FOLDER)}
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


@dataclass
class _Assigned:
    """What reading the folder in order gave: the articles to store and the files skipped."""

    pending: list[tuple] = field(default_factory=list)  # (stored article or None, file, parsed, assignment)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refresh_inferred: bool = False  # store inferred meetings as this reading has them
    # meeting id -> "FILE: REASON" of the file that inferred it first (in file order, in the
    # first reading): the note stored with the meeting.
    inferred_by: dict[str, str] = field(default_factory=dict)


def _assign_in_order(
    results: Iterable[_ReadResult],
    stored: dict[str, Article],
    meetings: list[MeetingInfo],
    kinds: dict[str, MeetingKind],
    rules: dict,
    force: bool,
    on_file: Callable[[str], None] | None,
) -> _Assigned:
    """The read files in file order; a meeting inferred from one file is added to `meetings`
    for the files after it."""
    out = _Assigned()
    inferred_so_far = False
    for result in results:
        rel = result.file
        if on_file:
            on_file(rel)
        if result.unchanged:
            out.unchanged.append(rel)
            if not force:
                continue
        if result.error is not None:
            out.skipped.append(Problem(rel, result.error))
            continue  # an earlier stored version, if any, stays as it was
        parsed, assignment = result.parsed, result.assignment
        assert parsed is not None and assignment is not None, "results that get here were read and assigned"
        if inferred_so_far:
            # A meeting inferred from an earlier file may be this one's: detect again, in order.
            try:
                assignment = detect_meeting(parsed.title, parsed.text, parsed.meta, meetings, kinds, rules)
            except MeetingNotFound as exc:
                out.skipped.append(Problem(rel, f"front matter names an unknown meeting: {exc}"))
                continue
            except Exception as exc:  # noqa: BLE001  one file's surprise must not end the run
                out.skipped.append(Problem(rel, unexpected(exc)))
                continue
        for warning in parsed.warnings:
            out.warnings.append(Problem(rel, warning))
        if assignment.new_meeting is not None and all(m.id != assignment.new_meeting.id for m in meetings):
            meetings.append(assignment.new_meeting)
            out.inferred_by[assignment.new_meeting.id] = f"{rel}: {assignment.reason}"
            inferred_so_far = True
        out.pending.append((stored.get(rel), rel, parsed, assignment))
    return out


def unexpected(exc: BaseException) -> str:
    """The reason for a file skipped by an error nobody foresaw: its kind and first line."""
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"cannot be read: unexpected {exc.__class__.__name__}" + (f": {first}" if first else "")


def _store_articles(
    session: Session, report: IngestReport, pending: list[tuple], inferred_by: dict[str, str] | None
) -> None:
    """Store the parsed articles. All in one savepoint first (thousands of savepoints cost more
    than parsing); if the database refuses one, again one savepoint each, so that only the
    file it refuses is skipped and the others are stored. With `inferred_by`, the inferred
    meetings are written again, noted as inferred by the file it names."""

    created: set[str] = set()  # meetings not stored before this run
    # Meetings first: an article naming one in front matter may come before the one inferring it.
    written: set[str] = set()
    with session.begin_nested():
        for _existing, rel, _parsed, assignment in pending:
            info = assignment.new_meeting
            if info is None or info.id in written:
                continue
            written.add(info.id)
            row = session.get(Meeting, info.id)
            if row is not None and (inferred_by is None or not row.inferred):
                continue
            if row is None:
                created.add(info.id)
            row = row or Meeting(id=info.id)
            row.name, row.kind, row.start, row.end = info.name, info.kind, info.start, info.end
            row.aliases, row.numbers, row.inferred = list(info.aliases), dict(info.attrs), True
            row.inferred_from = (inferred_by or {}).get(info.id, f"{rel}: {assignment.reason}")
            session.add(row)
            session.flush()

    def apply(item) -> None:
        existing, rel, parsed, assignment = item
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
        (item, (item[0].sha256, item[0].meeting_id, item[0].date) if item[0] is not None else None) for item in pending
    ]
    try:
        with session.begin_nested():
            for item in pending:
                apply(item)
            session.flush()
    except SQLAlchemyError:
        stored = []
        for item, _old in before:
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
    for item, old in before:
        existing, rel, parsed, assignment = item
        if old is None:
            report.added.append(rel)
        elif old[0] != parsed.sha256:
            report.changed.append(rel)
        if old is not None and old != (parsed.sha256, assignment.meeting_id, assignment.date):
            report.touched_meetings.add(old[1] or "")
        if assignment.new_meeting is not None and assignment.new_meeting.id in created:
            created.discard(assignment.new_meeting.id)
            report.meetings_added.append(assignment.new_meeting.id)
        if old is None or old != (parsed.sha256, assignment.meeting_id, assignment.date):
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
    inside: Path | None  # the folder every file must lie in, symlinks followed (None: anywhere)


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
        raw = read_article_bytes(job.articles_dir / rel, job.max_bytes, job.inside)
    except Exception:  # noqa: BLE001  _read_article reports it
        return None  # _read_article reports it
    return _ReadResult(rel, unchanged=True) if hashlib.sha256(raw).hexdigest() == job.stored_digests[rel] else None


def _read_article(rel: str, job: _ReadJob) -> _ReadResult:
    """Read, parse and assign one file (pure CPU and file reads: safe in a worker process)."""
    try:
        raw = read_article_bytes(job.articles_dir / rel, job.max_bytes, job.inside)
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
    except Exception as exc:  # noqa: BLE001  one file's surprise (a parser's bug) must not end the run
        return _ReadResult(rel, error=unexpected(exc))
