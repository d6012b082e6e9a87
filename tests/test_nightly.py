"""Nightly rebuilds: incremental equals full, failures leave everything as it was, one run at
a time, bad input reported while good input is built, and a property test of ingestion and
extraction on random input."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tracker.build import build
from tracker.cli import app
from tracker.command_line import EXIT_LOCKED, EXIT_SKIPPED
from tracker.config import Settings
from tracker.db import Article, Change, Commitment, Meeting, ThreadMember, connect

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "data" / "articles").iterdir())


def dump(engine) -> dict:
    """The stored results in a canonical form (no autoincrement ids, no run history)."""
    with Session(engine) as s:
        return {
            "meetings": sorted((m.id, str(m.start), str(m.end), m.inferred) for m in s.query(Meeting) if m.articles),
            "articles": sorted((a.file, a.sha256, a.meeting_id, a.title, a.text, str(a.date), a.assignment) for a in s.query(Article)),
            "commitments": sorted(
                json.dumps([c.id, c.meeting_id, c.position, c.text, c.topics, c.items, c.emphasis, c.signals, c.cues,
                            c.thread_id, c.thread_status, [(e.article.file, e.start, e.end, e.sentence) for e in c.evidence]],
                           sort_keys=True) for c in s.query(Commitment)),
            "changes": sorted((c.from_meeting_id, c.to_meeting_id, c.position, c.status, c.score, c.reason,
                               c.from_commitment_id or "", c.to_commitment_id or "") for c in s.query(Change)),
        }


def tree(folder: Path, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.relative_to(folder).as_posix().startswith(exclude)}


@pytest.fixture
def work(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    return Settings(project_dir=ROOT, articles_dir=articles, db_url=f"sqlite:///{tmp_path}/inc.db", site_dir=tmp_path / "site")


# Site pages that record the history of runs (recent changes, feed) differ between a database
# that lived through several runs and one built once; everything else must be identical.
HISTORY = ("recent", "feed")


def test_incremental_builds_equal_a_full_build(work, tmp_path):
    engine = connect(work.db_url)
    steps = [
        lambda: [shutil.copy2(p, work.articles_dir / p.name) for p in SAMPLE[:2]],  # two articles
        lambda: [shutil.copy2(p, work.articles_dir / p.name) for p in SAMPLE[2:]],  # three more
        lambda: (work.articles_dir / SAMPLE[0].name).write_text(  # one changes
            SAMPLE[0].read_text() + "\nChina will vigorously accelerate quantum communication networks as a top priority.\n"),
        lambda: (work.articles_dir / SAMPLE[1].name).unlink(),  # one is deleted
    ]
    for step in steps:
        step()
        report = build(engine, work)
        assert not report.full or step is steps[0]
    incremental_db, incremental_site = dump(engine), tree(work.site_dir)

    fresh = Settings(project_dir=ROOT, articles_dir=work.articles_dir, db_url=f"sqlite:///{tmp_path}/full.db", site_dir=tmp_path / "full-site")
    report = build(connect(fresh.db_url), fresh, full=True)
    assert report.full
    assert dump(connect(fresh.db_url)) == incremental_db
    assert tree(fresh.site_dir, HISTORY) == tree(work.site_dir, HISTORY)

    # --full on the same database finds nothing to change, site history included.
    again = build(engine, work, full=True)
    assert dump(engine) == incremental_db and tree(work.site_dir) == incremental_site
    assert not any(again.summary["changes"].values()) and again.summary["commitments_added"] == 0


def dump_threads(engine) -> list:
    with Session(engine) as s:
        return sorted((m.thread_id, m.commitment_id, m.status, m.topics) for m in s.query(ThreadMember))


def test_incremental_threads_and_site_equal_a_full_build_on_many_meetings(work, tmp_path):
    """Only the meetings a run touches are extracted and compared again, and only files whose
    bytes changed are written: after each kind of change the database, the thread memberships
    and the site must be what a full build of the same folder gives."""
    from benchmarks.generate import extra_article, generate

    meetings, per_meeting = 9, 2
    generate(tmp_path / "corpus", meetings, per_meeting, seed=3)
    corpus = sorted((tmp_path / "corpus" / "articles").iterdir())
    for p in corpus:
        shutil.copy2(p, work.articles_dir / p.name)
    engine = connect(work.db_url)
    build(engine, work)
    stored_meetings = [m for m in dump(engine)["meetings"]]
    assert len(stored_meetings) == meetings

    def add(position):
        name, text = extra_article(meetings, per_meeting, 3, position)
        (work.articles_dir / name).write_text(text)

    steps = [
        lambda: add(meetings - 1),  # the latest meeting
        lambda: add(4),  # a meeting in the middle
        lambda: (work.articles_dir / corpus[2].name).write_text(corpus[2].read_text() + "\nChina will vigorously expand quantum networks.\n"),
        lambda: (work.articles_dir / corpus[7].name).unlink(),
        lambda: [(work.articles_dir / p.name).unlink() for p in corpus[10:12]],  # a whole meeting's articles
        lambda: add(0),  # the first meeting
    ]
    for number, step in enumerate(steps):
        step()
        report = build(engine, work)
        assert not report.full
        if number == 0:  # files about other meetings, their threads and articles were linked
            assert 0 < report.site_written < report.site_files / 2, (report.site_written, report.site_files)
        fresh = Settings(project_dir=ROOT, articles_dir=work.articles_dir, db_url=f"sqlite:///{tmp_path}/full{number}.db",
                         site_dir=tmp_path / f"full-site{number}")
        full_engine = connect(fresh.db_url)
        build(full_engine, fresh, full=True)
        assert dump(engine) == dump(full_engine), f"step {number}"
        assert dump_threads(engine) == dump_threads(full_engine), f"step {number}"
        assert tree(work.site_dir, HISTORY) == tree(fresh.site_dir, HISTORY), f"step {number}"


def test_threads_stage_is_skipped_when_nothing_changed_and_stored_threads_stay(work, monkeypatch):
    """A run that extracts no meeting and compares no pair again leaves the stored threads,
    which are still what assigning them gives; a run that touches a meeting assigns them."""
    import tracker.build

    for p in SAMPLE[:-1]:
        shutil.copy2(p, work.articles_dir / p.name)
    engine = connect(work.db_url)
    build(engine, work, render=False)
    stored = dump_threads(engine), dump(engine)
    calls = []
    assign = tracker.build.update_threads
    monkeypatch.setattr(tracker.build, "update_threads", lambda *args: calls.append(1) or assign(*args))
    assert not build(engine, work, render=False).full
    assert calls == [] and (dump_threads(engine), dump(engine)) == stored
    build(engine, work, render=False, full=True)  # assigned again: the same threads
    assert calls == [1] and (dump_threads(engine), dump(engine)) == stored
    shutil.copy2(SAMPLE[-1], work.articles_dir / SAMPLE[-1].name)
    assert not build(engine, work, render=False).full
    assert calls == [1, 1]


def test_incremental_run_reextracts_only_the_touched_meeting(work):
    engine = connect(work.db_url)
    for p in SAMPLE:
        shutil.copy2(p, work.articles_dir / p.name)
    build(engine, work, render=False)
    plenum = next(p for p in SAMPLE if p.name.startswith("001"))
    (work.articles_dir / "extra.txt").write_text(plenum.read_text().replace("Third Plenum", "Third Plenum (July 2024)"))
    report = build(engine, work, render=False)
    assert not report.full
    assert report.ingest.added == ["extra.txt"] and len(report.ingest.unchanged) == len(SAMPLE)
    assert set(report.commitments) == {"cpc-20-cc-3-plenum"}
    # Only the stored pairs that involve the plenum are compared again (every earlier meeting is
    # within the [matching] pairs windows of it); the congress -> 2024 pair keeps its changes.
    assert sorted(report.matching.recomputed) == [("cpc-20-congress", "cpc-20-cc-3-plenum"),
                                                  ("two-sessions-2024", "cpc-20-cc-3-plenum")]


def test_a_rule_change_forces_a_full_run(work, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    settings = Settings(project_dir=project, articles_dir=work.articles_dir, db_url=work.db_url)
    shutil.copy2(SAMPLE[0], work.articles_dir / SAMPLE[0].name)
    engine = connect(settings.db_url)
    assert build(engine, settings, render=False).full
    assert not build(engine, settings, render=False).full
    # The project's own topics.toml: one topic added to the packaged lexicon.
    (project / "topics.toml").write_text('[[topic]]\nid = "ports"\nlabel = "Ports"\nterms = ["ports"]\n')
    assert build(engine, Settings(project_dir=project, articles_dir=work.articles_dir, db_url=work.db_url), render=False).full


def test_comments_layout_and_worker_counts_do_not_force_a_full_run(work, tmp_path):
    """The fingerprint is of the validated settings: an override restating a default (another
    layout, a comment) and tracker.toml's worker counts change no result, so no full run."""
    project = tmp_path / "project"
    project.mkdir()
    settings = lambda: Settings(project_dir=project, articles_dir=work.articles_dir, db_url=work.db_url)
    shutil.copy2(SAMPLE[0], work.articles_dir / SAMPLE[0].name)
    engine = connect(work.db_url)
    assert build(engine, settings(), render=False).full
    (project / "rules.toml").write_text("# tuned\n[detection]\ntitle_weight  =  4.00\n", encoding="utf-8")
    (project / "commitments.toml").write_text("# nothing changed yet\n", encoding="utf-8")
    (project / "tracker.toml").write_text("[performance]\nworkers = 2\n", encoding="utf-8")
    assert not build(engine, settings(), render=False).full


def test_run_summary_reports_what_changed(work):
    engine = connect(work.db_url)
    for p in SAMPLE:
        shutil.copy2(p, work.articles_dir / p.name)
    first = build(engine, work, render=False)
    assert sorted(first.summary["meetings_added"]) == ["cpc-20-cc-3-plenum", "cpc-20-congress", "two-sessions-2024"]
    (work.articles_dir / "004_632af777cb7a8f71.txt").unlink()
    second = build(engine, work, render=False).summary
    assert second["articles"]["removed"] == ["004_632af777cb7a8f71.txt"]
    assert second["meetings_removed"] == ["cpc-20-congress"]
    assert second["commitments_removed"] > 0
    quiet = build(engine, work, render=False).summary
    assert quiet["commitments_added"] == 0 and not any(quiet["changes"].values())


# ---------------------------------------------------------------- failures leave the previous state


@pytest.mark.parametrize("stage", ["ingest", "extract", "match", "render"])
def test_failure_mid_run_leaves_database_and_site_as_before(work, monkeypatch, stage):
    engine = connect(work.db_url)
    for p in SAMPLE[:3]:
        shutil.copy2(p, work.articles_dir / p.name)
    build(engine, work)
    db_before, site_before = dump(engine), tree(work.site_dir)
    for p in SAMPLE[3:]:
        shutil.copy2(p, work.articles_dir / p.name)
    (work.articles_dir / SAMPLE[0].name).write_text("China will build more ports.\n" + SAMPLE[0].read_text())

    class Crash(RuntimeError):
        pass

    calls = {"n": 0}

    def crash_after_first(original):
        def wrapper(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] >= 2:
                raise Crash(stage)
            return original(*args, **kwargs)
        return wrapper

    if stage == "ingest":
        import tracker.ingest as ingest_module
        # Storing, not reading: an error reading one file is that file's skip (test_hostile_input).
        monkeypatch.setattr(ingest_module, "language_of", crash_after_first(ingest_module.language_of))
    elif stage == "extract":
        import tracker.extract as extract_module
        monkeypatch.setattr(extract_module, "extract_meeting", crash_after_first(extract_module.extract_meeting))
    elif stage == "match":
        import tracker.matching as matching_module
        monkeypatch.setattr(matching_module, "compare", crash_after_first(matching_module.compare))
    else:
        import timeline.writer as writer_module
        monkeypatch.setattr(writer_module.Writer, "text", crash_after_first(writer_module.Writer.text))
    with pytest.raises(Crash):
        build(engine, work)
    assert dump(engine) == db_before
    assert tree(work.site_dir) == site_before
    assert not [p for p in work.site_dir.parent.iterdir() if p.name.startswith(".site") or p.name.startswith("site.")], \
        "temporary site folders left behind"


# ---------------------------------------------------------------- one run at a time


def test_second_run_waits_then_exits_with_its_own_code(work, tmp_path):
    from filelock import FileLock

    with FileLock(str(work.lock_path)):
        started = time.monotonic()
        result = CliRunner().invoke(app, ["build", "--no-site", "--articles", str(work.articles_dir),
                                          "--db", work.db_url, "--lock-timeout", "0.5"])
        waited = time.monotonic() - started
    assert result.exit_code == EXIT_LOCKED
    assert "another tracker run holds" in result.stderr
    assert waited >= 0.4


def test_lock_of_a_killed_run_does_not_block_the_next(work, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from filelock import FileLock; l = FileLock(sys.argv[1]); l.acquire(); "
                               "print('held', flush=True); time.sleep(60)", str(work.lock_path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert work.lock_path.exists()  # the file stays; the lock does not
    result = CliRunner().invoke(app, ["build", "--no-site", "--articles", str(work.articles_dir),
                                      "--db", work.db_url, "--lock-timeout", "1"])
    assert result.exit_code == 0, result.stderr


def test_unreachable_database_is_a_clear_message(work):
    result = CliRunner().invoke(app, ["build", "--no-site", "--articles", str(work.articles_dir),
                                      "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:9/none"])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert "secret" not in result.stderr
    assert "127.0.0.1" in result.stderr


# ---------------------------------------------------------------- bad input in a nightly run


def test_mixed_good_and_bad_folder_builds_the_good_and_reports_the_bad(work, monkeypatch):
    engine = connect(work.db_url)
    for p in SAMPLE:
        shutil.copy2(p, work.articles_dir / p.name)
    build(engine, work, render=False)
    stored_before = dump(engine)["articles"]

    folder = work.articles_dir
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "latin.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 400)  # no common encoding fits
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (folder / "frontmatter.md").write_text("---\ntitle: [unclosed\n---\nChina will build ports.\n")
    (folder / "nomeeting.md").write_text("---\nmeeting: 99th Party Congress\n---\nChina will build ports.\n")
    os.symlink("loop.txt", folder / "loop.txt")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "parent")  # a folder loop os.walk must not follow
    (folder / "vanishing.txt").write_text("gone soon")
    (folder / "secret.txt").write_text("locked")
    (folder / "good-new.md").write_text("---\nmeeting: 2019 Two Sessions\n---\nChina will vigorously build more ports.\n")

    real_open = Path.open

    def guarded_open(self, *args, **kwargs):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    real_os_open = os.open

    def guarded_os_open(path, *args, **kwargs):  # articles are opened with os.open (not blocking)
        if os.fspath(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied")
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_os_open)

    def on_file(rel):
        if rel == "binary.txt" and (folder / "vanishing.txt").exists():
            (folder / "vanishing.txt").unlink()

    report = build(engine, work, render=False, on_file=on_file)
    reasons = {p.file: p.reason for p in report.ingest.skipped}
    assert set(reasons) >= {"empty.txt", "binary.txt", "latin.txt", "huge.txt", "frontmatter.md", "nomeeting.md",
                            "loop.txt", "vanishing.txt", "secret.txt"}, reasons
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert "too large" in reasons["huge.txt"] and "malformed front matter" in reasons["frontmatter.md"]
    assert "unknown meeting" in reasons["nomeeting.md"] and "disappeared" in reasons["vanishing.txt"]
    assert "permission" in reasons["secret.txt"].lower()
    assert report.ingest.added == ["good-new.md"]
    assert "two-sessions-2019" in report.commitments
    stored_after = {a[0]: a for a in dump(engine)["articles"]}
    for article in stored_before:
        assert stored_after[article[0]] == article  # nothing stored earlier was lost


def test_cli_exit_code_says_files_were_skipped(work):
    (work.articles_dir / "empty.txt").write_bytes(b"")
    shutil.copy2(SAMPLE[0], work.articles_dir / SAMPLE[0].name)
    result = CliRunner().invoke(app, ["build", "--no-site", "--articles", str(work.articles_dir), "--db", work.db_url,
                                      "--format", "json"])
    assert result.exit_code == EXIT_SKIPPED
    data = json.loads(result.stdout)
    assert data["run"]["articles"]["skipped"][0]["file"] == "empty.txt" and data["exit_code"] == EXIT_SKIPPED


# ---------------------------------------------------------------- property test


front_matter = st.one_of(
    st.just(""),
    st.builds(lambda t, m: f"---\ntitle: {t}\nmeeting: {m}\n---\n", st.text(max_size=30), st.text(max_size=30)),
    st.builds(lambda k, v: f"+++\n{k} = {v}\n+++\n", st.text(max_size=10), st.text(max_size=20)),
    st.text(max_size=60).map(lambda t: f"---\n{t}\n---\n"),
)
words = st.sampled_from(["China", "will", "build", "the", "Xi", "vowed", "to", "promote", "AI", "EV", "exports", "grew",
                         "10", "percent", "in", "2023", "such", "as", "ports,", "chips,", "and", "data.", "•", "-",
                         "U.S.", "Oct.", "16", "“quote”", "—", "\n", "\n\n", "Subscribe", "?", "(L)", "By", "Two Sessions"])
bodies = st.one_of(st.text(max_size=400), st.lists(words, max_size=80).map(" ".join))


@hyp_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fm=front_matter, body=bodies, encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_random_articles_never_crash_and_never_yield_commitments_without_evidence(fm, body, encoding):
    from tracker.articles import ArticleError, parse_article
    from tracker.detection import detect_meeting
    from tracker.commitment_rules import CommitmentRules
    from tracker.extract import ArticleText, extract_meeting
    from tracker.lexicon import load_lexicon
    from tracker.meetings import MeetingNotFound, load_catalog, load_kinds

    settings = _property_settings()
    try:
        raw = (fm + body).encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        parsed = parse_article(raw, "random.txt", settings.rules)
    except ArticleError:
        return
    try:
        detect_meeting(parsed.title, parsed.text, parsed.meta, load_catalog(settings.catalog), load_kinds(settings.catalog),
                       settings.rules)
    except MeetingNotFound:
        pass
    cfg = settings.commitment_rules
    drafts = extract_meeting("m", [ArticleText(1, "random.txt", parsed.text)], CommitmentRules(cfg), load_lexicon(settings),
                             cfg.merge.threshold, settings.performance.threads)
    for draft in drafts:
        assert draft.evidence
        for ev in draft.evidence:
            assert parsed.text[ev.start:ev.end] == ev.sentence and ev.sentence.strip()


_PROPERTY_SETTINGS: list[Settings] = []


def _property_settings() -> Settings:
    if not _PROPERTY_SETTINGS:
        _PROPERTY_SETTINGS.append(Settings(project_dir=ROOT))
    return _PROPERTY_SETTINGS[0]


def test_database_of_another_schema_version_is_refused_clearly(tmp_path):
    from tracker.db import DatabaseError, Setting, connect

    url = f"sqlite:///{tmp_path}/old.db"
    engine = connect(url)
    with Session(engine) as s, s.begin():
        s.get(Setting, "schema_version").value = "0"
    engine.dispose()
    with pytest.raises(DatabaseError, match="schema version 0"):
        connect(url)
    result = CliRunner().invoke(app, ["meetings", "--db", url])
    assert result.exit_code == 1 and "schema version 0" in result.stderr and "Traceback" not in result.stderr


def test_render_writes_only_changed_files_and_restores_missing_or_stale_ones(work):
    from tracker.db import transaction
    from timeline.writer import prepare_site

    for p in SAMPLE:
        shutil.copy2(p, work.articles_dir / p.name)
    engine = connect(work.db_url)
    first = build(engine, work)
    assert first.site_written == first.site_files > 20
    original = tree(work.site_dir)

    def render():
        with transaction(engine) as session:
            prepared = prepare_site(session, work)
        prepared.publish()
        return prepared.written

    assert render() == 0 and tree(work.site_dir) == original  # same database: every file linked

    thread_page = sorted((work.site_dir / "threads").glob("*.html"))[0]
    thread_page.unlink()  # a page someone deleted is written again, not lost
    assert render() == 1 and tree(work.site_dir) == original

    article_page = sorted((work.site_dir / "articles").glob("*.html"))[0]
    article_page.write_text("tampered")  # a page someone changed is written again
    assert render() == 1 and tree(work.site_dir) == original
