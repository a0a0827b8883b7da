"""`pipeline checks` over a database: computes, stores (migration 3), prints; and the lookup
other views use, checks_for_claims."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from pipeline.checks.gold import load_gold
from pipeline.checks.store import checks_for_claims, load_checks
from pipeline.cli.main import cli
from pipeline.io.readers import record_to_article
from pipeline.store.sqlite import Store
from pipeline.types import ArticleResult

SEED = "2d17c963106f10c8"


def _seed_db(gold_dir: Path, db: Path) -> list[str]:
    """A database holding the seed article and its gold claims; returns their ids."""
    _, claims = load_gold(gold_dir)
    seed = [c for c in claims if c.article_id == SEED]
    with (gold_dir / "articles.jsonl").open(encoding="utf-8") as fh:
        record = next(r for r in map(json.loads, fh) if r["id"] == SEED)
    article = record_to_article(record, "gold")
    assert all(article.raw_text[c.start : c.end] == c.text for c in seed)
    store = Store(db)
    run = store.start_run("test", {}, {})
    store.write([ArticleResult(article, claims=tuple(seed))], [], {"vn_claims": "gold"}, run)
    store.close()
    return [c.id for c in seed]


def test_command_stores_and_prints(gold_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite"
    ids = _seed_db(gold_dir, db)
    runner = CliRunner()
    res = runner.invoke(cli, ["checks", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert {r["kind"] for r in rows} >= {"percent_of_whole", "target_vs_achieved"}
    bad = [r for r in rows if r["verdict"] == "inconsistent"]
    assert len(bad) == 1 and bad[0]["stated_value"] == 3
    assert bad[0]["computed_value"] == 0.3

    # a second run replaces, never duplicates
    again = runner.invoke(cli, ["checks", "--db", str(db), "--format", "table", "--article", SEED])
    assert again.exit_code == 0 and "[inconsistent] target_vs_achieved" in again.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM checks").fetchone()[0] == len(rows)
    assert len(load_checks(conn, article_id="nope")) == 0

    by_claim = checks_for_claims(conn, ids)
    achieved = next(
        i
        for i in ids
        if "5.015" in conn.execute("SELECT text FROM claims WHERE id = ?", (i,)).fetchone()[0]
    )
    kinds = [(r.kind, r.verdict) for r in by_claim[achieved]]
    assert kinds[0] == ("target_vs_achieved", "inconsistent")  # inconsistent first
    assert ("part_of_whole", "consistent") in kinds
    assert set(by_claim) <= set(ids)
    conn.close()


def test_lookup_without_checks_table_is_empty(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "empty.sqlite")
    assert checks_for_claims(conn, ["a:1-2"]) == {}
    assert load_checks(conn) == []


def test_missing_database_is_a_usage_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["checks", "--db", str(tmp_path / "none.sqlite")])
    assert res.exit_code == 2 and "pipeline batch" in res.output
