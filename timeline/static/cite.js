/* policy-tracker: the "cite" buttons beside evidence sentences copy their citation (title,
   outlet, date, URL or file, and the sentence; in the button's data-cite) to the clipboard.
   navigator.clipboard where the page may use it; else a selected <textarea> and
   execCommand("copy"), which also works from file://; else the text is shown selected, for
   Ctrl+C. The outcome is announced in a live region. */
(function () {
  "use strict";

  function announce(button, message) {
    var status = document.getElementById("cite-status");
    if (!status) {
      status = document.createElement("p");
      status.id = "cite-status";
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    status.textContent = message;
    var label = button.textContent;
    button.textContent = message.indexOf("copied") === 0 ? "copied" : label;
    window.setTimeout(function () { button.textContent = "cite"; }, 2000);
  }

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    document.body.removeChild(area);
    return copied;
  }

  function showForManualCopy(button, text) {
    var area = button.parentNode.querySelector("textarea.cite-text");
    if (!area) {
      area = document.createElement("textarea");
      area.className = "cite-text";
      area.setAttribute("readonly", "");
      area.setAttribute("aria-label", "Citation: press Ctrl+C (or Cmd+C) to copy");
      area.rows = 4;
      button.parentNode.appendChild(area);
    }
    area.value = text;
    area.focus();
    area.select();
  }

  function cite(button) {
    var text = button.getAttribute("data-cite") || "";
    var fallback = function () {
      if (copyWithSelection(text)) {
        announce(button, "copied: citation on the clipboard");
      } else {
        showForManualCopy(button, text);
        announce(button, "Select and copy the citation shown");
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        announce(button, "copied: citation on the clipboard");
      }, fallback);
    } else {
      fallback();
    }
  }

  // The buttons are hidden in the HTML: without this script they could do nothing.
  var buttons = document.querySelectorAll("button.cite[hidden]");
  for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest) {
      var button = target.closest("button.cite");
      if (button) { cite(button); }
    }
  });
})();
