"""`tracker init`: a new project folder, copied from tracker/project_template/ (tracker.toml with
every key commented, a short README.md, an invented example article)."""

from __future__ import annotations

import shutil
from pathlib import Path

TEMPLATE_DIR = Path(__file__).with_name("project_template")


class ProjectExists(Exception):
    """A file the new project would hold is already there."""


def create_project(folder: Path) -> list[Path]:
    """Copy the template into `folder` (created if missing) and return the files written.
    Writes nothing when any of them exists already: an analyst's files are never overwritten."""
    files = sorted(path.relative_to(TEMPLATE_DIR) for path in TEMPLATE_DIR.rglob("*") if path.is_file())
    if existing := [folder / name for name in files if (folder / name).exists()]:
        raise ProjectExists(f"{existing[0]} already exists: nothing written")
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE_DIR / name, folder / name)
    return [folder / name for name in files]
