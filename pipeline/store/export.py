"""Tables for analysts: CSV and Parquet, one file per table plus a flat claims table.

Folded search columns are internal and left out. ``claims_flat`` has one row per claim
with its article (title, url, canonical url, published, outlet, archived copy), organisation,
place (ids and province names before and after the 2025 merger) and the article's campaign
ids (``;``-separated; ``campaigns_explicit``: those named in the text).
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
       a.canonical_url AS article_canonical_url, a.published AS article_published,
       a.outlet AS article_outlet, a.warc_file AS article_warc_file,
       a.warc_record_id AS article_warc_record_id,
       c.value, c.value_max, c.denominator, c.measure, c.status, c.qualifier, c.unit,
       c.subject, c.period, c.year, c.year_source, c.organisation, c.organisation_id,
       c.location, c.province_id, province_name(c.province_id, 'old') AS province_name,
       c.province_new_id, province_name(c.province_new_id, 'new') AS province_new_name,
       c.speaker, c.text, c.sentence, c.sentence_id, c.start, c."end",
       (SELECT group_concat(t.campaign_id, ';') FROM
          (SELECT campaign_id FROM campaign_tags WHERE article_id = c.article_id
           ORDER BY campaign_id) t) AS campaigns,
       (SELECT group_concat(t.campaign_id, ';') FROM
          (SELECT campaign_id FROM campaign_tags WHERE article_id = c.article_id
           AND mode = 'explicit' ORDER BY campaign_id) t) AS campaigns_explicit,
       c.extractor_version, c.run_id
FROM claims c JOIN articles a ON a.id = c.article_id
ORDER BY c.article_id, c.start
"""


def province_name(province_id: str | None, era: str) -> str | None:
    """The name of a province id in an era ("old": before 2025-07-01, "new": from then).

    >>> province_name("thai_binh", "old"), province_name("hung_yen", "new"), province_name(None, "old")
    ('Thái Bình', 'Hưng Yên', None)
    """
    if not province_id:
        return None
    from pipeline.places import province

    unit = province(province_id, era)
    return unit.name if unit else None


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
    conn.create_function("province_name", 2, province_name, deterministic=True)
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
