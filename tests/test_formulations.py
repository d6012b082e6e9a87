"""Key formulations: found in the text, grouped across spellings, and weighed in matching.

Every sentence here was written for these tests."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tracker.config import Settings
from tracker.formulations import FormulationFinder, formulation_key, variant_groups
from tracker.lexicon import load_lexicon
from tracker.matching import compare

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def settings():
    return Settings(data_dir=DATA)


@pytest.fixture(scope="module")
def finder(settings):
    return FormulationFinder(settings.commitment_rules)


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
    lexicon, cfg = load_lexicon(settings), settings.commitment_rules["matching"]
    a = [C("a1", "We will draw up the Harbour Link Plan with neighbouring provinces this year.", ["Harbour Link Plan"]),
         C("a2", "We will build more grain silos in the north.", [])]
    b = [C("b1", "Progress on the Harbour Link Plan must be faster, and its funding doubled.", ["Harbour Link Plan"])]
    changes = {(c.from_index, c.to_index): c for c in compare(a, b, lexicon, cfg)}
    assert changes[(0, 0)].status in ("persisted", "strengthened", "weakened")


def test_a_new_formulation_makes_a_restated_commitment_new_where_the_earlier_meeting_has_a_full_text(settings):
    lexicon, cfg = load_lexicon(settings), settings.commitment_rules["matching"]
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
    lexicon, cfg = load_lexicon(settings), settings.commitment_rules["matching"]
    a = [C("a1", "We will draw up the Harbour Link Plan with neighbouring provinces this year.", ["Harbour Link Plan"])]
    b = [C("b1", "Progress on the Harbour Link Plan must be faster, and its funding doubled.", ["Harbour Link Plan"])]
    link = next(c for c in compare(a, b, lexicon, cfg) if c.from_index == 0 and c.to_index == 0)
    assert "shared formulation 'Harbour Link Plan'; wording alone" in link.reason
    assert f"similarity {cfg['formulation_floor']}" in link.reason
