"""Plotly figures of the home page, built with plotly.graph_objects and returned as plain JSON
dicts (the page embeds them; assets/timeline.js draws them with Plotly.newPlot)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections import defaultdict
from typing import TYPE_CHECKING

import plotly.graph_objects as go
from markupsafe import escape

if TYPE_CHECKING:  # pragma: no cover
    from .render import Model

STATUS_COLORS = {  # Okabe-Ito: distinguishable with the common colour-vision deficiencies
    "new": "#0072B2",
    "persisted": "#7a7a7a",
    "strengthened": "#009E73",
    "weakened": "#D55E00",
    "reappeared": "#CC79A7",
    "disappeared": "#222222",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


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
    `rows` is (row, group label) in display order, rows 0..n-1. (assets/timeline.js does the same.)"""
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


def meeting_x(m) -> str:
    """Where a meeting's points sit: the middle of its span (the span is shaded from its start
    to the day after its end)."""
    start = dt.datetime.fromisoformat(m.start)
    end = dt.datetime.fromisoformat(m.end) + dt.timedelta(days=1)
    return (start + (end - start) / 2).strftime("%Y-%m-%d %H:%M:%S")


def timeline_figure(model: "Model") -> dict:
    meetings = model.meetings
    fig = go.Figure()
    if not meetings:
        fig.update_layout(template="none", height=200)
        return _plain(fig)

    first = dt.date.fromisoformat(meetings[0].start)
    last = dt.date.fromisoformat(meetings[-1].end)
    span = max((last - first).days, 30)
    pad = dt.timedelta(days=max(30, round(span * 0.06)))

    # Lines joining the points of a thread (and its "not carried on" marker).
    line_x: list = []
    line_y: list = []
    line_cd: list = []
    points: dict[str, dict[str, list]] = {s: {"x": [], "y": [], "size": [], "text": [], "customdata": []}
                                          for s in STATUS_COLORS}
    for t in model.threads:
        present = sorted({c.meeting_index for c in t.commitments})
        # A × where the thread stops because its commitment disappeared (not where it merged
        # into another thread's commitment).
        ends = [i + 1 for i in present if i + 1 < len(meetings) and i + 1 not in present
                and any(c.id in model.disappeared for c in t.commitments if c.meeting_index == i)]
        stops = sorted([(i, "point") for i in present] + [(i, "end") for i in ends])
        for i, _kind in stops:
            line_x.append(meeting_x(meetings[i]))
            line_y.append(t.row)
            line_cd.append([None, t.id])
        line_x.append(None)
        line_y.append(None)
        line_cd.append([None, t.id])
        for c in t.commitments:
            m = meetings[c.meeting_index]
            ev = c.evidence[0] if c.evidence else None
            # Hover text is short (two lines each): the full text is one click away, and a
            # large site's home page must stay small.
            hover = (f"<b>{wrap(c.text, 60, 2)}</b><br>"
                     f"{hover_escape(m.short)} · {hover_escape(c.status)} · emphasis {c.emphasis:.2f}<br>"
                     f"<i>Topic:</i> {hover_escape(', '.join(c.topic_labels) or 'none')}")
            if ev is not None:
                # The commitment's text is its first evidence sentence: quote a sentence only
                # when it says something else, so the page does not carry every text twice.
                if " ".join(ev.sentence.split()) != " ".join(c.text.split()):
                    hover += f"<br><i>Evidence:</i> “{wrap(ev.sentence, 60, 2)}”"
                hover += f"<br><i>Source:</i> {hover_escape(ev.file)}"
            bucket = points[c.status if c.status in points else "new"]
            bucket["x"].append(meeting_x(m))
            bucket["y"].append(t.row)
            bucket["size"].append(marker_size(c.emphasis))
            bucket["text"].append(hover)
            bucket["customdata"].append([t.url, t.id])
        for i in ends:
            m = meetings[i]
            bucket = points["disappeared"]
            bucket["x"].append(meeting_x(m))
            bucket["y"].append(t.row)
            bucket["size"].append(9)
            bucket["text"].append(f"<b>Not carried on at {hover_escape(m.short)}</b><br>{wrap(t.commitments[0].text, 60, 2)}")
            bucket["customdata"].append([t.url, t.id])

    fig.add_trace(go.Scatter(
        x=line_x, y=line_y, customdata=line_cd, mode="lines", name="thread", showlegend=False,
        hoverinfo="skip", line={"color": "#c3c8cf", "width": 1.5}, connectgaps=False, meta="lines"))
    for status, bucket in points.items():
        is_end = status == "disappeared"
        fig.add_trace(go.Scatter(
            x=bucket["x"], y=bucket["y"], customdata=bucket["customdata"], text=bucket["text"],
            mode="markers", name=("disappeared (not carried on)" if is_end else status), meta=status,
            legendgroup=status, hovertemplate="%{text}<extra></extra>",
            marker={"color": STATUS_COLORS[status], "size": bucket["size"],
                    "symbol": "x-thin" if is_end else "circle",
                    "line": {"width": 2 if is_end else 1, "color": STATUS_COLORS[status] if is_end else "#ffffff"}},
        ))

    # Meetings: short shaded spans (start to the day after the end) with labels above the plot.
    shapes = []
    annotations = []
    total = (last - first).days + 2 * pad.days
    previous_x = None
    level = 0
    for m in meetings:
        start = dt.date.fromisoformat(m.start)
        end = dt.date.fromisoformat(m.end) + dt.timedelta(days=1)
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": m.start, "x1": end.isoformat(),
                       "y0": 0, "y1": 1, "fillcolor": "#e9edf2", "line": {"width": 1, "color": "#b7c0cc"},
                       "layer": "below", "name": "meeting"})
        if previous_x is not None and (start - previous_x).days < total * 0.25:
            level = 1 - level
        else:
            level = 0
        previous_x = start
        anchor = "right" if m is meetings[-1] and len(meetings) > 1 else "center"
        annotations.append({"x": meeting_x(m), "xref": "x", "xanchor": anchor, "y": 1, "yref": "paper", "yanchor": "bottom",
                            "yshift": 4 + 18 * level, "showarrow": False, "text": hover_escape(m.short),
                            "font": {"size": 12, "color": "#243447"}, "name": "meeting"})

    rows = [(t.row, t.group_label) for t in model.threads]
    tickvals, ticktext, separators = group_ticks(rows)
    for y in separators:
        shapes.append({"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": y, "y1": y,
                       "line": {"width": 1, "color": "#dde2e8", "dash": "dot"}, "layer": "below", "name": "sep"})

    n = max(len(model.threads), 1)
    fig.update_layout(
        template="none",
        height=max(360, 150 + 20 * n),
        margin={"l": 10, "r": 10, "t": 70, "b": 40},
        font={"family": FONT, "size": 12, "color": "#1f2933"},
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
        hovermode="closest",
        hoverlabel={"align": "left", "bgcolor": "#ffffff", "bordercolor": "#8895a7", "font": {"size": 12, "family": FONT, "color": "#1f2933"}},
        showlegend=False,
        shapes=shapes, annotations=annotations,
        xaxis={"type": "date", "range": [(first - pad).isoformat(), (last + pad).isoformat()],
               "showgrid": True, "gridcolor": "#f0f2f5", "zeroline": False, "tickformat": "%b %Y",
               "fixedrange": False},
        yaxis={"range": [n - 0.5, -0.7], "tickmode": "array", "tickvals": tickvals, "ticktext": ticktext,
               "showgrid": False, "zeroline": False, "automargin": True, "fixedrange": True,
               "tickfont": {"size": 11}},
    )
    return _plain(fig)


def heatmap_figure(model: "Model") -> tuple[dict, dict]:
    """Total emphasis of each topic at each meeting (a commitment counts for each of its topics)."""
    meetings = model.meetings
    totals: dict[str, list[float]] = {}
    for c in model.commitments:
        for topic in (c.topics or [""]):
            totals.setdefault(topic, [0.0] * len(meetings))[c.meeting_index] += c.emphasis
    topic_ids = sorted(totals, key=lambda t: (t == "", model.topic_order.get(t, 10_000), t))
    labels = [model.topic_labels.get(t, t) if t else "No topic tagged" for t in topic_ids]
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
        fig.add_trace(go.Heatmap(
            z=z, x=columns, y=labels, text=text, texttemplate="%{text}", xgap=2, ygap=2,
            colorscale=[[0, "#f7fafc"], [0.35, "#c6dbef"], [0.7, "#6baed6"], [1, "#08519c"]],
            hovertemplate="%{y}<br>%{x}<br>total emphasis %{z:.2f}<extra></extra>",
            colorbar={"title": {"text": "emphasis", "side": "right"}, "thickness": 12, "len": 0.8},
        ))
    fig.update_layout(
        template="none",
        height=max(260, 110 + 26 * len(topic_ids)),
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
        font={"family": FONT, "size": 12, "color": "#1f2933"},
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
        xaxis={"side": "top", "type": "category", "showgrid": False, "automargin": True, "fixedrange": True},
        yaxis={"autorange": "reversed", "type": "category", "showgrid": False, "automargin": True, "fixedrange": True},
    )
    table = {"columns": columns, "rows": [(label, row) for label, row in zip(labels, z)]}
    return _plain(fig), table


def home_context(model: "Model", statuses: list[str]) -> dict:
    """Everything templates/index.html needs."""
    timeline_fig = timeline_figure(model)
    heatmap_fig, heat_table = heatmap_figure(model)
    filter_data = {
        "threads": {t.id: {"row": t.row, "group": t.group_label, "topics": t.topics} for t in model.threads},
        "topics": [{"id": tid, "label": model.topic_labels[tid]} for tid in sorted(
            {t for th in model.threads for t in th.topics}, key=lambda x: (model.topic_order.get(x, 10_000), x))],
        "meetings": [{"id": m.id, "short": m.short, "start": m.start, "end": m.end} for m in model.meetings],
    }
    status_counts = []
    for m in model.meetings:
        counts: dict[str, int] = defaultdict(int)
        for c in m.commitments:
            counts[c.status] += 1
        status_counts.append((m, [counts.get(s, 0) for s in statuses]))
    return dict(model=model, timeline_fig=timeline_fig, heatmap_fig=heatmap_fig, heat_table=heat_table,
                filter_data=filter_data, statuses=statuses, status_counts=status_counts,
                pairs_by_after={p.after.id: p for p in model.pairs}, title="Commitments over time")
