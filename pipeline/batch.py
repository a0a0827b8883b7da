"""``pipeline batch``: stream articles through the NLP stages into SQLite.

* Streaming: inputs are read lazily and at most ``workers * IN_FLIGHT_PER_WORKER``
  articles are in flight, so memory stays flat whatever the corpus size.
* Workers: N processes, each building the spaCy pipeline once (lazily); ``workers=1`` runs
  in this process. This process reads and checks the inputs (an article's draft: see
  ``pipeline.io.article.Draft``) and sends them in chunks of :data:`CHUNK`; a worker
  normalises each, runs the stages and builds its rows (``pipeline.store.rows.prepare``),
  so that this process, the one writer, is left with little more than SQLite to do.
* Resumable and idempotent: an article whose fingerprint (content hash + stage versions)
  is already stored is skipped; results are committed in batches, each article whole, so a
  run killed at any moment and started again ends with exactly the rows of an
  uninterrupted run.
* Failures: a broken input or a crash in one article becomes a row in ``failures`` and
  the run goes on.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline.io.article import DEFAULT_MAX_CHARS, Draft
from pipeline.io.readers import read_drafts
from pipeline.store.rows import Prepared, prepare
from pipeline.store.sqlite import Store, fingerprint
from pipeline.types import Article, ArticleResult, Failure

log = logging.getLogger(__name__)

IN_FLIGHT_PER_WORKER = 16
CHUNK = 8  # articles per task sent to a worker process
COMMIT_EVERY = 256  # articles per transaction (or COMMIT_SECONDS, whichever comes first)
COMMIT_SECONDS = 2.0


@dataclass(slots=True)
class Summary:
    run_id: str = ""
    articles_seen: int = 0
    articles_processed: int = 0
    articles_skipped: int = 0
    sentences: int = 0
    claims: int = 0
    tags: int = 0
    failures: int = 0
    seconds: float = 0.0
    status: str = "running"
    stages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "stages": self.stages,
            "articles_seen": self.articles_seen,
            "articles_processed": self.articles_processed,
            "articles_skipped": self.articles_skipped,
            "sentences": self.sentences,
            "claims": self.claims,
            "tags": self.tags,
            "failures": self.failures,
            "seconds": round(self.seconds, 2),
        }


# -- worker side ------------------------------------------------------------------------
# One pipeline per worker process, built on first use (a per-process cache, not shared state).
_WORKER: dict[str, Any] = {}


def _worker_init(
    stages: Sequence[str],
    campaign_model: str | None,
    versions: dict[str, str] | None = None,
    run_id: str = "",
) -> None:
    _WORKER["config"] = (tuple(stages), campaign_model)
    _WORKER["rows"] = (versions or {}, run_id)


def _nlp() -> Any:
    if "nlp" not in _WORKER:
        from pipeline.nlp.language import make_nlp

        stages, model = _WORKER.get("config", (("claims", "campaigns"), None))
        _WORKER["nlp"] = make_nlp(stages, campaign_model=model)
    return _WORKER["nlp"]


def process_article(article: Article) -> ArticleResult | Failure:
    """Run the NLP stages on one article; a crash becomes a Failure naming the stage."""
    from pipeline.nlp.language import result_from_doc

    nlp = _nlp()
    stage = "tokenize"
    try:
        # The Doc's new strings and lexemes are freed when the zone ends (the result holds
        # plain Python values only): without it spaCy's vocabulary, and a worker's memory,
        # grow with every new word of the corpus.
        with nlp.memory_zone():
            doc = nlp.make_doc(article.text)
            doc.user_data["article"] = article
            for name, proc in nlp.pipeline:
                stage = name
                doc = proc(doc)
            stage = "collect"
            return result_from_doc(article, doc, nlp)
    except Exception as exc:
        tb = traceback.format_exc(limit=3).strip().splitlines()[-1]
        return Failure(article.source, stage, type(exc).__name__, f"{exc} [{tb}]", article.id)


# What a worker sends back for an article: its rows (no second copy of its text: the main
# process has the article and puts its raw text back) or its Failure.
Outcome = Prepared | Failure


# What the main process sends: an article, or (mostly) its draft, normalised by the worker.
Todo = Article | Draft


def prepare_article(item: Todo, versions: dict[str, str], run_id: str) -> Outcome:
    """:func:`process_article`, then the rows of its result (``rows.prepare``); a crash in
    one article, here as in its stages, is its Failure (not its chunk's)."""
    stage = "normalise"
    try:
        article = item.finish() if isinstance(item, Draft) else item
        result = process_article(article)
        if isinstance(result, Failure):
            return result
        stage = "rows"
        return prepare(result, versions, run_id)
    except Exception as exc:
        tb = traceback.format_exc(limit=3).strip().splitlines()[-1]
        return Failure(item.source, stage, type(exc).__name__, f"{exc} [{tb}]", item.id)


def process_chunk(articles: Sequence[Todo]) -> list[Outcome]:
    """Runs in a worker process: the outcomes of a chunk of articles, in order."""
    versions, run_id = _WORKER["rows"]
    return [prepare_article(a, versions, run_id) for a in articles]


# -- main side --------------------------------------------------------------------------
def run_batch(
    paths: Sequence[str | Path],
    db_path: str | Path,
    *,
    workers: int | None = None,
    stages: Sequence[str] = ("claims", "campaigns"),
    campaign_model: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    force: bool = False,
    progress: bool = True,
    executor: str = "local",
    scheduler: str | None = None,
    chunk_size: int | None = None,
) -> Summary:
    """Process ``paths`` into the database at ``db_path``; returns the run's summary.

    ``executor="dask"`` runs the stages on a Dask cluster (``scheduler`` address, or a
    LocalCluster of ``workers`` processes) in chunks of ``chunk_size`` articles; this
    process stays the one writer, so the rows are those of a local run."""
    from pipeline.nlp.language import available_stages, make_nlp, stage_versions

    started = time.monotonic()
    workers = max(1, workers or os.cpu_count() or 1)
    stages = available_stages(stages)
    nlp = make_nlp(stages, campaign_model=campaign_model)
    versions = stage_versions(nlp)
    store = Store(db_path)
    args = {
        "paths": [str(p) for p in paths],
        "workers": workers,
        "stages": list(stages),
        "max_chars": max_chars,
        "force": force,
        "executor": executor,
    }
    summary = Summary(stages=list(stages))
    summary.run_id = store.start_run("batch", args, versions)
    known = {} if force else store.fingerprints()
    bar = _progress(progress)
    pending_results: list[tuple[str, Prepared]] = []
    pending_failures: list[Failure] = []
    last_commit = time.monotonic()
    unshown = 0  # articles not yet counted on the progress bar

    def flush(force_now: bool = False) -> None:
        nonlocal last_commit
        n = len(pending_results) + len(pending_failures)
        if not n:
            return
        if force_now or n >= COMMIT_EVERY or time.monotonic() - last_commit > COMMIT_SECONDS:
            store.write_prepared(pending_results, pending_failures, summary.run_id)
            pending_results.clear()
            pending_failures.clear()
            last_commit = time.monotonic()

    def show(n: int, force_now: bool = False) -> None:
        nonlocal unshown
        unshown += n
        if bar is not None and unshown and (force_now or unshown >= 16):
            bar.update(unshown)
            bar.set_postfix(claims=summary.claims, failures=summary.failures, refresh=False)
            unshown = 0

    def take(article: Todo | None, item: Outcome) -> None:
        if isinstance(item, Failure):
            summary.failures += 1
            pending_failures.append(item)
        else:
            assert article is not None
            n_sentences, n_claims, n_tags = item.counts()
            summary.articles_processed += 1
            summary.sentences += n_sentences
            summary.claims += n_claims
            summary.tags += n_tags
            pending_results.append((article.raw_text, item))

    def take_chunk(articles: Sequence[Todo], outcomes: Iterable[Outcome]) -> None:
        for article, item in zip(articles, outcomes, strict=True):
            take(article, item)
        show(len(articles))
        flush()

    def take_failure(item: Failure) -> None:
        take(None, item)
        show(1)
        flush()

    def todo() -> Iterator[Todo]:
        seen_ids: set[str] = set()
        for item in read_drafts(paths, max_chars=max_chars):
            summary.articles_seen += 1
            if isinstance(item, Failure):
                take_failure(item)
                continue
            if item.id in seen_ids:
                # no article_id: storing the first copy must not clear this row
                take_failure(
                    Failure(
                        item.source,
                        "read",
                        "DuplicateId",
                        f"article id {item.id} already read in this run; kept the first",
                    )
                )
                continue
            seen_ids.add(item.id)
            stored = known.get(item.id)
            if stored is None:  # new: normalised where it is processed
                yield item
                continue
            article = item.finish()  # stored before: unchanged?
            if stored == fingerprint(article.content_hash, versions):
                summary.articles_skipped += 1
                show(1)
                continue
            yield article

    status = "finished"
    try:
        _WORKER["config"] = (tuple(stages), campaign_model)
        _WORKER["nlp"] = nlp
        if executor == "dask":
            from pipeline.executors.dask_cluster import DEFAULT_CHUNK, run_dask

            run_dask(
                todo(),
                take_chunk,
                stages=stages,
                campaign_model=campaign_model,
                versions=versions,
                run_id=summary.run_id,
                scheduler=scheduler,
                workers=workers,
                chunk_size=chunk_size or DEFAULT_CHUNK,
            )
        elif workers == 1:
            for article in todo():
                take_chunk((article,), (prepare_article(article, versions, summary.run_id),))
        else:
            # Load the models before forking: the workers share them copy-on-write and
            # start at once (with a spawn start method they build their own, lazily).
            from pipeline.nlp.tokenizer import build_compiled_now

            build_compiled_now()
            nlp.make_doc("Khởi động.")
            initargs = (tuple(stages), campaign_model, versions, summary.run_id)
            _run_pool(todo(), workers, initargs, take_chunk)
        show(0, force_now=True)
        flush(force_now=True)
    except KeyboardInterrupt:
        status = "interrupted"
        show(0, force_now=True)
        flush(force_now=True)
        raise
    except BaseException:
        status = "crashed"
        raise
    finally:
        summary.seconds = time.monotonic() - started
        summary.status = status
        if bar is not None:
            bar.close()
        try:
            store.finish_run(summary.run_id, status, summary.as_dict())
        finally:
            store.close()
    return summary


TakeChunk = Callable[[Sequence[Todo], Iterable[Outcome]], None]


def chunks(items: Iterable[Todo], size: int) -> Iterator[list[Todo]]:
    """``items`` in lists of ``size`` (the last may be shorter).

    >>> [len(c) for c in chunks(iter(range(7)), 3)]  # type: ignore[arg-type]
    [3, 3, 1]
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _run_pool(
    articles: Iterable[Todo],
    workers: int,
    initargs: tuple[Any, ...],
    take_chunk: TakeChunk,
) -> None:
    """The articles in chunks of :data:`CHUNK` over ``workers`` processes, at most
    ``workers * IN_FLIGHT_PER_WORKER`` articles in flight; outcomes to ``take_chunk``."""
    limit = workers * IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_worker_init, initargs=initargs
    ) as pool:
        pending: dict[Future[list[Outcome]], list[Todo]] = {}
        in_flight = 0
        for chunk in chunks(articles, CHUNK):
            pending[pool.submit(process_chunk, chunk)] = chunk
            in_flight += len(chunk)
            while in_flight >= limit:
                in_flight -= _drain(pending, take_chunk)
        while pending:
            _drain(pending, take_chunk)


def _drain(pending: dict[Future[list[Outcome]], list[Todo]], take_chunk: TakeChunk) -> int:
    """Hand over the outcomes of the chunks that are done (at least one); returns how many
    articles they held."""
    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    n = 0
    for fut in done:
        chunk = pending.pop(fut)
        n += len(chunk)
        try:
            outcomes = fut.result()
        except Exception as exc:  # a worker died or a chunk could not be sent or returned
            outcomes = [
                Failure(a.source, "worker", type(exc).__name__, str(exc), a.id) for a in chunk
            ]
        take_chunk(chunk, outcomes)
    return n


def _progress(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" articles", desc="batch", dynamic_ncols=True, mininterval=0.5)
