"""underthesea as a spaCy tokenizer.

Sentences come from :func:`pipeline.nlp.sentences.split_sentences`; words from
``underthesea.word_tokenize(..., use_token_normalize=False)`` on each sentence. Each word
(one or more syllables) is aligned back onto the text; the gaps become spaCy's trailing
spaces or white-space tokens, so ``doc.text == text`` always. A sentence whose words cannot
be aligned (underthesea dropped or changed a character) falls back to white-space tokens
for that sentence only and is counted in ``doc.user_data["tokenizer_fallbacks"]``: the text
is never rewritten.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from spacy.tokens import Doc
from spacy.vocab import Vocab
from underthesea import word_tokenize

from pipeline.nlp.sentences import split_sentences

TOKENIZER_VERSION = "1"


_MODEL = "ws_crf_vlsp2013_20230727"


def load_word_model() -> bool:
    """Load underthesea's word segmentation model now, in about a third of the time
    ``word_tokenize`` takes on its first call (which unpickles the 72,547-word dictionary
    with joblib's pure-Python unpickler; these files hold plain pickles, so the C unpickler
    reads the same objects). Returns False, and leaves the loading to underthesea, when its
    layout is not the one expected.
    """
    try:
        import underthesea.pipeline.word_tokenize as wt
        from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
        from underthesea_core import CRFFeaturizer, CRFTagger

        if wt.word_tokenize_model is not None:
            return True
        base = Path(wt.__file__).parent / "models" / _MODEL
        with open(base / "features.bin", "rb") as fh:
            features = pickle.load(fh)
        with open(base / "dictionary.bin", "rb") as fh:
            dictionary = pickle.load(fh)
        if not isinstance(features, list) or not isinstance(dictionary, set):
            return False
        model = FastCRFSequenceTagger()
        estimator = CRFTagger()
        estimator.load(str(base / model.path_model))
        model.featurizer = CRFFeaturizer(features, dictionary)
        model.estimator = estimator
        wt.word_tokenize_model = model
        return True
    except Exception:  # any surprise: underthesea loads its model its own way
        return False


_LOADED: list[bool] = []


class AlignmentError(ValueError):
    """underthesea's words do not match the text."""


def align_words(text: str, words: list[str], offset: int = 0) -> list[tuple[int, int]]:
    """Character spans of ``words`` (syllables joined by spaces) in ``text``.

    >>> align_words("Hội  viên ưu tú.", ["Hội viên", "ưu tú", "."])
    [(0, 9), (10, 15), (15, 16)]
    """
    spans = []
    pos = 0
    for word in words:
        start = None
        for syl in word.split():
            idx = text.find(syl, pos)
            if idx < 0 or text[pos:idx].strip():
                raise AlignmentError(f"cannot align {word!r} at {pos + offset}")
            if start is None:
                start = idx
            pos = idx + len(syl)
        if start is None:
            continue
        spans.append((start + offset, pos + offset))
    return spans


def _ws_spans(text: str, offset: int) -> list[tuple[int, int]]:
    import re

    return [(m.start() + offset, m.end() + offset) for m in re.finditer(r"\S+", text)]


class UnderTheSeaTokenizer:
    """A spaCy tokenizer: ``nlp.tokenizer = UnderTheSeaTokenizer(nlp.vocab)``."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        if not _LOADED:
            _LOADED.append(load_word_model())
        sentences = split_sentences("", text)
        spans: list[tuple[int, int]] = []
        starts: list[bool] = []
        fallbacks = 0
        for sent in sentences:
            try:
                words = word_tokenize(sent.text, use_token_normalize=False)
                sent_spans = align_words(sent.text, words, sent.start)
            except AlignmentError:
                sent_spans = _ws_spans(sent.text, sent.start)
                fallbacks += 1
            for i, sp in enumerate(sent_spans):
                spans.append(sp)
                starts.append(i == 0)
        words_out: list[str] = []
        spaces: list[bool] = []
        sent_starts: list[bool | int | None] = []
        pos = 0
        for (s, e), first in zip(spans, starts, strict=True):
            if s > pos:
                gap = text[pos:s]
                if gap == " " and words_out and not spaces[-1]:
                    spaces[-1] = True
                else:
                    if words_out and not spaces[-1] and gap.startswith(" "):
                        spaces[-1] = True
                        gap = gap[1:]
                    if gap:
                        words_out.append(gap)
                        spaces.append(False)
                        sent_starts.append(not words_out[:-1])
            words_out.append(text[s:e])
            spaces.append(False)
            sent_starts.append(bool(first))
            pos = e
        if pos < len(text):
            gap = text[pos:]
            if gap == " " and words_out:
                spaces[-1] = True
            else:
                if words_out and gap.startswith(" "):
                    spaces[-1] = True
                    gap = gap[1:]
                words_out.append(gap)
                spaces.append(False)
                sent_starts.append(not len(words_out) > 1)
        if not words_out:
            return Doc(self.vocab, words=[], spaces=[])
        doc = Doc(self.vocab, words=words_out, spaces=spaces, sent_starts=sent_starts)
        doc.user_data["sentences"] = sentences
        doc.user_data["tokenizer_fallbacks"] = fallbacks
        return doc

    # spaCy serialisation hooks: nothing to save, the model ships in the underthesea wheel.
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> UnderTheSeaTokenizer:
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> UnderTheSeaTokenizer:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (UnderTheSeaTokenizer, (self.vocab,))
