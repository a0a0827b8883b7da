"""doc.text == article.text for every article of ../shared/corpora/real/target.jsonl.

One file per corpus file, so that pytest-xdist (``--dist loadfile``) runs them in parallel.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from pipeline.io.readers import read_articles
from pipeline.nlp.language import make_nlp
from pipeline.types import Article


def _check_corpus(path: Path, nlp: spacy.language.Language) -> int:
    n = 0
    for item in read_articles([path]):
        assert isinstance(item, Article), item
        doc = nlp.make_doc(item.text)
        assert doc.text == item.text, item.id
        n += 1
    return n


@pytest.mark.slow
def test_doc_text_equals_article_text(real_corpus: Path) -> None:
    nlp = make_nlp(stages=())
    path = real_corpus / "target.jsonl"
    expected = sum(1 for line in path.open(encoding="utf-8") if line.strip())
    assert _check_corpus(path, nlp) == expected
