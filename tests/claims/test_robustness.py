"""No input crashes the finder; offsets always point at the claim text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.claims.finder import claims_in_text, find_claims
from pipeline.io.readers import record_to_article
from pipeline.nlp.sentences import split_sentences

PIECES = [
    "3.400",
    "1,1",
    "triệu",
    "nghìn",
    "tỷ",
    "hai",
    "ba",
    "mươi",
    "lăm",
    "một",
    "năm",
    "%",
    "/",
    "-",
    "–",
    "—",
    ".",
    ",",
    " ",
    "\n",
    "hơn",
    "trên",
    "gần",
    "khoảng",
    "vượt",
    "từ",
    "đến",
    "trở lên",
    "hội viên",
    "đồng",
    "ha",
    "tuổi",
    "tháng",
    "“",
    "”",
    '"',
    "(",
    ")",
    "0",
    "9",
    "12",
    "2021",
    "XIII",
    "lần thứ",
    "Đề án",
    "bà Lan cho biết:",
    "chỉ tiêu",
]


def _check(text: str) -> None:
    for c in claims_in_text(text):
        assert text[c.start : c.end] == c.text
        assert c.measure in {"count", "percent", "ratio", "money", "quantity"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_random_unicode(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join))
def test_number_soup(text: str) -> None:
    _check(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("0123456789.,/-–% \nhơn trên")), max_size=120))
def test_digits_and_separators_through_the_whole_article_path(body: str) -> None:
    article = record_to_article({"id": "x", "title": "T 5 hộ", "text": body}, "h")
    for c in find_claims(article, split_sentences(article.id, article.text)):
        assert article.raw_text[c.start : c.end] == c.text
