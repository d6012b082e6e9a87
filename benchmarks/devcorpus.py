"""Time a full build of the development corpus: the real texts next to the project, not a
generated corpus.

    python -m benchmarks.devcorpus [--repeat 3] [--shared ../shared] [--keep DIR]

The corpus is ../shared/articles + ../shared/corpus/gwr/en and gwr/zh (the Premier's work reports,
in English and in the Chinese original) +
../shared/corpus/news, copied into ONE temporary folder outside the project (the texts are
never copied into the project). Each run is a fresh `tracker build --full` process into a new
SQLite database and a new site folder, timed from outside (wall seconds, imports included), as
a user runs it. The temporary folder is the runs' project: the repository project's rule
overrides and corrections are copied into it once, so every run reads the same rules.

Prints ONE JSON object on stdout: the median seconds of the runs (and each run), MB/s of input
(MB = 10^6 bytes of the copied files), and the commitments per meeting as `tracker meetings
--format json` reports them after the last run. Progress goes to stderr. Exits 2 with a clear
message when the shared folder or one of its corpus folders is absent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tracker.config import DEFAULTS_DIR, RULE_FILES, Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared"
FOLDERS = ("articles", "corpus/gwr/en", "corpus/gwr/zh", "corpus/news")  # relative to the shared folder
ARTICLE_SUFFIXES = (".txt", ".md", ".html")


class CorpusMissing(Exception):
    pass


def log(message: str) -> None:
    print(f"[devcorpus] {message}", file=sys.stderr, flush=True)


def corpus_files(shared: Path) -> list[Path]:
    """The article files of the development corpus, folder by folder, sorted by name."""
    if not shared.is_dir():
        raise CorpusMissing(f"the shared folder {shared} is absent: the development corpus is its "
                            f"{', '.join(FOLDERS)} (give another place with --shared DIR)")
    files: list[Path] = []
    for rel in FOLDERS:
        folder = shared / rel
        if not folder.is_dir():
            raise CorpusMissing(f"{folder} is absent: the development corpus needs {', '.join(str(shared / f) for f in FOLDERS)}")
        found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        if not found:
            raise CorpusMissing(f"{folder} holds no article (.txt, .md, .html)")
        files += found
    names = [p.name for p in files]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise CorpusMissing(f"file names repeat across {', '.join(FOLDERS)}: {', '.join(clashes)} (one folder cannot hold them all)")
    return files


def tracker_command() -> list[str]:
    exe = Path(sys.executable).parent / "tracker"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tracker.cli"]


def inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def git_state() -> dict:
    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout.strip() if proc.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": git("rev-parse", "HEAD"), "uncommitted_changes": None if status is None else bool(status)}


def measure(repeat: int = 3, shared: Path = DEFAULT_SHARED, keep: Path | None = None) -> dict:
    files = corpus_files(Path(shared))
    if keep is not None and inside(Path(keep), ROOT):
        raise CorpusMissing(f"--keep {keep} is inside the project: the corpus must stay outside it")
    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="tracker-devcorpus-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        articles = base / "articles"
        if articles.exists():
            shutil.rmtree(articles)
        articles.mkdir()
        for path in files:
            shutil.copy2(path, articles / path.name)
        size = sum((articles / p.name).stat().st_size for p in files)
        # The rules as they are now, for every run: the packaged defaults, and the repository
        # project's overrides and corrections copied into `base`, the runs' project folder.
        repository = Settings(project_dir=ROOT)
        sources = [path for name in RULE_FILES for path in repository.rule_sources(name)]
        digest = hashlib.sha256()
        for path in [*sources, repository.corrections_path]:
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
                if path.parent != DEFAULTS_DIR:
                    shutil.copy2(path, base / path.name)
        log(f"{len(files)} articles, {size / 1e6:.3f} MB, copied to {articles}")

        seconds: list[float] = []
        exit_codes: list[int] = []
        for r in range(repeat):
            work = base / f"run{r}"
            if work.exists():
                shutil.rmtree(work)
            work.mkdir()
            db = f"sqlite:///{work / 'tracker.db'}"
            cmd = tracker_command() + ["build", "--full", "--articles", str(articles), "--db", db,
                                       "--site", str(work / "site"), "--project", str(base)]
            log(f"run {r + 1}/{repeat}: tracker build --full (fresh process, new database and site)")
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=base, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  env={k: v for k, v in os.environ.items() if k not in ("TRACKER_DB", "TRACKER_PROJECT")})
            seconds.append(time.perf_counter() - t0)
            exit_codes.append(proc.returncode)
            if proc.returncode not in (0, 3):  # 3: some files skipped (reported), still a build
                raise RuntimeError(f"`tracker build` failed with exit code {proc.returncode}:\n{proc.stderr[-3000:]}")
            log(f"  {seconds[-1]:.2f} s")
            last = work
            if not keep and r + 1 < repeat:
                shutil.rmtree(work, ignore_errors=True)

        listing = subprocess.run(tracker_command() + ["meetings", "--format", "json", "--db", f"sqlite:///{last / 'tracker.db'}",
                                                      "--project", str(base)], cwd=base, capture_output=True, text=True)
        if listing.returncode != 0:
            raise RuntimeError(f"`tracker meetings` failed: {listing.stderr[-2000:]}")
        meetings = json.loads(listing.stdout)
        site_files = sum(1 for p in (last / "site").rglob("*") if p.is_file())
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)

    median = statistics.median(seconds)
    mb = size / 1e6
    per_meeting = [{"id": m["id"], "start": m["start"], "articles": len(m["articles"]), "commitments": m["commitments"]}
                   for m in meetings]
    return {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpu_count": os.cpu_count(),
                    "processor": platform.processor() or platform.machine()},
        "code": git_state(),
        "data_files_sha256": digest.hexdigest(),
        "corpus": {"shared": str(Path(shared).resolve()), "folders": list(FOLDERS), "articles": len(files),
                   "bytes": size, "mb": round(mb, 3)},
        "repeat": repeat,
        "command": "tracker build --full --articles DIR --db NEW_DB --site NEW_SITE --project SNAPSHOT",
        "full_build_seconds": {"median": round(median, 3), "runs": [round(s, 3) for s in seconds]},
        "mb_per_second": round(mb / median, 4) if median else None,
        "exit_codes": exit_codes,
        "meetings": len(per_meeting),
        "commitments": sum(m["commitments"] for m in per_meeting),
        "commitments_per_meeting": per_meeting,
        "site_files": site_files,
        "kept_in": str(base) if keep else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time full builds of the development corpus (../shared); prints one JSON object.")
    parser.add_argument("--repeat", type=int, default=3, help="runs, each a fresh `tracker build --full` (default 3)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help=f"the shared folder (default {DEFAULT_SHARED})")
    parser.add_argument("--keep", type=Path, default=None, help="keep the corpus copy, databases and sites here (outside the project)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    try:
        result = measure(args.repeat, args.shared, args.keep)
    except CorpusMissing as exc:
        print(f"benchmarks.devcorpus: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:
        print(f"benchmarks.devcorpus: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
