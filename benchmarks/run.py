"""Benchmark of the whole pipeline on a generated corpus (benchmarks.generate).

    python -m benchmarks.run --articles 200 [--meetings K] [--repeat 3] [--seed 1] [--keep DIR]

Prints ONE JSON object on stdout; progress goes to stderr. Each measured full build runs in a
fresh Python process (so its peak memory is its own) on a fresh SQLite database and site
folder: ingestion, extraction, matching and rendering are timed separately, one transaction
per stage. The same process then times two incremental builds (`tracker.build.build`
after adding one article, then after changing one) and, on the first repeat only, scores
matching against the planted threads and times rapidfuzz against difflib.
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

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("ingestion", "extraction", "matching", "rendering")
# Incremental builds timed after the full one, in this order, in the same process (its caches
# warm), on the same database and site: nothing changed; one article about the latest meeting added (the nightly case: the news is
# about the last meeting); one about the middle meeting added (every later thread may move);
# one article of the middle meeting changed.
# The first call records the settings fingerprint the stages above do not store, so the library
# treats it as a full build (reported as "fingerprint_build", not an incremental figure).
INCREMENTAL = (("fingerprint_build", None), ("noop_build", None), ("add_one_article_latest_meeting", "add_latest"),
               ("add_one_article", "add"), ("change_one_article", "change"))
LINK_STATUSES = ("persisted", "strengthened", "weakened")
CHANGED_SENTENCE = ("The document also calls on officials to set up highland broadband repair centres for nomadic "
                    "herding settlements.")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def summary(values: list) -> dict:
    clean = [v for v in values if v is not None]
    return {"median": statistics.median(clean) if clean else None, "runs": values}


# ------------------------------------------------------------------------------------ child side


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux >= 4.0), so VmHWM is per stage."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _vm_hwm_mb() -> float | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _maxrss_mb() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def site_hashes(site: Path) -> dict[str, str]:
    if not site.is_dir():
        return {}
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def site_size(site: Path) -> tuple[int, int]:
    """(bytes without assets/plotly.min.js, files)"""
    total = files = 0
    for p in site.rglob("*") if site.is_dir() else []:
        if p.is_file():
            files += 1
            if p.relative_to(site).as_posix() != "assets/plotly.min.js":
                total += p.stat().st_size
    return total, files


def changed_files(before: dict, after: dict) -> int:
    return sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def matching_quality(session, planted: dict) -> dict:
    """Precision and recall of planted links, from the stored Change rows."""
    from sqlalchemy import select

    from tracker.db import Change, Commitment, Evidence

    sentences: dict[str, list[str]] = {}
    meeting_of: dict[str, str] = {}
    for cid, mid, sentence in session.execute(
            select(Evidence.commitment_id, Commitment.meeting_id, Evidence.sentence).join(Commitment, Evidence.commitment_id == Commitment.id)):
        sentences.setdefault(cid, []).append(sentence.casefold())
        meeting_of[cid] = mid
    by_meeting: dict[str, list[str]] = {}
    for cid, mid in meeting_of.items():
        by_meeting.setdefault(mid, []).append(cid)
    # meeting -> thread -> ids of commitments whose evidence contains the thread's phrase there
    holders: dict[str, dict[str, set[str]]] = {}
    presences = found_presences = 0
    per_presence = []
    for t in planted["threads"]:
        for mid, info in t["presence"].items():
            phrase = info["phrase"].casefold()
            ids = {cid for cid in by_meeting.get(mid, []) if any(phrase in s for s in sentences[cid])}
            holders.setdefault(mid, {})[t["id"]] = ids
            presences += 1
            found_presences += bool(ids)
            per_presence.append(len(ids))
    planted_links = {(l["thread"], l["from"], l["to"]) for l in planted["links"]}
    # Planted links join consecutive meetings; the pairs further apart are stored for the compare page.
    links = [(c.from_meeting_id, c.to_meeting_id, c.from_commitment_id, c.to_commitment_id, c.status)
             for c in session.scalars(select(Change).where(Change.status.in_(LINK_STATUSES), Change.adjacent.is_(True)))]
    found = set()
    touching = true_links = 0
    for fm, tm, fc, tc, _status in links:
        if fc is None or tc is None:
            continue
        from_threads = {tid for tid, ids in holders.get(fm, {}).items() if fc in ids}
        to_threads = {tid for tid, ids in holders.get(tm, {}).items() if tc in ids}
        if not from_threads and not to_threads:
            continue
        touching += 1
        good = {tid for tid in from_threads & to_threads if (tid, fm, tm) in planted_links}
        if good:
            true_links += 1
            found |= {(tid, fm, tm) for tid in good}
    not_commitment = [d["phrase"].casefold() for d in planted.get("not_commitment", [])]
    false_extractions = sum(1 for cid, ss in sentences.items() if any(p in s for p in not_commitment for s in ss))
    return {
        "precision": round(true_links / touching, 4) if touching else None,
        "recall": round(len(found) / len(planted_links), 4) if planted_links else None,
        "planted_links": len(planted_links),
        "planted_links_found": len(found),
        "links_touching_planted": touching,
        "links_touching_planted_that_are_planted": true_links,
        "planted_statements_extracted": round(found_presences / presences, 4) if presences else None,
        "commitments_per_planted_statement": round(statistics.mean(per_presence), 3) if per_presence else None,
        "distractor_phrases_extracted": false_extractions,
        "commitments": len(sentences),
    }


def fuzz_vs_difflib(session, settings, budget: float) -> dict:
    """tracker.similarity.score_matrix against a pure-Python difflib loop, on the normalised texts of
    all commitments of the two largest consecutive meetings."""
    import difflib

    from tracker.db import meetings_with_articles
    from tracker.lexicon import load_lexicon
    from tracker.similarity import score_matrix

    meetings = [m for m in meetings_with_articles(session) if m.commitments]
    if len(meetings) < 2:
        return {"note": "fewer than two meetings with commitments"}
    pair = max(range(len(meetings) - 1), key=lambda i: len(meetings[i].commitments) * len(meetings[i + 1].commitments))
    a_m, b_m = meetings[pair], meetings[pair + 1]
    lexicon = load_lexicon(settings)
    cfg = settings.commitment_rules.matching
    a = [lexicon.normalize(c.text) for c in a_m.commitments]
    b = [lexicon.normalize(c.text) for c in b_m.commitments]
    ta = [lexicon.topics_of(c.text) for c in a_m.commitments]
    tb = [lexicon.topics_of(c.text) for c in b_m.commitments]
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        score_matrix(a, ta, b, tb, cfg)
        runs.append(time.perf_counter() - t0)
    fuzz_time = statistics.median(runs)
    pairs = [(x, y) for x in a for y in b]
    # estimate the cost per pair, then cap so the timed loop takes about `budget` seconds
    probe = pairs[: min(len(pairs), 200)]
    t0 = time.perf_counter()
    for x, y in probe:
        difflib.SequenceMatcher(None, x, y).ratio()
    per_pair = max((time.perf_counter() - t0) / max(1, len(probe)), 1e-9)
    cap = min(len(pairs), max(len(probe), int(budget / per_pair)))
    t0 = time.perf_counter()
    for x, y in pairs[:cap]:
        difflib.SequenceMatcher(None, x, y).ratio()
    timed = time.perf_counter() - t0
    estimated = timed * len(pairs) / cap
    return {
        "meetings": [a_m.id, b_m.id],
        "pairs": len(pairs),
        "difflib_pairs_timed": cap,
        "rapidfuzz_score_matrix_seconds": round(fuzz_time, 6),
        "rapidfuzz_runs": [round(r, 6) for r in runs],
        "difflib_seconds_timed": round(timed, 4),
        "difflib_seconds_all_pairs": round(estimated, 4),
        "difflib_scaled": cap < len(pairs),
        "difflib_over_rapidfuzz": round(estimated / fuzz_time, 1) if fuzz_time > 0 else None,
        "note": "score_matrix computes token_set_ratio + token_sort_ratio (cdist, all cores) and topic overlap; "
                "difflib computes one SequenceMatcher.ratio per pair in pure Python",
    }


def child(spec_path: str) -> int:
    """One measured build; writes its result JSON to spec['result']."""
    spec = json.loads(Path(spec_path).read_text())
    out: dict = {"stages": {}, "peak_rss_mb_by_stage": {}}
    t0 = time.perf_counter()
    from tracker.config import Settings
    from tracker.db import connect, transaction
    from tracker.build import build
    from tracker.commitments import extract
    from tracker.ingest import ingest
    from tracker.lexicon import load_lexicon
    from tracker.linking import match
    from tracker.threads import update_threads

    try:
        from timeline.writer import render_site
    except Exception as exc:  # not importable yet
        render_site = None
        out["rendering_unavailable"] = f"{exc.__class__.__name__}: {exc}"
    out["import_seconds"] = time.perf_counter() - t0
    work = Path(spec["work"])
    settings = Settings(project_dir=Path(spec["project_dir"]), articles_dir=work / "articles",
                        db_url=f"sqlite:///{work / 'tracker.db'}", site_dir=work / "site")
    engine = connect(settings.db_url)
    per_stage_peak = _reset_peak()
    out["peak_method"] = "VmHWM after clear_refs per stage" if per_stage_peak else "ru_maxrss so far (cumulative)"

    def stage(name, fn):
        if per_stage_peak:
            _reset_peak()
        start = time.perf_counter()
        with transaction(engine) as session:
            result = fn(session)
        out["stages"][name] = time.perf_counter() - start
        out["peak_rss_mb_by_stage"][name] = (_vm_hwm_mb() if per_stage_peak else None) or _maxrss_mb()
        log(f"  {name}: {out['stages'][name]:.2f} s")
        return result

    report = stage("ingestion", lambda s: ingest(s, settings))
    out["ingest"] = {"added": len(report.added), "skipped": [vars(p) for p in report.skipped][:20],
                     "unassigned": [vars(p) for p in report.unassigned][:20], "meetings_added": report.meetings_added}
    counts = stage("extraction", lambda s: extract(s, settings))
    out["commitments"] = sum(counts.values())
    out["meetings_with_commitments"] = len(counts)
    def match_and_thread(session):
        lexicon = load_lexicon(settings)
        report = match(session, settings, lexicon=lexicon)
        update_threads(session, settings, lexicon)
        return report

    mreport = stage("matching", match_and_thread)
    out["changes"] = dict(sorted(mreport.counts.items()))
    if render_site is not None:
        out["site_files"] = stage("rendering", lambda s: render_site(s, settings))
    else:
        out["stages"]["rendering"] = None
        out["peak_rss_mb_by_stage"]["rendering"] = None
    out["full_build_seconds"] = sum(v for v in out["stages"].values() if v is not None)
    # Resetting VmHWM per stage also resets ru_maxrss: the build's peak is the largest stage peak.
    out["peak_rss_mb"] = max([v for v in out["peak_rss_mb_by_stage"].values() if v] + [_maxrss_mb()])
    out["site_bytes"], out["site_file_count"] = site_size(settings.site_dir)

    if spec.get("quality"):
        planted = json.loads(Path(spec["planted"]).read_text())
        with transaction(engine) as session:
            out["matching_quality"] = matching_quality(session, planted)
        if spec.get("gold"):
            from tracker.evaluate import evaluate

            t = time.perf_counter()
            with transaction(engine) as session:
                results = evaluate(session, settings, spec["gold"]).results
            by_kind: dict[str, dict] = {}
            for r in results:
                k = by_kind.setdefault(r.kind, {"passed": 0, "total": 0})
                k["total"] += 1
                k["passed"] += int(r.passed)
            out["eval"] = {"by_kind": by_kind, "seconds": time.perf_counter() - t}
    if spec.get("difflib"):
        log("  rapidfuzz vs difflib ...")
        with transaction(engine) as session:
            out["fuzz_vs_difflib"] = fuzz_vs_difflib(session, settings, float(spec.get("difflib_budget", 20.0)))

    # incremental builds on the same database and site. The first `build` call changes nothing
    # but lets the library record what it needs for later incremental runs (e.g. its settings
    # fingerprint; the stages above were called directly): timed as "noop_build".
    render = render_site is not None
    for name, change in INCREMENTAL:
        before = site_hashes(settings.site_dir)
        if change == "add_latest":
            (settings.articles_dir / spec["latest_name"]).write_text(spec["latest_text"], encoding="utf-8")
        elif change == "add":
            (settings.articles_dir / spec["extra_name"]).write_text(spec["extra_text"], encoding="utf-8")
        elif change == "change":
            path = settings.articles_dir / spec["change_file"]
            paragraphs = path.read_text(encoding="utf-8").split("\n\n")
            paragraphs.insert(min(2, len(paragraphs)), CHANGED_SENTENCE)
            path.write_text("\n\n".join(paragraphs), encoding="utf-8")
        start = time.perf_counter()
        rep = build(engine, settings, render=render)
        seconds = time.perf_counter() - start
        after = site_hashes(settings.site_dir)
        out[name] = {"seconds": seconds, "site_files_changed": changed_files(before, after) if render else None,
                     "articles_added": len(rep.ingest.added), "articles_changed": len(rep.ingest.changed),
                     "library_says_full_build": getattr(rep, "full", None)}
        log(f"  incremental {name}: {seconds:.2f} s")
    Path(spec["result"]).write_text(json.dumps(out))
    return 0


# ------------------------------------------------------------------------------------ parent side


def cli_help_times(runs: int = 5) -> list[float]:
    exe = Path(sys.executable).parent / "tracker"
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "tracker.cli", "--help"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return times


def cli_build_times(corpus_articles: Path, work: Path, extra: tuple[str, str]) -> dict[str, float]:
    """Wall times of `tracker build` as a user runs it, each a fresh process: from scratch (fresh
    database and site), then after adding one article (`extra`: name, text), as a nightly run."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    articles = work / "articles"
    shutil.copytree(corpus_articles, articles)
    exe = Path(sys.executable).parent / "tracker"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "tracker.cli"]
    cmd += ["build", "--articles", str(articles), "--db", f"sqlite:///{work / 'tracker.db'}", "--site", str(work / "site")]
    times = {}
    for name in ("full", "add_one_article_latest_meeting"):
        if name != "full":
            (articles / extra[0]).write_text(extra[1], encoding="utf-8")
        log(f"`tracker build` ({name})")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times[name] = time.perf_counter() - t0
        if proc.returncode not in (0, 3):  # 3: some files skipped, reported
            raise RuntimeError(f"`tracker build` failed ({proc.returncode}): {proc.stderr[-2000:]}")
        log(f"  {times[name]:.2f} s")
    return times


def default_meetings(articles: int) -> int:
    return min(50, max(2, round(articles / 20)))


def measure(articles: int, meetings: int | None = None, repeat: int = 3, seed: int = 1, keep: str | Path | None = None,
            difflib_budget: float = 20.0, help_runs: int = 5, cli_build: bool = True) -> dict:
    from benchmarks.generate import extra_article, generate

    meetings = meetings or default_meetings(articles)
    per_meeting = max(1, round(articles / meetings))
    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        corpus = base / "corpus"
        if corpus.exists():
            shutil.rmtree(corpus)
        log(f"generating {meetings} meetings x {per_meeting} articles (seed {seed}) in {corpus}")
        t0 = time.perf_counter()
        gen = generate(corpus, meetings, per_meeting, seed)
        gen_seconds = time.perf_counter() - t0
        planted = json.loads((corpus / "planted.json").read_text())
        extra_name, extra_text = extra_article(meetings, per_meeting, seed)
        latest_name, latest_text = extra_article(meetings, per_meeting, seed, len(gen["meetings"]) - 1)
        middle = planted["meetings"][len(planted["meetings"]) // 2]["articles"]
        change_file = next((f for f in middle if f.endswith(".txt")), middle[0])
        runs = []
        for r in range(repeat):
            work = base / f"run{r}"
            if work.exists():
                shutil.rmtree(work)
            shutil.copytree(corpus / "articles", work / "articles")
            spec = {"work": str(work), "project_dir": str(ROOT), "planted": str(corpus / "planted.json"),
                    "gold": str(corpus / "gold.toml"), "quality": r == 0, "difflib": r == 0,
                    "difflib_budget": difflib_budget, "extra_name": extra_name, "extra_text": extra_text,
                    "latest_name": latest_name, "latest_text": latest_text,
                    "change_file": change_file, "result": str(work / "result.json")}
            spec_path = work / "spec.json"
            spec_path.write_text(json.dumps(spec))
            log(f"build {r + 1}/{repeat} in a fresh process")
            proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--child", str(spec_path)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=None, env={**os.environ, "PYTHONPATH": str(ROOT)})
            if proc.returncode != 0:
                raise RuntimeError(f"benchmark child failed with exit code {proc.returncode} (spec {spec_path})")
            runs.append(json.loads((work / "result.json").read_text()))
            if cli_build:
                runs[-1]["cli_build_seconds"] = cli_build_times(corpus / "articles", work / "cli", (latest_name, latest_text))
            if not keep:
                shutil.rmtree(work, ignore_errors=True)
        log("timing `tracker --help`")
        help_times = cli_help_times(help_runs)
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)

    mb = gen["bytes"] / 1e6
    first = runs[0]
    full = [r["full_build_seconds"] for r in runs]
    result = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpu_count": os.cpu_count(),
                    "processor": platform.processor() or platform.machine()},
        "params": {"articles_requested": articles, "meetings_requested": meetings, "articles_per_meeting": per_meeting,
                   "seed": seed, "repeat": repeat, "kept_in": str(base) if keep else None},
        "articles": gen["articles"],
        "meetings": len(gen["meetings"]),
        "mb": round(mb, 3),
        "corpus": {"threads": gen["threads"], "planted_links": gen["planted_links"], "generate_seconds": round(gen_seconds, 3),
                   "notes": gen["notes"]},
        "full_build": {
            "seconds": summary(full),
            "stages": {s: (None if first["stages"].get(s) is None else summary([r["stages"][s] for r in runs])) for s in STAGES},
            "peak_rss_mb": summary([r["peak_rss_mb"] for r in runs]),
            "peak_rss_mb_by_stage": {s: summary([r["peak_rss_mb_by_stage"].get(s) for r in runs]) for s in STAGES},
            "peak_method": first["peak_method"],
            "child_import_seconds": summary([r["import_seconds"] for r in runs]),
            "throughput_mb_s": round(mb / statistics.median(full), 3) if statistics.median(full) else None,
            "commitments": first["commitments"],
            "changes": first["changes"],
            "ingest": first["ingest"],
        },
        # `tracker build` as a user runs it (fresh process each: imports and caches cold)
        "tracker_build_command": {k: summary([r["cli_build_seconds"][k] for r in runs])
                                  for k in ("full", "add_one_article_latest_meeting")} if cli_build else None,
        "incremental": {
            k: {"seconds": summary([r[k]["seconds"] for r in runs]),
                "percent_of_full_build": round(100 * statistics.median([r[k]["seconds"] for r in runs]) / statistics.median(full), 1),
                "site_files_changed": first[k]["site_files_changed"],
                "articles_added": first[k]["articles_added"], "articles_changed": first[k]["articles_changed"],
                "library_says_full_build": first[k]["library_says_full_build"]}
            for k, _change in INCREMENTAL
        },
        "cli_help_seconds": summary(help_times),
        "site": {"bytes_without_plotly": first["site_bytes"], "files": first["site_file_count"],
                 "rendering_unavailable": first.get("rendering_unavailable")},
        "matching_quality": first.get("matching_quality"),
        "eval": first.get("eval"),
        "fuzz_vs_difflib": first.get("fuzz_vs_difflib"),
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the pipeline on a generated corpus; prints one JSON object.")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--meetings", type=int, default=None, help="default: articles/20, between 2 and 50")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", default=None, help="keep corpus, databases and sites in this folder")
    parser.add_argument("--difflib-budget", type=float, default=20.0, help="seconds the difflib loop may take")
    parser.add_argument("--no-cli-build", action="store_true", help="skip timing one `tracker build` per repeat")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    result = measure(args.articles, args.meetings, args.repeat, args.seed, args.keep, args.difflib_budget,
                     cli_build=not args.no_cli_build)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
