"""The implicit classifier compiled to plain numpy: what the pipeline runs.

The trained artefact is the skops file (:mod:`pipeline.campaigns.model`): a scikit-learn
feature union (TF-IDF over words and over character n-grams) and one calibrated linear
SVM per campaign. Importing scikit-learn and skops costs seconds of start-up and calling
them per article costs milliseconds, so the fitted model is compiled once into arrays:

* the word vocabulary (uni- and bigrams) with its idf;
* the character n-gram vocabulary, each n-gram encoded as one integer over the alphabet
  of the vocabulary's characters (exact, no hashing), with its idf;
* the linear weights and intercept of every calibrated fold, stacked as the columns of
  one matrix, with each fold's calibration (sigmoid ``a``, ``b``, or isotonic steps).

Scoring a text is then one dict lookup per word, into a table of the words seen so far
that holds each word's unigram row, its token id for the bigrams and the rows of its
character n-grams (a word's ``char_wb`` n-grams are its own: they are found once per
process, not once per article), a few vectorised numpy operations that gather and count
them, and one product of the article's non-zero features with the stacked weights. The result equals scikit-learn's ``predict_proba`` (tests/campaigns check it on
real articles). The compiled form lives beside the skops file (``.npz`` arrays and a
``.json`` header holding the model id and the sha1 of the skops file it came from).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

COMPILED_FORMAT = 1  # bump when the compiled layout or the scoring changes
MAX_ALPHABET = 6000  # 5-grams over this many characters (+1) fit in an int64
_NGRAMS = (3, 5)  # the character vectoriser's n-gram range (training.make_features)


def file_sha1(path: str | Path) -> str:
    """The sha1 of a file's bytes: ties a compiled model to its skops file."""
    digest = hashlib.sha1()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def word_grams(words: Sequence[str]) -> list[str]:
    """The word vectoriser's terms of a text split into words: unigrams then bigrams.

    >>> word_grams(["đoàn_viên", "tình_nguyện", "hè"])
    ['đoàn_viên', 'tình_nguyện', 'hè', 'đoàn_viên tình_nguyện', 'tình_nguyện hè']
    """
    return [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]


def char_wb_grams(words: Sequence[str], lo: int = 3, hi: int = 5) -> list[str]:
    """The character n-grams scikit-learn's ``char_wb`` analyzer makes of ``words``: the
    n-grams of each word padded with a space, a word shorter than n counted once whole.
    The reference the vectorised :meth:`CompiledModel.char_features` is tested against.

    >>> char_wb_grams(["ab", "c"])
    [' ab', 'ab ', ' ab ', ' c ']
    """
    out = []
    for w in words:
        w = f" {w} "
        for n in range(lo, hi + 1):
            if len(w) <= n:
                out.append(w)
                break
            out.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return out


_HASH = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing


def _slot(codes: np.ndarray, size: int) -> np.ndarray:
    """Slots of ``codes`` in a table of ``size`` (a power of two) entries."""
    shift = np.uint64(64 - (size.bit_length() - 1))
    return ((codes.astype(np.uint64) * _HASH) >> shift).astype(np.int64)


class _Index:
    """Integer keys -> rows: one probe of an open hash table (multiplicative hash), then
    the few keys whose slot another key took go to a sorted overflow array.

    >>> ix = _Index(np.array([3, 17, 40]), np.array([0, 1, 2]))
    >>> ix.rows_of(np.array([40, 5, 3, 3])).tolist()
    [2, 0, 0]
    """

    def __init__(self, keys: np.ndarray, rows: np.ndarray) -> None:
        size = 1 << max(4, int(len(keys) * 8).bit_length())
        slots = _slot(keys, size)
        self.keys = np.full(size, -1, dtype=np.int64)
        self.rows = np.zeros(size, dtype=np.int64)
        first = np.unique(slots, return_index=True)[1]  # one key per slot in the table
        self.keys[slots[first]] = keys[first]
        self.rows[slots[first]] = rows[first]
        rest = np.ones(len(keys), dtype=bool)
        rest[first] = False
        self.crowded = np.zeros(size, dtype=bool)
        self.crowded[slots[rest]] = True
        self.over_keys, self.over_rows = keys[rest], rows[rest]  # keys stay sorted

    def rows_of(self, keys: np.ndarray) -> np.ndarray:
        """The rows of those ``keys`` that are in the index (the others are left out)."""
        slots = _slot(keys, len(self.keys))
        hit = self.keys[slots] == keys
        rows = self.rows[slots[hit]]
        rest = keys[~hit & self.crowded[slots]]
        if len(rest) and len(self.over_keys):
            over = self.over_keys
            pos = np.minimum(np.searchsorted(over, rest), len(over) - 1)
            rows = np.concatenate((rows, self.over_rows[pos[over[pos] == rest]]))
        return rows


def _encode(chars: np.ndarray, alphabet: np.ndarray) -> np.ndarray:
    """Characters (code points) as ids 1..len(alphabet); 0 for one not in the alphabet."""
    pos = np.searchsorted(alphabet, chars)
    pos = np.minimum(pos, len(alphabet) - 1)
    return np.where(alphabet[pos] == chars, pos + 1, 0).astype(np.int64)


def _codes_of(terms: Sequence[str], alphabet: np.ndarray) -> np.ndarray:
    base = len(alphabet) + 1
    out = np.empty(len(terms), dtype=np.int64)
    for i, t in enumerate(terms):
        ids = _encode(np.array([ord(c) for c in t], dtype=np.uint32), alphabet)
        code = 0
        for x in ids.tolist():
            code = code * base + int(x)
        out[i] = code
    return out


_MAX_TOKENS = 300_000  # distinct words remembered (then the table starts afresh)


def _put(array: np.ndarray, at: int, values: np.ndarray) -> np.ndarray:
    """``array`` (grown by doubling when needed) with ``values`` written from ``at`` on."""
    end = at + len(values)
    if end > len(array):
        array = np.resize(array, max(2 * len(array), end, 1024))
    array[at:end] = values
    return array


class _Tokens(dict[str, int]):
    """Word -> token id, filled on first sight: per token its unigram row (-1 for none),
    its id among the word vocabulary's tokens (``n_vocab_tokens`` for none) and the run of
    its character n-gram rows in ``char_flat`` (those of :func:`char_wb_grams` that are in
    the vocabulary, repeats kept). A text's features are then gathered, not recomputed.
    New words are noted in lists; :meth:`sync` moves them into the arrays.

    >>> t = _Tokens({"hè": 0}, np.array([7]), {" hè": 0, "hè ": 1, " x ": 2})
    >>> t["hè"], t["x"], t["hè"]
    (0, 1, 0)
    >>> t.sync()
    >>> t.uni[:2].tolist(), t.vocab_token[:2].tolist(), t.char_flat[:3].tolist()
    ([7, -1], [0, 1], [0, 1, 2])
    >>> t.char_start[:2].tolist(), t.char_len[:2].tolist()
    ([0, 2], [2, 1])
    """

    def __init__(self, vocab: dict[str, int], uni: np.ndarray, char_terms: dict[str, int]):
        super().__init__()
        self.vocab, self.char_terms = vocab, char_terms
        self.n_vocab_tokens = len(vocab)
        self.vocab_uni = np.concatenate((uni, [-1])).astype(np.int64)  # the last: none
        self.uni = np.zeros(0, dtype=np.int64)
        self.vocab_token = np.zeros(0, dtype=np.int64)
        self.char_start = np.zeros(0, dtype=np.int64)
        self.char_len = np.zeros(0, dtype=np.int64)
        self.char_flat = np.zeros(0, dtype=np.int64)
        self.n_tokens = self.n_flat = 0  # how much of the arrays is filled
        self._new: list[int] = []  # vocabulary token, number of rows: of each new word
        self._new_flat: list[int] = []  # their rows

    def __missing__(self, word: str) -> int:
        w = f" {word} "  # the n-grams of char_wb_grams([word]), in the vocabulary
        grams = []
        for n in range(_NGRAMS[0], _NGRAMS[1] + 1):
            if len(w) <= n:
                grams.append(w)
                break
            grams += [w[j : j + n] for j in range(len(w) - n + 1)]
        rows = [r for r in map(self.char_terms.get, grams) if r is not None]
        self._new += (self.vocab.get(word, self.n_vocab_tokens), len(rows))
        self._new_flat += rows
        i = self[word] = len(self)
        return i

    def sync(self) -> None:
        """Move the words seen since the last call into the arrays."""
        if not self._new:
            return
        new = np.array(self._new, dtype=np.int64).reshape(-1, 2)
        flat = np.array(self._new_flat, dtype=np.int64)
        lens = new[:, 1]
        starts = self.n_flat + np.cumsum(lens) - lens
        n, k = self.n_tokens, len(new)
        for name, values in (
            ("vocab_token", new[:, 0]),
            ("uni", self.vocab_uni[new[:, 0]]),
            ("char_start", starts),
            ("char_len", lens),
        ):
            setattr(self, name, _put(getattr(self, name), n, values))
        self.char_flat = _put(self.char_flat, self.n_flat, flat)
        self.n_tokens, self.n_flat = n + k, self.n_flat + len(flat)
        self._new, self._new_flat = [], []


@dataclass
class CompiledModel:
    """A compiled classifier; scores agree with the sklearn model it came from."""

    model_id: str
    thresholds: dict[str, float]
    ids: list[str]  # campaign of each output, sorted
    word_index: dict[str, int]  # word term -> row of ``weights``
    word_idf: np.ndarray
    alphabet: np.ndarray  # sorted code points (uint32) of the character vocabulary
    space_id: int  # id of " " in the alphabet, 0 when absent
    char_codes: np.ndarray  # sorted int64 codes of the character n-grams
    char_rows: np.ndarray  # row of ``weights`` (after the words) of each code
    char_idf: np.ndarray  # by char row
    weights: np.ndarray  # (words + chars, folds) float64
    intercepts: np.ndarray  # (folds,)
    fold_campaign: np.ndarray  # (folds,) index into ``ids``
    method: str  # sigmoid | isotonic
    sig_a: np.ndarray  # (folds,) sigmoid: p = 1 / (1 + exp(a * f + b))
    sig_b: np.ndarray
    iso_x: np.ndarray  # isotonic: thresholds of all folds, concatenated
    iso_y: np.ndarray
    iso_offsets: np.ndarray  # (folds + 1,) where each fold's thresholds start

    @property
    def campaign_ids(self) -> list[str]:
        return list(self.ids)

    def warm(self) -> CompiledModel:
        """Build the lookup tables now (start-up) rather than on the first article."""
        _ = self._tokens, self._bigrams, self._idf
        return self

    @property
    def n_words(self) -> int:
        return len(self.word_idf)

    # -- features ------------------------------------------------------------------

    def word_features(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows and l2-normalised sublinear TF-IDF values of the word terms (the terms of
        :func:`word_grams`, looked up through the token table: one dict lookup per word)."""
        rows, vals, k = self._features(self._token_ids(words))
        return rows[:k], vals[:k]

    def char_features(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows (after the word rows) and values of the character n-grams (those of
        :func:`char_wb_grams`): a word's n-grams are its own, so the vocabulary rows of each
        distinct word are found once (:class:`_Tokens`) and a text's are gathered."""
        rows, vals, k = self._features(self._token_ids(words))
        return rows[k:], vals[k:]

    def _token_ids(self, words: Sequence[str]) -> np.ndarray:
        tokens = self._tokens
        if len(tokens) > _MAX_TOKENS:  # a long-running process: start the table afresh
            del self.__dict__["_tokens"]
            tokens = self._tokens
        ids = np.fromiter(map(tokens.__getitem__, words), dtype=np.int64, count=len(words))
        tokens.sync()
        return ids

    def _features(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """The rows and values of a text's features (its words' token ids): the word
        features first (the first ``k``), each block l2-normalised on its own."""
        tokens = self._tokens
        uni = tokens.uni[ids]
        vocab = tokens.vocab_token[ids]
        unknown = tokens.n_vocab_tokens
        a, b = vocab[:-1], vocab[1:]
        both = (a != unknown) & (b != unknown)
        pairs = self._bigrams.rows_of(a[both] * unknown + b[both])
        starts, lens = tokens.char_start[ids], tokens.char_len[ids]
        ends = np.cumsum(lens)
        total = int(ends[-1]) if len(ends) else 0
        # the flat positions of every word's n-gram rows: the start of its run + 0, 1, …
        pos = np.repeat(starts - ends + lens, lens) + np.arange(total)
        rows = np.concatenate((uni[uni >= 0], pairs, tokens.char_flat[pos]))
        if not len(rows):
            return rows, np.zeros(0), 0
        counts = np.bincount(rows, minlength=len(self._idf))
        nz = np.flatnonzero(counts != 0)  # (a bool array's is found faster)
        vals = (1.0 + np.log(counts[nz])) * self._idf[nz]
        k = int(np.searchsorted(nz, self.n_words))
        for block in (vals[:k], vals[k:]):
            norm = math.sqrt(float(block @ block))
            if norm > 0:
                block /= norm
        return nz, vals, k

    @cached_property
    def _char_terms(self) -> dict[str, int]:
        """Character n-gram -> its row of ``weights`` (after the words), decoded from the
        codes (each code: the n-gram's alphabet ids, most significant first, over base
        ``len(alphabet) + 1``; no id is 0, so a shorter n-gram has leading zero digits)."""
        base = len(self.alphabet) + 1
        hi = _NGRAMS[1]
        digits = np.stack([(self.char_codes // base**k) % base for k in range(hi - 1, -1, -1)], 1)
        points = np.concatenate(([0], self.alphabet.astype(np.uint32)))[digits]
        n = np.count_nonzero(digits, axis=1)
        left = np.zeros_like(points)  # the n-gram's characters first, then zero padding
        for k in np.unique(n).tolist():
            left[n == k, :k] = points[n == k, hi - k :]
        terms = np.ascontiguousarray(left, dtype=np.uint32).view(f"<U{hi}").reshape(-1)
        return dict(zip(terms.tolist(), self.char_rows.tolist(), strict=True))

    @cached_property
    def _tokens(self) -> _Tokens:
        """The table of words, holding those of the word vocabulary from the start (most
        of a news text's words: ~45 ms at load rather than on the first articles)."""
        vocab, uni, _ = self._vocab
        tokens = _Tokens(vocab, uni, self._char_terms)
        for word in vocab:
            tokens[word]
        tokens.sync()
        return tokens

    @cached_property
    def _bigrams(self) -> _Index:
        return self._vocab[2]

    @cached_property
    def _vocab(self) -> tuple[dict[str, int], np.ndarray, _Index]:
        """Word -> token id, token id -> unigram row (-1 for none), and the bigrams as an
        index of ``first * tokens + second``."""
        terms = sorted(self.word_index, key=self.word_index.__getitem__)
        split = [t.split(" ") for t in terms]
        tokens: dict[str, int] = {}
        for parts in split:
            for w in parts:
                tokens.setdefault(w, len(tokens))
        uni = np.full(len(tokens), -1, dtype=np.int64)
        keys, rows = [], []
        for row, parts in enumerate(split):
            if len(parts) == 1:
                uni[tokens[parts[0]]] = row
            else:
                keys.append(tokens[parts[0]] * len(tokens) + tokens[parts[1]])
                rows.append(row)
        k = np.array(keys, dtype=np.int64)
        order = np.argsort(k, kind="stable")
        return tokens, uni, _Index(k[order], np.array(rows, dtype=np.int64)[order])

    @cached_property
    def _idf(self) -> np.ndarray:
        return np.concatenate((self.word_idf, self.char_idf))

    # -- scores --------------------------------------------------------------------

    def fold_decisions(self, prepared: str) -> np.ndarray:
        """The linear decision value of every fold for one prepared text."""
        rows, vals, _ = self._features(self._token_ids(prepared.lower().split()))
        return np.asarray(vals @ self.weights[rows] + self.intercepts, dtype=np.float64)

    def probabilities(self, prepared: str) -> np.ndarray:
        """Calibrated probability of each campaign of :attr:`ids` for one prepared text."""
        f = self.fold_decisions(prepared)
        if self.method == "sigmoid":
            with np.errstate(over="ignore"):
                p = 1.0 / (1.0 + np.exp(self.sig_a * f + self.sig_b))
        else:
            p = np.empty(len(f))
            for j in range(len(f)):
                lo, hi = self.iso_offsets[j], self.iso_offsets[j + 1]
                xs, ys = self.iso_x[lo:hi], self.iso_y[lo:hi]
                p[j] = np.interp(np.clip(f[j], xs[0], xs[-1]), xs, ys)
            p[(p > 1.0) & (p <= 1.0 + 1e-5)] = 1.0
        sums = np.bincount(self.fold_campaign, weights=p, minlength=len(self.ids))
        folds = np.bincount(self.fold_campaign, minlength=len(self.ids))
        return np.asarray(sums / np.maximum(folds, 1), dtype=np.float64)

    def scores_prepared(self, prepared: list[str]) -> list[dict[str, float]]:
        """Probabilities per campaign for texts already passed through ``prepare``."""
        out = []
        for text in prepared:
            p = self.probabilities(text)
            out.append({cid: float(v) for cid, v in zip(self.ids, p.tolist(), strict=True)})
        return out

    def implicit_prepared(self, prepared: str) -> list[tuple[str, float]]:
        """Campaigns whose probability reaches their threshold, best first."""
        p = self.probabilities(prepared).tolist()
        hits = [(c, v) for c, v in zip(self.ids, p, strict=True) if v >= self.thresholds[c]]
        return sorted(hits, key=lambda x: -x[1])

    # -- files ---------------------------------------------------------------------

    def save(self, path: str | Path, source_sha1: str) -> tuple[Path, Path]:
        """Write ``path`` with suffixes ``.npz`` (arrays) and ``.json`` (header)."""
        path = Path(path)
        npz, header = path.with_suffix(".npz"), path.with_suffix(".json")
        terms = sorted(self.word_index, key=self.word_index.__getitem__)
        tmp = npz.with_suffix(".npz.tmp")
        with open(tmp, "wb") as fh:
            np.savez(
                fh,
                word_terms=np.array(terms, dtype=str),
                **{n: getattr(self, n) for n in _ARRAYS},
            )
        tmp.replace(npz)
        meta = {
            "format": COMPILED_FORMAT,
            "model_id": self.model_id,
            "source_sha1": source_sha1,
            "npz_sha1": file_sha1(npz),
            "campaigns": self.ids,
            "thresholds": self.thresholds,
            "method": self.method,
            "space_id": self.space_id,
        }
        tmp = header.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(header)
        return npz, header


# the arrays of a CompiledModel kept in its .npz as they are (word_terms is derived)
_ARRAYS = (
    "word_idf",
    "alphabet",
    "char_codes",
    "char_rows",
    "char_idf",
    "weights",
    "intercepts",
    "fold_campaign",
    "sig_a",
    "sig_b",
    "iso_x",
    "iso_y",
    "iso_offsets",
)


def load_compiled(path: str | Path, source_sha1: str) -> CompiledModel:
    """The compiled model beside ``path`` (``.npz`` + ``.json``); raises ValueError when it
    is missing, of another format, or compiled from another skops file than ``source_sha1``.
    """
    path = Path(path)
    npz, header = path.with_suffix(".npz"), path.with_suffix(".json")
    if not npz.exists() or not header.exists():
        raise ValueError("no compiled model")
    meta = json.loads(header.read_text(encoding="utf-8"))
    if meta.get("format") != COMPILED_FORMAT:
        raise ValueError(f"compiled format {meta.get('format')}, expected {COMPILED_FORMAT}")
    if meta.get("source_sha1") != source_sha1:
        raise ValueError("compiled from another skops file")
    if meta.get("npz_sha1") != file_sha1(npz):
        raise ValueError("compiled arrays do not match their header")
    with np.load(npz, allow_pickle=False) as z:
        a = {k: z[k] for k in z.files}
    terms = a["word_terms"].tolist()
    return CompiledModel(
        model_id=str(meta["model_id"]),
        thresholds={k: float(v) for k, v in meta["thresholds"].items()},
        ids=[str(c) for c in meta["campaigns"]],
        word_index=dict(zip(terms, range(len(terms)), strict=True)),
        space_id=int(meta["space_id"]),
        method=str(meta["method"]),
        **{n: a[n] for n in _ARRAYS},
    )


def _check_vectoriser(name: str, vec: Any, analyzer: str) -> None:
    expected = {
        "analyzer": analyzer,
        "lowercase": True,
        "norm": "l2",
        "sublinear_tf": True,
        "use_idf": True,
        "binary": False,
        "preprocessor": None,
        "strip_accents": None,
        "stop_words": None,
    }
    for attr, want in expected.items():
        if getattr(vec, attr) != want:
            raise ValueError(
                f"{name}: {attr}={getattr(vec, attr)!r}, compiled scoring needs {want!r}"
            )
    if analyzer == "word" and (vec.token_pattern != r"\S+" or vec.ngram_range != (1, 2)):
        raise ValueError(f"{name}: compiled scoring needs token_pattern \\S+ and (1, 2) grams")
    if analyzer == "char_wb" and tuple(vec.ngram_range) != _NGRAMS:
        raise ValueError(f"{name}: compiled scoring needs character {_NGRAMS} grams")


def compile_model(
    features: Any, classifiers: dict[str, Any], thresholds: dict[str, float], model_id: str
) -> CompiledModel:
    """Compile a fitted feature union and calibrated classifiers (no sklearn import: the
    objects are read through their fitted attributes)."""
    names = [name for name, _ in features.transformer_list]
    if names != ["words", "chars"] or features.transformer_weights:
        raise ValueError(f"compiled scoring needs the words+chars union, not {names}")
    words_vec, chars_vec = (vec for _, vec in features.transformer_list)
    _check_vectoriser("words", words_vec, "word")
    _check_vectoriser("chars", chars_vec, "char_wb")
    word_terms = sorted(words_vec.vocabulary_, key=words_vec.vocabulary_.__getitem__)
    char_terms = sorted(chars_vec.vocabulary_, key=chars_vec.vocabulary_.__getitem__)
    n_words = len(word_terms)
    alphabet = np.array(sorted({ord(c) for t in char_terms for c in t}), dtype=np.uint32)
    if len(alphabet) > MAX_ALPHABET:
        raise ValueError(f"{len(alphabet)} characters in the n-grams: too many to encode")
    codes = _codes_of(char_terms, alphabet)
    order = np.argsort(codes, kind="stable")
    if len(codes) and np.any(np.diff(codes[order]) == 0):
        raise ValueError("two character n-grams share a code")
    space = np.searchsorted(alphabet, ord(" "))
    space_id = int(space + 1) if space < len(alphabet) and alphabet[space] == ord(" ") else 0

    ids = sorted(classifiers)
    cols, intercepts, fold_campaign, sig_a, sig_b = [], [], [], [], []
    iso_x: list[np.ndarray] = []
    iso_y: list[np.ndarray] = []
    offsets = [0]
    methods = set()
    for k, cid in enumerate(ids):
        clf = classifiers[cid]
        if list(clf.classes_) != [0, 1]:
            raise ValueError(f"{cid}: classes {list(clf.classes_)}, expected [0, 1]")
        for cc in clf.calibrated_classifiers_:
            est = cc.estimator
            if list(est.classes_) != [0, 1] or len(cc.calibrators) != 1:
                raise ValueError(f"{cid}: not a binary calibrated classifier")
            coef = np.asarray(est.coef_, dtype=np.float64).reshape(-1)
            if coef.shape[0] != n_words + len(char_terms):
                raise ValueError(f"{cid}: {coef.shape[0]} weights for the features")
            cols.append(coef)
            intercepts.append(float(np.asarray(est.intercept_).reshape(-1)[0]))
            fold_campaign.append(k)
            methods.add(cc.method)
            cal = cc.calibrators[0]
            if cc.method == "sigmoid":
                sig_a.append(float(cal.a_))
                sig_b.append(float(cal.b_))
            elif cc.method == "isotonic":
                iso_x.append(np.asarray(cal.X_thresholds_, dtype=np.float64))
                iso_y.append(np.asarray(cal.y_thresholds_, dtype=np.float64))
                offsets.append(offsets[-1] + len(iso_x[-1]))
            else:
                raise ValueError(f"{cid}: calibration {cc.method!r} cannot be compiled")
    if len(methods) > 1:
        raise ValueError(f"mixed calibrations {sorted(methods)}")
    n_feat = n_words + len(char_terms)
    return CompiledModel(
        model_id=model_id,
        thresholds={c: float(thresholds[c]) for c in ids},
        ids=ids,
        word_index={t: i for i, t in enumerate(word_terms)},
        word_idf=np.asarray(words_vec.idf_, dtype=np.float64),
        alphabet=alphabet,
        space_id=space_id,
        char_codes=codes[order],
        char_rows=(order + n_words).astype(np.int64),
        char_idf=np.asarray(chars_vec.idf_, dtype=np.float64),
        weights=np.stack(cols, axis=1) if cols else np.zeros((n_feat, 0)),
        intercepts=np.array(intercepts, dtype=np.float64),
        fold_campaign=np.array(fold_campaign, dtype=np.int64),
        method=methods.pop() if methods else "sigmoid",
        sig_a=np.array(sig_a, dtype=np.float64),
        sig_b=np.array(sig_b, dtype=np.float64),
        iso_x=np.concatenate(iso_x) if iso_x else np.zeros(0),
        iso_y=np.concatenate(iso_y) if iso_y else np.zeros(0),
        iso_offsets=np.array(offsets, dtype=np.int64),
    )
