"""Where each commitment's evidence stands: the name of each article's page, the marks of the
evidence sentences in each article's text (ev-1, ev-2, ... in text order) and each commitment's
evidence as links to those marks (EvidenceView: a dataclass, whose repr page keys digest).
timeline/model.py reads the rows these are made from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .formats import slugify


@dataclass
class EvidenceView:
    sentence: str
    file: str
    article_url: str  # relative to the site root, with the #ev-N anchor
    title: str
    language: str = "en"  # its article's ("en" or "zh"): the lang of the quoted sentence
    source: str | None = None  # the outlet (tracker.metadata)
    date: str | None = None  # the article's publication date, ISO
    link: str | None = None  # the article's own URL, where known (http or https only: it becomes a link)
    site_url: str = ""  # where the site is published, "" if not known

    @property
    def named(self) -> str | None:
        """Its article's title, unless that title was only made from the file name."""
        return None if self.title in (self.file, self.file.rsplit(".", 1)[0]) else self.title

    @property
    def cited(self) -> str:
        """ "Reuters, 2016-03-05": the outlet and date, where known."""
        return ", ".join(p for p in (self.source, self.date) if p)

    @property
    def citation(self) -> str:
        """The text the "cite" button copies: title, outlet, date, the article's URL (else
        the page on this site, absolute when the site's base URL is known, else the file),
        and the sentence quoted."""
        where = self.link or (self.site_url + self.article_url if self.site_url else self.file)
        head = ". ".join(p for p in (f"“{self.named}”" if self.named else "", self.cited, where) if p)
        return f"{head}.\n“{self.sentence}”"


def article_slugs(article_rows) -> dict[int, str]:
    """Article id -> the name of its page: its file slugified, numbered when two files give one."""
    slugs: dict[int, str] = {}
    used: set[str] = set()
    for a in article_rows:
        slug = slugify(a.file)
        if slug in used:
            n = 2
            while f"{slug}-{n}" in used:
                n += 1
            slug = f"{slug}-{n}"
        used.add(slug)
        slugs[a.id] = slug
    return slugs


def evidence_marks(article_rows, evidence_rows) -> tuple[dict[int, str], dict[int, list[dict]]]:
    """(evidence id -> its anchor, article id -> its marks). Per article, anchors ev-1, ev-2, ...
    in text order; overlapping sentences share one mark."""
    evidence_of_article: dict[int, list] = defaultdict(list)
    for ev in evidence_rows:
        evidence_of_article[ev.article_id].append(ev)
    anchors: dict[int, str] = {}
    marks: dict[int, list[dict]] = {}
    for a in article_rows:
        evs = sorted(evidence_of_article.get(a.id, []), key=lambda e: (e.start, e.end, e.commitment_id, e.position))
        article_marks: list[dict] = []
        n = len(a.text or "")
        for ev in evs:
            start, end = max(0, min(ev.start, n)), max(0, min(ev.end, n))
            if end <= start:
                continue
            if article_marks and start < article_marks[-1]["end"]:
                mark = article_marks[-1]
                mark["end"] = max(mark["end"], end)
            else:
                mark = {"start": start, "end": end, "anchor": f"ev-{len(article_marks) + 1}", "commitments": []}
                article_marks.append(mark)
            if ev.commitment_id not in mark["commitments"]:
                mark["commitments"].append(ev.commitment_id)
            anchors[ev.id] = mark["anchor"]
        marks[a.id] = article_marks
    return anchors, marks


class EvidenceLinks:
    """Each commitment's evidence sentences, linked to their marks in the article pages."""

    def __init__(self, article_rows, slugs: dict[int, str], evidence_rows, anchors: dict[int, str], site_url: str = ""):
        self.site_url = site_url
        self.article_by_id = {a.id: a for a in article_rows}
        self.slugs = slugs
        self.anchors = anchors
        self.of_commitment: dict[str, list] = defaultdict(list)
        for ev in evidence_rows:
            self.of_commitment[ev.commitment_id].append(ev)

    def of(self, commitment_id: str) -> list[EvidenceView]:
        views = []
        for ev in sorted(self.of_commitment.get(commitment_id, []), key=lambda e: (e.position, e.id)):
            anchor = self.anchors.get(ev.id)
            source = self.article_by_id[ev.article_id]
            url = f"articles/{self.slugs[ev.article_id]}.html" + (f"#{anchor}" if anchor else "")
            published = getattr(source, "published", None)
            views.append(
                EvidenceView(
                    ev.sentence,
                    source.file,
                    url,
                    source.title or source.file,
                    source.language or "en",
                    source.source or None,
                    published.isoformat() if published else None,
                    web_url(source.url),
                    self.site_url,
                )
            )
        return views


def web_url(value: str | None) -> str | None:
    """`value` if it is an http(s) URL (an article's `url` becomes a link: no javascript: ones)."""
    return value if value and re.match(r"https?://[^\s]+$", value.strip(), re.I) else None
