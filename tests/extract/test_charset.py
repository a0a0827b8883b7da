"""Charset decoding: legacy Vietnamese tables, detection, wrong headers, fuzz."""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import unicodedata
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.charset import declared_charset, decode_html, decode_legacy, encode_legacy
from pipeline.extract.legacy import LEGACY_ENCODINGS

BASES = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


def vietnamese_letters() -> list[str]:
    """Every Vietnamese letter with a diacritic, lower and upper case (67 + 67 = 134)."""
    lower = {unicodedata.normalize("NFC", b + t) for b in BASES for t in TONES} | {"đ"}
    lower -= set("aeiouy")
    letters = sorted(lower) + sorted(c.upper() for c in lower)
    return letters


def test_there_are_134_letters() -> None:
    letters = vietnamese_letters()
    assert len(letters) == len(set(letters)) == 134
    assert "Đ" in letters and "ự" in letters and "Ỵ" in letters


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_round_trip_every_letter(encoding: str) -> None:
    for letter in vietnamese_letters():
        data = encode_legacy(letter, encoding)  # type: ignore[arg-type]
        assert decode_legacy(data, encoding) == letter, (encoding, letter, data)  # type: ignore[arg-type]
    # and as one text, so multi-byte (VNI) sequences do not bleed into their neighbours
    text = " ".join(vietnamese_letters()) + " Hà Nội, TP.HCM 2024"
    assert decode_legacy(encode_legacy(text, encoding), encoding) == text  # type: ignore[arg-type]


def test_encodings_give_distinct_bytes_per_letter() -> None:
    for encoding in LEGACY_ENCODINGS:
        seen = {encode_legacy(c, encoding) for c in vietnamese_letters()}  # type: ignore[arg-type]
        assert len(seen) == 134, encoding


def test_known_byte_values() -> None:
    # Values from the published charts, independent of our table file.
    assert encode_legacy("Việt Nam", "vni") == b"Vie\xe4t Nam"
    assert encode_legacy("Đoàn", "vni") == b"\xd1oa\xf8n"
    assert encode_legacy("ươ", "vni") == b"\xf6\xf4"
    assert encode_legacy("Việt Nam", "tcvn3") == b"Vi\xd6t Nam"
    assert encode_legacy("đường", "tcvn3") == b"\xae\xad\xeang"
    assert encode_legacy("Việt", "windows-1258") == b"Vi\xea\xf2t"


@pytest.mark.skipif(shutil.which("iconv") is None, reason="needs glibc iconv")
def test_tcvn3_table_agrees_with_iconv() -> None:
    text = "".join(vietnamese_letters())
    ours = encode_legacy(text, "tcvn3")
    run = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=ours, capture_output=True, check=True
    )
    assert unicodedata.normalize("NFC", run.stdout.decode("utf-8")) == text


def test_legacy_tables_are_complete_data() -> None:
    tables = json.loads(
        (Path(__file__).parents[2] / "pipeline/extract/legacy_charsets.json").read_text("utf-8")
    )
    assert len(tables["vni"]) == 134


SENTENCES = [
    "Hội Liên hiệp Phụ nữ tỉnh Nghệ An tổ chức Đại hội đại biểu lần thứ XVIII, nhiệm kỳ 2021-2026.",
    "Năm qua, Đoàn Thanh niên đã kết nạp 1.250 đoàn viên mới, vượt 25% chỉ tiêu được giao.",
    "Ủy ban Mặt trận Tổ quốc Việt Nam huyện trao 45 căn nhà Đại đoàn kết cho hộ nghèo.",
]


@pytest.fixture(scope="module")
def real_sentences(real_corpus: Path) -> list[str]:
    """Twenty real article openings from the target corpus (read at run time)."""
    out = []
    with (real_corpus / "target.jsonl").open(encoding="utf-8") as fh:
        for line in islice(fh, 20):
            out.append(json.loads(line)["text"][:600])
    return out


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
@pytest.mark.parametrize("sentence", SENTENCES)
def test_detects_legacy_encoding_of_a_sentence(encoding: str, sentence: str) -> None:
    page = f"<html><body><p>{sentence}</p></body></html>"
    data = encode_legacy(page, encoding)  # type: ignore[arg-type]
    text, name = decode_html(data)
    assert (text, name) == (page, encoding)


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_detects_legacy_encoding_of_real_articles(encoding: str, real_sentences: list[str]) -> None:
    wrong = []
    for sentence in real_sentences:
        clean = "".join(c for c in sentence if c.isascii() or c in "".join(vietnamese_letters()))
        data = encode_legacy(clean, encoding)  # type: ignore[arg-type]
        text, name = decode_html(data, "text/html; charset=iso-8859-1")
        if (text, name) != (clean, encoding):
            wrong.append((name, clean[:60]))
    assert not wrong


def test_wrong_header_utf8_labelled_latin1() -> None:
    page = "<meta charset='iso-8859-1'><p>Công đoàn cơ sở có 320 đoàn viên</p>".encode()
    text, name = decode_html(page, "text/html; charset=ISO-8859-1")
    assert name == "utf-8" and "Công đoàn cơ sở" in text


def test_wrong_header_legacy_labelled_utf8() -> None:
    page = encode_legacy(
        "<meta charset='utf-8'><p>Hội Cựu chiến binh xã có 85 hội viên</p>", "tcvn3"
    )
    text, name = decode_html(page, "text/html; charset=utf-8")
    assert name == "tcvn3" and "Hội Cựu chiến binh" in text


def test_wrong_header_utf8_labelled_windows_1258() -> None:
    page = "<p>Huyện đoàn tổ chức Đại hội Đoàn TNCS Hồ Chí Minh</p>".encode()
    assert decode_html(page, "text/html; charset=windows-1258") == (page.decode(), "utf-8")


def test_wrong_legacy_label_tcvn3_labelled_vni() -> None:
    sentence = "<p>Ủy ban Mặt trận Tổ quốc xã trao 15 sổ tiết kiệm cho học sinh nghèo vượt khó</p>"
    page = encode_legacy(sentence, "tcvn3")
    assert decode_html(page, "text/html; charset=VNI") == (sentence, "tcvn3")
    # and a right legacy label is kept
    assert decode_html(encode_legacy(sentence, "vni"), "text/html; charset=VNI") == (
        sentence,
        "vni",
    )


def test_header_beats_meta_and_is_used_when_right() -> None:
    page = encode_legacy("<meta charset='utf-8'><p>Điện Biên</p>", "windows-1258")
    text, name = decode_html(page, "text/html; charset=windows-1258")
    assert (name, "Điện Biên" in text) == ("windows-1258", True)
    assert declared_charset(b"<meta charset=utf-8>", "text/html; charset=windows-1258") == (
        "windows-1258"
    )


def test_western_page_stays_western() -> None:
    page = "<p>Le café était fermé à Noël, déjà.</p>".encode("cp1252")
    text, name = decode_html(page, "text/html; charset=iso-8859-1")
    assert text == "<p>Le café était fermé à Noël, déjà.</p>" and name == "iso8859-1"


def test_english_page_with_curly_quotes_is_not_taken_for_vietnamese() -> None:
    text = (
        "<p>It’s the company’s “biggest” update – users don’t need "
        "to do anything, and the café résumé feature is naïve.</p>"
    ) * 20
    decoded, name = decode_html(text.encode("cp1252"))
    assert name not in LEGACY_ENCODINGS
    assert "It’s the company’s “biggest” update – users" in decoded


def test_utf16_with_and_without_bom() -> None:
    page = "<html><p>Thành phố Hồ Chí Minh</p></html>"
    for enc, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)):
        assert decode_html(bom + page.encode(enc)) == (page, enc)
        assert decode_html(page.encode(enc)) == (page, enc)


def test_utf8_bom_and_nfd_input_become_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Định")
    text, name = decode_html(codecs.BOM_UTF8 + nfd.encode())
    assert (text, name) == ("Nguyễn Thị Định", "utf-8")


def test_invalid_utf8_gives_replacement_characters() -> None:
    data = "<p>Quảng Ninh có 1.200 hội viên</p>".encode() + b"\xff\xfe\x80 h\xe1\xbb"
    text, name = decode_html(data, "text/html; charset=utf-8")
    assert name == "utf-8" and "Quảng Ninh có 1.200 hội viên" in text and "\ufffd" in text


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=2000),
    st.sampled_from(
        [
            None,
            "text/html",
            "text/html; charset=utf-8",
            "text/html; charset=bogus",
            "charset=utf-16",
        ]
    ),
)
def test_decode_never_raises_and_returns_nfc(data: bytes, ctype: str | None) -> None:
    text, name = decode_html(data, ctype)
    assert isinstance(name, str) and name
    assert unicodedata.is_normalized("NFC", text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="".join(vietnamese_letters()) + " abcdefghiklmnopqrstuvxy.,0123456789"))
def test_legacy_round_trip_any_text(text: str) -> None:
    for encoding in LEGACY_ENCODINGS:
        assert decode_legacy(encode_legacy(text, encoding), encoding) == text  # type: ignore[arg-type]
