"""The thread timeline of a topic: one row per thread, a point per commitment, coloured by its
status and sized by its emphasis, joined by a line, with an × where the thread was not carried on;
its columns are the meetings, as the home page overview's. timeline/figures.py writes one per
topic into the script the home page loads when an analyst picks that topic.

The figures are plain dicts, not plotly.graph_objects: go.Figure validates every point, which
took 0.85 s for the 12,000 points of a 2,000-article site (to_json with validation) against
0.35 s for all the topics' dicts, hover texts included.
"""

from __future__ import annotations

from markupsafe import escape

from tracker import statuses
from tracker.language import has_cjk

from .formats import truncate
from .model import Model, ThreadView

DROPPED = "disappeared"  # the status of a commitment the next meeting did not carry on
DROPPED_LABEL = "not carried on"
# The thread timeline's traces, in drawing order: later ones are drawn over earlier ones, the ×
# of "not carried on" last. ("not covered" is a change between meetings, never a point.)
TRACES = ("new", "persisted", "strengthened", "weakened", "reappeared", "first seen", DROPPED)
# The site's font stack (site.css): the CJK families let hover labels and ticks in Chinese render
# with a Chinese font rather than whatever fallback the browser picks.
FONT = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans CJK SC', "
    "'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
)


def hover_escape(text: str) -> str:
    """Plotly renders a small HTML subset in hover labels: escape the text, keep our <br>."""
    return str(escape(text))


def marker_size(emphasis: float) -> float:
    return round(max(6.0, min(22.0, 6.0 + 6.0 * emphasis)), 2)


# --------------------------------------------------------------------------------------------
# Meetings


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


# --------------------------------------------------------------------------------------------
# Thread timelines


def thread_hover(c, m) -> str:
    """What the info line above the threads says of one point: the commitment, the meeting,
    status and emphasis, topics, the evidence sentence where it says more, and its source as
    cited (title, outlet, date). A line each; long texts cut at 400 characters."""
    ev = c.evidence[0] if c.evidence else None
    hover = (
        f"<b>{hover_escape(truncate(c.text, 400))}</b><br>"
        f"{hover_escape(m.short)} ({m.start}) · {hover_escape(c.status)} · emphasis {c.emphasis:.2f}<br>"
        f"<i>Topic:</i> {hover_escape(', '.join(c.topic_labels) or 'none')}"
    )
    if ev is not None:
        # The commitment's text is its first evidence sentence: quote a sentence only when it
        # says something else, so the data does not carry every text twice.
        if " ".join(ev.sentence.split()) != " ".join(c.text.split()):
            hover += f"<br><i>Evidence:</i> “{hover_escape(truncate(ev.sentence, 400))}”"
        source = ". ".join(p for p in (f"“{ev.named}”" if ev.named else ev.file, ev.cited) if p)
        hover += f"<br><i>Source:</i> {hover_escape(source)}"
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
                f"<br>{hover_escape(truncate(t.commitments[0].text, 400))}"
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


def row_labels(texts: list[str], length: int = 34) -> list[str]:
    """Each thread's row label: the start of its first commitment, cut at a word (Chinese: at
    half as many characters); rows whose starts read alike ("Officials also identified
    future…") are labelled from where their texts part instead ("…industries such as"). The
    full text is shown on hover and tap."""
    labels = [truncate(t, length) for t in texts]
    alike: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        alike.setdefault(label, []).append(i)
    for rows in alike.values():
        if len(rows) < 2:
            continue
        words = [" ".join(texts[i].split()).split(" ") for i in rows]
        distinct = {tuple(w) for w in words}
        shared = 0
        while (
            len(distinct) > 1 and all(len(w) > shared + 1 for w in distinct) and len({w[shared] for w in distinct}) == 1
        ):
            shared += 1
        for i, w in zip(rows, words):
            if shared and not has_cjk(texts[i]):
                labels[i] = "…" + truncate(" ".join(w[shared:]), length - 1)
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):  # the same text twice: numbered
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[i] = f"{label} ({seen[label]})"
    return labels


def thread_layout(model: Model, threads: list[ThreadView]) -> dict:
    """The thread timeline's layout: a row per thread, labelled with the start of its first
    commitment, a column per meeting."""
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
        "xaxis": meeting_axis(model),
        "yaxis": {
            "range": [n - 0.5, -0.7],
            "tickmode": "array",
            "tickvals": list(range(len(threads))),
            "ticktext": [hover_escape(label) for label in row_labels([t.commitments[0].text for t in threads])],
            "showgrid": False,
            "zeroline": False,
            "automargin": False,
            "fixedrange": True,
            "tickfont": {"size": 11},
        },
    }
