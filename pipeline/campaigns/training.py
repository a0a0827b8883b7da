"""Training the implicit classifier by distant supervision.

Explicit matches over the real corpus are the labels: an article that names a campaign
is a positive of it, with the words of every named mention left out
(:func:`pipeline.campaigns.model.prepare`, exactly as the tagger prepares an article from its
Doc's tokens) so the model learns the context of the activity rather than the name; an article is a
negative of every campaign it does not name. All target articles are used, and a seeded
sample of the background. Articles of the gold sets
are left out, by id and by text. A campaign with fewer than ``MIN_POSITIVES`` distinct
positive articles gets no model and is tagged by the matcher alone; the model card says
which.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from pipeline.campaigns.matcher import Matcher
from pipeline.campaigns.model import CampaignModel, mask, prepare, save_model
from pipeline.campaigns.taxonomy import load_taxonomy
from pipeline.text.normalize import fold, normalize

log = logging.getLogger(__name__)

SEED = 13
MIN_POSITIVES = 10
BACKGROUND_SAMPLE = 1000
THRESHOLD = 0.9  # calibrated probability an implicit tag needs: be conservative


@dataclass
class Example:
    id: str
    text: str  # normalised, as Article.text
    labels: set[str]
    masked: list[tuple[int, int]] = field(default_factory=list)  # the named mentions

    @property
    def masked_text(self) -> str:
        """The text with the named mentions blanked (for reading, not for training)."""
        return mask(self.text, self.masked)


@dataclass
class Dataset:
    examples: list[Example]
    excluded_gold: int = 0
    sources: dict[str, int] = field(default_factory=dict)

    def positives(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.examples:
            for c in e.labels:
                out[c] = out.get(c, 0) + 1
        return out


def _key(text: str) -> str:
    return hashlib.sha1(" ".join(fold(text).split()).encode()).hexdigest()


def _record_text(r: dict) -> str:
    title = r.get("title")
    return normalize((title + "\n\n" if title else "") + (r.get("text") or ""))


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build_dataset(
    target: Iterable[dict],
    background: Iterable[dict],
    gold: Iterable[dict] = (),
    matcher: Matcher | None = None,
    background_sample: int = BACKGROUND_SAMPLE,
    seed: int = SEED,
) -> Dataset:
    """Label articles with their explicit matches (masked); leave gold articles out.

    >>> t = [{"id": "a", "text": "Đoàn viên ra quân chiến dịch Mùa hè xanh."},
    ...      {"id": "g", "text": "Bài thuộc bộ gold."}]
    >>> ds = build_dataset(t, [], gold=[{"id": "g", "text": "x"}])
    >>> [(e.id, sorted(e.labels), "Mùa hè" in e.masked_text) for e in ds.examples]
    [('a', ['thanh_nien_tinh_nguyen'], False)]
    >>> ds.excluded_gold
    1
    """
    matcher = matcher or Matcher(load_taxonomy())
    gold = list(gold)
    gold_ids = {str(g.get("id")) for g in gold}
    gold_keys = {_key(g.get("text") or "") for g in gold} | {_key(_record_text(g)) for g in gold}
    ds = Dataset([])
    seen: set[str] = set()

    def add(records: Iterable[dict], source: str, sample: int | None) -> None:
        rows = list(records)
        if sample is not None and len(rows) > sample:
            rows = random.Random(seed).sample(rows, sample)
        n = 0
        for r in rows:
            text = _record_text(r)
            key = _key(text)
            raw_key = _key(r.get("text") or "")
            if str(r.get("id")) in gold_ids or key in gold_keys or raw_key in gold_keys:
                ds.excluded_gold += 1
                continue
            if key in seen:
                continue
            seen.add(key)
            mentions = matcher.find(text)
            spans = [(m.start, m.end) for m in mentions]
            ds.examples.append(
                Example(str(r.get("id")), text, {m.campaign_id for m in mentions}, spans)
            )
            n += 1
        ds.sources[source] = n

    add(target, "target", None)
    add(background, "background", background_sample)
    return ds


def prepare_example(example: Example) -> str:
    """The classifier's view of an example: its words, the named mentions left out."""
    return prepare(example.text, example.masked)


def _prepare_all(examples: list[Example], processes: int) -> list[str]:
    if processes <= 1 or len(examples) < 50:
        return [prepare_example(e) for e in examples]
    with get_context("spawn").Pool(processes) as pool:
        return pool.map(prepare_example, examples, chunksize=16)


def fit(
    prepared: list[str],
    labels: list[set[str]],
    min_positives: int = MIN_POSITIVES,
    threshold: float = THRESHOLD,
    seed: int = SEED,
    features: Any = None,
) -> CampaignModel:
    """Fit the features (unless fitted ones are given) and one calibrated linear SVM per
    campaign with enough positives."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    if features is None:
        features = make_features()
        x = features.fit_transform(prepared)
    else:
        x = features.transform(prepared)
    counts: dict[str, int] = {}
    for ls in labels:
        for c in ls:
            counts[c] = counts.get(c, 0) + 1
    classifiers = {}
    for cid in sorted(c for c, n in counts.items() if n >= min_positives):
        y = [int(cid in ls) for ls in labels]
        base = LinearSVC(C=0.5, class_weight="balanced", random_state=seed)
        clf = CalibratedClassifierCV(base, method="sigmoid", cv=3, ensemble=False)
        clf.fit(x, y)
        classifiers[cid] = clf
    digest = hashlib.sha1()
    for p, ls in zip(prepared, labels, strict=True):
        digest.update(p.encode())
        digest.update(",".join(sorted(ls)).encode())
    model_id = "clf-" + digest.hexdigest()[:10]
    return CampaignModel(features, classifiers, {c: threshold for c in classifiers}, model_id)


def make_features() -> Any:
    """TF-IDF over words (uni- and bigrams) and over character 3–5-grams, unfitted."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    token_pattern=r"\S+",
                    ngram_range=(1, 2),
                    min_df=2,
                    max_features=25000,
                    sublinear_tf=True,
                    dtype=np_float(),
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    min_df=3,
                    max_features=25000,
                    sublinear_tf=True,
                    dtype=np_float(),
                ),
            ),
        ]
    )


def np_float() -> type:
    import numpy as np

    return np.float32


def evaluate(model: CampaignModel, prepared: list[str], labels: list[set[str]]) -> dict:
    """Precision/recall at the threshold and average precision, per modelled campaign."""
    from sklearn.metrics import average_precision_score

    scores = model.scores_prepared(prepared)
    out = {}
    for cid in model.campaign_ids:
        y = [int(cid in ls) for ls in labels]
        s = [row[cid] for row in scores]
        pred = [int(v >= model.thresholds[cid]) for v in s]
        tp = sum(a and b for a, b in zip(y, pred, strict=True))
        out[cid] = {
            "positives": sum(y),
            "predicted": sum(pred),
            "precision": round(tp / sum(pred), 3) if sum(pred) else None,
            "recall": round(tp / sum(y), 3) if sum(y) else None,
            "avg_precision": round(float(average_precision_score(y, s)), 3) if sum(y) else None,
        }
    return out


def train_and_save(
    shared: Path,
    out: str | Path,
    processes: int = 2,
    background_sample: int = BACKGROUND_SAMPLE,
) -> dict:
    """Train on ``shared``'s corpora (gold left out), save the model and its card.

    Metrics come from a seeded 80/20 split of the distant labels; the saved model is then
    refitted on everything. Returns the card's facts.
    """
    t0 = time.perf_counter()
    real = shared / "corpora" / "real"
    gold: list[dict] = []
    for gdir in sorted((shared / "gold").glob("*/")):
        if (gdir / "articles.jsonl").exists():
            gold.extend(read_jsonl(gdir / "articles.jsonl"))
    ds = build_dataset(
        read_jsonl(real / "target.jsonl"),
        read_jsonl(real / "background.jsonl"),
        gold,
        background_sample=background_sample,
    )
    log.info("%d examples (%s) in %.1fs", len(ds.examples), ds.sources, time.perf_counter() - t0)
    prepared = _prepare_all(ds.examples, processes)
    labels = [e.labels for e in ds.examples]
    log.info("tokenized in %.1fs", time.perf_counter() - t0)
    order = list(range(len(prepared)))
    random.Random(SEED).shuffle(order)
    cut = int(len(order) * 0.8)
    train_i, test_i = order[:cut], order[cut:]
    features = make_features().fit(prepared)  # unsupervised: shared by both fits
    trial = fit([prepared[i] for i in train_i], [labels[i] for i in train_i], features=features)
    metrics = evaluate(trial, [prepared[i] for i in test_i], [labels[i] for i in test_i])
    log.info("held-out metrics in %.1fs", time.perf_counter() - t0)
    model = fit(prepared, labels, features=features)
    path = save_model(model, out)
    taxonomy = load_taxonomy()
    positives = ds.positives()
    facts = {
        "model_id": model.model_id,
        "trained": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "taxonomy": taxonomy.version,
        "seed": SEED,
        "examples": len(ds.examples),
        "sources": ds.sources,
        "excluded_gold": ds.excluded_gold,
        "min_positives": MIN_POSITIVES,
        "threshold": THRESHOLD,
        "positives": positives,
        "modelled": model.campaign_ids,
        "matcher_only": [c for c in taxonomy.ids if c not in model.classifiers],
        "metrics": metrics,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    write_card(facts, Path(path).with_suffix(".md"))
    log.info("campaign model %s saved to %s in %.1fs", model.model_id, path, facts["seconds"])
    return facts


def write_card(facts: dict, path: Path) -> Path:
    """The model card: data, date, metrics, and which campaigns have models."""
    lines = [
        f"# Campaign classifier {facts['model_id']}",
        "",
        f"Trained {facts['trained']} in {facts['seconds']} s (seed {facts['seed']}), taxonomy "
        f"{facts['taxonomy']}, by `pipeline train campaigns` (pipeline/campaigns/training.py).",
        "",
        "## Data",
        "",
        "Distant supervision: articles of ../shared/corpora/real that name a campaign (explicit "
        "matcher) are its positives, with the words of every named mention left out; the rest "
        "are negatives "
        f"(background: a seeded sample). Examples: {facts['examples']} "
        f"({', '.join(f'{k} {v}' for k, v in facts['sources'].items())}); "
        f"{facts['excluded_gold']} articles of ../shared/gold left out (by id and by text).",
        "",
        "## Model",
        "",
        "TF-IDF over the pipeline tokenizer's words (underthesea; uni- and bigrams) and "
        "character 3–5-grams; one "
        "linear SVM per campaign (balanced classes), sigmoid-calibrated (3-fold). An implicit tag needs "
        f"probability ≥ {facts['threshold']} and no explicit tag of the same campaign. "
        f"Campaigns with fewer than {facts['min_positives']} positive articles get no model. "
        "The pipeline scores with the compiled form beside this card (.npz + .json, "
        "pipeline/campaigns/compiled.py), which gives the same probabilities.",
        "",
        "## Metrics (seeded 80/20 split of the distant labels, masked text; the TF-IDF "
        "vocabulary is fitted once on all texts, without labels)",
        "",
        "| campaign | positives | test positives | predicted | P | R | AP |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for cid, m in facts["metrics"].items():
        lines.append(
            f"| {cid} | {facts['positives'].get(cid, 0)} | {m['positives']} | {m['predicted']} "
            f"| {m['precision']} | {m['recall']} | {m['avg_precision']} |"
        )
    lines += [
        "",
        "These figures measure how well context predicts a campaign the article also names; "
        "they are not the gold evaluation (scripts/eval_campaigns.py).",
        "",
        f"## Campaigns with a model ({len(facts['modelled'])})",
        "",
        ", ".join(f"`{c}`" for c in facts["modelled"]) or "none",
        "",
        f"## Campaigns tagged by the explicit matcher alone ({len(facts['matcher_only'])})",
        "",
        ", ".join(f"`{c}` ({facts['positives'].get(c, 0)})" for c in facts["matcher_only"]),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
