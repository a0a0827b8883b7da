"""The implicit campaign classifier: loading, scoring, and making sure one exists.

A saved model is a skops file (never pickle) holding a dict: the fitted feature union
(TF-IDF over underthesea words and over character n-grams), one calibrated linear model
per campaign that had enough training articles, the per-campaign thresholds and an id.
:func:`load_model` returns None with a clear logged message for a model that is missing,
corrupt or from another version; the explicit matcher runs on regardless.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the saved layout changes
DEFAULT_MODEL_PATH = Path("outputs") / "models" / "campaigns.skops"
MAX_CHARS = 4000  # classifier input: the start of the article (title, lead, body)
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.", "collections.")


def shared_dir() -> Path:
    """Where ../shared is: ``$PIPELINE_SHARED`` or the folder beside the repository."""
    env = os.environ.get("PIPELINE_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared"


def prepare(text: str) -> str:
    """The classifier's view of a text: underthesea words joined by spaces, a word's
    syllables joined by ``_``, lower case.

    >>> prepare("Đoàn viên thanh niên tình nguyện")
    'đoàn_viên thanh_niên tình_nguyện'
    """
    from underthesea import word_tokenize

    words = word_tokenize(text[:MAX_CHARS], use_token_normalize=False)
    return " ".join(w.replace(" ", "_") for w in words).lower()


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank the named mentions, so the classifier learns context rather than names.

    >>> mask("Chiến dịch Mùa hè xanh ở xã", [(11, 22)])
    'Chiến dịch             ở xã'
    """
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


@dataclass
class CampaignModel:
    """A loaded classifier. ``scores`` gives a probability per modelled campaign."""

    features: Any  # fitted sklearn FeatureUnion over prepared text
    classifiers: dict[str, Any]  # campaign id -> fitted CalibratedClassifierCV
    thresholds: dict[str, float]
    model_id: str

    @property
    def campaign_ids(self) -> list[str]:
        return sorted(self.classifiers)

    def scores_prepared(self, prepared: list[str]) -> list[dict[str, float]]:
        """Probabilities per campaign for texts already passed through :func:`prepare`."""
        x = self.features.transform(prepared)
        out: list[dict[str, float]] = [{} for _ in prepared]
        for cid, clf in self.classifiers.items():
            for row, p in zip(out, clf.predict_proba(x)[:, 1], strict=True):
                row[cid] = float(p)
        return out

    def scores(self, text: str) -> dict[str, float]:
        return self.scores_prepared([prepare(text)])[0]

    def implicit(self, text: str) -> list[tuple[str, float]]:
        """Campaigns whose probability reaches their threshold, best first."""
        hits = [(c, p) for c, p in self.scores(text).items() if p >= self.thresholds[c]]
        return sorted(hits, key=lambda x: -x[1])

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
    """Write ``model`` with skops."""
    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    sio.dump(model.to_dict(), tmp)
    tmp.replace(path)
    return path


def load_model(path: str | Path | None) -> CampaignModel | None:
    """The model at ``path``, or None (logged) when it is missing, corrupt or foreign.

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
    try:
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
