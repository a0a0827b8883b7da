"""Property-based fuzzing of the path an article takes: readers → normalisation →
underthesea tokenizer in spaCy → claim component; and of the HTML extractor and charset
detection on hostile markup and bytes.

Properties: no exception escapes (only ``ExtractionError`` from ``extract_page``); the
Doc's text is the article's text; sentences and claims point inside it
(``article.raw_text[start:end] == claim.text``, the sentence holds the claim); the
normalised text is a fixed point of the normalisation. Unit-level fuzzing of the number
parser, ``claims_in_text``, ``normalize`` and ``decode_html`` on raw bytes lives with those
modules' tests.
"""

from __future__ import annotations

import json
import math
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from pipeline.extract.charset import decode_html, encode_legacy
from pipeline.extract.html import Extracted, ExtractionError, extract_page
from pipeline.io.article import InputError, make_article
from pipeline.io.readers import read_articles
from pipeline.nlp.language import analyse, make_nlp, result_from_doc
from pipeline.text.normalize import normalize_nfc
from pipeline.types import Article, Failure

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

WORDS = [
    "Hội",
    "Liên",
    "hiệp",
    "Phụ",
    "nữ",
    "tỉnh",
    "Lạng",
    "Sơn",
    "có",
    "hơn",
    "3.400",
    "hội",
    "viên",
    "chiếm",
    "43%",
    "đạt",
    "1.250",
    "chi",
    "hội",
    "12",
    "tỷ",
    "đồng",
    "năm",
    "2023",
    "khoảng",
    "gần",
    "trên",
    "từ",
    "đến",
    "trở",
    "lên",
    "chỉ",
    "tiêu",
    "1,5",
    "triệu",
    "người",
    "kết",
    "nạp",
    "mới",
    "Đề",
    "án",
    "938",
    "lần",
    "thứ",
    "3",
    "hai",
    "mươi",
    "lăm",
    "nghìn",
    "hộ",
    "ha",
    "tuổi",
    "tháng",
    "5",
    "Covid-19",
    "05-CT/TW",
    "hoà",
    "uỷ",
]
ODD = [
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069",
    "\ufeff", "\u2060", "\u00a0", "\u3000", "\t", "\n", "\r\n", "\r", "\x00", "\x0b", "\x1f",
    "\u0300", "\u0301", "\u0323", "\u031b", "🎉", "👩\u200d👩\u200d👧", "🇻🇳", "\U0001f3fd",
    "\ufffd", "ǅ", "İ", "ß", "ﬁ", "①", "١٢٣", "٫", "½", "²", "…", ".", ",", "%", "/", "-", "–",
    "“", "”", "(", ")", ":", ";", "!", "?", "。", "1" * 40, "9" * 310, "1.000.000.000.000.000",
    "1,234.5", "1.234,5", "1 234 567",
]  # fmt: skip
PIECE = st.one_of(st.sampled_from(WORDS), st.sampled_from(ODD), st.text(max_size=4))
TEXT = st.lists(PIECE, max_size=60).map(lambda ps: " ".join(ps) if len(ps) % 2 else "".join(ps))
MIXED = st.one_of(TEXT, TEXT.map(lambda t: unicodedata.normalize("NFD", t)))


@pytest.fixture(scope="module")
def nlp() -> Language:
    return make_nlp(stages=("claims",))


def _article(title: str | None, body: str) -> Article | None:
    try:
        return make_article(title=title, body=body, record_id="fuzz")
    except InputError:
        return None


def check_article(article: Article) -> None:
    assert len(article.text) == len(article.raw_text)
    assert article.text.strip()
    assert unicodedata.is_normalized("NFC", article.raw_text)
    assert normalize_nfc(article.text) == article.text  # idempotent
    assert "\r" not in article.raw_text


def check_result(nlp: Language, article: Article) -> None:
    doc = analyse(nlp, article)
    assert doc.text == article.text
    result = result_from_doc(article, doc, nlp)
    text, raw = article.text, article.raw_text
    last_end = 0
    for i, s in enumerate(result.sentences):
        assert s.index == i and last_end <= s.start < s.end <= len(text)
        assert s.text == text[s.start : s.end] and s.text.strip()
        last_end = s.end
    for c in result.claims:
        assert 0 <= c.sentence_start <= c.start < c.end <= c.sentence_end <= len(raw)
        assert raw[c.start : c.end] == c.text
        assert c.sentence == raw[c.sentence_start : c.sentence_end]
        assert c.text in c.sentence
        assert math.isfinite(c.value)
        assert c.measure in {"count", "percent", "ratio", "money", "quantity"}
    assert len(doc.spans["claims"]) <= len(result.claims)


@SETTINGS
@given(title=st.one_of(st.none(), TEXT), body=MIXED)
def test_article_through_tokenizer_and_claims(nlp: Language, title: str | None, body: str) -> None:
    article = _article(title, body)
    if article is None:
        return
    check_article(article)
    check_result(nlp, article)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40), min_size=1))
def test_long_lines_without_sentence_ends(nlp: Language, lines: list[list[str]]) -> None:
    body = "\n".join(" ".join(words * 5) for words in lines)
    article = _article("Tiêu đề", body)
    assert article is not None
    check_result(nlp, article)


# -- readers ------------------------------------------------------------------------------
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT, st.text()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
RECORD = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON_VALUE,
        "title": JSON_VALUE,
        "text": st.one_of(MIXED, JSON_VALUE),
        "url": JSON_VALUE,
        "published": JSON_VALUE,
        "author": JSON_VALUE,
    },
)
LINE = st.one_of(
    RECORD.map(lambda r: json.dumps(r, ensure_ascii=False)),
    RECORD.map(json.dumps),  # \\uXXXX escapes, lone surrogates included
    st.text(max_size=50),
    JSON_VALUE.map(json.dumps),
)


def _read_all(path: Path) -> list[Article | Failure]:
    items = list(read_articles([path], max_chars=5000))
    for item in items:
        assert isinstance(item, Article | Failure)
        if isinstance(item, Article):
            check_article(item)
            item.raw_text.encode("utf-8")  # storable: no lone surrogates
            (item.id + (item.url or "") + (item.title or "")).encode("utf-8")
        else:
            assert item.message and item.error_type
    return items


@SETTINGS
@given(lines=st.lists(LINE, max_size=8), eol=st.sampled_from(["\n", "\r\n"]), bom=st.booleans())
def test_jsonl_reader(tmp_path: Path, lines: list[str], eol: str, bom: bool) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes((("\ufeff" if bom else "") + eol.join(lines)).encode("utf-8", "surrogatepass"))
    _read_all(path)


@SETTINGS
@given(
    data=st.one_of(
        st.binary(max_size=600),
        MIXED.map(lambda t: t.encode("utf-8")),
        MIXED.map(lambda t: t.encode("utf-16")),
        MIXED.map(lambda t: t.encode("utf-16-le")),
        MIXED.map(lambda t: t.encode("utf-8", "surrogatepass")),
    ),
    suffix=st.sampled_from([".txt", ".jsonl", ".html", ".warc", ".warc.gz"]),
)
def test_any_bytes_in_any_file_kind(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _read_all(path)


# -- HTML extraction and charsets ---------------------------------------------------------
TAGS = ["div", "p", "span", "article", "main", "nav", "ul", "li", "a", "table", "td", "tr",
        "script", "style", "h1", "header", "footer", "br", "b", "i", "figure", "svg", "iframe",
        "template", "noscript", "form", "time", "meta", "!--", "![CDATA[", "?xml"]  # fmt: skip
TAG = st.sampled_from(TAGS)
ATTR = st.sampled_from(["", ' class="content"', ' class="sapo"', ' href="/a.htm"', " href=x",
                        ' id="main"', ' property="og:title" content="T"', ' style="x'])  # fmt: skip
MARKUP = st.lists(
    st.one_of(
        st.tuples(TAG, ATTR).map(lambda t: f"<{t[0]}{t[1]}>"),
        TAG.map(lambda t: f"</{t}>"),
        TEXT,
        st.just("<p>" + " ".join(WORDS) + "</p>"),
        st.sampled_from(["&amp;", "&#0;", "&#xD800;", "&nbsp;", "&bogus;", "<", ">", "\x00"]),
    ),
    max_size=80,
).map("".join)
CHARSET = st.sampled_from([None, "utf-8", "UTF8", "tcvn3", "vni", "windows-1258",
                           "iso-8859-1", "utf-16", "x-bogus", "utf-7", ""])  # fmt: skip


def _encode(text: str, encoding: str) -> bytes:
    if encoding not in ("tcvn3", "vni"):
        return text.encode(encoding, errors="replace")
    out = []
    for ch in unicodedata.normalize("NFC", text):  # what the encoding lacks becomes "?"
        try:
            out.append(encode_legacy(ch, encoding))  # type: ignore[arg-type]
        except ValueError:
            out.append(b"?")
    return b"".join(out)


@SETTINGS
@given(
    markup=MARKUP,
    declared=CHARSET,
    encoding=st.sampled_from(["utf-8", "tcvn3", "vni", "cp1258", "utf-16"]),
    header=st.one_of(st.none(), CHARSET.map(lambda c: f"text/html; charset={c}")),
)
def test_extract_page_raises_only_extraction_error(
    markup: str, declared: str | None, encoding: str, header: str | None
) -> None:
    meta = f'<meta charset="{declared}">' if declared is not None else ""
    page = f"<html><head>{meta}<title>Tiêu đề</title></head><body>{markup}</body></html>"
    data = _encode(page, encoding)
    text, name = decode_html(data, header)
    assert unicodedata.is_normalized("NFC", text) and name
    try:
        out = extract_page(data, url="http://127.0.0.1/a.htm", content_type=header)
    except ExtractionError as exc:
        assert str(exc)
        return
    assert isinstance(out, Extracted)
    assert len(out.body) >= 200
    for field in (out.body, out.title, out.author):
        assert field is None or unicodedata.is_normalized("NFC", field)
    if out.published is not None:
        assert len(out.published) == 10 and out.published[4] == "-"
