"""Build claims inside a made-up article text, the way the extractor places them."""

from __future__ import annotations

from typing import Any

from pipeline.checks.model import ArticleMeta
from pipeline.types import Claim


class Doc:
    """An article written sentence by sentence; ``claim`` places a claim by its text."""

    def __init__(self, article_id: str = "a1", title: str | None = None, **meta: Any) -> None:
        self.id = article_id
        self.title = title
        self.text = f"{title}\n\n" if title else ""
        self.meta = meta
        self.claims: list[Claim] = []
        self._sentence = (0, 0)

    def sentence(self, s: str, *, new_paragraph: bool = False) -> Doc:
        if self.text and not self.text.endswith("\n"):
            self.text += "\n\n" if new_paragraph else " "
        start = len(self.text)
        self.text += s
        self._sentence = (start, len(self.text))
        return self

    def title_sentence(self) -> Doc:
        assert self.title
        self._sentence = (0, len(self.title))
        return self

    def claim(self, span: str, value: float, measure: str = "count", **kw: Any) -> Claim:
        s0, s1 = self._sentence
        i = self.text.index(span, s0, s1)
        kw.setdefault("status", "reported")
        kw.setdefault("qualifier", "exact")
        c = Claim(
            article_id=self.id,
            sentence=self.text[s0:s1],
            text=span,
            start=i,
            end=i + len(span),
            value=value,
            measure=measure,
            sentence_start=s0,
            sentence_end=s1,
            **kw,
        )
        self.claims.append(c)
        return c

    def article(self) -> ArticleMeta:
        return ArticleMeta(self.id, self.text, title=self.title, **self.meta)
