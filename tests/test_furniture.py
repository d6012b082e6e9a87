"""Page furniture is stripped; the article's own sentences and headings survive.

Also: HTML and Markdown input become clean text with the right title.
"""

from __future__ import annotations

import pytest

from tracker.articles import furniture_rules, parse_article, strip_furniture

# A page as a news site's "copy text" gives it: site name, nav labels, headline, photo credit,
# headline again, standfirst, byline, body, subscribe box, author bios, related links.
PAGE = """\
The Diplomat
Overview
Grain Security in China’s New Plan
Associated Press, Mark Schiefelbein
China

Grain Security in China’s New Plan

Beijing wants farms to feed the country without imports.

By Nico Han and Ariel Silverman

The State Council announced a plan on Monday to raise grain output by 50 million tonnes.

Build a modern industrial system

Officials said seed technology and farm machinery would get priority.

Farmers harvest wheat in Henan province. | Photo Greg Baker/AFP via Getty Images

Analysts expect subsidies for grain growers to rise next year.

Want to read more?
Subscribe for full access.

Subscribe
Already a subscriber?

The Authors

Nico Han conducts policy research on the Greater China area.

Ariel Silverman is a Yenching Scholar at Peking University.

China
China-Russia Relations Have Surged Forward Since the Ukraine War Began
"""

BODY_SENTENCES = [
    "Beijing wants farms to feed the country without imports.",
    "The State Council announced a plan on Monday to raise grain output by 50 million tonnes.",
    "Build a modern industrial system",
    "Officials said seed technology and farm machinery would get priority.",
    "Analysts expect subsidies for grain growers to rise next year.",
]


@pytest.fixture(scope="module")
def parsed_page(rules):
    return parse_article(PAGE.encode(), "grain.txt", rules)


def test_headline_becomes_the_title(parsed_page):
    assert parsed_page.title == "Grain Security in China’s New Plan"


def test_body_is_exactly_the_article_text(parsed_page):
    assert parsed_page.text == "\n\n".join(BODY_SENTENCES)


@pytest.mark.parametrize(
    "furniture",
    [
        "The Diplomat",  # site name
        "Overview",  # nav label
        "\nChina\n",  # nav label
        "Associated Press, Mark Schiefelbein",  # photo credit
        "By Nico Han and Ariel Silverman",  # byline
        "Greg Baker/AFP via Getty Images",  # caption credit
        "Want to read more?",
        "Subscribe for full access.",
        "Already a subscriber?",
        "The Authors",
        "Yenching Scholar",  # author bio
        "conducts policy research",  # bio after "The Authors"
        "China-Russia Relations",  # related article
    ],
)
def test_furniture_is_gone(parsed_page, furniture):
    assert furniture not in "\n" + parsed_page.text + "\n"


@pytest.fixture(scope="module")
def furniture(rules):
    return furniture_rules(rules)


def test_related_article_list_ending_in_read_more_is_dropped(furniture):
    text = (
        "The plan promises more support for chip makers.\n\n"
        "U.S. Outlines Scope of New Curbs on Investment Beijing Unleashes Major Stimulus to Revive Economy "
        "China, Japan, South Korea Look to Resume Trilateral Leaders’ Summit Read more >\n"
    )
    cleaned, removed = strip_furniture(text, furniture)
    assert cleaned == "The plan promises more support for chip makers."
    assert removed and removed[0].endswith("Read more >")


@pytest.mark.parametrize(
    "marker",
    ["Want to read more?", "Subscribe for full access.", "The Authors", "About the author", "Read more",
     "Related articles:", "You may also like"],
)
def test_end_marker_alone_drops_everything_after_it(furniture, marker):
    # What follows the marker reads like body text: only the marker tells it is not.
    text = (f"The plenum adopted a resolution.\n\n{marker}\n\n"
            "Nico Han conducts policy research on the Greater China area.\n\nSunflower Movement Anniversary Reflects Divisions\n")
    cleaned, removed = strip_furniture(text, furniture)
    assert cleaned == "The plenum adopted a resolution."
    assert removed == [marker]


def test_editors_credit_ends_the_article(furniture):
    text = "Growth will be supported.\n\n• Editors: Erin Williams, Senior Program Manager.\n\nJane Doe\n\nMore text.\n"
    cleaned, _ = strip_furniture(text, furniture)
    assert cleaned == "Growth will be supported."


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe",
        "By Nico Han and Ariel Silverman",
        "By Jane Doe, John Smith and Li Wei",
        "Reuters",
        "Xinhua/Li Xueren",
        "Associated Press, Ng Han Guan",
        "Delegates vote in Beijing. Photo: Reuters",
        "Credit: Getty Images",
        "Image credit: Xinhua",
        "Delegates arrive at the Great Hall (Photo by Kevin Frayer/Getty Images)",
        "Farmers harvest wheat. | Photo Greg Baker/AFP via Getty Images",
        "President Xi Jinping (C) and Premier Li Qiang (R) at the opening session",
        "Nick Carraway is a Canada-based analyst researching China’s role in international relations.",
        "She is the co-founder and director of multiple young professional-focused organizations.",
        "Tags: China, economy",
        "Share this article",
        "Advertisement",
    ],
)
def test_furniture_line_is_removed(furniture, line):
    cleaned, removed = strip_furniture(f"The plenum adopted a resolution.\n\n{line}\n\nIt lists 300 measures.", furniture)
    assert cleaned == "The plenum adopted a resolution.\n\nIt lists 300 measures."
    assert removed == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Build a modern industrial system",  # a short heading
        "What is meant by ‘new productive forces’?",
        "Why now?",  # short, but a question
        "Liu He was the chief architect of the financial reforms, according to one analyst.",
        "Li Qiang is the premier and a former party secretary of Shanghai who once worked with a professor.",
        "The central bank moved to expand credit: loans to small firms rose by a fifth.",
        "A photo by the state news agency showed delegates voting by a show of hands.",
        "By 2035, China aims to achieve socialist modernization.",
        "Reuters reported that the plenum would focus on reform, citing two sources.",
        "Delegates said the government work report set a growth target of around 5 percent.",
    ],
)
def test_body_line_survives(furniture, line):
    text = f"The plenum adopted a resolution.\n\n{line}\n\nIt lists 300 measures."
    cleaned, removed = strip_furniture(text, furniture)
    assert cleaned == text
    assert removed == []


def test_repeated_short_line_is_kept_once(furniture):
    cleaned, removed = strip_furniture("Reform Plans Ahead\n\nReform Plans Ahead\n\nThe body.", furniture)
    assert cleaned == "Reform Plans Ahead\n\nThe body."
    assert removed == ["Reform Plans Ahead"]


HTML_PAGE = """\
<!doctype html>
<html>
<head>
  <title>Reform Plans | The Example Review</title>
  <script>window.dataLayer = ["Subscribe now", "tracking"];</script>
  <style>p { color: red; }</style>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/china">China</a> <a href="/economy">Economy</a></nav>
  <header><div class="logo">The Example Review</div></header>
  <h1>Reform Plans After the Plenum</h1>
  <p>By Jane Doe</p>
  <p>The Central Committee approved a <b>long</b> list of <a href="/reforms">reforms</a>.</p>
  <h2>Build a modern industrial system</h2>
  <ul>
    <li>Land reform in rural areas.</li>
    <li>Changes to the household registration system.</li>
  </ul>
  <p>Want to read more?</p>
  <p>Subscribe for full access.</p>
  <footer><p>Copyright 2024 The Example Review. All rights reserved.</p></footer>
  <script>trackPageView();</script>
</body>
</html>
"""


def test_html_becomes_clean_text_with_the_h1_title(rules):
    parsed = parse_article(HTML_PAGE.encode(), "reform.html", rules)
    assert parsed.title == "Reform Plans After the Plenum"
    assert parsed.text == (
        "The Central Committee approved a long list of reforms.\n\n"
        "Build a modern industrial system\n\n"
        "• Land reform in rural areas.\n\n"
        "• Changes to the household registration system."
    )
    for junk in ("<", "dataLayer", "trackPageView", "Home", "Economy", "Copyright", "Jane Doe", "color: red"):
        assert junk not in parsed.text


def test_html_headline_inside_an_article_header_is_the_title(rules):
    html = (
        "<html><head><title>Reform Plans | The Example Review</title></head><body>"
        "<header><a href='/'>The Example Review</a></header>"
        "<article><header><h1>Reform Plans After the Plenum</h1><p>By Jane Doe</p></header>"
        "<p>The Central Committee approved a long list of reforms.</p></article></body></html>"
    )
    parsed = parse_article(html.encode(), "reform.htm", rules)
    assert parsed.title == "Reform Plans After the Plenum"
    assert parsed.text == "The Central Committee approved a long list of reforms."


def test_html_without_h1_takes_the_title_element(rules):
    html = "<html><head><title>Plenum Notes</title></head><body><p>The plenum ended on Thursday.</p></body></html>"
    parsed = parse_article(html.encode(), "notes.html", rules)
    assert parsed.title == "Plenum Notes"
    assert parsed.text == "The plenum ended on Thursday."


MARKDOWN = """\
# Reform Plans After the Plenum

By Jane Doe

The Central Committee approved a *long* list of [reforms](https://example.org/reforms).

## Build a modern industrial system

- Land reform in rural areas.
- Changes to the household registration system.

Subscribe now
"""


def test_markdown_becomes_clean_text_with_the_heading_title(rules):
    parsed = parse_article(MARKDOWN.encode(), "reform.md", rules)
    assert parsed.title == "Reform Plans After the Plenum"
    assert parsed.text == (
        "The Central Committee approved a long list of reforms.\n\n"
        "Build a modern industrial system\n\n"
        "• Land reform in rural areas.\n\n"
        "• Changes to the household registration system."
    )
    assert "#" not in parsed.text and "*" not in parsed.text and "https://" not in parsed.text


def test_plain_text_without_a_headline_is_titled_by_the_file_name(rules):
    text = "In recent years, China has made technological self-sufficiency a top priority for the whole government.\n"
    parsed = parse_article(text.encode(), "notes/003_abc.txt", rules)
    assert parsed.title == "003_abc"
    assert parsed.text == text.strip()
