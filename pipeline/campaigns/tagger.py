"""The campaign tagger: explicit mentions first, then (optionally) the implicit classifier.

>>> tagger = CampaignTagger()
>>> text = "Tiêu đề\\n\\nĐoàn viên tham gia chiến dịch Mùa hè xanh năm 2019."
>>> [(t.campaign_id, t.mode, t.evidence, t.paragraph) for t in tagger.tag("a1", text)]
[('thanh_nien_tinh_nguyen', 'explicit', 'Mùa hè xanh', 1)]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pipeline.campaigns.matcher import Matcher
from pipeline.campaigns.model import prepare_doc, prepare_spans, word_spans
from pipeline.campaigns.taxonomy import Taxonomy, load_taxonomy
from pipeline.types import CampaignTag

if TYPE_CHECKING:
    from pipeline.campaigns.compiled import CompiledModel
    from pipeline.campaigns.model import CampaignModel

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\u00a0]*\n")
SCORES = {"name": 1.0, "key_phrase": 0.95, "shortened": 0.9}


def paragraph_starts(text: str) -> list[int]:
    """Offsets where paragraphs start; paragraphs are separated by blank lines.

    >>> paragraph_starts("Title\\n\\nFirst.\\nStill first.\\n\\nSecond.")
    [0, 7, 28]
    """
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]


class CampaignTagger:
    """Tags an article's text with campaigns.

    ``model`` is an optional classifier (the :class:`~pipeline.campaigns.compiled.CompiledModel`
    that :func:`~pipeline.campaigns.model.load_model` returns, or a fitted
    :class:`~pipeline.campaigns.model.CampaignModel`); without it only explicit tags are
    produced.
    """

    def __init__(
        self,
        taxonomy: Taxonomy | None = None,
        model: CompiledModel | CampaignModel | None = None,
    ) -> None:
        self.taxonomy = taxonomy or load_taxonomy()
        self.matcher = Matcher(self.taxonomy)
        self.model = model

    @property
    def version(self) -> str:
        """Taxonomy hash plus model id: a new taxonomy or model means re-tagging."""
        model_id = self.model.model_id if self.model is not None else "explicit-only"
        return f"taxonomy-{self.taxonomy.version}+{model_id}"

    def tag(
        self,
        article_id: str,
        text: str,
        words: Sequence[tuple[int, int]] | None = None,
        normalized: bool = False,
        doc: Any = None,
    ) -> list[CampaignTag]:
        """One explicit tag per (campaign, paragraph) it is named in, then implicit tags.

        Implicit tags (no evidence span, ``paragraph`` None) come only from the model, only
        above its per-campaign threshold, and only for campaigns with no explicit tag.
        ``words`` are the spans of the pipeline tokenizer's words in ``text`` (a Doc's
        tokens); without them the text is tokenized here when the model needs it. ``doc``:
        a spaCy Doc of ``text`` made by the pipeline tokenizer, whose words are read off
        it as arrays (what the component passes, instead of ``words``).
        ``normalized``: ``text`` is normalised (``Article.text``, see
        :func:`pipeline.text.normalize.normalize`), which spares the matcher a pass.
        """
        tags: list[CampaignTag] = []
        seen: set[tuple[str, int]] = set()
        mentions = self.matcher.find(text, normalized=normalized)
        starts = paragraph_starts(text) if mentions else []
        for m in mentions:
            para = bisect.bisect_right(starts, m.start) - 1
            if (m.campaign_id, para) in seen:
                continue
            seen.add((m.campaign_id, para))
            tags.append(
                CampaignTag(
                    article_id=article_id,
                    campaign_id=m.campaign_id,
                    mode="explicit",
                    score=SCORES[m.kind],
                    evidence=m.evidence,
                    start=m.start,
                    end=m.end,
                    paragraph=para,
                )
            )
        if self.model is not None:
            explicit = {t.campaign_id for t in tags}
            masked = [(m.start, m.end) for m in mentions]
            if doc is not None and words is None:
                prepared = prepare_doc(text, doc, masked)
            else:
                spans = word_spans(text) if words is None else words
                prepared = prepare_spans(text, spans, masked)
            for cid, score in self.model.implicit_prepared(prepared):
                if cid not in explicit:
                    tags.append(CampaignTag(article_id, cid, "implicit", round(score, 4)))
        return tags


def article_tags(tags: list[CampaignTag]) -> list[CampaignTag]:
    """One tag per campaign (its first), in order: the article-level view.

    >>> a = CampaignTag("x", "c1", "explicit", 1.0, "e", 0, 1, 0)
    >>> b = CampaignTag("x", "c1", "explicit", 1.0, "e", 9, 10, 2)
    >>> [t.start for t in article_tags([a, b])]
    [0]
    """
    out: dict[str, CampaignTag] = {}
    for t in tags:
        out.setdefault(t.campaign_id, t)
    return list(out.values())
