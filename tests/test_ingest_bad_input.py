"""Bad input through `tracker.ingest.ingest`: each bad file is skipped with its name and a
reason, the good ones in the same folder are stored, and what was stored before stays."""

from __future__ import annotations

import os
import random

import pytest

from storage_scenarios import (
    LATE_NUL_BYTES,
    THIRD_PLENUM_ARTICLE,
    check_bad_file_skipped,
    run_ingest,
    skipped,
    stored_articles,
    write,
)

CP1252_TEXT = (
    "China\u2019s \u201cnew productive forces\u201d dominated the 2024 Two Sessions \u2013 the annual "
    "meetings of the National People\u2019s Congress \u2013 which opened in Beijing on March 5, 2024.\n\n"
    "The premier\u2019s report set a growth target of around 5 percent.\n"
)


def garbage(n: int = 4000, seed: int = 7) -> bytes:
    """High bytes without structure: no text encoding reads them cleanly."""
    rng = random.Random(seed)
    return bytes(rng.randrange(0x80, 0x100) for _ in range(n))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n  ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file (contains NUL bytes)"),
        (LATE_NUL_BYTES, "binary file (contains NUL bytes)"),
        (b"\x01\x02\x03\x04 Two Sessions \x05\x06\x07\x08" * 50, "binary file (control characters in the text)"),
        (garbage(), "not UTF-8, and none of"),
        (b"---\ntitle: [unclosed\n---\nThe Two Sessions opened.\n", "malformed front matter"),
        (b"---\ntitle: Third Plenum\nThe Two Sessions opened.\n", "opening fence without a closing one"),
        (b"---\n- a list\n---\nThe Two Sessions opened.\n", "expected key: value pairs"),
        (b"---\nmeeting: Tenth Plenum of the 30th Central Committee\n---\nThe plenum opened.\n",
         "front matter names an unknown meeting"),
        (b"---\nmeeting: nosuchmeeting\n---\nThe plenum opened.\n", "front matter names an unknown meeting"),
        (b"Want to read more?\nSubscribe for full access.\n", "no article text left after removing page furniture"),
    ],
    ids=["empty", "whitespace", "binary", "late-nul", "control-chars", "undecodable", "bad-yaml", "unclosed",
         "yaml-list", "unknown-plenum", "unknown-meeting", "only-furniture"],
)
def test_bad_file_is_skipped_with_its_name_and_reason_while_good_files_are_stored(settings, content, reason):
    write(settings.articles_dir, "a_good.txt", THIRD_PLENUM_ARTICLE)
    write(settings.articles_dir, "b_bad.txt", content)
    write(settings.articles_dir, "c_good.md", "# Work report\n\nThe 2024 Two Sessions opened in Beijing on March 5, 2024.\n")

    report = run_ingest(settings)

    assert [p.file for p in report.skipped] == ["b_bad.txt"]
    assert reason in report.skipped[0].reason
    assert report.added == ["a_good.txt", "c_good.md"]
    stored = stored_articles(settings)
    assert sorted(stored) == ["a_good.txt", "c_good.md"]
    assert stored["a_good.txt"]["meeting_id"] == "cpc-20-cc-3-plenum"
    assert stored["c_good.md"]["meeting_id"] == "two-sessions-2024"


def test_unknown_meeting_reason_names_the_meeting(settings):
    write(settings.articles_dir, "x.txt", "---\nmeeting: Summit of Nowhere\n---\nThe summit opened.\n")
    reason = skipped(run_ingest(settings))["x.txt"]
    assert "Summit of Nowhere" in reason


def test_cp1252_file_is_decoded_with_a_warning(settings):
    write(settings.articles_dir, "cp.txt", CP1252_TEXT.encode("cp1252"))
    report = run_ingest(settings)
    assert report.skipped == []
    assert report.added == ["cp.txt"]
    assert [(w.file, w.reason) for w in report.warnings] == [("cp.txt", "not UTF-8: decoded as cp1252")]
    row = stored_articles(settings)["cp.txt"]
    assert row["encoding"] == "cp1252"
    assert "China\u2019s \u201cnew productive forces\u201d" in row["text"]  # curly quotes decoded right
    assert row["meeting_id"] == "two-sessions-2024"


def test_utf16_file_with_bom_is_read(settings):
    write(settings.articles_dir, "u16.txt", CP1252_TEXT.encode("utf-16"))
    report = run_ingest(settings)
    assert report.skipped == [] and report.added == ["u16.txt"]
    assert stored_articles(settings)["u16.txt"]["encoding"] == "utf-16"


def test_file_over_max_bytes_is_skipped(settings, monkeypatch):
    monkeypatch.setitem(settings.rules["ingest"], "max_bytes", 200)
    write(settings.articles_dir, "small.txt", THIRD_PLENUM_ARTICLE[:190] + "\n")
    write(settings.articles_dir, "big.txt", THIRD_PLENUM_ARTICLE * 2)
    report = run_ingest(settings)
    reasons = skipped(report)
    assert list(reasons) == ["big.txt"]
    assert reasons["big.txt"].startswith(f"too large: {len((THIRD_PLENUM_ARTICLE * 2).encode()):,} bytes (limit 200")
    assert report.added == ["small.txt"]


def test_files_with_other_extensions_and_hidden_files_are_ignored(settings):
    write(settings.articles_dir, "photo.jpg", b"\xff\xd8\xff\x00binary")
    write(settings.articles_dir, ".draft.txt", THIRD_PLENUM_ARTICLE)
    write(settings.articles_dir, ".git/notes.txt", THIRD_PLENUM_ARTICLE)
    write(settings.articles_dir, "sub/dir/plenum.TXT", THIRD_PLENUM_ARTICLE)
    report = run_ingest(settings)
    assert report.skipped == []
    assert report.added == ["sub/dir/plenum.TXT"]


def test_broken_symlink_is_skipped(settings):
    os.symlink(settings.articles_dir / "missing.txt", settings.articles_dir / "link.txt")
    write(settings.articles_dir, "good.txt", THIRD_PLENUM_ARTICLE)
    report = run_ingest(settings)
    assert skipped(report) == {"link.txt": "a broken symlink (its target does not exist)"}
    assert report.added == ["good.txt"]


def test_stored_article_whose_file_turns_bad_keeps_its_stored_version(sample_copy, settings):
    check_bad_file_skipped(settings)


@pytest.mark.parametrize(
    "bad",
    [b"\x00\x01binary", b"---\n- not a mapping\n---\nText.\n", b"---\nmeeting: nosuchmeeting\n---\nText.\n"],
    ids=["binary", "front-matter", "unknown-meeting"],
)
def test_each_kind_of_bad_edit_keeps_the_stored_version(settings, bad):
    path = write(settings.articles_dir, "plenum.txt", THIRD_PLENUM_ARTICLE)
    run_ingest(settings)
    before = stored_articles(settings)
    path.write_bytes(bad)
    report = run_ingest(settings)
    assert list(skipped(report)) == ["plenum.txt"]
    assert report.removed == [] and report.changed == []
    assert stored_articles(settings) == before
    # Fixed again: it is replaced.
    path.write_text(THIRD_PLENUM_ARTICLE.replace("July 18", "July 18 (updated)"))
    assert run_ingest(settings).changed == ["plenum.txt"]


def test_missing_articles_folder_is_reported_and_deletes_nothing(settings, tmp_path):
    write(settings.articles_dir, "plenum.txt", THIRD_PLENUM_ARTICLE)
    run_ingest(settings)
    before = stored_articles(settings)

    settings.articles_dir = tmp_path / "mistyped"
    report = run_ingest(settings)
    assert skipped(report) == {str(tmp_path / "mistyped"): "articles folder not found"}
    assert report.removed == []
    assert stored_articles(settings) == before


def test_unreadable_subfolder_keeps_its_stored_articles(settings, monkeypatch):
    write(settings.articles_dir, "top.txt", THIRD_PLENUM_ARTICLE)
    write(settings.articles_dir, "locked/inner.txt", THIRD_PLENUM_ARTICLE.replace("Reform", "Locked reform"))
    run_ingest(settings)
    assert sorted(stored_articles(settings)) == ["locked/inner.txt", "top.txt"]

    # As root, chmod cannot make a folder unreadable: simulate what os.walk reports instead.
    import tracker.article_files as ingest_module

    real_walk = os.walk
    locked = settings.articles_dir / "locked"

    def walk(top, onerror=None, **kwargs):
        for root, dirs, names in real_walk(top, onerror=onerror, **kwargs):
            if "locked" in dirs:
                dirs.remove("locked")
                onerror(PermissionError(13, "Permission denied", str(locked)))
            yield root, dirs, names

    monkeypatch.setattr(ingest_module.os, "walk", walk)
    report = run_ingest(settings)
    assert skipped(report) == {"locked/": "folder cannot be read: Permission denied"}
    assert report.removed == []
    assert sorted(stored_articles(settings)) == ["locked/inner.txt", "top.txt"]
