"""SQLite storage: migrations, idempotent per-article writes, runs and failures.

Every article is written in full inside one transaction (its row, then its sentences,
claims and tags replaced), together with the other articles of the same batch; a crash
loses at most the uncommitted batch, which the next run redoes, and never leaves half an
article. Rows are keyed by stable ids, so a re-run replaces instead of duplicating.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.store import rows
from pipeline.store.schema import MIGRATIONS
from pipeline.types import ArticleResult, Failure


class StoreError(RuntimeError):
    """The database cannot be used; the message says why and what to do."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fingerprint(content_hash: str, versions: dict[str, str]) -> str:
    """What decides whether an article must be processed again: its content and the
    versions of every stage.

    >>> fingerprint("abc", {"claims": "1"}) != fingerprint("abc", {"claims": "2"})
    True
    """
    key = content_hash + json.dumps(versions, sort_keys=True)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _insert_sql(table: str, columns: Sequence[str], verb: str = "INSERT OR REPLACE") -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    return f"{verb} INTO {table} ({cols}) VALUES ({marks})"


class Store:
    """The project's SQLite database."""

    def __init__(self, path: str | Path, *, readonly: bool = False, timeout: float = 30.0) -> None:
        self.path = Path(path)
        try:
            if readonly:
                uri = f"file:{self.path}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=timeout)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, timeout=timeout)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            self.conn.row_factory = sqlite3.Row
            if not readonly:
                self.migrate()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    # -- schema ---------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply the migrations that have not run yet; returns their numbers."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)"
        )
        done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            try:
                self.conn.execute("BEGIN")
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, now_iso())
                )
                self.conn.execute("COMMIT")
            except sqlite3.Error:
                self.conn.execute("ROLLBACK")
                raise
            applied.append(version)
        return applied

    def close(self) -> None:
        self.conn.close()

    # -- runs -----------------------------------------------------------------------------
    def start_run(self, command: str, args: dict[str, Any], versions: dict[str, str]) -> str:
        run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        try:
            with self.conn:
                self.conn.execute(
                    "INSERT INTO runs (run_id, command, args, code_version, stage_versions, "
                    "started_at, status) VALUES (?, ?, ?, ?, ?, ?, 'running')",
                    (
                        run_id,
                        command,
                        json.dumps(args, default=str),
                        __version__,
                        json.dumps(versions, sort_keys=True),
                        now_iso(),
                    ),
                )
        except sqlite3.OperationalError as exc:  # locked, read-only, disk full
            raise StoreError(_explain(exc, self.path)) from exc
        return run_id

    def finish_run(self, run_id: str, status: str, counts: dict[str, Any]) -> None:
        cols = [k for k in counts if k in _RUN_COUNTS]
        sets = ", ".join(f"{c} = ?" for c in cols)
        try:
            with self.conn:
                self.conn.execute(
                    f"UPDATE runs SET status = ?, finished_at = ?{', ' + sets if sets else ''} "
                    "WHERE run_id = ?",
                    (status, now_iso(), *[counts[c] for c in cols], run_id),
                )
        except sqlite3.OperationalError as exc:
            raise StoreError(_explain(exc, self.path)) from exc

    # -- articles -------------------------------------------------------------------------
    def fingerprints(self) -> dict[str, str]:
        """article id -> fingerprint of what was stored for it."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, fingerprint FROM articles")}

    def write(
        self,
        results: Iterable[ArticleResult],
        failures: Iterable[Failure],
        versions: dict[str, str],
        run_id: str,
    ) -> None:
        """Write a batch of articles and failures in one transaction."""
        prepared = [(r.article.raw_text, rows.prepare(r, versions, run_id)) for r in results]
        self.write_prepared(prepared, failures, run_id)

    def write_prepared(
        self,
        articles: Sequence[tuple[str, rows.Prepared]],
        failures: Iterable[Failure],
        run_id: str,
    ) -> None:
        """Write a batch of articles, each ``(raw_text, rows.prepare(result, ...))``, and
        failures in one transaction: every article's old rows replaced by its new ones."""
        now = now_iso()
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
            for segment in _segments(articles):
                ids = json.dumps([p.id for _, p in segment])
                for sql in _DELETE_SQL:
                    c.execute(sql, (ids,))
                sources = json.dumps(list(dict.fromkeys(p.source for _, p in segment)))
                c.execute(_DELETE_FAILURES_BY_SOURCE, (sources,))
                article_rows = []
                sentence_rows: list[tuple[Any, ...]] = []
                claim_rows: list[tuple[Any, ...]] = []
                tag_rows: list[tuple[Any, ...]] = []
                for raw_text, p in segment:
                    arow, srows = rows.expand_rows(p, raw_text, run_id)
                    article_rows.append(arow)
                    sentence_rows += srows
                    claim_rows += p.claims
                    tag_rows += p.tags
                for sql, values in (
                    (_INSERT_ARTICLE, article_rows),
                    (_INSERT_SENTENCE, sentence_rows),
                    (_INSERT_CLAIM, claim_rows),
                    (_INSERT_TAG, tag_rows),
                ):
                    if values:
                        c.executemany(sql, values)
                _index(c, ids)
            _insert_many(c, "failures", [rows.failure_row(f, run_id, now) for f in failures])
            c.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise StoreError(_explain(exc, self.path)) from exc
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "sentences", "claims", "campaign_tags", "failures", "runs"):
            out[table] = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out


_RUN_COUNTS = {
    "articles_seen",
    "articles_processed",
    "articles_skipped",
    "sentences",
    "claims",
    "tags",
    "failures",
    "seconds",
}


def _segments(
    articles: Sequence[tuple[str, rows.Prepared]],
) -> list[Sequence[tuple[str, rows.Prepared]]]:
    """``articles`` cut before any article already in the current piece: an article written
    twice in one batch has its first rows indexed before they are replaced."""
    out: list[Sequence[tuple[str, rows.Prepared]]] = []
    seen: set[str] = set()
    start = 0
    for i, (_, p) in enumerate(articles):
        if p.id in seen:
            out.append(articles[start:i])
            seen.clear()
            start = i
        seen.add(p.id)
    if start < len(articles):
        out.append(articles[start:])
    return out


# An article's old rows, for a batch of article ids (a JSON list). Articles are deleted
# with their delete trigger (not left to INSERT OR REPLACE, which would leave the old
# row's words in articles_fts).
_IDS_IN = "IN (SELECT value FROM json_each(?))"
_DELETE_SQL = (
    f"DELETE FROM sentences WHERE article_id {_IDS_IN}",
    f"DELETE FROM claims WHERE article_id {_IDS_IN}",
    f"DELETE FROM campaign_tags WHERE article_id {_IDS_IN}",
    f"DELETE FROM articles WHERE id {_IDS_IN}",
    f"DELETE FROM failures WHERE article_id {_IDS_IN}",
)
_DELETE_FAILURES_BY_SOURCE = f"DELETE FROM failures WHERE source {_IDS_IN}"
_INSERT_ARTICLE = _insert_sql("articles", rows.ARTICLE_COLUMNS)
_INSERT_SENTENCE = _insert_sql("sentences", rows.SENTENCE_COLUMNS)
_INSERT_CLAIM = _insert_sql("claims", rows.CLAIM_COLUMNS)
_INSERT_TAG = _insert_sql("campaign_tags", rows.TAG_COLUMNS)


# The search index rows of the given articles and of their sentences and claims (migration
# 4: they used to come from per-row insert triggers, with the same values). One statement
# per table and batch: FTS5 flushes its pending terms at every statement savepoint, so a
# per-row insert writes one index segment per row.
_IDS = "(SELECT value FROM json_each(?))"
INDEX_SQL = (
    f"""
INSERT INTO articles_fts(rowid, title_folded, text_folded)
SELECT rowid, title_folded, text_folded FROM articles WHERE id IN {_IDS} ORDER BY rowid
""",
    f"""
INSERT INTO sentences_fts(rowid, text_folded)
SELECT rowid, text_folded FROM sentences WHERE article_id IN {_IDS} ORDER BY rowid
""",
    f"""
INSERT INTO claims_fts(rowid, sentence_folded, title_folded)
SELECT c.rowid,
  COALESCE(
    (SELECT s.text_folded FROM sentences s WHERE s.id = c.sentence_id),
    (SELECT s.text_folded FROM sentences s WHERE s.article_id = c.article_id
       AND s.start <= c.start AND s."end" >= c."end" ORDER BY s.start DESC LIMIT 1),
    ''),
  COALESCE((SELECT a.title_folded FROM articles a WHERE a.id = c.article_id), '')
FROM claims c WHERE c.article_id IN {_IDS} ORDER BY c.rowid
""",
)


def _index(c: sqlite3.Connection, ids: str) -> None:
    """Add the rows of the articles ``ids`` (a JSON list; just written, not yet indexed) to
    the FTS indexes."""
    for sql in INDEX_SQL:
        c.execute(sql, (ids,))


def _insert_many(c: sqlite3.Connection, table: str, items: list[dict[str, Any]]) -> None:
    if not items:
        return
    cols = list(items[0])
    c.executemany(_insert_sql(table, cols), [list(r.values()) for r in items])


def _explain(exc: sqlite3.Error, path: Path) -> str:
    msg = str(exc)
    if "locked" in msg or "busy" in msg:
        return f"database {path} is locked by another process ({msg}); wait for it or use --db"
    if "readonly" in msg or "read-only" in msg:
        return f"database {path} is read-only ({msg}); choose a writable --db"
    if "disk" in msg and "full" in msg:
        return f"disk full while writing {path} ({msg}); free space and run again to resume"
    if "disk I/O error" in msg:
        return (
            f"cannot write {path} ({msg}: disk full, file size limit or a failing disk); "
            "free space and run again to resume"
        )
    return f"database error on {path}: {msg}"


def _split_sql(sql: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner semicolons)."""
    out, buf = [], []
    depth = 0
    for line in sql.strip().splitlines():
        buf.append(line)
        upper = line.strip().upper()
        if upper.startswith("CREATE TRIGGER"):
            depth += 1
        if upper == "END;" and depth:
            depth -= 1
        if line.rstrip().endswith(";") and depth == 0:
            out.append("\n".join(buf))
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf))
    return out
