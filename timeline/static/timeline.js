/* Home page.

   The topic overview (stacked bars per topic and meeting, from the counts timeline/figures.py
   embeds) and the emphasis heatmap are drawn here as plain SVG: the first screen needs no
   plotly.js, whose loading alone takes 1.3-1.6 s (4.8 MB to compile and initialise), so the page
   is usable at once. When a topic is picked, plotly.js and that topic's thread timeline
   (topics/<key>.js) are loaded by adding <script> elements (fetch() of local files fails from
   file://), and plotly draws the threads. Filters: topic, statuses, date range, bar height.

   No network. Text from the data reaches the page through textContent and SVG text nodes only;
   the thread timeline's hover labels arrive escaped from thread_timeline.py (plotly reads them as HTML). */
(function () {
  "use strict";

  function embedded(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var data = embedded("timeline-data");
  var heat = embedded("heatmap-figure");
  var chart = document.getElementById("timeline");
  var statusLine = document.getElementById("filter-status");
  if (!data || !chart || !data.meetings.length) { return; }
  if (!data.topics.length) {   // meetings without commitments: nothing to draw
    statusLine.textContent = "No commitments yet.";
    return;
  }

  var SVG = "http://www.w3.org/2000/svg";
  // site.css's font stack, with its CJK families: Chinese labels are drawn and measured in a Chinese font.
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans CJK SC', " +
    "'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";
  var STATUSES = data.statuses;                 // the stated statuses, then "disappeared"
  var DROPPED = STATUSES.length - 1;            // index of "not carried on" in a cell
  var ROOM = 0.86, WIDTH = 0.72;                // part of a row for the bars, of a column for a bar
  var ROW_PX = 36, HEAT_ROW_PX = 26;
  var TURN = 60 * Math.PI / 180;                // column labels are turned 60 degrees
  var store = window[data.global] = window[data.global] || {};
  var byKey = {};
  data.topics.forEach(function (t) { byKey[t.key] = t; });

  var topicSelect = document.getElementById("f-topic");
  var scaleSelect = document.getElementById("f-scale");
  var fromInput = document.getElementById("f-from");
  var toInput = document.getElementById("f-to");
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll('#timeline-filters input[name="status"]'));
  var resetButton = document.getElementById("f-reset");
  var heatBox = document.getElementById("heatmap");
  var threadsChart = document.getElementById("threads");
  var threadsStatus = document.getElementById("threads-status");
  var threadsHeading = document.getElementById("threads-h");
  var threadsHint = document.getElementById("threads-hint");
  var threadsTable = document.getElementById("threads-table");

  // ---- Small helpers -----------------------------------------------------------------------

  function clone(value) { return JSON.parse(JSON.stringify(value)); }
  // 12345 -> "12,345" (toLocaleString costs microseconds a call: too slow for every label).
  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function plural(n, word) { return thousands(n) + " " + word + (n === 1 ? "" : "s"); }

  function narrow() { return chart.clientWidth < 640; }
  function shorten(label, max) {
    return label.length > max ? label.slice(0, max - 1).replace(/\s+$/, "") + "\u2026" : label;
  }

  var measurer = document.createElement("canvas").getContext("2d");
  function textWidth(label, size, bold) {
    measurer.font = (bold ? "bold " : "") + size + "px " + FONT;
    return Math.ceil(measurer.measureText(label).width);
  }

  function svg(tag, attrs, parent, text) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { node.setAttribute(k, attrs[k]); } }
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  // Plotly's pseudo-HTML (the thread timeline's labels): escape what comes from the data.
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&#34;").replace(/'/g, "&#39;");
  }

  // One tooltip for the SVG charts, filled with text nodes only.
  var tip = document.createElement("div");
  tip.className = "chart-tip";
  tip.setAttribute("role", "presentation");
  tip.hidden = true;
  document.body.appendChild(tip);

  function showTip(lines, event) {
    tip.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("div");
      line.forEach(function (part) {
        // Text in another language than the page's gets its own lang (a CJK font, line breaks).
        var foreign = part.lang && part.lang !== document.documentElement.lang;
        var node = part.style ? document.createElement(part.style)
          : foreign ? document.createElement("span") : document.createTextNode("");
        if (foreign) { node.setAttribute("lang", part.lang); }
        node.textContent = part.text;
        p.appendChild(node);
      });
      tip.appendChild(p);
    });
    tip.hidden = false;
    var x = event.clientX + 14, y = event.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 4) { x = Math.max(4, event.clientX - w - 14); }
    if (y + h > window.innerHeight - 4) { y = Math.max(4, event.clientY - h - 14); }
    tip.style.left = (x + window.scrollX) + "px";
    tip.style.top = (y + window.scrollY) + "px";
  }
  function hideTip() { tip.hidden = true; }

  // ---- Filters -----------------------------------------------------------------------------

  function checked() {
    var on = {};
    statusBoxes.forEach(function (box) { on[box.value] = box.checked; });
    return STATUSES.map(function (s) { return on[s] !== false; });
  }

  function parseDate(value) {
    var t = Date.parse(value + "T00:00:00Z");
    return isNaN(t) ? null : t;
  }

  // The meetings inside the date range (all of them if none is).
  function columns() {
    var first = data.meetings[0].start, last = data.meetings[data.meetings.length - 1].end;
    var from = parseDate(fromInput.value), to = parseDate(toInput.value);
    if (from === null) { from = parseDate(first); }
    if (to === null) { to = parseDate(last); }
    if (to < from) { var swap = from; from = to; to = swap; }
    var inside = [];
    data.meetings.forEach(function (m, i) {
      if (parseDate(m.end) >= from && parseDate(m.start) <= to) { inside.push(i); }
    });
    return inside.length ? inside : data.meetings.map(function (m, i) { return i; });
  }

  // ---- Chart frame: row labels on the left, turned column labels on top --------------------

  function frame(box, rowLabels, rowSize, columnLabels, columnSize, rowHeight, boldRow) {
    var width = Math.max(240, box.clientWidth);
    var left = Math.min(Math.round(width * 0.42), rowLabels.reduce(function (w, label, r) {
      return Math.max(w, textWidth(label, rowSize, r === boldRow));
    }, 0) + 14);
    var widths = columnLabels.map(function (label) { return textWidth(label, columnSize); });
    var n = columnLabels.length;
    var column = (width - left - 12) / n;
    // Labels flat when every one fits its column, else turned 60 degrees.
    var turn = widths.every(function (w) { return w <= column - 8; }) ? 0 : TURN;
    // Too narrow for every column's label: label every `step`-th (the tooltip names all).
    var step = turn ? Math.max(1, Math.ceil((columnSize + 2) / (column * Math.sin(turn)))) : 1;
    var right = 12;
    widths.forEach(function (w, j) {
      if (turn && j % step === 0) { right = Math.max(right, Math.ceil(w * Math.cos(turn) - (n - 1 - j + 0.5) * column) + 6); }
    });
    right = Math.min(right, Math.round(width * 0.3));
    column = (width - left - right) / n;
    var tallest = widths.reduce(function (a, w, j) { return j % step === 0 ? Math.max(a, w) : a; }, 0);
    var top = Math.ceil(tallest * Math.sin(turn) + columnSize) + 10;
    return { width: width, left: left, right: right, top: top, column: column, step: step, turn: turn,
             height: top + rowLabels.length * rowHeight + 8, rowHeight: rowHeight };
  }

  function drawFrame(root, f, rowLabels, rowSize, columnLabels, columnSize, boldRow) {
    var grid = svg("g", { "class": "grid" }, root);
    var labels = svg("g", { "class": "labels", "font-family": FONT }, root);
    columnLabels.forEach(function (label, j) {
      var x = f.left + (j + 0.5) * f.column;
      svg("line", { x1: x, x2: x, y1: f.top, y2: f.height - 8 }, grid);
      if (j % f.step === 0) {
        svg("text", f.turn ? { x: x, y: f.top - 6, "font-size": columnSize,
                               transform: "rotate(" + (-f.turn * 180 / Math.PI) + " " + x + " " + (f.top - 6) + ")" }
                           : { x: x, y: f.top - 6, "font-size": columnSize, "text-anchor": "middle" }, labels, label);
      }
    });
    rowLabels.forEach(function (label, r) {
      svg("text", { x: f.left - 8, y: f.top + (r + 0.5) * f.rowHeight, "font-size": rowSize, "text-anchor": "end",
                    "dominant-baseline": "middle", "font-weight": r === boldRow ? "bold" : "normal" }, labels, label);
    });
  }

  // Where the pointer is, as (row, column) of a frame, or null.
  function cellAt(f, root, event) {
    var box = root.getBoundingClientRect();
    var x = event.clientX - box.left, y = event.clientY - box.top;
    var c = Math.floor((x - f.left) / f.column), r = Math.floor((y - f.top) / f.rowHeight);
    return c >= 0 && r >= 0 && x < f.width - f.right && y < f.height - 8 ? [r, c] : null;
  }

  // ---- The overview ------------------------------------------------------------------------

  // The tooltip of a topic at a meeting, from its counts.
  function cellTip(t, i) {
    var cell = t.counts[i], m = data.meetings[i];
    var lines = [[{ text: t.label, style: "strong" }, { text: " at " + m.short + " (" + m.start + ")" }]];
    var stated = 0, mix = [];
    for (var s = 0; s < DROPPED; s++) {
      stated += cell[s];
      if (cell[s]) { mix.push(cell[s] + " " + STATUSES[s]); }
    }
    if (stated) {
      lines.push([{ text: plural(stated, "commitment") + ": " + mix.join(" \u00b7 ") }]);
      lines.push([{ text: "total emphasis " + t.emphasis[i].toFixed(2) }]);
    } else {
      lines.push([{ text: "no commitment stated" }]);
    }
    if (cell[DROPPED]) { lines.push([{ text: cell[DROPPED] + " from " + data.meetings[i - 1].short + " not carried on" }]); }
    if (t.strongest[i]) {
      lines.push([{ text: "Strongest: ", style: "em" },
                  { text: "\u201c" + t.strongest[i][0] + "\u201d", lang: t.strongest[i][2] },
                  { text: " (" + t.strongest[i][1].toFixed(2) + ")" }]);
    }
    lines.push([{ text: "Click to draw this topic\u2019s threads", style: "em" }]);
    return lines;
  }

  var overviewFrame = null;

  function drawOverview() {
    var on = checked();
    var scale = scaleSelect.value;
    var cols = columns();
    var small = narrow();
    var selected = topicSelect.value;
    var n = data.topics.length;
    var maxUp = 0, maxDown = 0, totals = { stated: 0, dropped: 0 };
    var rowMax = data.topics.map(function (t) {
      var up = 0, down = 0;
      cols.forEach(function (i) {
        var cell = t.counts[i];
        if (!cell) { return; }
        var stated = 0;
        for (var s = 0; s < DROPPED; s++) { if (on[s]) { stated += cell[s]; } }
        var dropped = on[DROPPED] ? cell[DROPPED] : 0;
        totals.stated += stated;
        totals.dropped += dropped;
        up = Math.max(up, stated);
        down = Math.max(down, dropped);
      });
      maxUp = Math.max(maxUp, up);
      maxDown = Math.max(maxDown, down);
      return [up, down];
    });

    var rowLabels = data.topics.map(function (t) { return small ? shorten(t.label, 16) : t.label; });
    var columnLabels = cols.map(function (i) { return small ? shorten(data.meetings[i].label, 16) : data.meetings[i].label; });
    var rowSize = small ? 10 : 12, columnSize = small ? 9 : 11;
    var boldRow = selected ? data.topics.indexOf(byKey[selected]) : -1;
    var f = frame(chart, rowLabels, rowSize, columnLabels, columnSize, ROW_PX, boldRow);
    f.cols = cols;
    var root = svg("svg", { width: f.width, height: f.height, viewBox: "0 0 " + f.width + " " + f.height,
                            "aria-hidden": "true", focusable: "false", "class": "overview" });
    var rows = svg("g", { "class": "rows" }, root);
    if (boldRow >= 0) {
      svg("rect", { "class": "selected", x: 0, y: f.top + boldRow * ROW_PX, width: f.width, height: ROW_PX }, rows);
    }
    drawFrame(root, f, rowLabels, rowSize, columnLabels, columnSize, boldRow);

    // Each status is ONE path, every bar of that colour a sub-path: a few elements, not thousands.
    var paths = STATUSES.map(function () { return []; });
    var w = f.column * WIDTH;
    function bar(s, c, base, h) {
      var x = f.left + (c + 0.5) * f.column - w / 2;
      paths[s].push("M" + x.toFixed(1) + " " + base.toFixed(1) + "h" + w.toFixed(1) + "v" + (-h).toFixed(2) +
                    "h" + (-w).toFixed(1) + "z");
    }
    var baselines = [];
    data.topics.forEach(function (t, r) {
      var up = scale === "topic" ? rowMax[r][0] : maxUp;
      var down = scale === "topic" ? rowMax[r][1] : maxDown;
      if (scale === "sqrt") { up = Math.sqrt(up); down = Math.sqrt(down); }
      // One unit of height for both sides (up and down bars compare); the row's room shared
      // between them as the tallest bars need.
      var unit = up + down ? ROOM * ROW_PX / (up + down) : 0;
      var rowTop = f.top + r * ROW_PX;
      var line = rowTop + ROW_PX * (1 - ROOM) / 2 + up * unit;   // the row's baseline, in pixels
      baselines.push(line);
      cols.forEach(function (i, c) {
        var cell = t.counts[i];
        if (!cell || !unit) { return; }
        var stated = 0;
        for (var s = 0; s < DROPPED; s++) { if (on[s]) { stated += cell[s]; } }
        // The stack's height follows the chosen scale; its parts share it in proportion.
        var total = (scale === "sqrt" ? Math.sqrt(stated) : stated) * unit, cum = 0;
        for (s = 0; s < DROPPED; s++) {
          if (!on[s] || !cell[s]) { continue; }
          var h = total * cell[s] / stated;
          bar(s, c, line - cum, h);
          cum += h;
        }
        if (on[DROPPED] && cell[DROPPED]) {
          var d = (scale === "sqrt" ? Math.sqrt(cell[DROPPED]) : cell[DROPPED]) * unit;
          bar(DROPPED, c, line + d, d);
        }
      });
    });
    baselines.forEach(function (y, r) {
      svg("line", { "class": "baseline", x1: f.left, x2: f.width - f.right, y1: y, y2: y }, rows);
      if (r > 0) {
        var sep = f.top + r * ROW_PX;
        svg("line", { "class": "separator", x1: 0, x2: f.width - f.right, y1: sep, y2: sep }, rows);
      }
    });
    var bars = svg("g", { "class": "bars" }, root);
    STATUSES.forEach(function (status, s) {
      if (paths[s].length) {
        svg("path", { "class": "bar bar-" + status.replace(/ /g, "-"), fill: data.colors[status], d: paths[s].join("") }, bars);
      }
    });
    // Geometry for tests and tools: where each column and row is.
    root.setAttribute("data-left", f.left);
    root.setAttribute("data-top", f.top);
    root.setAttribute("data-column", f.column.toFixed(3));
    root.setAttribute("data-row", ROW_PX);
    root.setAttribute("data-columns", cols.join(","));

    chart.textContent = "";
    chart.appendChild(root);
    overviewFrame = f;

    var anyStated = on.slice(0, DROPPED).some(Boolean);
    statusLine.textContent = plural(n, "topic") + ", " + plural(cols.length, "meeting") + ": " +
      (anyStated ? plural(totals.stated, "commitment") + " stated" : "no status ticked") +
      (on[DROPPED] ? ", " + thousands(totals.dropped) + " not carried on" : "") + ". Bar height: " +
      (scale === "sqrt" ? "square root of the count (the tallest bar is " + maxUp + ")" :
       scale === "linear" ? "count (the tallest bar is " + maxUp + ")" : "count, each topic scaled to its own tallest bar") + ".";
  }

  function overviewCell(event) {
    var f = overviewFrame, root = chart.firstChild;
    if (!f || !root) { return null; }
    var at = cellAt(f, root, event);
    if (!at || at[0] >= data.topics.length || at[1] >= f.cols.length) { return null; }
    var t = data.topics[at[0]], i = f.cols[at[1]];
    return t.counts[i] ? { topic: t, meeting: i } : null;
  }

  chart.addEventListener("pointermove", function (event) {
    var hit = overviewCell(event);
    chart.style.cursor = hit ? "pointer" : "";
    if (hit) { showTip(cellTip(hit.topic, hit.meeting), event); } else { hideTip(); }
  });
  chart.addEventListener("pointerleave", hideTip);
  chart.addEventListener("click", function (event) {
    var hit = overviewCell(event);
    if (hit) { hideTip(); pickTopic(hit.topic.key, true); }
  });

  // ---- The heatmap (figures.heatmap_figure's data, drawn as SVG) ---------------------------

  var heatFrame = null;

  function colour(scale, v) {   // a colour of plotly's [[stop, "#rrggbb"], ...] scale, v in 0..1
    for (var k = 1; k < scale.length; k++) {
      if (v <= scale[k][0] || k === scale.length - 1) {
        var a = scale[k - 1], b = scale[k], t = b[0] > a[0] ? Math.min(1, Math.max(0, (v - a[0]) / (b[0] - a[0]))) : 0;
        var rgb = [1, 3, 5].map(function (p) {
          var x = parseInt(a[1].substr(p, 2), 16), y = parseInt(b[1].substr(p, 2), 16);
          return Math.round(x + (y - x) * t);
        });
        return "rgb(" + rgb.join(",") + ")";
      }
    }
    return scale[0][1];
  }

  function drawHeatmap() {
    var trace = heat.data[0];
    var small = narrow();
    var rowLabels = trace.y.map(function (label) { return small ? shorten(label, 16) : label; });
    var columnLabels = trace.x.map(function (label) { return small ? shorten(label, 16) : label; });
    var rowSize = small ? 10 : 12, columnSize = small ? 9 : 11;
    var f = frame(heatBox, rowLabels, rowSize, columnLabels, columnSize, HEAT_ROW_PX, -1);
    var root = svg("svg", { width: f.width, height: f.height + 30, viewBox: "0 0 " + f.width + " " + (f.height + 30),
                            "aria-hidden": "true", focusable: "false", "class": "heatmap" });
    drawFrame(root, f, rowLabels, rowSize, columnLabels, columnSize, -1);
    var zmax = 0;
    trace.z.forEach(function (row) { row.forEach(function (v) { zmax = Math.max(zmax, v); }); });
    var cells = svg("g", { "class": "cells" }, root);
    var texts = svg("g", { "class": "values", "font-family": FONT, "text-anchor": "middle", "dominant-baseline": "middle" }, root);
    var showText = f.column >= 24;
    trace.z.forEach(function (row, r) {
      row.forEach(function (v, c) {
        var x = f.left + c * f.column, y = f.top + r * HEAT_ROW_PX;
        svg("rect", { "class": "cell", x: (x + 1).toFixed(1), y: y + 1, width: Math.max(1, f.column - 2).toFixed(1),
                      height: HEAT_ROW_PX - 2, fill: colour(trace.colorscale, zmax ? v / zmax : 0) }, cells);
        if (showText && v) {
          svg("text", { x: (x + f.column / 2).toFixed(1), y: y + HEAT_ROW_PX / 2, "font-size": 9,
                        fill: zmax && v / zmax > 0.55 ? "#ffffff" : "#1f2933" }, texts, trace.text[r][c]);
        }
      });
    });
    // Legend: the colour scale from 0 to the largest total.
    var legend = svg("g", { "class": "legend", "font-family": FONT, "font-size": 11 }, root);
    var lx = f.left, ly = f.height + 6, lw = Math.min(240, f.width - f.left - f.right);
    for (var k = 0; k < 24; k++) {
      svg("rect", { x: (lx + k * lw / 24).toFixed(1), y: ly, width: (lw / 24 + 0.5).toFixed(1), height: 10,
                    fill: colour(trace.colorscale, k / 23) }, legend);
    }
    svg("text", { x: lx, y: ly + 22 }, legend, "0");
    svg("text", { x: lx + lw, y: ly + 22, "text-anchor": "end" }, legend, zmax.toFixed(1) + " total emphasis");
    heatBox.textContent = "";
    heatBox.appendChild(root);
    heatFrame = f;
  }

  if (heat && heat.data.length && heatBox) {
    heatBox.addEventListener("pointermove", function (event) {
      var f = heatFrame, root = heatBox.firstChild, trace = heat.data[0];
      var at = f && root ? cellAt(f, root, event) : null;
      if (!at || at[0] >= trace.y.length || at[1] >= trace.x.length) { hideTip(); return; }
      showTip([[{ text: trace.y[at[0]], style: "strong" }], [{ text: trace.x[at[1]] }],
               [{ text: "total emphasis " + trace.z[at[0]][at[1]].toFixed(2) }]], event);
    });
    heatBox.addEventListener("pointerleave", hideTip);
  }

  // ---- A topic's threads: plotly.js and topics/<key>.js, loaded on demand ------------------

  var requested = null;   // the topic whose threads are shown or on their way
  var threadClicks = false;
  var config = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines", "hoverCompareCartesian"]
  };

  function addScript(src, done, fail) {
    var script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = done;
    script.onerror = fail;
    document.body.appendChild(script);
    return script;
  }

  var plotlyWaiting = null;
  function plotly(done, fail) {
    if (typeof window.Plotly !== "undefined") { done(); return; }
    if (plotlyWaiting) { plotlyWaiting.push([done, fail]); return; }
    plotlyWaiting = [[done, fail]];
    addScript(threadsChart.getAttribute("data-plotly"), function () {
      var waiting = plotlyWaiting;
      plotlyWaiting = null;
      waiting.forEach(function (w) { (typeof window.Plotly !== "undefined" ? w[0] : w[1])(); });
    }, function () {
      var waiting = plotlyWaiting;
      plotlyWaiting = null;
      waiting.forEach(function (w) { w[1](); });
    });
  }

  function load(key, done, fail) {
    var pending = 2;
    function one() { if (--pending === 0) { if (store[key]) { done(); } else { fail(byKey[key].file); } } }
    plotly(one, function () { fail(threadsChart.getAttribute("data-plotly")); });
    if (store[key]) { one(); } else { addScript(byKey[key].file, one, function () { fail(byKey[key].file); }); }
  }

  function failed(key, file) {
    if (requested !== key) { return; }
    threadsStatus.textContent = "The threads of " + byKey[key].label + " could not be loaded (" + file +
      " is missing). The timeline table has them.";
    threadsChart.hidden = true;
    threadsHint.hidden = true;
  }

  function drawThreads() {
    var key = requested;
    var topic = key && store[key];
    if (!topic || typeof window.Plotly === "undefined") { return Promise.resolve(); }
    var on = {};
    var ticked = checked();
    STATUSES.forEach(function (s, i) { on[s] = ticked[i]; });
    var points = 0;
    var traces = topic.figure.data.map(function (trace) {
      var copy = Object.assign({}, trace);
      if (trace.meta !== "lines") {
        copy.visible = on[trace.meta] !== false;
        if (copy.visible) { points += trace.x.length; }
      }
      return copy;
    });
    var layout = clone(topic.figure.layout);
    var small = narrow();
    var cols = columns();
    layout.xaxis.range = [cols[0] - 0.5, cols[cols.length - 1] + 0.5];
    var columnLabels = data.meetings.map(function (m) { return small ? shorten(m.label, 16) : m.label; });
    var unescape = function (label) {
      return label.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#34;/g, "\"").replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    };
    var rowLabels = layout.yaxis.ticktext.map(function (label) { return small ? shorten(unescape(label), 16) : unescape(label); });
    layout.yaxis.ticktext = rowLabels.map(esc);
    layout.yaxis.tickfont = { size: small ? 10 : 11 };
    threadsChart.hidden = false;   // (before measuring its width)
    threadsHint.hidden = false;
    // Margins measured here, as for the overview: plotly's automargin redraws the chart once
    // per margin change.
    var f = frame(threadsChart, rowLabels, small ? 10 : 11, cols.map(function (i) { return columnLabels[i]; }),
                  small ? 9 : 11, 20, -1);
    layout.xaxis.tickvals = cols.filter(function (i, j) { return j % f.step === 0; });
    layout.xaxis.ticktext = layout.xaxis.tickvals.map(function (i) { return esc(columnLabels[i]); });
    layout.xaxis.tickfont = { size: small ? 9 : 11 };
    layout.xaxis.tickangle = f.turn ? -60 : 0;
    layout.margin = { l: f.left, r: f.right, t: f.top, b: 20 };
    layout.height = Math.max(300, f.top + 20 + 20 * topic.threads + 24);
    threadsChart.setAttribute("aria-label", "Timeline of the " + plural(topic.threads, "thread") + " on " + topic.label +
      " across " + plural(data.meetings.length, "meeting") + "; the timeline table holds the same data.");
    threadsStatus.textContent = topic.label + ": " + plural(topic.threads, "thread") + ", " +
      plural(points, "point") + " shown. Click a point to open its thread.";
    return window.Plotly.react(threadsChart, traces, layout, config).then(function () {
      if (threadClicks) { return; }
      threadClicks = true;
      // Clicking a point of a thread opens its thread page.
      threadsChart.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var target = point && point.customdata;
        if (target && typeof target === "string") { window.location.href = target; }
      });
    });
  }

  function showTopic(key, scroll) {
    requested = key || null;
    threadsHeading.textContent = key ? "Threads of " + byKey[key].label : "Threads of a topic";
    threadsTable.setAttribute("href", key ? byKey[key].table : "timeline-table.html");
    if (!key) {
      threadsStatus.textContent = "";
      threadsChart.hidden = true;
      threadsHint.hidden = true;
      if (threadsChart.classList.contains("js-plotly-plot")) { window.Plotly.purge(threadsChart); threadClicks = false; }
      return;
    }
    if (!byKey[key].threads) {
      threadsStatus.textContent = byKey[key].label + " has no thread of its own.";
      threadsChart.hidden = true;
      return;
    }
    if (!store[key] || typeof window.Plotly === "undefined") {
      threadsStatus.textContent = "Loading the " + plural(byKey[key].threads, "thread") + " of " + byKey[key].label + "\u2026";
    }
    load(key, function () {
      if (requested !== key) { return; }   // another topic was picked meanwhile
      drawThreads().then(function () {
        if (scroll) { document.getElementById("threads-section").scrollIntoView({ behavior: "auto", block: "start" }); }
      });
    }, function (file) { failed(key, file); });
  }

  function remember(key) {
    if (!window.history || !window.history.replaceState) { return; }
    var url = window.location.href.split("#")[0] + (key ? "#topic=" + encodeURIComponent(key) : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* some file:// set-ups refuse */ }
  }

  function pickTopic(key, scroll) {
    if (key && !byKey[key]) { key = ""; }
    topicSelect.value = key;
    remember(key);
    drawOverview();
    showTopic(key, scroll);
  }

  function refilter() {
    drawOverview();
    drawThreads();
  }

  // ---- Start -------------------------------------------------------------------------------

  var fromHash = /^#topic=(.+)$/.exec(window.location.hash);
  var initial = fromHash ? decodeURIComponent(fromHash[1]) : topicSelect.value;
  if (initial && !byKey[initial]) { initial = ""; }
  topicSelect.value = initial;
  drawOverview();
  if (heat && heat.data.length && heatBox) { drawHeatmap(); }
  document.documentElement.setAttribute("data-timeline", "ready");
  if (initial) { showTopic(initial, false); }

  topicSelect.addEventListener("change", function () { pickTopic(topicSelect.value, false); });
  scaleSelect.addEventListener("change", drawOverview);
  fromInput.addEventListener("change", refilter);
  toInput.addEventListener("change", refilter);
  statusBoxes.forEach(function (box) { box.addEventListener("change", refilter); });
  resetButton.addEventListener("click", function () {
    fromInput.value = fromInput.defaultValue;
    toInput.value = toInput.defaultValue;
    scaleSelect.value = "sqrt";
    statusBoxes.forEach(function (box) { box.checked = true; });
    pickTopic("", false);
  });
  var lastWidth = chart.clientWidth, resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      if (chart.clientWidth === lastWidth) { return; }
      lastWidth = chart.clientWidth;
      drawOverview();
      if (heat && heat.data.length && heatBox) { drawHeatmap(); }
      drawThreads();
    }, 150);
  });
})();
