"""The spaCy adapter of the campaign tagger (factory ``vn_campaigns``, registered in
:mod:`pipeline.nlp.registry`).

It writes ``doc.user_data["campaign_tags"]`` (one :class:`~pipeline.types.CampaignTag`
per campaign: its first explicit mention, else its implicit tag; storage keys rows by
article and campaign), ``doc.user_data["campaign_paragraph_tags"]`` (one per campaign and
paragraph it is named in, then implicit tags), ``doc.spans["campaigns"]`` (that explicit
evidence, label = campaign id) and ``doc.cats`` (campaign id -> best score).
The Article comes from ``doc.user_data["article"]`` (see ``pipeline.nlp.language.analyse``);
offsets refer to ``doc.text``, which is ``Article.text`` (normalised: the matcher skips its
tone pass then). The classifier reads the Doc's tokens; it does not tokenize again.
"""

from __future__ import annotations

import logging
from typing import Any

from spacy.tokens import Doc

from pipeline.campaigns.model import doc_spans, load_model
from pipeline.campaigns.tagger import CampaignTagger, article_tags

log = logging.getLogger(__name__)


def _doc_length(doc: Doc) -> int:
    """``len(doc.text)``, without building ``doc.text`` (a join over every token)."""
    if not len(doc):
        return 0
    last = doc[-1]
    return int(last.idx) + len(last.text_with_ws)


class CampaignsComponent:
    """Tags campaigns; ``model_path`` None (or unloadable) means explicit matching only.

    >>> import spacy
    >>> nlp = spacy.blank("xx")
    >>> comp = CampaignsComponent(nlp)
    >>> doc = comp(nlp.make_doc("Tổ chức Tháng Công nhân năm 2013"))
    >>> [(s.text, s.label_) for s in doc.spans["campaigns"]], doc.cats
    ([('Tháng Công nhân', 'thang_cong_nhan')], {'thang_cong_nhan': 1.0})
    >>> comp.version.startswith("taxonomy-")
    True
    """

    def __init__(self, nlp: Any, name: str = "vn_campaigns", model_path: str | None = None):
        self.name = name
        model = load_model(model_path) if model_path else None
        if model is None:
            log.info("campaign tagging: explicit matcher only (no classifier loaded)")
        self.tagger = CampaignTagger(model=model)
        self.version: str = self.tagger.version

    def __call__(self, doc: Doc) -> Doc:
        article = doc.user_data.get("article")
        article_id = getattr(article, "id", None) or doc.user_data.get("article_id") or ""
        text = getattr(article, "text", None)
        normalized = isinstance(text, str) and len(text) == _doc_length(doc)
        if not normalized:  # no Article behind the Doc: its text (which is slow to build)
            text = doc.text
        words = doc_spans(doc) if self.tagger.model is not None else None
        tags = self.tagger.tag(article_id, str(text), words, normalized=normalized)
        doc.user_data["campaign_tags"] = article_tags(tags)
        doc.user_data["campaign_paragraph_tags"] = tags
        spans = []
        for t in tags:
            if t.mode == "explicit" and t.start is not None and t.end is not None:
                span = doc.char_span(t.start, t.end, label=t.campaign_id, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.spans["campaigns"] = spans
        cats: dict[str, float] = {}
        for t in tags:
            cats[t.campaign_id] = max(cats.get(t.campaign_id, 0.0), t.score)
        doc.cats = cats
        return doc
