"""Hostile input (issue 16): no input file can end the run, exhaust the machine, or publish a
file from outside the articles folder; and the same folder gives the same database however it
was built up."""

from __future__ import annotations

import os
import tomllib
import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import select
from storage_scenarios import FIFTH_PLENUM_ARTICLE, THIRD_PLENUM_ARTICLE, run_ingest, skipped, stored_articles, write
from typer.testing import CliRunner

from tracker.articles import ArticleError, parse_article
from tracker.cli import app

TWO_SESSIONS = "# Work report\n\nThe 2024 Two Sessions opened in Beijing on March 5, 2024.\n"
BODY = "\nThe Third Plenum of the 20th Central Committee closed in Beijing on July 18, 2024.\n"
# 438 bytes of YAML that expand to 9**9 strings (the 375-byte file: 5.2 GB of memory, 108 s).
LAUGHS = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "title: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "---\n" + BODY
).encode()


@pytest.fixture
def cli(settings):
    runner = CliRunner(env={"TRACKER_PROJECT": str(settings.project_dir), "TRACKER_DB": None, "COLUMNS": "300"})

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return invoke


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr


# ---------------------------------------------------------------- every input problem is one skipped file


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"---\ndate: 2024-02-30\n---\n" + BODY.encode(), "front matter date '2024-02-30' is not a real date"),
        (b"---\ndate: 2024-07-18 25:00:00\n---\n" + BODY.encode(), "is not a real date"),
        (b"+++\ndate = 2024-02-30\n+++\n" + BODY.encode(), "malformed front matter"),
        (LAUGHS, "malformed front matter: YAML anchors and aliases (&name, *name) are not allowed"),
        (b"---\ntitle: &t Plenum\nsource: x\n---\n" + BODY.encode(), "anchors and aliases"),
        (b"---\ntitle: " + b"1" * 6000 + b"\n---\n" + BODY.encode(), "malformed front matter: ValueError"),
        (b"---\ntitle: " + b"[" * 50_000 + b"\n---\n" + BODY.encode(), "malformed front matter: RecursionError"),
        (b"---\ntitle: !!python/object:os.system [ls]\n---\n" + BODY.encode(), "could not determine a constructor"),
        (b'---\ntitle: "\\ud800"\n---\n' + BODY.encode(), "lone surrogate"),
        (b"---\ntitle: " + b"x" * 501 + b"\n---\n" + BODY.encode(), "front matter title is 501 characters long"),
        (
            b"---\nurl: https://e.org/" + b"x" * 2000 + b"\n---\n" + BODY.encode(),
            "front matter url is 2,014 characters",
        ),
        (b"---\nmeeting: " + b"Plenum " * 100 + b"\n---\n" + BODY.encode(), "front matter meeting is 699 characters"),
    ],
    ids=[
        "impossible-date",
        "impossible-time",
        "toml-impossible-date",
        "billion-laughs",
        "anchor",
        "huge-int",
        "deep-nesting",
        "python-tag",
        "lone-surrogate",
        "long-title",
        "long-url",
        "long-meeting",
    ],
)
def test_a_hostile_file_is_one_skip_and_the_good_files_of_the_run_are_stored(cli, stored_settings, content, reason):
    write(stored_settings.articles_dir, "a_good.txt", THIRD_PLENUM_ARTICLE)
    write(stored_settings.articles_dir, "b_bad.md", content)
    write(stored_settings.articles_dir, "c_good.md", TWO_SESSIONS)

    result = cli("ingest", "--db", stored_settings.db_url, "--articles", stored_settings.articles_dir)

    no_traceback(result)
    assert result.exit_code == 3, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(lines) == 1 and lines[0].startswith("skipped b_bad.md:") and reason in " ".join(result.stderr.split())
    assert sorted(stored_articles(stored_settings)) == ["a_good.txt", "c_good.md"]


def test_a_title_yaml_would_read_as_an_impossible_date_is_a_title(stored_settings):
    write(stored_settings.articles_dir, "a.txt", b"---\ntitle: 2024-13-01\n---\n" + BODY.encode())
    report = run_ingest(stored_settings)
    assert report.skipped == []
    stored = stored_articles(stored_settings)["a.txt"]
    assert stored["title"] == "2024-13-01" and stored["meeting_id"] == "cpc-20-cc-3-plenum"


def test_a_valid_front_matter_date_is_still_a_date(rules):
    parsed = parse_article(b"---\ndate: 2024-07-18\n---\n" + BODY.encode(), "a.txt", rules)
    assert parsed.meta["date"].isoformat() == "2024-07-18"


@pytest.mark.parametrize("value", ["2024-03-05 morning", "2024-03-05 10am", "2024-03-05Tgarbage"])
def test_a_date_yaml_does_not_read_as_a_timestamp_is_text(rules, value):
    parsed = parse_article(f"---\ndate: {value}\n---\n{BODY}".encode(), "a.txt", rules)
    assert parsed.meta["date"] == value  # read later as any date in text is, not an error


def test_a_title_found_in_the_page_is_cut_to_the_bound(rules):
    html = f"<html><head><title>{'Plenum ' * 200}</title></head><body><p>{BODY}</p></body></html>"
    parsed = parse_article(html.encode(), "a.html", rules)
    assert len(parsed.title) == rules["ingest"]["max_chars"]["title"] == 500


def test_many_unknown_keys_give_a_short_warning(rules):
    keys = "".join(f"key{i}{'x' * 100}: 1\n" for i in range(50))
    parsed = parse_article(f"---\n{keys}---\n{BODY}".encode(), "a.txt", rules)
    assert len(parsed.warnings) == 1 and parsed.warnings[0].endswith("and 42 more") and len(parsed.warnings[0]) < 500


def test_a_file_name_that_is_not_utf8_is_skipped_with_an_escaped_name(cli, stored_settings):
    folder = os.fsencode(stored_settings.articles_dir)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as fh:
        fh.write(THIRD_PLENUM_ARTICLE.encode())
    write(stored_settings.articles_dir, "good.md", TWO_SESSIONS)

    result = cli("ingest", "--db", stored_settings.db_url, "--articles", stored_settings.articles_dir)

    no_traceback(result)
    assert result.exit_code == 3
    assert "skipped caf\\xe9.txt: file name is not valid UTF-8: rename the file" in result.stderr
    assert sorted(stored_articles(stored_settings)) == ["good.md"]


def test_a_file_deleted_while_the_folder_is_listed_is_said_to_have_vanished(settings, monkeypatch):
    write(settings.articles_dir, "good.txt", THIRD_PLENUM_ARTICLE)
    real_walk = os.walk

    def walk_listing_a_file_that_is_gone(top, *args, **kwargs):
        for root, dirs, names in real_walk(top, *args, **kwargs):
            yield root, dirs, [*names, "ghost.txt"] if Path(root) == settings.articles_dir else names

    monkeypatch.setattr(os, "walk", walk_listing_a_file_that_is_gone)
    report = run_ingest(settings)
    assert skipped(report) == {"ghost.txt": "vanished while the folder was listed"}
    assert report.added == ["good.txt"]


def test_an_unforeseen_error_in_one_file_is_one_skip(stored_settings, monkeypatch):
    import tracker.ingest

    def parse_with_a_bug(raw, file, rules):
        if file == "b.txt":
            raise KeyError("a bug nobody foresaw")
        return parse_article(raw, file, rules)

    monkeypatch.setattr(tracker.ingest, "parse_article", parse_with_a_bug)
    write(stored_settings.articles_dir, "a.txt", THIRD_PLENUM_ARTICLE)
    write(stored_settings.articles_dir, "b.txt", THIRD_PLENUM_ARTICLE)
    write(stored_settings.articles_dir, "c.md", TWO_SESSIONS)
    report = run_ingest(stored_settings)
    assert skipped(report) == {"b.txt": "cannot be read: unexpected KeyError: 'a bug nobody foresaw'"}
    assert report.added == ["a.txt", "c.md"]


# ---------------------------------------------------------------- bounded resources


def test_the_alias_file_costs_a_bounded_multiple_of_its_size(rules):
    """README: reading one file peaks at under 20x its size plus 1 MB of memory. The alias file
    (438 bytes here) once took 5.2 GB."""
    assert len(LAUGHS) < 500
    parse_article(THIRD_PLENUM_ARTICLE.encode(), "warm.md", rules)  # imports and caches
    tracemalloc.start()
    try:
        with pytest.raises(ArticleError):
            parse_article(LAUGHS, "laughs.md", rules)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * len(LAUGHS) + 1_000_000


def test_reading_a_large_article_costs_a_bounded_multiple_of_its_size(rules):
    text = ("The Third Plenum of the 20th Central Committee closed on July 18, 2024. " * 8 + "\n\n") * 400
    raw = ("---\ntitle: Plenum\n---\n" + text).encode()
    parse_article(THIRD_PLENUM_ARTICLE.encode(), "warm.md", rules)
    tracemalloc.start()
    try:
        parse_article(raw, "big.md", rules)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * len(raw) + 1_000_000


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def test_the_alias_file_adds_nothing_to_the_site_nor_the_database(cli, settings):
    write(settings.articles_dir, "a_good.txt", THIRD_PLENUM_ARTICLE)
    site = settings.project_dir / "site"
    assert cli("build", "--db", settings.db_url, "--articles", settings.articles_dir).exit_code == 0
    before_site = site_bytes(site)
    before_db = Path(settings.db_url.removeprefix("sqlite:///")).stat().st_size
    write(settings.articles_dir, "b_laughs.md", LAUGHS)
    result = cli("build", "--db", settings.db_url, "--articles", settings.articles_dir)
    no_traceback(result)
    assert result.exit_code == 3
    assert site_bytes(site) - before_site <= 20 * len(LAUGHS)
    assert Path(settings.db_url.removeprefix("sqlite:///")).stat().st_size - before_db <= 20 * len(LAUGHS) + 8192


# ---------------------------------------------------------------- nothing from outside the folder

PASSWD = "root:x:0:0:root:/root:/bin/bash\nThe Third Plenum of the 20th Central Committee closed on July 18, 2024.\n"


@pytest.fixture
def outside_file(tmp_path) -> Path:
    """A stand-in for /etc/passwd (its real content differs between machines)."""
    secret = tmp_path / "etc" / "passwd.txt"
    secret.parent.mkdir()
    secret.write_text(PASSWD)
    return secret


def test_a_symlink_out_of_the_folder_is_neither_ingested_nor_published(cli, stored_settings, outside_file):
    os.symlink(outside_file, stored_settings.articles_dir / "passwd.txt")
    if Path("/etc/passwd").exists():
        os.symlink("/etc/passwd", stored_settings.articles_dir / "etc_passwd.txt")
    write(stored_settings.articles_dir, "good.txt", THIRD_PLENUM_ARTICLE)

    result = cli("build", "--db", stored_settings.db_url, "--articles", stored_settings.articles_dir)

    no_traceback(result)
    assert result.exit_code == 3
    assert "skipped passwd.txt: a symlink to a file outside the articles folder" in " ".join(result.stderr.split())
    assert sorted(stored_articles(stored_settings)) == ["good.txt"]
    published = b"".join(p.read_bytes() for p in (stored_settings.project_dir / "site").rglob("*") if p.is_file())
    assert b"root:x:0:0" not in published and b"good" in published


def test_a_symlink_inside_the_folder_is_read(settings):
    write(settings.articles_dir, "real/plenum.txt", THIRD_PLENUM_ARTICLE)
    os.symlink(settings.articles_dir / "real" / "plenum.txt", settings.articles_dir / "link.txt")
    report = run_ingest(settings)
    assert report.skipped == [] and report.added == ["link.txt", "real/plenum.txt"]


def test_links_out_of_the_folder_are_read_when_the_rules_allow_them(settings, outside_file):
    (settings.project_dir / "rules.toml").write_text("[ingest]\nfollow_symlinks_outside = true\n")
    os.symlink(outside_file, settings.articles_dir / "passwd.txt")
    report = run_ingest(settings)
    assert report.skipped == [] and report.added == ["passwd.txt"]


def test_a_link_swapped_after_listing_is_refused_when_read(settings, outside_file, monkeypatch):
    """The check is made again when the file is read: a link swapped in between is refused."""
    import tracker.ingest

    path = write(settings.articles_dir, "plenum.txt", THIRD_PLENUM_ARTICLE)
    real_scan = tracker.ingest.scan_articles

    def scan_then_swap(*args, **kwargs):
        listed = real_scan(*args, **kwargs)
        path.unlink()
        os.symlink(outside_file, path)
        return listed

    monkeypatch.setattr(tracker.ingest, "scan_articles", scan_then_swap)
    report = run_ingest(settings)
    assert list(skipped(report)) == ["plenum.txt"]
    assert skipped(report)["plenum.txt"].startswith("a symlink to a file outside the articles folder")
    assert stored_articles(settings) == {}


def test_an_article_stored_through_a_link_out_of_the_folder_is_removed(stored_settings, outside_file):
    from tracker.config import Settings

    (stored_settings.project_dir / "rules.toml").write_text("[ingest]\nfollow_symlinks_outside = true\n")
    os.symlink(outside_file, stored_settings.articles_dir / "passwd.txt")
    run_ingest(stored_settings)
    (stored_settings.project_dir / "rules.toml").write_text("[ingest]\nfollow_symlinks_outside = false\n")
    report = run_ingest(
        Settings(stored_settings.project_dir, stored_settings.articles_dir, db_url=stored_settings.db_url)
    )
    assert report.removed == ["passwd.txt"] and stored_articles(stored_settings) == {}


# ---------------------------------------------------------------- corrections that cannot corrupt themselves


@pytest.fixture
def two_commitments(cli, settings, sample_copy):
    from tracker.db import Commitment, Meeting, connect, transaction

    assert cli("build", "--db", settings.db_url, "--articles", settings.articles_dir).exit_code == 0
    engine = connect(settings.db_url)
    with transaction(engine) as session:
        rows = session.execute(select(Commitment.id, Meeting.start).join(Meeting)).all()
    engine.dispose()
    earliest, latest = min(rows, key=lambda r: r[1]), max(rows, key=lambda r: r[1])
    assert earliest[1] < latest[1]
    return earliest[0], latest[0]


@pytest.mark.parametrize(
    "note",
    ["ok 😀", 'quotes " and \\ backslash', "control \x01 and tab\t and newline\nend", "𠀀 beyond the BMP"],
    ids=["emoji", "quotes", "control", "cjk-ext-b"],
)
def test_a_link_note_with_any_text_keeps_the_corrections_file_valid(cli, settings, two_commitments, note):
    a, b = two_commitments
    result = cli("link", a, b, "--note", note, "--db", settings.db_url)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    written = tomllib.loads((settings.project_dir / "corrections.toml").read_text(encoding="utf-8"))
    assert written["link"] == [{"from": a, "to": b, "note": note}]
    again = cli("build", "--db", settings.db_url, "--articles", settings.articles_dir)
    no_traceback(again)
    assert again.exit_code == 0, again.output
    assert cli("diff", "--db", settings.db_url, "20th Party Congress", "Third Plenum").exit_code == 0


def test_a_lone_surrogate_in_a_note_is_replaced_not_written(tmp_path):
    from tracker.corrections import load_corrections, save_correction

    path = tmp_path / "corrections.toml"
    save_correction(path, "unlink", "a1", "b2", "bytes from a terminal: \udce9")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["unlink"][0]["note"] == "bytes from a terminal: \ufffd"
    assert load_corrections(path).forbid == {("a1", "b2")}


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b'[[link]]\nfrom = "a"\nto = "b"\nnote = "\\ud83d\\ude00"\n', "line 4"),
        (b'[[link]]\nfrom = "a"\nto = \n', "line 3"),
        (b'# caf\xe9\n[[link]]\nfrom = "a"\nto = "b"\n', "line 1"),
    ],
    ids=["surrogate-escapes", "missing-value", "not-utf8"],
)
def test_a_malformed_corrections_file_stops_the_build_with_one_line(cli, stored_settings, content, said):
    write(stored_settings.articles_dir, "plenum.txt", THIRD_PLENUM_ARTICLE)
    (stored_settings.project_dir / "corrections.toml").write_bytes(content)
    result = cli("build", "--db", stored_settings.db_url, "--articles", stored_settings.articles_dir)
    no_traceback(result)
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "corrections.toml: not valid TOML" in message and said in message
    assert stored_articles(stored_settings) == {}  # nothing changed


# ---------------------------------------------------------------- consistency: inferred meetings

# Names the Fifth Plenum, which the catalog lacks, without dating it: only z_fifth.txt dates it.
NAMES_IT_IN_FRONT_MATTER = "---\nmeeting: Fifth Plenum of the 20th Central Committee\n---\nThe plenum adopted a plan.\n"
NAMES_IT_IN_THE_TEXT = (
    "What the plenum means for markets\n\nInvestors are still digesting the communique of the Fifth Plenary "
    "Session of the 20th CPC Central Committee, which called for faster growth in consumption.\n"
)


def dump(settings) -> tuple[dict, list, dict]:
    """article -> meeting; commitment ids; inferred meeting -> (dates, inferred_from)."""
    from tracker.db import Article, Commitment, Meeting, connect, transaction

    engine = connect(settings.db_url)
    with transaction(engine) as session:
        articles = {a.file: a.meeting_id for a in session.scalars(select(Article))}
        commitments = sorted(session.scalars(select(Commitment.id)))
        inferred = {
            m.id: (m.start, m.end, m.inferred_from)
            for m in session.scalars(select(Meeting).where(Meeting.inferred.is_(True)))
        }
    engine.dispose()
    return articles, commitments, inferred


def build_now(settings, full: bool = False) -> None:
    from tracker.build import build
    from tracker.db import connect

    engine = connect(settings.db_url)
    try:
        build(engine, settings, render=False, full=full)
    finally:
        engine.dispose()


@pytest.mark.parametrize("first", [NAMES_IT_IN_FRONT_MATTER, NAMES_IT_IN_THE_TEXT], ids=["front-matter", "text"])
@pytest.mark.parametrize("history", ["fresh", "inferring-file-first", "naming-file-first", "full-rebuild"])
def test_an_article_sorted_before_the_one_inferring_its_meeting_is_assigned_alike(
    stored_settings, tmp_path, first, history
):
    from tracker.config import Settings

    fresh = Settings(
        project_dir=tmp_path, articles_dir=stored_settings.articles_dir, db_url=f"sqlite:///{tmp_path}/f.db"
    )
    names, infers = stored_settings.articles_dir / "a_names.txt", stored_settings.articles_dir / "z_fifth.txt"
    if history == "inferring-file-first":
        infers.write_text(FIFTH_PLENUM_ARTICLE)
        build_now(stored_settings)
        names.write_text(first)
    elif history == "naming-file-first":
        names.write_text(first)
        build_now(stored_settings)
        infers.write_text(FIFTH_PLENUM_ARTICLE)
    else:
        names.write_text(first)
        infers.write_text(FIFTH_PLENUM_ARTICLE)
        if history == "full-rebuild":
            build_now(stored_settings)
    build_now(stored_settings, full=history == "full-rebuild")
    build_now(fresh)

    assert dump(stored_settings) == dump(fresh)
    assert dump(fresh)[0] == {"a_names.txt": "cpc-20-cc-5-plenum", "z_fifth.txt": "cpc-20-cc-5-plenum"}


def test_when_the_inferring_article_goes_the_naming_one_is_assigned_as_a_fresh_build_would(stored_settings, tmp_path):
    from tracker.config import Settings

    (stored_settings.articles_dir / "a_names.txt").write_text(NAMES_IT_IN_THE_TEXT)
    infers = stored_settings.articles_dir / "z_fifth.txt"
    infers.write_text(FIFTH_PLENUM_ARTICLE)
    build_now(stored_settings)
    infers.unlink()
    build_now(stored_settings)
    fresh = Settings(
        project_dir=tmp_path, articles_dir=stored_settings.articles_dir, db_url=f"sqlite:///{tmp_path}/f.db"
    )
    build_now(fresh)
    assert dump(stored_settings) == dump(fresh)
    assert dump(fresh)[0] == {"a_names.txt": None} and dump(fresh)[2] == {}


def test_when_the_inferring_article_goes_front_matter_naming_its_meeting_is_a_skip_that_keeps_the_stored_version(
    stored_settings,
):
    """The one documented difference from a fresh build: a skipped file keeps what was stored."""
    (stored_settings.articles_dir / "a_names.txt").write_text(NAMES_IT_IN_FRONT_MATTER)
    infers = stored_settings.articles_dir / "z_fifth.txt"
    infers.write_text(FIFTH_PLENUM_ARTICLE)
    run_ingest(stored_settings)
    infers.unlink()
    report = run_ingest(stored_settings)
    assert list(skipped(report)) == ["a_names.txt"]
    assert skipped(report)["a_names.txt"].startswith("front matter names an unknown meeting")
    assert dump(stored_settings)[0] == {"a_names.txt": "cpc-20-cc-5-plenum"}


# Two articles that date the Fifth Plenum differently (the catalog lacks it; one of them is
# wrong by a day): the first in file order dates it, whichever was stored first.
DATES_IT_A_DAY_LATER = (
    "Fifth Plenum adopts the plan\n\nThe Fifth Plenum of the 20th Central Committee was held in Beijing from "
    "October 21 to 24, 2026, and adopted recommendations for the next plan.\n"
)


@pytest.mark.parametrize("stored_first", ["a_later.txt", "z_fifth.txt"])
def test_two_articles_dating_the_same_missing_meeting_give_the_dates_of_a_fresh_build(
    stored_settings, tmp_path, stored_first
):
    from tracker.config import Settings

    texts = {"a_later.txt": DATES_IT_A_DAY_LATER, "z_fifth.txt": FIFTH_PLENUM_ARTICLE}
    (stored_settings.articles_dir / stored_first).write_text(texts[stored_first])
    build_now(stored_settings)
    for name, text in texts.items():
        (stored_settings.articles_dir / name).write_text(text)
    build_now(stored_settings)
    fresh = Settings(
        project_dir=tmp_path, articles_dir=stored_settings.articles_dir, db_url=f"sqlite:///{tmp_path}/f.db"
    )
    build_now(fresh)
    assert dump(stored_settings) == dump(fresh)
    assert set(dump(fresh)[0].values()) == {"cpc-20-cc-5-plenum"}


@pytest.mark.parametrize(
    "relative",
    ["/".join(f"section{i:02d}" for i in range(1, 26)) + "/report.txt", "q_" + "L" * 245 + ".txt"],
    ids=["deep-folders", "long-name"],
)
def test_a_long_path_is_an_article_page_with_a_short_name(stored_settings, relative):
    from tracker.build import build
    from tracker.db import connect

    path = stored_settings.articles_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(THIRD_PLENUM_ARTICLE)
    engine = connect(stored_settings.db_url)
    try:
        report = build(engine, stored_settings)
    finally:
        engine.dispose()
    assert report.site_written > 0 and relative in stored_articles(stored_settings)
    pages = [p.name for p in (stored_settings.site_dir / "articles").iterdir()]
    assert len(pages) == 1 and len(pages[0].encode()) <= 140, pages


def test_a_file_swapped_for_a_pipe_after_listing_is_skipped_without_waiting(tmp_path):
    from tracker.article_files import read_article_bytes
    from tracker.articles import ArticleError

    pipe = tmp_path / "a300.txt"
    os.mkfifo(pipe)  # nobody writes to it: opening it to read would wait for ever
    with pytest.raises(ArticleError, match="not a regular file"):
        read_article_bytes(pipe, 5_000_000, inside=tmp_path)
