"""Meeting detection on short articles written for these tests (not the sample corpus)."""

from __future__ import annotations

import datetime as dt

import pytest

from storage_scenarios import FIFTH_PLENUM_ARTICLE, check_inferred_meeting
from tracker.articles import parse_article
from tracker.meetings import Assignment, detect_meeting


@pytest.fixture
def detect(rules, catalog):
    def run(raw: str, file: str = "article.txt") -> Assignment:
        parsed = parse_article(raw.encode(), file, rules)
        return detect_meeting(parsed.title, parsed.text, parsed.meta, catalog, rules, file)

    return run


def test_19th_party_congress(detect):
    a = detect(
        "Xi opens the 19th Party Congress with a three-hour speech\n\n"
        "Xi Jinping opened the 19th National Congress of the Communist Party of China in Beijing on "
        "October 18, 2017, with a report that promised a new era for the country.\n\n"
        "Delegates heard the general secretary set goals for 2035 and for the middle of the century.\n"
    )
    assert a.meeting_id == "cpc-19-congress"
    assert a.date == dt.date(2017, 10, 18)
    assert a.new_meeting is None
    assert "19th Party Congress" in a.reason


def test_2019_central_economic_work_conference_by_its_date(detect):
    a = detect(
        "What the Central Economic Work Conference said about growth\n\n"
        "China's leaders wrapped up the annual Central Economic Work Conference on December 12, 2019, "
        "pledging to keep growth within a reasonable range next year.\n\n"
        "The meeting called for stable employment and a proactive fiscal policy.\n"
    )
    assert a.meeting_id == "cewc-2019"
    assert a.date == dt.date(2019, 12, 12)


def test_article_naming_no_meeting_has_no_meeting_and_says_why(detect):
    a = detect(
        "Rain floods farmland in southern province\n\n"
        "Heavy rain has flooded thousands of hectares of farmland, local officials said on Tuesday.\n\n"
        "Rescue teams were sent to the worst-hit villages.\n"
    )
    assert a == Assignment(None, None, "no meeting named or implied")


def test_generic_mention_without_any_date_is_ambiguous(detect):
    a = detect("Plenum notes\n\nThe Third Plenum is expected to focus on reform.\n")
    assert a.meeting_id is None
    assert a.reason.startswith("ambiguous: 'Third Plenum' could be")


def test_subject_meeting_beats_a_passing_reference(detect):
    a = detect(
        "Beijing doubles down on consumption at the 2024 Two Sessions\n\n"
        "Premier Li Qiang told delegates at the 2024 Two Sessions in Beijing that boosting household "
        "consumption is the top task for the year.\n\n"
        "The message echoed last year's Central Economic Work Conference, which had already called for "
        "expanding domestic demand, and the Central Economic Work Conference before it.\n\n"
        "The Central Economic Work Conference sets the economic agenda for the year ahead.\n"
    )
    assert a.meeting_id == "two-sessions-2024"
    assert "looking back" not in a.reason.split(" (others:")[0]


def test_passing_reference_named_in_full_loses_to_a_generic_subject(detect):
    # Counted plainly, the fully named CEWC (2.0) would beat the generic "Two Sessions" (1.2).
    a = detect(
        "Consumption takes centre stage\n\n"
        "Following the 2023 Central Economic Work Conference, delegates at the Two Sessions in March 2024 "
        "made household consumption their first priority.\n"
    )
    assert a.meeting_id == "two-sessions-2024"
    assert "(others: cewc-2023" in a.reason


def test_passing_reference_in_the_lead_does_not_win_over_the_title(detect):
    a = detect(
        "Third Plenum of the 20th Central Committee ends with a reform resolution\n\n"
        "Since the 20th Party Congress, reform has slowed; the plenum in July 2024 promised to speed it up.\n"
    )
    assert a.meeting_id == "cpc-20-cc-3-plenum"


def test_generic_third_plenum_in_mid_july_is_2024s(detect):
    a = detect(
        "Third Plenum pledges deeper reform\n\n"
        "When the Third Plenum met in mid-July, the Central Committee adopted a resolution on further "
        "deepening reform.\n\n"
        "The resolution lists more than 300 reform measures to be completed by 2029.\n"
    )
    assert a.meeting_id == "cpc-20-cc-3-plenum"
    assert "the dates in the text fit" in a.reason


def test_generic_third_plenum_in_november_2013_is_the_18th_central_committees(detect):
    a = detect(
        "The Third Plenum that launched a reform era\n\n"
        "The Third Plenum, held in November 2013, promised to let the market play a decisive role in "
        "allocating resources.\n\n"
        "Analysts still measure later reforms against that decision.\n"
    )
    assert a.meeting_id == "cpc-18-cc-3-plenum"


@pytest.mark.parametrize("year", [2019, 2023])
def test_government_work_report_with_a_year_is_that_years_two_sessions(detect, year):
    a = detect(
        "Premier sets growth target\n\n"
        f"In the {year} government work report, the premier set a growth target of around 5 percent.\n\n"
        "The report also promised to stabilise the property market.\n"
    )
    assert a.meeting_id == f"two-sessions-{year}"
    assert "government work report" in a.reason


def test_day_without_a_year_is_resolved_against_the_meeting(detect):
    a = detect(
        "Key takeaways from the 20th Party Congress\n\n"
        "On Oct. 16, Xi Jinping opened the 20th Party Congress with a report on the work of the Central "
        "Committee.\n\n"
        "Delegates approved amendments to the party constitution at the close of the meeting.\n"
    )
    assert a.meeting_id == "cpc-20-congress"
    assert a.date == dt.date(2022, 10, 16)


def test_stated_date_outside_the_meeting_is_not_its_date(detect):
    a = detect(
        "Looking back at the 20th Party Congress\n\n"
        "On March 3, analysts reviewed the 20th Party Congress and its report.\n"
    )
    assert a.meeting_id == "cpc-20-congress"
    assert a.date is None


def test_front_matter_meeting_and_date_win(detect):
    a = detect(
        "---\nmeeting: third plenum of the 18th central committee\ndate: 2013-11-12\n---\n"
        "Notes on the 20th Party Congress\n\nThe 20th Party Congress opened on October 16, 2022.\n"
    )
    assert a.meeting_id == "cpc-18-cc-3-plenum"
    assert a.date == dt.date(2013, 11, 12)
    assert a.reason == "front matter names 'third plenum of the 18th central committee'"


def test_meeting_missing_from_the_catalog_is_inferred_with_its_dates(detect, catalog):
    assert "cpc-20-cc-5-plenum" not in {m.id for m in catalog}
    a = detect(FIFTH_PLENUM_ARTICLE)
    assert a.meeting_id == "cpc-20-cc-5-plenum"
    assert a.new_meeting is not None
    assert a.new_meeting.inferred is True
    assert a.new_meeting.id == "cpc-20-cc-5-plenum"
    assert a.new_meeting.kind == "plenum"
    assert (a.new_meeting.start, a.new_meeting.end) == (dt.date(2026, 10, 20), dt.date(2026, 10, 23))
    assert a.new_meeting.name == "Fifth Plenary Session of the 20th Central Committee of the Communist Party of China"
    assert a.date == dt.date(2026, 10, 20)
    assert a.reason.startswith("inferred meeting not in the catalog")


def test_catalog_meeting_with_its_dates_is_not_inferred(detect):
    a = detect(
        "Fourth Plenum closes\n\n"
        "The Fourth Plenum of the 20th Central Committee was held in Beijing from October 20 to 23, 2025.\n"
    )
    assert a.meeting_id == "cpc-20-cc-4-plenum"
    assert a.new_meeting is None
    assert a.date == dt.date(2025, 10, 20)


def test_inferred_meeting_is_stored_by_ingest(settings):
    check_inferred_meeting(settings)


# ---------------------------------------------------------------- exact shortcuts (speed only: never a different answer)

import re  # noqa: E402
from collections import defaultdict  # noqa: E402

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

from tracker import meetings as meetings_module  # noqa: E402
from tracker.articles import _holding_blocks, furniture_rules  # noqa: E402
from tracker.meetings import ORD_PATTERN, Mention, TimeCue, find_mentions, find_time_cues  # noqa: E402

CHECKS = hsettings(max_examples=250, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SPACES = [" ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u2003", ", ", ". ", " (", ") ", "-", "’s "]
DATE_WORDS = ["January", "Jan.", "Jan", "March", "Mar", "May", "may", "June", "Sept.", "Sep", "October", "Oct.",
              "December", "16", "16th", "3rd", "1", "31", "٣", "2024", "2019", "1999", "2035", "2024-03-11", "2022-10-16",
              "early", "mid", "late", "in", "In", "during", "this", "last", "next", "since", "until", "to", "through",
              "of", "by", "Made", "China", "2025", "Vision", "the", "plenum", "Market", "decade", "innovation"]


def reference_find_time_cues(text, rules):
    """find_time_cues as it was: every pattern run over the whole text."""
    ignored_before = re.compile(rules["detection"]["year_ignored_before"], re.I)
    cues, taken = [], []
    for pattern in meetings_module._TIME_PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            if groups.get("bare_year"):
                if ignored_before.search(text[max(0, match.start() - 40):match.start()]):
                    continue
                cue = TimeCue(match.start(), match.end(), match.group(), int(groups["bare_year"]), None, None)
            else:
                month = int(groups["month_num"]) if groups.get("month_num") else \
                    meetings_module.MONTHS[groups["month"].rstrip(".").lower()]
                day = groups.get("day")
                day = int(day) if day else meetings_module._PART_DAY.get((groups.get("part") or "").lower())
                year = int(groups["year"]) if groups.get("year") else None
                end_day = int(groups["end_day"]) if groups.get("end_day") else None
                cue = TimeCue(match.start(), match.end(), match.group(), year, month, day, end_day)
            cues.append(cue)
            taken.append((match.start(), match.end()))
    cues.sort(key=lambda c: c.start)
    return cues


def _texts(words):
    return st.lists(st.tuples(st.sampled_from(words), st.sampled_from(SPACES)), max_size=70).map(
        lambda parts: "".join(w + s for w, s in parts))


@CHECKS
@given(_texts(DATE_WORDS))
def test_time_cues_equal_every_pattern_over_the_whole_text(rules, text):
    assert find_time_cues(text, rules) == reference_find_time_cues(text, rules)


def reference_find_mentions(text, meetings, rules):
    """find_mentions as it was: plain alternations, every recogniser in every window."""
    det = rules["detection"]
    recognizers = [(r["kind"], re.compile(r["pattern"].replace("ORD", ORD_PATTERN), re.I), float(r.get("weight", 1.0)))
                   for r in det["recognizer"]]
    anchor = det.get("anchor", r"(?s:.)")
    width = int(det.get("anchor_window", 160))
    windows = []
    for match in re.finditer(anchor, text):
        start, end = max(0, match.start() - width), min(len(text), match.end() + width)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    index = defaultdict(list)
    for m in meetings:
        for alias in (m.name, *m.aliases):
            index[alias.casefold()].append(m)
    anchor_re = re.compile(anchor)
    anchored = sorted((a for a in index if anchor_re.search(a)), key=len, reverse=True)
    loose = sorted((a for a in index if not anchor_re.search(a)), key=len, reverse=True)

    def compile_(aliases):
        return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in aliases) + r")\b", re.I) if aliases else None

    anchored_re, loose_re = compile_(anchored), compile_(loose)
    found, seen = [], set()

    def matches(pattern):
        for start, end in windows:
            for match in pattern.finditer(text, start, end):
                key = (match.start(), match.end(), pattern.pattern)
                if key not in seen:
                    seen.add(key)
                    yield match

    for kind, pattern, weight in recognizers:
        for match in matches(pattern):
            attrs = {}
            for key, value in match.groupdict().items():
                if value:
                    attrs[key] = meetings_module.ordinal_value(value) if key != "year" else int(value)
            candidates = tuple(m for m in meetings if m.kind == kind and all(m.attr(k) == v for k, v in attrs.items()))
            found.append(Mention(match.start(), match.end(), match.group(), kind, weight, candidates, attrs,
                                 specific=len(candidates) == 1 and bool(attrs)))
    for match in [*(matches(anchored_re) if anchored_re is not None else ()),
                  *(loose_re.finditer(text) if loose_re is not None else ())]:
        candidates = tuple(index[match.group().casefold()])
        found.append(Mention(match.start(), match.end(), match.group(), candidates[0].kind, 1.0, candidates,
                             specific=len(candidates) == 1))
    found.sort(key=lambda mn: (mn.start, -(mn.end - mn.start), not mn.specific, len(mn.candidates)))
    kept = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            if mention.specific and not kept[-1].specific and mention.end >= kept[-1].end - 2:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


def _meeting_words(catalog):
    names = sorted({a for m in catalog[::7] for a in (m.name, *m.aliases)})
    return names + ["Third", "third", "20th", "Twentieth", "19th", "Plenum", "Plenary Session", "of the", "Central Committee",
                    "CPC", "Party Congress", "National Congress", "Two Sessions", "NPC", "npc", "CPPCC", "lianghui",
                    "government work report", "Premier Li Qiang's", "Central Economic Work Conference", "CEWC",
                    "2024", "2013", "session", "sessions", "annual", "National People's Congress", "last year's", "and",
                    "conference", "İ", "ſession", "word " * 20]


@CHECKS
@given(st.data())
def test_mentions_equal_plain_alternations_and_every_recogniser(rules, catalog, data):
    text = data.draw(_texts(_meeting_words(catalog)))
    assert find_mentions(text, catalog, rules) == reference_find_mentions(text, catalog, rules)


@CHECKS
@given(st.lists(st.tuples(st.sampled_from([
    "By", "Jane", "Doe", "is", "a", "the", "analyst", "Photo", "photo", "credit", ":", "by", "Reuters", "Read more", ">",
    "|", "(left)", "(L)", "Tags", "related", "Related articles", "Subscribe", "share", "China", "will", "growth", "via",
    "Getty Images", "AP Photo", "was", "director", "İs", "ſhare", "credits", "•"]), st.sampled_from(SPACES)), max_size=14))
def test_furniture_line_test_equals_the_whole_alternation(rules, parts):
    line = "".join(w + s for w, s in parts).strip()
    furniture = furniture_rules(rules)
    assert furniture.lines_test.found(line) == (furniture.lines.search(line) is not None)


@CHECKS
@given(st.recursive(st.sampled_from(["text", "<br>", ""]),
                    lambda inner: st.tuples(st.sampled_from(["p", "li", "ul", "div", "td", "h2", "blockquote", "span",
                                                             "article", "table", "tr"]),
                                            st.lists(inner, max_size=3)).map(
                        lambda t: f"<{t[0]}>" + "".join(t[1]) + f"</{t[0]}>"), max_leaves=12))
def test_holding_blocks_are_the_elements_with_a_p_or_li_inside(html):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    expected = {id(e) for e in [soup, *soup.find_all(True)] if e.find(["p", "li"])}
    assert _holding_blocks(soup) == expected
