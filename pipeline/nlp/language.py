"""The spaCy pipeline: underthesea tokenizer plus the project's components.

``make_nlp`` builds it; ``analyse`` runs it on one :class:`Article`;
``result_from_doc`` turns the annotated Doc into the plain dataclasses that storage takes
(storage never sees spaCy).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence

import spacy
import underthesea
from spacy.language import Language
from spacy.tokens import Doc

import pipeline.nlp.registry  # noqa: F401  (registers the factories)
from pipeline import __version__
from pipeline.nlp.sentences import split_sentences
from pipeline.nlp.tokenizer import TOKENIZER_VERSION, UnderTheSeaTokenizer
from pipeline.types import Article, ArticleResult, CampaignTag, Claim, Sentence

log = logging.getLogger(__name__)

# stage name -> (spaCy factory, module that must exist for it)
STAGES: dict[str, tuple[str, str]] = {
    "claims": ("vn_claims", "pipeline.claims.component"),
    "campaigns": ("vn_campaigns", "pipeline.campaigns.component"),
}
DEFAULT_STAGES = ("claims", "campaigns")


def available_stages(wanted: Sequence[str] = DEFAULT_STAGES) -> list[str]:
    """The stages among ``wanted`` whose code is installed."""
    out = []
    for name in wanted:
        if name not in STAGES:
            raise ValueError(f"unknown stage {name!r}; known: {', '.join(STAGES)}")
        if importlib.util.find_spec(STAGES[name][1]) is not None:
            out.append(name)
    return out


def make_nlp(
    stages: Sequence[str] = DEFAULT_STAGES, *, campaign_model: str | None = None
) -> Language:
    """A blank multi-language pipeline with the underthesea tokenizer and the stages asked
    for (those that are installed)."""
    nlp = spacy.blank("xx")
    nlp.tokenizer = UnderTheSeaTokenizer(nlp.vocab)
    for name in available_stages(stages):
        factory = STAGES[name][0]
        config = {"model_path": campaign_model} if name == "campaigns" else {}
        nlp.add_pipe(factory, name=factory, config=config)
    return nlp


def stage_versions(nlp: Language) -> dict[str, str]:
    """Versions of everything that shapes the output; part of every article's fingerprint."""
    versions = {
        "pipeline": __version__,
        "tokenizer": TOKENIZER_VERSION,
        "underthesea": underthesea.__version__,
    }
    for name, proc in nlp.pipeline:
        versions[name] = str(getattr(proc, "version", "0"))
    return versions


def analyse(nlp: Language, article: Article) -> Doc:
    """Tokenize ``article.text`` and run every component, with the Article at hand in
    ``doc.user_data["article"]``."""
    doc = nlp.make_doc(article.text)
    doc.user_data["article"] = article
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def sentences_of(doc: Doc, article_id: str) -> list[Sentence]:
    cached = doc.user_data.get("sentences")
    if cached is None:
        cached = split_sentences(article_id, doc.text)
    return [Sentence(article_id, s.index, s.paragraph, s.start, s.end, s.text) for s in cached]


def result_from_doc(article: Article, doc: Doc, nlp: Language) -> ArticleResult:
    claims: list[Claim] = list(doc.user_data.get("claims") or [])
    tags: list[CampaignTag] = list(doc.user_data.get("campaign_tags") or [])
    return ArticleResult(
        article=article,
        sentences=tuple(sentences_of(doc, article.id)),
        claims=tuple(claims),
        tags=tuple(tags),
        stages=tuple(name for name, _ in nlp.pipeline),
    )
