"""The pipeline, stage after stage: ingest -> extract -> match -> render.

`ingest` turns the articles folder into stored articles assigned to meetings, in one
transaction: a crash or an error leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .articles import ArticleError, parse_article
from .config import Settings
from .db import Article, Meeting
from .meetings import MeetingInfo, MeetingNotFound, detect_meeting, load_catalog


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
    # os.walk does not follow symlinked folders, so a symlink loop cannot trap it.
    for root, dirs, names in os.walk(articles_dir, onerror=lambda e: problems.append(Problem(str(e.filename), e.strerror or str(e)))):
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


def known_meetings(session: Session, catalog: list[MeetingInfo]) -> list[MeetingInfo]:
    """The catalog plus meetings inferred from articles earlier."""
    catalog_ids = {m.id for m in catalog}
    inferred = [
        MeetingInfo(m.id, m.name, m.kind, m.start, m.end, tuple(m.aliases or ()), inferred=True)
        for m in session.scalars(select(Meeting).where(Meeting.inferred.is_(True)))
        if m.id not in catalog_ids
    ]
    return [*catalog, *inferred]


def ingest(session: Session, settings: Settings, on_file: Callable[[str], None] | None = None) -> IngestReport:
    """Bring the stored articles in line with the articles folder. Runs inside the caller's
    transaction; each file is applied in a savepoint so one bad file cannot spoil the rest."""
    rules = settings.rules
    report = IngestReport()
    catalog = load_catalog(settings.catalog)
    sync_catalog(session, catalog)
    session.flush()
    meetings = known_meetings(session, catalog)

    files, problems = scan_articles(settings.articles_dir, rules["ingest"]["extensions"])
    report.skipped.extend(problems)
    stored = {a.file: a for a in session.scalars(select(Article))}
    max_bytes = int(rules["ingest"]["max_bytes"])

    for rel in files:
        if on_file:
            on_file(rel)
        existing = stored.get(rel)
        try:
            raw = read_article_bytes(settings.articles_dir / rel, max_bytes)
            digest = hashlib.sha256(raw).hexdigest()
            if existing is not None and existing.sha256 == digest:
                report.unchanged.append(rel)
                continue
            parsed = parse_article(raw, rel, rules)
            try:
                assignment = detect_meeting(parsed.title, parsed.text, parsed.meta, meetings, rules, rel)
            except MeetingNotFound as exc:
                raise ArticleError(f"front matter names an unknown meeting: {exc}") from exc
        except ArticleError as exc:
            report.skipped.append(Problem(rel, str(exc)))
            continue  # an earlier stored version, if any, stays as it was
        for warning in parsed.warnings:
            report.warnings.append(Problem(rel, warning))

        with session.begin_nested():
            if assignment.new_meeting is not None and session.get(Meeting, assignment.new_meeting.id) is None:
                info = assignment.new_meeting
                session.add(Meeting(id=info.id, name=info.name, kind=info.kind, start=info.start, end=info.end,
                                    aliases=list(info.aliases), inferred=True, inferred_from=f"{rel}: {assignment.reason}"))
                meetings.append(info)
                report.meetings_added.append(info.id)
            article = existing or Article(file=rel)
            if existing is not None:
                report.touched_meetings.add(existing.meeting_id or "")
                report.changed.append(rel)
            else:
                report.added.append(rel)
            article.sha256 = parsed.sha256
            article.title = parsed.title
            article.source = parsed.meta.get("source")
            article.url = parsed.meta.get("url")
            article.encoding = parsed.encoding
            article.text = parsed.text
            article.date = assignment.date
            article.meeting_id = assignment.meeting_id
            article.assignment = assignment.reason
            session.add(article)
        report.touched_meetings.add(assignment.meeting_id or "")
        if assignment.meeting_id is None:
            report.unassigned.append(Problem(rel, assignment.reason))

    present = set(files) | {p.file for p in report.skipped}
    for rel, article in sorted(stored.items()):
        if rel not in present:
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
