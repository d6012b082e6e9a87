"""One article file costs a bounded multiple of its size (README, "Bad input", "Bounds:").

The hostile files of the review that found the gaps, at smaller sizes where the cost is
proportional: thousands of sentences in one file (the commitments of its meeting compared with
each other: once 4.4 GB and minutes), one "sentence" of a whole file without punctuation, HTML
nested 400,000 deep or made of tags only, Markdown of emphasis marks and brackets. Memory and
bytes are asserted, never time."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import pytest
from storage_scenarios import THIRD_PLENUM_ARTICLE, write
from test_hostile_input import cli, no_traceback  # noqa: F401 (the cli fixture)

from tracker.articles import ArticleError, parse_article
from tracker.commitment_rules import CommitmentRules
from tracker.dates import find_time_cues
from tracker.extract import ArticleText, extract_meeting, merge_groups
from tracker.lexicon import load_lexicon

WORDS = (
    "government will develop strengthen artificial intelligence industry policy reform market energy support "
    "growth 2025 innovation"
).split()
FRONT = "---\nmeeting: NPC 2024\n---\n"


def commitments_text(sentences: int, seed: int = 1) -> str:
    """The review's realistic.txt: sentences "The government will ..." of random policy words."""
    pick = random.Random(seed).choice
    return "\n".join(f"The government will {' '.join(pick(WORDS) for _ in range(15))} {n}." for n in range(sentences))


def no_punctuation(words: int, seed: int = 1) -> str:
    pick = random.Random(seed).choice
    return "The government will " + " ".join(pick(WORDS) for _ in range(words))


def peak_of(call) -> tuple[object, int]:
    """(what call() returns or the ArticleError it raises, peak traced memory in bytes)."""
    tracemalloc.start()
    try:
        try:
            result: object = call()
        except ArticleError as exc:
            result = exc
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.fixture(scope="module")
def warm(rules):
    """Imports and compiled patterns, cached before any peak is measured."""
    parse_article(THIRD_PLENUM_ARTICLE.encode(), "warm.md", rules)
    parse_article(b"<html><body><p>" + THIRD_PLENUM_ARTICLE.encode() + b"</p></body></html>", "warm.html", rules)
    find_time_cues(THIRD_PLENUM_ARTICLE, rules)
    return rules


# ---------------------------------------------------------------- reading: skipped, at a bounded cost


def test_the_limits_are_far_above_a_real_report(rules):
    """A full Government Work Report: about 700 sentences, the longest about 1,600 characters, a
    few thousand tags as a web page. The limits leave an order of magnitude."""
    ingest = rules["ingest"]
    assert ingest["max_sentences"] >= 5_000
    assert ingest["max_sentence_chars"] >= 5 * 1_600
    assert ingest["max_markup_elements"] >= 20_000


def test_a_file_of_more_sentences_than_the_limit_is_skipped_at_a_bounded_cost(warm):
    limit = warm["ingest"]["max_sentences"]
    raw = (FRONT + commitments_text(limit + 50)).encode()
    error, peak = peak_of(lambda: parse_article(raw, "realistic.txt", warm))
    assert isinstance(error, ArticleError)
    assert f"too many sentences: {limit + 50:,} (limit {limit:,}" in str(error)
    assert "[ingest] max_sentences" in str(error)
    assert peak < 20 * len(raw) + 1_000_000


def test_a_file_at_the_sentence_limit_is_read(warm):
    limit = warm["ingest"]["max_sentences"]
    parsed = parse_article((FRONT + commitments_text(limit)).encode(), "realistic.txt", warm)
    assert parsed.text.count("The government will") == limit


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        # 40,000 nested <div>s (the review's file: 400,000; 380 MB and 98 s)
        (
            "deep.html",
            "<html><body>" + "<div>" * 40_000 + "<p>AI in 2025.</p>" + "</div>" * 40_000 + "</body></html>",
            "HTML tags",
        ),
        # tags only: three bytes each, a few kilobytes each to the HTML parser
        ("flat.html", "<html><body>" + "<p>AI" * 40_000 + "</body></html>", "HTML tags"),
        # the review's emph.md (765 MB and 112 s at 2.6 MB), a tenth of it
        ("emph.md", FRONT + "*a **b " * 30_000 + "\n" + "[" * 50_000 + "\n", "Markdown markup characters and lines"),
        # blocks nested by quote and list marks, one mark after the other
        ("deep.md", FRONT + "> " * 30_000 + "AI in 2025.\n" + "- " * 30_000 + "x\n", "Markdown markup characters"),
        # a paragraph per line: an element each
        ("lines.md", FRONT + "AI\n\n" * 30_000, "Markdown markup characters and lines"),
    ],
)
def test_a_file_of_more_markup_than_the_limit_is_skipped_at_a_bounded_cost(warm, name, content, reason):
    raw = content.encode()
    error, peak = peak_of(lambda: parse_article(raw, name, warm))
    assert isinstance(error, ArticleError)
    assert str(error).startswith("too much markup: ")
    assert reason in str(error)
    assert f"(limit {warm['ingest']['max_markup_elements']:,}; see [ingest] max_markup_elements" in str(error)
    assert peak < 20 * len(raw) + 1_000_000


def test_a_page_under_the_markup_limit_is_read(warm):
    """Markup is bounded, not refused: a page of thousands of paragraphs and links is read."""
    page = "".join(f"<p>Plenum {n} met in 2024 and called for <a href='x'>reform</a>.</p>\n" for n in range(3_000))
    parsed = parse_article(f"<html><body>{page}</body></html>".encode(), "page.html", warm)
    assert parsed.text.count("called for reform.") == 3_000
    markdown = "".join(f"Plenum {n} met in 2024 and called for **reform** and [markets](x).\n\n" for n in range(2_000))
    assert parse_article((FRONT + markdown).encode(), "page.md", warm).text.count("for reform and markets.") == 2_000


# ---------------------------------------------------------------- extraction: a bounded cost per sentence


@pytest.fixture(scope="module")
def extraction(warm):
    from conftest import ROOT

    from tracker.config import Settings

    settings = Settings(project_dir=ROOT)
    return CommitmentRules(settings.commitment_rules), load_lexicon(settings), settings.commitment_rules.merge.threshold


def test_a_sentence_longer_than_the_limit_is_no_commitment_candidate(warm, extraction):
    """The review's nopunct.txt: one "sentence" of the whole file. Searched by the commitment
    rules and compared with itself it took minutes; it is kept in the text but not judged, and
    the sentences around it are."""
    rules, lexicon, threshold = extraction
    longest = warm["ingest"]["max_sentence_chars"]
    giant = no_punctuation(longest // 5) + "."
    assert len(giant) > longest
    text = (
        f"The government will expand childcare subsidies in 2025.\n\n{giant}\n\nThe state will build 500 new hospitals."
    )
    article = ArticleText(1, "nopunct.txt", text, "Report", 2025)
    extract_meeting("m", [ArticleText(0, "warm.txt", THIRD_PLENUM_ARTICLE)], rules, lexicon, threshold, 1, longest)
    drafts, peak = peak_of(lambda: extract_meeting("m", [article], rules, lexicon, threshold, 1, longest))
    assert [d.text for d in drafts] == [
        "The government will expand childcare subsidies in 2025.",
        "The state will build 500 new hospitals.",
    ]
    assert peak < 20 * len(text) + 1_000_000
    # Without the limit the same sentence is a commitment: the limit is what keeps it out.
    assert len(extract_meeting("m", [article], rules, lexicon, threshold, 1)) == 3


def test_merging_thousands_of_near_identical_commitments_holds_no_square_matrix(extraction):
    """A meeting's commitments are compared with each other: 3,000 (each like all the others)
    once held a 3,000 x 3,000 matrix of scores (36 MB) and a list of millions of pairs. Blocks
    of rows hold 4 MB, and a pair already in one group is not scored again."""
    _rules, lexicon, threshold = extraction
    normalized = [lexicon.normalize(s) for s in commitments_text(3_000).splitlines()]
    labels, peak = peak_of(lambda: merge_groups(normalized, threshold, 1))
    assert isinstance(labels, list) and len(set(labels)) < 100  # they merge: every pair was a candidate
    assert peak < 3_000 * 3_000 * 4 / 4  # a quarter of the matrix
    assert peak < 6_000_000 + 20 * sum(map(len, normalized))


def test_merging_in_blocks_gives_the_groups_of_all_pairs(extraction, monkeypatch):
    """The same groups whether the scores come in one block or in blocks of a few rows."""
    import tracker.extract as extract_module

    _rules, lexicon, threshold = extraction
    sentences = commitments_text(150, seed=3).splitlines() + [
        "The state will build 500 new hospitals.",
        "The state will build 500 new hospitals.",
        "The state will build 501 new hospitals.",
        "",
        "",
    ]
    normalized = [lexicon.normalize(s) for s in sentences]

    def partition(labels):
        return sorted(sorted(i for i, x in enumerate(labels) if x == label) for label in set(labels))

    whole = partition(merge_groups(normalized, threshold, 1))
    monkeypatch.setattr(extract_module, "_BLOCK_SCORES", 7 * len(set(normalized)))  # blocks of 7 rows
    assert partition(merge_groups(normalized, threshold, 1)) == whole
    assert len(whole) < len(sentences) - 3  # some groups merged, so the comparison means something


def test_time_cues_of_a_text_repeated_are_its_cues_repeated(warm):
    """Cues that overlap one taken earlier are dropped (found by bisection, not by a scan of all
    cues taken: minutes on a long text full of years); repeating a text repeats its cues."""
    piece = "In 2024, from March 5 to 11, 2024, and on 2025-03-05 and March 2025, 2026 and 2027. "
    one = [(c.start, c.end, c.year, c.month, c.day) for c in find_time_cues(piece, warm)]
    assert len(one) >= 5
    many = [(c.start, c.end, c.year, c.month, c.day) for c in find_time_cues(piece * 300, warm)]
    assert many == [(s + k * len(piece), e + k * len(piece), y, m, d) for k in range(300) for s, e, y, m, d in one]


# ---------------------------------------------------------------- the whole build



def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def built_with_sentence_limit(cli, settings, limit: int) -> tuple[Path, Path, int, int]:
    """A project with `[ingest] max_sentences = limit` built from one good article: (site,
    database file, their sizes now)."""
    (settings.project_dir / "rules.toml").write_text(f"[ingest]\nmax_sentences = {limit}\n")
    write(settings.articles_dir, "a_good.txt", THIRD_PLENUM_ARTICLE)
    site = settings.project_dir / "site"
    db = Path(settings.db_url.removeprefix("sqlite:///"))
    assert cli("build", "--db", settings.db_url, "--articles", settings.articles_dir).exit_code == 0
    return site, db, site_bytes(site), db.stat().st_size


def test_hostile_files_are_skipped_one_line_each_the_rest_stored(cli, settings):
    limit = 400
    site, db, before_site, before_db = built_with_sentence_limit(cli, settings, limit)
    hostile = {
        "b_realistic.txt": FRONT + commitments_text(limit + 1),
        "c_deep.html": "<html><body>" + "<div>" * 30_000 + "<p>AI.</p>" + "</div>" * 30_000 + "</body></html>",
        "d_emph.md": FRONT + "*a **b " * 10_000 + "\n" + "[" * 10_000 + "\n",
    }
    for name, content in hostile.items():
        write(settings.articles_dir, name, content)
    result = cli("build", "--db", settings.db_url, "--articles", settings.articles_dir)
    no_traceback(result)
    assert result.exit_code == 3
    lines = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(lines) == 3, "\n".join(lines)
    assert any(line.startswith("skipped b_realistic.txt: too many sentences: 401 (limit 400") for line in lines)
    assert any(line.startswith("skipped c_deep.html: too much markup: ") for line in lines)
    assert any(line.startswith("skipped d_emph.md: too much markup: ") for line in lines)
    size = sum(len(c.encode()) for c in hostile.values())
    assert site_bytes(site) - before_site <= size
    assert db.stat().st_size - before_db <= size + 8192


def test_a_file_at_the_sentence_limit_adds_a_bounded_multiple_to_the_site(cli, settings):
    """Every sentence a commitment, each a short one: the most a file can add per byte (README:
    under 40 times its size plus 2 KB per sentence allowed; here 300 sentences)."""
    limit = 300
    site, db, before_site, before_db = built_with_sentence_limit(cli, settings, limit)
    content = FRONT + commitments_text(limit)
    write(settings.articles_dir, "b_realistic.txt", content)
    result = cli("build", "--db", settings.db_url, "--articles", settings.articles_dir)
    assert result.exit_code == 0, result.output
    size = len(content.encode())
    assert site_bytes(site) - before_site <= 40 * size + 2_000 * limit
    assert db.stat().st_size - before_db <= 20 * size + 2_000 * limit
