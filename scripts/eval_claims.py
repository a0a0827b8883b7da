"""Run the claim extractor over the dev gold articles and score it with the official scorer.

usage: python scripts/eval_claims.py [--gold DIR] [--out PRED.jsonl] [--json] [--errors N]

Writes predictions (one JSON object per claim), runs ``../shared/tools/eval_claims.py GOLD
PRED --detail`` and prints its figures, then precision/recall per measure and the most
common error kinds. ``--json`` prints only the final figures as one JSON object (the
quality-gate test reads that).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from pipeline.claims.finder import find_claims  # noqa: E402
from pipeline.claims.records import claim_record  # noqa: E402
from pipeline.io.readers import read_articles  # noqa: E402
from pipeline.nlp.sentences import split_sentences  # noqa: E402
from pipeline.types import Article  # noqa: E402


def predict(articles_path: Path, out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for item in read_articles([articles_path]):
            if not isinstance(item, Article):
                continue
            for claim in find_claims(item, split_sentences(item.id, item.text)):
                fh.write(json.dumps(claim_record(claim), ensure_ascii=False) + "\n")
                n += 1
    return n


def per_measure(gold_path: Path, detail_lines: list[str]) -> dict[str, dict[str, float]]:
    """Precision/recall per measure from the scorer's MISS/EXTRA lines and the gold counts."""
    gold = Counter(
        json.loads(line)["measure"] for line in gold_path.open(encoding="utf-8") if line.strip()
    )
    miss: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    for line in detail_lines:
        parts = line.split()
        if line.startswith("MISS "):
            miss[parts[2]] += 1
        elif line.startswith("EXTRA "):
            extra[parts[2]] += 1
    out = {}
    for m in sorted(set(gold) | set(extra)):
        tp = gold[m] - miss[m]
        npred = tp + extra[m]
        out[m] = {
            "gold": gold[m],
            "pred": npred,
            "p": round(tp / npred, 3) if npred else 0.0,
            "r": round(tp / gold[m], 3) if gold[m] else 0.0,
        }
    return out


def error_kinds(detail_lines: list[str]) -> Counter[str]:
    """Coarse kinds of error: missed/extra by measure, and by the word after the number."""
    kinds: Counter[str] = Counter()
    for line in detail_lines:
        if line.startswith(("MISS ", "EXTRA ")):
            parts = line.split(" | ")
            head = parts[0].split()
            kind = "missed" if head[0] == "MISS" else "extra"
            kinds[f"{kind} {head[2]}"] += 1
    return kinds


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--gold", type=Path, default=SHARED / "gold" / "dev")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "claims_dev_pred.jsonl")
    ap.add_argument("--json", action="store_true", help="print only the final figures as JSON")
    ap.add_argument("--errors", type=int, default=0, help="also print this many MISS/EXTRA lines")
    args = ap.parse_args()
    scorer = SHARED / "tools" / "eval_claims.py"
    gold = args.gold / "claims.jsonl"
    for path in (scorer, gold, args.gold / "articles.jsonl"):
        if not path.exists():
            print(f"missing {path}: ../shared must sit beside the repository", file=sys.stderr)
            return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    npred = predict(args.gold / "articles.jsonl", args.out)
    run = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(args.out), "--detail"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = run.stdout.splitlines()
    figures = json.loads(lines[-1])
    measures = per_measure(gold, lines)
    if args.json:
        print(json.dumps({**figures, "per_measure": measures}, ensure_ascii=False))
        return 0
    print(f"predictions: {npred} claims -> {args.out}")
    print("scorer:", lines[-1])
    print("per measure (value match):")
    for m, row in measures.items():
        print(
            f"  {m:9} gold {row['gold']:4}  pred {row['pred']:4}  P {row['p']:.3f}  R {row['r']:.3f}"
        )
    print("most common error kinds:")
    for kind, count in error_kinds(lines).most_common(8):
        print(f"  {count:4}  {kind}")
    if args.errors:
        for line in [x for x in lines if x.startswith(("MISS ", "EXTRA "))][: args.errors]:
            print(" ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
