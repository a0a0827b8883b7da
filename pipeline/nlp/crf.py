"""underthesea's word segmentation CRF, scored in Python from its own weights.

underthesea's ``word_tokenize`` builds 43 feature strings per syllable with
``underthesea_core.CRFFeaturizer`` (``"T[-1,0].lower=hội viên"``, ``"T[0].istitle=True"``, ...),
then ``CRFTagger.tag`` looks each one up and runs Viterbi. Most of the cost is building those
strings. :class:`CompiledCRF` gives the same tags from the same model files, cheaply:

* the weights are read from the CRFsuite model file (:func:`read_crfsuite`) and keyed by
  template and *value* (``"hội viên"``), not by the whole feature string;
* a syllable's features depend only on the window of syllables around it, so the summed
  (B, I) contribution of every template over the same span of syllables (one syllable,
  two, three) is cached per distinct span: per position, a dozen tuple look-ups;
* Viterbi over the labels, with underthesea_core's tie rule (the lower label id wins).

The sums are added in another order than underthesea_core's (template by template), so
the last bits of a score may differ. Every Viterbi decision is therefore checked: when two
candidate scores are closer than :data:`NEAR_TIE`, far above any rounding difference, the
sentence is scored again by :meth:`CompiledCRF.tag_exact`, which builds underthesea's own
feature strings and adds their weights in its order, so its floats are the same as
underthesea_core's, bit for bit.

The featurizer's rules (underthesea_core's ``CRFFeaturizer``), for a template ``T[a]`` or
``T[a,b]`` at position ``t`` of an ``n``-token sentence: ``BOS`` when ``t+a < 0``, else ``EOS``
when ``t+a >= n`` or ``t+b >= n``; otherwise the tokens ``t+a..t+b`` joined by one space,
then the function: ``lower`` (``str.lower``), ``isdigit`` (``True`` when the text parses as a
Rust ``i32``: optional sign, ASCII digits, in range), ``istitle`` (``True`` when the first
character of every space-separated part equals its upper case), ``is_in_dict`` (the lower
case text is in the dictionary). Unknown feature strings weigh nothing.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: Two candidate scores closer than this send the sentence to :meth:`CompiledCRF.tag_exact`.
#: Rounding differences of the reordered sums are below 1e-9 even for sentences of thousands
#: of syllables (scores are sums of a few thousand weights of magnitude < 100).
NEAR_TIE = 1e-6

#: Distinct spans kept per span length before the cache is emptied and refilled.
CACHE_LIMIT = 200_000

_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(lower|isdigit|istitle|is_in_dict))?")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_I32 = re.compile(r"[+-]?[0-9]+")


class ModelFormatError(ValueError):
    """The model file or templates are not laid out as this module expects."""


def read_crfsuite(data: bytes) -> tuple[list[str], list[str], np.ndarray]:
    """Labels, attributes and features of a CRFsuite model file (``crf1dm`` format).

    The layout, all integers little-endian ``uint32``: a 48-byte header (``b"lCRF"``, file
    size, ``b"FOMC"``, version, number of features (0, unused), number of labels, number of
    attributes, then the offsets of the feature chunk, the label and attribute string
    databases and two reference tables not needed here). The feature chunk: ``b"FEAT"``, its
    size, the number of features, then 20 bytes per feature: type (0 = state: attribute id
    ``src`` to label ``dst``; 1 = transition: label ``src`` to label ``dst``), ``src``,
    ``dst`` and a ``float64`` weight. Each string database is a CQDB chunk: ``b"CQDB"``, size,
    flag, byte-order mark, the number of ids and the offset (from the chunk start) of an
    array giving, per id, the offset of its record: id, key size, then the key's bytes
    ending in NUL.

    Returns ``(labels, attributes, features)``, the strings in id order, the features as a
    numpy record array with fields ``type``, ``src``, ``dst``, ``weight``. Raises :class:`ModelFormatError` on anything else.

    >>> read_crfsuite(b"not a model")
    Traceback (most recent call last):
    ...
    pipeline.nlp.crf.ModelFormatError: not a CRFsuite FOMC model
    """
    if len(data) < 48 or data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        raise ModelFormatError("not a CRFsuite FOMC model")
    (size,) = struct.unpack_from("<I", data, 4)
    (_version, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs, _lr, _ar) = (
        struct.unpack_from("<9I", data, 12)
    )
    if size != len(data):
        raise ModelFormatError("file size does not match its header")
    if data[off_feat : off_feat + 4] != b"FEAT":
        raise ModelFormatError("no FEAT chunk")
    chunk_size, n_feat = struct.unpack_from("<2I", data, off_feat + 4)
    if chunk_size != 12 + 20 * n_feat:
        raise ModelFormatError("FEAT chunk size does not match its count")
    features = np.frombuffer(data, dtype=_FEATURE, count=n_feat, offset=off_feat + 12)
    labels = _cqdb_strings(data, off_labels)
    attrs = _cqdb_strings(data, off_attrs)
    if len(labels) != n_labels or len(attrs) != n_attrs:
        raise ModelFormatError("string counts do not match the header")
    return labels, attrs, features


def _cqdb_strings(data: bytes, off: int) -> list[str]:
    """The keys of the CQDB chunk at ``off``, in id order (see :func:`read_crfsuite`)."""
    if data[off : off + 4] != b"CQDB":
        raise ModelFormatError("no CQDB chunk")
    _size, _flag, _bom, n, bwd = struct.unpack_from("<5I", data, off + 4)
    out = []
    for k, rec in enumerate(struct.unpack_from(f"<{n}I", data, off + bwd)):
        rid, ksize = struct.unpack_from("<2I", data, off + rec)
        if rid != k or ksize == 0:
            raise ModelFormatError("CQDB record out of order")
        key = data[off + rec + 8 : off + rec + 8 + ksize]
        if key[-1] != 0:
            raise ModelFormatError("CQDB key not NUL-terminated")
        out.append(key[:-1].decode("utf-8"))
    return out


def parse_template(template: str) -> tuple[int, int, str | None]:
    """``(a, b, function)`` of a feature template; ``b == a`` for one token.

    >>> parse_template("T[-1,0].lower")
    (-1, 0, 'lower')
    >>> parse_template("T[2]")
    (2, 2, None)
    """
    m = _TEMPLATE.fullmatch(template)
    if m is None:
        raise ModelFormatError(f"unsupported template {template!r}")
    a = int(m.group(1))
    b = int(m.group(2)) if m.group(2) is not None else a
    if b < a:
        raise ModelFormatError(f"unsupported template {template!r}")
    return a, b, m.group(3)


def is_i32(text: str) -> bool:
    """True when Rust's ``text.parse::<i32>()`` succeeds (underthesea's ``isdigit``).

    >>> [is_i32(s) for s in ["2022", "+5", "-0", "2147483648", "1.5", "١٢", ""]]
    [True, True, True, False, False, False, False]
    """
    return _I32.fullmatch(text) is not None and -(2**31) <= int(text) < 2**31


def is_title(text: str) -> bool:
    """underthesea's ``istitle``: the first character of every space-separated part is
    its own upper case (so digits and punctuation count as title).

    >>> [is_title(s) for s in ["Hà Nội", "HỘI", "2022", "Tp. hà", "viên"]]
    [True, True, True, False, False]
    """
    if " " not in text:
        c = text[:1]
        return c == c.upper()
    return all(part[:1] == part[:1].upper() for part in text.split(" "))


def feature_value(
    function: str | None, tokens: Sequence[str], dictionary: set[str] | frozenset[str]
) -> str:
    """The value underthesea's featurizer writes after ``=`` for in-range ``tokens``.

    >>> feature_value("lower", ["Hội", "Viên"], {"hội viên"})
    'hội viên'
    >>> feature_value("is_in_dict", ["Hội", "Viên"], {"hội viên"})
    'True'
    >>> feature_value("istitle", ["Hội", "viên"], set())
    'False'
    """
    text = " ".join(tokens)
    if function is None:
        return text
    if function == "lower":
        return text.lower()
    if function == "isdigit":
        return str(is_i32(text))
    if function == "istitle":
        return str(is_title(text))
    return str(text.lower() in dictionary)


class _Sentinel:
    """A padding token before (BOS) or after (EOS) the sentence."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


BOS = _Sentinel("BOS")
EOS = _Sentinel("EOS")


class CompiledCRF:
    """underthesea's segmentation CRF: :meth:`tag` gives ``CRFTagger.tag`` of
    ``CRFFeaturizer.process`` for a list of syllables.

    ``tables[k]`` maps a value of template ``templates[k]`` to its weight per label (label
    id order), ``transitions[i][j]`` is the weight from label ``i`` to ``j``.

    >>> crf = CompiledCRF(["T[0]", "T[-1,0].lower"], {"x"}, ["B", "I"],
    ...                   [{"B": (0.0, 1.0)}, {"a b": (0.0, 2.0)}],
    ...                   [[0.0, 0.0], [0.0, 0.0]])
    >>> crf.tag(["A", "B", "c"])
    ['B', 'I', 'B']
    >>> crf.features(["A", "B"])
    [['T[0]=A', 'T[-1,0].lower=BOS'], ['T[0]=B', 'T[-1,0].lower=a b']]
    """

    def __init__(
        self,
        templates: Sequence[str],
        dictionary: set[str] | frozenset[str],
        labels: Sequence[str],
        tables: Sequence[dict[str, tuple[float, float]]],
        transitions: Sequence[Sequence[float]],
    ) -> None:
        if len(labels) != 2:
            raise ModelFormatError("only two-label models are compiled")
        if len(tables) != len(templates):
            raise ModelFormatError("one weight table per template")
        self.templates = list(templates)
        self.parsed = [parse_template(t) for t in self.templates]
        self.dictionary = dictionary
        self.labels = list(labels)
        self.tables = list(tables)
        self.t00, self.t01 = (float(x) for x in transitions[0])
        self.t10, self.t11 = (float(x) for x in transitions[1])
        self.pad = max(max(-a, b, 0) for a, b, _ in self.parsed)
        # Templates grouped by span length L = b - a + 1, then by start offset a: a window of
        # L tokens starting at j contributes to position j - a through the templates (a, L).
        by_len: dict[int, dict[int, list[tuple[str | None, dict[str, tuple[float, float]]]]]]
        by_len = {}
        for (a, b, fn), table in zip(self.parsed, self.tables, strict=True):
            by_len.setdefault(b - a + 1, {}).setdefault(a, []).append((fn, table))
        self.groups: list[_Group] = []
        for length in sorted(by_len):
            offsets = sorted(by_len[length])
            self.groups.append(_Group(length, offsets, [by_len[length][a] for a in offsets]))
        self._emit = _emitter([g.offsets for g in self.groups])
        self._title_spans = any(g.length > 1 and "istitle" in g.functions for g in self.groups)

    # -- the reference path: underthesea's strings and order of sums ---------------------

    def features(self, tokens: Sequence[str]) -> list[list[str]]:
        """``CRFFeaturizer.process([[[t] for t in tokens]])[0]``, in Python."""
        return [
            [t + "=" + v for t, v in zip(self.templates, values, strict=True)]
            for values in self._values(tokens)
        ]

    def _values(self, tokens: Sequence[str]) -> list[list[str]]:
        n = len(tokens)
        out = []
        for t in range(n):
            values = []
            for a, b, fn in self.parsed:
                if t + a < 0:
                    values.append("BOS")
                elif t + a >= n or t + b >= n:
                    values.append("EOS")
                else:
                    values.append(feature_value(fn, tokens[t + a : t + b + 1], self.dictionary))
            out.append(values)
        return out

    def tag_exact(self, tokens: Sequence[str]) -> list[str]:
        """Tags with underthesea_core's arithmetic: each position's scores start at 0.0 and
        add the weights of its feature strings in template order, then Viterbi."""
        emissions = []
        for values in self._values(tokens):
            s0 = 0.0
            s1 = 0.0
            for table, v in zip(self.tables, values, strict=True):
                w = table.get(v)
                if w is not None:
                    s0 += w[0]
                    s1 += w[1]
            emissions.append((s0, s1))
        return self._viterbi(emissions, guard=False) or []

    # -- the fast path ---------------------------------------------------------------

    def emissions(self, tokens: Sequence[str]) -> list[tuple[float, float]]:
        """Per position, the (B, I) sums of its features' weights, summed span by span."""
        toks = list(tokens)
        n = len(toks)
        titles = (
            [(c := t[:1]) == c.upper() if " " not in t else is_title(t) for t in toks]
            if self._title_spans
            else []
        )
        per_group = []
        for g in self.groups:
            # group g reads the windows of g.length tokens starting at s = t + a, for every
            # position t and offset a: BOS when s < 0, else EOS when the window passes the end
            first = g.offsets[0]
            total = n + g.offsets[-1] - first
            n_bos = min(-first, total) if first < 0 else 0
            lo = max(first, 0)
            n_inner = max(0, min(n + g.offsets[-1] - 1, n - g.length) - lo + 1)
            vals = [g.bos] * n_bos
            if n_inner:
                vals += g.inner(toks, titles, lo, n_inner, self.dictionary)
            vals += [g.eos] * (total - n_bos - n_inner)
            per_group.append(vals)
        return self._emit(per_group)

    def _viterbi(self, emissions: list[tuple[float, float]], guard: bool) -> list[str] | None:
        """underthesea_core's Viterbi for two labels (ties: the lower label id); with
        ``guard``, None when a decision is a near tie (see :data:`NEAR_TIE`)."""
        n = len(emissions)
        if n == 0:
            return []
        t00, t01, t10, t11 = self.t00, self.t01, self.t10, self.t11
        s0, s1 = emissions[0]
        back: list[tuple[int, int]] = []
        near = NEAR_TIE
        for k in range(1, n):
            e0, e1 = emissions[k]
            a = s0 + t00
            b = s1 + t10
            c = s0 + t01
            d = s1 + t11
            if guard and (-near < a - b < near or -near < c - d < near):
                return None
            if b > a:
                n0 = b + e0
                p0 = 1
            else:
                n0 = a + e0
                p0 = 0
            if d > c:
                n1 = d + e1
                p1 = 1
            else:
                n1 = c + e1
                p1 = 0
            back.append((p0, p1))
            s0 = n0
            s1 = n1
        if guard and -near < s1 - s0 < near:
            return None
        y = 1 if s1 > s0 else 0
        path = [y]
        for p in reversed(back):
            y = p[y]
            path.append(y)
        path.reverse()
        labels = self.labels
        return [labels[y] for y in path]

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """The labels underthesea_core's tagger gives ``tokens`` (one string each)."""
        if not tokens:
            return []
        tags = self._viterbi(self.emissions(tokens), guard=True)
        if tags is None:
            return self.tag_exact(tokens)
        return tags


class _Group:
    """The templates over spans of ``length`` tokens, by start offset. A span's summed
    (B, I) weights per offset (flattened: ``2k``, ``2k+1`` for offset ``offsets[k]``) are the
    plain and lower-case value tables' entries (merged over offsets, most spans have none)
    plus the entry of its three flags (``isdigit``, ``istitle``, ``is_in_dict``). Spans of
    one token are cached (emptied past :data:`CACHE_LIMIT`)."""

    def __init__(
        self,
        length: int,
        offsets: list[int],
        per_offset: list[list[tuple[str | None, dict[str, tuple[float, float]]]]],
    ) -> None:
        self.length = length
        self.offsets = offsets
        self.per_offset = per_offset
        self.functions = {fn for templates in per_offset for fn, _ in templates}
        width = 2 * len(offsets)
        merged: dict[str | None, dict[str, list[float]]] = {None: {}, "lower": {}}
        for k, templates in enumerate(per_offset):
            for fn, table in templates:
                if fn in merged:
                    target = merged[fn]
                    for value, (w0, w1) in table.items():
                        row = target.get(value)
                        if row is None:
                            row = target[value] = [0.0] * width
                        row[2 * k] += w0
                        row[2 * k + 1] += w1
        self.plain = {v: tuple(r) for v, r in merged[None].items()}
        self.lower = {v: tuple(r) for v, r in merged["lower"].items()}
        self.flags = {
            (d, t, i): self._sum({"isdigit": str(d), "istitle": str(t), "is_in_dict": str(i)})
            for d in (True, False)
            for t in (True, False)
            for i in (True, False)
        }
        self.bos = self._sum({}, every="BOS")
        self.eos = self._sum({}, every="EOS")
        self.cache: dict[Any, tuple[float, ...]] = {}

    def _sum(self, value: dict[str, str], every: str = "") -> tuple[float, ...]:
        """Per offset, the summed weights of the flag templates' values ``value[fn]``; with
        ``every``, of every template's value ``every`` (``BOS``, ``EOS``)."""
        out: list[float] = []
        for templates in self.per_offset:
            s0 = 0.0
            s1 = 0.0
            for fn, table in templates:
                if every or fn not in (None, "lower"):
                    w = table.get(every or value[fn or ""])
                    if w is not None:
                        s0 += w[0]
                        s1 += w[1]
            out.append(s0)
            out.append(s1)
        return tuple(out)

    def inner(
        self,
        toks: list[str],
        titles: list[bool],
        lo: int,
        count: int,
        dictionary: set[str] | frozenset[str],
    ) -> list[tuple[float, ...]]:
        """The sums per offset of the ``count`` windows starting at ``toks[lo]``, all inside
        the sentence; ``titles`` holds each token's ``istitle`` (needed when spans do)."""
        length = self.length
        if length == 1:
            keys = toks[lo : lo + count]
            cache = self.cache
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            get = cache.get
            vals: list[Any] = [get(k) for k in keys]
            if None in vals:
                for i, v in enumerate(vals):
                    if v is None:
                        k = keys[i]
                        v = cache.get(k)
                        if v is None:
                            v = cache[k] = self.compute(k, is_title(k), dictionary)
                        vals[i] = v
            return vals
        spans = zip(*(toks[lo + i : lo + i + count] for i in range(length)), strict=True)
        if "istitle" in self.functions:
            flags = [
                all(w)
                for w in zip(*(titles[lo + i : lo + i + count] for i in range(length)), strict=True)
            ]
        else:
            flags = [False] * count
        plain_get = self.plain.get
        lower_get = self.lower.get
        table = self.flags
        use_digit = "isdigit" in self.functions
        use_dict = "is_in_dict" in self.functions
        out: list[tuple[float, ...]] = []
        append = out.append
        for w, title in zip(spans, flags, strict=True):
            text = " ".join(w)
            lower = text.lower()
            f = table[use_digit and is_i32(text), title, use_dict and lower in dictionary]
            p = plain_get(text)
            q = lower_get(lower)
            if p is None:
                append(f if q is None else tuple(map(_add, f, q)))
            elif q is None:
                append(tuple(map(_add, f, p)))
            else:
                append(tuple(map(_add3, f, p, q)))
        return out

    def compute(
        self, text: str, title: bool, dictionary: set[str] | frozenset[str]
    ) -> tuple[float, ...]:
        """The (B, I) sums per offset for one window, ``text`` its tokens joined by spaces,
        ``title`` its ``istitle``."""
        lower = text.lower()
        fns = self.functions
        f = self.flags[
            "isdigit" in fns and is_i32(text),
            title,
            "is_in_dict" in fns and lower in dictionary,
        ]
        p = self.plain.get(text)
        q = self.lower.get(lower)
        if p is None and q is None:
            return f
        if p is None:
            return tuple(map(_add, f, q))  # type: ignore[arg-type]
        if q is None:
            return tuple(map(_add, f, p))
        return tuple(map(_add3, f, p, q))


def _add(a: float, b: float) -> float:
    return a + b


def _add3(a: float, b: float, c: float) -> float:
    return a + b + c


def _emitter(
    offsets: list[list[int]],
) -> Callable[[list[list[Any]]], list[tuple[float, float]]]:
    """A function summing, per position, the cached span sums of every group and offset.

    Generated once per model, so that the sum is one list comprehension over shifted
    lists: position ``t`` takes entry ``k`` (pair ``2k``, ``2k+1``) of group ``g``'s span
    value at index ``t + offsets[g][k] - offsets[g][0]``. Only integers come from the
    model's templates into the source.

    >>> emit = _emitter([[-1, 0], [0]])
    >>> emit([[(1.0, 2.0, 0.0, 0.0), (0.0, 0.0, 10.0, 20.0)], [(100.0, 200.0)]])
    [(111.0, 222.0)]
    """
    names = []
    iters = []
    terms0 = []
    terms1 = []
    for g, offs in enumerate(offsets):
        for k, a in enumerate(offs):
            name = f"v{g}_{k}"
            names.append(name)
            iters.append(f"V[{g}][{int(a) - int(offs[0])}:]")
            terms0.append(f"{name}[{2 * k}]")
            terms1.append(f"{name}[{2 * k + 1}]")
    source = (
        "def emit(V):\n"
        f"    return [({' + '.join(terms0)}, {' + '.join(terms1)})\n"
        f"            for ({', '.join(names)},) in zip({', '.join(iters)})]\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<pipeline.nlp.crf emit>", "exec"), namespace)
    emit: Callable[[list[list[Any]]], list[tuple[float, float]]] = namespace["emit"]
    return emit


def compile_model(
    model_path: str | Path, templates: Sequence[str], dictionary: set[str] | frozenset[str]
) -> CompiledCRF:
    """A :class:`CompiledCRF` from a CRFsuite model file, the featurizer's templates and
    dictionary (``features.bin``, ``dictionary.bin`` beside underthesea's ``models.bin``)."""
    labels, attrs, features = read_crfsuite(Path(model_path).read_bytes())
    if len(labels) != 2:
        raise ModelFormatError("only two-label models are compiled")
    index = {t: k for k, t in enumerate(templates)}
    kind = features["type"]
    src = features["src"].astype(np.int64)
    dst = features["dst"].astype(np.int64)
    weight = features["weight"]
    if kind.max(initial=0) > 1 or dst.max(initial=0) >= 2:
        raise ModelFormatError("unexpected feature type or label id")
    state = kind == 0
    if src[state].max(initial=0) >= len(attrs) or src[~state].max(initial=0) >= 2:
        raise ModelFormatError("attribute or label id out of range")
    # underthesea_core keeps a state weight only when |w| > 1e-10 (set_state_weight)
    w = np.where(np.abs(weight) > 1e-10, weight, 0.0)
    rows = np.zeros((len(attrs), 2))
    rows[src[state], dst[state]] = w[state]
    transitions = np.zeros((2, 2))
    transitions[src[~state], dst[~state]] = weight[~state]
    tables: list[dict[str, tuple[float, float]]] = [{} for _ in templates]
    for attr, (w0, w1) in zip(attrs, rows.tolist(), strict=True):
        template, sep, value = attr.partition("=")
        k = index.get(template)
        if k is not None and sep:
            tables[k][value] = (w0, w1)
    return CompiledCRF(templates, dictionary, labels, tables, transitions.tolist())


def tag_all(crf: CompiledCRF, sentences: Iterable[Sequence[str]]) -> list[list[str]]:
    """:meth:`CompiledCRF.tag` of each sentence.

    >>> crf = CompiledCRF(["T[0]"], set(), ["B", "I"], [{}], [[0.0, 0.0], [0.0, 0.0]])
    >>> tag_all(crf, [["a"], []])
    [['B'], []]
    """
    return [crf.tag(s) for s in sentences]
