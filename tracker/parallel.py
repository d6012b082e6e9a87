"""CPU work spread over worker processes: one helper, `parallel_map`, used by ingestion,
extraction and the site writer."""

from __future__ import annotations

import os
from collections.abc import Callable

from .config import Performance, Settings

# The function and shared argument of the current parallel_map, inherited by forked workers.
_FN: Callable | None = None
_JOB: object = None


def _call_with_job(item):
    assert _FN is not None, "parallel_map sets it before the workers start"
    return _FN(item, _JOB)


def _exit_with_parent(parent: int) -> None:
    """In each worker: die with the run. A run killed with SIGKILL cannot stop its workers,
    which would wait for ever holding the database open; Linux sends them SIGKILL when it dies
    (prctl PR_SET_PDEATHSIG). Elsewhere workers end when they next read from the closed pool."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the run died before the line above
        os._exit(1)


def parallel_map(fn: Callable, items: list, job, settings: Settings, size: int | None = None):
    """`fn(item, job)` for every item, in order. Large batches (`size`, default the number of
    items, of at least tracker.toml's [performance] parallel_min_items) run in worker processes
    ([performance] workers, default one per core), forked so `job` is shared without pickling;
    small ones, or where fork is not available, run here. The results are the same either way."""
    import multiprocessing

    performance: Performance = settings.performance  # type: ignore[assignment]  # set by Settings.__post_init__
    workers = min(performance.processes, len(items))
    size = len(items) if size is None else size
    if workers < 2 or size < performance.parallel_min_items or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield fn(item, job)
        return
    import gc

    global _JOB, _FN
    _JOB, _FN = job, fn
    # Frozen objects are never traversed by the collector, so forked workers do not copy the
    # parent's pages (e.g. thousands of loaded articles) just by collecting garbage.
    gc.freeze()
    try:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            chunk = max(1, min(32, len(items) // (workers * 8)))
            yield from pool.map(_call_with_job, items, chunksize=chunk)
    finally:
        gc.unfreeze()
        _JOB, _FN = None, None
