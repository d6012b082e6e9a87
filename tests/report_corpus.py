"""A government-work-report-like article written for the tests (no real report is copied):
delivery line, salutation, a review section, a forward section with numbered parts, and many
"We will ..." sentences generated in a loop, so that one article gives well over 60
commitments standing in known sections."""

from __future__ import annotations

VERBS = ["expand", "upgrade", "modernize", "finance", "rebuild", "protect", "digitize", "extend", "insure", "staff", "supply"]
THINGS = [
    "rural broadband networks", "county hospitals", "freight railways", "vocational schools", "irrigation canals",
    "elderly care centres", "urban water mains", "forest reserves", "river ports", "grain silos", "flood levees",
    "public libraries", "district heating", "mountain roads", "fishing harbours", "seed banks", "wind farms",
    "kindergartens", "cold storage depots", "bus depots", "weather stations", "sports grounds", "clinics for herders",
]
TOPICS = ["manufacturing", "clean energy", "trade", "education", "innovation", "the digital economy",
          "environmental protection", "foreign investment", "supply chains"]
PLACES = ["Gansu", "Hunan", "Yunnan", "Jilin", "Hainan", "Qinghai", "Shanxi", "Guizhou", "Ningxia", "Fujian", "Anhui", "Tibet", "Henan"]

# The forward section's numbered parts: (heading, how many generated commitments). The last
# heading carries characters that must be escaped on the site.
PARTS = [
    ("1. Expanding domestic demand and upgrading infrastructure", 56),
    ("2. Expanding opening up in all areas", 9),
    ("3. Expanding R&D spending <b>across regions</b>", 6),
]
DIRECT = 3  # commitments of the forward section before its first numbered part


def sentence(n: int, year: int) -> str:
    """The n-th generated commitment: distinct words, so no two merge."""
    verb = VERBS[n % len(VERBS)]
    thing = THINGS[n % len(THINGS)]
    place = PLACES[(n // len(THINGS)) % len(PLACES)]
    topic = TOPICS[n % len(TOPICS)]
    return f"We will {verb} {thing} in {place} for {topic} and finish {n + 3} such projects there."


def official_report(year: int, shift: int = 0, parts=PARTS, front_matter: bool = True) -> str:
    """A work report of the NPC session of `year`. `shift` moves which generated sentences it
    states, so two reports share some commitments and differ in others."""
    session = {2019: "Second", 2020: "Third", 2021: "Fourth"}.get(year, "Second")
    lines = []
    if front_matter:
        lines += ["---", "title: Report on the Work of the Government", f"meeting: {year} Two Sessions",
                  f"date: {year}-03-05", "source: Test", "---"]
    lines += [
        "REPORT ON THE WORK OF THE GOVERNMENT", "",
        f"Delivered at the {session} Session of the 13th National People's Congress of the People's Republic of China on March 5, {year}",
        "", "Premier of the State Council", "", "Fellow Deputies,", "",
        "On behalf of the State Council, I will now report to you on the work of the government for your deliberation.", "",
        f"I. Review of Work in {year - 1}", "",
        f"Last year we expanded rural broadband networks in Gansu and we rebuilt county hospitals in Hunan. We will always remember {year - 1}.",
        "",
        f"II. Tasks for {year}", "",
    ]
    n = shift
    for _ in range(DIRECT):
        lines += [sentence(n, year), ""]
        n += 1
    for heading, count in parts:
        lines += [heading, ""]
        for _ in range(count):
            lines += [sentence(n, year), ""]
            n += 1
    lines += ["Fellow Deputies,", "", "Let us work together and strive to fulfil the tasks of this year.", ""]
    return "\n".join(lines)


NEWS = """---
title: Premier presents the work report
meeting: {year} Two Sessions
date: {year}-03-05
source: Test wire
---
Beijing, March 5 (Test wire) -- China will build a nationwide network of charging stations for electric buses, the premier said on Tuesday.

The government will cut fees for small exporters in coastal provinces, according to the report.
"""


def news(year: int) -> str:
    return NEWS.format(year=year)
