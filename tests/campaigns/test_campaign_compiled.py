"""The compiled classifier (plain numpy) against scikit-learn, on real articles.

A small model is fitted on real articles of ../shared/corpora/real, as training does
(distant labels, named mentions left out); the compiled form must give the same features,
the same probabilities as ``predict_proba`` and the same tags on other real articles. The
model `make run` trains (outputs/models/campaigns.skops) is checked too when present.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.campaigns.compiled import (
    CompiledModel,
    char_wb_grams,
    compile_model,
    load_compiled,
    word_grams,
)
from pipeline.campaigns.model import (
    DEFAULT_MODEL_PATH,
    MAX_CHARS,
    CampaignModel,
    doc_spans,
    ensure_model,
    load_model,
    load_sklearn_model,
    prepare,
    prepare_doc,
    prepare_spans,
    save_model,
    word_spans,
)
from pipeline.campaigns.tagger import CampaignTagger
from pipeline.campaigns.training import build_dataset, fit, prepare_example, read_jsonl
from pipeline.io.readers import record_to_article

REPO = Path(__file__).resolve().parents[2]
FIT, CHECK = 70, 25  # articles of each corpus to fit on, and others to check on


@pytest.fixture(scope="module")
def records(real_corpus: Path) -> dict[str, list[dict]]:
    return {n: read_jsonl(real_corpus / f"{n}.jsonl") for n in ("target", "background")}


@pytest.fixture(scope="module")
def fitted(records: dict[str, list[dict]]) -> tuple[CampaignModel, list[str], list[str]]:
    """A model fitted on real articles, and the texts (and prepared texts) of others."""
    ds = build_dataset(records["target"][:FIT], records["background"][:FIT])
    prepared = [prepare_example(e) for e in ds.examples]
    model = fit(prepared, [e.labels for e in ds.examples], min_positives=4, threshold=0.5)
    assert len(model.campaign_ids) >= 2, model.campaign_ids
    others = records["target"][FIT : FIT + CHECK] + records["background"][FIT : FIT + CHECK]
    texts = [record_to_article(r, "test").text for r in others]
    return model, texts, [prepare(t) for t in texts]


def _matrix(rows: list[dict[str, float]]) -> np.ndarray:
    return np.array([[r[k] for k in sorted(r)] for r in rows])


def test_the_analyzers_are_sklearn_s(fitted: tuple[CampaignModel, list[str], list[str]]) -> None:
    model, _, prepared = fitted
    (_, words_vec), (_, chars_vec) = model.features.transformer_list
    word_an, char_an = words_vec.build_analyzer(), chars_vec.build_analyzer()
    for p in prepared:
        words = p.lower().split()
        assert word_grams(words) == word_an(p)
        assert char_wb_grams(words) == char_an(p)


def test_compiled_features_equal_the_sklearn_transform(
    fitted: tuple[CampaignModel, list[str], list[str]],
) -> None:
    model, _, prepared = fitted
    compiled = model.compile()
    x = model.features.transform(prepared).toarray()
    for i, p in enumerate(prepared):
        words = p.lower().split()
        dense = np.zeros(x.shape[1])
        for rows, vals in (compiled.word_features(words), compiled.char_features(words)):
            dense[rows] = vals
        assert np.allclose(dense, x[i], atol=1e-6), i


def test_compiled_probabilities_and_tags_equal_predict_proba(
    fitted: tuple[CampaignModel, list[str], list[str]],
) -> None:
    model, texts, prepared = fitted
    compiled = model.compile()
    want = _matrix(model.scores_prepared(prepared))
    got = _matrix(compiled.scores_prepared(prepared))
    assert got.shape == want.shape == (len(texts), len(model.campaign_ids))
    assert np.allclose(got, want, rtol=1e-6, atol=1e-9)
    assert (want >= 0.5).any() and (want < 0.5).any()  # both sides of the threshold
    for p in prepared:
        a, b = compiled.implicit_prepared(p), model.implicit_prepared(p)
        assert [c for c, _ in a] == [c for c, _ in b]
        assert [s for _, s in a] == pytest.approx([s for _, s in b])
    sk, cp = CampaignTagger(model=model), CampaignTagger(model=compiled)
    for i, text in enumerate(texts):
        a, b = sk.tag(str(i), text), cp.tag(str(i), text)
        assert [(t.campaign_id, t.mode, t.start) for t in a] == [
            (t.campaign_id, t.mode, t.start) for t in b
        ]
        assert [t.score for t in a] == pytest.approx([t.score for t in b], abs=1e-4)


def test_isotonic_and_ensemble_calibration_compile_too(
    fitted: tuple[CampaignModel, list[str], list[str]], records: dict[str, list[dict]]
) -> None:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    model, _, prepared = fitted
    x = model.features.transform(prepared)
    labels = [int(i < CHECK) for i in range(len(prepared))]  # target vs background
    classifiers = {}
    for method in ("isotonic", "sigmoid"):
        clf = CalibratedClassifierCV(LinearSVC(random_state=0), method=method, cv=3)
        classifiers[method] = clf.fit(x, labels)  # ensemble: one calibrated model per fold
        assert len(clf.calibrated_classifiers_) == 3
        compiled = compile_model(model.features, {"t": clf}, {"t": 0.5}, "m")
        want = clf.predict_proba(x)[:, 1]
        got = [compiled.scores_prepared([p])[0]["t"] for p in prepared]
        assert np.allclose(got, want, rtol=1e-6, atol=1e-9), method


def test_saved_compiled_form_loads_without_sklearn_objects(
    fitted: tuple[CampaignModel, list[str], list[str]], tmp_path: Path
) -> None:
    model, _, prepared = fitted
    path = save_model(model, tmp_path / "m.skops")
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["model_id"] == model.model_id
    from pipeline.campaigns.compiled import file_sha1

    loaded = load_compiled(path, file_sha1(path))
    assert isinstance(loaded, CompiledModel)
    assert np.allclose(
        _matrix(loaded.scores_prepared(prepared)), _matrix(model.scores_prepared(prepared))
    )


def test_doc_tokens_prepare_the_text_as_training_does(
    fitted: tuple[CampaignModel, list[str], list[str]],
) -> None:
    """The component reads the words off the Doc; training tokenizes the text itself."""
    from pipeline.campaigns.matcher import Matcher
    from pipeline.campaigns.taxonomy import load_taxonomy
    from pipeline.nlp.language import make_nlp

    _, texts, _ = fitted
    nlp = make_nlp(stages=())
    matcher = Matcher(load_taxonomy())
    for text in texts[:10] + texts[-10:]:
        doc = nlp.make_doc(text)
        spans = [(s, e) for s, e in doc_spans(doc) if not text[s:e].isspace()]
        assert spans == word_spans(text)
        assert prepare_spans(text, doc_spans(doc)) == prepare(text)
        assert prepare_doc(text, doc) == prepare(text)
        # with named mentions masked (a mention's words, and words cut by its edges)
        masked = [(m.start, m.end) for m in matcher.find(text)] + [(5, 17), (40, 41)]
        assert prepare_doc(text, doc, masked) == prepare_spans(text, doc_spans(doc), masked)


def test_the_trained_model_compiles_to_the_same_scores(
    records: dict[str, list[dict]], tmp_path: Path
) -> None:
    path = REPO / DEFAULT_MODEL_PATH
    try:
        model = load_sklearn_model(path)
    except (OSError, ValueError):
        # a fresh clone (CI) has no model, or one of another version: train the real
        # model here, from the ../shared corpus the `real_corpus` fixture found, as
        # `make run` does (about a minute)
        path = tmp_path / "campaigns.skops"
        assert ensure_model(path) == path
        model = load_sklearn_model(path)
    compiled = load_model(path)
    assert compiled is not None and compiled.model_id == model.model_id
    rows = records["target"][-30:] + records["background"][-30:]
    texts = [record_to_article(r, "test").text for r in rows]
    prepared = [prepare(t) for t in texts]
    want = _matrix(model.scores_prepared(prepared))
    got = _matrix(compiled.scores_prepared(prepared))
    assert np.allclose(got, want, rtol=1e-6, atol=1e-9)
    thresholds = np.array([model.thresholds[c] for c in sorted(model.thresholds)])
    assert ((got >= thresholds) == (want >= thresholds)).all()


def _prepare_reference(text: str, spans: list[tuple[int, int]], masked: list) -> str:
    """prepare_spans one word at a time, as plainly as it can be written."""
    out = []
    for s, e in spans:
        if s >= MAX_CHARS or any(ms < e and s < me for ms, me in masked):
            continue
        if text[s:e].split():
            out.append("_".join(text[s:e].split()))
    return " ".join(out).lower()


def test_prepare_spans_equals_the_plain_reference(
    fitted: tuple[CampaignModel, list[str], list[str]],
) -> None:
    from pipeline.campaigns.matcher import Matcher
    from pipeline.campaigns.taxonomy import load_taxonomy
    from pipeline.nlp.language import make_nlp

    _, texts, _ = fitted
    matcher = Matcher(load_taxonomy())
    nlp = make_nlp(stages=())
    named = 0
    for text in texts:
        spans = doc_spans(nlp.make_doc(text))
        masked = [(m.start, m.end) for m in matcher.find(text)]
        named += bool(masked)
        odd = [(3, 3), (0, 1), (len(text) - 2, len(text) + 5), (MAX_CHARS - 3, MAX_CHARS + 3)]
        for mask in (masked, [], odd):
            assert prepare_spans(text, spans, mask) == _prepare_reference(text, spans, mask)
    assert named >= 5
    t = "Hội  viên \u00a0 ưu tú\n\nx"
    spans = [(0, 9), (9, 12), (12, 17), (17, 19), (19, 20), (4, 4)][:5]
    assert prepare_spans(t, spans) == _prepare_reference(t, spans, []) == "hội_viên ưu_tú x"
