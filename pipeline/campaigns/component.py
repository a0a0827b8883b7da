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

import bisect
import logging
from typing import Any

from spacy.tokens import Doc, Span

from pipeline.campaigns.model import load_model
from pipeline.campaigns.tagger import CampaignTagger, article_tags

log = logging.getLogger(__name__)


def _doc_length(doc: Doc) -> int:
    """``len(doc.text)``, without building ``doc.text`` (a join over every token)."""
    if not len(doc):
        return 0
    last = doc[-1]
    return int(last.idx) + len(last.text_with_ws)


def _token_starts(doc: Doc) -> list[int]:
    return [int(x) for x in doc.to_array("IDX").tolist()] if len(doc) else []


def _char_span(
    doc: Doc, starts: list[int], length: int, start: int, end: int, label: str
) -> Span | None:
    """``doc.char_span(start, end, label=label, alignment_mode="expand")`` without what
    makes that slow (it builds ``doc.text`` to check the bounds): the tokens from the one
    holding ``start`` to the one holding ``end - 1``.

    >>> import spacy
    >>> doc = spacy.blank("xx").make_doc("Tháng Công nhân năm 2013")
    >>> starts = [t.idx for t in doc]
    >>> _char_span(doc, starts, 24, 7, 15, "c").text, doc.char_span(7, 15, alignment_mode="expand").text
    ('Công nhân', 'Công nhân')
    """
    if not 0 <= start < end <= length or not starts:
        return doc.char_span(start, end, label=label, alignment_mode="expand")
    i = bisect.bisect_right(starts, start) - 1
    j = bisect.bisect_right(starts, end - 1)
    return Span(doc, max(i, 0), j, label=label)


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
        tags = self.tagger.tag(article_id, str(text), normalized=normalized, doc=doc)
        doc.user_data["campaign_tags"] = article_tags(tags)
        doc.user_data["campaign_paragraph_tags"] = tags
        spans = []
        starts: list[int] | None = None
        length = len(str(text))
        for t in tags:
            if t.mode == "explicit" and t.start is not None and t.end is not None:
                if starts is None:
                    starts = _token_starts(doc)
                span = _char_span(doc, starts, length, t.start, t.end, t.campaign_id)
                if span is not None:
                    spans.append(span)
        doc.spans["campaigns"] = spans
        cats: dict[str, float] = {}
        for t in tags:
            cats[t.campaign_id] = max(cats.get(t.campaign_id, 0.0), t.score)
        doc.cats = cats
        return doc
