"""The Vietnamese number parser and scanner: values, spans, shapes, and robustness."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.claims.numbers import NumberSpan, parse_digits, parse_number, scan_numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3.400", 3400),
        ("1,1", 1.1),
        ("5.015", 5015),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("3,400,000", 3400000),
        ("2.5", 2.5),
        ("1.000.000", 1000000),
        ("1,1 triệu", 1100000),
        ("25 nghìn", 25000),
        ("25\u00a0nghìn", 25000),
        ("3 tỷ 200 triệu", 3200000000),
        ("3 tỉ 200 triệu", 3200000000),
        ("hai mươi lăm", 25),
        ("một trăm linh năm", 105),
        ("mười lăm", 15),
        ("hai mốt", 21),
        ("1 triệu rưỡi", 1500000),
        ("hai nghìn rưỡi", 2500),
        ("nửa triệu", 500000),
        ("năm ngàn", 5000),
        ("hai chục", 20),
        ("một nghìn tỷ", 1e12),
        ("hai nghìn tỷ ba trăm bốn mươi lăm tỷ", 2.345e12),
        ("30%", 30),
        ("ba mươi phần trăm", 30),
        ("ba phần tư", 0.75),
        ("748/1.711", 748 / 1711),
        ("âm một ngàn chín", -1900),
        ("không phẩy năm", 0.5),
    ],
)
def test_parse_number_values(text: str, value: float) -> None:
    result = parse_number(text)
    assert result is not None and math.isclose(result, value), (text, result)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "người",
        "8-10",
        "từ 8 đến 10",
        "ba nghìn năm",
        "một trăm một",
        "1.2.3",
        "tỷ lệ",
        "năm năm",
    ],
)
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text",
    ["1.000.000.000.000.000.000", "9" * 500, "1" * 5000, "1,234.5,6", "9" * 400 + ",5", "1e400"],
)
def test_absurd_literals_give_a_value_or_none(text: str) -> None:
    value = parse_number(text)
    assert value is None or math.isfinite(value)


def test_convention_of_a_lone_separator() -> None:
    assert parse_digits("3,400") == 3.4  # Vietnamese: comma is the decimal mark
    assert parse_digits("3,400", "en") == 3400
    assert parse_digits("3.400", "en") == 3.4
    assert parse_digits("0.500") == 0.5  # a leading zero cannot start a thousands group
    # an English-only text switches the scanner to the English convention
    (span,) = [
        s for s in scan_numbers("Revenue was 1,234.5 USD, up 3,400 units") if s.value == 3400
    ]
    assert span.text == "3,400"
    assert [s.value for s in scan_numbers("thu 3.400 người, đạt 1,5%")] == [3400, 1.5]


def spans(text: str) -> list[tuple[str, float, float | None, str]]:
    return [(s.text, s.value, s.value_max, s.shape) for s in scan_numbers(text)]


def test_scanner_takes_the_longest_expression() -> None:
    text = "Tổng vốn 3 tỷ 200 triệu đồng, hỗ trợ 1,1 triệu đồng cho 25\u00a0nghìn hội viên."
    found = scan_numbers(text)
    assert [(s.text, s.value, s.scale, s.written) for s in found] == [
        ("3 tỷ 200 triệu", 3.2e9, "tỷ", "digits"),
        ("1,1 triệu", 1.1e6, "triệu", "digits"),
        ("25\u00a0nghìn", 25000, "nghìn", "digits"),
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_ranges() -> None:
    assert spans("từ 8 đến 10 người") == [("từ 8 đến 10", 8, 10, "range")]
    assert spans("8 – 10 xã") == [("8 – 10", 8, 10, "range")]
    assert spans("8-10 xã") == [("8-10", 8, 10, "range")]
    assert spans("khoảng 1-2 triệu đồng") == [("1-2 triệu", 1e6, 2e6, "range")]
    assert spans("giai đoạn 2021 - 2025") == [("2021 - 2025", 2021, 2025, "year")]
    (pct,) = scan_numbers("tăng 30-40% so với")
    assert (pct.text, pct.value, pct.value_max, pct.percent) == ("30-40%", 30, 40, True)
    # a descending pair is not a range
    assert [s.text for s in scan_numbers("tỷ số 3 - 1")] == ["3", "1"]


def test_ratios_fractions_and_dates() -> None:
    (ratio,) = scan_numbers("748/1.711 chi hội trưởng")
    assert (ratio.value, ratio.denominator, ratio.shape) == (748, 1711, "ratio")
    assert spans("2/3 số hộ")[0][3] == "fraction"
    assert spans("một phần ba số hộ") == [("một phần ba", pytest.approx(1 / 3), None, "number")]
    assert [
        s.shape for s in scan_numbers("ngày 06/01/2022, dịp 8/3, ngày 8-3-2022, tháng 3/2022")
    ] == [
        "date",
        "date",
        "date",
        "date",
    ]
    assert spans("Sáng 2/3, hội")[0][3] == "date"  # a date cue before it
    # month/year, with a slash, a dash, or spaces after "tháng"
    assert [s.shape for s in scan_numbers("Tháng 12-2018, từ 2/2016-5/2017, tháng 8 - 1945")] == [
        "date",
        "date",
        "date",
        "date",
    ]


def test_percent_and_other_shapes() -> None:
    found = scan_numbers("đạt 95,5%, tức 50 phần trăm; lúc 14h30 hoặc 8:15")
    assert [(s.text, s.percent, s.shape) for s in found] == [
        ("95,5%", True, "number"),
        ("50 phần trăm", True, "number"),
        ("14h30", False, "time"),
        ("8:15", False, "time"),
    ]
    shapes = [
        (s.text, s.shape)
        for s in scan_numbers(
            "Chỉ thị 05-CT/TW, Quyết định 1258/QĐ-TTg, Quốc lộ 1A, Đại hội XIII, năm 2022, "
            "gọi 0912345678, lần thứ 3, dịch COVID-19"
        )
    ]
    assert shapes == [
        ("05-CT/TW", "code"),
        ("1258/QĐ-TTg", "code"),
        ("1A", "code"),
        ("XIII", "roman"),
        ("2022", "year"),
        ("0912345678", "phone"),
        ("3", "ordinal"),
        ("COVID-19", "code"),
    ]


def test_number_words_need_context() -> None:
    text = "Năm nay vốn đầu tư tăng, một người trong ba năm qua; Ba Vì có hai mươi lăm xã"
    assert [(s.text, s.value, s.written) for s in scan_numbers(text)] == [
        ("ba", 3, "words"),
        ("hai mươi lăm", 25, "words"),
    ]
    assert spans("tỷ lệ hộ nghèo") == []
    assert spans("năm 2000 có mười năm") == [
        ("2000", 2000, None, "year"),
        ("mười", 10, None, "number"),
    ]
    assert spans("vốn đầu tư hai tỷ đồng") == [("hai tỷ", 2e9, None, "number")]
    assert spans("Hai Bà Trưng") == []
    assert spans("lần thứ mười hai, thứ hai") == [
        ("mười hai", 12, None, "ordinal"),
        ("hai", 2, None, "ordinal"),
    ]
    assert spans("bị chín ép, ba mẹ") == []


SEPARATORS = st.sampled_from(list(".,/-–—~% \u00a0\n:h"))
WORDS = st.sampled_from(
    [
        "một",
        "hai",
        "ba",
        "bốn",
        "năm",
        "lăm",
        "mốt",
        "tư",
        "sáu",
        "bảy",
        "tám",
        "chín",
        "mười",
        "mươi",
        "trăm",
        "nghìn",
        "ngàn",
        "triệu",
        "tỷ",
        "tỉ",
        "linh",
        "lẻ",
        "rưỡi",
        "nửa",
        "phẩy",
        "chấm",
        "phần",
        "đến",
        "tới",
        "từ",
        "thứ",
        "ngày",
        "người",
        "hộ",
        "XIII",
        "I",
        "V",
        "1A",
        "QĐ-TTg",
    ]
)
PIECES = st.one_of(
    st.text(min_size=0, max_size=6), st.integers(0, 10**12).map(str), SEPARATORS, WORDS
)
NUMBERISH = st.lists(PIECES, max_size=25).map(lambda parts: " ".join(parts)) | st.lists(
    PIECES, max_size=25
).map("".join)


def check_spans(text: str, found: list[NumberSpan]) -> None:
    last = 0
    for span in found:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
        assert span.start >= last
        last = span.end
        assert math.isfinite(span.value)


@settings(max_examples=400, deadline=None)
@given(NUMBERISH)
def test_scanner_never_raises_and_spans_are_sound(text: str) -> None:
    check_spans(text, scan_numbers(text))
    parse_number(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_random_unicode_never_raises(text: str) -> None:
    check_spans(text, scan_numbers(text))
    value = parse_number(text)
    assert value is None or isinstance(value, float)
