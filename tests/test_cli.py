"""The `tracker` command through typer's CliRunner: exit codes, and JSON alone on stdout."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from storage_scenarios import SAMPLE_FILES, THIRD_PLENUM_ARTICLE, write
from tracker.cli import app

MEETING_KEYS = {"id", "name", "kind", "start", "end", "inferred", "articles", "commitments"}


@pytest.fixture
def cli(settings):
    # The project (rules, corrections) is the temp folder, named by $TRACKER_PROJECT.
    # COLUMNS: a wide terminal, so rich does not wrap the tables and lines the tests read.
    runner = CliRunner(env={"TRACKER_PROJECT": str(settings.project_dir), "TRACKER_DB": None, "COLUMNS": "300"})
    # This runner must keep stderr apart from stdout, or "JSON only on stdout" cannot be tested.
    probe = runner.invoke(app, ["--help"])
    assert probe.exit_code == 0 and hasattr(probe, "stderr") and probe.stderr == ""

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    invoke.db = settings.db_url
    invoke.project = settings.project_dir
    invoke.articles = settings.articles_dir
    return invoke


@pytest.fixture
def ingested(cli, sample_copy):
    result = cli("ingest", "--db", cli.db, "--articles", cli.articles)
    assert result.exit_code == 0, result.output
    return cli


def test_ingest_clean_folder_exits_0(cli):
    write(cli.articles, "plenum.txt", THIRD_PLENUM_ARTICLE)
    result = cli("ingest", "--db", cli.db, "--articles", cli.articles)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # progress and the summary go to stderr
    assert "ingest: 1 added, 0 changed, 0 unchanged, 0 removed, 0 skipped" in result.stderr


def test_ingest_with_a_skipped_file_exits_3_and_names_it(cli):
    write(cli.articles, "plenum.txt", THIRD_PLENUM_ARTICLE)
    write(cli.articles, "empty.txt", b"")
    result = cli("ingest", "--db", cli.db, "--articles", cli.articles)
    assert result.exit_code == 3, result.output
    assert "skipped empty.txt: empty file" in result.stderr
    assert "1 added" in result.stderr and "1 skipped" in result.stderr
    # The good file was stored: a second run with the bad file gone is clean and unchanged.
    (cli.articles / "empty.txt").unlink()
    again = cli("ingest", "--db", cli.db, "--articles", cli.articles)
    assert again.exit_code == 0
    assert "0 added, 0 changed, 1 unchanged" in again.stderr


def test_ingest_json_report_is_the_only_stdout(cli):
    write(cli.articles, "plenum.txt", THIRD_PLENUM_ARTICLE)
    write(cli.articles, "empty.txt", b"")
    result = cli("ingest", "--db", cli.db, "--articles", cli.articles, "--format", "json")
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert report["added"] == ["plenum.txt"]
    assert report["skipped"] == [{"file": "empty.txt", "reason": "empty file"}]
    assert report["unchanged"] == 0


def test_ingest_with_an_unusable_database_exits_1(cli, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    result = cli("ingest", "--db", f"sqlite:///{blocker}/t.db", "--articles", cli.articles)
    assert result.exit_code == 1
    assert "error:" in result.stderr


def test_meetings_json_is_valid_json_and_nothing_else(ingested):
    result = ingested("meetings", "--db", ingested.db, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # raises if anything but JSON is on stdout
    assert isinstance(data, list)
    assert [m["id"] for m in data] == ["cpc-20-congress", "two-sessions-2024", "cpc-20-cc-3-plenum"]
    for meeting in data:
        assert set(meeting) == MEETING_KEYS
        assert isinstance(meeting["inferred"], bool) and meeting["inferred"] is False
        assert isinstance(meeting["commitments"], int)
        for article in meeting["articles"]:
            assert set(article) == {"file", "title"}
    congress = data[0]
    assert congress["name"] == "20th National Congress of the Communist Party of China"
    assert congress["kind"] == "party_congress"
    assert (congress["start"], congress["end"]) == ("2022-10-16", "2022-10-22")
    assert congress["articles"] == [{"file": "004_632af777cb7a8f71.txt",
                                     "title": "Key tech policies from China’s 20th Communist Party Congress"}]
    assert sorted(a["file"] for m in data for a in m["articles"]) == SAMPLE_FILES


def test_meetings_all_lists_the_whole_catalog(ingested):
    data = json.loads(ingested("meetings", "--db", ingested.db, "--format", "json", "--all").stdout)
    from tracker.config import Settings
    from tracker.meetings import load_catalog

    assert len(data) == len(load_catalog(Settings(project_dir=ingested.project).catalog)) >= 50
    assert [m["start"] for m in data] == sorted(m["start"] for m in data)


def test_meetings_table_goes_to_stdout(ingested):
    result = ingested("meetings", "--db", ingested.db, "--files")  # file names only with --files
    assert result.exit_code == 0
    assert "cpc-20-cc-3-plenum" in result.stdout
    assert "001_bec66fbcd87b5ca6.txt" in result.stdout


def test_meetings_on_an_empty_database_is_an_empty_list(cli):
    assert cli("ingest", "--db", cli.db, "--articles", cli.articles).exit_code == 0  # no articles
    result = cli("meetings", "--db", cli.db, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("spec", "meeting_id"),
    [("20th party congress", "cpc-20-congress"), ("2024-07-16", "cpc-20-cc-3-plenum"),
     ("Third Plenum", "cpc-20-cc-3-plenum"), ("two-sessions-2024", "two-sessions-2024")],
)
def test_show_by_alias_id_or_date(ingested, spec, meeting_id):
    result = ingested("show", spec, "--db", ingested.db, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == meeting_id
    assert data["articles"], "the meeting has articles"
    for article in data["articles"]:
        assert set(article) == {"file", "title", "date", "assignment"}
        assert article["assignment"]


def test_show_table_states_the_article_date_and_why(ingested):
    result = ingested("show", "20th Party Congress", "--db", ingested.db)
    assert result.exit_code == 0, result.output
    assert "20th National Congress of the Communist Party of China" in result.stdout
    assert "2022-10-16 to 2022-10-22" in result.stdout
    assert "004_632af777cb7a8f71.txt" in result.stdout
    assert "states 2022-10-16" in result.stdout
    assert "20th Party Congress" in result.stdout


def test_show_unknown_meeting_exits_4(ingested):
    result = ingested("show", "nosuchmeeting", "--db", ingested.db)
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "no meeting matches 'nosuchmeeting'" in result.stderr


def test_show_unknown_meeting_in_json_mode_prints_no_stdout(ingested):
    result = ingested("show", "nosuchmeeting", "--db", ingested.db, "--format", "json")
    assert result.exit_code == 4
    assert result.stdout == ""


# ------------------------------------------------------------------------------------------
# tracker diff on two long reports: --limit and --stat keep it readable; JSON stays complete


@pytest.fixture
def reports_built(cli, tmp_path):
    from test_site import write_reports

    write_reports(cli.articles)
    result = cli("build", "--full", "--db", cli.db, "--articles", cli.articles, "--site", tmp_path / "site")
    assert result.exit_code == 0, result.output
    return cli


def markdown_groups(text: str) -> dict[str, tuple[int, int, str]]:
    """status -> (count in its heading, items listed, the '… N more' line or '')."""
    out = {}
    for title, n, body in re.findall(r"^## (\w+) \((\d+)\)\n(.*?)(?=^## |\Z)", text, re.S | re.M):
        more = re.search(r"^\*… .*\*$", body, re.M)
        out[title.lower()] = (int(n), len(re.findall(r"^- \*\*", body, re.M)), more.group() if more else "")
    return out


def test_diff_of_long_reports_limits_each_status_and_says_how_many_more(reports_built):
    cli = reports_built
    full = cli("diff", "two-sessions-2019", "two-sessions-2020", "--db", cli.db, "--format", "json")
    assert full.exit_code == 0, full.output
    data = json.loads(full.stdout)
    assert set(data) == {"from", "to", "changes", "counts"}
    counts: dict[str, int] = {}
    for change in data["changes"]:
        counts[change["status"]] = counts.get(change["status"], 0) + 1
    assert len(data["changes"]) > 60 and max(counts.values()) > 20, counts

    for args, limit in ((["--limit", "3"], 3), ([], 20), (["--limit", "0"], 0)):
        result = cli("diff", "two-sessions-2019", "two-sessions-2020", "--db", cli.db, "--format", "markdown", *args)
        assert result.exit_code == 0, result.output
        groups = markdown_groups(result.stdout)
        assert {s: n for s, (n, _listed, _more) in groups.items()} == counts
        for status, (n, listed, more) in groups.items():
            assert listed == (min(n, limit) if limit else n), (status, args)
            if limit and n > limit:
                assert more == f"*… {n - limit} more {status} not shown (--limit {limit}; --limit 0 shows all)*"
            else:
                assert more == ""
    # The table says the same (wide terminal: one line each).
    table = cli("diff", "two-sessions-2019", "two-sessions-2020", "--db", cli.db, "--limit", "2")
    assert table.exit_code == 0, table.output
    for status, n in counts.items():
        if n > 2:
            assert f"… {n - 2} more {status} not shown (--limit 2; --limit 0 shows all)" in table.stdout
    assert ", ".join(f"{counts[s]} {s}" for s in ("strengthened", "new", "persisted", "weakened", "disappeared") if s in counts) in table.stdout


def test_diff_stat_prints_only_the_counts_per_status(reports_built):
    cli = reports_built
    data = json.loads(cli("diff", "two-sessions-2019", "two-sessions-2020", "--db", cli.db, "--format", "json").stdout)
    counts: dict[str, int] = {}
    for change in data["changes"]:
        counts[change["status"]] = counts.get(change["status"], 0) + 1
    table = cli("diff", "two-sessions-2019", "two-sessions-2020", "--db", cli.db, "--stat")
    assert table.exit_code == 0, table.output
    rows = dict(re.findall(r"^(\w+) +(\d+)$", table.stdout, re.M))
    assert rows == {**{s: str(n) for s, n in counts.items()}, "total": str(len(data["changes"]))}
    assert "We will" not in table.stdout  # no commitment text
    markdown = cli("diff", "two-sessions-2019", "two-sessions-2020", "--db", cli.db, "--stat", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert "| status | changes |" in markdown.stdout and f"| total | {len(data['changes'])} |" in markdown.stdout
    for status, n in counts.items():
        assert f"| {status} | {n} |" in markdown.stdout
    assert "We will" not in markdown.stdout
    # Filters narrow the counts; JSON refuses --stat and --limit (it always lists every change).
    only = cli("diff", "two-sessions-2019", "two-sessions-2020", "--db", cli.db, "--stat", "--status", "new")
    assert dict(re.findall(r"^(\w+) +(\d+)$", only.stdout, re.M)) == {"new": str(counts.get("new", 0)), "total": str(counts.get("new", 0))}
    for extra in (["--stat"], ["--limit", "5"]):
        refused = cli("diff", "two-sessions-2019", "two-sessions-2020", "--db", cli.db, "--format", "json", *extra)
        assert refused.exit_code == 1 and refused.stdout == "" and "JSON always lists every change" in refused.stderr
