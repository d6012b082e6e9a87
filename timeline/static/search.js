/* Search page: every word of the query must occur in the commitment's text, topics, meeting
   or evidence (case-insensitive). Results are built with textContent: nothing is parsed as HTML. */
(function () {
  "use strict";
  var index = JSON.parse(document.getElementById("search-index").textContent);
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var statusLine = document.getElementById("search-status");
  var MAX = 200;

  index.forEach(function (item) {
    item.haystack = [item.text, item.topics.join(" "), item.meeting, item.short, item.date, item.status, item.evidence]
      .join(" \n ").toLowerCase();
  });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function run() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) {
      statusLine.textContent = index.length + " commitments. Type words to search them.";
      return;
    }
    var hits = index.filter(function (item) {
      return words.every(function (w) { return item.haystack.indexOf(w) >= 0; });
    });
    statusLine.textContent = hits.length + " commitment" + (hits.length === 1 ? "" : "s") + " found" +
      (hits.length > MAX ? " (showing the first " + MAX + ")" : "") + ".";
    hits.slice(0, MAX).forEach(function (item) {
      var li = el("li", { "class": "result" });
      var p = el("p", { "class": "ctext" });
      p.appendChild(el("a", { href: item.url }, item.text));
      li.appendChild(p);
      var meta = el("p", { "class": "meta" });
      meta.appendChild(el("span", { "class": "status status-" + item.status }, item.status));
      meta.appendChild(document.createTextNode(" " + item.short + " (" + item.date + ") · emphasis " + item.emphasis.toFixed(2)));
      item.topics.forEach(function (t) { meta.appendChild(el("span", { "class": "topic" }, t)); });
      li.appendChild(meta);
      list.appendChild(li);
    });
  }

  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
    if (window.history && window.history.replaceState) {
      try { window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// may refuse */ }
    }
  });
  input.addEventListener("input", run);
  run();
})();
