"""doc.text == article.text for every article of ../shared/corpora/real/target.jsonl (one file
per corpus file, so that pytest-xdist's --dist loadfile runs them in parallel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.nlp.corpus_alignment import check_corpus


@pytest.mark.slow
def test_doc_text_equals_article_text(real_corpus: Path) -> None:
    check_corpus(real_corpus / "target.jsonl")
