/* Compare page: any two meetings, from the stored threads only (no matching here).
   Same thread at both meetings = carried on (emphasis up: strengthened, down: weakened,
   same: persisted); only at the earlier = disappeared; only at the later = new. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("compare-data").textContent);
  var selA = document.getElementById("cmp-a");
  var selB = document.getElementById("cmp-b");
  var out = document.getElementById("compare-result");
  var statusLine = document.getElementById("cmp-status");
  var EPS = 1e-9;
  // Long lists (two work reports compare as hundreds of changes): each status is a collapsible
  // group; one longer than LONG_LIST shows its first SHOWN_OF_LONG changes, the rest behind
  // "show N more" (the numbers of timeline/render.py, as on the change pages).
  var LONG_LIST = 50, SHOWN_OF_LONG = 20;
  var ORDER = ["strengthened", "new", "persisted", "weakened", "disappeared"];
  var HELP = {
    strengthened: "in the same thread at both meetings, with more emphasis at the later one",
    "new": "a thread stated at the later meeting but not at the earlier one",
    persisted: "in the same thread at both meetings, with the same emphasis",
    weakened: "in the same thread at both meetings, with less emphasis at the later one",
    disappeared: "a thread stated at the earlier meeting but not at the later one"
  };
  var firstSeen = {};  // thread -> index of its first commitment (commitments come in date order)
  data.commitments.forEach(function (c, i) { if (!(c.thread in firstSeen)) { firstSeen[c.thread] = i; } });
  var meetings = {};
  data.meetings.forEach(function (m, i) { m.order = i; meetings[m.id] = m; });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function byThread(meetingId) {
    var threads = {};
    data.commitments.forEach(function (c) {
      if (c.meeting === meetingId) { (threads[c.thread] = threads[c.thread] || []).push(c); }
    });
    return threads;
  }

  function maxEmphasis(items) {
    return items.reduce(function (m, c) { return Math.max(m, c.emphasis); }, -Infinity);
  }

  function commitmentBlock(items, label) {
    var div = el("div", { "class": "side" });
    div.appendChild(el("h4", {}, label));
    if (!items) { div.appendChild(el("p", { "class": "muted" }, "Not stated.")); return div; }
    items.forEach(function (c) {
      var p = el("p", { "class": "ctext" });
      p.appendChild(el("a", { href: c.url }, c.text));
      div.appendChild(p);
      if (c.section) { div.appendChild(el("p", { "class": "section small muted" }, "In the report: " + c.section)); }
      div.appendChild(el("p", { "class": "small" }, "emphasis " + c.emphasis.toFixed(2) +
        (c.topics.length ? " · " + c.topics.join(", ") : "")));
    });
    return div;
  }

  function render() {
    var a = meetings[selA.value], b = meetings[selB.value];
    out.textContent = "";
    if (!a || !b) { return; }
    if (a.id === b.id) {
      statusLine.textContent = "Pick two different meetings.";
      return;
    }
    if (a.order > b.order) { var t = a; a = b; b = t; }
    var ta = byThread(a.id), tb = byThread(b.id);
    var groups = {};
    ORDER.forEach(function (s) { groups[s] = []; });
    var ids = Object.keys(ta).concat(Object.keys(tb).filter(function (k) { return !(k in ta); }));
    ids.sort(function (x, y) { return firstSeen[x] - firstSeen[y]; });
    ids.forEach(function (id) {
      var before = ta[id], after = tb[id], status;
      if (before && after) {
        var ea = maxEmphasis(before), eb = maxEmphasis(after);
        status = eb > ea + EPS ? "strengthened" : (eb < ea - EPS ? "weakened" : "persisted");
      } else if (before) {
        status = "disappeared";
      } else {
        status = "new";
      }
      groups[status].push({ before: before, after: after });
    });
    var summary = ORDER.map(function (s) { return groups[s].length + " " + s; }).join(", ");
    statusLine.textContent = a.short + " → " + b.short + ": " + summary + ".";
    var heading = el("h2", {}, a.short + " (" + a.start + ") → " + b.short + " (" + b.start + ")");
    out.appendChild(heading);
    ORDER.forEach(function (s) {
      var items = groups[s];
      if (!items.length) { return; }
      var section = el("section", { "class": "compare-group", id: "cmp-" + s });
      var details = el("details", { "class": "group status-group" });
      details.open = true;
      var summary = el("summary", {});
      var h = el("h3", {});
      h.appendChild(el("span", { "class": "status status-" + s }, s));
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", { "class": "count" }, String(items.length)));
      summary.appendChild(h);
      details.appendChild(summary);
      details.appendChild(el("p", { "class": "muted small" }, HELP[s]));
      var shown = items.length > LONG_LIST ? items.slice(0, SHOWN_OF_LONG) : items;
      var rest = items.slice(shown.length);
      shown.forEach(function (g) { details.appendChild(change(g, a, b)); });
      if (rest.length) {
        var more = el("details", { "class": "more" });
        more.appendChild(el("summary", {}, "Show " + rest.length + " more " + s));
        rest.forEach(function (g) { more.appendChild(change(g, a, b)); });
        details.appendChild(more);
      }
      section.appendChild(details);
      out.appendChild(section);
    });
  }

  function change(g, a, b) {
    var art = el("article", { "class": "change" });
    var sides = el("div", { "class": "sides" });
    sides.appendChild(commitmentBlock(g.before, a.short));
    sides.appendChild(commitmentBlock(g.after, b.short));
    art.appendChild(sides);
    return art;
  }

  selA.addEventListener("change", render);
  selB.addEventListener("change", render);
  render();
})();
