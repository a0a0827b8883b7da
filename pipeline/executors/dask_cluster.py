"""Run the batch's NLP stages on a Dask distributed cluster.

The client (the process running ``pipeline batch``) reads and skips articles as a local run
does, groups the rest into chunks of ``chunk_size`` articles and submits one task per chunk;
each Dask worker process builds the spaCy pipeline once (the same per-process cache as the
local pool) and returns each article's rows (no copy of its text). The client puts each
article's text back and is the one writer of the database, so a Dask run writes exactly the
rows a local run writes. At most ``2 x worker threads`` chunks are in flight, so client memory does
not grow with the corpus.

Without a scheduler address a ``LocalCluster`` on 127.0.0.1 is started (and stopped) here.
Workers of a real cluster need this package installed (same version: the stage versions
are checked against the client's, so a mismatched worker cannot write mixed results) and
the campaign model at the same absolute path as the client.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from pipeline.io.article import Draft
from pipeline.types import Article, Failure

log = logging.getLogger(__name__)

DEFAULT_CHUNK = 32
IN_FLIGHT_PER_THREAD = 2


def process_chunk(
    articles: list[Article | Draft],
    stages: Sequence[str],
    campaign_model: str | None,
    versions: dict[str, str],
    run_id: str,
) -> list[Any]:
    """Runs on a Dask worker: the stages over a chunk, each article's rows (or failure) in
    the same order (``pipeline.batch.prepare_article``)."""
    from pipeline import batch
    from pipeline.nlp.language import stage_versions

    config = (tuple(stages), campaign_model)
    if batch._WORKER.get("config") != config:
        batch._WORKER.clear()
        batch._worker_init(*config)
    mine = stage_versions(batch._nlp())
    if mine != versions:
        raise RuntimeError(f"worker stage versions {mine} differ from the client's {versions}")
    return [batch.prepare_article(a, versions, run_id) for a in articles]


def run_dask(
    articles: Iterable[Article | Draft],
    take_chunk: Callable[[Sequence[Article | Draft], Iterable[Any]], None],
    *,
    stages: Sequence[str],
    campaign_model: str | None,
    versions: dict[str, str],
    run_id: str,
    scheduler: str | None = None,
    workers: int = 2,
    chunk_size: int = DEFAULT_CHUNK,
) -> None:
    """Process ``articles`` on a Dask cluster, feeding every chunk's outcomes to
    ``take_chunk`` in the calling process."""
    from distributed import Client, LocalCluster, as_completed

    from pipeline.batch import chunks

    if campaign_model:  # workers may run elsewhere: an absolute path (on a shared mount)
        campaign_model = str(Path(campaign_model).resolve())
    with ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            # the in-process scheduler logs every worker's arrival and exit at INFO
            logging.getLogger("distributed").setLevel(logging.WARNING)
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            )
            client = stack.enter_context(Client(cluster))
        threads = max(1, sum(client.nthreads().values()))
        limit = threads * IN_FLIGHT_PER_THREAD
        log.info("dask: %s, %d worker threads, chunks of %d", client, threads, chunk_size)
        pending: dict[Any, list[Article | Draft]] = {}
        done = as_completed()

        def collect(fut: Any) -> None:
            chunk = pending.pop(fut)
            try:
                results = fut.result()
            except Exception as exc:  # a lost worker or a broken task: the chunk fails
                results = [
                    Failure(a.source, "worker", type(exc).__name__, str(exc), a.id) for a in chunk
                ]
            finally:
                fut.release()
            take_chunk(chunk, results)

        for chunk in chunks(articles, chunk_size):
            fut = client.submit(
                process_chunk, chunk, tuple(stages), campaign_model, versions, run_id, pure=False
            )
            pending[fut] = chunk
            done.add(fut)
            while len(pending) >= limit:
                collect(next(done))
        for fut in done:
            collect(fut)
