"""underthesea as a spaCy tokenizer.

Sentences come from :func:`pipeline.nlp.sentences.split_sentences`; words are those of
``underthesea.word_tokenize(..., use_token_normalize=False)`` on each sentence: underthesea's
regex and CRF model, the CRF scored by :mod:`pipeline.nlp.crf` (the same tags, several times
cheaper) once enough text has been seen, else by underthesea itself. Each word
(one or more syllables) is aligned back onto the text; the gaps become spaCy's trailing
spaces or white-space tokens, so ``doc.text == text`` always. A sentence whose words cannot
be aligned (underthesea dropped or changed a character) falls back to white-space tokens
for that sentence only and is counted in ``doc.user_data["tokenizer_fallbacks"]``: the text
is never rewritten.
"""

from __future__ import annotations

import importlib
import pickle
from functools import cache
from pathlib import Path
from typing import Any
from unicodedata import is_normalized

from spacy.tokens import Doc
from spacy.vocab import Vocab
from underthesea import word_tokenize

from pipeline.nlp.crf import CompiledCRF, compile_model
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
        base = _model_dir()
        features, dictionary = word_files()
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

#: Characters the tokenizer reads with underthesea's own tagger before it builds the
#: compiled one (:func:`compiled_crf`, ~0.25 CPU s): a run over a few articles never pays
#: for it; past this, every ~15,000 syllables repay it.
COMPILE_AFTER_CHARS = 60_000
_seen_chars = 0  # characters tagged by underthesea's own tagger in this process


def _model_dir() -> Path:
    import underthesea.pipeline.word_tokenize as wt

    return Path(wt.__file__).parent / "models" / _MODEL


@cache
def word_files() -> tuple[Any, Any]:
    """The featurizer's templates (``features.bin``) and dictionary (``dictionary.bin``),
    read once per process (shared by underthesea's featurizer and :func:`compiled_crf`)."""
    base = _model_dir()
    with open(base / "features.bin", "rb") as fh:
        features = pickle.load(fh)
    with open(base / "dictionary.bin", "rb") as fh:
        dictionary = pickle.load(fh)
    return features, dictionary


@cache
def compiled_crf() -> CompiledCRF | None:
    """The segmentation model as a :class:`pipeline.nlp.crf.CompiledCRF` (same tags as
    underthesea's featurizer and tagger, several times cheaper), built once per process;
    None when anything about the model files is unexpected (underthesea then tags)."""
    try:
        from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

        features, dictionary = word_files()
        if not isinstance(features, list) or not isinstance(dictionary, set):
            return None
        return compile_model(
            _model_dir() / FastCRFSequenceTagger().path_model, features, dictionary
        )
    except Exception:  # any surprise: underthesea's own featurizer and tagger
        return None


def build_compiled_now() -> bool:
    """Build the compiled CRF now, not after :data:`COMPILE_AFTER_CHARS`: a batch calls this
    before it forks its workers, which then share the tables (copy-on-write) instead of each
    building its own and tagging its first articles the slow way. True when it is built."""
    global _seen_chars
    _seen_chars = max(_seen_chars, COMPILE_AFTER_CHARS)
    return compiled_crf() is not None


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


class _Segmenter:
    """``word_tokenize(sentence, use_token_normalize=False)``, as character spans.

    The same steps as underthesea's own function (its regex ``tokenize``, then the CRF
    model's ``featurizer.process`` and ``estimator.tag``, then an ``I-W`` token joins the
    word before it), but the regex matches give each token's offsets, so a word's span is
    the first token's start and the last one's end: nothing is searched for in the text
    again. This holds only when character normalisation leaves the sentence as it is
    (otherwise the tokens are not the text's own characters), and only for underthesea's
    default patterns (no ``fixed_words`` compiled in, whose matches may hold spaces); any
    other case goes through ``word_tokenize`` and :func:`align_words`.
    """

    def __init__(self) -> None:
        wt = importlib.import_module("underthesea.pipeline.word_tokenize")
        rt = importlib.import_module("underthesea.pipeline.word_tokenize.regex_tokenize")
        cn = importlib.import_module("underthesea.pipeline.text_normalize.character_normalize")
        self.wt = wt
        self.rt = rt
        self.charmap_keys = tuple(cn.character_map)
        ok = (
            wt.tokenize is rt.tokenize
            and rt.normalize_characters_in_text is cn.normalize_characters_in_text
            and all(len(k) == 1 for k in self.charmap_keys)
        )
        self.ok = ok

    def model(self) -> Any:
        """underthesea's loaded model when the fast path may be taken, else None."""
        if not self.ok or self.rt.recompile_regex_patterns:
            return None
        model = self.wt.word_tokenize_model
        if model is None or getattr(model, "featurizer", None) is None:
            return None
        return model

    def clean(self, text: str) -> bool:
        """True when no sentence of ``text`` is changed by underthesea's character
        normalisation: no character of its map occurs in ``text`` (every key is one
        character) - the NFC half is checked sentence by sentence."""
        return not any(k in text for k in self.charmap_keys)


@cache
def _segmenter() -> _Segmenter:
    """The one :class:`_Segmenter` of the process (built on first use)."""
    return _Segmenter()


def _sentence_spans(
    model: Any, patterns: Any, sent: str, offset: int, crf: CompiledCRF | None = None
) -> list[tuple[int, int]] | None:
    """Word spans of an NFC sentence free of mapped characters (see :class:`_Segmenter`);
    None when underthesea's tags do not match its tokens one for one. The tags come from
    ``crf`` when given (the same tags, see :mod:`pipeline.nlp.crf`), else from underthesea's
    featurizer and tagger."""
    starts = []
    ends = []
    tokens = []
    for m in patterns.finditer(sent):
        s, e = m.span()
        starts.append(s)
        ends.append(e)
        tokens.append(sent[s:e])
    if not tokens:
        return []
    if crf is not None:
        tags = crf.tag(tokens)
    else:
        tags = model.estimator.tag(model.featurizer.process([[[t] for t in tokens]])[0])
    if len(tags) != len(tokens):
        return None
    spans = []
    ws = starts[0] + offset
    we = ends[0] + offset
    for i in range(1, len(tokens)):
        if tags[i] == "I-W":
            we = ends[i] + offset
        else:
            spans.append((ws, we))
            ws = starts[i] + offset
            we = ends[i] + offset
    spans.append((ws, we))
    return spans


class UnderTheSeaTokenizer:
    """A spaCy tokenizer: ``nlp.tokenizer = UnderTheSeaTokenizer(nlp.vocab)``."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        global _seen_chars
        if not _LOADED:
            _LOADED.append(load_word_model())
        seg = _segmenter()
        model = seg.model()
        if model is not None and not seg.clean(text):
            model = None
        patterns = seg.rt.patterns
        crf = None
        if model is not None:
            if _seen_chars >= COMPILE_AFTER_CHARS:
                crf = compiled_crf()
            else:
                _seen_chars += len(text)
        sentences = split_sentences("", text)
        spans: list[tuple[int, int]] = []
        starts: list[int] = []
        fallbacks = 0
        for sent in sentences:
            sent_spans = None
            if model is not None and is_normalized("NFC", sent.text):
                sent_spans = _sentence_spans(model, patterns, sent.text, sent.start, crf)
            if sent_spans is None:
                try:
                    words = word_tokenize(sent.text, use_token_normalize=False)
                    sent_spans = align_words(sent.text, words, sent.start)
                except AlignmentError:
                    sent_spans = _ws_spans(sent.text, sent.start)
                    fallbacks += 1
            if sent_spans:
                starts.append(len(spans))
                spans.extend(sent_spans)
        words_out: list[str] = []
        spaces: list[bool] = []
        is_start = set(starts)
        pos = 0
        append_word = words_out.append
        append_space = spaces.append
        sent_starts: list[bool | int | None] = []
        flag = sent_starts.append
        for k, (s, e) in enumerate(spans):
            if s > pos:
                if s - pos == 1 and text[pos] == " " and words_out and not spaces[-1]:
                    spaces[-1] = True
                else:
                    gap = text[pos:s]
                    if words_out and not spaces[-1] and gap[0] == " ":
                        spaces[-1] = True
                        gap = gap[1:]
                    if gap:
                        flag(not words_out)
                        append_word(gap)
                        append_space(False)
            append_word(text[s:e])
            append_space(False)
            flag(k in is_start)
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
