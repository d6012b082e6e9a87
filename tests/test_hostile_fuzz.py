"""The probe of issue 16 as a test: random bytes, random front matter (YAML tags, aliases, huge
numbers, impossible dates) and random file names go through `tracker ingest`; it exits 0 or 3,
never with a traceback, and the articles stored before are still there after."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storage_scenarios import THIRD_PLENUM_ARTICLE, stored_articles
from typer.testing import CliRunner

from tracker.cli import app
from tracker.config import Settings

BODY = "\nThe 2024 Two Sessions opened in Beijing on March 5, 2024, and set a growth target.\n"

SCALARS = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
    st.just("9" * 5000),  # more digits than int() converts
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99)),
    st.sampled_from(
        [
            "!!python/object:os.system [ls]",
            "!!binary aGVsbG8=",
            "!!set {a, b}",
            "!!timestamp x",
            "&a [1, 2]",
            "*a",
            "*undefined",
            "1e999",
            ".nan",
            "~",
            "[[[[[[",
            "{a: ",
            '"\\ud800"',
            "2024-02-30",
            "2024-13-01",
            "0000-00-00",
            "2024-07-18 25:61:00",
        ]
    ),
)
KEYS = st.sampled_from(["title", "meeting", "date", "source", "url", "kind", "Title", "2024-02-30", "&k x", "? [a]"])
YAML_FRONT_MATTER = st.lists(st.tuples(KEYS, SCALARS), max_size=6).map(
    lambda pairs: "---\n" + "".join(f"{k}: {v}\n" for k, v in pairs) + "---\n"
)
TOML_FRONT_MATTER = st.lists(st.tuples(KEYS, SCALARS), max_size=4).map(
    lambda pairs: "+++\n" + "".join(f"{k} = {v}\n" for k, v in pairs) + "+++\n"
)
CONTENT = st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.one_of(YAML_FRONT_MATTER, TOML_FRONT_MATTER), st.text(max_size=200)).map(
        lambda parts: (parts[0] + parts[1] + BODY).encode("utf-8", "surrogatepass")
    ),
)
# File names as bytes: any byte but "/" and NUL, so also names that are not UTF-8.
NAME = (
    st.binary(min_size=1, max_size=40)
    .map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))
    .filter(lambda b: b not in (b".", b".."))
)
FILES = st.lists(st.tuples(NAME, st.sampled_from([b".txt", b".md", b".html"]), CONTENT), min_size=1, max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=FILES)
def test_random_input_never_aborts_the_run_nor_loses_stored_articles(tmp_path_factory, files):
    project = tmp_path_factory.mktemp("fuzz")
    articles = project / "articles"
    articles.mkdir()
    (articles / "stored.txt").write_text(THIRD_PLENUM_ARTICLE)
    db_url = f"sqlite:///{project}/t.db"
    runner = CliRunner(env={"TRACKER_PROJECT": str(project), "TRACKER_DB": None, "COLUMNS": "300"})
    first = runner.invoke(app, ["ingest", "--db", db_url, "--articles", str(articles)])
    assert first.exit_code == 0, first.output
    before = stored_articles(Settings(project_dir=project, articles_dir=articles, db_url=db_url))
    assert list(before) == ["stored.txt"]

    for name, suffix, content in files:
        path = os.path.join(os.fsencode(articles), b"fuzz_" + name + suffix)
        with open(path, "wb") as fh:
            fh.write(content)
    result = runner.invoke(app, ["ingest", "--db", db_url, "--articles", str(articles)])

    assert result.exit_code in (0, 3), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    after = stored_articles(Settings(project_dir=project, articles_dir=articles, db_url=db_url))
    assert after["stored.txt"] == before["stored.txt"]
    shutil.rmtree(project)


def test_the_fuzz_names_can_be_created(tmp_path):
    """The strategy's names are real files (else the test above would test nothing)."""
    path = os.path.join(os.fsencode(tmp_path), b"fuzz_caf\xe9.txt")
    Path(os.fsdecode(path)).write_bytes(b"x")
    assert os.listdir(os.fsencode(tmp_path)) == [b"fuzz_caf\xe9.txt"]
