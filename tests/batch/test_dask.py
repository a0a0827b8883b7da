"""A Dask run and a local run of the same inputs write the same tables (issue #8)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.batch import prepare_article, process_article, run_batch
from pipeline.io.article import Draft
from pipeline.io.readers import read_articles, read_drafts
from pipeline.store import rows
from pipeline.types import Article, ArticleResult

# columns that say when or by which run a row was written, not what it holds
VOLATILE = {"run_id", "created_at", "started_at", "finished_at", "applied_at", "seconds"}
CONTENT_TABLES = ("articles", "sentences", "claims", "campaign_tags", "failures")


def _table(db: Path, table: str) -> tuple[list[str], list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        cur = conn.execute(f"SELECT * FROM {table}")
        cols = [d[0] for d in cur.description]
        keep = [i for i, c in enumerate(cols) if c not in VOLATILE]
        rows = sorted((tuple(r[i] for i in keep) for r in cur), key=repr)
    return [cols[i] for i in keep], rows


@pytest.fixture(scope="module")
def inputs(real_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six real articles, a broken line and a duplicate id: rows and failures to compare."""
    with open(real_corpus / "target.jsonl", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(6)]
    path = tmp_path_factory.mktemp("dask") / "input.jsonl"
    path.write_text("".join([*lines, "{not json\n", lines[0]]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as c:
        yield c.scheduler_address


def test_dask_run_writes_the_rows_of_a_local_run(
    inputs: Path, cluster: str, tmp_path: Path
) -> None:
    local_db, dask_db = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    local = run_batch([inputs], local_db, workers=1, progress=False)
    remote = run_batch(
        [inputs],
        dask_db,
        executor="dask",
        scheduler=cluster,
        chunk_size=2,  # several tasks, spread over both workers
        progress=False,
    )
    assert local.articles_processed == remote.articles_processed == 6
    assert local.failures == remote.failures == 2  # the broken line and the duplicate id
    for table in CONTENT_TABLES:
        cols_l, rows_l = _table(local_db, table)
        cols_d, rows_d = _table(dask_db, table)
        assert cols_l == cols_d
        assert rows_l == rows_d, f"{table} differs between the local and the Dask run"
    _, sentences = _table(dask_db, "sentences")
    assert len(sentences) == local.sentences > 6
    # the runs table: same counts and status; args differ only by the executor
    with sqlite3.connect(dask_db) as conn:
        (args,) = conn.execute("SELECT args FROM runs").fetchone()
    assert json.loads(args)["executor"] == "dask"
    keep = ("status", "articles_seen", "articles_processed", "sentences", "claims", "tags")
    assert {k: local.as_dict()[k] for k in keep} == {k: remote.as_dict()[k] for k in keep}

    # idempotent: a second Dask run skips every article and changes no content
    again = run_batch([inputs], dask_db, executor="dask", scheduler=cluster, progress=False)
    assert again.articles_processed == 0 and again.articles_skipped == 6
    for table in CONTENT_TABLES[:-1]:
        assert _table(dask_db, table) == _table(local_db, table)


def test_worker_rows_are_the_rows_of_the_full_result(inputs: Path) -> None:
    """What workers send back (a draft in, rows without the article's text out) makes the
    rows that the full result of the finished article makes."""
    drafts = [d for d in read_drafts([inputs]) if isinstance(d, Draft)][:2]
    articles = [a for a in read_articles([inputs]) if isinstance(a, Article)][:2]
    versions = {"vn_claims": "c1", "vn_campaigns": "t1"}
    for draft, article in zip(drafts, articles, strict=True):
        assert draft.finish() == article
        sent = prepare_article(draft, versions, "run")
        full = process_article(article)
        assert isinstance(sent, rows.Prepared) and isinstance(full, ArticleResult)
        assert sent == rows.prepare(full, versions, "run")
        arow, srows = rows.expand_rows(sent, article.raw_text, "run")
        assert arow[rows.A_TEXT] == article.raw_text
        assert len(srows) == len(full.sentences) > 0


def test_a_crash_while_building_rows_fails_that_article_only(
    inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import batch

    drafts = [d for d in read_drafts([inputs]) if isinstance(d, Draft)][:2]
    real = batch.prepare

    def flaky(result: ArticleResult, versions: dict[str, str], run_id: str) -> rows.Prepared:
        if result.article.id == drafts[0].id:
            raise ValueError("boom")
        return real(result, versions, run_id)

    monkeypatch.setattr(batch, "prepare", flaky)
    monkeypatch.setitem(batch._WORKER, "rows", ({}, "run"))
    first, second = batch.process_chunk(drafts)
    assert isinstance(first, batch.Failure) and first.stage == "rows"
    assert first.article_id == drafts[0].id and "boom" in first.message
    assert isinstance(second, rows.Prepared)
