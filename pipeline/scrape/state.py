"""Crash-safe crawl state: the frontier, the seen set and the written articles, in SQLite.

The database runs in WAL mode with ``synchronous=FULL``; every change is one short
transaction, so ``kill -9`` at any moment leaves it consistent. On open, URLs left
``in_progress`` by a killed run go back to ``pending``. ``ArticleLog`` makes the appends to
``articles.jsonl`` idempotent: a line is fsynced before its id is committed as written;
on open a partial last line is cut off and ids found in the file but not yet committed are
committed, so a resumed crawl never writes an article twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.scrape.discover import utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,              -- robots | sitemap | feed | listing | article
    status TEXT NOT NULL DEFAULT 'pending',  -- pending | in_progress | done | failed | skipped
    depth INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,            -- discovery order: the frontier is FIFO per kind
    attempts INTEGER NOT NULL DEFAULT 0,
    hint_date TEXT,                  -- lastmod / feed date, when the source gave one
    etag TEXT,
    last_modified TEXT,
    final_url TEXT,
    http_status INTEGER,
    error TEXT,
    retryable INTEGER NOT NULL DEFAULT 0,
    article_id TEXT,
    updated_at TEXT
);
CREATE INDEX IF NOT EXISTS urls_frontier ON urls(status, kind, seq);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    canonical_url TEXT,
    content_hash TEXT NOT NULL,
    duplicate_of TEXT,
    written_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# kinds in the order the frontier serves them: discovery first, then articles
KIND_ORDER = {"robots": 0, "sitemap": 1, "feed": 2, "listing": 3, "article": 4}


@dataclass(frozen=True, slots=True)
class Task:
    url: str
    kind: str
    depth: int
    attempts: int
    hint_date: str | None
    etag: str | None
    last_modified: str | None


class CrawlState:
    """The frontier and seen set of one crawl directory (thread-safe).

    >>> import tempfile
    >>> st = CrawlState(Path(tempfile.mkdtemp()) / "state.sqlite")
    >>> st.add("http://h/a-1.htm", "article"), st.add("http://h/a-1.htm", "article")
    (True, False)
    >>> t = st.claim(); t.url, st.counts()["in_progress"]
    ('http://h/a-1.htm', 1)
    >>> st.finish(t.url, "done", http_status=200); st.claim() is None
    True
    """

    def __init__(self, path: Path, max_attempts: int = 3) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=30
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self.max_attempts = max_attempts
        with self._tx():
            self._db.execute("UPDATE urls SET status='pending' WHERE status='in_progress'")
            # failures that may succeed later get another chance on each run
            self._db.execute(
                "UPDATE urls SET status='pending' WHERE status='failed' AND retryable=1 "
                "AND attempts < ?",
                (max_attempts * 3,),
            )
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM urls").fetchone()
        self._seq = int(row[0])

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- meta ------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- frontier --------------------------------------------------------------------
    def add(self, url: str, kind: str, depth: int = 0, hint_date: str | None = None) -> bool:
        """Add a URL to the frontier unless already seen; True when it was new."""
        return self.add_many([(url, kind, depth, hint_date)]) == 1

    def add_many(self, items: list[tuple[str, str, int, str | None]]) -> int:
        if not items:
            return 0
        with self._tx() as db:
            added = 0
            now = utc_now()
            for url, kind, depth, hint in items:
                self._seq += 1
                cur = db.execute(
                    "INSERT OR IGNORE INTO urls(url, kind, depth, seq, hint_date, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (url, kind, depth, self._seq, hint, now),
                )
                added += cur.rowcount
            return added

    def seen(self, url: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM urls WHERE url=?", (url,)).fetchone() is not None

    def claim(self, kinds: tuple[str, ...] | None = None) -> Task | None:
        """Take the next pending URL (discovery pages before articles, FIFO within a kind)."""
        order = "CASE kind " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in KIND_ORDER.items())
        where = "status='pending'"
        params: list[Any] = []
        if kinds:
            where += f" AND kind IN ({','.join('?' * len(kinds))})"
            params.extend(kinds)
        with self._tx() as db:
            row = db.execute(
                "SELECT url, kind, depth, attempts, hint_date, etag, last_modified FROM urls "
                f"WHERE {where} ORDER BY {order} END, seq LIMIT 1",
                params,
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE urls SET status='in_progress', attempts=attempts+1, updated_at=? "
                "WHERE url=?",
                (utc_now(), row[0]),
            )
        return Task(*row)

    def finish(
        self,
        url: str,
        status: str,
        *,
        http_status: int | None = None,
        error: str | None = None,
        retryable: bool = False,
        final_url: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        article_id: str | None = None,
    ) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE urls SET status=?, http_status=?, error=?, retryable=?, final_url=?, "
                "etag=COALESCE(?, etag), last_modified=COALESCE(?, last_modified), "
                "article_id=COALESCE(?, article_id), updated_at=? WHERE url=?",
                (
                    status,
                    http_status,
                    error,
                    int(retryable),
                    final_url,
                    etag,
                    last_modified,
                    article_id,
                    utc_now(),
                    url,
                ),
            )

    def release(self, url: str) -> None:
        """Put a claimed URL back, unattempted: the crawl stopped before fetching it.

        >>> import tempfile
        >>> st = CrawlState(Path(tempfile.mkdtemp()) / "s.sqlite")
        >>> st.add("https://x.vn/a.html", "article")
        True
        >>> t = st.claim(); st.release(t.url); st.claim().attempts
        0
        """
        with self._tx() as db:
            db.execute(
                "UPDATE urls SET status='pending', attempts=MAX(attempts-1, 0), updated_at=? "
                "WHERE url=? AND status='in_progress'",
                (utc_now(), url),
            )

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT status, COUNT(*) FROM urls GROUP BY status").fetchall()
        out = {s: 0 for s in ("pending", "in_progress", "done", "failed", "skipped")}
        out.update({str(s): int(n) for s, n in rows})
        return out

    def fetched_articles(self) -> int:
        """Article URLs fetched so far, across runs (what --max-pages counts)."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM urls WHERE kind='article' "
                "AND status IN ('done', 'failed', 'skipped') "
                "AND COALESCE(error, '') <> 'disallowed by robots.txt'"
            ).fetchone()
        return int(row[0])

    def revisit(self, kinds: tuple[str, ...] = ("sitemap", "feed", "listing")) -> int:
        """Mark done discovery pages pending again (a new crawl of a known site)."""
        with self._tx() as db:
            cur = db.execute(
                f"UPDATE urls SET status='pending' WHERE status='done' "
                f"AND kind IN ({','.join('?' * len(kinds))})",
                kinds,
            )
            return cur.rowcount

    # -- articles --------------------------------------------------------------------
    def written(self, article_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone()
        return row is not None

    def by_hash(self, content_hash: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id FROM articles WHERE content_hash=? AND duplicate_of IS NULL "
                "ORDER BY written_at LIMIT 1",
                (content_hash,),
            ).fetchone()
        return None if row is None else str(row[0])

    def by_canonical(self, canonical_url: str, article_id: str) -> str | None:
        """An earlier article (other than ``article_id``) that declared the same canonical URL."""
        with self._lock:
            row = self._db.execute(
                "SELECT id FROM articles WHERE canonical_url=? AND id<>? AND duplicate_of IS NULL "
                "ORDER BY written_at LIMIT 1",
                (canonical_url, article_id),
            ).fetchone()
        return None if row is None else str(row[0])

    def record_article(
        self,
        article_id: str,
        url: str,
        canonical_url: str | None,
        content_hash: str,
        duplicate_of: str | None,
    ) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR IGNORE INTO articles(id, url, canonical_url, content_hash, "
                "duplicate_of, written_at) VALUES (?, ?, ?, ?, ?, ?)",
                (article_id, url, canonical_url, content_hash, duplicate_of, utc_now()),
            )
            db.execute(
                "UPDATE urls SET status='done', article_id=? WHERE url=? AND kind='article'",
                (article_id, url),
            )


class ArticleLog:
    """Idempotent appends to ``articles.jsonl`` (see the module docstring)."""

    def __init__(self, path: Path, state: CrawlState) -> None:
        self.path = Path(path)
        self.state = state
        self._lock = threading.Lock()
        self.recovered = self._recover()
        self._fh = open(self.path, "ab")  # noqa: SIM115 - closed in close()

    def _recover(self) -> int:
        """Cut a partial last line; commit ids present in the file but not in the state."""
        if not self.path.exists():
            return 0
        with open(self.path, "r+b") as fh:
            data = fh.read()
            end = data.rfind(b"\n") + 1
            if end < len(data):
                fh.truncate(end)
                fh.flush()
                os.fsync(fh.fileno())
        recovered = 0
        for line in data[:end].splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if not self.state.written(rec["id"]):
                self.state.record_article(
                    rec["id"],
                    rec["url"],
                    rec.get("canonical_url"),
                    rec.get("content_hash", ""),
                    rec.get("duplicate_of"),
                )
                recovered += 1
        return recovered

    def append(self, record: dict[str, Any], content_hash: str) -> bool:
        """Write one article unless its id was written before; True when written."""
        with self._lock:
            if self.state.written(record["id"]):
                return False
            line = json.dumps(record, ensure_ascii=False) + "\n"
            self._fh.write(line.encode("utf-8"))
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self.state.record_article(
                record["id"],
                record["url"],
                record.get("canonical_url"),
                content_hash,
                record.get("duplicate_of"),
            )
            return True

    def close(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.close()
