"""Helpers for batch tests: content of a database, run ids and timestamps aside."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

VOLATILE = {"run_id", "created_at"}
CONTENT_TABLES = ("articles", "sentences", "claims", "campaign_tags", "failures")


def table_content(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every content table, sorted, without run ids and timestamps."""
    conn = sqlite3.connect(db)
    out = {}
    for table in CONTENT_TABLES:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in VOLATILE]
        names = ", ".join(f'"{c}"' for c in cols)
        out[table] = sorted(conn.execute(f"SELECT {names} FROM {table}").fetchall(), key=repr)
    conn.close()
    return out


@pytest.fixture(scope="session")
def subset_200(real_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 200 real articles: the first 150 targets and 50 background articles."""
    out = tmp_path_factory.mktemp("corpus") / "subset.jsonl"
    lines = []
    with (real_corpus / "target.jsonl").open(encoding="utf-8") as fh:
        lines += [next(fh) for _ in range(150)]
    with (real_corpus / "background.jsonl").open(encoding="utf-8") as fh:
        lines += [next(fh) for _ in range(50)]
    out.write_text("".join(lines), encoding="utf-8")
    return out
