"""The tokenizer's own segmentation (underthesea's regex tokens, CRF featurizer and tagger,
word spans from the match offsets) gives exactly the words of
``underthesea.word_tokenize(sentence, use_token_normalize=False)``, aligned on the text as
:func:`align_words` does, sentence by sentence, on real articles."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import spacy
import underthesea

import pipeline.nlp.tokenizer as tokenizer_mod
from pipeline.io.readers import read_articles
from pipeline.nlp.language import make_nlp
from pipeline.nlp.sentences import split_sentences
from pipeline.nlp.tokenizer import AlignmentError, align_words
from pipeline.types import Article


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return make_nlp(stages=())


def reference(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Word spans and sentence starts (as span indexes) the way the tokenizer first did it:
    ``word_tokenize`` on each sentence, aligned with ``align_words``, white-space tokens
    for a sentence that cannot be aligned."""
    spans: list[tuple[int, int]] = []
    starts: list[int] = []
    for sent in split_sentences("", text):
        try:
            words = underthesea.word_tokenize(sent.text, use_token_normalize=False)
            sent_spans = align_words(sent.text, words, sent.start)
        except AlignmentError:
            sent_spans = [
                (sent.start + i, sent.start + i + len(w)) for i, w in _ws_words(sent.text)
            ]
        if sent_spans:
            starts.append(len(spans))
            spans.extend(sent_spans)
    return spans, starts


def _ws_words(text: str) -> list[tuple[int, str]]:
    import re

    return [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]


def ours(doc: spacy.tokens.Doc) -> tuple[list[tuple[int, int]], list[int]]:
    words = [t for t in doc if not t.is_space]
    spans = [(t.idx, t.idx + len(t.text)) for t in words]
    starts = [i for i, t in enumerate(words) if t.is_sent_start]
    return spans, starts


def _articles(path: Path, n: int) -> list[Article]:
    return [a for a in itertools.islice(read_articles([path]), n) if isinstance(a, Article)]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["target.jsonl", "background.jsonl"])
def test_same_words_and_sentences_as_word_tokenize(
    real_corpus: Path, nlp: spacy.language.Language, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_calls = []

    def counted(*a: object, **k: object) -> list[str]:
        slow_calls.append(a)
        return underthesea.word_tokenize(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(tokenizer_mod, "word_tokenize", counted)
    articles = _articles(real_corpus / name, 60)
    assert len(articles) == 60
    sentences = 0
    for art in articles:
        doc = nlp.make_doc(art.text)
        assert doc.text == art.text
        assert ours(doc) == reference(art.text), art.id
        sentences += len(doc.user_data["sentences"])
    # the fast path is the usual one: word_tokenize itself only for the odd sentence
    assert sentences > 600
    assert len(slow_calls) < sentences / 20


@pytest.mark.parametrize(
    "text",
    [
        "Ðại hội Ðảng bộ tỉnh. Câu hai có 5 người.",  # Ð (eth) is mapped to Đ by underthesea
        "Hội nghi\u0300 tỉnh ủy. Câu hai.",  # not NFC: underthesea composes it
        "Xem www.a.vn. Hay lắm!\n\n  Dòng hai  có   khoảng trắng.  ",
        "Ông Nguyễn Văn A (SN 1970), trú tại TP.HCM, nói: “Tốt…” 3.400.000 đồng/tháng.",
    ],
)
def test_odd_sentences_keep_word_tokenize_words(nlp: spacy.language.Language, text: str) -> None:
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert ours(doc) == reference(text)
