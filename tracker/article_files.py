"""The articles folder as files: which are articles, and reading one safely. Names that are
not UTF-8, symlinks out of the folder, files that vanish or are special are each one `Problem`."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .articles import ArticleError


@dataclass
class Problem:
    file: str
    reason: str


# The reason a symlink out of the folder is skipped: a stored copy of it is removed too.
OUTSIDE_FOLDER = "a symlink to a file outside the articles folder"


def safe_name(name: str) -> str:
    """A file name for messages: bytes that are not UTF-8 (kept by os.fsdecode as lone
    surrogates) shown as backslash escapes, e.g. caf\\xe9.txt."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def outside_folder(path: Path, articles_dir: Path) -> bool:
    """Whether `path`, its symlinks followed, lies outside `articles_dir`."""
    root = os.path.realpath(articles_dir)
    return os.path.commonpath([root, os.path.realpath(path)]) != root


def scan_articles(
    articles_dir: Path, extensions: list[str], follow_outside: bool = False
) -> tuple[list[str], list[Problem]]:
    """Article files (relative paths, sorted) under `articles_dir`, and the ones that cannot be read."""
    files: list[str] = []
    problems: list[Problem] = []
    if not articles_dir.is_dir():
        return files, [Problem(str(articles_dir), "articles folder not found")]
    wanted = {e.lower() for e in extensions}

    def unreadable_folder(exc: OSError) -> None:
        try:  # relative, like the files: ingest keeps what is stored under this folder
            rel = Path(exc.filename).relative_to(articles_dir).as_posix()
        except (TypeError, ValueError):
            rel = str(exc.filename)
        problems.append(Problem(safe_name(rel) + "/", f"folder cannot be read: {exc.strerror or exc}"))

    # os.walk does not follow symlinked folders, so a symlink loop cannot trap it.
    for root, dirs, names in os.walk(articles_dir, onerror=unreadable_folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or Path(name).suffix.lower() not in wanted:
                continue
            path = Path(root) / name
            rel = path.relative_to(articles_dir).as_posix()
            problem = _unusable(path, rel, articles_dir, follow_outside)
            if problem is not None:
                problems.append(Problem(safe_name(rel), problem))
            else:
                files.append(rel)
    return sorted(files), problems


def _unusable(path: Path, rel: str, articles_dir: Path, follow_outside: bool) -> str | None:
    """Why a listed file cannot be an article, or None."""
    if safe_name(rel) != rel:
        # Stored names are text: a name that is not UTF-8 could be neither stored nor linked.
        return "file name is not valid UTF-8: rename the file"
    try:
        info = path.stat()
    except FileNotFoundError:
        try:
            path.lstat()
        except FileNotFoundError:
            return "vanished while the folder was listed"
        return "a broken symlink (its target does not exist)"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a device, pipe or socket)"
    if not follow_outside and outside_folder(path, articles_dir):
        return f"{OUTSIDE_FOLDER} (see [ingest] follow_symlinks_outside in rules.toml)"
    return None


def read_article_bytes(path: Path, max_bytes: int, inside: Path | None = None) -> bytes:
    """The file's bytes. With `inside`, checked again at reading (a link may have been swapped
    since the folder was listed) and read through its resolved path, which must lie inside."""
    try:
        if inside is not None:
            if outside_folder(path, inside):
                raise ArticleError(f"{OUTSIDE_FOLDER} (see [ingest] follow_symlinks_outside in rules.toml)")
            path = Path(os.path.realpath(path))
        # Opened without blocking and checked once open: a file swapped for a pipe since the
        # folder was listed must not hang the run (opening a FIFO waits for a writer).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise ArticleError("is a directory")
            if not stat.S_ISREG(info.st_mode):
                raise ArticleError("not a regular file (a device, pipe or socket)")
            if info.st_size > max_bytes:
                raise ArticleError(
                    f"too large: {info.st_size:,} bytes (limit {max_bytes:,}; see [ingest] max_bytes in rules.toml)"
                )
            return fh.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise ArticleError("disappeared while the run was reading it") from exc
    except PermissionError as exc:
        raise ArticleError("no permission to read it") from exc
    except IsADirectoryError as exc:
        raise ArticleError("is a directory") from exc
    except OSError as exc:
        raise ArticleError(f"cannot be read: {exc.strerror or exc}") from exc
