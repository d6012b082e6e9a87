"""feed.xml: what each build that changed something did, as an Atom feed (RFC 4287).

Built with xml.etree, so that the structure is well-formed whatever the articles hold; each
entry's content is HTML (rendered by a template, article text escaped there) escaped once into
the XML (type="html"). Characters XML 1.0 forbids (ESC, U+0001, U+FFFF ...) are removed from
every text, since a single one makes the whole feed unreadable to a feed reader.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tracker import statuses

from .formats import SITE_LANGUAGE
from .model import ChangeView, Model

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_TITLE = "policy-tracker: recent changes"
EPOCH = "1970-01-01T00:00:00+00:00"  # `updated` of a feed no run has changed anything in yet
# Everything outside XML 1.0's Char production.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    """`value` as text XML 1.0 may hold: the characters it forbids removed."""
    return _NOT_XML.sub("", str(value))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _changes_of(model: Model) -> dict[tuple, ChangeView]:
    """Every stored change by (from meeting, to meeting, status, commitment): how a run's
    summary (which names one commitment of each change) finds both sides."""
    found: dict[tuple, ChangeView] = {}
    for pair in model.compared:
        for change in pair.changes:
            side = change.after or change.before
            if side is not None:
                found.setdefault((pair.before.id, pair.after.id, change.status, side.id), change)
    return found


def run_changes(run: dict, changes: dict[tuple, ChangeView]) -> list[tuple[str, list[dict]]]:
    """A run's reported changes by status, each item with the commitments before and after
    (None where the change has no such side, or the commitment is no longer stored)."""
    grouped = []
    for status in statuses.REPORTED:
        items = []
        for item in run.get("changes", {}).get(status, []):
            change = changes.get((item["from"], item["to"], status, item["commitment"]))
            items.append(
                {**item, "before": change.before if change else None, "after": change.after if change else None}
            )
        if items:
            grouped.append((status, items))
    return grouped


def feed_xml(model: Model, env, meeting_urls: dict[str, str]) -> str:
    """The Atom feed of model.runs (newest first). With model.base_url every link is absolute."""
    base = model.base_url
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: SITE_LANGUAGE})
    _sub(feed, "title", FEED_TITLE)
    _sub(feed, "id", f"{base}feed.xml" if base else "urn:policy-tracker:runs")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{base}recent.html")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base}feed.xml")
    _sub(feed, "updated", model.runs[0]["finished"] if model.runs else EPOCH)
    author = _sub(feed, "author")
    _sub(author, "name", "policy-tracker")
    template = env.get_template("_feed_entry.html")
    changes = _changes_of(model)
    for run in model.runs:
        entry = _sub(feed, "entry")
        # With the site's address, ids are its URLs: unique to this site. Without it, no id can
        # tell two sites apart (the README says to publish with --base-url).
        _sub(entry, "id", f"{base}recent.html#run-{run['id']}" if base else f"urn:policy-tracker:run:{run['id']}")
        _sub(entry, "title", run_title(run))
        _sub(entry, "updated", run["finished"])
        _sub(entry, "link", rel="alternate", type="text/html", href=f"{base}recent.html#run-{run['id']}")
        html = template.render(run=run, changes=run_changes(run, changes), meeting_urls=meeting_urls, root=base)
        _sub(entry, "content", html, type="html")
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def run_title(run: dict) -> str:
    a = run.get("articles", {})
    counts = ", ".join(f"{len(run.get('changes', {}).get(s, []))} {s}" for s in statuses.REPORTED)
    return (
        f"Run {run['id']}: {len(a.get('added', []))} added, {len(a.get('changed', []))} changed, "
        f"{len(a.get('removed', []))} removed; {counts}"
    )
