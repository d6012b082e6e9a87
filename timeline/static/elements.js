/* What the compare and search pages build their lists with: elements filled with text nodes
   only (article text never becomes markup), and the language label of a commitment. */
window.PolicyTrackerElements = (function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  // A lang attribute for text in another language than the page's (which it would inherit).
  function langAttr(attrs, code) {
    if (code && code !== document.documentElement.lang) { attrs.lang = code; }
    return attrs;
  }

  // "中文" / "EN" beside a commitment on a site in several languages; `labels` maps a code to
  // {label, title} (timeline.formats.language_labels).
  function languageLabel(code, labels) {
    var known = labels[code];
    var span = el("span", { "class": "lang lang-" + code, title: known ? known.title : code });
    span.appendChild(el("span", langAttr({}, code), known ? known.label : code));
    return span;
  }

  return { el: el, langAttr: langAttr, languageLabel: languageLabel };
})();
