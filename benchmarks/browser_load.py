"""Home-page load-to-interactive time of a built site in headless Chromium (from file://).

    python -m benchmarks.browser_load --site SITE_DIR [--site OTHER_SITE] [--repeat 5]

Prints ONE JSON object on stdout; progress goes to stderr. Each run starts a fresh Chromium
(no cache, no warm renderer) and opens SITE/index.html from its file:// URL. "Interactive" is
measured from navigation start (performance.timeOrigin) to the first animation frame in which
all of these hold: the load event has fired (every script of the page has run, deferred ones
included), every chart (`.chart` element) shown in the first screen (1280x900) is drawn (a
plotly chart: `.js-plotly-plot` with its traces in the DOM; a chart drawn as SVG: its marks in
the DOM), and the filter status line, which the page script fills in with its chart, is not
empty. The old home page drew its timeline with plotly; the new one draws its overview as SVG
and loads plotly.js only when a topic's threads are asked for (`plotly_js_bytes` is then 0). The time is
read with performance.now() inside the page, so the launch of the browser is not counted.

With --pick-topic (a topic key, or "largest"), each run then picks that topic in the page and
also times, from the pick to its thread timeline drawn by plotly, the on-demand detail (plotly.js
and topics/<key>.js loaded as the page does it); sites without a topic overview are skipped.

With several --site options the sites are measured alternately (A, B, A, B, ...), so that they
share the same conditions on a busy machine. Page bytes are the bytes of every file the page
loaded (HTML, CSS, scripts, data), without assets/plotly.min.js.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = os.environ.get("TRACKER_CHROMIUM") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Runs in the page before its own scripts: records when the page first becomes interactive.
PROBE = """
(() => {
  function drawn(el) {
    if (el.classList.contains("js-plotly-plot")) {   // a plotly chart: its traces are in the DOM
      return Array.isArray(el._fullData) && el._fullData.length > 0 &&
        el.querySelector(".main-svg") !== null && el.querySelector(".trace, .hm") !== null;
    }
    const svg = el.querySelector("svg");              // a chart drawn as SVG: its marks are there
    return svg !== null && svg.querySelector("path, rect") !== null;
  }
  function ready() {
    if (document.readyState !== "complete") { return false; }
    const shown = Array.from(document.querySelectorAll(".chart")).filter(el => el.offsetParent !== null);
    const onScreen = shown.filter(el => {
      const box = el.getBoundingClientRect();
      return box.top < window.innerHeight && box.bottom > 0;
    });
    // The charts on the first screen; when it holds none (the home page leads with text), the
    // charts below it.
    const charts = onScreen.length ? onScreen : shown;
    if (!charts.length || !charts.every(drawn)) { return false; }
    const status = document.getElementById("filter-status");
    return !status || status.textContent.trim() !== "";
  }
  function tick() {
    if (ready()) { window.__interactiveAt = performance.now(); return; }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""


def log(message: str) -> None:
    print(f"[browser_load] {message}", file=sys.stderr, flush=True)


PICK = """async (key) => {
  const data = JSON.parse(document.getElementById("timeline-data").textContent);
  if (!data.topics || !document.getElementById("threads")) { return null; }
  const topic = key === "largest" ? data.topics.reduce((a, b) => (b.threads > a.threads ? b : a)) :
    data.topics.find(t => t.key === key);
  const select = document.getElementById("f-topic");
  const start = performance.now();
  select.value = topic.key;
  select.dispatchEvent(new Event("change"));
  await new Promise(resolve => {
    (function tick() {
      if (document.querySelector("#threads .scatterlayer .point")) { resolve(); } else { requestAnimationFrame(tick); }
    })();
  });
  return {key: topic.key, threads: topic.threads, seconds: (performance.now() - start) / 1000};
}"""


def measure_once(playwright, site: Path, timeout_ms: int, pick: str | None = None) -> tuple[float, dict[str, int], dict | None]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(PROBE)
        page = context.new_page()
        loaded: dict[str, int] = {}
        errors: list[str] = []

        def on_request(request):
            parts = urlsplit(request.url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path))
                if path.is_file():
                    loaded[path.resolve().relative_to(site.resolve()).as_posix()] = path.stat().st_size

        page.on("request", on_request)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((site / "index.html").resolve().as_uri())
        page.wait_for_function("window.__interactiveAt !== undefined", timeout=timeout_ms)
        seconds = page.evaluate("window.__interactiveAt") / 1000.0
        home = dict(loaded)  # what the home page itself loaded, before any pick
        picked = None
        if pick and page.locator("#threads").count():
            picked = page.evaluate(PICK, pick)
        if errors:
            raise RuntimeError(f"page errors: {errors}")
        context.close()
        return seconds, home, picked
    finally:
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="append", required=True, type=Path,
                        help="a built site folder (repeat to measure several alternately)")
    parser.add_argument("--repeat", type=int, default=5, help="page loads per site (default 5)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one page (default 60)")
    parser.add_argument("--pick-topic", metavar="KEY", help='also time picking this topic ("largest": the one with most threads)')
    args = parser.parse_args(argv)
    for site in args.site:
        if not (site / "index.html").is_file():
            parser.error(f"no index.html in {site}")

    from playwright.sync_api import sync_playwright

    runs: dict[Path, list[float]] = {site: [] for site in args.site}
    files: dict[Path, dict[str, int]] = {site: {} for site in args.site}
    picks: dict[Path, list[dict]] = {site: [] for site in args.site}
    with sync_playwright() as p:
        for i in range(args.repeat):
            for site in args.site:
                seconds, loaded, picked = measure_once(p, site, int(args.timeout * 1000), args.pick_topic)
                runs[site].append(round(seconds, 3))
                files[site].update(loaded)
                if picked:
                    picks[site].append(picked)
                log(f"run {i + 1}/{args.repeat} {site}: {seconds:.3f} s" +
                    (f", picking {picked['key']}: {picked['seconds']:.3f} s" if picked else ""))

    results = []
    for site in args.site:
        own = {k: v for k, v in sorted(files[site].items()) if not k.endswith("plotly.min.js")}
        results.append({
            "site": str(site),
            "median_s": round(statistics.median(runs[site]), 3),
            "runs_s": runs[site],
            "page_bytes": sum(own.values()),
            "page_files": own,
            "plotly_js_bytes": sum(v for k, v in files[site].items() if k.endswith("plotly.min.js")),
        })
        if picks[site]:
            results[-1]["pick_topic"] = {
                "key": picks[site][0]["key"], "threads": picks[site][0]["threads"],
                "median_s": round(statistics.median(p["seconds"] for p in picks[site]), 3),
                "runs_s": [round(p["seconds"], 3) for p in picks[site]],
            }
    out = results[0] if len(results) == 1 else {"alternating": True, "sites": results}
    out["repeat"] = args.repeat
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
