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
    table_memory(model, real / "target.jsonl")
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
    prefilter), preparing the classifier's words off the Doc, the compiled classifier and
    the whole ``tagger.tag`` on the Doc (tokenizing is not counted). The first pass over
    the articles fills the classifier's table of words (once per process); the best of
    three passes is printed, and the first pass of the tagger too."""
    from spacy.vocab import Vocab

    from pipeline.campaigns.model import prepare_doc
    from pipeline.nlp.tokenizer import UnderTheSeaTokenizer

    docs = texts(path)[:limit]
    tokenizer = UnderTheSeaTokenizer(Vocab())
    spacy_docs = [tokenizer(text) for _, text in docs]
    tagger = CampaignTagger(model=model)  # type: ignore[arg-type]
    matcher = tagger.matcher
    masks = [[(m.start, m.end) for m in matcher.find(t, normalized=True)] for _, t in docs]

    def cpu(run: object) -> list[float]:
        out = []
        for _ in range(3):
            t = time.process_time()
            run()  # type: ignore[operator]
            out.append(time.process_time() - t)
        return out

    tagged = cpu(
        lambda: [
            tagger.tag(aid, text, normalized=True, doc=d)
            for (aid, text), d in zip(docs, spacy_docs, strict=True)
        ]
    )
    found = cpu(lambda: [matcher.find(text, normalized=True) for _, text in docs])
    pairs = list(zip(docs, spacy_docs, masks, strict=True))
    prep = cpu(lambda: [prepare_doc(t, d, m) for (_, t), d, m in pairs])
    prepared = [prepare_doc(t, d, m) for (_, t), d, m in pairs]
    scored = cpu(lambda: [model.implicit_prepared(p) for p in prepared])  # type: ignore[attr-defined]
    n = len(docs)

    def ms(x: list[float]) -> str:
        return f"{1000 * min(x) / n:.2f} ms"

    print(
        f"per target article (CPU, {n} articles, on the Doc): matcher {ms(found)}, "
        f"words off the Doc {ms(prep)}, classifier {ms(scored)}, tagger.tag {ms(tagged)} "
        f"(first pass, words table filling: {1000 * tagged[0] / n:.2f} ms)"
    )


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def table_memory(model: object, path: Path, total: int = 700_000) -> None:
    """Resident memory of the classifier's table of words seen as it fills to its cap and
    starts afresh: ``total`` distinct new words (pairs of real syllables of the corpus, so
    their character n-grams are realistic), 500 per call."""
    import random

    from pipeline.campaigns.compiled import _MAX_TOKENS

    syllables = sorted({w for _, t in texts(path) for w in t.split() if w.isalpha()})
    rng = random.Random(8)
    seen: set[str] = set()
    words: list[str] = []
    while len(words) < total:
        w = f"{rng.choice(syllables)} {rng.choice(syllables)}"
        if w not in seen:
            seen.add(w)
            words.append(w)
    base = _rss_mb()
    marks = {100_000, 200_000, _MAX_TOKENS, _MAX_TOKENS + 500, 500_000, total}
    line = [f"start {base:.0f} MB"]
    for at in range(0, total, 500):
        model.word_features(words[at : at + 500])  # type: ignore[attr-defined]
        if at + 500 in marks:
            line.append(f"{at + 500:,} words {_rss_mb():.0f} MB")
    print(f"classifier word table (cap {_MAX_TOKENS:,} words), RSS: " + ", ".join(line))


if __name__ == "__main__":
    main()
