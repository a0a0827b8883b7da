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
VERSION = "claims-1.0"


def _article_of(doc: Doc) -> Article:
    article = doc.user_data.get("article")
    if isinstance(article, Article) and article.text == doc.text:
        return article
    return Article(id="doc", text=doc.text, raw_text=doc.text, title=None, body_offset=0)


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
            while end > start and doc.text[end - 1].isspace():
                end -= 1
            if i and "\n" in doc.text[out[-1].end : start]:
                paragraph += 1
            out.append(Sentence(article.id, i, paragraph, start, end, doc.text[start:end]))
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
        claims = find_claims(article, _sentences_of(doc, article))
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
