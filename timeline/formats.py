"""How values are written into the site: JSON for data files and scripts, slugs and
file-safe ids, clipped text and numbers."""

from __future__ import annotations

import json
import re

from markupsafe import Markup


def stable_json(data, indent: int | None = None) -> str:
    """JSON with sorted keys, so that the same data gives the same bytes."""
    if indent is None:
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(data, sort_keys=True, indent=indent, ensure_ascii=False)


def script_json(data) -> str:
    """JSON for a JavaScript file or a <script> element: no raw `<`, `>`, `&` or line
    separators survive, whatever the text holds."""
    return (
        stable_json(data)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def json_script(data, element_id: str) -> Markup:
    """A <script type="application/json"> element holding `data`."""
    return Markup('<script type="application/json" id="{}">{}</script>').format(element_id, Markup(script_json(data)))


def slugify(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug or "article"


def safe_id(value: str) -> str:
    """A file-name-safe form of an id (ids are normally already safe)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip(".-") or "x"


def truncate(text: str, length: int = 120) -> str:
    """The start of a text, whitespace collapsed, with "…" where it was cut."""
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def fmt_num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def corroboration(sentences: int, sources: int) -> str:
    return f"{sentences} sentence{'' if sentences == 1 else 's'} from {sources} source{'' if sources == 1 else 's'}"
