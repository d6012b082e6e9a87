"""The `tracker` command follows the conventions people expect of a CLI: meeting names in any word
order with the year anywhere, ambiguous names listed (exit 4), typos answered with suggestions,
the ids other commands take shown, one line per meeting, `diff` with a summary line, status
order, --stat, --exit-code and CSV, --version, and tables readable at 80 columns."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from tracker import __version__
from tracker.cli import app
from tracker.diff_report import CSV_COLUMNS, diff_csv
from tracker.meetings import AmbiguousMeeting, MeetingNotFound, find_meeting
from tracker.statuses import BY_NAME, CHANGES

from conftest import SAMPLE_DIR

ANSI = re.compile(r"\x1b\[[0-9;]*m")

NINETEENTH_PLENUM = """---
title: Communique of the Third Plenum of the 19th Central Committee
meeting: cpc-19-cc-3-plenum
date: 2018-02-28
---
The Central Committee will deepen the reform of Party and state institutions.

China will accelerate the building of a modern economic system and will strengthen the rule of law.
"""

# The same readout for two conferences: nothing changes from one to the other.
CEWC = """---
title: Readout of the Central Economic Work Conference
meeting: {meeting}
---
China will keep economic growth stable and will expand domestic demand.

The government will support private enterprises and will stabilise employment.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The sample corpus, a 19th Central Committee Third Plenum (so "Third Plenum" names two
    meetings with articles) and two identical conference readouts, built once."""
    root = tmp_path_factory.mktemp("conventions")
    articles = root / "articles"
    articles.mkdir()
    for path in SAMPLE_DIR.iterdir():
        shutil.copy2(path, articles / path.name)
    (articles / "plenum19.md").write_text(NINETEENTH_PLENUM, encoding="utf-8")
    for meeting in ("cewc-2022", "cewc-2023"):
        (articles / f"{meeting}.md").write_text(CEWC.format(meeting=meeting), encoding="utf-8")
    run = _runner(root, 300)
    result = run("build", "--full", "--no-site")
    assert result.exit_code == 0, result.output
    return root


def _runner(root, columns: int, terminal: bool = False):
    env = {"TRACKER_PROJECT": str(root), "TRACKER_DB": None, "COLUMNS": str(columns)}
    if terminal:  # rich lays out for a terminal of COLUMNS columns (and wraps there)
        env |= {"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    runner = CliRunner(env=env)

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args])

    return invoke


@pytest.fixture(scope="module")
def cli(project):
    return _runner(project, 300)


# ---------------------------------------------------------------- naming a meeting


@pytest.fixture
def find(catalog, rules):
    return lambda spec, prefer=frozenset(): find_meeting(spec, catalog, rules, prefer=prefer, ambiguous=True).id


@pytest.mark.parametrize(
    ("spec", "meeting_id"),
    [
        ("NPC 2024", "two-sessions-2024"),
        ("2024 NPC", "two-sessions-2024"),
        ("npc 2024", "two-sessions-2024"),
        ("Third Plenum 2024", "cpc-20-cc-3-plenum"),
        ("2024 Third Plenum", "cpc-20-cc-3-plenum"),
        ("Third 2024 Plenum", "cpc-20-cc-3-plenum"),
        ("two sessions 2024", "two-sessions-2024"),
        ("2024 two sessions", "two-sessions-2024"),
        ("Lianghui 2024", "two-sessions-2024"),
        ("CEWC 2019", "cewc-2019"),
        ("Fourth Plenum 2019", "cpc-19-cc-4-plenum"),
        ("Party Congress 20th", "cpc-20-congress"),
    ],
)
def test_a_name_in_any_word_order_with_the_year_anywhere(find, spec, meeting_id):
    assert find(spec) == meeting_id


@pytest.mark.parametrize(
    ("spec", "ids"),
    [
        ("Third Plenum", {"cpc-18-cc-3-plenum", "cpc-19-cc-3-plenum", "cpc-20-cc-3-plenum"}),
        ("plenum third", {"cpc-18-cc-3-plenum", "cpc-19-cc-3-plenum", "cpc-20-cc-3-plenum"}),
        ("Two Sessions", None),  # every year's
    ],
)
def test_an_ambiguous_name_lists_its_candidates(find, spec, ids):
    with pytest.raises(AmbiguousMeeting) as raised:
        find(spec)
    found = {m.id for m in raised.value.candidates}
    if ids is not None:
        assert found == ids
    else:
        assert len(found) > 10 and all(i.startswith("two-sessions-") for i in found)
    for meeting_id in found if len(found) <= 12 else ():
        assert meeting_id in str(raised.value)


def test_an_ambiguous_name_is_taken_when_one_candidate_has_articles(find):
    assert find("Third Plenum", prefer={"cpc-19-cc-3-plenum", "cpc-20-congress"}) == "cpc-19-cc-3-plenum"


@pytest.mark.parametrize(
    ("spec", "suggestion", "ids"),
    [
        ("Thrid Plenum", "'Third Plenum'", "cpc-20-cc-3-plenum, cpc-19-cc-3-plenum, cpc-18-cc-3-plenum"),
        ("Thrid Plenum 2024", "'Third Plenum 2024'", "(cpc-20-cc-3-plenum)"),
        ("Two Sesions 2024", "'Two Sessions 2024'", "(two-sessions-2024)"),
        ("20th Party Congres", "'20th Party Congress'", "(cpc-20-congress)"),
    ],
)
def test_a_typo_gets_did_you_mean(find, spec, suggestion, ids):
    with pytest.raises(MeetingNotFound) as raised:
        find(spec)
    assert not isinstance(raised.value, AmbiguousMeeting)
    message = str(raised.value)
    assert f"no meeting matches {spec!r}" in message and "did you mean " + suggestion in message and ids in message


def test_nonsense_gets_no_suggestion(find):
    with pytest.raises(MeetingNotFound) as raised:
        find("Summit of Nowhere")
    assert "did you mean" not in str(raised.value)


@pytest.mark.parametrize(
    ("spec", "meeting_id"),
    [
        ("NPC 2024", "two-sessions-2024"),
        ("2024 NPC", "two-sessions-2024"),
        ("Third Plenum 2024", "cpc-20-cc-3-plenum"),
        ("two sessions 2024", "two-sessions-2024"),
        ("2024 two sessions", "two-sessions-2024"),
        ("Third Plenum 2018", "cpc-19-cc-3-plenum"),
        ("二十届三中全会", "cpc-20-cc-3-plenum"),  # Chinese names keep working
        ("十九届三中全会", "cpc-19-cc-3-plenum"),
    ],
)
def test_show_takes_these_names(cli, spec, meeting_id):
    result = cli("show", spec, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == meeting_id


def test_show_of_an_ambiguous_name_lists_the_candidates_and_exits_4(cli):
    result = cli("show", "Third Plenum")
    assert result.exit_code == 4 and result.stdout == ""
    assert "'Third Plenum' names 3 meetings" in result.stderr
    lines = result.stderr.splitlines()
    for meeting_id in ("cpc-19-cc-3-plenum", "cpc-20-cc-3-plenum"):
        assert any(line.strip().startswith(meeting_id) and "(has articles)" in line for line in lines)
    assert any(line.strip().startswith("cpc-18-cc-3-plenum") and "has articles" not in line for line in lines)


def test_a_name_whose_only_candidate_with_articles_is_taken_says_so(cli):
    result = cli("show", "Two Sessions", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "two-sessions-2024"
    note = result.stderr.strip()
    assert note.startswith("note: 'Two Sessions' taken as two-sessions-2024, the one with articles (also: ")
    also = note.split("(also: ")[1]
    assert "two-sessions-2023" in also and "two-sessions-2024" not in also


def test_a_name_none_of_whose_candidates_has_articles_is_ambiguous(cli):
    result = cli("show", "Fourth Plenum")
    assert result.exit_code == 4 and result.stdout == ""
    assert "'Fourth Plenum' names " in result.stderr and "cpc-19-cc-4-plenum" in result.stderr


def test_show_of_a_typo_suggests_and_exits_4(cli):
    result = cli("show", "Thrid Plenum")
    assert result.exit_code == 4 and result.stdout == ""
    assert "did you mean 'Third Plenum' (cpc-20-cc-3-plenum, cpc-19-cc-3-plenum, cpc-18-cc-3-plenum)?" in result.stderr


# ---------------------------------------------------------------- ids and one line per meeting


@pytest.mark.parametrize(("columns", "terminal"), [(300, False), (80, True), (80, False)])
def test_commitments_show_the_ids_link_takes_and_unbroken_evidence(project, cli, columns, terminal):
    data = json.loads(cli("commitments", "NPC 2024", "--format", "json").stdout)
    result = _runner(project, columns, terminal)("commitments", "NPC 2024")
    assert result.exit_code == 0, result.output
    out = ANSI.sub("", result.stdout)
    assert data
    cited = 0
    for commitment in data:
        assert commitment["id"] in out
        for ev in commitment["evidence"]:
            place = f"{ev['file']}:{ev['start']}-{ev['end']}"
            if ev["source"] or ev["date"]:  # the outlet and date, where known, beside the place
                place += f" ({', '.join(p for p in (ev['source'], ev['date']) if p)})"
                cited += 1
            assert place in out
    assert cited
    if terminal:
        assert max(len(line) for line in out.splitlines()) <= columns


def test_an_id_from_the_commitments_table_is_what_link_takes(project, cli):
    first = re.search(r"\b[0-9a-f]{12}\b", cli("commitments", "cewc-2022").stdout).group()
    second = re.search(r"\b[0-9a-f]{12}\b", cli("commitments", "cewc-2023").stdout).group()
    result = cli("link", first, second, "--note", "test")
    assert result.exit_code == 0, result.output
    assert cli("unlink", first, second).exit_code == 0


@pytest.mark.parametrize(("columns", "terminal"), [(300, False), (80, True), (80, False)])
def test_meetings_prints_one_line_per_meeting_and_files_only_when_asked(project, cli, columns, terminal):
    data = json.loads(cli("meetings", "--format", "json").stdout)
    run = _runner(project, columns, terminal)
    out = ANSI.sub("", run("meetings").stdout)
    rows = [line for line in out.splitlines() if re.match(r"^\s*[a-z]+-[\w-]+\s", line)]
    assert [row.split()[0] for row in rows] == [m["id"] for m in data]
    files = [a["file"] for m in data for a in m["articles"]]
    assert not any(f in out for f in files)
    assert max(len(line) for line in out.splitlines()) <= columns
    with_files = ANSI.sub("", run("meetings", "--files").stdout)
    assert all(f"  {f}" in with_files.splitlines() for f in files)


# ---------------------------------------------------------------- diff


def test_diff_starts_with_a_summary_line_and_lists_statuses_in_order(cli):
    data = json.loads(cli("diff", "20th Party Congress", "NPC 2024", "--format", "json").stdout)
    counts = data["counts"]
    assert len(counts) >= 3
    total = sum(n for s, n in counts.items() if s != "not covered")
    policy = ", ".join(f"{counts[s]} {s}" for s in CHANGES if s in counts and s != "not covered")
    summary = f"{total} changes: {policy}" + (
        f"; {counts['not covered']} not covered (counted apart)" if "not covered" in counts else ""
    )
    markdown = cli("diff", "20th Party Congress", "NPC 2024", "--format", "markdown", "--limit", "0").stdout
    assert markdown.splitlines()[2] == summary
    headings = [h.lower() for h in re.findall(r"^## ([A-Z][a-z]+(?: covered)?)", markdown, re.M)]
    assert headings == [s for s in CHANGES if s in counts]
    for args in ([], ["--stat"]):
        table = cli("diff", "20th Party Congress", "NPC 2024", *args)
        assert table.stdout.splitlines()[1] == summary, args


@pytest.mark.parametrize("terminal", [True, False])
def test_diff_at_80_columns_keeps_ids_and_evidence_whole(project, cli, terminal):
    data = json.loads(cli("diff", "20th Party Congress", "NPC 2024", "--format", "json").stdout)
    out = ANSI.sub("", _runner(project, 80, terminal)("diff", "20th Party Congress", "NPC 2024", "-n", "0").stdout)
    sections = re.findall(r"^(.+?) \((\d+)\) ─+$", out, re.M)
    assert sections == [(BY_NAME[s].title, str(n)) for s, n in data["counts"].items()]
    assert list(data["counts"]) == [s for s in CHANGES if s in data["counts"]]
    for change in data["changes"]:
        for side in (change["from"], change["to"]):
            if side:
                ev = side["evidence"][0]
                assert f"{side['id']}  {ev['file']}:{ev['start']}" in out
    if terminal:
        assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("a", "b", "args", "code"),
    [
        ("20th Party Congress", "NPC 2024", ["--exit-code"], 1),
        ("20th Party Congress", "NPC 2024", ["--exit-code", "--stat"], 1),
        ("20th Party Congress", "NPC 2024", ["--exit-code", "--format", "json"], 1),
        ("20th Party Congress", "NPC 2024", ["--exit-code", "--status", "persisted"], 0),
        ("20th Party Congress", "NPC 2024", [], 0),
        ("cewc-2022", "cewc-2023", ["--exit-code"], 0),  # the same readout twice: nothing changed
        ("cewc-2022", "cewc-2023", [], 0),
    ],
)
def test_diff_exit_code(cli, a, b, args, code):
    result = cli("diff", a, b, *args)
    assert result.exit_code == code, result.output


def test_the_identical_pair_really_is_unchanged(cli):
    data = json.loads(cli("diff", "cewc-2022", "cewc-2023", "--format", "json").stdout)
    assert data["changes"] and set(data["counts"]) == {"persisted"}


def test_diff_csv_holds_every_change(cli):
    data = json.loads(cli("diff", "20th Party Congress", "NPC 2024", "--format", "json").stdout)
    result = cli("diff", "20th Party Congress", "NPC 2024", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(r["status"], r["from_id"], r["to_id"]) for r in rows] == [
        (c["status"], (c["from"] or {}).get("id", ""), (c["to"] or {}).get("id", "")) for c in data["changes"]
    ]
    assert [r["to_text"] for r in rows] == [(c["to"] or {}).get("text", "") for c in data["changes"]]
    refused = cli("diff", "20th Party Congress", "NPC 2024", "--format", "csv", "--limit", "3")
    assert refused.exit_code == 1 and refused.stdout == ""


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1 more", "'+1 more"),
        ("-2 fewer", "'-2 fewer"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+1", "'  =1+1"),
        ("We will, \"quoted\"\nand more", "We will, \"quoted\"\nand more"),
    ],
)
def test_diff_csv_neutralises_formula_cells_and_escapes(text, cell):
    side = {"id": "abc", "meeting": "m", "language": "en", "text": text, "evidence": []}
    result = {"counts": {"new": 1}, "changes": [{"status": "new", "score": None, "reason": text, "from": None, "to": side}]}
    rows = list(csv.reader(io.StringIO(diff_csv(result))))
    assert rows[1][CSV_COLUMNS.index("to_text")] == cell
    assert rows[1][CSV_COLUMNS.index("reason")] == cell


# ---------------------------------------------------------------- --version


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"tracker (policy-tracker) {__version__}\n"


# ---------------------------------------------------------------- groups, short names, titles, same meeting


def _catalog_json(cli) -> list[dict]:
    return json.loads(cli("meetings", "--all", "--format", "json").stdout)


def _listed(stderr: str) -> list[str]:
    """The ids an ambiguous name's error lists, in its order."""
    return [line.split()[0] for line in stderr.splitlines()[1:] if line.startswith("  ") and "..." not in line]


def test_show_of_a_bare_year_lists_the_meetings_held_in_it(cli):
    every = _catalog_json(cli)
    held = [m for m in every if "2024" in (m["start"][:4], m["end"][:4])]
    with_articles = {m["id"] for m in held if m["articles"]}
    assert len(with_articles) > 1  # the sample's NPC and Third Plenum: articles do not pick one
    result = cli("show", "2024")
    assert result.exit_code == 4 and result.stdout == ""
    assert "no meeting matches" not in result.stderr
    assert f"'2024' names {len(held)} meetings" in result.stderr
    expected = [m["id"] for m in sorted(held, key=lambda m: (m["start"], m["id"]), reverse=True)]
    assert _listed(result.stderr) == expected[:12]
    for line in result.stderr.splitlines()[1:]:
        assert ("(has articles)" in line) == (line.split()[0] in with_articles)


@pytest.mark.parametrize(("spec", "kind"), [("Plenum", "plenum"), ("Party Congress", "party_congress")])
def test_show_of_a_kind_word_lists_that_kind_latest_first(cli, spec, kind):
    of_kind = sorted((m for m in _catalog_json(cli) if m["kind"] == kind), key=lambda m: m["start"], reverse=True)
    result = cli("show", spec)
    assert result.exit_code == 4 and result.stdout == ""
    assert f"{spec!r} names {len(of_kind)} meetings" in result.stderr
    assert _listed(result.stderr) == [m["id"] for m in of_kind][:12]
    hidden = len(of_kind) - 12
    assert (f"... and {hidden} more" in result.stderr) == (hidden > 0)


def _short(meeting: dict) -> str:
    """What the site shows a meeting as (timeline's own function, not a copy)."""
    from types import SimpleNamespace

    from timeline.model import short_label

    return short_label(SimpleNamespace(name=meeting["name"], aliases=meeting["aliases"]))


@pytest.mark.parametrize(("columns", "terminal"), [(80, True), (80, False), (300, False)])
def test_meetings_gives_a_long_name_by_its_short_name(project, cli, columns, terminal):
    data = [json.loads(cli("show", m["id"], "--format", "json").stdout) for m in _catalog_json(cli) if m["articles"]]
    out = ANSI.sub("", _runner(project, columns, terminal)("meetings").stdout)
    rows = {line.split()[0]: line for line in out.splitlines() if re.match(r"^\s*[a-z]+-[\w-]+\s", line)}
    assert set(rows) == {m["id"] for m in data}
    shortened = 0
    for m in data:
        row = rows[m["id"]]
        if columns >= 300:
            assert f" {m['name']} " in row  # wide: the full name
            continue
        short = _short(m)
        assert len(short) < len(m["name"]) and "…" not in row, row
        assert f" {m['name']} " in row or f" {short} " in row, row
        shortened += f" {short} " in row
    assert shortened or columns >= 300
    assert max(len(line) for line in out.splitlines()) <= columns


def _cut_title(title: str, cut: str) -> bool:
    """Whether `cut` is `title` or its start cut at a word, with "…", in at most 60 columns."""
    if cut == title:
        return len(title) <= 60
    return cut.endswith("…") and len(cut) <= 60 and (title + " ").startswith(cut[:-1].rstrip(" ,;:.-") + " ")


@pytest.mark.parametrize(("columns", "terminal"), [(300, False), (80, True), (80, False)])
def test_commitments_cite_each_evidences_title(project, cli, columns, terminal):
    data = json.loads(cli("commitments", "NPC 2024", "--format", "json").stdout)
    out = ANSI.sub("", _runner(project, columns, terminal)("commitments", "NPC 2024").stdout)
    titles = {ev["title"] for c in data for ev in c["evidence"] if ev["title"]}
    assert titles
    shown = re.findall(r"“([^”]+)”", out)
    for title in titles:
        assert any(_cut_title(title, s) for s in shown), title


@pytest.mark.parametrize(("columns", "terminal"), [(300, False), (80, True), (80, False)])
def test_diff_cites_each_sides_title_and_keeps_ids_whole(project, cli, columns, terminal):
    data = json.loads(cli("diff", "20th Party Congress", "NPC 2024", "--format", "json").stdout)
    out = ANSI.sub("", _runner(project, columns, terminal)("diff", "20th Party Congress", "NPC 2024", "-n", "0").stdout)
    lines = out.splitlines()
    shown = re.findall(r"“([^”]+)”", out)
    cited = 0
    for change in data["changes"]:
        for side in (change["from"], change["to"]):
            if side and side["evidence"][0]["title"]:
                assert any(_cut_title(side["evidence"][0]["title"], s) for s in shown)
                cited += 1
            if side and columns < 120:  # blocks: the id and place on a line, the title on the next
                ev = side["evidence"][0]
                i = next(i for i, line in enumerate(lines) if line.startswith(f"{side['id']}  {ev['file']}:{ev['start']}"))
                if ev["title"]:
                    assert lines[i + 1].startswith("“")
    assert cited
    if terminal:
        assert max(len(line) for line in lines) <= columns


def test_diff_csv_cites_each_evidences_article(cli):
    data = json.loads(cli("diff", "20th Party Congress", "NPC 2024", "--format", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(cli("diff", "20th Party Congress", "NPC 2024", "--format", "csv").stdout)))
    # The columns there were stay where they were; the citations come after them.
    assert CSV_COLUMNS[:13] == ["status", "score", "reason", "from_id", "from_meeting", "from_language", "from_text",
                                "from_evidence", "to_id", "to_meeting", "to_language", "to_text", "to_evidence"]
    assert len(rows) == len(data["changes"])
    titled = 0
    for row, change in zip(rows, data["changes"]):
        for name in ("from", "to"):
            side = change[name] or {"evidence": []}
            for key in ("title", "source", "date", "url"):
                expected = "; ".join(ev[key] or "" for ev in side["evidence"])
                assert row[f"{name}_{key}"] == expected
            titled += any(ev["title"] for ev in side["evidence"])
    assert titled


def test_evidence_titles_in_tables_are_cut_at_a_word_and_shown_as_text():
    from rich.console import Console

    from tracker.diff_report import print_diff_table
    from tracker.terminal import cut_at_word

    long_title = "China’s Third Plenum and the [bold]future[/bold] of technology policy \x1b[2J in a long headline"
    cut = cut_at_word(long_title)
    assert len(cut) <= 60 and cut.endswith("…") and long_title.startswith(cut[:-1])
    assert long_title[len(cut) - 1] == " "  # at a word
    assert cut_at_word("二十届三中全会" * 10, 20).endswith("…")
    ev = {"file": "a.md", "start": 5, "end": 40, "title": long_title, "source": None, "date": None, "url": None}
    side = {"id": "0123456789ab", "meeting": "m", "language": "en", "text": "China will act.", "evidence": [ev]}
    result = {"from": {"name": "A", "start": "2024-01-01", "end": "2024-01-01"},
              "to": {"name": "B", "start": "2024-07-01", "end": "2024-07-01"},
              "counts": {"new": 1}, "changes": [{"status": "new", "score": None, "reason": "r", "from": None, "to": side}]}
    for width in (80, 200):
        buf = io.StringIO()
        print_diff_table(Console(file=buf, width=width, emoji=False), result)
        out = buf.getvalue()
        assert "\x1b" not in out and "[bold]future" in out, out  # rich markup is text, ESC written out
        assert "0123456789ab  a.md:5" in out


@pytest.mark.parametrize(
    ("a", "b", "args"),
    [
        ("NPC 2024", "NPC 2024", ["--exit-code"]),
        ("two-sessions-2024", "2024 NPC", ["--exit-code"]),  # two names of one meeting
        ("NPC 2024", "NPC 2024", []),
        ("NPC 2024", "NPC 2024", ["--format", "json", "--exit-code"]),
    ],
)
def test_diff_of_a_meeting_with_itself_is_a_usage_error(cli, a, b, args):
    result = cli("diff", a, b, *args)
    assert result.exit_code == 2, result.output  # not 1, what --exit-code says for "changed"
    assert result.stdout == "" and "FROM and TO are the same meeting (two-sessions-2024)" in result.stderr
    assert "Traceback" not in result.output
