"""Writing the site: `prepare_site(session, settings)` reads the model, renders every page into
a temporary sibling folder of the site and returns it as a PreparedSite, which the build
publishes (swaps into place) after its database commit, so a reader never sees a half-built
site and pages of earlier builds disappear.

The output is deterministic: the same database gives byte-identical files (no timestamps,
stable ordering, sorted JSON keys). Files equal to the previous site's are hard-linked from it,
so a nightly run rewrites only what changed."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.parallel import parallel_map

from .downloads import add_downloads
from .model import Model, load_model
from .pages import Pages, add_pages

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"


class Writer:
    """Writes the new site into `root`. Every page is rendered; a file whose bytes equal the
    previous site's copy is hard-linked to it, so a nightly run rewrites only what changed (and
    the previous site stays intact until the swap)."""

    def __init__(self, root: Path, previous: Path | None = None):
        self.root = root
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.count = 0
        self.written = 0

    def _unchanged(self, rel: str, data: bytes) -> bool:
        if self.previous is None:
            return False
        old = self.previous / rel
        try:
            if old.is_symlink() or not old.is_file() or old.stat().st_size != len(data) or old.read_bytes() != data:
                return False
            os.link(old, self.root / rel)
            return True
        except OSError:  # another file system, or no hard links: write it instead
            return False

    def put(self, rel: str, data: bytes) -> bool:
        """Store `data` as `rel` (a link to the previous copy if equal); True if written anew.
        Safe in a worker process: it only touches the file system."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if self._unchanged(rel, data):
            return False
        path.write_bytes(data)
        return True

    def record(self, written: bool) -> None:
        self.count += 1
        self.written += written

    def data(self, rel: str, data: bytes) -> None:
        self.record(self.put(rel, data))

    def text(self, rel: str, content: str) -> None:
        self.data(rel, content.encode("utf-8"))

    def copy(self, source: Path, rel: str) -> None:
        self.data(rel, source.read_bytes())


def plotly_js_path() -> Path:
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package ({path})")
    return path


def write_assets(pages: Pages) -> None:
    """assets/: plotly.js, the scripts, and the style sheet (a template: its status colours
    are tracker's)."""
    writer = pages.writer
    writer.copy(plotly_js_path(), "assets/plotly.min.js")
    for source in sorted(STATIC.iterdir()):
        if source.is_file() and not source.name.startswith("."):
            writer.copy(source, f"assets/{source.name}")
    writer.text("assets/site.css", pages.env.get_template("site.css").render())


_JOBS: list = []  # (rel, produce) of the current write_site, inherited by forked workers


def _run_job(index: int, writer: Writer) -> bool:
    rel, produce = _JOBS[index]
    return writer.put(rel, produce().encode("utf-8"))


def write_site(model: Model, out: Path, previous: Path | None = None, settings=None) -> Writer:
    """Every page and data file of the site into `out`, linking the files that equal the
    `previous` site's. With `settings`, many pages are rendered by worker processes
    ([performance] in tracker.toml)."""
    writer = Writer(out, previous)
    pages = Pages(model, writer)
    write_assets(pages)
    add_pages(pages)
    add_downloads(pages)
    render(pages.jobs, writer, settings)
    return writer


def render(jobs: list, writer: Writer, settings=None) -> None:
    """Produce and store every job: in worker processes when there are many (forked: they
    share the model)."""
    global _JOBS
    _JOBS = jobs
    try:
        runner = (
            parallel_map(_run_job, list(range(len(jobs))), writer, settings)
            if settings is not None
            else (_run_job(i, writer) for i in range(len(jobs)))
        )
        for written in runner:
            writer.record(written)
    finally:
        _JOBS = []


@dataclass
class PreparedSite:
    """A fully rendered site in a temporary folder, not yet visible to readers."""

    tmp: Path
    target: Path
    files: int
    written: int

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def publish(self) -> None:
        """Swap the new site into place (two renames), then remove the old one."""
        parent = self.target.parent
        old = None
        if self.target.exists() or self.target.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=parent))
            old.rmdir()
            os.rename(self.target, old)
        try:
            os.rename(self.tmp, self.target)
        except BaseException:
            if old is not None:
                os.rename(old, self.target)
            self.discard()
            raise
        if old is not None:
            if old.is_symlink() or old.is_file():
                old.unlink()
            else:
                shutil.rmtree(old, ignore_errors=True)


def prepare_site(session: Session, settings) -> PreparedSite:
    """Render every page into a temporary sibling of settings.site_dir (readers see nothing yet)."""
    site_dir = Path(settings.site_dir)
    parent = site_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    model = load_model(session, settings)
    target = parent / site_dir.name
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.tmp-", dir=parent))
    try:
        writer = write_site(model, tmp, previous=target if target.is_dir() else None, settings=settings)
        for dirpath, dirnames, _files in os.walk(tmp):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o755)
        os.chmod(tmp, 0o755)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PreparedSite(tmp, target, writer.count, writer.written)


def render_site(session: Session, settings) -> tuple[int, int]:
    """Render the whole site into settings.site_dir atomically: (files in the site, files
    rewritten because their content changed; unchanged files are hard links of the old ones)."""
    prepared = prepare_site(session, settings)
    prepared.publish()
    return prepared.files, prepared.written
