"""Every spaCy registration of the project, in one place.

The factories are also exposed as ``spacy_factories`` entry points (pyproject.toml), so
``spacy.load`` of a saved pipeline works in a notebook without import tricks. The component
classes are imported only when a factory is called.
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.language import Language

from pipeline.nlp.tokenizer import UnderTheSeaTokenizer


@spacy.registry.tokenizers("vn_news.underthesea_tokenizer.v1")
def create_tokenizer() -> Any:
    def make(nlp: Language) -> UnderTheSeaTokenizer:
        return UnderTheSeaTokenizer(nlp.vocab)

    return make


@Language.factory("vn_claims")
def make_claims_component(nlp: Language, name: str) -> Any:
    from pipeline.claims.component import ClaimsComponent

    return ClaimsComponent(nlp, name)


@Language.factory("vn_campaigns", default_config={"model_path": None})
def make_campaigns_component(nlp: Language, name: str, model_path: str | None) -> Any:
    from pipeline.campaigns.component import CampaignsComponent

    return CampaignsComponent(nlp, name, model_path=model_path)
