"""What the home page shows, and the thread timelines it loads on demand.

The home page opens on a topic-level view: one row per topic (the main topic of each thread),
one column per meeting, and in each cell a small stacked bar of the commitments on that topic
stated at that meeting, by their status there (statuses.AT_MEETING), with
the previous meeting's commitments on the topic that were not carried on below the row's line.
`overview_data` gives the counts; assets/timeline.js draws them, and the emphasis heatmap, as
plain SVG, so that the first screen needs no plotly.js (loading it alone takes 1.3-1.6 s).

The thread timeline (one row per thread, a point per commitment) is drawn by plotly only for
the topic an analyst picks: `topic_data_file` gives one script per topic, topics/<key>.js,
which the page loads, with plotly.js, by adding <script src> elements (fetch() of a local file
fails from file://). A script only assigns `window.PolicyTrackerTopics[key] = {...}`.

Those thread figures are plain dicts, not plotly.graph_objects: go.Figure validates every
point, which took 0.85 s for the 12,000 points of a 2,000-article site (to_json with
validation) against 0.35 s for all the topics' dicts, hover texts included. The heatmap (a few
hundred cells) still goes through go.Figure; the page reads its data and draws it as SVG.
"""

from __future__ import annotations

import json
import textwrap
from collections import defaultdict

import plotly.graph_objects as go
from markupsafe import escape

from tracker import statuses
from tracker.thread_topics import NO_TOPIC

from .formats import safe_id, script_json, truncate
from .model import Model, ThreadView

DROPPED = "disappeared"  # the status of a commitment the next meeting did not carry on
DROPPED_LABEL = "not carried on"
# The thread timeline's traces, in drawing order: later ones are drawn over earlier ones, the ×
# of "not carried on" last. ("not covered" is a change between meetings, never a point.)
TRACES = ("new", "persisted", "strengthened", "weakened", "reappeared", "first seen", DROPPED)
UNTAGGED = "untagged"  # the key (and file name) of the topic of commitments and threads without one
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
GLOBAL_NAME = "PolicyTrackerTopics"  # what topics/<key>.js scripts fill in


def _plain(fig: go.Figure) -> dict:
    """The figure as plain JSON data (no numpy, no template), for stable embedding."""
    data = json.loads(fig.to_json(engine="json", validate=True))
    data.pop("config", None)
    return data


def hover_escape(text: str) -> str:
    """Plotly renders a small HTML subset in hover labels: escape the text, keep our <br>."""
    return str(escape(text))


def wrap(text: str, width: int = 60, max_lines: int = 3) -> str:
    text = " ".join((text or "")[: width * max_lines + width].split())  # only what can be shown
    lines = textwrap.wrap(text, width=width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip() + " …"
    return "<br>".join(hover_escape(line) for line in lines)


def marker_size(emphasis: float) -> float:
    return round(max(6.0, min(22.0, 6.0 + 6.0 * emphasis)), 2)


def group_ticks(rows: list[tuple[int, str]]) -> tuple[list[float], list[str], list[float]]:
    """Tick positions at the middle of each topic group, and separator positions between groups.
    `rows` is (row, group label) in display order, rows 0..n-1."""
    tickvals: list[float] = []
    ticktext: list[str] = []
    separators: list[float] = []
    start = 0
    for i, (row, label) in enumerate(rows):
        last = i + 1 == len(rows) or rows[i + 1][1] != label
        if last:
            tickvals.append((rows[start][0] + row) / 2)
            ticktext.append(label)
            if i + 1 < len(rows):
                separators.append(row + 0.5)
            start = i + 1
    return tickvals, ticktext, separators


# --------------------------------------------------------------------------------------------
# Meetings and topics


def meeting_label(m) -> str:
    """A meeting's column label: its short name, with its year when the name lacks one
    ("First Plenum" happens every five years)."""
    year = m.start[:4]
    return m.short if year in m.short else f"{m.short} {year}"


def meeting_axis(model: Model) -> dict:
    """The x axis of the thread timelines, as the overview's: one column per meeting, in date
    order, evenly spaced (meetings a week apart stay apart), labelled at the top. The page
    measures the margins (plotly's automargin redraws the chart once per margin change)."""
    n = len(model.meetings)
    return {
        "type": "linear",
        "range": [-0.5, n - 0.5],
        "tickmode": "array",
        "tickvals": list(range(n)),
        "ticktext": [hover_escape(meeting_label(m)) for m in model.meetings],
        "side": "top",
        "tickangle": -60,
        "tickfont": {"size": 11},
        "showgrid": True,
        "gridcolor": "#eef1f5",
        "zeroline": False,
        "automargin": False,
        "fixedrange": False,
    }


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
    (its text as stored, clipped: assets/timeline.js escapes it into the hover label). A
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
        best = [[truncate(c.text, 130), round(c.emphasis, 2)] if c is not None else 0 for c in strongest[key]]
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
# Thread timelines (one per topic, loaded on demand)


def thread_hover(c, m) -> str:
    """Hover text of one point of a thread (short: the full text is one click away)."""
    ev = c.evidence[0] if c.evidence else None
    hover = (
        f"<b>{wrap(c.text, 60, 2)}</b><br>"
        f"{hover_escape(m.short)} ({m.start}) · {hover_escape(c.status)} · emphasis {c.emphasis:.2f}<br>"
        f"<i>Topic:</i> {hover_escape(', '.join(c.topic_labels) or 'none')}"
    )
    if ev is not None:
        # The commitment's text is its first evidence sentence: quote a sentence only when it
        # says something else, so the data does not carry every text twice.
        if " ".join(ev.sentence.split()) != " ".join(c.text.split()):
            hover += f"<br><i>Evidence:</i> “{wrap(ev.sentence, 60, 2)}”"
        hover += f"<br><i>Source:</i> {hover_escape(ev.file)}"
    return hover


def thread_figure(model: Model, threads: list[ThreadView], cache: dict | None = None) -> dict:
    """The thread timeline of `threads`, in that order: one row each, a point per commitment
    coloured by status and sized by emphasis, a line joining them, an × where the thread was
    not carried on. `cache` shares hover texts between the figures of several topics."""
    meetings = model.meetings
    cache = {} if cache is None else cache
    line_x: list = []
    line_y: list = []
    points: dict[str, dict[str, list]] = {
        s: {"x": [], "y": [], "size": [], "text": [], "customdata": []} for s in TRACES
    }
    for row, t in enumerate(threads):
        present = sorted({c.meeting_index for c in t.commitments})
        # A × where the thread stops because its commitment disappeared (not where it merged
        # into another thread's commitment).
        ends = [
            i + 1
            for i in present
            if i + 1 < len(meetings)
            and i + 1 not in present
            and any(c.id in model.disappeared for c in t.commitments if c.meeting_index == i)
        ]
        if len(present) + len(ends) > 1:
            line_x.extend(sorted(present + ends))
            line_y.extend([row] * (len(present) + len(ends)))
            line_x.append(None)
            line_y.append(None)
        for c in t.commitments:
            m = meetings[c.meeting_index]
            hover = cache.get((t.id, c.id, c.status))
            if hover is None:
                hover = cache[(t.id, c.id, c.status)] = thread_hover(c, m)
            bucket = points[c.status if c.status in points else "new"]
            bucket["x"].append(c.meeting_index)
            bucket["y"].append(row)
            bucket["size"].append(marker_size(c.emphasis))
            bucket["text"].append(hover)
            bucket["customdata"].append(t.url)
        for i in ends:
            bucket = points[DROPPED]
            bucket["x"].append(i)
            bucket["y"].append(row)
            bucket["size"].append(9)
            bucket["text"].append(
                f"<b>Not carried on at {hover_escape(meetings[i].short)} ({meetings[i].start})</b>"
                f"<br>{wrap(t.commitments[0].text, 60, 2)}"
            )
            bucket["customdata"].append(t.url)

    data: list[dict] = [
        {
            "type": "scatter",
            "x": line_x,
            "y": line_y,
            "mode": "lines",
            "name": "thread",
            "showlegend": False,
            "hoverinfo": "skip",
            "line": {"color": "#c3c8cf", "width": 1.5},
            "connectgaps": False,
            "meta": "lines",
        }
    ]
    for status, bucket in points.items():
        is_end = status == DROPPED
        colour = statuses.BY_NAME[status].colour
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": bucket["x"],
                "y": bucket["y"],
                "customdata": bucket["customdata"],
                "text": bucket["text"],
                "name": f"{status} ({DROPPED_LABEL})" if is_end else status,
                "meta": status,
                "legendgroup": status,
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {
                    "color": colour,
                    "size": bucket["size"],
                    "symbol": "x-thin" if is_end else "circle",
                    "line": {"width": 2 if is_end else 1, "color": colour if is_end else "#ffffff"},
                },
            }
        )
    return {"data": data, "layout": thread_layout(model, threads)}


def thread_layout(model: Model, threads: list[ThreadView]) -> dict:
    """The thread timeline's layout: a row per thread, labelled by topic group, a column per meeting."""
    tickvals, ticktext, separators = group_ticks([(row, t.group_label) for row, t in enumerate(threads)])
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": y,
            "y1": y,
            "line": {"width": 1, "color": "#dde2e8", "dash": "dot"},
            "layer": "below",
            "name": "sep",
        }
        for y in separators
    ]
    n = max(len(threads), 1)
    return {
        "height": max(360, 190 + 20 * n),
        "margin": {"l": 10, "r": 10, "t": 40, "b": 20},
        "font": {"family": FONT, "size": 12, "color": "#1f2933"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "hoverlabel": {
            "align": "left",
            "bgcolor": "#ffffff",
            "bordercolor": "#8895a7",
            "font": {"size": 12, "family": FONT, "color": "#1f2933"},
        },
        "showlegend": False,
        "shapes": shapes,
        "xaxis": meeting_axis(model),
        "yaxis": {
            "range": [n - 0.5, -0.7],
            "tickmode": "array",
            "tickvals": tickvals,
            "ticktext": [hover_escape(x) for x in ticktext],
            "showgrid": False,
            "zeroline": False,
            "automargin": False,
            "fixedrange": True,
            "tickfont": {"size": 11},
        },
    }


def topic_data_file(model: Model, topic: dict, threads: list[ThreadView], cache: dict | None = None) -> str:
    """topics/<key>.js: the thread timeline of one topic (`threads`: topic_threads of it), which
    the home page draws when an analyst picks that topic. The script only assigns data:
    window.PolicyTrackerTopics[key] = {...}."""
    payload = {
        "key": topic["key"],
        "label": topic["label"],
        "threads": len(threads),
        "points": sum(len(th.commitments) for th in threads),
        "figure": thread_figure(model, threads, cache),
    }
    return (
        f"/* policy-tracker: the threads on one topic, drawn by assets/timeline.js. */\n"
        f"(window.{GLOBAL_NAME} = window.{GLOBAL_NAME} || {{}})[{script_json(topic['key'])}] = "
        f"{script_json(payload)};\n"
    )


def heatmap_figure(model: Model) -> tuple[dict, dict]:
    """Total emphasis of each topic at each meeting (a commitment counts for each of its topics)."""
    meetings = model.meetings
    totals: dict[str, list[float]] = {}
    for c in model.commitments:
        for topic in c.topics or [NO_TOPIC]:
            totals.setdefault(topic, [0.0] * len(meetings))[c.meeting_index] += c.emphasis
    topic_ids = sorted(totals, key=model.topic_rank)
    labels = [model.topic_label(t) for t in topic_ids]
    columns = []
    seen: set[str] = set()
    for m in meetings:
        label = m.short if m.short not in seen else f"{m.short} ({m.start})"
        seen.add(label)
        columns.append(label)
    z = [[round(v, 2) for v in totals[t]] for t in topic_ids]
    text = [[(f"{v:.1f}" if v else "") for v in row] for row in z]
    fig = go.Figure()
    if topic_ids and meetings:
        fig.add_trace(
            go.Heatmap(
                z=z,
                x=columns,
                y=labels,
                text=text,
                texttemplate="%{text}",
                xgap=2,
                ygap=2,
                colorscale=[[0, "#f7fafc"], [0.35, "#c6dbef"], [0.7, "#6baed6"], [1, "#08519c"]],
                hovertemplate="%{y}<br>%{x}<br>total emphasis %{z:.2f}<extra></extra>",
                colorbar={"title": {"text": "emphasis", "side": "right"}, "thickness": 12, "len": 0.8},
            )
        )
    fig.update_layout(
        template="none",
        height=max(260, 110 + 26 * len(topic_ids)),
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
    heatmap_fig, heat_table = heatmap_figure(model)
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
        title="Commitments over time",
    )
