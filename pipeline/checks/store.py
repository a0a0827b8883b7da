"""Storage glue: claims and articles in, checks out (tables ``checks``, ``check_claims``).

Works on any ``sqlite3.Connection`` to the project database (row factory or not), so the
claim search and the web interface can call :func:`checks_for_claims` on their own
connection.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from pipeline.checks.model import ArticleMeta, CheckRow
from pipeline.types import Claim

_CLAIM_COLS = (
    "article_id",
    "sentence",
    "text",
    "start",
    "end",
    "value",
    "measure",
    "status",
    "qualifier",
    "value_max",
    "denominator",
    "unit",
    "subject",
    "period",
    "organisation",
    "organisation_id",
    "location",
    "province_id",
    "province_new_id",
    "speaker",
)
_CHECK_COLS = (
    "id",
    "kind",
    "verdict",
    "claim_ids",
    "roles",
    "article_ids",
    "stated",
    "computed",
    "explanation_vi",
    "explanation_en",
    "stated_value",
    "computed_value",
    "assumption",
    "checker_version",
)
_CHUNK = 500


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None


def load_claims(conn: sqlite3.Connection) -> list[Claim]:
    """Every stored claim, with its sentence's offsets when the sentence is stored."""
    cols = ", ".join(f'c."{c}"' for c in _CLAIM_COLS)
    sql = (
        f'SELECT {cols}, s.start, s."end" FROM claims c '
        "LEFT JOIN sentences s ON s.id = c.sentence_id ORDER BY c.article_id, c.start"
    )
    out = []
    for row in conn.execute(sql):
        values = dict(zip(_CLAIM_COLS, tuple(row)[: len(_CLAIM_COLS)], strict=True))
        s0, s1 = tuple(row)[len(_CLAIM_COLS) :]
        out.append(Claim(**values, sentence_start=s0 or 0, sentence_end=s1 or 0))
    return out


def load_articles(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, ArticleMeta]:
    """Text, title, date and outlet of the given articles."""
    out: dict[str, ArticleMeta] = {}
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        sql = f"SELECT id, text, published, outlet, title FROM articles WHERE id IN ({marks})"
        for aid, text, published, outlet, title in conn.execute(sql, chunk):
            out[aid] = ArticleMeta(aid, text or "", published, outlet, title)
    return out


def write_checks(conn: sqlite3.Connection, rows: Sequence[CheckRow]) -> int:
    """Replace every stored check with ``rows`` in one transaction; returns how many."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with conn:
        conn.execute("DELETE FROM check_claims")
        conn.execute("DELETE FROM checks")
        conn.executemany(
            "INSERT INTO checks (id, kind, verdict, article_id, article_ids, claim_ids, roles, "
            "stated, computed, stated_value, computed_value, assumption, explanation_vi, "
            "explanation_en, checker_version, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.id,
                    r.kind,
                    r.verdict,
                    r.article_ids[0] if len(r.article_ids) == 1 else None,
                    json.dumps(list(r.article_ids)),
                    json.dumps(list(r.claim_ids)),
                    json.dumps(list(r.roles)),
                    r.stated,
                    r.computed,
                    r.stated_value,
                    r.computed_value,
                    r.assumption,
                    r.explanation_vi,
                    r.explanation_en,
                    r.checker_version,
                    now,
                )
                for r in rows
            ],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO check_claims (check_id, claim_id, role) VALUES (?, ?, ?)",
            [(r.id, c, role) for r in rows for c, role in zip(r.claim_ids, r.roles, strict=True)],
        )
    return len(rows)


def _row_to_check(row: Sequence[object]) -> CheckRow:
    d = dict(zip(_CHECK_COLS, row, strict=True))
    for k in ("claim_ids", "roles", "article_ids"):
        d[k] = tuple(json.loads(str(d[k])))
    return CheckRow(**d)  # type: ignore[arg-type]


def load_checks(
    conn: sqlite3.Connection,
    *,
    article_id: str | None = None,
    kind: str | None = None,
    verdict: str | None = None,
) -> list[CheckRow]:
    """Stored checks, optionally those touching one article, of one kind or verdict."""
    if not _has_table(conn, "checks"):
        return []
    where, args = [], []
    if article_id:
        where.append("EXISTS (SELECT 1 FROM json_each(checks.article_ids) WHERE value = ?)")
        args.append(article_id)
    if kind:
        where.append("kind = ?")
        args.append(kind)
    if verdict:
        where.append("verdict = ?")
        args.append(verdict)
    cols = ", ".join(_CHECK_COLS)
    sql = f"SELECT {cols} FROM checks"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY article_id IS NULL, article_id, kind, id"
    return [_row_to_check(tuple(r)) for r in conn.execute(sql, args)]


def checks_for_claims(
    conn: sqlite3.Connection, claim_ids: Iterable[str]
) -> dict[str, list[CheckRow]]:
    """The stored checks that involve each of ``claim_ids``.

    Returns ``{claim_id: [CheckRow, ...]}`` with a key only for claims that have checks
    (implausible and inconsistent first, then cannot tell, then consistent). An empty dict when the
    database has no ``checks`` table yet (``pipeline checks`` was never run).
    """
    if not _has_table(conn, "checks"):
        return {}
    wanted = list(dict.fromkeys(claim_ids))
    order = {"implausible": 0, "inconsistent": 0, "cannot_tell": 1, "consistent": 2}
    out: dict[str, list[CheckRow]] = {}
    cols = ", ".join(f"k.{c}" for c in _CHECK_COLS)
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        sql = (
            f"SELECT cc.claim_id, {cols} FROM check_claims cc JOIN checks k ON k.id = cc.check_id "
            f"WHERE cc.claim_id IN ({marks})"
        )
        for row in conn.execute(sql, chunk):
            t = tuple(row)
            out.setdefault(str(t[0]), []).append(_row_to_check(t[1:]))
    for rows in out.values():
        rows.sort(key=lambda r: (order.get(r.verdict, 3), r.kind, r.id))
    return out
