"""Campaign tagger figures: matcher speed, background tag rate, classifier speed.

usage: python benchmarks/campaigns.py [--model PATH] [--limit N]

Prints figures; asserts nothing (speed is measured here, never by timed tests).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.campaigns.matcher import Matcher  # noqa: E402
from pipeline.campaigns.model import DEFAULT_MODEL_PATH, load_model, shared_dir  # noqa: E402
from pipeline.campaigns.tagger import CampaignTagger  # noqa: E402
from pipeline.campaigns.taxonomy import load_taxonomy  # noqa: E402
from pipeline.text.normalize import normalize  # noqa: E402


def texts(path: Path) -> list[tuple[str, str]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            title = r.get("title")
            out.append((r["id"], normalize((title + "\n\n" if title else "") + r["text"])))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=REPO / DEFAULT_MODEL_PATH)
    ap.add_argument("--limit", type=int, default=200, help="articles for the classifier")
    args = ap.parse_args()
    real = shared_dir() / "corpora" / "real"
    if not real.exists():
        sys.exit(f"{real} is absent: nothing to measure")
    t = time.perf_counter()
    matcher = Matcher(load_taxonomy())
    print(f"matcher build: {time.perf_counter() - t:.2f} s, {len(matcher.patterns)} patterns")
    for name in ("target", "background"):
        docs = texts(real / f"{name}.jsonl")
        chars = sum(len(x) for _, x in docs)
        t = time.perf_counter()
        tagged = 0
        per_campaign: Counter[str] = Counter()
        for _, text in docs:
            found = {m.campaign_id for m in matcher.find(text)}
            tagged += bool(found)
            per_campaign.update(found)
        dt = time.perf_counter() - t
        print(
            f"{name}: {len(docs)} articles, {tagged} tagged ({tagged / len(docs):.1%}); "
            f"matcher {len(docs) / dt:.0f} articles/s, {chars / dt / 1e6:.2f} M chars/s"
        )
        if name == "background":
            print("  background tags by campaign:", dict(per_campaign.most_common(10)))
    t = time.perf_counter()
    model = load_model(args.model)
    if model is None:
        print(f"no model at {args.model}: classifier not measured")
        return
    print(f"model load (compiled): {time.perf_counter() - t:.2f} s ({model.model_id})")
    scoring(model, real / "target.jsonl", args.limit)
    tagger = CampaignTagger(model=model)
    for name in ("target", "background"):
        docs = texts(real / f"{name}.jsonl")[: args.limit]
        t = time.perf_counter()
        implicit = 0
        for aid, text in docs:
            implicit += sum(tag.mode == "implicit" for tag in tagger.tag(aid, text))
        dt = time.perf_counter() - t
        print(
            f"tagger with model on {len(docs)} {name} articles: {len(docs) / dt:.1f} articles/s, "
            f"{implicit} implicit tags"
        )


def scoring(model: object, path: Path, limit: int) -> None:
    """CPU per article of what the pipeline's component does: the matcher (with its
    prefilter) and the compiled classifier on the Doc's words (tokenizing is not counted)."""
    from pipeline.campaigns.model import prepare_spans, word_spans

    docs = texts(path)[:limit]
    spans = [word_spans(text) for _, text in docs]
    tagger = CampaignTagger(model=model)  # type: ignore[arg-type]
    matcher = tagger.matcher
    cpu = time.process_time()
    for _, text in docs:
        matcher.find(text, normalized=True)
    found = time.process_time() - cpu
    masks = [[(m.start, m.end) for m in matcher.find(t, normalized=True)] for _, t in docs]
    prepared = [prepare_spans(t, s, m) for (_, t), s, m in zip(docs, spans, masks, strict=True)]
    cpu = time.process_time()
    for p in prepared:
        model.implicit_prepared(p)  # type: ignore[attr-defined]
    scored = time.process_time() - cpu
    cpu = time.process_time()
    for (aid, text), s in zip(docs, spans, strict=True):
        tagger.tag(aid, text, s, normalized=True)
    tagged = time.process_time() - cpu
    n = len(docs)
    print(
        f"per target article (CPU, {n} articles, words given): matcher "
        f"{1000 * found / n:.2f} ms, classifier {1000 * scored / n:.2f} ms, "
        f"tagger.tag {1000 * tagged / n:.2f} ms"
    )


if __name__ == "__main__":
    main()
