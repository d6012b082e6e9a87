"""Matching across meetings: scores, one-to-one pairing, statuses, corrections, threads,
`tracker diff`, `tracker link/unlink` and `tracker eval`."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app
from tracker.config import Settings
from tracker.corrections import Corrections
from tracker.lexicon import load_lexicon
from tracker.matching import compare
from tracker.similarity import score_matrix, scores_at_least

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class C:
    id: str
    text: str
    emphasis: float = 1.0
    items: list = field(default_factory=list)
    signals: dict = field(default_factory=lambda: {"articles": 1, "sentences": 1, "strong": [], "hedged": []})


@pytest.fixture(scope="module")
def settings():
    return Settings(project_dir=ROOT)


@pytest.fixture(scope="module")
def lexicon(settings):
    return load_lexicon(settings)


@pytest.fixture(scope="module")
def cfg(settings):
    return settings.commitment_rules.matching


def score(lexicon, cfg, a, b):
    return float(score_matrix([lexicon.normalize(a)], [lexicon.topics_of(a)], [lexicon.normalize(b)], [lexicon.topics_of(b)], cfg)[0, 0])


def test_subset_does_not_score_100(lexicon, cfg):
    short = "China will develop artificial intelligence."
    long = "China will develop artificial intelligence, cut coal use, expand nuclear power and reform state firms."
    assert score(lexicon, cfg, short, long) < 85
    assert score(lexicon, cfg, short, short) == pytest.approx(100)


def test_synonyms_score_as_the_same_thing(lexicon, cfg):
    assert score(lexicon, cfg, "China will promote green energy vehicles.", "China will promote new energy vehicles.") == pytest.approx(100)
    assert score(lexicon, cfg, "China will expand AI research.", "China will expand artificial intelligence research.") == pytest.approx(100)


def test_list_item_matches_a_whole_programme_and_other_items_disappear(lexicon, cfg):
    a = [C("a1", "China should develop clusters such as artificial intelligence, biotech, and green industry.",
           items=["artificial intelligence", "biotech", "green industry"],
           signals={"head": "China should develop clusters", "articles": 1, "sentences": 1, "strong": [], "hedged": []})]
    b = [C("b1", "China intends to shepherd the whole ecosystem of artificial intelligence.", emphasis=1.6)]
    changes = compare(a, b, lexicon, cfg)
    linked = [c for c in changes if c.from_index is not None and c.to_index is not None]
    assert len(linked) == 1 and linked[0].status == "strengthened"
    assert "'artificial intelligence'" in linked[0].reason and "emphasis 1.00 -> 1.60" in linked[0].reason


def test_one_commitment_matches_at_most_one(lexicon, cfg):
    a = [C("a1", "China will accelerate the digital economy.")]
    b = [C("b1", "China will accelerate the digital economy."), C("b2", "China will accelerate the digital economy further.")]
    changes = compare(a, b, lexicon, cfg)
    assert sorted(c.status for c in changes) == ["new", "persisted"]


def test_unrelated_commitments_are_new_and_disappeared_with_reasons(lexicon, cfg):
    a = [C("a1", "China will steadily reach peak carbon and carbon neutrality.")]
    b = [C("b1", "China will reduce the negative list for foreign investment access.")]
    changes = {c.status: c for c in compare(a, b, lexicon, cfg)}
    assert set(changes) == {"new", "disappeared"}
    assert "closest" in changes["new"].reason and changes["new"].score is None


def test_weakened_when_emphasis_drops(lexicon, cfg):
    a = [C("a1", "China will develop hydrogen power.", emphasis=1.9, signals={"articles": 2, "sentences": 3, "strong": ["top priority"], "hedged": []})]
    b = [C("b1", "China will develop hydrogen power.", emphasis=0.7, signals={"articles": 1, "sentences": 1, "strong": [], "hedged": ["step by step"]})]
    (change,) = compare(a, b, lexicon, cfg)
    assert change.status == "weakened"
    assert "'top priority' dropped" in change.reason and "hedged with 'step by step'" in change.reason
    assert "corroboration 3 sentences in 2 sources -> 1 in 1 (shown, not counted)" in change.reason


def test_corroboration_alone_never_strengthens(lexicon, cfg):
    """Eight articles instead of one state it in the same words: more coverage, same policy."""
    a = [C("a1", "China will develop hydrogen power.", signals={"articles": 1, "sentences": 1, "strong": [], "hedged": []})]
    b = [C("b1", "China will develop hydrogen power.", signals={"articles": 8, "sentences": 9, "strong": [], "hedged": []})]
    (change,) = compare(a, b, lexicon, cfg)
    assert change.status == "persisted"
    assert "corroboration 1 sentences in 1 sources -> 9 in 8 (shown, not counted)" in change.reason


def test_corrections_force_and_forbid(lexicon, cfg):
    a = [C("a1", "China will accelerate the digital economy."), C("a2", "China will build more ports.")]
    b = [C("b1", "China will accelerate the digital economy."), C("b2", "China will train more teachers.")]
    forbid = Corrections(forbid={("a1", "b1")})
    assert not any(c.from_index == 0 and c.to_index == 0 for c in compare(a, b, lexicon, cfg, forbid))
    force = Corrections(force={("a2", "b2")})
    forced = [c for c in compare(a, b, lexicon, cfg, force) if c.forced]
    assert len(forced) == 1 and "linked by an analyst" in forced[0].reason


# ---------------------------------------------------------------- the whole pipeline

def write(folder: Path, name: str, meeting: str, body: str) -> None:
    (folder / name).write_text(f"---\nmeeting: {meeting}\ntitle: {name}\n---\n{body}\n", encoding="utf-8")


@pytest.fixture()
def three_meetings(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    write(articles, "a.md", "2019 Two Sessions", "China will vigorously promote the hydrogen power industry.\n\nChina will reduce the negative list for foreign investment access.")
    write(articles, "b.md", "2020 Two Sessions", "China will reduce the negative list for foreign investment access.")
    write(articles, "c.md", "2021 Two Sessions", "China will promote the hydrogen power industry.\n\nChina will reduce the negative list for foreign investment access.")
    return Settings(project_dir=tmp_path)  # articles/, tracker.db, site/ and corrections.toml there


def run(settings, *args):
    return CliRunner().invoke(app, [*args, "--project", str(settings.project_dir)], catch_exceptions=False)


def test_threads_mark_reappearance(three_meetings):
    from sqlalchemy.orm import Session

    from tracker.db import Commitment, connect
    from tracker.build import build

    engine = connect(three_meetings.db_url)
    build(engine, three_meetings, render=False)
    with Session(engine) as session:
        hydrogen = sorted((c for c in session.query(Commitment) if "hydrogen" in c.text), key=lambda c: c.meeting.start)
        investment = sorted((c for c in session.query(Commitment) if "negative list" in c.text), key=lambda c: c.meeting.start)
    assert [c.meeting_id for c in hydrogen] == ["two-sessions-2019", "two-sessions-2021"]
    assert hydrogen[1].thread_status == "reappeared" and hydrogen[1].thread_id == hydrogen[0].thread_id
    assert [c.thread_status for c in investment] == ["first seen", "persisted", "persisted"]
    assert len({c.thread_id for c in investment}) == 1


def test_diff_json_contract_and_formats(three_meetings):
    from tracker.db import connect
    from tracker.build import build

    build(connect(three_meetings.db_url), three_meetings, render=False)
    result = run(three_meetings, "diff", "2019 Two Sessions", "2020-05-25", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"from", "to", "changes", "counts"}
    assert data["counts"] == {s: sum(c["status"] == s for c in data["changes"]) for s in data["counts"]}
    assert set(data["from"]) == {"id", "name", "start", "end"} and data["from"]["id"] == "two-sessions-2019"
    statuses = sorted(c["status"] for c in data["changes"])
    # The 2020 articles are news on other topics: what they do not restate is not covered, not disappeared.
    assert statuses in (["not covered", "weakened"], ["not covered", "persisted"], ["disappeared", "weakened"], ["disappeared", "persisted"])
    for change in data["changes"]:
        assert set(change) == {"status", "score", "reason", "from", "to"}
        side = change["from"] or change["to"]
        assert {"id", "meeting", "text", "topics", "emphasis", "items", "evidence"} <= set(side)
        assert side["evidence"][0]["file"] in {"a.md", "b.md"}
        assert (change["score"] is None) == (change["status"] in ("new", "disappeared", "not covered"))
    gone = statuses[0]
    only = json.loads(run(three_meetings, "diff", "two-sessions-2019", "two-sessions-2020", "-f", "json", "--status", gone).stdout)
    assert [c["status"] for c in only["changes"]] == [gone]
    backwards = json.loads(run(three_meetings, "diff", "two-sessions-2021", "two-sessions-2019", "-f", "json").stdout)
    assert "later" in backwards["note"]
    markdown = run(three_meetings, "diff", "two-sessions-2019", "two-sessions-2020", "-f", "markdown").stdout
    assert markdown.startswith("# ") and f"## {gone.capitalize()}" in markdown
    table = run(three_meetings, "diff", "two-sessions-2019", "two-sessions-2020")
    assert table.exit_code == 0 and gone.capitalize() in table.stdout


def test_link_and_unlink_are_applied_on_every_build_and_stale_ones_reported(three_meetings):
    from tracker.db import connect
    from tracker.build import build

    engine = connect(three_meetings.db_url)
    build(engine, three_meetings, render=False)
    before = json.loads(run(three_meetings, "diff", "two-sessions-2019", "two-sessions-2020", "-f", "json").stdout)
    linked = next(c for c in before["changes"] if c["from"] and c["to"])
    gone = next(c for c in before["changes"] if c["status"] in ("disappeared", "not covered"))
    assert run(three_meetings, "unlink", linked["from"]["id"], linked["to"]["id"], "--note", "test").exit_code == 0
    assert run(three_meetings, "link", gone["from"]["id"], linked["to"]["id"]).exit_code == 0
    text = (three_meetings.project_dir / "corrections.toml").read_text()
    assert "[[unlink]]" in text and "[[link]]" in text
    build(engine, three_meetings, render=False)  # a rebuild keeps the corrections
    after = json.loads(run(three_meetings, "diff", "two-sessions-2019", "two-sessions-2020", "-f", "json").stdout)
    pairs = {((c["from"] or {}).get("id"), (c["to"] or {}).get("id")): c for c in after["changes"]}
    assert (linked["from"]["id"], linked["to"]["id"]) not in pairs
    assert "linked by an analyst" in pairs[(gone["from"]["id"], linked["to"]["id"])]["reason"]
    # The article changes: the corrected commitments no longer exist and the build says so.
    write(three_meetings.articles_dir, "b.md", "2020 Two Sessions", "China will build more railways in the west.")
    report = build(engine, three_meetings, render=False)
    assert any(linked["to"]["id"] in stale for stale in report.matching.stale_corrections)
    assert run(three_meetings, "link", "nope", "nada").exit_code == 4


def test_eval_passes_on_the_sample_corpus(tmp_path):
    from tracker.db import connect
    from tracker.build import build

    settings = Settings(project_dir=ROOT, db_url=f"sqlite:///{tmp_path}/t.db", site_dir=tmp_path / "site")
    build(connect(settings.db_url), settings, render=False)
    result = CliRunner().invoke(app, ["eval", str(ROOT / "data" / "gold" / "sample.toml"), "--format", "json", "--db", settings.db_url])
    data = json.loads(result.stdout)
    failed = [r for r in data["results"] if not r["passed"]]
    assert not failed, failed
    assert data["passed"] == 12 and result.exit_code == 0
    kinds = {r["kind"] for r in data["results"]}
    assert kinds == {"article", "link", "disappeared", "new", "not_commitment"}


def test_eval_reports_failures_with_what_was_found(tmp_path):
    from tracker.db import connect
    from tracker.build import build

    settings = Settings(project_dir=ROOT, db_url=f"sqlite:///{tmp_path}/t.db", site_dir=tmp_path / "site")
    build(connect(settings.db_url), settings, render=False)
    gold = tmp_path / "wrong.toml"
    gold.write_text('[[article]]\nfile = "001_bec66fbcd87b5ca6.txt"\nmeeting = "2022-10-16"\n\n'
                    '[[not_commitment]]\nphrase = "artificial intelligence"\n')
    result = CliRunner().invoke(app, ["eval", str(gold), "--format", "json", "--db", settings.db_url])
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and data["failed"] == 2
    assert data["results"][0]["found"] == "cpc-20-cc-3-plenum"
    assert data["results"][1]["found"].startswith("extracted in")


WORDS = ["chip", "chips", "semiconductor", "energy", "clean", "grid", "rural", "farm", "ai", "model", "space",
         "port", "trade", "open", "self", "reliance", "quantum", "network", "build", "expand"]
TOPICS = ["semiconductors", "clean_energy", "agriculture", "ai", "aerospace", "trade", "innovation"]


@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), max_size=8), st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)), max_size=12),
       st.lists(st.tuples(st.lists(st.sampled_from(WORDS), max_size=8), st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)), max_size=12),
       st.sampled_from([0.0, 40.0, 62.0, 68.0, 90.0]), st.sampled_from([(0.5, 0.5), (0.7, 0.3), (1.0, 0.0)]))
@hypothesis_settings(max_examples=200, deadline=None)
def test_scores_at_least_is_score_matrix_above_the_threshold(cfg, a, b, threshold, weights):
    """The topic pre-filter never drops a pair score_matrix would keep, nor changes a score."""
    weighted = cfg.model_copy(update={"text_weight": weights[0], "topic_weight": weights[1]})
    norm_a, topics_a = [" ".join(w) for w, _ in a], [t for _, t in a]
    norm_b, topics_b = [" ".join(w) for w, _ in b], [t for _, t in b]
    full = score_matrix(norm_a, topics_a, norm_b, topics_b, weighted, threads=1)
    expected = sorted((float(full[i, j]), i, j) for i in range(len(a)) for j in range(len(b)) if full[i, j] >= threshold)
    assert sorted(scores_at_least(norm_a, topics_a, norm_b, topics_b, weighted, threshold)) == expected


def test_optimal_pairs_maximise_the_total_not_the_first_pick():
    import numpy as np

    from tracker.pairing import optimal_pairs

    # Greedy would take (0, 0) at 95 and leave row 1 with nothing above the threshold (total 95);
    # the optimum pairs (0, 1) and (1, 0) for 90 + 92 = 182.
    scores = np.array([[95.0, 90.0], [92.0, 40.0]], dtype=np.float32)
    assert optimal_pairs(scores, 62, set(), set()) == [(0, 1), (1, 0)]
    # Pairs under the threshold are never taken, rows and columns already used stay out.
    assert optimal_pairs(scores, 93, set(), set()) == [(0, 0)]
    assert optimal_pairs(scores, 62, {0}, set()) == [(1, 0)]
    assert optimal_pairs(np.zeros((0, 0), dtype=np.float32), 62, set(), set()) == []


def test_unpaired_reasons_name_the_closest_and_why_it_was_not_taken(lexicon, cfg):
    a = [C("a1", "China will develop artificial intelligence in every province."),
         C("a2", "China will develop artificial intelligence in every province and city quickly.")]
    b = [C("b1", "China will develop artificial intelligence in every province.")]
    changes = compare(a, b, lexicon, cfg)
    gone = next(c for c in changes if c.status == "disappeared")
    assert gone.from_index == 1
    assert "closest: 'China will develop artificial intelligence in every province.'" in gone.reason
    assert "but it is paired with" in gone.reason and " at 100" in gone.reason
    far = compare([C("x", "China will cut coal use in steel making.")], b, lexicon, cfg)
    assert any("below the threshold 62" in c.reason for c in far if c.status == "disappeared")


def test_a_target_decides_a_link_with_the_numbers_in_the_reason(lexicon, cfg, settings):
    """Same words, same language; the growth target moves: the target decides."""
    rules = settings.target_rules

    def with_target(cid, sentence):
        targets = [t.as_dict() for t in rules.parse(sentence)]
        assert targets, sentence
        return C(cid, sentence, signals={"articles": 1, "sentences": 1, "strong": [], "hedged": [], "targets": targets})

    a = [with_target("a1", "We aim to keep GDP growth at around 7 percent this year.")]
    lowered = [with_target("b1", "We aim to keep GDP growth at around 6.5 percent this year.")]
    raised = [with_target("b2", "We aim to keep GDP growth at around 7.5 percent this year.")]
    kept = [with_target("b3", "We aim to keep GDP growth at around 7 percent this year.")]
    (down,) = compare(a, lowered, lexicon, cfg, target_rules=rules)
    assert down.status == "weakened" and "lowered from around 7 % to around 6.5 %" in down.reason
    (up,) = compare(a, raised, lexicon, cfg, target_rules=rules)
    assert up.status == "strengthened" and "raised from around 7 % to around 7.5 %" in up.reason
    (same,) = compare(a, kept, lexicon, cfg, target_rules=rules)
    assert same.status == "persisted" and "kept at around 7 %" in same.reason
    dropped = [C("b4", "We aim to keep GDP growth stable this year.")]
    (gone,) = [c for c in compare(a, dropped, lexicon, cfg, target_rules=rules) if c.to_index is not None]
    assert gone.status == "disappeared" and "dropped (was around 7 %)" in gone.reason
    unread = [C("b5", "We aim to keep GDP growth at 7 pct, give or take, this year.")]
    (kept_open,) = [c for c in compare(a, unread, lexicon, cfg, target_rules=rules) if c.to_index is not None]
    assert kept_open.status != "disappeared" and "figures the target rules do not read" in kept_open.reason
    # A later list of targets paired through one item does not make the others "added".
    listed = [with_target("b6", "The main targets are: GDP growth of around 7 percent, CPI increase of around 3 percent.")]
    (link,) = [c for c in compare(a, listed, lexicon, cfg, target_rules=rules) if c.to_index is not None]
    assert "CPI" not in link.reason and "kept at around 7 %" in link.reason


def test_reasons_quote_plainly(lexicon, cfg):
    """No Python reprs in reasons: a no-break space is a space, quotes stay readable."""
    a = [C("a1", "China will expand annual\xa0work report coverage of clean energy.")]
    b = [C("b1", "China will reduce the negative list for foreign investment access.")]
    (new,) = [c for c in compare(a, b, lexicon, cfg) if c.status == "new"]
    assert "\\xa0" not in new.reason and "'China will expand annual work report coverage" in new.reason


def test_targets_for_the_same_metric_link_however_worded(lexicon, cfg, settings):
    rules = settings.target_rules

    def stated(cid, sentence):
        return C(cid, sentence, signals={"articles": 1, "sentences": 1, "strong": [], "hedged": [],
                                         "targets": [t.as_dict() for t in rules.parse(sentence)]})

    a = [stated("a1", "The state said it will raise military spending by 8.1 percent this year.")]
    b = [stated("b1", "Defence outlays will rise by 6.9% this year, below what most economists forecast for output.")]
    (link,) = compare(a, b, lexicon, cfg, target_rules=rules)
    assert "a target for the same metric: 'Defence budget growth'; wording alone" in link.reason
    # A budget line is a signal, not an ambition (targets.toml: better = "neither"): the
    # move is in the reason, and the language decides the status.
    assert link.status == "persisted"
    assert "lowered from 8.1 % to 6.9 % (neither direction is more ambitious)" in link.reason
