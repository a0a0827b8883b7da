"""The spaCy adapter of the claim finder: ``ClaimsComponent`` (factory ``vn_claims``).

It reads the Article from ``doc.user_data["article"]`` (building a minimal one from
``doc.text`` when absent), uses ``doc.sents`` as the sentences when they are set (else the
project's paragraph-aware splitter), runs :func:`pipeline.claims.finder.find_claims`, and
writes ``doc.user_data["claims"]`` (list of Claim) and ``doc.spans["claims"]`` (label =
measure).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from pipeline.claims.finder import find_claims
from pipeline.nlp.sentences import split_sentences
from pipeline.types import Article, Sentence

# Bump when the rules, cue words or units change what is extracted.
VERSION = "claims-1.4"


def _doc_length(doc: Doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]
    return int(last.idx) + len(last.text_with_ws)


def _article_of(doc: Doc) -> Article:
    """The Article behind a Doc (checked by length, which is cheap: ``doc.text`` is not)."""
    article = doc.user_data.get("article")
    if isinstance(article, Article) and len(article.text) == _doc_length(doc):
        return article
    text = doc.text
    return Article(id="doc", text=text, raw_text=text, title=None, body_offset=0)


def _sentences_of(doc: Doc, article: Article) -> list[Sentence]:
    cached = doc.user_data.get("sentences")
    if cached and all(isinstance(s, Sentence) for s in cached):
        # the tokenizer's own split: same boundaries as doc.sents, with paragraph numbers
        return [Sentence(article.id, s.index, s.paragraph, s.start, s.end, s.text) for s in cached]
    if doc.has_annotation("SENT_START"):
        out: list[Sentence] = []
        paragraph = 0
        for i, sent in enumerate(doc.sents):
            start, end = sent.start_char, sent.end_char
            while end > start and article.text[end - 1].isspace():
                end -= 1
            if i and "\n" in article.text[out[-1].end : start]:
                paragraph += 1
            out.append(Sentence(article.id, i, paragraph, start, end, article.text[start:end]))
        return out
    return split_sentences(article.id, doc.text)


class ClaimsComponent:
    """Numeric claims as a spaCy pipeline component."""

    version: str = VERSION

    def __init__(self, nlp: Any, name: str = "vn_claims") -> None:
        self.nlp = nlp
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        article = _article_of(doc)

        def word_end(pos: int) -> int | None:
            span = doc.char_span(pos, pos + 1, alignment_mode="expand")
            if span is None or span.start_char != pos:
                return None
            return int(span.end_char)

        claims = find_claims(article, _sentences_of(doc, article), word_end)
        doc.user_data["claims"] = claims
        spans: list[Span] = []
        for claim in claims:
            span = doc.char_span(
                claim.start, claim.end, label=claim.measure, alignment_mode="expand"
            )
            if span is not None:
                spans.append(span)
        doc.spans["claims"] = spans
        return doc
