"""The compiled segmentation CRF (pipeline/nlp/crf.py) reads underthesea's model as
underthesea_core does, builds the same feature strings, and gives the same tags, on real
sentences and on awkward hand-written ones; the tokenizer's output is the same with and
without it."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from spacy.vocab import Vocab

import pipeline.nlp.tokenizer as tok
from pipeline.nlp.crf import CompiledCRF, read_crfsuite
from pipeline.nlp.sentences import split_sentences

TRICKY = [
    "Hội",
    "Hội viên",
    ".",
    "2022",
    "+5 -0 2147483647 2147483648 -2147483648 007",
    "HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM",
    "Tp. Hồ Chí Minh , ngày 12/3/2024 : 1.234,5 tỷ đồng ( 15 % ) !",
    "Nguyễn Văn A và Trần Thị B đến từ Hà Nội",
    "xyzzy qwfp zzgrk nguyễnn",
    "ǅ ß ΑΣ ١٢ İstanbul",
    "a b",
    "A B",
    "... ! ?",
]


@pytest.fixture(scope="module")
def model():
    assert tok.load_word_model()
    seg = tok._segmenter()
    m = seg.model()
    assert m is not None
    return m


@pytest.fixture(scope="module")
def crf() -> CompiledCRF:
    c = tok.compiled_crf()
    assert c is not None
    return c


def reference(model, tokens: list[str]) -> tuple[list[list[str]], list[str]]:
    feats = model.featurizer.process([[[t] for t in tokens]])[0]
    return feats, model.estimator.tag(feats)


def test_reads_the_model_as_underthesea_core_does() -> None:
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
    from underthesea_core import CRFModel

    path = tok._model_dir() / FastCRFSequenceTagger().path_model
    labels, attrs, features = read_crfsuite(path.read_bytes())
    ref = CRFModel.load(str(path))
    assert labels == ref.get_labels() == ["B-W", "I-W"]
    assert len(attrs) == ref.num_attributes
    assert int((features["type"] == 0).sum()) == ref.num_state_features()
    assert int((features["type"] == 1).sum()) == ref.num_transition_features()


def test_tricky_sentences(model, crf: CompiledCRF) -> None:
    long = " ".join(itertools.islice(itertools.cycle(TRICKY), 400)).split()
    for text in [*TRICKY, " ".join(long)]:
        tokens = text.split()
        feats, tags = reference(model, tokens)
        assert crf.features(tokens) == feats, text
        assert crf.tag(tokens) == tags, text
        assert crf.tag_exact(tokens) == tags, text


def test_empty(crf: CompiledCRF) -> None:
    assert crf.tag([]) == []


def _target_sentences(real_corpus: Path, articles: int) -> list[list[str]]:
    patterns = tok._segmenter().rt.patterns
    out = []
    with open(real_corpus / "target.jsonl", encoding="utf-8") as fh:
        for line in itertools.islice(fh, articles):
            for sent in split_sentences("", json.loads(line)["text"]):
                tokens = [m.group() for m in patterns.finditer(sent.text)]
                if tokens:
                    out.append(tokens)
    return out


def test_real_sentences(model, crf: CompiledCRF, real_corpus: Path) -> None:
    sentences = _target_sentences(real_corpus, 40)
    assert len(sentences) > 300
    for tokens in sentences:
        assert crf.tag(tokens) == reference(model, tokens)[1], tokens
    for tokens in sentences[:50]:
        feats, tags = reference(model, tokens)
        assert crf.features(tokens) == feats
        assert crf.tag_exact(tokens) == tags


def test_near_ties_go_to_the_exact_path(crf: CompiledCRF, monkeypatch) -> None:
    """A sentence whose decisions are all near ties (NEAR_TIE huge) is scored exactly."""
    import pipeline.nlp.crf as crf_mod

    calls = []
    exact = crf.tag_exact

    def spy(tokens):
        calls.append(tokens)
        return exact(tokens)

    monkeypatch.setattr(crf_mod, "NEAR_TIE", 1e9)
    monkeypatch.setattr(crf, "tag_exact", spy)
    tokens = ["Hội", "viên", "ưu", "tú"]
    assert crf.tag(tokens) == exact(tokens)
    assert calls == [tokens]


def test_tokenizer_same_without_compiled_scorer(real_corpus: Path, monkeypatch) -> None:
    texts = []
    with open(real_corpus / "target.jsonl", encoding="utf-8") as fh:
        for line in itertools.islice(fh, 15):
            texts.append(json.loads(line)["text"])
    texts += TRICKY
    tokenizer = tok.UnderTheSeaTokenizer(Vocab())
    monkeypatch.setattr(tok, "COMPILE_AFTER_CHARS", 0)
    assert tok.compiled_crf() is not None
    fast = [[(t.idx, t.text, t.is_sent_start) for t in tokenizer(x)] for x in texts]
    monkeypatch.setattr(tok, "compiled_crf", lambda: None)
    slow = [[(t.idx, t.text, t.is_sent_start) for t in tokenizer(x)] for x in texts]
    assert fast == slow


def test_compiled_only_after_enough_text(monkeypatch) -> None:
    """The first COMPILE_AFTER_CHARS characters are tagged by underthesea's own tagger."""
    used = []
    monkeypatch.setattr(tok, "COMPILE_AFTER_CHARS", 30)
    monkeypatch.setattr(tok, "_seen_chars", 0)
    monkeypatch.setattr(tok, "compiled_crf", lambda: used.append(1))
    tokenizer = tok.UnderTheSeaTokenizer(Vocab())
    tokenizer("Hội viên ưu tú của hội.")
    assert used == []
    tokenizer("Hội viên ưu tú của hội, năm 2024.")
    assert used == []
    tokenizer("Hội viên.")
    assert used == [1]


def test_built_now_is_used_from_the_first_article(monkeypatch) -> None:
    """After build_compiled_now() (a batch, before forking) the compiled scorer tags the
    very first article, whatever COMPILE_AFTER_CHARS says."""
    used = []
    monkeypatch.setattr(tok, "COMPILE_AFTER_CHARS", 10**9)
    monkeypatch.setattr(tok, "_seen_chars", 0)
    monkeypatch.setattr(tok, "compiled_crf", lambda: used.append(1) or None)
    assert tok.build_compiled_now() is False  # the stand-in built nothing
    tok.UnderTheSeaTokenizer(Vocab())("Hội viên ưu tú của hội.")
    assert used == [1, 1]


def test_compiled_scorer_failure_is_silent(monkeypatch) -> None:
    """A model file that cannot be compiled leaves compiled_crf() None (no exception)."""
    import pipeline.nlp.crf as crf_mod

    def broken(*args, **kwargs):
        raise crf_mod.ModelFormatError("unexpected layout")

    monkeypatch.setattr(tok, "compile_model", broken)
    monkeypatch.setattr(tok, "COMPILE_AFTER_CHARS", 0)
    tok.compiled_crf.cache_clear()
    try:
        assert tok.compiled_crf() is None
        doc = tok.UnderTheSeaTokenizer(Vocab())("Hội viên ưu tú.")
        assert [t.text for t in doc] == ["Hội viên", "ưu tú", "."]
    finally:
        tok.compiled_crf.cache_clear()
