"""The search indexes written by ``Store.write`` (migration 4: one INSERT ... SELECT per
table and batch instead of per-row insert triggers), on real articles of
../shared/corpora/real/target.jsonl: every row indexed once with the values the triggers
used to write, and a database built before migration 4 upgraded in place searches the same
as one built after it."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from pipeline.io.readers import record_to_article
from pipeline.nlp.sentences import split_sentences
from pipeline.query.search import Filters, fts_match, register_functions, search
from pipeline.store import sqlite as store_sqlite
from pipeline.store.schema import MIGRATIONS
from pipeline.store.sqlite import Store
from pipeline.types import ArticleResult, Claim

VERSIONS = {"vn_claims": "test", "vn_campaigns": "test"}
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
QUERIES = ["ket nap dang", "hội viên", "dang", "phu nu", "1.000", "truong", "nam 2020", "xyzzy"]
FTS = ("articles_fts", "sentences_fts", "claims_fts")
# the values the dropped claims_fts_ai trigger (migration 2) wrote for a claim
CLAIMS_FTS_EXPECTED = """
SELECT c.rowid,
  COALESCE(
    (SELECT s.text_folded FROM sentences s WHERE s.id = c.sentence_id),
    (SELECT s.text_folded FROM sentences s WHERE s.article_id = c.article_id
       AND s.start <= c.start AND s."end" >= c."end" ORDER BY s.start DESC LIMIT 1),
    ''),
  COALESCE((SELECT a.title_folded FROM articles a WHERE a.id = c.article_id), '')
FROM claims c ORDER BY c.rowid
"""


@pytest.fixture(scope="module")
def results(real_corpus: Path) -> list[ArticleResult]:
    """The first 16 real articles, their sentences, and a claim for each of the first
    numbers of each article (the last one without its sentence id, as the claim finder
    leaves it when it cannot tell)."""
    out = []
    path = real_corpus / "target.jsonl"
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i == 16:
                break
            a = record_to_article(json.loads(line), f"{path}:{i + 1}")
            sentences = split_sentences(a.id, a.text)
            claims = []
            for s in sentences:
                for m in _NUMBER.finditer(a.text, s.start, s.end):
                    claims.append(
                        Claim(a.id, s.text, m.group(), m.start(), m.end(), 1.0, "count",
                              "reported", "exact", sentence_start=s.start, sentence_end=s.end)
                    )  # fmt: skip
            claims = claims[:4]
            if claims:
                last = claims[-1]
                claims[-1] = Claim(last.article_id, last.sentence, last.text, last.start,
                                   last.end, 1.0, "count", "reported", "exact")  # fmt: skip
            out.append(ArticleResult(a, tuple(sentences), tuple(claims), (), ("claims",)))
    assert sum(len(r.claims) for r in out) > 20
    return out


def _writes(store: Store, results: list[ArticleResult], part: int) -> None:
    """Part 0: ten articles in two batches. Part 1: six new ones, two rewritten (the last
    stored one among them, whose rowids are reused) and one twice in the same batch."""
    run_id = store.start_run("test", {}, VERSIONS)
    if part == 0:
        store.write(results[:6], [], VERSIONS, run_id)
        store.write(results[6:10], [], VERSIONS, run_id)
    else:
        store.write([*results[10:13], results[9], results[3]], [], VERSIONS, run_id)
        store.write([results[13], results[14], results[13], results[15]], [], VERSIONS, run_id)


def _check_index(conn: sqlite3.Connection) -> None:
    """Every row indexed exactly once, with its own values."""
    for table, fts, cols in (
        ("articles", "articles_fts", "COALESCE(title_folded, '') || ' ' || text_folded"),
        ("sentences", "sentences_fts", "text_folded"),
    ):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
        docs = conn.execute(f"SELECT count(*) FROM {fts}_docsize").fetchone()[0]
        assert docs == conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        rows = conn.execute(f"SELECT rowid, {cols} FROM {table}").fetchall()
        for word in ("dang", "hoi", "nam", "2020"):
            want = {r for r, text in rows if word in re.findall(r"\w+", text)}
            got = {r[0] for r in conn.execute(f"SELECT rowid FROM {fts}(?)", (f'"{word}"',))}
            assert got == want, (fts, word)
    conn.execute("INSERT INTO claims_fts(claims_fts) VALUES ('integrity-check')")
    stored = conn.execute("SELECT rowid, * FROM claims_fts ORDER BY rowid").fetchall()
    assert stored
    assert [tuple(r) for r in stored] == [tuple(r) for r in conn.execute(CLAIMS_FTS_EXPECTED)]
    # the same ranking (so the same row and word counts) as indexes rebuilt from scratch
    conn.commit()  # the integrity-check commands opened a transaction (backup waits on it)
    rebuilt = sqlite3.connect(":memory:")
    conn.backup(rebuilt)
    for fts in FTS:
        rebuilt.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    assert _ranked(conn) == _ranked(rebuilt)
    rebuilt.close()


def _ranked(conn: sqlite3.Connection) -> dict[str, list[tuple[int, float]]]:
    return {
        f"{fts} {q}": [
            tuple(r)
            for r in conn.execute(
                f"SELECT rowid, round(bm25({fts}), 9) FROM {fts} WHERE {fts} MATCH ? "
                "ORDER BY rank, rowid",
                (fts_match(q),),
            )
        ]
        for q in QUERIES
        for fts in FTS
    }


def _searches(conn: sqlite3.Connection) -> dict[str, object]:
    register_functions(conn)
    out: dict[str, object] = dict(_ranked(conn))
    for q in QUERIES:
        out[f"claims {q}"] = search(conn, q, Filters(), limit=1000)
    return out


def test_store_write_indexes_every_row_once(tmp_path: Path, results: list[ArticleResult]) -> None:
    store = Store(tmp_path / "new.sqlite")
    for part in (0, 1):
        _writes(store, results, part)
        _check_index(store.conn)
    triggers = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert not triggers & {"articles_ai", "sentences_ai", "claims_fts_ai"}
    assert {"articles_ad", "sentences_ad", "claims_fts_ad"} <= triggers
    store.close()


def test_migration_4_upgrades_in_place(
    tmp_path: Path, results: list[ArticleResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = Store(tmp_path / "new.sqlite")
    for part in (0, 1):
        _writes(new, results, part)
    # a database of before migration 4: its insert triggers index the rows
    with monkeypatch.context() as m:
        m.setattr(store_sqlite, "MIGRATIONS", [x for x in MIGRATIONS if x[0] < 4])
        m.setattr(store_sqlite, "_index", lambda c, ids: None)
        old = Store(tmp_path / "old.sqlite")
        _writes(old, results, 0)
        _check_index(old.conn)
        old.close()
    old = Store(tmp_path / "old.sqlite")  # migration 4 runs here
    versions = [r[0] for r in old.conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [m[0] for m in MIGRATIONS]
    _writes(old, results, 1)
    _check_index(old.conn)
    assert _searches(old.conn) == _searches(new.conn)
    assert any(_searches(new.conn).values())
    old.close()
    new.close()
