"""find_meeting: what a person types (id, name, alias, date) -> one meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.dates import parse_date
from tracker.meetings import MeetingInfo, MeetingNotFound, find_meeting


@pytest.fixture
def find(catalog, rules):
    def run(spec: str, prefer=frozenset(), meetings=None) -> str:
        return find_meeting(spec, catalog if meetings is None else meetings, rules, prefer=set(prefer)).id

    return run


@pytest.mark.parametrize("spec", ["cpc-20-congress", "CPC-20-Congress", "  cpc-20-congress  "])
def test_by_id(find, spec):
    assert find(spec) == "cpc-20-congress"


@pytest.mark.parametrize(
    ("spec", "meeting_id"),
    [
        ("20th party congress", "cpc-20-congress"),
        ("20TH PARTY CONGRESS", "cpc-20-congress"),
        ("Twentieth CPC National Congress", "cpc-20-congress"),
        ("20th National Congress of the Communist Party of China", "cpc-20-congress"),
        ("2024 two sessions", "two-sessions-2024"),
        ("third plenum of the 18th central committee", "cpc-18-cc-3-plenum"),
        ("2019 CEWC", "cewc-2019"),
    ],
)
def test_by_name_or_alias_case_insensitively(find, spec, meeting_id):
    assert find(spec) == meeting_id


def test_by_a_phrase_a_recogniser_knows(find):
    # Not an alias in the catalog, but the plenum recogniser reads its numbers.
    assert find("20th Central Committee's Third Plenum") == "cpc-20-cc-3-plenum"


@pytest.mark.parametrize(
    ("spec", "meeting_id"),
    [
        ("2024-07-16", "cpc-20-cc-3-plenum"),
        ("2024-07-15", "cpc-20-cc-3-plenum"),  # first day
        ("2024-07-18", "cpc-20-cc-3-plenum"),  # last day
        ("October 20, 2022", "cpc-20-congress"),
        ("2024-03-05", "two-sessions-2024"),
    ],
)
def test_by_a_date_inside(find, spec, meeting_id):
    assert find(spec) == meeting_id


@pytest.mark.parametrize(("spec", "meeting_id"), [("July 2024", "cpc-20-cc-3-plenum"), ("march 2024", "two-sessions-2024"),
                                                  ("2024-03", "two-sessions-2024")])
def test_by_a_month(find, spec, meeting_id):
    assert find(spec) == meeting_id


def test_partial_dates_do_not_depend_on_today():
    # dateparser fills a missing day from today's date: "March 2024" was 2024-03-<today>.
    assert parse_date("March 2024") is None
    assert parse_date("2024") is None
    assert parse_date("March 5, 2024") == dt.date(2024, 3, 5)


def test_generic_alias_prefers_the_meeting_in_prefer(find):
    assert find("Third Plenum") == "cpc-20-cc-3-plenum"  # no preference: the latest
    assert find("Third Plenum", prefer={"cpc-18-cc-3-plenum"}) == "cpc-18-cc-3-plenum"
    assert find("third plenum", prefer={"cpc-19-cc-3-plenum", "cpc-20-congress"}) == "cpc-19-cc-3-plenum"
    # Among several preferred ones, the latest.
    assert find("Third Plenum", prefer={"cpc-18-cc-3-plenum", "cpc-19-cc-3-plenum"}) == "cpc-19-cc-3-plenum"


def test_generic_two_sessions_prefers_the_meeting_with_articles(find):
    assert find("Two Sessions", prefer={"two-sessions-2019"}) == "two-sessions-2019"


@pytest.mark.parametrize("spec", ["nosuchmeeting", "Summit of Nowhere", "30th Party Congress", "2099-01-01", "", "   "])
def test_unknown_raises_meeting_not_found(find, spec):
    with pytest.raises(MeetingNotFound, match="no meeting matches"):
        find(spec)


def test_inferred_meeting_is_found_by_its_alias(find):
    inferred = MeetingInfo("cpc-20-cc-5-plenum", "Fifth Plenary Session of the 20th Central Committee", "plenum",
                           dt.date(2026, 10, 20), dt.date(2026, 10, 23),
                           ("Fifth Plenum of the 20th Central Committee",), inferred=True)
    assert find("fifth plenum of the 20th central committee", meetings=[inferred]) == "cpc-20-cc-5-plenum"
    assert find("2026-10-21", meetings=[inferred]) == "cpc-20-cc-5-plenum"


def test_politburo_meeting_by_alias_and_date(find):
    assert find("July 2024 Politburo meeting") == "politburo-2024-07"
    assert find("2024-07-30") == "politburo-2024-07"
    # A month that holds a plenum and a Politburo meeting means the plenum.
    assert find("July 2024") == "cpc-20-cc-3-plenum"
