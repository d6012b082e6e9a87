"""The build, stage after stage: ingest -> extract -> match -> threads -> record the run, in
one transaction, then the site prepared inside it and published once it is committed.

One run at a time: callers that may run beside another (the CLI, the nightly job) hold
`run_lock` around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from .commitments import extract
from .config import Settings
from .db import transaction
from .ingest import IngestReport, ingest
from .lexicon import load_lexicon
from .linking import MatchReport, match
from .runs import config_fingerprint, fingerprint_changed, record_run, snapshot
from .threads import update_threads


@dataclass
class BuildReport:
    ingest: IngestReport
    commitments: dict[str, int]
    matching: MatchReport
    full: bool = False
    summary: dict = field(default_factory=dict)  # what this run changed (see `tracker.runs.run_summary`)
    site_files: int = 0
    site_written: int = 0
    site_dir: str | None = None

    def as_dict(self) -> dict:
        """The report as `tracker build --format json` prints it (before its exit code)."""
        ing, m = self.ingest, self.matching
        return {
            "full": self.full,
            "run": self.summary,
            "warnings": [vars(p) for p in ing.warnings],
            "unassigned": [vars(p) for p in ing.unassigned],
            "commitments": self.commitments,
            "changes_total": m.counts,
            "pairs_compared": [list(pair) for pair in m.recomputed],
            "stale_corrections": m.stale_corrections,
            "site": {"dir": self.site_dir, "files": self.site_files, "written": self.site_written}
            if self.site_dir
            else None,
        }


def build(
    engine,
    settings: Settings,
    render: bool = True,
    full: bool = False,
    on_file: Callable[[str], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> BuildReport:
    """The main job, top to bottom: ingest -> extract -> match -> threads -> record the run, in
    one transaction (a failure leaves the database as it was), then render the site (swapped
    into place whole).

    Incremental unless `full` or the data files changed: only new, changed and deleted
    articles are read, only the meetings they touch are extracted again, only the pairs of
    meetings around those are compared again, and the threads are assigned again (over all
    meetings) only when one of those did something. Every page is rendered; only the files
    whose bytes changed are written."""
    stage = on_stage or (lambda _name: None)
    if render:
        settings.check_site_dir()  # before any work: a site folder that would destroy input is refused
    fingerprint = config_fingerprint(settings)
    prepared = None
    try:
        with transaction(engine) as session:
            full = full or fingerprint_changed(session, fingerprint)
            before = snapshot(session)
            stage("ingesting articles")
            ingest_report = ingest(session, settings, on_file=on_file, force=full)
            stage("extracting commitments")
            touched = None if full else ingest_report.touched_meetings
            counts = extract(session, settings, touched)
            stage("matching across meetings")
            lexicon = load_lexicon(settings)  # one for both: it keeps the texts it normalised
            match_report = match(session, settings, touched, lexicon)
            # Threads follow the stored changes: with no meeting extracted and no pair compared
            # again, the stored ones are still right.
            if touched is None or touched or match_report.recomputed:
                update_threads(session, settings, lexicon)
            summary = record_run(session, before, ingest_report, full, fingerprint)
            if render:
                from timeline.writer import prepare_site  # the site package builds on this one

                stage("rendering the site")
                session.flush()
                # Rendered inside the transaction: a rendering failure rolls the database back too.
                prepared = prepare_site(session, settings)
        # Committed: now readers may see the new site (one atomic exchange of folders).
        if prepared is not None:
            prepared.publish()
    except BaseException:
        if prepared is not None:
            prepared.discard()
        raise
    report = BuildReport(ingest_report, counts, match_report, full=full, summary=summary)
    if prepared is not None:
        report.site_files, report.site_written, report.site_dir = (
            prepared.files,
            prepared.written,
            str(settings.site_dir),
        )
    return report


class RunLocked(Exception):
    """Another run holds the lock and did not finish in time."""


class LockFileError(Exception):
    """The run lock cannot be taken: its file cannot be created, or the database holding it is out of reach."""


@contextmanager
def run_lock(settings: Settings, timeout: float) -> Iterator[None]:
    """One run at a time: a lock file, and on PostgreSQL also the database's advisory lock
    (runs from other project folders or machines share the database, not the file). The OS
    and the server drop them when a run dies, so a killed run never blocks the next."""
    from filelock import FileLock, Timeout

    lock_path = settings.lock_path
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(lock_path))
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise RunLocked(f"another tracker run holds {lock_path}; waited {timeout:g} s") from exc
    except OSError as exc:
        raise LockFileError(f"cannot create the lock file {lock_path}: {exc.strerror or exc}") from exc
    try:
        with _database_lock(settings, timeout):
            yield
    finally:
        lock.release()


@contextmanager
def _database_lock(settings: Settings, timeout: float) -> Iterator[None]:
    """tracker.db.database_lock, its failures as RunLocked and LockFileError."""
    from sqlalchemy.exc import SQLAlchemyError

    from .db import DatabaseLocked, database_lock

    assert settings.db_url is not None  # set by Settings.__post_init__
    where = settings.db_url.split("@")[-1]  # no password in messages
    with ExitStack() as stack:
        try:
            stack.enter_context(database_lock(settings.db_url, timeout))
        except DatabaseLocked as exc:
            raise RunLocked(f"another tracker run holds the lock of database {where}; {exc}") from exc
        except (SQLAlchemyError, ImportError) as exc:
            raise LockFileError(f"cannot take the run lock of database {where}: {str(exc).splitlines()[0]}") from exc
        yield
