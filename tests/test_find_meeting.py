"""find_meeting: what a person types (id, name, alias, date) -> one meeting."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tracker.dates import parse_date
from tracker.meeting_lookup import SHOWN_CANDIDATES
from tracker.meetings import AmbiguousMeeting, MeetingInfo, MeetingNotFound, find_meeting


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


# ---------------------------------------------------------------- a year, a kind: a group listed


def _ambiguous(spec, catalog, rules, prefer=frozenset()):
    with pytest.raises(AmbiguousMeeting) as raised:
        find_meeting(spec, catalog, rules, prefer=set(prefer), ambiguous=True)
    return raised.value


def _latest_first(meetings):
    return [m.id for m in sorted(meetings, key=lambda m: (m.start, m.id), reverse=True)]


@pytest.mark.parametrize("year", [2022, 2024])
def test_a_bare_year_lists_every_meeting_held_in_it_latest_first(catalog, rules, year):
    held = [m for m in catalog if year in (m.start.year, m.end.year)]
    assert len(held) > 1
    error = _ambiguous(str(year), catalog, rules, prefer={held[0].id})  # articles do not pick one
    assert [m.id for m in error.candidates] == _latest_first(held)
    assert f"{str(year)!r} names {len(held)} meetings" in str(error)
    for m in held[:SHOWN_CANDIDATES]:
        assert m.id in str(error)


@pytest.mark.parametrize(
    ("spec", "kind"),
    [("Plenum", "plenum"), ("plenum", "plenum"), ("Congress", "party_congress"), ("Party Congress", "party_congress"),
     ("congress party", "party_congress"), ("Plenary Session", "plenum")],
)
def test_a_kind_word_lists_every_meeting_of_that_kind(catalog, rules, spec, kind):
    of_kind = [m for m in catalog if m.kind == kind]
    error = _ambiguous(spec, catalog, rules)
    # "Congress" is the party congress kind's word, not every name with "Congress" in it (NPC).
    assert [m.id for m in error.candidates] == _latest_first(of_kind)
    message = str(error)
    shown = [line.split()[0] for line in message.splitlines()[1:] if not line.strip().startswith("...")]
    assert shown == _latest_first(of_kind)[:SHOWN_CANDIDATES]
    hidden = len(of_kind) - SHOWN_CANDIDATES
    assert (f"... and {hidden} more" in message) == (hidden > 0)


def test_the_plenums_are_more_than_are_shown_and_the_rest_are_counted(catalog, rules):
    plenums = [m for m in catalog if m.kind == "plenum"]
    assert len(plenums) > SHOWN_CANDIDATES  # the case above says "and N more" for them
    assert f"... and {len(plenums) - SHOWN_CANDIDATES} more" in str(_ambiguous("Plenum", catalog, rules))


def test_a_kind_word_with_a_year_names_that_years_meeting(catalog, rules):
    congress = next(m for m in catalog if m.kind == "party_congress" and m.start.year == 2022)
    for spec in ("Congress 2022", "2022 Party Congress"):
        assert find_meeting(spec, catalog, rules, ambiguous=True).id == congress.id


@pytest.mark.parametrize("spec", ["2024", "Plenum", "Party Congress"])
def test_a_front_matter_value_of_a_year_or_kind_names_no_meeting(find, spec):
    # A front matter's `meeting:` (not ambiguous: one is picked) must not silently pick one of a group.
    with pytest.raises(MeetingNotFound, match="no meeting matches"):
        find(spec)


@pytest.mark.parametrize("spec", ["30th Party Congress", "2099", "Plenum 2099", "Summit"])
def test_a_number_or_a_year_without_meetings_is_not_a_group(catalog, rules, spec):
    with pytest.raises(MeetingNotFound) as raised:
        find_meeting(spec, catalog, rules, ambiguous=True)
    assert not isinstance(raised.value, AmbiguousMeeting)


def test_did_you_mean_names_the_latest_close_names_and_counts_the_rest(catalog, rules):
    congresses = sorted((m for m in catalog if m.kind == "party_congress"), key=lambda m: m.start, reverse=True)
    assert len(congresses) > 3
    with pytest.raises(MeetingNotFound) as raised:
        find_meeting("Party Congres", catalog, rules, ambiguous=True)
    message = str(raised.value)
    suggested = re.findall(r"\(([a-z0-9-]+)\)", message)
    assert suggested == [m.id for m in congresses[:3]]
    assert message.endswith(f", or {len(congresses) - 3} more close names?")


def test_did_you_mean_says_how_many_more_meetings_a_name_fits(rules):
    plenums = [
        MeetingInfo(f"cpc-{cc}-cc-3-plenum", f"Third Plenary Session of the {cc}th Central Committee", "plenum",
                    dt.date(1990 + 5 * cc - 50, 10, 1), dt.date(1990 + 5 * cc - 50, 10, 3), ("Third Plenum",))
        for cc in range(11, 16)
    ]
    with pytest.raises(MeetingNotFound) as raised:
        find_meeting("Thrid Plenum", plenums, rules)
    message = str(raised.value)
    assert "'Third Plenum' (cpc-15-cc-3-plenum, cpc-14-cc-3-plenum, cpc-13-cc-3-plenum and 2 more)" in message
