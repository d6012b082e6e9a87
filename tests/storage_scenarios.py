"""Ingestion + storage scenarios shared by the SQLite tests and tests/test_postgres.py.

Each `check_*` takes a `Settings` whose articles folder is a writable copy of the sample corpus
(see the `sample_copy` fixture) and whose database is empty, runs `tracker.ingest.ingest`
in transactions, and asserts on the report and on what is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy import select

from tracker.config import Settings
from tracker.db import Article, Meeting, connect, meetings_with_articles, transaction
from tracker.ingest import IngestReport, ingest

SAMPLE_FILES = [
    "000_e968482bdaf0a329.txt",
    "001_bec66fbcd87b5ca6.txt",
    "002_4720f2c803981388.txt",
    "003_7cc84e104f871c44.txt",
    "004_632af777cb7a8f71.txt",
]

# What the sample corpus must become: meeting id -> (start, end, its articles), in date order.
EXPECTED_SAMPLE_MEETINGS = {
    "cpc-20-congress": (dt.date(2022, 10, 16), dt.date(2022, 10, 22), ["004_632af777cb7a8f71.txt"]),
    "two-sessions-2024": (
        dt.date(2024, 3, 4),
        dt.date(2024, 3, 11),
        ["000_e968482bdaf0a329.txt", "002_4720f2c803981388.txt", "003_7cc84e104f871c44.txt"],
    ),
    "cpc-20-cc-3-plenum": (dt.date(2024, 7, 15), dt.date(2024, 7, 18), ["001_bec66fbcd87b5ca6.txt"]),
}

THIRD_PLENUM_ARTICLE = """\
Reform agenda after the plenum

The Third Plenum of the 20th Central Committee closed in Beijing on July 18, 2024, with a resolution on deepening reform.

The resolution promises a unified national market and more support for private firms.
"""

FIFTH_PLENUM_ARTICLE = """\
Fifth Plenum sets the course for the next five-year plan

The Fifth Plenum of the 20th Central Committee was held in Beijing from October 20 to 23, 2026, and adopted recommendations for the next plan.

The communique stressed technological self-reliance and a larger role for consumption.
"""

# NUL past the first 8 KiB: once stored unnoticed, and PostgreSQL then failed the whole run.
LATE_NUL_BYTES = b"Notes on the Two Sessions\n\n" + b"The 2024 Two Sessions discussed growth. " * 250 + b"\x00 tail.\n"


# ---------------------------------------------------------------- helpers


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def run_ingest(settings: Settings) -> IngestReport:
    engine = connect(settings.db_url)
    try:
        with transaction(engine) as session:
            return ingest(session, settings)
    finally:
        engine.dispose()


def stored_articles(settings: Settings) -> dict[str, dict]:
    """file -> the stored columns, as plain values."""
    engine = connect(settings.db_url)
    try:
        with transaction(engine) as session:
            return {
                a.file: {
                    "id": a.id, "sha256": a.sha256, "title": a.title, "text": a.text, "encoding": a.encoding,
                    "date": a.date, "meeting_id": a.meeting_id, "assignment": a.assignment,
                    "source": a.source, "url": a.url,
                }
                for a in session.scalars(select(Article))
            }
    finally:
        engine.dispose()


def stored_meetings(settings: Settings, with_articles_only: bool = True) -> dict[str, dict]:
    """meeting id -> dates, numbers, inferred flag and article files (insertion order = date order)."""
    engine = connect(settings.db_url)
    try:
        with transaction(engine) as session:
            rows = meetings_with_articles(session) if with_articles_only else list(
                session.scalars(select(Meeting).order_by(Meeting.start, Meeting.id)))
            return {
                m.id: {"start": m.start, "end": m.end, "numbers": m.numbers, "inferred": m.inferred, "name": m.name,
                       "inferred_from": m.inferred_from, "files": [a.file for a in m.articles]}
                for m in rows
            }
    finally:
        engine.dispose()


def skipped(report: IngestReport) -> dict[str, str]:
    return {p.file: p.reason for p in report.skipped}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- scenarios


def check_sample_corpus(settings: Settings) -> None:
    report = run_ingest(settings)
    assert sorted(report.added) == SAMPLE_FILES
    assert report.skipped == [] and report.unassigned == [] and report.meetings_added == []

    meetings = stored_meetings(settings)
    assert list(meetings) == list(EXPECTED_SAMPLE_MEETINGS)  # exactly these, in date order
    for meeting_id, (start, end, files) in EXPECTED_SAMPLE_MEETINGS.items():
        assert (meetings[meeting_id]["start"], meetings[meeting_id]["end"]) == (start, end), meeting_id
        assert meetings[meeting_id]["files"] == files, meeting_id
        assert meetings[meeting_id]["inferred"] is False

    articles = stored_articles(settings)
    assert articles["004_632af777cb7a8f71.txt"]["date"] == dt.date(2022, 10, 16)  # "On Oct. 16"
    for name, row in articles.items():
        assert row["sha256"] == sha(settings.articles_dir / name)
        assert row["assignment"], name  # every assignment says why


def check_idempotent(settings: Settings) -> None:
    first = run_ingest(settings)
    assert len(first.added) == len(SAMPLE_FILES)
    before = stored_articles(settings)

    second = run_ingest(settings)
    assert sorted(second.unchanged) == SAMPLE_FILES
    assert (second.added, second.changed, second.removed, second.skipped, second.meetings_added) == ([], [], [], [], [])
    assert second.touched_meetings == set()
    assert stored_articles(settings) == before  # same rows, same ids, same contents


def check_changed_file(settings: Settings) -> None:
    run_ingest(settings)
    before = stored_articles(settings)
    name = "002_4720f2c803981388.txt"
    path = write(settings.articles_dir, name, THIRD_PLENUM_ARTICLE)

    report = run_ingest(settings)
    assert report.changed == [name]
    assert report.added == [] and report.removed == []
    assert sorted(report.unchanged) == sorted(set(SAMPLE_FILES) - {name})
    assert report.touched_meetings == {"two-sessions-2024", "cpc-20-cc-3-plenum"}

    after = stored_articles(settings)
    assert after[name]["id"] == before[name]["id"]  # replaced in place: same file key, same row
    assert after[name]["sha256"] == sha(path) != before[name]["sha256"]
    assert after[name]["title"] == "Reform agenda after the plenum"
    assert "unified national market" in after[name]["text"]
    assert "new productive forces" not in after[name]["text"]
    assert after[name]["meeting_id"] == "cpc-20-cc-3-plenum"
    assert after[name]["date"] == dt.date(2024, 7, 18)
    for other in set(SAMPLE_FILES) - {name}:
        assert after[other] == before[other]
    meetings = stored_meetings(settings)
    assert meetings["two-sessions-2024"]["files"] == ["000_e968482bdaf0a329.txt", "003_7cc84e104f871c44.txt"]
    assert meetings["cpc-20-cc-3-plenum"]["files"] == ["001_bec66fbcd87b5ca6.txt", name]


def check_deleted_file(settings: Settings) -> None:
    run_ingest(settings)
    (settings.articles_dir / "003_7cc84e104f871c44.txt").unlink()
    (settings.articles_dir / "001_bec66fbcd87b5ca6.txt").unlink()

    report = run_ingest(settings)
    assert report.removed == ["001_bec66fbcd87b5ca6.txt", "003_7cc84e104f871c44.txt"]
    assert report.added == [] and report.changed == [] and report.skipped == []
    assert report.touched_meetings == {"two-sessions-2024", "cpc-20-cc-3-plenum"}

    assert sorted(stored_articles(settings)) == ["000_e968482bdaf0a329.txt", "002_4720f2c803981388.txt",
                                                 "004_632af777cb7a8f71.txt"]
    meetings = stored_meetings(settings)
    assert list(meetings) == ["cpc-20-congress", "two-sessions-2024"]  # the plenum has no article left
    assert meetings["two-sessions-2024"]["files"] == ["000_e968482bdaf0a329.txt", "002_4720f2c803981388.txt"]
    # A catalog meeting stays in the table without articles.
    assert "cpc-20-cc-3-plenum" in stored_meetings(settings, with_articles_only=False)


def check_bad_file_skipped(settings: Settings) -> None:
    """Bad files are skipped with a reason; good ones in the same run are stored; a stored
    article whose file turns bad keeps its stored version."""
    run_ingest(settings)
    before = stored_articles(settings)
    folder = settings.articles_dir
    write(folder, "zz_binary.txt", b"GIF89a\x01\x00\x01\x00\x00\xff\x00" * 10)
    write(folder, "zz_late_nul.txt", LATE_NUL_BYTES)
    write(folder, "zz_new_good.txt", THIRD_PLENUM_ARTICLE)
    write(folder, "004_632af777cb7a8f71.txt", b"")  # stored earlier, now empty

    report = run_ingest(settings)
    reasons = skipped(report)
    assert set(reasons) == {"zz_binary.txt", "zz_late_nul.txt", "004_632af777cb7a8f71.txt"}
    assert "binary" in reasons["zz_binary.txt"]
    assert "binary" in reasons["zz_late_nul.txt"]
    assert reasons["004_632af777cb7a8f71.txt"] == "empty file"
    assert report.added == ["zz_new_good.txt"]
    assert report.removed == []  # a skipped file is not a deleted one

    after = stored_articles(settings)
    assert after["004_632af777cb7a8f71.txt"] == before["004_632af777cb7a8f71.txt"]
    assert after["zz_new_good.txt"]["meeting_id"] == "cpc-20-cc-3-plenum"
    assert "zz_binary.txt" not in after and "zz_late_nul.txt" not in after
    assert stored_meetings(settings)["cpc-20-congress"]["files"] == ["004_632af777cb7a8f71.txt"]


def check_inferred_meeting(settings: Settings) -> None:
    """A meeting the catalog lacks, dated by an article, is stored; it goes with its last article."""
    write(settings.articles_dir, "fifth_plenum.txt", FIFTH_PLENUM_ARTICLE)
    report = run_ingest(settings)
    assert report.meetings_added == ["cpc-20-cc-5-plenum"]
    meeting = stored_meetings(settings)["cpc-20-cc-5-plenum"]
    assert meeting["inferred"] is True
    assert (meeting["start"], meeting["end"]) == (dt.date(2026, 10, 20), dt.date(2026, 10, 23))
    assert meeting["files"] == ["fifth_plenum.txt"]
    assert meeting["name"] == "Fifth Plenary Session of the 20th Central Committee of the Communist Party of China"
    assert meeting["inferred_from"].startswith("fifth_plenum.txt: ")
    assert meeting["numbers"] == {"cc": 20, "plenum": 5}
    assert stored_articles(settings)["fifth_plenum.txt"]["date"] == dt.date(2026, 10, 20)

    again = run_ingest(settings)
    assert again.meetings_added == [] and "fifth_plenum.txt" in again.unchanged
    assert stored_meetings(settings)["cpc-20-cc-5-plenum"]["numbers"] == {"cc": 20, "plenum": 5}

    (settings.articles_dir / "fifth_plenum.txt").unlink()
    gone = run_ingest(settings)
    assert gone.removed == ["fifth_plenum.txt"]
    assert "cpc-20-cc-5-plenum" not in stored_meetings(settings, with_articles_only=False)
