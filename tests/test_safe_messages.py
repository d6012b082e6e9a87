"""Nothing from a file or its name is read as rich markup or terminal control, and every report
line stays one line: file names, front-matter values, titles and rule-file words are shown as
they are (controls written out as \\x1b), through one function, tracker.terminal.safe."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from rich.console import Console
from typer.testing import CliRunner

from storage_scenarios import THIRD_PLENUM_ARTICLE, write
from tracker.cli import app
from tracker.terminal import safe

from conftest import ROOT

SHOWN = [
    ("[/b]x.txt", "[/b]x.txt"),
    ("[draft]/e.txt", "[draft]/e.txt"),
    ("see [ingest] max_bytes", "see [ingest] max_bytes"),
    ("[bold red]loud[/]", "[bold red]loud[/]"),
    ("\x1b]0;title\x07.txt", "\\x1b]0;title\\x07.txt"),  # sets the terminal's title
    ("\x1b[2J.txt", "\\x1b[2J.txt"),  # clears the screen
    ("c1\x9b31m.txt", "c1\\x9b31m.txt"),  # the C1 form of ESC [
    ("\u202etxt.exe", "\\u202etxt.exe"),  # right-to-left override
    ("two\nlines\r.txt", "two\\nlines\\r.txt"),
    ("trailing backslash\\", "trailing backslash\\"),
    ("中文 [标题]", "中文 [标题]"),
]


@pytest.mark.parametrize(("raw", "shown"), SHOWN)
def test_safe_text_prints_as_it_is(raw, shown):
    buf = io.StringIO()
    console = Console(file=buf, width=20, soft_wrap=True, emoji=False, color_system="truecolor")
    # Our own markup on both sides still works (a trailing backslash does not escape "[/]").
    console.print(f"[yellow]skipped[/] [dim]{safe(raw)}[/]: empty file", highlight=False)
    text = buf.getvalue()
    assert text == f"\x1b[33mskipped\x1b[0m \x1b[2m{shown}\x1b[0m: empty file\n"


def test_safe_keeps_lines_and_tabs_only_when_asked():
    assert safe("a\tb\nc\x1b") == "a\\tb\\nc\\x1b"
    assert safe("a\tb\nc\x1b", lines=True) == "a\tb\nc\\x1b"


@pytest.fixture
def cli(settings):
    runner = CliRunner(env={"TRACKER_PROJECT": str(settings.project_dir), "TRACKER_DB": None})

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args])

    invoke.settings = settings
    return invoke


def _build(cli, tmp_path):
    return cli("build", "--articles", cli.settings.articles_dir, "--site", tmp_path / "site")


def _assert_harmless(result):
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\x9b" not in result.stderr


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("[/b]x.txt", "[/b]x.txt"),
        ("[draft]/e.txt", "[draft]/e.txt"),
        ("[bold]b.txt", "[bold]b.txt"),
        ("\x1b]0;title\x07.txt", "\\x1b]0;title\\x07.txt"),
        ("\x1b[2J.txt", "\\x1b[2J.txt"),
        (":fire:.txt", ":fire:.txt"),  # no emoji codes
        ("new\nline.txt", "new\\nline.txt"),
    ],
)
def test_a_skipped_file_is_named_as_it_is(cli, tmp_path, name, shown):
    write(cli.settings.articles_dir, "plenum.txt", THIRD_PLENUM_ARTICLE)
    write(cli.settings.articles_dir, name, b"")
    result = _build(cli, tmp_path)
    _assert_harmless(result)
    assert result.exit_code == 3, result.output
    assert f"skipped {shown}: empty file\n" in result.stderr
    assert (tmp_path / "site" / "index.html").exists()
    # The same in `tracker ingest`'s report.
    (cli.settings.articles_dir / name).write_bytes(b"\xff\xfe\x00binary\x00" * 10)
    again = cli("ingest", "--articles", cli.settings.articles_dir)
    _assert_harmless(again)
    assert again.exit_code == 3 and f"skipped {shown}: " in again.stderr


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("'[/red] x'", "'[/red] x'"),
        ("'[bold]x[/bold]'", "'[bold]x[/bold]'"),
        ('"\\e[2J"', "'\\x1b[2J'"),  # YAML's \e is ESC; the message quotes it with repr()
        ('"\\e]0;owned\\a"', "'\\x1b]0;owned\\x07'"),
    ],
)
def test_a_front_matter_value_is_shown_as_it_is(cli, tmp_path, value, shown):
    write(cli.settings.articles_dir, "plenum.txt", THIRD_PLENUM_ARTICLE)
    write(cli.settings.articles_dir, "bad.md", f"---\nmeeting: {value}\n---\nChina will act.\n")
    result = _build(cli, tmp_path)
    _assert_harmless(result)
    assert result.exit_code == 3, result.output
    line = next(x for x in result.stderr.splitlines() if x.startswith("skipped bad.md"))
    assert line.startswith(f"skipped bad.md: front matter names an unknown meeting: no meeting matches {shown}")


def test_a_word_in_brackets_from_a_rule_file_is_kept(cli, tmp_path):
    (cli.settings.project_dir / "rules.toml").write_text("[ingest]\nmax_bytes = 200\n", encoding="utf-8")
    write(cli.settings.articles_dir, "big.txt", "China will act. " * 40)
    result = cli("ingest", "--articles", cli.settings.articles_dir)
    _assert_harmless(result)
    assert result.exit_code == 3, result.output
    assert "see [ingest] max_bytes in rules.toml" in result.stderr


def test_a_title_with_markup_and_controls_is_shown_as_it_is(cli, tmp_path):
    title = '"[/b] [red]Plenum\\e[2J"'
    write(
        cli.settings.articles_dir,
        "[x]plenum.md",
        f"---\ntitle: {title}\nmeeting: cpc-20-cc-3-plenum\n---\n{THIRD_PLENUM_ARTICLE}",
    )
    assert _build(cli, tmp_path).exit_code == 0
    result = cli("show", "cpc-20-cc-3-plenum")
    _assert_harmless(result)
    assert result.exit_code == 0, result.output
    assert "- [x]plenum.md: [/b] [red]Plenum\\x1b[2J" in result.stdout
    assert "\x1b" not in result.stdout


def test_report_lines_do_not_wrap_when_stderr_is_a_file(tmp_path):
    """The cron example: stderr appended to a log file. Rich wrapped every line at 80 columns."""
    articles = tmp_path / "articles"
    long_name = "a-file-name-that-is-much-longer-than-eighty-columns-" * 3 + "[draft].txt"
    write(articles, "plenum.txt", THIRD_PLENUM_ARTICLE)
    write(articles, long_name, b"")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TRACKER_DB", "TRACKER_PROJECT")}
    log = tmp_path / "nightly.err"
    with open(log, "w", encoding="utf-8") as err, open(tmp_path / "nightly.jsonl", "w") as out:
        code = subprocess.call(
            [sys.executable, "-c", "from tracker.cli import app; app()", "build", "--format", "json",
             "--project", tmp_path, "--site", tmp_path / "site"],
            stdout=out, stderr=err, env=env, cwd=ROOT, timeout=600,
        )
    assert code == 3
    lines = log.read_text(encoding="utf-8").splitlines()
    assert f"skipped {long_name}: empty file" in lines
    summary = [line for line in lines if line.startswith("Full build:")]
    assert len(summary) == 1 and len(summary[0]) > 80
    assert summary[0].endswith("/index.html in a browser.")
    assert any(line.startswith("ingest: 1 added") and line.endswith("1 skipped") for line in lines)
