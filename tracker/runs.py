"""Run records: the fingerprint of the rule files (a change makes the next run full), and
what each run changed, kept as a `Run` row, numbered one after the last, when it changed anything."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .config import Settings
from .corrections import load_corrections
from .db import Change, Commitment, Meeting, Run, Setting
from .ingest import IngestReport
from .statuses import REPORTED


def config_fingerprint(settings: Settings) -> str:
    """Hash of the validated settings of every rule file (the packaged defaults with the
    project's overrides merged in) and of the corrections: when one changes, the next run is
    full. Comments, layout and notes (which change no result) do not count."""
    corrections = load_corrections(settings.corrections_path)
    validated = {
        "meetings.toml": settings.catalog,
        "rules.toml": settings.rules,
        "commitments.toml": settings.commitment_rules.model_dump(mode="json"),
        "topics.toml": settings.topics.model_dump(mode="json"),
        "targets.toml": settings.target_rules.validated.model_dump(mode="json"),
        "corrections.toml": {"link": sorted(corrections.force), "unlink": sorted(corrections.forbid)},
    }
    canonical = json.dumps(validated, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fingerprint_changed(session: Session, fingerprint: str) -> bool:
    """Whether the rule files differ from those of the last run (or there was none)."""
    stored = session.get(Setting, "fingerprint")
    return stored is None or stored.value != fingerprint


def snapshot(session: Session) -> dict:
    """The stored state a run summary compares: commitments, changes between consecutive
    meetings, and the meetings with articles."""
    return {
        "commitments": {
            cid: (mid, text)
            for cid, mid, text in session.execute(select(Commitment.id, Commitment.meeting_id, Commitment.text))
        },
        "changes": {
            tuple(row)
            for row in session.execute(
                select(
                    Change.from_meeting_id,
                    Change.to_meeting_id,
                    Change.status,
                    Change.from_commitment_id,
                    Change.to_commitment_id,
                ).where(Change.adjacent.is_(True))
            )
        },
        "meetings": set(session.scalars(select(Meeting.id).where(Meeting.articles.any()))),
    }


def record_run(session: Session, before: dict, ingest_report: IngestReport, full: bool, fingerprint: str) -> dict:
    """What this run changed since `before` (a `snapshot`), stored as a Run when it changed
    anything, and the fingerprint of the data files it ran with; returns the summary."""
    summary = run_summary(before, snapshot(session), ingest_report)
    if _changed_anything(summary):
        # SOURCE_DATE_EPOCH (the reproducible-builds convention) pins the time when set.
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
        # Numbered here, not by the database: a sequence (PostgreSQL) keeps the numbers of
        # rolled-back runs, and the feed would skip them. Runs hold the run lock, so no race.
        number = (session.scalar(select(func.max(Run.id))) or 0) + 1
        session.add(Run(id=number, finished=when.replace(microsecond=0).isoformat(), full=full, summary=summary))
    session.merge(Setting(key="fingerprint", value=fingerprint))
    return summary


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

    statuses = {status: [entry(c) for c in appeared if c[2] == status] for status in REPORTED}
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
    return bool(
        a["added"]
        or a["changed"]
        or a["removed"]
        or summary["meetings_added"]
        or summary["meetings_removed"]
        or summary["commitments_added"]
        or summary["commitments_removed"]
        or any(summary["changes"].values())
    )
