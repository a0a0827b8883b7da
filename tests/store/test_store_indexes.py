"""Lookups ``Store.write`` makes once per article use an index, so a batch over 100k+
articles does not scan whole tables (a full scan per article grows with the table)."""

from __future__ import annotations

from pathlib import Path

from pipeline.store.sqlite import Store

PER_ARTICLE = (
    "DELETE FROM failures WHERE source = ?",
    "DELETE FROM failures WHERE article_id = ?",
    "SELECT * FROM campaign_tags WHERE article_id = ?",
)


def test_per_article_lookups_use_an_index(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.sqlite")
    try:
        for sql in PER_ARTICLE:
            plan = " ".join(r[-1] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, ("x",)))
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (sql, plan)
            assert "SCAN" not in plan, (sql, plan)
    finally:
        store.close()


def test_an_old_database_gets_the_failures_index(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.sqlite")
    store.conn.execute("DROP INDEX failures_source")
    store.conn.execute("DELETE FROM schema_migrations WHERE version = 5")
    store.conn.commit()
    store.close()
    store = Store(tmp_path / "x.sqlite")  # migrates in place
    try:
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert "failures_source" in names
    finally:
        store.close()
