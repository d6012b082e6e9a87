/* Home page.

   The topic overview (stacked bars per topic and meeting, from the counts timeline/figures.py
   embeds) and the emphasis heatmap are drawn here as plain SVG: the first screen needs no
   plotly.js, whose loading alone takes 1.3-1.6 s (4.8 MB to compile and initialise), so the page
   is usable at once. When a topic is picked, plotly.js and that topic's thread timeline
   (topics/<key>.js) are loaded by adding <script> elements (fetch() of local files fails from
   file://), and plotly draws the threads. Filters: topic, statuses, date range, bar height,
   and the threads' text; they are kept in the address (#topic=ai&status=new,weakened&from=...),
   so a view can be shared and reloaded.

   Every label stays readable: a column is never narrower than MIN_COLUMN and no label smaller
   than 11 px; where the meetings do not fit, a chart scrolls sideways with its row labels
   pinned. Values show on hover and on tap (a tip for the charts, an info line for the threads,
   whose hover boxes would cover points).

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
  var ROOM = 0.9, WIDTH = 0.72;                 // part of a row for the bars, of a column for a bar
  var ROW_PX = 48, NUMBER_PX = 13, HEAT_ROW_PX = 28;   // a row; the room for the counts over the bars
  var MIN_COLUMN = 34, THREAD_MIN_COLUMN = 26;  // px: narrower columns scroll sideways instead
  var ROW_SIZE = 12, COLUMN_SIZE = 11;          // px of the row and column labels
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
  var threadsBox = document.getElementById("threads-box");
  var threadsAxis = document.getElementById("threads-axis");
  var threadsInfo = document.getElementById("threads-info");
  var threadsText = document.getElementById("threads-q");

  // ---- Small helpers -----------------------------------------------------------------------

  function clone(value) { return JSON.parse(JSON.stringify(value)); }
  // 12345 -> "12,345" (toLocaleString costs microseconds a call: too slow for every label).
  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function plural(n, word) { return thousands(n) + " " + word + (n === 1 ? "" : "s"); }

  function narrow() { return chart.clientWidth < 640; }

  var measurer = document.createElement("canvas").getContext("2d");
  function textWidth(label, size, bold) {
    measurer.font = (bold ? "bold " : "") + size + "px " + FONT;
    return Math.ceil(measurer.measureText(label).width);
  }
  // A label cut at a word to fit `room` px (its full text goes in a <title> or the tip).
  function fit(label, room, size, bold) {
    if (textWidth(label, size, bold) <= room) { return label; }
    var cut = label;
    while (cut.length > 1 && textWidth(cut + "\u2026", size, bold) > room) {
      var space = cut.lastIndexOf(" ");
      cut = space > cut.length / 2 ? cut.slice(0, space) : cut.slice(0, -1);
    }
    return cut.replace(/[\s,;:]+$/, "") + "\u2026";
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
  // A tap (touch or pen) shows the tip where a mouse would hover; it stays until the next tap.
  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || "mouse"; }, true);
  function touched() { return lastPointer !== "mouse"; }

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

  // The geometry of a chart: row labels at the left (at most 40 % of the box, cut to fit), turned
  // column labels on top, columns at least `minColumn` px wide (the chart is then wider than its
  // box, and scrolls). `rowLabels` are cut to fit in place.
  function frame(box, rowLabels, rowSize, columnLabels, columnSize, rowHeight, boldRow, minColumn) {
    var width = Math.max(240, box.clientWidth);
    var left = Math.min(Math.round(width * 0.4), rowLabels.reduce(function (w, label, r) {
      return Math.max(w, textWidth(label, rowSize, r === boldRow));
    }, 0) + 14);
    rowLabels.forEach(function (label, r) { rowLabels[r] = fit(label, left - 14, rowSize, r === boldRow); });
    width = Math.max(width, left + 12 + columnLabels.length * (minColumn || 0));
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
    right = Math.min(right, Math.round(box.clientWidth * 0.3));
    width = Math.max(width, left + right + n * (minColumn || 0));   // the right margin grew: keep the minimum
    column = (width - left - right) / n;
    var tallest = widths.reduce(function (a, w, j) { return j % step === 0 ? Math.max(a, w) : a; }, 0);
    var top = Math.ceil(tallest * Math.sin(turn) + columnSize) + 10;
    return { width: width, left: left, right: right, top: top, column: column, step: step, turn: turn,
             height: top + rowLabels.length * rowHeight + 8, rowHeight: rowHeight };
  }

  function drawFrame(root, f, rowLabels, rowSize, columnLabels, columnSize, boldRow, fullRows) {
    var grid = svg("g", { "class": "grid" }, root);
    var labels = svg("g", { "class": "labels", "font-family": FONT }, root);
    // The row labels, on white, in a group of their own: pinned while the chart scrolls sideways.
    var pinned = svg("g", { "class": "labels pinned", "font-family": FONT }, root);
    svg("rect", { x: 0, y: 0, width: f.left - 2, height: f.height, fill: "#ffffff" }, pinned);
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
      var text = svg("text", { x: f.left - 8, y: f.top + (r + 0.5) * f.rowHeight, "font-size": rowSize, "text-anchor": "end",
                               "dominant-baseline": "middle", "font-weight": r === boldRow ? "bold" : "normal" }, pinned, label);
      if (fullRows && fullRows[r] !== label) { svg("title", {}, text, fullRows[r]); }
    });
    return pinned;
  }

  // Keep a chart's pinned row labels at the left edge of its box while it scrolls sideways.
  function pin(box) {
    var group = box.querySelector("g.pinned");
    if (group) { group.setAttribute("transform", "translate(" + box.scrollLeft + ",0)"); }
  }

  // Where the pointer is, as (row, column) of a frame, or null.
  function cellAt(f, root, event) {
    var box = root.getBoundingClientRect();
    var x = event.clientX - box.left, y = event.clientY - box.top;
    var c = Math.floor((x - f.left) / f.column), r = Math.floor((y - f.top) / f.rowHeight);
    var hidden = root.parentNode ? root.parentNode.scrollLeft : 0;   // under the pinned labels
    return c >= 0 && r >= 0 && x >= f.left + hidden && x < f.width - f.right && y < f.height - 8 ? [r, c] : null;
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

    var fullRows = data.topics.map(function (t) { return t.label; });
    var rowLabels = fullRows.slice();
    var columnLabels = cols.map(function (i) { return data.meetings[i].label; });
    var rowSize = ROW_SIZE, columnSize = COLUMN_SIZE;
    var boldRow = selected ? data.topics.indexOf(byKey[selected]) : -1;
    var f = frame(chart, rowLabels, rowSize, columnLabels, columnSize, ROW_PX, boldRow, MIN_COLUMN);
    f.cols = cols;
    var root = svg("svg", { width: f.width, height: f.height, viewBox: "0 0 " + f.width + " " + f.height,
                            "aria-hidden": "true", focusable: "false", "class": "overview" });
    var rows = svg("g", { "class": "rows" }, root);
    if (boldRow >= 0) {
      svg("rect", { "class": "selected", x: 0, y: f.top + boldRow * ROW_PX, width: f.width, height: ROW_PX }, rows);
    }
    var pinned = drawFrame(root, f, rowLabels, rowSize, columnLabels, columnSize, boldRow, fullRows);
    var numbers = svg("g", { "class": "numbers", "font-family": FONT, "font-size": 11, "text-anchor": "middle", fill: "#36414f" }, root);

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
      // (The top NUMBER_PX of the row hold the counts.)
      var room = ROW_PX - NUMBER_PX;
      var unit = up + down ? ROOM * room / (up + down) : 0;
      var rowTop = f.top + r * ROW_PX + NUMBER_PX;
      var line = rowTop + room * (1 - ROOM) / 2 + up * unit;   // the row's baseline, in pixels
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
        // The count over the bar: the bar's height alone misleads on the square-root scale.
        if (stated) {
          svg("text", { x: (f.left + (c + 0.5) * f.column).toFixed(1), y: (line - total - 3).toFixed(1) }, numbers, String(stated));
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

    root.appendChild(pinned);   // over the bars, when they scroll under it
    chart.textContent = "";
    chart.appendChild(root);
    chart.classList.toggle("scrolls", f.width > chart.clientWidth + 1);
    pin(chart);
    overviewFrame = f;

    var anyStated = on.slice(0, DROPPED).some(Boolean);
    statusLine.textContent = plural(n, "topic") + ", " + plural(cols.length, "meeting") + ": " +
      (anyStated ? plural(totals.stated, "commitment") + " stated" : "no status ticked") +
      (on[DROPPED] ? ", " + thousands(totals.dropped) + " not carried on" : "") + "." +
      (f.width > chart.clientWidth + 1 ? " The chart scrolls sideways." : "") + " Bar height: " +
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

  // The topic whose (pinned, maybe shortened) row label is under the pointer, or null.
  function overviewLabel(event) {
    var f = overviewFrame, root = chart.firstChild;
    if (!f || !root) { return null; }
    var box = root.getBoundingClientRect();
    var x = event.clientX - box.left - chart.scrollLeft, y = event.clientY - box.top;
    var r = Math.floor((y - f.top) / f.rowHeight);
    return x >= 0 && x < f.left && y >= f.top && r < data.topics.length ? data.topics[r] : null;
  }

  // A row label's tip: the topic's full name and what it holds (names are cut on a phone).
  function labelTip(t) {
    var stated = 0;
    t.counts.forEach(function (cell) { for (var s = 0; s < DROPPED; s++) { stated += cell ? cell[s] : 0; } });
    return [[{ text: t.label, style: "strong" }],
            [{ text: plural(t.threads, "thread") + ", " + plural(stated, "commitment") + " stated" }],
            [{ text: (touched() ? "Tap" : "Click") + " again to draw its threads", style: "em" }]];
  }

  chart.addEventListener("pointermove", function (event) {
    if (event.pointerType && event.pointerType !== "mouse") { return; }
    var hit = overviewCell(event), label = hit ? null : overviewLabel(event);
    chart.style.cursor = hit || label ? "pointer" : "";
    if (hit) { showTip(cellTip(hit.topic, hit.meeting), event); } else if (label) { showTip(labelTip(label), event); } else { hideTip(); }
  });
  chart.addEventListener("pointerleave", function (event) { if (!touched()) { hideTip(); } });
  chart.addEventListener("scroll", function () { pin(chart); hideTip(); });
  // A click picks the topic; a tap shows its tip first, a second tap on the same cell picks it.
  var tapped = null;
  chart.addEventListener("click", function (event) {
    var hit = overviewCell(event);
    var label = hit ? null : overviewLabel(event);
    if (label) {   // a row label: its full name first, then (tapped or clicked again) its threads
      if (tapped !== "label:" + label.key) {
        tapped = "label:" + label.key;
        showTip(labelTip(label), event);
        return;
      }
      tapped = null;
      hideTip();
      pickTopic(label.key, true);
      return;
    }
    if (!hit) { tapped = null; hideTip(); return; }
    var here = hit.topic.key + "@" + hit.meeting;
    if (touched() && tapped !== here) {
      tapped = here;
      var lines = cellTip(hit.topic, hit.meeting);
      lines[lines.length - 1] = [{ text: "Tap again to draw this topic\u2019s threads", style: "em" }];
      showTip(lines, event);
      return;
    }
    tapped = null;
    hideTip();
    pickTopic(hit.topic.key, true);
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
    var rowLabels = trace.y.slice();
    var columnLabels = trace.x.slice();
    var rowSize = ROW_SIZE, columnSize = COLUMN_SIZE;
    var f = frame(heatBox, rowLabels, rowSize, columnLabels, columnSize, HEAT_ROW_PX, -1, MIN_COLUMN);
    var root = svg("svg", { width: f.width, height: f.height + 30, viewBox: "0 0 " + f.width + " " + (f.height + 30),
                            "aria-hidden": "true", focusable: "false", "class": "heatmap" });
    var pinned = drawFrame(root, f, rowLabels, rowSize, columnLabels, columnSize, -1, trace.y);
    var zmax = 0;
    trace.z.forEach(function (row) { row.forEach(function (v) { zmax = Math.max(zmax, v); }); });
    var cells = svg("g", { "class": "cells" }, root);
    var texts = svg("g", { "class": "values", "font-family": FONT, "text-anchor": "middle", "dominant-baseline": "middle" }, root);
    var showText = f.column >= 30;
    trace.z.forEach(function (row, r) {
      row.forEach(function (v, c) {
        var x = f.left + c * f.column, y = f.top + r * HEAT_ROW_PX;
        svg("rect", { "class": "cell", x: (x + 1).toFixed(1), y: y + 1, width: Math.max(1, f.column - 2).toFixed(1),
                      height: HEAT_ROW_PX - 2, fill: colour(trace.colorscale, zmax ? v / zmax : 0) }, cells);
        if (showText && v) {
          svg("text", { x: (x + f.column / 2).toFixed(1), y: y + HEAT_ROW_PX / 2, "font-size": 11,
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
    root.appendChild(pinned);
    heatBox.textContent = "";
    heatBox.appendChild(root);
    heatBox.classList.toggle("scrolls", f.width > heatBox.clientWidth + 1);
    pin(heatBox);
    heatFrame = f;
  }

  if (heat && heat.data.length && heatBox) {
    var heatTip = function (event) {
      var f = heatFrame, root = heatBox.firstChild, trace = heat.data[0];
      var at = f && root ? cellAt(f, root, event) : null;
      if (!at || at[0] >= trace.y.length || at[1] >= trace.x.length) { hideTip(); return; }
      var n = trace.customdata ? trace.customdata[at[0]][at[1]] : null;
      showTip([[{ text: trace.y[at[0]], style: "strong" }], [{ text: trace.x[at[1]] }],
               [{ text: (n === null ? "" : plural(n, "commitment") + ", ") + "total emphasis " + trace.z[at[0]][at[1]].toFixed(2) }]], event);
    };
    heatBox.addEventListener("pointermove", function (event) { if (!touched()) { heatTip(event); } });
    heatBox.addEventListener("click", heatTip);   // a tap shows the same
    heatBox.addEventListener("pointerleave", function () { if (!touched()) { hideTip(); } });
    heatBox.addEventListener("scroll", function () { pin(heatBox); hideTip(); });
  }

  // ---- A topic's threads: plotly.js and topics/<key>.js, loaded on demand ------------------

  var requested = null;   // the topic whose threads are shown or on their way
  var threadClicks = false;
  // No mode bar (it covered the first columns' points); the page sets the chart's width.
  var config = { displaylogo: false, displayModeBar: false, responsive: false };

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
    threadsChart.hidden = true; threadsBox.hidden = true; threadsInfo.hidden = true;
    threadsHint.hidden = true;
  }

  function unescape(label) {
    return label.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#34;/g, "\"").replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  }

  // The rows the text filter keeps: their indices in the topic's figure.
  function keptRows(topic) {
    var q = threadsText.value.trim().toLowerCase();
    var labels = topic.figure.layout.yaxis.ticktext;
    var keep = [];
    labels.forEach(function (label, r) {
      var full = (topic.titles && topic.titles[r]) || unescape(label);
      if (!q || full.toLowerCase().indexOf(q) >= 0) { keep.push(r); }
    });
    return keep;
  }

  // The meeting axis of the thread timeline, drawn apart from plotly, in a strip that stays at
  // the top of the threads' box while it scrolls (the same columns as plotly's plot area).
  function drawAxis(f, labels) {
    var root = svg("svg", { width: f.width, height: f.top, viewBox: "0 0 " + f.width + " " + f.top,
                            "aria-hidden": "true", focusable: "false", "class": "axis" });
    var g = svg("g", { "class": "labels", "font-family": FONT }, root);
    labels.forEach(function (label, j) {
      if (j % f.step) { return; }
      var x = f.left + (j + 0.5) * f.column;
      svg("text", f.turn ? { x: x, y: f.top - 6, "font-size": COLUMN_SIZE,
                             transform: "rotate(" + (-f.turn * 180 / Math.PI) + " " + x + " " + (f.top - 6) + ")" }
                         : { x: x, y: f.top - 6, "font-size": COLUMN_SIZE, "text-anchor": "middle" }, g, label);
    });
    threadsAxis.textContent = "";
    threadsAxis.appendChild(root);
  }

  // The info line above the threads: what a hovered or tapped point or row label says. The
  // hover texts are thread_timeline.py's (escaped, with <b>, <i> and <br> of its own): shown as
  // text, a line each.
  function showInfo(lines, lang) {
    threadsInfo.textContent = "";
    lines.forEach(function (line, k) {
      var p = document.createElement("div");
      if (k === 0) { p.className = "first"; }
      if (lang && lang !== document.documentElement.lang) { p.setAttribute("lang", lang); }
      p.textContent = line;
      threadsInfo.appendChild(p);
    });
  }
  function hoverLines(text) {
    return String(text).split("<br>").map(function (line) { return unescape(line.replace(/<\/?[bi]>/g, "")); });
  }

  var threadsFrame = null, threadsRows = [];

  function drawThreads() {
    var key = requested;
    var topic = key && store[key];
    if (!topic || typeof window.Plotly === "undefined") { return Promise.resolve(); }
    var on = {};
    var ticked = checked();
    STATUSES.forEach(function (s, i) { on[s] = ticked[i]; });
    var keep = keptRows(topic);
    var newRow = {};
    keep.forEach(function (r, j) { newRow[r] = j; });
    var points = 0;
    var traces = topic.figure.data.map(function (trace) {
      var copy = Object.assign({}, trace);
      if (trace.meta === "lines") {
        var lx = [], ly = [];
        trace.y.forEach(function (v, i) {
          if (v === null) {
            if (ly.length && ly[ly.length - 1] !== null) { lx.push(null); ly.push(null); }
          } else if (Object.prototype.hasOwnProperty.call(newRow, v)) { lx.push(trace.x[i]); ly.push(newRow[v]); }
        });
        copy.x = lx; copy.y = ly;
        return copy;
      }
      var idx = [];
      trace.y.forEach(function (v, i) { if (Object.prototype.hasOwnProperty.call(newRow, v)) { idx.push(i); } });
      var pick = function (list) { return idx.map(function (i) { return list[i]; }); };
      copy.x = pick(trace.x);
      copy.y = idx.map(function (i) { return newRow[trace.y[i]]; });
      copy.text = pick(trace.text);
      copy.customdata = pick(trace.customdata);
      copy.marker = Object.assign({}, trace.marker, { size: pick(trace.marker.size) });
      // No hover box: the info line above the chart says what the point holds, so no box ever
      // covers the points around it (plotly still reports the hover).
      copy.hoverinfo = "none";
      delete copy.hovertemplate;
      copy.visible = on[trace.meta] !== false;
      if (copy.visible) { points += copy.x.length; }
      return copy;
    });
    var layout = clone(topic.figure.layout);
    var cols = columns();
    layout.xaxis.range = [cols[0] - 0.5, cols[cols.length - 1] + 0.5];
    var columnLabels = cols.map(function (i) { return data.meetings[i].label; });
    var fullRows = keep.map(function (r) { return (topic.titles && topic.titles[r]) || unescape(topic.figure.layout.yaxis.ticktext[r]); });
    var rowLabels = keep.map(function (r) { return unescape(topic.figure.layout.yaxis.ticktext[r]); });
    threadsBox.hidden = false;   // (before measuring its width)
    threadsChart.hidden = false;
    threadsHint.hidden = false;
    threadsInfo.hidden = false;
    // Margins measured here, as for the overview: plotly's automargin redraws the chart once
    // per margin change.
    var f = frame(threadsBox, rowLabels, ROW_SIZE - 1, columnLabels, COLUMN_SIZE, 20, -1, THREAD_MIN_COLUMN);
    drawAxis(f, columnLabels);
    layout.yaxis.tickvals = keep.map(function (r, j) { return j; });
    layout.yaxis.ticktext = rowLabels.map(esc);
    layout.yaxis.tickfont = { size: ROW_SIZE - 1 };
    layout.yaxis.range = [Math.max(keep.length, 1) - 0.5, -0.7];
    layout.xaxis.tickvals = cols;
    layout.xaxis.ticktext = columnLabels.map(esc);
    layout.xaxis.showticklabels = false;   // the axis strip above names the meetings
    layout.margin = { l: f.left, r: f.right, t: 4, b: 16 };
    layout.width = f.width;
    layout.height = Math.max(120, 4 + 16 + 20 * Math.max(keep.length, 1) + 12);
    threadsFrame = f;
    threadsRows = keep.map(function (r, j) { return [fullRows[j], (topic.languages || [])[r]]; });
    threadsChart.setAttribute("aria-label", "Timeline of the " + plural(keep.length, "thread") + " on " + topic.label +
      " across " + plural(data.meetings.length, "meeting") + "; the timeline table holds the same data.");
    threadsStatus.textContent = topic.label + ": " + (keep.length < topic.threads ? keep.length + " of " : "") +
      plural(topic.threads, "thread") + (keep.length < topic.threads ? " match the text" : "") + ", " +
      plural(points, "point") + " shown. Click a point to open its thread.";
    showInfo(["Hover or tap a point for its commitment, evidence and source; a row\u2019s label for its full text."]);
    return window.Plotly.react(threadsChart, traces, layout, config).then(function () {
      pinThreadLabels();
      if (threadClicks) { return; }
      threadClicks = true;
      threadsChart.on("plotly_afterplot", pinThreadLabels);
      threadsChart.on("plotly_hover", function (event) {
        var point = event && event.points && event.points[0];
        if (point && point.text) { showInfo(hoverLines(point.text)); }
      });
      // Clicking a point opens its thread page; a tap shows its text first, a second tap opens it.
      var tappedPoint = null;
      threadsChart.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var target = point && point.customdata;
        if (!target || typeof target !== "string") { return; }
        var here = point.curveNumber + ":" + point.pointNumber;
        if (touched() && tappedPoint !== here) {
          tappedPoint = here;
          showInfo(hoverLines(point.text).concat(["Tap the point again to open its thread."]));
          return;
        }
        window.location.href = target;
      });
    });
  }

  // The row labels stay at the left while the threads scroll sideways (plotly draws them above
  // the points, in .yaxislayer-above: on white, moved by the box's scroll).
  function pinThreadLabels() {
    var layer = threadsChart.querySelector(".yaxislayer-above");
    if (!layer || !threadsFrame) { return; }
    var bg = layer.querySelector("rect.pin-bg");
    if (!bg) {
      bg = svg("rect", { "class": "pin-bg", x: 0, y: 0, fill: "#ffffff" });
      layer.insertBefore(bg, layer.firstChild);
    }
    bg.setAttribute("width", Math.max(0, threadsFrame.left - 4));
    bg.setAttribute("height", threadsChart.clientHeight);
    layer.setAttribute("transform", "translate(" + threadsBox.scrollLeft + ",0)");
  }
  threadsBox.addEventListener("scroll", pinThreadLabels);

  // A row label hovered or tapped: its full text in the info line.
  function rowAt(event) {
    var f = threadsFrame, full = threadsChart._fullLayout;
    if (!f || !full || !full.yaxis) { return null; }
    var box = threadsChart.getBoundingClientRect();
    if (event.clientX - box.left >= f.left + threadsBox.scrollLeft) { return null; }
    var r = Math.round(full.yaxis.p2l(event.clientY - box.top - full.yaxis._offset));
    return r >= 0 && r < threadsRows.length ? threadsRows[r] : null;
  }
  function labelInfo(event) {
    var row = rowAt(event);
    if (row) { showInfo([row[0]], row[1]); }
  }
  threadsChart.addEventListener("pointermove", function (event) { if (!touched()) { labelInfo(event); } });
  threadsChart.addEventListener("click", labelInfo);

  function showTopic(key, scroll) {
    requested = key || null;
    threadsHeading.textContent = key ? "Threads of " + byKey[key].label : "Threads of a topic";
    threadsTable.setAttribute("href", key ? byKey[key].table : "timeline-table.html");
    if (!key) {
      threadsStatus.textContent = "";
      threadsChart.hidden = true; threadsBox.hidden = true; threadsInfo.hidden = true;
      threadsHint.hidden = true;
      if (threadsChart.classList.contains("js-plotly-plot")) { window.Plotly.purge(threadsChart); threadClicks = false; }
      return;
    }
    if (!byKey[key].threads) {
      threadsStatus.textContent = byKey[key].label + " has no thread of its own.";
      threadsChart.hidden = true; threadsBox.hidden = true; threadsInfo.hidden = true;
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

  // ---- The view in the address: #topic=<key>&status=<s>,<s>&from=<date>&to=<date>&scale=<s>&q=<text>
  // (only what differs from the page as it opens).

  function state() {
    var parts = [];
    var add = function (name, value) { parts.push(name + "=" + encodeURIComponent(value)); };
    if (topicSelect.value) { add("topic", topicSelect.value); }
    var on = statusBoxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    if (on.length !== statusBoxes.length) { add("status", on.join(",")); }
    if (fromInput.value && fromInput.value !== fromInput.defaultValue) { add("from", fromInput.value); }
    if (toInput.value && toInput.value !== toInput.defaultValue) { add("to", toInput.value); }
    if (scaleSelect.value !== "sqrt") { add("scale", scaleSelect.value); }
    if (threadsText.value.trim()) { add("q", threadsText.value.trim()); }
    return parts.join("&");
  }

  function remember() {
    if (!window.history || !window.history.replaceState) { return; }
    var hash = state();
    var url = window.location.href.split("#")[0] + (hash ? "#" + hash : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* some file:// set-ups refuse */ }
  }

  function readAddress() {
    var params = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq > 0) {
        try { params[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1)); } catch (e) { /* a broken link: ignored */ }
      }
    });
    if (params.status !== undefined) {
      var on = params.status.split(",");
      statusBoxes.forEach(function (box) { box.checked = on.indexOf(box.value) >= 0; });
    }
    if (params.from && parseDate(params.from) !== null) { fromInput.value = params.from; }
    if (params.to && parseDate(params.to) !== null) { toInput.value = params.to; }
    if (params.scale && scaleSelect.querySelector('option[value="' + params.scale.replace(/[^a-z]/g, "") + '"]')) {
      scaleSelect.value = params.scale;
    }
    if (params.q) { threadsText.value = params.q; }
    return params.topic && byKey[params.topic] ? params.topic : "";
  }

  function pickTopic(key, scroll) {
    if (key && !byKey[key]) { key = ""; }
    topicSelect.value = key;
    remember();
    drawOverview();
    showTopic(key, scroll);
  }

  function refilter() {
    remember();
    drawOverview();
    drawThreads();
  }

  // ---- Start -------------------------------------------------------------------------------

  var initial = readAddress();
  topicSelect.value = initial;
  drawOverview();
  if (heat && heat.data.length && heatBox) { drawHeatmap(); }
  document.documentElement.setAttribute("data-timeline", "ready");
  if (initial) { showTopic(initial, false); }

  topicSelect.addEventListener("change", function () { pickTopic(topicSelect.value, false); });
  scaleSelect.addEventListener("change", function () { remember(); drawOverview(); });
  var typing = null;
  threadsText.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { remember(); drawThreads(); }, 200);
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".chart")) { hideTip(); }
  });
  fromInput.addEventListener("change", refilter);
  toInput.addEventListener("change", refilter);
  statusBoxes.forEach(function (box) { box.addEventListener("change", refilter); });
  resetButton.addEventListener("click", function () {
    fromInput.value = fromInput.defaultValue;
    toInput.value = toInput.defaultValue;
    scaleSelect.value = "sqrt";
    statusBoxes.forEach(function (box) { box.checked = true; });
    threadsText.value = "";
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
