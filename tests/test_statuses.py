"""One answer to "what changed from A to B": `tracker diff`, the change pages, the home page's
meetings table, the meeting pages and the compare page's data give the same statuses and
counts for every pair of meetings; coverage-aware statuses ("not covered", "first seen")."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SAMPLE_DIR
from tracker.cli import app
from tracker.config import Settings
from tracker.db import connect, meetings_with_articles, transaction
from tracker.build import build

CHANGE_ORDER = ["strengthened", "new", "persisted", "weakened", "disappeared", "not covered"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("statuses")
    articles = tmp / "articles"
    shutil.copytree(SAMPLE_DIR, articles)
    settings = Settings(project_dir=ROOT, articles_dir=articles, db_url=f"sqlite:///{tmp}/t.db", site_dir=tmp / "site")
    engine = connect(settings.db_url)
    build(engine, settings)
    with transaction(engine) as session:
        meetings = [m.id for m in meetings_with_articles(session)]
    return settings, meetings


def cli_diff(settings: Settings, a: str, b: str) -> dict:
    result = CliRunner().invoke(app, ["diff", a, b, "--format", "json", "--db", settings.db_url])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def compare_file(site: Path, a: str, b: str) -> list:
    text = (site / "compare" / f"{a}--{b}.js").read_text(encoding="utf-8")
    return json.loads(text.split("] = ", 1)[1].rstrip().rstrip(";"))["changes"]


def test_every_pair_agrees_across_the_cli_and_every_page(sample):
    settings, meetings = sample
    site = settings.site_dir
    assert len(meetings) >= 3, "the sample corpus has three meetings"
    compare_data = json.loads(re.search(r'<script type="application/json" id="compare-data">(.*?)</script>',
                                        (site / "compare.html").read_text(encoding="utf-8"), re.S).group(1))
    commitment_ids = [c["id"] for c in compare_data["commitments"]]
    home = (site / "index.html").read_text(encoding="utf-8")
    pairs = [(meetings[i], meetings[j]) for i in range(len(meetings)) for j in range(i + 1, len(meetings))]
    for a, b in pairs:
        cli = cli_diff(settings, a, b)
        cli_changes = sorted((c["status"], (c["from"] or {}).get("id"), (c["to"] or {}).get("id")) for c in cli["changes"])
        counts = cli["counts"]
        assert sum(counts.values()) == len(cli["changes"]) > 0

        # The compare page ships tracker's own changes for the pair, in the change pages' order.
        shipped = compare_file(site, a, b)
        assert sorted((s, commitment_ids[i] if i is not None else None, commitment_ids[j] if j is not None else None)
                      for s, _score, _reason, i, j in shipped) == cli_changes
        assert [s for s, *_ in shipped] == sorted((s for s, *_ in shipped), key=CHANGE_ORDER.index)

        if meetings.index(b) != meetings.index(a) + 1:
            assert (site / "changes" / f"{a}--{b}.html").exists()  # every stored pair has its change page
            continue
        # Consecutive meetings: the change page, the later meeting's page and the home page.
        page = (site / "changes" / f"{a}--{b}.html").read_text(encoding="utf-8")
        for status, n in counts.items():
            section = page.split(f'<section id="status-{status.replace(" ", "-")}"', 1)[1]
            assert f'<span class="count">({n})</span>' in section.split("</summary>", 1)[0], (a, b, status)
        assert page.count("<section id=\"status-") == len(counts)
        line = "; ".join(x for x in (
            ", ".join(f"{counts[s]} {s}" for s in CHANGE_ORDER if s in counts and s != "not covered"),
            f"{counts['not covered']} not covered (counted apart)" if "not covered" in counts else "") if x)
        meeting_page = (site / "meetings" / f"{b}.html").read_text(encoding="utf-8")
        # The later meeting's page: a count per status, each a link to those changes.
        shown = dict(re.findall(rf'<a href="../changes/{a}--{b}.html#status-([\w-]+)"><span class="status[^>]*>[^<]*</span> '
                                r'<span class="count">(\d+)</span></a>', meeting_page))
        assert shown == {s.replace(" ", "-"): str(n) for s, n in counts.items()}, (a, b, shown)
        assert f"{line}</li>" in home
        row = re.search(rf'<th scope="row"><a href="meetings/{b}.html" title=[^>]*>.*?</tr>', home, re.S).group(0)
        cells = [int(n) for n in re.findall(r'<td class="num[^"]*">(\d+)</td>', row)]
        assert cells[2:] == [0] + [counts.get(s, 0) for s in CHANGE_ORDER], (a, b, row)


def test_the_first_meeting_is_first_seen_not_new(sample):
    settings, meetings = sample
    first = (settings.site_dir / "meetings" / f"{meetings[0]}.html").read_text(encoding="utf-8")
    assert "status-first-seen" in first and 'status status-new"' not in first
    home = (settings.site_dir / "index.html").read_text(encoding="utf-8")
    row = re.search(rf'<th scope="row"><a href="meetings/{meetings[0]}.html" title=[^>]*>.*?</tr>', home, re.S).group(0)
    cells = [int(n) for n in re.findall(r'<td class="num[^"]*">(\d+)</td>', row)]
    assert cells[2] == cells[1] > 0, "every commitment of the first meeting is first seen"


def test_silence_of_news_on_a_topic_is_not_covered_but_an_official_text_is_read(tmp_path):
    """The later meeting's news is about technology: the energy pledge is not covered. Once an
    official full text of the later meeting is among the sources, its silence is read."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.md").write_text(
        "---\nmeeting: 2019 Two Sessions\nkind: news\n---\n"
        "China will vigorously develop hydrogen power and wind power.\n\n"
        "China will expand artificial intelligence research in universities.\n", encoding="utf-8")
    (articles / "b.md").write_text(
        "---\nmeeting: 2020 Two Sessions\nkind: news\n---\n"
        "China will expand artificial intelligence research in universities.\n", encoding="utf-8")
    settings = Settings(project_dir=ROOT, articles_dir=articles, db_url=f"sqlite:///{tmp_path}/t.db", site_dir=tmp_path / "site")
    engine = connect(settings.db_url)
    build(engine, settings, render=False)
    result = cli_diff(settings, "two-sessions-2019", "two-sessions-2020")
    hydrogen = next(c for c in result["changes"] if c["from"] and "hydrogen" in c["from"]["text"])
    assert hydrogen["status"] == "not covered"
    assert "1 news; no official full text" in hydrogen["reason"]

    (articles / "b.md").write_text(
        "---\nmeeting: 2020 Two Sessions\nkind: work report\n---\n"
        "We will expand artificial intelligence research in universities.\n", encoding="utf-8")
    build(engine, settings, render=False)
    result = cli_diff(settings, "two-sessions-2019", "two-sessions-2020")
    hydrogen = next(c for c in result["changes"] if c["from"] and "hydrogen" in c["from"]["text"])
    assert hydrogen["status"] == "disappeared"
    assert "official full text (b.md) does not carry it on" in hydrogen["reason"]


def test_unknown_front_matter_kind_is_a_warning_and_the_kind_is_detected(tmp_path):
    from tracker.db import Article

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.md").write_text("---\nmeeting: 2019 Two Sessions\nkind: podcast\n---\n"
                                   "China will expand artificial intelligence research.\n", encoding="utf-8")
    settings = Settings(project_dir=ROOT, articles_dir=articles, db_url=f"sqlite:///{tmp_path}/t.db", site_dir=tmp_path / "site")
    engine = connect(settings.db_url)
    report = build(engine, settings, render=False)
    assert any(p.file == "a.md" and "'podcast' is not a known source kind" in p.reason for p in report.ingest.warnings)
    with transaction(engine) as session:
        (article,) = session.query(Article).all()
        assert article.kind == "news" and article.kind_reason.startswith("news or analysis")


def test_a_pair_outside_the_stored_windows_is_compared_on_demand_the_same_way(sample, tmp_path):
    """`tracker diff` reads the stored changes; for a pair that is not stored it runs the same
    comparison: with every pair stored or none, the answers are identical."""
    settings, meetings = sample
    stored = cli_diff(settings, meetings[0], meetings[-1])
    project = tmp_path / "narrow"  # overrides two keys of the packaged commitments.toml
    project.mkdir()
    (project / "commitments.toml").write_text("[matching]\npairs_nearby = 1\npairs_same_kind = 1\n", encoding="utf-8")
    narrow = Settings(project_dir=project, articles_dir=settings.articles_dir)
    build(connect(narrow.db_url), narrow, render=False)
    result = CliRunner().invoke(app, ["diff", meetings[0], meetings[-1], "-f", "json", "--project", str(project)])
    on_demand = json.loads(result.stdout)
    assert on_demand["changes"] == stored["changes"] and on_demand["counts"] == stored["counts"]


def test_formulations_and_targets_commands(sample):
    settings, meetings = sample
    runner = CliRunner()
    result = runner.invoke(app, ["formulations", "--format", "json", "--db", settings.db_url])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert entries and {"name", "variants", "first_meeting", "last_meeting", "meetings", "frequency", "sentences"} <= set(entries[0])
    for e in entries:
        assert e["first_meeting"] == e["meetings"][0] and e["last_meeting"] == e["meetings"][-1]
        assert sum(e["frequency"].values()) >= len(e["meetings"]) and e["sentences"]
    one = json.loads(runner.invoke(app, ["formulations", "-m", meetings[0], "-f", "json", "--db", settings.db_url]).stdout)
    assert one and all(meetings[0] in e["meetings"] for e in one)
    table = runner.invoke(app, ["formulations", "--db", settings.db_url])
    assert table.exit_code == 0 and "Key formulations" in table.stdout
    page = (settings.site_dir / "formulations.html").read_text(encoding="utf-8")
    assert all(e["name"].replace("'", "&#39;").replace('"', "&#34;") in page for e in entries)

    rows = json.loads(runner.invoke(app, ["targets", "-f", "json", "--db", settings.db_url]).stdout)
    assert rows and {"metric", "meeting", "status", "value", "sentence", "change"} <= set(rows[0])
    assert all(r["status"] in ("set", "none set", "not covered") for r in rows)
    assert all(r["sentence"] for r in rows if r["status"] == "set")
    csv_text = runner.invoke(app, ["targets", "-f", "csv", "--db", settings.db_url]).stdout
    assert csv_text.splitlines()[0].startswith("metric,label,meeting")
    assert len(csv_text.splitlines()) == len(rows) + 1
    assert runner.invoke(app, ["targets", "--metric", "nope", "--db", settings.db_url]).exit_code == 1
    page = (settings.site_dir / "targets.html").read_text(encoding="utf-8")
    assert all(r["value"] in page for r in rows if r["status"] == "set")
    assert (settings.site_dir / "data" / "targets.csv").read_text(encoding="utf-8") == csv_text


def test_source_kind_and_corroboration_are_shown(sample):
    settings, meetings = sample
    page = (settings.site_dir / "meetings" / f"{meetings[1]}.html").read_text(encoding="utf-8")
    assert "Source: news or analysis" in page and "stated in " in page
