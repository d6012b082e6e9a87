/* Compare page: any two meetings whose changes tracker stored. The statuses, scores and
   reasons are tracker's own (the same as `tracker diff` and the change pages): this script only
   loads compare/<earlier>--<later>.js and lays it out, filtered by status and text. Nothing is
   decided here. The view is in the address (?a=<id>&b=<id>&status=new,weakened&topic=<key>&q=<text>), so it
   can be shared and reloaded; each change has the anchor of the change pages (ch-<earlier
   commitment>--<later commitment>) and links to its evidence there. */
(function () {
  "use strict";
  var E = window.PolicyTrackerElements, el = E.el, langAttr = E.langAttr;
  function languageLabel(code) { return E.languageLabel(code, data.languages); }
  var data = JSON.parse(document.getElementById("compare-data").textContent);
  var selA = document.getElementById("cmp-a");
  var selB = document.getElementById("cmp-b");
  var out = document.getElementById("compare-result");
  var statusLine = document.getElementById("cmp-status");
  var extra = JSON.parse(document.getElementById("compare-pages").textContent);
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll('#cmp-statuses input[name="status"]'));
  var textInput = document.getElementById("cmp-q");
  var topicSelect = document.getElementById("cmp-topic");
  var topicLabels = {};
  data.topics.forEach(function (t) { topicLabels[t.key] = t.label; });
  var share = document.getElementById("cmp-share");
  var GLOBAL = "PolicyTrackerCompare";
  // Long lists (two work reports compare as hundreds of changes): each status is a collapsible
  // group; one longer than LONG_LIST shows its first SHOWN_OF_LONG changes, the rest behind
  // "show N more" (the numbers of timeline/groups.py, as on the change pages).
  var LONG_LIST = 50, SHOWN_OF_LONG = 20;
  var meetings = {};
  data.meetings.forEach(function (m, i) { m.order = i; meetings[m.id] = m; });
  var stored = {};
  data.pairs.forEach(function (p) { stored[p.key] = p; });
  var loading = {};
  var shownTarget = false;

  function badge(status) {
    return el("span", { "class": "status status-" + status.replace(/ /g, "-"), title: data.help[status] || "" }, status);
  }

  function commitmentBlock(index, label) {
    var div = el("div", { "class": "side" });
    div.appendChild(el("h4", {}, label));
    var c = index === null ? null : data.commitments[index];
    if (!c) { div.appendChild(el("p", { "class": "muted" }, "Not stated.")); return div; }
    var p = el("p", langAttr({ "class": "ctext" }, c.language));
    p.appendChild(el("a", { href: c.url }, c.text));
    div.appendChild(p);
    if (c.section) { div.appendChild(el("p", { "class": "section small muted" }, "In the report: " + c.section)); }
    var facts = el("p", { "class": "small" });
    if (data.show_languages) {   // a site in several languages labels each commitment's
      facts.appendChild(languageLabel(c.language));
      facts.appendChild(document.createTextNode(" "));
    }
    facts.appendChild(document.createTextNode("emphasis " + c.emphasis.toFixed(2) +
      (c.topics.length ? " · " + c.topics.join(", ") : "")));
    div.appendChild(facts);
    return div;
  }

  function anchor(ch) {
    return "ch-" + (ch[3] === null ? "none" : extra.anchors[ch[3]]) + "--" + (ch[4] === null ? "none" : extra.anchors[ch[4]]);
  }

  // ---- The view in the address -----------------------------------------------------------

  function readAddress() {
    var params = new URLSearchParams(window.location.search);
    var a = params.get("a"), b = params.get("b");
    if (!a && !b && data.pairs.length) {
      // No meetings asked for: the latest stored comparison (a pair is stored only within the
      // comparison windows, so the first and last meetings may have none).
      var latest = data.pairs.map(function (p) { return [p.before, p.after]; })
        .filter(function (k) { return meetings[k[0]] && meetings[k[1]]; })
        .sort(function (x, y) { return meetings[y[1]].order - meetings[x[1]].order || meetings[y[0]].order - meetings[x[0]].order; })[0];
      if (latest) { a = latest[0]; b = latest[1]; }
    }
    if (a && meetings[a]) { selA.value = a; }
    if (b && meetings[b]) { selB.value = b; }
    if (params.has("status")) {
      var on = params.get("status").split(",");
      statusBoxes.forEach(function (box) { box.checked = on.indexOf(box.value) >= 0; });
    }
    textInput.value = params.get("q") || "";
    var topic = params.get("topic");
    if (topic && topicLabels[topic]) { topicSelect.value = topic; }
  }

  function address() {
    var params = new URLSearchParams();
    params.set("a", selA.value);
    params.set("b", selB.value);
    var on = statusBoxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    if (on.length !== statusBoxes.length) { params.set("status", on.join(",")); }
    if (topicSelect.value) { params.set("topic", topicSelect.value); }
    if (textInput.value.trim()) { params.set("q", textInput.value.trim()); }
    return "compare.html?" + params.toString();
  }

  function remember() {
    var url = address();
    share.setAttribute("href", url);
    if (!window.history || !window.history.replaceState) { return; }
    try { window.history.replaceState(null, "", url + window.location.hash); } catch (e) { /* some file:// set-ups refuse */ }
  }

  function wanted(ch, a, b) {
    var on = statusBoxes.some(function (box) { return box.value === ch[0] && box.checked; });
    var q = textInput.value.trim().toLowerCase();
    if (!on) { return false; }
    // A change is on a topic when either of its commitments is.
    var sides = [ch[3], ch[4]].filter(function (i) { return i !== null; }).map(function (i) { return data.commitments[i]; });
    var label = topicLabels[topicSelect.value];
    if (label && !sides.some(function (c) { return c.topics.indexOf(label) >= 0; })) { return false; }
    if (!q) { return true; }
    return [ch[2], ch[3] !== null ? data.commitments[ch[3]].text : "", ch[4] !== null ? data.commitments[ch[4]].text : ""]
      .some(function (text) { return String(text).toLowerCase().indexOf(q) >= 0; });
  }

  function load(pair, then) {
    if (window[GLOBAL] && window[GLOBAL][pair.key]) { then(window[GLOBAL][pair.key]); return; }
    statusLine.textContent = "Loading the changes…";
    if (!loading[pair.key]) {
      loading[pair.key] = [];
      var script = document.createElement("script");
      script.src = pair.file;
      script.onload = function () {
        var waiting = loading[pair.key]; delete loading[pair.key];
        waiting.forEach(function (f) { f(window[GLOBAL][pair.key]); });
      };
      script.onerror = function () {
        delete loading[pair.key];
        statusLine.textContent = "Could not load " + pair.file + ".";
      };
      document.head.appendChild(script);
    }
    loading[pair.key].push(then);
  }

  function render() {
    remember();
    var a = meetings[selA.value], b = meetings[selB.value];
    out.textContent = "";
    if (!a || !b) { return; }
    if (a.id === b.id) { statusLine.textContent = "Pick two different meetings."; return; }
    if (a.order > b.order) { var t = a; a = b; b = t; }
    var pair = stored[a.id + "--" + b.id];
    if (!pair) {
      statusLine.textContent = a.short + " → " + b.short + ": not stored on this site (the pair lies outside " +
        "the [matching] pairs windows of commitments.toml); tracker diff " + a.id + " " + b.id + " compares it.";
      return;
    }
    var chosen = selA.value + "|" + selB.value;
    load(pair, function (result) {
      if (selA.value + "|" + selB.value !== chosen) { return; }
      show(a, b, pair, result);
      // A link to one change (#ch-...): scroll to it once its list is drawn.
      var target = window.location.hash.length > 1 && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      if (target && !shownTarget) {
        shownTarget = true;
        for (var node = target.parentNode; node; node = node.parentNode) { if (node.tagName === "DETAILS") { node.open = true; } }
        target.scrollIntoView({ block: "start" });
      }
    });
  }

  function show(a, b, pair, result) {
    out.textContent = "";
    var groups = {};
    data.order.forEach(function (s) { groups[s] = []; });
    var all = result.changes.length;
    result.changes.forEach(function (ch) { if (wanted(ch, a, b)) { (groups[ch[0]] = groups[ch[0]] || []).push(ch); } });
    var policy = data.order.filter(function (s) { return s !== data.apart && groups[s].length; })
      .map(function (s) { return groups[s].length + " " + s; }).join(", ");
    var apart = groups[data.apart].length ? "; " + groups[data.apart].length + " " + data.apart + " (counted apart)" : "";
    var kept = data.order.reduce(function (n, s) { return n + groups[s].length; }, 0);
    statusLine.textContent = a.short + " → " + b.short + ": " + (policy || "no changes") + apart + "." +
      (kept < all ? " (" + kept + " of " + all + " changes match the filters.)" : "");
    var heading = el("h2", {}, a.short + " (" + a.start + ") → " + b.short + " (" + b.start + ")");
    out.appendChild(heading);
    var page = extra.pages[pair.key] || pair.page;
    if (page) {
      var p = el("p", {});
      p.appendChild(el("a", { href: page }, "The same changes with their evidence, on the change page"));
      out.appendChild(p);
    }
    data.order.forEach(function (s) {
      var items = groups[s];
      if (!items.length) { return; }
      var section = el("section", { "class": "compare-group" + (s === data.apart ? " muted-group" : ""),
                                     id: "cmp-" + s.replace(/ /g, "-") });
      var details = el("details", { "class": "group status-group" });
      details.open = true;
      var summary = el("summary", {});
      var h = el("h3", {});
      h.appendChild(badge(s));
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", { "class": "count" }, String(items.length)));
      summary.appendChild(h);
      details.appendChild(summary);
      details.appendChild(el("p", { "class": "muted small" }, data.help[s] || ""));
      var shown = items.length > LONG_LIST ? items.slice(0, SHOWN_OF_LONG) : items;
      var rest = items.slice(shown.length);
      shown.forEach(function (ch) { details.appendChild(change(ch, a, b, page)); });
      if (rest.length) {
        var more = el("details", { "class": "more" });
        more.appendChild(el("summary", {}, "Show " + rest.length + " more " + s));
        rest.forEach(function (ch) { more.appendChild(change(ch, a, b, page)); });
        details.appendChild(more);
      }
      section.appendChild(details);
      out.appendChild(section);
    });
  }

  function change(ch, a, b, page) {
    var art = el("article", { "class": "change" });
    var id = anchor(ch);
    var meta = el("p", { "class": "meta", id: id });
    meta.appendChild(badge(ch[0]));
    if (ch[1] !== null) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(el("span", {}, "score " + ch[1].toFixed(1))); }
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(el("span", { "class": "reason" }, ch[2]));
    if (page) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("a", { "class": "evidence-link small", href: page + "#" + id }, "evidence"));
    }
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(el("a", { "class": "anchor small", href: address() + "#" + id, title: "A link to this change" }, "#"));
    art.appendChild(meta);
    var sides = el("div", { "class": "sides" });
    sides.appendChild(commitmentBlock(ch[3], a.short));
    sides.appendChild(commitmentBlock(ch[4], b.short));
    art.appendChild(sides);
    return art;
  }

  readAddress();
  selA.addEventListener("change", render);
  selB.addEventListener("change", render);
  statusBoxes.forEach(function (box) { box.addEventListener("change", render); });
  topicSelect.addEventListener("change", render);
  var typing = null;
  textInput.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(render, 200); });
  render();
})();
