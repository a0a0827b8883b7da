"""Shared by the per-file corpus alignment tests: every article of a corpus file tokenizes
to a Doc whose text is exactly the article's text."""

from __future__ import annotations

from pathlib import Path

from pipeline.io.readers import read_articles
from pipeline.nlp.language import make_nlp
from pipeline.types import Article


def check_corpus(path: Path) -> None:
    nlp = make_nlp(stages=())
    n = 0
    for item in read_articles([path]):
        assert isinstance(item, Article), item
        assert nlp.make_doc(item.text).text == item.text, item.id
        n += 1
    assert n == sum(1 for line in path.open(encoding="utf-8") if line.strip())
