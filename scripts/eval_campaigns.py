"""Evaluate the campaign tagger on the development gold, against a substring baseline.

usage: python scripts/eval_campaigns.py [--gold-dir DIR] [--model PATH | --no-model]
                                        [--out DIR] [--json]

Tags ``GOLD_DIR/articles.jsonl``, writes predictions (ours and the baseline's) to
``OUT`` (default outputs/eval), scores both with the official scorer
``../shared/tools/eval_campaigns.py`` and prints per-campaign P/R. The baseline is plain
lower-cased substring matching of the reference names, aliases and key phrases.
With ``--json`` the last line is one JSON object with every figure (the quality gate in
tests/campaigns/test_eval_gate.py reads it).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.campaigns.model import DEFAULT_MODEL_PATH, load_model  # noqa: E402
from pipeline.campaigns.tagger import CampaignTagger, article_tags  # noqa: E402
from pipeline.io.readers import record_to_article  # noqa: E402

SHARED = REPO.parent / "shared"


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def official_score(scorer: Path, gold: Path, pred: Path) -> dict:
    out = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(pred)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def per_campaign(gold: list[dict], pred: list[dict]) -> dict[str, dict]:
    """P/R per campaign over (article, campaign) pairs, all modes."""
    g = {(r["article_id"], c["id"]) for r in gold for c in r["campaigns"] if c.get("id")}
    ids = {r["article_id"] for r in gold}
    p = {(r["article_id"], c["id"]) for r in pred if r["article_id"] in ids for c in r["campaigns"]}
    out = {}
    for cid in sorted({c for _, c in g | p}):
        gc = {x for x in g if x[1] == cid}
        pc = {x for x in p if x[1] == cid}
        tp = len(gc & pc)
        out[cid] = {
            "gold": len(gc),
            "pred": len(pc),
            "tp": tp,
            "p": round(tp / len(pc), 3) if pc else None,
            "r": round(tp / len(gc), 3) if gc else None,
        }
    return out


def baseline(records: list[dict], reference: Path) -> list[dict]:
    ref = yaml.safe_load(reference.read_text(encoding="utf-8"))
    phrases = []
    for c in ref["campaigns"]:
        for p in [c["name_vi"], *(c.get("aliases") or []), *(c.get("key_phrases") or [])]:
            phrases.append((p.lower(), c["id"]))
    out = []
    for r in records:
        text = ((r.get("title") or "") + "\n\n" + r["text"]).lower()
        ids = sorted({cid for p, cid in phrases if p in text})
        out.append(
            {"article_id": r["id"], "campaigns": [{"id": i, "mode": "explicit"} for i in ids]}
        )
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold-dir", type=Path, default=SHARED / "gold" / "dev")
    ap.add_argument("--model", type=Path, default=REPO / DEFAULT_MODEL_PATH)
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("--out", type=Path, default=REPO / "outputs" / "eval")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    model = None if args.no_model else load_model(args.model)
    tagger = CampaignTagger(model=model)
    records = load_jsonl(args.gold_dir / "articles.jsonl")
    gold_path = args.gold_dir / "campaigns.jsonl"
    gold = load_jsonl(gold_path)
    preds = []
    for r in records:
        article = record_to_article(r, "gold")
        tags = article_tags(tagger.tag(article.id, article.text))
        preds.append(
            {
                "article_id": article.id,
                "campaigns": [
                    {"id": t.campaign_id, "mode": t.mode, "score": t.score, "evidence": t.evidence}
                    for t in tags
                ],
            }
        )
    args.out.mkdir(parents=True, exist_ok=True)
    pred_path = args.out / "campaigns_pred.jsonl"
    base_path = args.out / "campaigns_baseline.jsonl"
    for path, rows in (
        (pred_path, preds),
        (base_path, baseline(records, SHARED / "reference" / "campaigns.yaml")),
    ):
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    scorer = SHARED / "tools" / "eval_campaigns.py"
    ours = official_score(scorer, gold_path, pred_path)
    base = official_score(scorer, gold_path, base_path)
    table = per_campaign(gold, preds)
    print(f"tagger ({tagger.version}): {json.dumps(ours)}")
    print(f"baseline (substring):      {json.dumps(base)}")
    print(f"{'campaign':<66} gold pred   tp     P     R")
    for cid, row in table.items():
        p = "-" if row["p"] is None else f"{row['p']:.2f}"
        r = "-" if row["r"] is None else f"{row['r']:.2f}"
        print(f"{cid:<66} {row['gold']:>4} {row['pred']:>4} {row['tp']:>4} {p:>5} {r:>5}")
    modes = Counter(c["mode"] for r in preds for c in r["campaigns"])
    result = {"tagger": ours, "baseline": base, "per_campaign": table, "modes": dict(modes)}
    result["version"] = tagger.version
    if args.json:
        print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
