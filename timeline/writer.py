"""Writing the site: `prepare_site(session, settings)` reads the model, renders every page into
a temporary sibling folder of the site and returns it as a PreparedSite, which the build
publishes after its database commit by exchanging the two folders in one atomic step, so the
site folder always holds a whole site and pages of earlier builds disappear. Every site holds
a marker file: only a folder with one (or an empty one) may be replaced.

The output is deterministic: the same database gives byte-identical files (no timestamps,
stable ordering, sorted JSON keys). Files equal to the previous site's are hard-linked from it,
so a nightly run rewrites only what changed."""

from __future__ import annotations

import errno
import glob
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.config import SITE_MARKER, SiteError, is_tool_site, site_target
from tracker.parallel import parallel_map

from .downloads import add_downloads
from .model import Model, load_model
from .pages import Pages, add_pages

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
MARKER_TEXT = "This folder is a site written by policy-tracker; a build replaces it whole.\n"


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
    writer.text(SITE_MARKER, MARKER_TEXT)  # what tells a later build this folder is its to replace
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
        """Put the new site in place of the old in one step, then remove the old one."""
        try:
            if self.target.is_dir() and not self.target.is_symlink() and _exchange(self.tmp, self.target):
                shutil.rmtree(self.tmp, ignore_errors=True)  # it now holds the old site
                return
            _swap_by_renames(self.tmp, self.target)
        except OSError as exc:
            self.discard()
            raise SiteError(
                f"cannot put the new site in place at {self.target}: {exc.strerror or exc}; "
                "the database is updated, the previous site stays (the next build writes it again)"
            ) from exc


def _exchange(new: Path, old: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE), so `old`'s path
    always holds a whole site; False where the system or file system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # not glibc 2.28+ (macOS, Windows, musl)
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(old), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):  # this file system cannot
        return False
    raise OSError(code, os.strerror(code), str(old))


def _swap_by_renames(new: Path, target: Path) -> None:
    """Where no atomic exchange exists: move the old site aside, the new one in (a moment with
    no site between the two renames), then remove the old one."""
    old = None
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        if old.is_symlink() or old.is_file():
            old.unlink()
        else:
            shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(parent: Path, name: str) -> None:
    """The temporary folders of runs that were killed (`.site.tmp-*`, `.site.old-*`): the site
    can be large, and nothing else uses them (runs hold the run lock). Only folders this tool
    wrote (its marker, or empty: killed before the first file) are removed; a file, a link or
    someone's folder that merely has such a name is left alone."""
    pattern = glob.escape(f".{name}")
    for leftover in [*parent.glob(f"{pattern}.tmp-*"), *parent.glob(f"{pattern}.old-*")]:
        if leftover.is_dir() and not leftover.is_symlink() and is_tool_site(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def prepare_site(session: Session, settings) -> PreparedSite:
    """Render every page into a temporary sibling of settings.site_dir (readers see nothing yet).
    A site folder that would destroy input, or a failure to write (a full disk), is a
    SiteError with one line; the previous site is left as it was."""
    settings.check_site_dir()
    target = site_target(settings.site_dir)  # the path check_site_dir checked
    parent = target.parent
    tmp = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(parent, target.name)
        model = load_model(session, settings)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
        writer = write_site(model, tmp, previous=target if target.is_dir() else None, settings=settings)
        for dirpath, dirnames, _files in os.walk(tmp):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o755)
        os.chmod(tmp, 0o755)
    except OSError as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        where = exc.filename or parent
        raise SiteError(
            f"cannot write the site at {where}: {exc.strerror or exc}; database and site are as they were"
        ) from exc
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PreparedSite(tmp, target, writer.count, writer.written)


def render_site(session: Session, settings) -> tuple[int, int]:
    """Render the whole site into settings.site_dir atomically: (files in the site, files
    rewritten because their content changed; unchanged files are hard links of the old ones)."""
    prepared = prepare_site(session, settings)
    prepared.publish()
    return prepared.files, prepared.written
