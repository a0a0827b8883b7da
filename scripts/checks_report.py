"""How many cross-claim checks of each kind and verdict a corpus yields, and the ones to review.

    python scripts/checks_report.py --db outputs/pipeline.sqlite      # after `pipeline batch`
    python scripts/checks_report.py --corpus ../shared/corpora/real/target.jsonl  # extractor
    python scripts/checks_report.py --gold ../shared/gold/dev           # hand-annotated claims

``--show inconsistent`` (default) prints every check of that verdict with the sentences of
its claims, for review by hand; ``--json`` prints the counts as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pipeline.checks.core import compute_checks
from pipeline.checks.model import ArticleMeta, CheckRow
from pipeline.checks.numbers import VERDICTS
from pipeline.types import Claim


def from_db(path: Path) -> tuple[dict[str, ArticleMeta], list[Claim]]:
    from pipeline.checks.store import load_articles, load_claims

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        claims = load_claims(conn)
        return load_articles(conn, {c.article_id for c in claims}), claims
    finally:
        conn.close()


def from_corpus(path: Path) -> tuple[dict[str, ArticleMeta], list[Claim]]:
    """Run the claim extractor over a corpus (no database)."""
    from pipeline.claims.finder import find_claims
    from pipeline.io.readers import read_articles
    from pipeline.nlp.sentences import split_sentences
    from pipeline.types import Article

    metas: dict[str, ArticleMeta] = {}
    claims: list[Claim] = []
    for item in read_articles([path]):
        if not isinstance(item, Article):
            continue
        metas[item.id] = ArticleMeta(item.id, item.text, item.published, item.outlet, item.title)
        claims.extend(find_claims(item, split_sentences(item.id, item.text)))
    return metas, claims


def report(rows: Sequence[CheckRow], n_articles: int, n_claims: int, seconds: float) -> dict:
    by = Counter((r.kind, r.verdict) for r in rows)
    kinds = sorted({k for k, _ in by})
    return {
        "articles": n_articles,
        "claims": n_claims,
        "checks": len(rows),
        "articles_with_checks": len({a for r in rows for a in r.article_ids}),
        "seconds": round(seconds, 2),
        "by_kind": {k: {v: by[(k, v)] for v in VERDICTS if by[(k, v)]} for k in kinds},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--db", type=Path, help="database built by `pipeline batch`")
    src.add_argument("--corpus", type=Path, help="articles to run the extractor over")
    src.add_argument("--gold", type=Path, help="gold folder (articles.jsonl, claims.jsonl)")
    ap.add_argument("--show", default="inconsistent", help="verdict to list ('' for none)")
    ap.add_argument("--limit", type=int, default=30, help="how many to list")
    ap.add_argument("--json", action="store_true", help="counts as one JSON object")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if args.db:
        metas, claims = from_db(args.db)
    elif args.corpus:
        metas, claims = from_corpus(args.corpus)
    else:
        from pipeline.checks.gold import load_gold

        metas, claims = load_gold(args.gold)
    rows = compute_checks(claims, metas)
    summary = report(rows, len(metas), len(claims), time.perf_counter() - t0)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(
        f"{summary['articles']} articles, {summary['claims']} claims, {summary['checks']} checks "
        f"({summary['articles_with_checks']} articles with checks), {summary['seconds']} s"
    )
    print(f"{'kind':<20}" + "".join(f" {v:>12}" for v in VERDICTS))
    for kind, counts in summary["by_kind"].items():
        print(f"{kind:<20}" + "".join(f" {counts.get(v, 0):>12}" for v in VERDICTS))
    if args.show:
        by_id = {c.id: c for c in claims}
        shown = [r for r in rows if r.verdict == args.show][: args.limit]
        for i, r in enumerate(shown, 1):
            print(f"\n#{i} [{r.verdict}] {r.kind} {r.id}  {', '.join(r.article_ids)}")
            print(f"  stated {r.stated!r}; computed {r.computed!r}")
            print(f"  {r.explanation_en}")
            sentences = dict.fromkeys(
                " ".join(by_id[c].sentence.split()) for c in r.claim_ids if c in by_id
            )
            for s in sentences:
                print(f"    > {s[:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
