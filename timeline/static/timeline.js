/* Home page: draws the timeline and heatmap built by timeline/figures.py and filters the
   timeline (topic, statuses, date range) from the data embedded in the page. No network. */
(function () {
  "use strict";

  function embedded(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var fig = embedded("timeline-figure");
  var heat = embedded("heatmap-figure");
  var meta = embedded("timeline-data");
  var chart = document.getElementById("timeline");
  if (!fig || !meta || !chart || typeof Plotly === "undefined") { return; }

  var config = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines", "hoverCompareCartesian"]
  };
  var DAY = 86400000;
  var originalData = fig.data;
  var baseShapes = (fig.layout.shapes || []).filter(function (s) { return s.name !== "sep"; });
  var sepTemplate = (fig.layout.shapes || []).filter(function (s) { return s.name === "sep"; })[0] ||
    { type: "line", xref: "paper", yref: "y", x0: 0, x1: 1, line: { width: 1, color: "#dde2e8", dash: "dot" }, layer: "below", name: "sep" };
  var fullRange = fig.layout.xaxis.range.slice();

  var topicSelect = document.getElementById("f-topic");
  var fromInput = document.getElementById("f-from");
  var toInput = document.getElementById("f-to");
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll('#timeline-filters input[name="status"]'));
  var statusLine = document.getElementById("filter-status");
  var resetButton = document.getElementById("f-reset");

  function clone(value) { return JSON.parse(JSON.stringify(value)); }

  // Narrow screens: shorter axis labels, so the chart keeps most of the width.
  var narrow = chart.clientWidth < 640;
  function shorten(label) {
    var max = 16;
    return narrow && label.length > max ? label.slice(0, max - 1).replace(/\s+$/, "") + "\u2026" : label;
  }
  if (narrow) {
    fig.layout.yaxis.tickfont = { size: 10 };
    (fig.layout.annotations || []).forEach(function (a) { a.font = { size: 10, color: "#243447" }; });
    if (heat && heat.data.length) {
      var seen = {};
      heat.data[0].y = heat.data[0].y.map(function (label, i) {
        var s = shorten(label);
        if (seen[s]) { s = s + " " + (i + 1); }
        seen[s] = true;
        return s;
      });
      heat.layout.yaxis.tickfont = { size: 10 };
      heat.layout.xaxis.tickfont = { size: 10 };
    }
  }

  // Same as figures.group_ticks: a tick in the middle of each topic group, separators between.
  function groupTicks(rows) {
    var tickvals = [], ticktext = [], separators = [], start = 0;
    for (var i = 0; i < rows.length; i++) {
      var last = i + 1 === rows.length || rows[i + 1][1] !== rows[i][1];
      if (last) {
        tickvals.push((rows[start][0] + rows[i][0]) / 2);
        ticktext.push(shorten(rows[i][1]));
        if (i + 1 < rows.length) { separators.push(rows[i][0] + 0.5); }
        start = i + 1;
      }
    }
    return { tickvals: tickvals, ticktext: ticktext, separators: separators };
  }

  function parseDate(value) {
    var t = Date.parse(value + "T00:00:00Z");
    return isNaN(t) ? null : t;
  }

  function isoDate(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function xRange() {
    var from = parseDate(fromInput.value), to = parseDate(toInput.value);
    var first = meta.meetings[0].start, last = meta.meetings[meta.meetings.length - 1].end;
    if ((fromInput.value === first || from === null) && (toInput.value === last || to === null)) {
      return fullRange.slice();
    }
    if (from === null) { from = parseDate(first); }
    if (to === null) { to = parseDate(last); }
    if (to < from) { var swap = from; from = to; to = swap; }
    var pad = Math.max(10 * DAY, (to - from) * 0.05);
    return [isoDate(from - pad), isoDate(to + pad)];
  }

  function apply() {
    var topic = topicSelect.value;
    var statuses = {};
    statusBoxes.forEach(function (box) { statuses[box.value] = box.checked; });

    var kept = Object.keys(meta.threads).filter(function (id) {
      return !topic || meta.threads[id].topics.indexOf(topic) >= 0;
    });
    kept.sort(function (a, b) { return meta.threads[a].row - meta.threads[b].row; });
    var keep = {}, newRow = {};
    kept.forEach(function (id, i) { keep[id] = true; newRow[meta.threads[id].row] = i; });

    var points = 0;
    var traces = originalData.map(function (trace) {
      var copy = clone(trace);
      var idx = [];
      (trace.customdata || []).forEach(function (cd, i) { if (cd && keep[cd[1]]) { idx.push(i); } });
      ["x", "customdata", "text"].forEach(function (key) {
        if (Array.isArray(trace[key])) { copy[key] = idx.map(function (i) { return trace[key][i]; }); }
      });
      copy.y = idx.map(function (i) { var y = trace.y[i]; return y === null ? null : newRow[y]; });
      if (trace.marker && Array.isArray(trace.marker.size)) {
        copy.marker.size = idx.map(function (i) { return trace.marker.size[i]; });
      }
      if (trace.meta !== "lines") {
        copy.visible = statuses[trace.meta] !== false;
        if (copy.visible) { points += idx.length; }
      }
      return copy;
    });

    var rows = kept.map(function (id, i) { return [i, meta.threads[id].group]; });
    var ticks = groupTicks(rows);
    var layout = clone(fig.layout);
    var n = Math.max(kept.length, 1);
    layout.shapes = clone(baseShapes).concat(ticks.separators.map(function (y) {
      var s = clone(sepTemplate); s.y0 = y; s.y1 = y; return s;
    }));
    layout.yaxis.tickvals = ticks.tickvals;
    layout.yaxis.ticktext = ticks.ticktext;
    layout.yaxis.range = [n - 0.5, -0.7];
    layout.height = Math.max(360, 150 + 20 * n);
    layout.xaxis.range = xRange();
    Plotly.react(chart, traces, layout, config);
    statusLine.textContent = "Showing " + kept.length + " thread" + (kept.length === 1 ? "" : "s") +
      " and " + points + " point" + (points === 1 ? "" : "s") + ".";
  }

  Plotly.newPlot(chart, clone(fig.data), clone(fig.layout), config).then(function () {
    chart.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var target = point && point.customdata && point.customdata[0];
      if (target) { window.location.href = target; }
    });
    apply();
  });

  topicSelect.addEventListener("change", apply);
  fromInput.addEventListener("change", apply);
  toInput.addEventListener("change", apply);
  statusBoxes.forEach(function (box) { box.addEventListener("change", apply); });
  resetButton.addEventListener("click", function () {
    topicSelect.value = "";
    fromInput.value = fromInput.defaultValue;
    toInput.value = toInput.defaultValue;
    statusBoxes.forEach(function (box) { box.checked = true; });
    apply();
  });

  if (heat && document.getElementById("heatmap")) {
    Plotly.newPlot("heatmap", heat.data, heat.layout, config);
  }
})();
