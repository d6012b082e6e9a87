"""Key formulations: found in the text, grouped across spellings, weighed in matching, and indexed over the corpus.

Every sentence here was written for these tests."""

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

from tracker.config import Settings
from tracker.formulations import (FormulationFinder, formulation_index, formulation_key, formulations_for,
                                  summary_rows, variant_groups)
from tracker.lexicon import load_lexicon
from tracker.matching import compare

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def settings():
    return Settings(project_dir=ROOT)


@pytest.fixture(scope="module")
def finder(settings):
    return FormulationFinder(settings.commitment_rules.formulations)


def test_found_from_quotes_names_compounds_and_the_known_list(finder):
    text = ('We will pursue the "Digital Silk Corridor" and the Green Harbour Initiative, promote '
            "innovation-driven development and a long-term plan, and deepen supply side structural reform.")
    found = dict(finder.find_with_source(text))
    assert found["Digital Silk Corridor"] == "quoted"
    assert found["Green Harbour Initiative"] == "name"
    assert found["innovation-driven development"] == "compound"
    assert found["supply-side structural reform"] == "known"  # a variant, named by its canonical form
    assert "long-term plan" not in found  # a generic modifier, not a formulation


def test_dates_and_headings_are_not_names(finder):
    assert finder.find("Plan for Work in 2031 and Review of the Year in 2030.") == []
    assert "Made in China 2025" in finder.find("We will implement the Made in China 2025 strategy.")


def test_variants_group_by_containment_and_likeness():
    groups = variant_groups(["new productive forces", "new quality productive forces", "rural vitalization",
                             "rural revitalization", "Internet Plus", "Internet Plus government services"], 90, 75)
    assert groups[formulation_key("new quality productive forces")] == groups[formulation_key("new productive forces")]
    assert groups["rural vitalization"] == groups["rural revitalization"]
    assert groups["internet plus"] != groups["internet plus government services"]
    assert formulation_key("The “Supply-Side” reform.") == "supply side reform"


@dataclass
class C:
    id: str
    text: str
    formulations: list
    official: bool = True
    emphasis: float = 1.0
    items: list = field(default_factory=list)
    signals: dict = field(default_factory=dict)

    def __post_init__(self):
        self.signals = {"articles": 1, "sentences": 1, "strong": [], "hedged": [], "formulations": self.formulations,
                        "named_formulations": self.formulations, "official": self.official}


def test_a_shared_formulation_links_differently_worded_sentences(settings):
    lexicon, cfg = load_lexicon(settings), settings.commitment_rules.matching
    a = [C("a1", "We will draw up the Harbour Link Plan with neighbouring provinces this year.", ["Harbour Link Plan"]),
         C("a2", "We will build more grain silos in the north.", [])]
    b = [C("b1", "Progress on the Harbour Link Plan must be faster, and its funding doubled.", ["Harbour Link Plan"])]
    changes = {(c.from_index, c.to_index): c for c in compare(a, b, lexicon, cfg)}
    assert changes[(0, 0)].status in ("persisted", "strengthened", "weakened")


def test_a_new_formulation_makes_a_restated_commitment_new_where_the_earlier_meeting_has_a_full_text(settings):
    lexicon, cfg = load_lexicon(settings), settings.commitment_rules.matching
    a = [C("a1", "We will overhaul port fees and cut red tape for shippers.", [])]
    b = [C("b1", "We will overhaul port fees and cut red tape for shippers through Blue Ocean Renewal.",
           ["Blue Ocean Renewal"])]
    statuses = {c.status: c for c in compare(a, b, lexicon, cfg)}
    assert set(statuses) == {"new", "disappeared"}
    assert "new formulation 'Blue Ocean Renewal'" in statuses["new"].reason
    # Where the earlier meeting has only news, its silence says nothing: the sentences link.
    a_news = [C("a1", a[0].text, [], official=False)]
    assert {c.status for c in compare(a_news, b, lexicon, cfg)} <= {"persisted", "strengthened", "weakened"}


def test_a_link_made_by_a_formulation_says_so_with_the_wording_score(settings):
    lexicon, cfg = load_lexicon(settings), settings.commitment_rules.matching
    a = [C("a1", "We will draw up the Harbour Link Plan with neighbouring provinces this year.", ["Harbour Link Plan"])]
    b = [C("b1", "Progress on the Harbour Link Plan must be faster, and its funding doubled.", ["Harbour Link Plan"])]
    link = next(c for c in compare(a, b, lexicon, cfg) if c.from_index == 0 and c.to_index == 0)
    assert "shared formulation 'Harbour Link Plan'; wording alone" in link.reason
    assert f"similarity {cfg.formulation_floor:.0f}" in link.reason


# ---------------------------------------------------------------- the corpus-wide index

def commitment(cid, text, formulations, named=None, evidence=()):
    """A stored commitment as the index reads it: evidence is (sentence, article file) pairs."""
    return SimpleNamespace(
        id=cid, text=text,
        signals={"formulations": list(formulations), "named_formulations": list(formulations if named is None else named)},
        evidence=[SimpleNamespace(sentence=s, article=SimpleNamespace(file=f)) for s, f in evidence])


@pytest.fixture(scope="module")
def matching_cfg(settings):
    return settings.commitment_rules.matching


def three_meetings():
    return [
        ("m-2031", [commitment("a1", "Grow the new productive forces in coastal towns.", ["new productive forces"],
                               evidence=[("Coastal towns will grow the new productive forces.", "2031/a.txt"),
                                         ("Grain output stayed steady.", "2031/a.txt")])]),
        ("m-2032", [commitment("b1", "Nurture new quality productive forces in labs.", ["new quality productive forces"],
                               evidence=[("Labs are to nurture New-Quality Productive Forces.", "2032/b.txt")]),
                    commitment("b2", "Back new quality productive forces with credit.", ["new quality productive forces"],
                               evidence=[("Banks must lend more to small firms.", "2032/c.txt")]),
                    commitment("b3", "Repair river dikes before summer.", [])]),
        ("m-2033", [commitment("c1", "Spread new quality productive forces to inland provinces.",
                               ["new quality productive forces", "Lantern Valley Plan"],
                               evidence=[("Inland provinces get new quality productive forces too.", None)])]),
    ]


def test_variants_across_three_meetings_are_one_entry_with_its_history(matching_cfg):
    entries = formulation_index(three_meetings(), matching_cfg)
    forces = next(e for e in entries if "new productive forces" in e.variants)
    assert forces.name == "new quality productive forces"  # the most frequent spelling
    assert forces.variants == ["new productive forces", "new quality productive forces"]
    assert (forces.first_meeting, forces.last_meeting) == ("m-2031", "m-2033")
    assert forces.meetings == ["m-2031", "m-2032", "m-2033"]
    assert forces.frequency == {"m-2031": 1, "m-2032": 2, "m-2033": 1}  # two commitments of m-2032 state it
    assert forces.named
    assert [e.name for e in entries] == ["new quality productive forces", "Lantern Valley Plan"]  # by first meeting
    assert summary_rows(entries)[0] == {"name": "new quality productive forces", "first": "m-2031", "last": "m-2033",
                                        "meetings": 3, "uses": 4}


def test_a_tie_between_spellings_goes_to_the_earliest(matching_cfg):
    meetings = [("m1", [commitment("a", "Extend the amber canal program.", ["amber canal program"])]),
                ("m2", [commitment("b", "Build the Amber Canal Program.", ["Amber Canal Program"])])]
    [entry] = formulation_index(meetings, matching_cfg)
    assert entry.name == "amber canal program"  # used first, though it sorts second
    assert entry.variants == ["Amber Canal Program", "amber canal program"]


def test_sentences_are_the_evidence_that_states_it_else_the_commitment_text(matching_cfg):
    entries = formulation_index(three_meetings(), matching_cfg)
    forces = entries[0]
    said = [(u.meeting_id, u.commitment_id, u.sentence, u.file) for u in forces.uses]
    assert said == [
        ("m-2031", "a1", "Coastal towns will grow the new productive forces.", "2031/a.txt"),  # not the grain sentence
        ("m-2032", "b1", "Labs are to nurture New-Quality Productive Forces.", "2032/b.txt"),  # case and hyphen alike
        ("m-2032", "b2", "Back new quality productive forces with credit.", "2032/c.txt"),  # no evidence says it
        ("m-2033", "c1", "Inland provinces get new quality productive forces too.", None),
    ]


def test_a_formulation_only_found_as_a_compound_is_not_named(matching_cfg):
    meetings = [("m1", [commitment("a", "Pursue tide-powered growth on islands.", ["tide-powered growth"], named=[])])]
    [entry] = formulation_index(meetings, matching_cfg)
    assert not entry.named
    assert formulation_index([("m1", [commitment("b", "Nothing named here.", [])])], matching_cfg) == []


def test_as_dict_is_json(matching_cfg):
    entries = formulation_index(three_meetings(), matching_cfg)
    data = json.loads(json.dumps([e.as_dict() for e in entries]))
    assert data[0]["frequency"] == {"m-2031": 1, "m-2032": 2, "m-2033": 1}
    assert data[0]["sentences"][0] == {"meeting": "m-2031", "commitment": "a1", "file": "2031/a.txt",
                                       "sentence": "Coastal towns will grow the new productive forces."}
    assert set(data[0]) == {"name", "variants", "first_meeting", "last_meeting", "meetings", "frequency", "named", "sentences"}


def test_plain_dicts_are_read_too(matching_cfg):
    c = {"id": "d1", "text": "Open the Pearl Ferry Initiative.", "signals": {"formulations": ["Pearl Ferry Initiative"]},
         "evidence": [{"sentence": "The Pearl Ferry Initiative opens in May.", "article": {"file": "x.txt"}}]}
    [entry] = formulation_index([("m1", [c])], matching_cfg)
    assert entry.uses[0].sentence == "The Pearl Ferry Initiative opens in May." and entry.uses[0].file == "x.txt"


def test_formulations_for_a_meeting_keeps_their_whole_history(tmp_path, matching_cfg):
    from tracker.db import Article, Commitment, Evidence, Meeting, connect, transaction

    engine = connect(f"sqlite:///{tmp_path}/f.db")
    stated = {  # meeting id, start -> [(commitment id, text, formulations)]
        ("later", dt.date(2032, 3, 5)): [("l1", "Widen the Jade Bridge Program to all ports.", ["Jade Bridge Program"])],
        ("earlier", dt.date(2031, 3, 5)): [("e1", "Start the Jade Bridge Program at two ports.", ["Jade Bridge Program"]),
                                           ("e2", "Plant the Cedar Belt Initiative.", ["Cedar Belt Initiative"])],
        ("quiet", dt.date(2033, 3, 5)): [("q1", "Keep prices steady.", [])],
    }
    with transaction(engine) as session:
        for (mid, start), items in stated.items():
            meeting = Meeting(id=mid, name=f"Meeting {mid}", kind="plenum", start=start, end=start)
            article = Article(file=f"{mid}.txt", sha256=mid, text=" ".join(t for _i, t, _f in items), meeting=meeting)
            session.add_all([meeting, article])
            for position, (cid, text, forms) in enumerate(items):
                session.add(Commitment(id=cid, meeting=meeting, position=position, text=text,
                                       signals={"formulations": forms, "named_formulations": forms},
                                       evidence=[Evidence(article=article, sentence=text, start=0, end=len(text))]))
    with transaction(engine) as session:
        everything = formulations_for(session, None, matching_cfg)
        later = formulations_for(session, "later", matching_cfg)
        quiet = formulations_for(session, "quiet", matching_cfg)
    assert [e.name for e in everything] == ["Cedar Belt Initiative", "Jade Bridge Program"]
    [bridge] = later
    assert bridge.meetings == ["earlier", "later"] and bridge.first_meeting == "earlier"
    assert [(u.commitment_id, u.file) for u in bridge.uses] == [("e1", "earlier.txt"), ("l1", "later.txt")]
    assert quiet == []


def test_the_page_shows_each_formulation_per_meeting_and_escapes_text(matching_cfg):
    from timeline.pages import make_env

    evil = "<script>alert(1)</script>"
    meetings = three_meetings()
    meetings[2][1].append(commitment("c2", f"Ban {evil} Plan", [evil], evidence=[(f"They said {evil} twice.", "evil.txt")]))
    entries = formulation_index(meetings, matching_cfg)
    meetings_by_id = {mid: SimpleNamespace(name=f"Meeting of {mid[2:]}", short=mid.upper(), url=f"meetings/{mid}.html",
                                           start=f"{mid[2:]}-03-05") for mid in ("m-2030", "m-2031", "m-2032", "m-2033")}
    html = make_env().get_template("formulations.html").render(
        entries=entries, meetings_by_id=meetings_by_id, root="../", nav_meetings=[], page_path="formulations.html",
        title="Key formulations")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<caption>" in html and 'scope="row"' in html and "<details" in html
    # A column for each meeting that states a formulation, none for m-2030 which states none.
    assert html.count('<th scope="col"><abbr') == 3 and "M-2030" not in html
    assert '<td class="num">2</td>' in html and '<td class="num">–</td>' in html
    assert 'href="../meetings/m-2031.html"' in html
    assert "also: new productive forces" in html
    assert "Coastal towns will grow the new productive forces." in html and "(2031/a.txt)" in html
