/* Search page: every term of the query must occur in the commitment's text, topics, meeting or
   evidence (case-insensitive, full-width letters as half-width). A term with Chinese characters
   matches anywhere (Chinese has no spaces between words: 新质生产力 is found inside a sentence);
   a Latin term matches whole words only ("AI" never hits "said" or "chains"), an English plural
   allowed ("chain" finds "chains"), and with a trailing * any word it starts ("reform*").
   Results are built with textContent: nothing is parsed as HTML. The matching is also
   window.PolicyTrackerSearch, so that it can be tried on its own. */
(function () {
  "use strict";
  var E = window.PolicyTrackerElements, el = E.el, langAttr = E.langAttr;
  function languageLabel(code) { return E.languageLabel(code, languages.labels); }

  // ---- Matching ----------------------------------------------------------------------------

  // The form queries and texts are compared in: NFKC (Ａ１ -> A1, the ideographic space -> a
  // space), lower case.
  function fold(text) { return String(text).normalize("NFKC").toLowerCase(); }
  // Han characters: tracker/language.py's CJK_CHARACTER.
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  // What a Latin word is made of: a term must not touch one of these on either side.
  var WORD_CHAR = "[\\p{Script=Latin}\\p{Nd}]";

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"); }

  // One typed term -> a test on a folded text.
  function termTest(term) {
    term = fold(term);
    if (HAN.test(term)) {
      return function (text) { return text.indexOf(term) >= 0; };
    }
    var prefix = /\*$/.test(term);
    var core = term.replace(/\*+$/, "");
    if (!core) { return function () { return true; }; }
    var pattern = new RegExp("(?<!" + WORD_CHAR + ")" + escapeRegExp(core) +
      (prefix ? "" : "(?:e?s)?(?!" + WORD_CHAR + ")"), "u");
    return function (text) { return pattern.test(text); };
  }

  function terms(query) { return fold(query).split(/\s+/).filter(Boolean); }

  // The test of a whole query on a text (not folded yet): every term must match.
  function matcher(query) {
    var tests = terms(query).map(termTest);
    return function (text) {
      var folded = fold(text);
      return tests.every(function (test) { return test(folded); });
    };
  }

  window.PolicyTrackerSearch = { fold: fold, terms: terms, matcher: matcher };

  // ---- The page ----------------------------------------------------------------------------

  var indexNode = document.getElementById("search-index");
  if (!indexNode) { return; }
  var index = JSON.parse(indexNode.textContent);
  var languagesNode = document.getElementById("search-languages");
  var languages = languagesNode ? JSON.parse(languagesNode.textContent) : { labels: {}, show: false };
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var statusLine = document.getElementById("search-status");
  var MAX = 200;

  index.forEach(function (item) {
    item.haystack = fold([item.text, item.topics.join(" "), item.meeting, item.short, item.date, item.status,
                          item.evidence, item.folded || ""].join(" \n "));
  });

  function run() {
    var tests = terms(input.value).map(termTest);
    list.textContent = "";
    if (!tests.length) {
      statusLine.textContent = index.length + " commitments. Type words to search them.";
      return;
    }
    var hits = index.filter(function (item) {
      return tests.every(function (test) { return test(item.haystack); });
    });
    statusLine.textContent = hits.length + " commitment" + (hits.length === 1 ? "" : "s") + " found" +
      (hits.length > MAX ? " (showing the first " + MAX + ")" : "") + ".";
    hits.slice(0, MAX).forEach(function (item) {
      var li = el("li", { "class": "result" });
      var p = el("p", langAttr({ "class": "ctext" }, item.language));
      p.appendChild(el("a", { href: item.url }, item.text));
      li.appendChild(p);
      var meta = el("p", { "class": "meta" });
      if (languages.show) { meta.appendChild(languageLabel(item.language)); }
      meta.appendChild(el("span", { "class": "status status-" + item.status.replace(/ /g, "-") }, item.status));
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
