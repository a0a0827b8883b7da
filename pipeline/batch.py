"""``pipeline batch``: stream articles through the NLP stages into SQLite.

* Streaming: inputs are read lazily and at most ``workers * IN_FLIGHT_PER_WORKER``
  articles are in flight, so memory stays flat whatever the corpus size.
* Workers: N processes, each building the spaCy pipeline once (lazily); ``workers=1`` runs
  in this process.
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
from pathlib import Path
from typing import Any

from pipeline.io.article import DEFAULT_MAX_CHARS
from pipeline.io.readers import read_articles
from pipeline.store.sqlite import Store, fingerprint
from pipeline.types import Article, ArticleResult, Failure, Sentence

log = logging.getLogger(__name__)

IN_FLIGHT_PER_WORKER = 16
COMMIT_EVERY = 64  # articles per transaction
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


def _worker_init(stages: Sequence[str], campaign_model: str | None) -> None:
    _WORKER["config"] = (tuple(stages), campaign_model)


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


# What a worker sends back: the results without a second copy of the article or of the
# sentence texts (the main process has the article and slices them again).
Compact = tuple[
    tuple[tuple[int, int, int, int], ...], tuple[Any, ...], tuple[Any, ...], tuple[str, ...]
]


def compact(item: ArticleResult | Failure) -> Compact | Failure:
    """An ArticleResult without its Article and sentence texts (see :func:`expand`)."""
    if isinstance(item, Failure):
        return item
    sents = tuple((s.index, s.paragraph, s.start, s.end) for s in item.sentences)
    return sents, item.claims, item.tags, item.stages


def expand(article: Article, item: Compact | Failure) -> ArticleResult | Failure:
    """The ArticleResult that :func:`compact` made compact, with ``article`` put back."""
    if isinstance(item, Failure):
        return item
    sents, claims, tags, stages = item
    text = article.text
    sentences = tuple(Sentence(article.id, i, p, s, e, text[s:e]) for i, p, s, e in sents)
    return ArticleResult(article, sentences, claims, tags, stages)


def process_compact(article: Article) -> Compact | Failure:
    """:func:`process_article` for a worker process: compact results."""
    return compact(process_article(article))


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
    on_result: Callable[[ArticleResult], None] | None = None,
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
    pending_results: list[ArticleResult] = []
    pending_failures: list[Failure] = []
    last_commit = time.monotonic()

    def flush(force_now: bool = False) -> None:
        nonlocal last_commit
        n = len(pending_results) + len(pending_failures)
        if not n:
            return
        if force_now or n >= COMMIT_EVERY or time.monotonic() - last_commit > COMMIT_SECONDS:
            store.write(pending_results, pending_failures, versions, summary.run_id)
            pending_results.clear()
            pending_failures.clear()
            last_commit = time.monotonic()

    def take(item: ArticleResult | Failure) -> None:
        if isinstance(item, Failure):
            summary.failures += 1
            pending_failures.append(item)
        else:
            summary.articles_processed += 1
            summary.sentences += len(item.sentences)
            summary.claims += len(item.claims)
            summary.tags += len(item.tags)
            pending_results.append(item)
            if on_result is not None:
                on_result(item)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(claims=summary.claims, failures=summary.failures, refresh=False)
        flush()

    def todo() -> Iterator[Article]:
        seen_ids: set[str] = set()
        for item in read_articles(paths, max_chars=max_chars):
            summary.articles_seen += 1
            if isinstance(item, Failure):
                take(item)
                continue
            if item.id in seen_ids:
                # no article_id: storing the first copy must not clear this row
                take(
                    Failure(
                        item.source,
                        "read",
                        "DuplicateId",
                        f"article id {item.id} already read in this run; kept the first",
                    )
                )
                continue
            seen_ids.add(item.id)
            if known.get(item.id) == fingerprint(item.content_hash, versions):
                summary.articles_skipped += 1
                if bar is not None:
                    bar.update(1)
                continue
            yield item

    status = "finished"
    try:
        _WORKER["config"] = (tuple(stages), campaign_model)
        _WORKER["nlp"] = nlp
        if executor == "dask":
            from pipeline.executors.dask_cluster import DEFAULT_CHUNK, run_dask

            run_dask(
                todo(),
                take,
                stages=stages,
                campaign_model=campaign_model,
                versions=versions,
                scheduler=scheduler,
                workers=workers,
                chunk_size=chunk_size or DEFAULT_CHUNK,
            )
        elif workers == 1:
            for article in todo():
                take(process_article(article))
        else:
            # Load the models before forking: the workers share them copy-on-write and
            # start at once (with a spawn start method they build their own, lazily).
            nlp.make_doc("Khởi động.")
            _run_pool(todo(), workers, stages, campaign_model, take)
        flush(force_now=True)
    except KeyboardInterrupt:
        status = "interrupted"
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


def _run_pool(
    articles: Iterable[Article],
    workers: int,
    stages: Sequence[str],
    campaign_model: str | None,
    take: Callable[[ArticleResult | Failure], None],
) -> None:
    limit = workers * IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_worker_init, initargs=(tuple(stages), campaign_model)
    ) as pool:
        pending: dict[Future[Compact | Failure], Article] = {}
        for article in articles:
            pending[pool.submit(process_compact, article)] = article
            if len(pending) >= limit:
                _drain(pending, take)
        while pending:
            _drain(pending, take)


def _drain(
    pending: dict[Future[Compact | Failure], Article],
    take: Callable[[ArticleResult | Failure], None],
) -> None:
    """Hand over the results of the futures that are done (at least one)."""
    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    for fut in done:
        article = pending.pop(fut)
        try:
            result = fut.result()
        except Exception as exc:
            take(Failure(article.source, "worker", type(exc).__name__, str(exc), article.id))
        else:
            take(expand(article, result))


def _progress(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" articles", desc="batch", dynamic_ncols=True, mininterval=0.5)
