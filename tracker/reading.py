"""How a text is read before its sentences are judged: whose voice it is in, and where each
sentence stands in it.

- **Voice.** An official full text (a work report, a leader's report to a congress) speaks for
  the government: its "we" is the actor and "We will ..." is a commitment. In news and analysis
  "we" is the author. The marks of an official text are data (`[reading] official_marks`).
- **Readouts.** An official readout reports a meeting in the third person, sentence after
  sentence ("The meeting stressed ...", "..., the meeting said"): its impersonal directives
  ("It is necessary to ...") are the meeting's own. It is recognised by how often it says so.
- **Sections.** An official report is built of top-level sections ("I. Review of Our Work in
  2030", "II. Targets and Policies for 2031", ...). A section whose heading looks back
  ("review", "past five years", or only years before the document's own) is *review*: what it
  says was done, not what will be. A heading that names targets, tasks or plans is *forward*
  even when it also looks back, and so is any other. Text before the first heading is the
  *opening* (salutation, "I now present ...").

The rules live in commitments.toml [reading]; nothing here knows any particular text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .language import has_cjk, word_count
from .rule_files.commitments import ReadingTable

OFFICIAL = "official"
READOUT = "readout"
NEWS = "news"
FORWARD = "forward"
REVIEW = "review"
OPENING = "opening"
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d%])")


@dataclass(frozen=True)
class Section:
    start: int  # offset of the heading line in the text
    title: str  # the heading as written ("I. Review of Our Work in 2030"), "" for the opening
    mode: str  # FORWARD, REVIEW or OPENING


@dataclass(frozen=True)
class Reading:
    """A text's voice and its sections, in text order (the first one starts at 0)."""

    voice: str
    voice_reason: str
    sections: tuple[Section, ...]

    def section_at(self, offset: int) -> Section:
        if len(self.sections) == 1:
            return self.sections[0]
        index = bisect_right([s.start for s in self.sections], offset) - 1
        return self.sections[max(0, index)]


class ReadingRules:
    """commitments.toml [reading], compiled once."""

    def __init__(self, reading: ReadingTable):
        self.official_marks = [re.compile(p, re.I) for p in reading.official_marks]
        self.lead_lines = reading.lead_lines
        self.first_person_density = reading.first_person_per_1000_words
        self.first_person_density_chinese = reading.first_person_per_1000_words_chinese
        self.first_person = re.compile(reading.first_person, re.I)
        self.section_heading = re.compile(reading.section_heading)
        self.readout_mark = re.compile(reading.readout_mark, re.I)
        self.readout_min = reading.readout_min
        self.readout_per_1000_words = reading.readout_per_1000_words
        self.review_heading = [re.compile(p, re.I) for p in reading.review_heading]
        self.forward_heading = [re.compile(p, re.I) for p in reading.forward_heading]

    def voice(self, title: str, text: str) -> tuple[str, str]:
        """(voice, why): official when a mark of an official text stands in its title or first
        lines and the text speaks in the first person often enough to be the speaker's own."""
        words = max(1, word_count(text))
        lines = [title.strip(), *[line.strip() for line in text.splitlines() if line.strip()][: self.lead_lines]]
        for mark in self.official_marks:
            for line in lines:
                found = mark.search(line)
                if not found:
                    continue
                density = 1000 * len(self.first_person.findall(text)) / words
                wanted = self.first_person_density_chinese if has_cjk(line) else self.first_person_density
                if density >= wanted:
                    return OFFICIAL, (
                        f"official text in the speaker's voice: {found.group().strip()!r} in its first "
                        f"lines, 'we' {density:.0f} times per 1,000 words"
                    )
        marks = len(self.readout_mark.findall(text))
        if marks >= self.readout_min and 1000 * marks / words >= self.readout_per_1000_words:
            return (
                READOUT,
                f"official readout: the meeting is the subject {marks} times "
                f"({1000 * marks / words:.0f} per 1,000 words)",
            )
        return NEWS, "news or analysis: no mark of an official text in its first lines"

    def heading_mode(self, heading: str, year: int | None) -> str:
        if any(p.search(heading) for p in self.forward_heading):
            return FORWARD
        if any(p.search(heading) for p in self.review_heading):
            return REVIEW
        years = [int(y) for y in _YEAR.findall(heading)]
        if year is not None and years and min(years) < year:
            return REVIEW  # "Our Work in 2019" in a report of 2020
        return FORWARD

    def document_year(self, title: str, text: str) -> int | None:
        """The latest year the title and the first lines state (the delivery line's)."""
        lead = "\n".join([title, *[line for line in text.splitlines() if line.strip()][: self.lead_lines]])
        years = [int(y) for y in _YEAR.findall(lead)]
        return max(years) if years else None

    def sections(self, text: str, voice: str, year: int | None = None) -> tuple[Section, ...]:
        """Top-level sections of an official text; news has one forward section."""
        if voice != OFFICIAL:
            return (Section(0, "", FORWARD),)
        sections: list[Section] = []
        position = 0
        for line in text.splitlines(keepends=True):
            heading = self.section_heading.match(line.strip())
            if heading:
                mode = self.heading_mode(heading.group("title"), year)
                sections.append(Section(position + len(line) - len(line.lstrip()), line.strip(), mode))
            position += len(line)
        if not sections:
            return (Section(0, "", FORWARD),)  # an official text without sections (a communique)
        return (Section(0, "", OPENING), *sections)

    def kind(self, title: str, text: str, declared: str | None = None) -> tuple[str, str]:
        """(source kind, why): the kind the front matter declares, else the voice detected."""
        if declared in (OFFICIAL, READOUT, NEWS):
            return declared, f"declared in the front matter (kind: {declared})"
        return self.voice(title, text)

    def read(self, title: str, text: str, year: int | None = None, declared: str | None = None) -> Reading:
        """`year`: the year of the meeting the text is about, when known (else the text's own);
        `declared`: the source kind its front matter states, if any."""
        voice, why = self.kind(title, text, declared)
        return Reading(voice, why, self.sections(text, voice, year or self.document_year(title, text)))
