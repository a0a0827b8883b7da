"""underthesea inside spaCy: the Doc's text is the article's text, always."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import spacy

from pipeline.nlp.language import make_nlp
from pipeline.nlp.sentences import split_sentences
from pipeline.nlp.tokenizer import UnderTheSeaTokenizer, align_words
from pipeline.types import Article


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return make_nlp(stages=())


def test_words_spaces_and_sentences(nlp: spacy.language.Language) -> None:
    text = (
        "Tiêu đề bài\n\n06/01/2022\nHội LHPN  tỉnh đề ra chỉ tiêu 1.000 hội viên.  Câu hai ở đây.\n"
    )
    doc = nlp(text)
    assert doc.text == text
    words = [t.text for t in doc if not t.is_space]
    assert "chỉ tiêu" in words and "hội viên" in words and "1.000" in words
    assert [s.text.strip() for s in doc.sents] == [
        "Tiêu đề bài",
        "06/01/2022",
        "Hội LHPN  tỉnh đề ra chỉ tiêu 1.000 hội viên.",
        "Câu hai ở đây.",
    ]


def test_tone_marks_are_not_rewritten(nlp: spacy.language.Language) -> None:
    # underthesea's default token normalisation would turn "uỷ" into "ủy"
    text = "Ban Thường vụ Tỉnh uỷ hoá giải khó khăn"
    doc = nlp(text)
    assert doc.text == text
    assert any(t.text == "uỷ" or "uỷ" in t.text for t in doc)


def test_odd_characters_keep_the_text(nlp: spacy.language.Language) -> None:
    for text in [
        "",
        " ",
        "\n\n",
        "😀 x\u200by 3.400",
        "a\u0301",
        "“Hôm nay”  —  (5%)…",
        "x" * 5000,
    ]:
        assert nlp(text).text == text


def test_align_words_raises_when_lost() -> None:
    from pipeline.nlp.tokenizer import AlignmentError

    with pytest.raises(AlignmentError):
        align_words("abc def", ["abc", "xyz"])


def test_tokenizer_pickles() -> None:
    import pickle

    nlp = spacy.blank("xx")
    tok = UnderTheSeaTokenizer(nlp.vocab)
    again = pickle.loads(pickle.dumps(tok))
    assert again("Hội viên ưu tú").text == "Hội viên ưu tú"


def test_sentences_cover_the_text_in_order() -> None:
    text = "Tiêu đề\n\nCâu một có 5 người. Câu hai có 7 người!\nDòng khác"
    sents = split_sentences("a", text)
    assert all(text[s.start : s.end] == s.text for s in sents)
    assert [s.paragraph for s in sents] == [0, 1, 1, 2]
    assert all(a.end <= b.start for a, b in itertools.pairwise(sents))


def test_gold_articles_tokenize(gold_dir: Path, nlp: spacy.language.Language) -> None:
    for line in (gold_dir / "articles.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        (article,) = list(read_articles_from_record(rec))
        assert nlp.make_doc(article.text).text == article.text


def read_articles_from_record(rec: dict[str, object]) -> list[Article]:
    from pipeline.io.readers import record_to_article

    return [record_to_article(rec, "gold")]
