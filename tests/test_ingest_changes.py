"""Idempotence and changes: a second run changes nothing; an edited file replaces its article;
a deleted file removes it."""

from __future__ import annotations

import datetime as dt

from storage_scenarios import (
    FIFTH_PLENUM_ARTICLE,
    THIRD_PLENUM_ARTICLE,
    check_changed_file,
    check_deleted_file,
    check_idempotent,
    check_inferred_meeting,
    run_ingest,
    stored_articles,
    stored_meetings,
    write,
)


def test_ingesting_twice_changes_nothing(sample_copy, settings):
    check_idempotent(settings)


def test_editing_a_file_replaces_its_article(sample_copy, settings):
    check_changed_file(settings)


def test_deleting_a_file_removes_its_article(sample_copy, settings):
    check_deleted_file(settings)


def test_inferred_meeting_is_stored_and_goes_with_its_last_article(settings):
    check_inferred_meeting(settings)


def test_touching_a_file_without_changing_its_bytes_is_unchanged(settings):
    path = write(settings.articles_dir, "plenum.txt", THIRD_PLENUM_ARTICLE)
    run_ingest(settings)
    path.write_text(THIRD_PLENUM_ARTICLE)  # new mtime, same bytes
    report = run_ingest(settings)
    assert report.unchanged == ["plenum.txt"] and report.changed == []


def test_add_change_and_delete_in_one_run(settings):
    folder = settings.articles_dir
    write(folder, "keep.txt", THIRD_PLENUM_ARTICLE)
    edit = write(folder, "edit.txt", "Notes\n\nThe 2024 Two Sessions opened in Beijing on March 5, 2024.\n")
    gone = write(folder, "gone.txt", "More notes\n\nThe 20th Party Congress opened on October 16, 2022.\n")
    run_ingest(settings)

    edit.write_text("Notes\n\nThe 2023 Two Sessions opened in Beijing on March 5, 2023.\n")
    gone.unlink()
    write(folder, "new.txt", FIFTH_PLENUM_ARTICLE)
    report = run_ingest(settings)

    assert (report.added, report.changed, report.unchanged, report.removed) == (
        ["new.txt"], ["edit.txt"], ["keep.txt"], ["gone.txt"])
    assert report.meetings_added == ["cpc-20-cc-5-plenum"]
    assert report.touched_meetings == {"two-sessions-2024", "two-sessions-2023", "cpc-20-congress",
                                       "cpc-20-cc-5-plenum"}
    stored = stored_articles(settings)
    assert sorted(stored) == ["edit.txt", "keep.txt", "new.txt"]
    assert stored["edit.txt"]["meeting_id"] == "two-sessions-2023"
    assert stored["edit.txt"]["date"].isoformat() == "2023-03-05"


def test_inferred_meeting_is_recognised_on_a_later_run(settings):
    """Once stored, an inferred meeting is found by its numbers in any phrasing, as in the run
    that inferred it (the result must not depend on which run saw which file first)."""
    write(settings.articles_dir, "a.txt", FIFTH_PLENUM_ARTICLE)
    run_ingest(settings)
    write(settings.articles_dir, "b.txt", (
        "What the plenum means for markets\n\n"
        "Investors are still digesting the communique of the Fifth Plenary Session of the 20th CPC "
        "Central Committee, which called for faster growth in consumption.\n"))
    report = run_ingest(settings)
    assert report.unassigned == []
    assert stored_articles(settings)["b.txt"]["meeting_id"] == "cpc-20-cc-5-plenum"
    assert stored_meetings(settings)["cpc-20-cc-5-plenum"]["files"] == ["a.txt", "b.txt"]
    assert stored_meetings(settings)["cpc-20-cc-5-plenum"]["numbers"] == {"cc": 20, "plenum": 5}


def test_an_inferred_meetings_numbers_are_read_from_the_database_not_from_its_id(settings):
    """Recognisers find a stored inferred meeting by the numbers stored with it, whatever its id."""
    from tracker.db import Meeting, connect, transaction

    engine = connect(settings.db_url)
    with transaction(engine) as session:
        session.add(Meeting(id="autumn-2026-plenum", name="The autumn plenum of 2026", kind="plenum",
                            start=dt.date(2026, 10, 20), end=dt.date(2026, 10, 23), aliases=[],
                            numbers={"cc": 20, "plenum": 5}, inferred=True))
    engine.dispose()
    write(settings.articles_dir, "b.txt", (
        "What the plenum means for markets\n\n"
        "Investors are still digesting the communique of the Fifth Plenary Session of the 20th CPC "
        "Central Committee, which called for faster growth in consumption.\n"))
    report = run_ingest(settings)
    assert report.unassigned == []
    assert stored_articles(settings)["b.txt"]["meeting_id"] == "autumn-2026-plenum"


def test_a_full_build_clears_the_commitments_of_a_meeting_whose_articles_moved(settings):
    """After a rule change (a full build) an article may be assigned elsewhere: the meeting it
    left must not keep its old commitments."""
    from sqlalchemy import func, select

    from tracker.db import Commitment, connect, transaction
    from tracker.build import build

    text = "---\nmeeting: {}\n---\nThe plenum called for a unified national market and pledged to cut red tape.\n"
    path = write(settings.articles_dir, "a.txt", text.format("Third Plenum of the 20th Central Committee"))
    engine = connect(settings.db_url)
    build(engine, settings, render=False, full=True)
    path.write_text(text.format("20th Party Congress"), encoding="utf-8")
    build(engine, settings, render=False, full=True)
    with transaction(engine) as session:
        counts = dict(session.execute(select(Commitment.meeting_id, func.count()).group_by(Commitment.meeting_id)).all())
    assert counts == {"cpc-20-congress": 1}, counts
