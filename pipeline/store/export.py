"""Tables for analysts: CSV and Parquet, one file per table plus a flat claims table.

Folded search columns are internal and left out. ``claims_flat`` has one row per claim
with its article (title, url, published, outlet), organisation, place and the article's
campaign ids (``;``-separated).
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.store.schema import EXPORT_TABLES

INTERNAL_COLUMNS = {"title_folded", "text_folded"}
BATCH_ROWS = 5000

FLAT_CLAIMS_SQL = """
SELECT c.id AS claim_id, c.article_id, a.title AS article_title, a.url AS article_url,
       a.published AS article_published, a.outlet AS article_outlet,
       c.value, c.value_max, c.denominator, c.measure, c.status, c.qualifier, c.unit,
       c.subject, c.period, c.year, c.year_source, c.organisation, c.organisation_id,
       c.location, c.province_id, c.province_new_id, c.speaker, c.text, c.sentence,
       c.start, c."end",
       (SELECT group_concat(t.campaign_id, ';') FROM
          (SELECT campaign_id FROM campaign_tags WHERE article_id = c.article_id
           ORDER BY campaign_id) t) AS campaigns,
       c.extractor_version, c.run_id
FROM claims c JOIN articles a ON a.id = c.article_id
ORDER BY c.article_id, c.start
"""


def _query(conn: sqlite3.Connection, table: str) -> tuple[list[str], sqlite3.Cursor]:
    if table == "claims_flat":
        cur = conn.execute(FLAT_CLAIMS_SQL)
    else:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        keep = ", ".join(f'"{c}"' for c in cols if c not in INTERNAL_COLUMNS)
        order = "rowid"
        cur = conn.execute(f"SELECT {keep} FROM {table} ORDER BY {order}")
    names = [d[0] for d in cur.description]
    return names, cur


def _batches(cur: sqlite3.Cursor) -> Iterator[list[tuple[Any, ...]]]:
    while True:
        rows = cur.fetchmany(BATCH_ROWS)
        if not rows:
            return
        yield rows


def export(
    db_path: str | Path,
    out_dir: str | Path,
    formats: Sequence[str] = ("csv", "parquet"),
    tables: Sequence[str] = (*EXPORT_TABLES, "claims_flat"),
) -> list[Path]:
    """Write every table in every format; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    written: list[Path] = []
    try:
        for table in tables:
            if "csv" in formats:
                names, cur = _query(conn, table)
                path = out / f"{table}.csv"
                with path.open("w", newline="", encoding="utf-8") as fh:
                    w = csv.writer(fh)
                    w.writerow(names)
                    for rows in _batches(cur):
                        w.writerows(rows)
                written.append(path)
            if "parquet" in formats:
                names, cur = _query(conn, table)
                path = out / f"{table}.parquet"
                schema = _arrow_schema(conn, table, names)
                with pq.ParquetWriter(path, schema) as pw:
                    for rows in _batches(cur):
                        cols = list(zip(*rows, strict=True))
                        pw.write_table(
                            pa.table(
                                {
                                    n: pa.array(list(col), type=schema.field(n).type)
                                    for n, col in zip(names, cols, strict=True)
                                },
                                schema=schema,
                            )
                        )
                written.append(path)
    finally:
        conn.close()
    return written


_TYPES = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string()}
_FLAT_TYPES = {
    "value": "REAL",
    "value_max": "REAL",
    "denominator": "REAL",
    "year": "INTEGER",
    "start": "INTEGER",
    "end": "INTEGER",
}


def _arrow_schema(conn: sqlite3.Connection, table: str, names: list[str]) -> pa.Schema:
    if table == "claims_flat":
        decl = {n: _FLAT_TYPES.get(n, "TEXT") for n in names}
    else:
        decl = {r[1]: (r[2] or "TEXT").upper() for r in conn.execute(f"PRAGMA table_info({table})")}
    return pa.schema([(n, _TYPES.get(decl.get(n, "TEXT"), pa.string())) for n in names])
