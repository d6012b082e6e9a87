"""What the home page shows, and the per-topic scripts it loads on demand.

The home page opens on a topic-level view: one row per topic (the main topic of each thread),
one column per meeting, and in each cell a small stacked bar of the commitments on that topic
stated at that meeting, by their status there (statuses.AT_MEETING), with
the previous meeting's commitments on the topic that were not carried on below the row's line.
`overview_data` gives the counts; assets/timeline.js draws them, and the emphasis heatmap, as
plain SVG, so that the first screen needs no plotly.js (loading it alone takes 1.3-1.6 s).

The thread timeline (timeline/thread_timeline.py) is drawn by plotly only for
the topic an analyst picks: `topic_data_file` gives one script per topic, topics/<key>.js,
which the page loads, with plotly.js, by adding <script src> elements (fetch() of a local file
fails from file://). A script only assigns `window.PolicyTrackerTopics[key] = {...}`.

The heatmap (a few hundred cells) goes through go.Figure; the page reads its data and draws it
as SVG.
"""

from __future__ import annotations

import json
from collections import defaultdict

import plotly.graph_objects as go

from tracker import statuses

from . import answers
from .formats import safe_id, script_json, truncate
from .model import Model, ThreadView
from .thread_timeline import DROPPED, DROPPED_LABEL, FONT, meeting_label, thread_figure

UNTAGGED = "untagged"  # the key (and file name) of the topic of commitments and threads without one
GLOBAL_NAME = "PolicyTrackerTopics"  # what topics/<key>.js scripts fill in


def _plain(fig: go.Figure) -> dict:
    """The figure as plain JSON data (no numpy, no template), for stable embedding."""
    data = json.loads(fig.to_json(engine="json", validate=True))
    data.pop("config", None)
    return data


# --------------------------------------------------------------------------------------------
# Topics


def topic_key(topic_id: str) -> str:
    return topic_id or UNTAGGED


def topic_file(key: str) -> str:
    """Where a topic's thread timeline is, relative to the site root."""
    return f"topics/{safe_id(key)}.js"


def topic_table_file(key: str) -> str:
    """Where a topic's threads are as a table (the thread timeline's table alternative)."""
    return f"tables/{safe_id(key)}.html"


def topic_list(model: Model) -> list[dict]:
    """The main topics of the threads (what each thread's links carried most), in the lexicon's
    order, untagged last. Every thread and every commitment is under exactly one of them."""
    used = {t.group for t in model.threads}
    ordered = sorted(used, key=model.topic_rank)
    return [
        {
            "key": topic_key(t),
            "id": t,
            "label": model.topic_label(t),
            "file": topic_file(topic_key(t)),
            "table": topic_table_file(topic_key(t)),
        }
        for t in ordered
    ]


def topic_threads(model: Model, topic_id: str) -> list[ThreadView]:
    """The threads whose main topic is `topic_id`, in the site's order (oldest first)."""
    return [t for t in model.threads if t.group == topic_id]


# --------------------------------------------------------------------------------------------
# The overview: commitments per topic and meeting, by status


def overview_data(model: Model) -> dict:
    """Per topic and meeting: how many commitments were stated with each status, how many of the
    previous meeting's were not carried on, their total emphasis and the strongest commitment
    (its text as stored, clipped, and its language: assets/timeline.js escapes it into the hover
    label). A
    commitment counts once, under the main topic of its own thread, so that a meeting's column adds
    up to its commitments and a topic's row matches the thread timeline drawn for it."""
    meetings = model.meetings
    n = len(meetings)
    order = list(statuses.AT_MEETING) + [DROPPED]
    slot = {s: i for i, s in enumerate(order)}
    topics = topic_list(model)
    counts = {t["key"]: [[0] * len(order) for _ in range(n)] for t in topics}
    emphasis = {t["key"]: [0.0] * n for t in topics}
    strongest: dict[str, list] = {t["key"]: [None] * n for t in topics}
    main_topic = {t.id: t.group for t in model.threads}
    for c in model.commitments:
        i = c.meeting_index
        key = topic_key(main_topic.get(c.thread_id, c.group))
        if key not in counts:  # a commitment outside every thread (not stored so): its own topic
            counts[key] = [[0] * len(order) for _ in range(n)]
            emphasis[key] = [0.0] * n
            strongest[key] = [None] * n
            topics.append(
                {
                    "key": key,
                    "id": c.group,
                    "label": model.topic_label(c.group),
                    "file": topic_file(key),
                    "table": topic_table_file(key),
                }
            )
        counts[key][i][slot.get(c.status, 0)] += 1
        emphasis[key][i] += c.emphasis
        best = strongest[key][i]
        if best is None or c.emphasis > best.emphasis:
            strongest[key][i] = c
        if c.id in model.disappeared and i + 1 < n:
            counts[key][i + 1][slot[DROPPED]] += 1
    threads: dict[str, int] = defaultdict(int)
    for thread in model.threads:
        threads[topic_key(thread.group)] += 1

    out = []
    for t in topics:
        key = t["key"]
        cells = [row if any(row) else 0 for row in counts[key]]
        best = [
            [truncate(c.text, 130), round(c.emphasis, 2), c.language] if c is not None else 0 for c in strongest[key]
        ]
        out.append(
            {
                **t,
                "threads": threads.get(key, 0),
                "commitments": sum(sum(r[:-1]) for r in counts[key]),
                "counts": cells,
                "emphasis": [round(e, 2) for e in emphasis[key]],
                "strongest": best,
            }
        )
    return {
        "statuses": order,
        "colors": {s: statuses.BY_NAME[s].colour for s in order},
        "meetings": [
            {"id": m.id, "short": m.short, "label": meeting_label(m), "start": m.start, "end": m.end, "url": m.url}
            for m in meetings
        ],
        "topics": out,
        "global": GLOBAL_NAME,
    }


def overview_table(data: dict) -> list[dict]:
    """The overview as rows for its table alternative: per topic, its meetings with commitments."""
    rows = []
    for t in data["topics"]:
        cells = [(data["meetings"][i], cell) for i, cell in enumerate(t["counts"]) if cell]
        rows.append({"label": t["label"], "key": t["key"], "threads": t["threads"], "cells": cells})
    return rows


# --------------------------------------------------------------------------------------------
# The topic scripts (loaded on demand), the heatmap, the home page


def topic_data_file(model: Model, topic: dict, threads: list[ThreadView], cache: dict | None = None) -> str:
    """topics/<key>.js: the thread timeline of one topic (`threads`: topic_threads of it), which
    the home page draws when an analyst picks that topic. The script only assigns data:
    window.PolicyTrackerTopics[key] = {...}."""
    payload = {
        "key": topic["key"],
        "label": topic["label"],
        "threads": len(threads),
        "points": sum(len(th.commitments) for th in threads),
        # Each row's full text (its label is cut): shown when the label is hovered or tapped.
        "titles": [truncate(th.commitments[0].text, 400) for th in threads],
        "languages": [th.language for th in threads],
        "figure": thread_figure(model, threads, cache),
    }
    return (
        f"/* policy-tracker: the threads on one topic, drawn by assets/timeline.js. */\n"
        f"(window.{GLOBAL_NAME} = window.{GLOBAL_NAME} || {{}})[{script_json(topic['key'])}] = "
        f"{script_json(payload)};\n"
    )


def heatmap_figure(overview: dict) -> tuple[dict, dict]:
    """Total emphasis of each topic at each meeting, counting what the overview counts: each
    commitment once, under the main topic of its thread (so a cell's colour sums the emphasis of
    the commitments whose number the overview's bar shows, and its hover gives both)."""
    columns = []
    seen: set[str] = set()
    for m in overview["meetings"]:
        label = m["short"] if m["short"] not in seen else f"{m['short']} ({m['start']})"
        seen.add(label)
        columns.append(label)
    topics = overview["topics"]
    labels = [t["label"] for t in topics]
    z = [list(t["emphasis"]) for t in topics]
    counts = [[sum(cell[:-1]) if cell else 0 for cell in t["counts"]] for t in topics]
    text = [[(f"{v:.1f}" if v else "") for v in row] for row in z]
    fig = go.Figure()
    if topics and columns:
        fig.add_trace(
            go.Heatmap(
                z=z,
                x=columns,
                y=labels,
                text=text,
                customdata=counts,
                texttemplate="%{text}",
                xgap=2,
                ygap=2,
                colorscale=[[0, "#f7fafc"], [0.35, "#c6dbef"], [0.7, "#6baed6"], [1, "#08519c"]],
                hovertemplate="%{y}<br>%{x}<br>%{customdata} commitments, total emphasis %{z:.2f}<extra></extra>",
                colorbar={"title": {"text": "emphasis", "side": "right"}, "thickness": 12, "len": 0.8},
            )
        )
    fig.update_layout(
        template="none",
        height=max(260, 110 + 26 * len(topics)),
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
        font={"family": FONT, "size": 12, "color": "#1f2933"},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        xaxis={"side": "top", "type": "category", "showgrid": False, "automargin": True, "fixedrange": True},
        yaxis={"autorange": "reversed", "type": "category", "showgrid": False, "automargin": True, "fixedrange": True},
    )
    table = {"columns": columns, "rows": [(label, row) for label, row in zip(labels, z)]}
    return _plain(fig), table


def home_context(model: Model) -> dict:
    """Everything templates/index.html needs (the thread timelines are in topic_data_file).
    The meetings table counts the stored changes from the previous meeting (what `tracker diff`
    and the change pages count); the first meeting's commitments are all first seen."""
    overview = overview_data(model)
    heatmap_fig, heat_table = heatmap_figure(overview)
    pairs_by_after = {p.after.id: p for p in model.pairs}
    change_columns = ["first seen", *statuses.CHANGES]
    status_counts = []
    for m in model.meetings:
        pair = pairs_by_after.get(m.id)
        counts = dict(pair.counts()) if pair else {"first seen": len(m.commitments)} if m.index == 0 else {}
        status_counts.append((m, [counts.get(s, 0) for s in change_columns]))
    return dict(
        model=model,
        overview=overview,
        overview_rows=overview_table(overview),
        heatmap_fig=heatmap_fig,
        heat_table=heat_table,
        stated=list(statuses.AT_MEETING),
        dropped=DROPPED,
        dropped_label=DROPPED_LABEL,
        change_columns=change_columns,
        status_counts=status_counts,
        pairs_by_after=pairs_by_after,
        answer=answers.latest_answer(model),
        pairs_into=answers.pairs_into(model),
        sources=[answers.sources_by_kind(m) for m in model.meetings],
        title="What changed, and where it says so",
    )
