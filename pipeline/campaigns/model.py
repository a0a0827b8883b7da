"""The implicit campaign classifier: preparing texts, loading, and making sure one exists.

A trained model is a skops file (never pickle) holding a dict: the fitted feature union
(TF-IDF over underthesea words and over character n-grams), one calibrated linear model
per campaign that had enough training articles, the per-campaign thresholds and an id.
Beside it lives its compiled form (:mod:`pipeline.campaigns.compiled`: ``.npz`` + ``.json``,
tied to the skops file by its sha1), which is what :func:`load_model` returns: scoring
needs neither scikit-learn nor skops. :func:`load_model` compiles (and writes) the compiled
form when it is missing or stale, and returns None with a clear logged message for a model
that is missing, corrupt or from another version; the explicit matcher runs on regardless.

Training and tagging see a text the same way: the words of the pipeline's tokenizer
(:class:`pipeline.nlp.tokenizer.UnderTheSeaTokenizer`, whose spans a spaCy Doc already
holds), the words overlapping a named mention left out (:func:`prepare_spans`).
"""

from __future__ import annotations

import bisect
import itertools
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from pipeline.campaigns.compiled import CompiledModel

log = logging.getLogger(__name__)

FORMAT = 2  # bump when the saved layout or the text preparation changes
DEFAULT_MODEL_PATH = Path("outputs") / "models" / "campaigns.skops"
MAX_CHARS = 4000  # classifier input: the words that start in the first MAX_CHARS characters
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.", "collections.")


def shared_dir() -> Path:
    """Where ../shared is: ``$PIPELINE_SHARED`` or the folder beside the repository."""
    env = os.environ.get("PIPELINE_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared"


def prepare_spans(
    text: str,
    spans: Sequence[tuple[int, int]],
    masked: Sequence[tuple[int, int]] = (),
) -> str:
    """The classifier's view of a text from its word spans: the words starting in the
    first ``MAX_CHARS`` characters and overlapping no ``masked`` span (the named mentions,
    so the classifier learns context rather than names), a word's syllables joined by
    ``_``, lower case, words joined by spaces. White-space spans are skipped.

    >>> t = "Đoàn viên ra quân Mùa hè xanh"
    >>> prepare_spans(t, [(0, 9), (9, 10), (10, 17), (18, 21), (22, 29)], [(18, 29)])
    'đoàn_viên ra_quân'
    """
    n = len(spans)
    if n and spans[-1][0] >= MAX_CHARS:  # the words that start in the first MAX_CHARS
        n = bisect.bisect_left(spans, (MAX_CHARS, -1))
    keep = list(spans[:n])
    if masked:
        starts = [s for s, _ in keep]
        ends = [e for _, e in keep]
        drop: set[int] = set()
        for ms, me in masked:  # the words overlapping the span: a run of them
            drop.update(range(bisect.bisect_right(ends, ms), bisect.bisect_left(starts, me)))
        if drop:
            keep = [sp for i, sp in enumerate(keep) if i not in drop]
    return _join_pieces([p for p in (text[s:e] for s, e in keep) if not p.isspace()])


def prepare_doc(text: str, doc: Any, masked: Sequence[tuple[int, int]] = ()) -> str:
    """:func:`prepare_spans` over the words of a spaCy Doc of ``text`` (the pipeline
    tokenizer's), read off the Doc as arrays: what the component runs.

    >>> import spacy
    >>> t = "Đoàn viên ra quân Mùa hè xanh"
    >>> doc = spacy.blank("xx").make_doc(t)
    >>> prepare_doc(t, doc, [(18, 29)]) == prepare_spans(t, doc_spans(doc), [(18, 29)])
    True
    """
    if not len(doc):
        return ""
    arr = doc.to_array(["IDX", "LENGTH"])
    starts = arr[:, 0]
    n = int(np.searchsorted(starts, MAX_CHARS))  # the words that start in the first MAX_CHARS
    starts = starts[:n]
    ends = starts + arr[:n, 1]
    if masked:  # the words overlapping a named mention are left out
        keep = np.ones(n, dtype=bool)
        for ms, me in masked:
            keep &= (ends <= ms) | (starts >= me)
        starts, ends = starts[keep], ends[keep]
    pieces = map(text.__getitem__, map(slice, starts.tolist(), ends.tolist()))
    return _join_pieces(list(itertools.filterfalse(str.isspace, pieces)))  # no white space


def _join_pieces(pieces: list[str]) -> str:
    """The words joined by spaces, the white space inside a word as ``_``, lower case."""
    joined = "\x00".join(pieces)
    if len("\x00".join(map(str.strip, pieces))) != len(joined):
        # a word with white space at its edge: one at a time
        return " ".join("_".join(p.split()) for p in pieces).lower()
    # white space is inside words only: it becomes "_", the separators spaces
    return "_".join(joined.split()).replace("\x00", " ").lower()


_TOKENIZER: list[Any] = []


def word_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the pipeline tokenizer's words in ``text`` (what a Doc of it holds).

    >>> word_spans("Đoàn viên thanh niên.")
    [(0, 9), (10, 20), (20, 21)]
    """
    if not _TOKENIZER:
        from spacy.vocab import Vocab

        from pipeline.nlp.tokenizer import UnderTheSeaTokenizer

        _TOKENIZER.append(UnderTheSeaTokenizer(Vocab()))
    return [(s, e) for s, e in doc_spans(_TOKENIZER[0](text)) if not text[s:e].isspace()]


def doc_spans(doc: Any) -> list[tuple[int, int]]:
    """The word spans of a spaCy Doc made by the pipeline tokenizer (white space included;
    :func:`prepare_spans` skips it)."""
    if not len(doc):
        return []
    arr = doc.to_array(["IDX", "LENGTH"])
    starts = arr[:, 0]
    return list(zip(starts.tolist(), (starts + arr[:, 1]).tolist(), strict=True))


def prepare(text: str, masked: Sequence[tuple[int, int]] = ()) -> str:
    """The classifier's view of a text: :func:`prepare_spans` over :func:`word_spans`.

    >>> prepare("Đoàn viên thanh niên tình nguyện")
    'đoàn_viên thanh_niên tình_nguyện'
    """
    return prepare_spans(text, word_spans(text), masked)


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank the named mentions (for showing what the classifier does not see).

    >>> mask("Chiến dịch Mùa hè xanh ở xã", [(11, 22)])
    'Chiến dịch             ở xã'
    """
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


@dataclass
class CampaignModel:
    """A fitted scikit-learn classifier (training; the skops file). ``scores_prepared``
    gives a probability per modelled campaign; :meth:`compile` makes what the pipeline
    runs."""

    features: Any  # fitted sklearn FeatureUnion over prepared text
    classifiers: dict[str, Any]  # campaign id -> fitted CalibratedClassifierCV
    thresholds: dict[str, float]
    model_id: str

    @property
    def campaign_ids(self) -> list[str]:
        return sorted(self.classifiers)

    def scores_prepared(self, prepared: list[str]) -> list[dict[str, float]]:
        """Probabilities per campaign for texts already passed through :func:`prepare`:
        one transform and one ``predict_proba`` per campaign for all the texts."""
        x = self.features.transform(prepared)
        out: list[dict[str, float]] = [{} for _ in prepared]
        for cid, clf in self.classifiers.items():
            for row, p in zip(out, clf.predict_proba(x)[:, 1], strict=True):
                row[cid] = float(p)
        return out

    def implicit_prepared(self, prepared: str) -> list[tuple[str, float]]:
        """Campaigns whose probability reaches their threshold, best first."""
        scores = self.scores_prepared([prepared])[0]
        hits = [(c, p) for c, p in scores.items() if p >= self.thresholds[c]]
        return sorted(hits, key=lambda x: -x[1])

    def compile(self) -> CompiledModel:
        """The same classifier as plain numpy arrays (:mod:`pipeline.campaigns.compiled`)."""
        from pipeline.campaigns.compiled import compile_model

        return compile_model(self.features, self.classifiers, self.thresholds, self.model_id)

    def to_dict(self) -> dict[str, Any]:
        """What is saved. Vocabularies go as arrays (skops writes a big dict slowly)."""
        import copy

        import numpy as np
        import sklearn

        features = copy.deepcopy(self.features)
        vocabularies = {}
        for name, vec in features.transformer_list:
            vocab = vec.vocabulary_
            terms = sorted(vocab, key=vocab.__getitem__)
            vocabularies[name] = np.array(terms, dtype=str)
            del vec.vocabulary_
        return {
            "format": FORMAT,
            "sklearn": sklearn.__version__,
            "model_id": self.model_id,
            "features": features,
            "vocabularies": vocabularies,
            "classifiers": self.classifiers,
            "thresholds": self.thresholds,
        }


def save_model(model: CampaignModel, path: str | Path) -> Path:
    """Write ``model`` with skops, and its compiled form beside it."""
    import skops.io as sio

    from pipeline.campaigns.compiled import file_sha1

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    sio.dump(model.to_dict(), tmp)
    tmp.replace(path)
    model.compile().save(path, file_sha1(path))
    return path


def load_sklearn_model(path: str | Path) -> CampaignModel:
    """The scikit-learn model of a skops file; raises ValueError (or skops' own errors)
    for a file that is not a campaign model of this format and scikit-learn version."""
    import sklearn
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    foreign = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
    if foreign:
        raise ValueError(f"unexpected types in the file: {', '.join(foreign[:5])}")
    data = sio.load(path, trusted=untrusted)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a campaign model of format {FORMAT}")
    if data.get("sklearn") != sklearn.__version__:
        raise ValueError(
            f"saved with scikit-learn {data.get('sklearn')}, this is {sklearn.__version__}"
        )
    features = data["features"]
    for name, vec in features.transformer_list:
        vec.vocabulary_ = {str(t): i for i, t in enumerate(data["vocabularies"][name])}
    return CampaignModel(
        features=features,
        classifiers=dict(data["classifiers"]),
        thresholds={k: float(v) for k, v in data["thresholds"].items()},
        model_id=str(data["model_id"]),
    )


def load_model(path: str | Path | None) -> CompiledModel | None:
    """The compiled model of the skops file at ``path``, or None (logged) when the file
    is missing, corrupt or foreign. The compiled form beside it is used when it was made
    from this very file (sha1); else it is compiled from the skops file (which imports
    scikit-learn once) and written beside it when the folder is writable.

    >>> load_model("/nonexistent/campaigns.skops") is None
    True
    """
    if path is None:
        return None
    path = Path(path)
    if not path.exists():
        log.warning(
            "no campaign model at %s: explicit matching only "
            "(train one with `pipeline train campaigns`)",
            path,
        )
        return None
    from pipeline.campaigns.compiled import file_sha1, load_compiled

    try:
        sha1 = file_sha1(path)
        try:
            return load_compiled(path, sha1).warm()
        except (OSError, ValueError, KeyError) as exc:
            log.info("compiling the campaign model %s (%s)", path, exc)
        compiled = load_sklearn_model(path).compile()
        try:
            compiled.save(path, sha1)
        except OSError as exc:
            log.warning("cannot write the compiled campaign model beside %s: %s", path, exc)
        return compiled.warm()
    except Exception as exc:  # any failure to load means: run without it, and say why
        log.error(
            "cannot load the campaign model %s (%s: %s): explicit matching only; "
            "retrain with `pipeline train campaigns`",
            path,
            type(exc).__name__,
            exc,
        )
        return None


def ensure_model(path: str | Path = DEFAULT_MODEL_PATH) -> Path | None:
    """A loadable model at ``path``: the one there, or a new one trained from ../shared.

    Returns None, with a logged message, when there is none and ../shared is absent.
    """
    path = Path(path)
    if path.exists() and load_model(path) is not None:
        return path
    shared = shared_dir()
    if not (shared / "corpora" / "real" / "target.jsonl").exists():
        log.warning(
            "no campaign model and no training data (%s is absent): "
            "campaign tagging uses the explicit matcher only",
            shared,
        )
        return None
    from pipeline.campaigns.training import train_and_save

    log.info("training the campaign model into %s", path)
    train_and_save(shared, path)
    return path
