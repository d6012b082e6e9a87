"""Which pages the site has and what each shows (its template and context). `Pages` collects
what to render; timeline/writer.py renders it."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from tracker import statuses
from tracker.language import language_of

from . import answers, figures
from .downloads import compare_data, search_index
from .feed import feed_xml
from .formats import (
    LANGUAGE_LABELS,
    SITE_LANGUAGE,
    cut_title,
    fmt_num,
    in_its_language,
    json_script,
    lang_attr,
    language_labels,
    safe_id,
    truncate,
)
from .groups import meeting_groups, opens, split_long
from .model import CommitmentView, Model, ThreadView

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"


@lru_cache(maxsize=1)
def make_env() -> Environment:
    """One environment per process: it keeps its compiled templates (and recompiles one whose
    file changed)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["truncate_text"] = truncate
    env.filters["num"] = fmt_num
    env.filters["cut_title"] = cut_title
    env.filters["split_long"] = split_long
    # The language of texts stored without it (formulations, targets, run summaries).
    env.filters["lang_of"] = language_of
    env.filters["in_its_language"] = in_its_language
    env.filters["lang_attr"] = lang_attr
    env.filters["status_help"] = lambda name: statuses.BY_NAME[name].help if name in statuses.BY_NAME else ""
    env.globals["json_script"] = json_script
    env.globals["statuses"] = statuses
    env.globals["opens"] = opens
    env.globals["language_labels"] = LANGUAGE_LABELS
    env.globals["site_language"] = SITE_LANGUAGE
    return env


# --------------------------------------------------------------------------------------------
# What to render


class Pages:
    """The files to render: each a path and a function that produces its text."""

    def __init__(self, model: Model, writer):
        self.model = model
        self.writer = writer
        self.env = make_env()
        self.jobs: list[tuple[str, Callable[[], str]]] = []
        # On a site with commitments in several languages, each is labelled with its own.
        self.show_languages = model.mixed

    def file(self, rel: str, produce: Callable[[], str]) -> None:
        self.jobs.append((rel, produce))

    def page(self, rel: str, template: str, more: Callable[[], dict] | None = None, **context) -> None:
        """Render `template` into `rel`. `more` gives context that is costly to build, only when
        the page is rendered."""

        def produce() -> str:
            if more is not None:
                context.update(more())
            return self.env.get_template(template).render(
                root="../" * rel.count("/"),
                nav_meetings=self.model.meetings,
                page_path=rel,
                show_languages=self.show_languages,
                **context,
            )

        self.file(rel, produce)


def add_pages(pages: Pages) -> None:
    """Every page of the site, and the thread timelines the home page loads."""
    model = pages.model
    pages.page("index.html", "index.html", more=lambda: figures.home_context(model))
    add_topic_pages(pages)
    pages.page(
        "compare.html",
        "compare.html",
        more=lambda: {"compare": compare_data(model), "compare_pages": compare_pages(model)},
        title="Compare two meetings",
    )
    pages.page(
        "search.html",
        "search.html",
        more=lambda: {"index": search_index(model), "languages": language_labels()},
        title="Search commitments",
    )
    meetings_by_id = {m.id: m for m in model.meetings}
    pages.page(
        "formulations.html",
        "formulations.html",
        entries=model.formulations,
        meetings_by_id=meetings_by_id,
        title="Key formulations",
    )
    pages.page(
        "targets.html",
        "targets.html",
        rows=model.targets,
        meetings_by_id=meetings_by_id,
        groups=[list(items) for _metric, items in itertools.groupby(model.targets, key=lambda r: r["metric"])],
        title="Quantified targets",
    )
    # What each nightly run changed: a page and an Atom feed
    meeting_urls = {m.id: m.url for m in model.meetings}
    pages.page("recent.html", "recent.html", runs=model.runs, meeting_urls=meeting_urls, title="Recent changes")
    pages.file("feed.xml", lambda: feed_xml(model, pages.env, meeting_urls))
    add_meeting_pages(pages)
    # A change page for every stored pair, not only consecutive meetings: "what changed from the
    # 20th Party Congress to the Third Plenum" is then one link from the home page.
    for p in model.compared:
        pages.page(
            p.url,
            "changes.html",
            pair=p,
            anchor_of=answers.anchor_of,
            consecutive=p in model.pairs,
            title=f"Changes from {p.before.short} to {p.after.short}",
        )
    for t in model.threads:
        add_thread_page(pages, t)
    add_article_pages(pages)


def compare_pages(model: Model) -> dict:
    """What compare.js needs besides compare_data: the change page of every stored pair (each has
    one, with the evidence) and each commitment's anchor part (change anchors are made of them)."""
    return {
        "pages": {f"{p.before.id}--{p.after.id}": p.url for p in model.compared},
        "anchors": [safe_id(c.id) for c in model.commitments],
    }


def add_topic_pages(pages: Pages) -> None:
    """Per topic of the home page: its thread timeline (topics/<key>.js, loaded when the topic is
    picked) and the timeline's table alternative (a page per topic: on a large site all threads
    make megabytes), and an index of those tables."""
    model = pages.model
    topics = (
        [(topic, figures.topic_threads(model, topic["id"])) for topic in figures.topic_list(model)]
        if model.meetings
        else []
    )
    hover_cache: dict = {}  # hover texts shared by the topics' figures
    index_rows = []  # (topic, its threads, first meeting, last meeting)
    for topic, threads in topics:
        pages.page(
            topic["table"],
            "topic-table.html",
            more=partial(topic_table, model, threads),
            topic=topic,
            meetings=model.meetings,
            title=f"Threads on {topic['label']}",
        )
        pages.file(topic["file"], partial(figures.topic_data_file, model, topic, threads, hover_cache))
        present = [c.meeting_index for t in threads for c in t.commitments]
        first, last = (model.meetings[min(present)], model.meetings[max(present)]) if present else (None, None)
        index_rows.append((topic, threads, first, last))
    pages.page("timeline-table.html", "timeline-table.html", topics=index_rows, title="The timeline as a table")


def topic_table(model: Model, threads: list[ThreadView]) -> dict:
    """The rows of a topic table: (thread, its commitments at each meeting)."""
    rows = []
    for t in threads:
        cells: list[list] = [[] for _ in model.meetings]
        for c in t.commitments:
            cells[c.meeting_index].append(c)
        rows.append((t, cells))
    return {"rows": rows}


def add_meeting_pages(pages: Pages) -> None:
    model = pages.model
    pairs_by_after = {p.after.id: p for p in model.pairs}
    pairs_by_before = {p.before.id: p for p in model.pairs}
    # Every stored comparison with another meeting (not only the neighbours), nearest first.
    compared_with: dict[str, list] = defaultdict(list)
    for p in model.compared:
        compared_with[p.after.id].append((p.before, p))
        compared_with[p.before.id].append((p.after, p))
    for m in model.meetings:
        by_section, groups = meeting_groups(m, model)
        previous = model.meetings[m.index - 1] if m.index > 0 else None
        following = model.meetings[m.index + 1] if m.index + 1 < len(model.meetings) else None
        change_in, change_out = pairs_by_after.get(m.id), pairs_by_before.get(m.id)
        pages.page(
            m.url,
            "meeting.html",
            meeting=m,
            by_section=by_section,
            groups=groups,
            previous=previous,
            following=following,
            change_in=change_in,
            change_out=change_out,
            compared=sorted(compared_with[m.id], key=lambda other: abs(other[0].index - m.index)),
            title=m.name,
        )


def add_thread_page(pages: Pages, t: ThreadView) -> None:
    """A thread from its first meeting on: its commitments at each meeting, and one "not carried
    on" row after its end (none where it merged into another thread)."""
    model = pages.model
    present = {c.meeting_index for c in t.commitments}
    rows = []
    for i in range(t.meeting_indices[0], len(model.meetings)):
        items = [c for c in t.commitments if c.meeting_index == i]
        rows.append((model.meetings[i], items))
        if not items and i - 1 in present and max(present) < i:
            last = [c for c in t.commitments if c.meeting_index == i - 1]
            if not any(c.id in model.disappeared for c in last):
                rows.pop()  # it merged into another thread: no "not carried on" row
            break
    also = [model.topic_labels.get(x, x) for x in t.topics if x != t.group]
    pages.page(t.url, "thread.html", thread=t, rows=rows, also=also, title=f"Thread: {t.title}")


def add_article_pages(pages: Pages) -> None:
    model = pages.model
    by_commitment = {c.id: c for c in model.commitments}
    meeting_by_id = {m.id: m for m in model.meetings}
    for a in model.articles:
        meeting = meeting_by_id.get(a["meeting"])
        pages.page(
            a["url"],
            "article.html",
            more=partial(article_body, a, by_commitment),
            article=a,
            meeting=meeting,
            title=a["title"],
        )


def article_body(article: dict, commitments: dict[str, CommitmentView]) -> dict:
    return {"body": highlight(article, commitments, "../")}


def highlight(article: dict, commitments: dict[str, CommitmentView], root: str) -> Markup:
    """The article text with every evidence sentence in <mark id="ev-N">; each piece of text is
    escaped on its own, so nothing in the article can become markup."""
    text = article["text"]
    out: list[Markup] = []
    cursor = 0
    for mark in article["marks"]:
        out.append(escape(text[cursor : mark["start"]]))
        links = Markup("").join(
            Markup('<a class="evlink" href="{}" title="{}">thread</a>').format(
                root + commitments[cid].thread_url, "Thread of: " + truncate(commitments[cid].text, 80)
            )
            for cid in mark["commitments"]
            if cid in commitments
        )
        out.append(Markup('<mark id="{}">{}</mark>{}').format(mark["anchor"], text[mark["start"] : mark["end"]], links))
        cursor = mark["end"]
    out.append(escape(text[cursor:]))
    return Markup("").join(out)
