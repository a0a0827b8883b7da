"""Where the main process of ``pipeline batch`` spends its CPU (issue #8), in one process.

    .venv/bin/python benchmarks/batch_profile.py FILE.jsonl --workers 2 [--cprofile]
    PROFILE_TREE=/tmp/old-checkout .venv/bin/python benchmarks/batch_profile.py ...  # before


Runs :func:`pipeline.batch.run_batch` here (a temp DB, the default campaign model) with
its phases wrapped by per-thread CPU clocks (``time.thread_time``): reading (JSON + the
article normalisation), fingerprints, submit, wait, expand, progress bar, row building
(incl. ``fold``), SQL and FTS. Pickling and unpickling in the pool's helper threads
(``multiprocessing``'s ForkingPickler) are counted on whichever thread runs them. The
workers' CPU comes from ``os.times()`` (children, after the pool has joined them). CPU
seconds: another job on the machine does not inflate them (much). Prints one table, or
with ``--cprofile`` the main thread's top functions as well. Rows are parts of the rows
above them when indented; start-up (model loading, ~1.2 cpu-s) is in the totals: subtract
a 1-article run's. Wrapped functions that a version of the code lacks are left out.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# PROFILE_TREE=DIR: profile another copy of the code (a before/after comparison)
REPO = Path(os.environ.get("PROFILE_TREE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(REPO))

CPU: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
_DEPTH = threading.local()


def _timed(key: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` whose CPU (this thread's) is added to ``CPU[key]``; nested timed calls are
    counted in both (the table says which rows are parts of others)."""

    @functools.wraps(fn)
    def wrapper(*a: Any, **k: Any) -> Any:
        t0 = time.thread_time()
        try:
            return fn(*a, **k)
        finally:
            CPU[key] += time.thread_time() - t0
            CALLS[key] += 1

    return wrapper


def _timed_gen(key: str, fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(fn)
    def wrapper(*a: Any, **k: Any) -> Iterator[Any]:
        it = fn(*a, **k)
        while True:
            t0 = time.thread_time()
            try:
                item = next(it)
            except StopIteration:
                CPU[key] += time.thread_time() - t0
                return
            CPU[key] += time.thread_time() - t0
            CALLS[key] += 1
            yield item

    return wrapper


def _patch(obj: Any, name: str, key: str, gen: bool = False) -> None:
    orig = getattr(obj, name, None)
    if orig is None:  # another version of the code
        return
    setattr(obj, name, (_timed_gen if gen else _timed)(key, orig))


def install() -> None:
    import multiprocessing.reduction as red
    from concurrent.futures import ProcessPoolExecutor

    from pipeline import batch
    from pipeline.store import rows, sqlite

    _patch(batch, "read_articles", "read (json+normalise)", gen=True)
    _patch(batch, "read_drafts", "read (json+checks)", gen=True)
    import pipeline.io.readers as readers

    _patch(readers, "record_to_article", "  of which normalise")
    _patch(readers, "record_to_draft", "  of which checks")
    try:
        from pipeline.io.article import Draft

        _patch(Draft, "finish", "Draft.finish (normalise, here)")
    except ImportError:
        pass
    _patch(batch, "fingerprint", "fingerprint")
    _patch(batch, "expand", "expand")
    _patch(batch, "process_article", "process_article (in-process NLP)")
    _patch(batch, "wait", "wait (futures)")
    _patch(ProcessPoolExecutor, "submit", "submit")
    _patch(sqlite.Store, "write", "Store.write")
    for name in ("article_row", "sentence_rows", "claim_row", "tag_row"):
        _patch(rows, name, f"  rows.{name}")
    _patch(sqlite, "fold", "  fold(text)")
    _patch(rows, "fold", "  fold")
    _patch(rows, "expand_rows", "  rows.expand_rows")
    _patch(sqlite.Store, "write_prepared", "  Store.write_prepared")
    _patch(batch, "prepare", "rows.prepare (in this process)")
    _patch(sqlite, "_index", "  FTS index")
    _patch(sqlite, "_insert_many", "  executemany")
    orig_dumps = red.ForkingPickler.dumps.__func__  # type: ignore[attr-defined]
    red.ForkingPickler.dumps = classmethod(_timed("pickle.dumps (any thread)", orig_dumps))  # type: ignore[method-assign,assignment]
    red.ForkingPickler.loads = staticmethod(
        _timed("pickle.loads (any thread)", red.ForkingPickler.loads)
    )  # type: ignore[method-assign]
    try:
        from tqdm import tqdm

        _patch(tqdm, "update", "tqdm.update")
        _patch(tqdm, "set_postfix", "tqdm.set_postfix")
    except ImportError:
        pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cprofile", action="store_true")
    ap.add_argument("--progress", action="store_true", help="with the tqdm bar (to /dev/null)")
    ap.add_argument("--db", default=None)
    ap.add_argument("--freeze", action="store_true", help="experiment: gc.freeze() before the pool")
    args = ap.parse_args()
    install()
    from pipeline import batch

    if args.freeze:
        import gc

        orig_pool = batch._run_pool

        def frozen_pool(*a: Any, **k: Any) -> Any:
            gc.freeze()
            return orig_pool(*a, **k)

        batch._run_pool = frozen_pool  # type: ignore[assignment]

    model = REPO / "outputs/models/campaigns.skops"
    db = args.db or str(Path(tempfile.mkdtemp()) / "p.sqlite")
    if args.progress:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    prof = cProfile.Profile() if args.cprofile else None
    t0 = os.times()
    tt0 = time.thread_time()
    w0 = time.monotonic()
    if prof:
        prof.enable()
    summary = batch.run_batch(
        args.paths,
        db,
        workers=args.workers,
        campaign_model=str(model) if model.exists() else None,
        progress=args.progress,
    )
    if prof:
        prof.disable()
    t1 = os.times()
    main_thread = time.thread_time() - tt0
    proc = (t1.user - t0.user) + (t1.system - t0.system)
    kids = (t1.children_user - t0.children_user) + (t1.children_system - t0.children_system)
    n = summary.articles_processed + summary.failures
    print(
        f"{n} articles, workers {args.workers}, wall {time.monotonic() - w0:.1f} s; "
        f"main process {proc:.2f} cpu-s ({1e6 * proc / n:.0f} us/article), main thread "
        f"{main_thread:.2f}, other threads {proc - main_thread:.2f}; workers {kids:.2f} cpu-s "
        f"({1e6 * kids / n:.0f} us/article; sys {t1.children_system - t0.children_system:.2f})"
    )
    for key in sorted(CPU):
        print(
            f"  {key:<34} {CPU[key]:7.3f} s  {1e6 * CPU[key] / n:8.0f} us/article  "
            f"{CALLS[key]:7d} calls"
        )
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
