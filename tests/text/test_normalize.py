"""Normalisation: idempotent, length-keeping after NFC, offsets map back to the raw text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.normalize import fold, fold_query, nfc_with_map, normalize, normalize_nfc

VIET = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐbcdghklmnpqrstvx"
TONES = "\u0300\u0301\u0303\u0309\u0323"
# Vietnamese-ish text, decomposed marks, odd spaces and zero-width characters mixed in.
viet_text = st.lists(
    st.sampled_from([*list(VIET + TONES + " \xa0\u200b\n.,0123456789"), "oà", "uỷ", "Ð", "hoá "]),
    max_size=80,
).map("".join)
any_text = st.text(max_size=200)


@settings(max_examples=300)
@given(st.one_of(viet_text, any_text))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(st.one_of(viet_text, any_text))
def test_normalize_keeps_the_nfc_length(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert len(normalize_nfc(nfc)) == len(nfc)
    assert len(normalize(text)) == len(nfc)


@settings(max_examples=300)
@given(st.one_of(viet_text, any_text))
def test_offsets_map_back_to_the_raw_text(text: str) -> None:
    nfc, offsets = nfc_with_map(text)
    assert nfc == unicodedata.normalize("NFC", text)
    # every NFC character comes from the raw span its offsets map to
    for i in range(len(nfc)):
        start, end = offsets.to_raw(i), offsets.to_raw(i + 1, side="end")
        assert 0 <= start < end <= len(text)
        assert nfc[i] in unicodedata.normalize("NFC", text[start:end])


def test_decomposed_vietnamese_maps_back() -> None:
    raw = "Ho\u0300a Bi\u0300nh co\u0301 3.400 ngu\u031bo\u031b\u0300i"
    nfc, offsets = nfc_with_map(raw)
    assert nfc == "Hòa Bình có 3.400 người"
    i = nfc.index("3.400")
    assert raw[offsets.to_raw(i) : offsets.to_raw(i + 5, "end")] == "3.400"
    j = nfc.index("người")
    span = raw[offsets.to_raw(j) : offsets.to_raw(j + 5, "end")]
    assert unicodedata.normalize("NFC", span) == "người"


def test_both_tone_conventions_and_spaces_meet() -> None:
    assert normalize("Hội LHPN tỉnh Hoà\u00a0Bình, cấp uỷ") == "Hội LHPN tỉnh Hòa Bình, cấp ủy"
    assert normalize("khoẻ, thuỷ, toà, HOÁ") == "khỏe, thủy, tòa, HÓA"


def test_whitespace_is_not_collapsed() -> None:
    text = "Từ năm 2017 đến nay,  đã tổ chức\n\nđược"
    assert normalize(text) == text


@settings(max_examples=300)
@given(st.one_of(viet_text, any_text))
def test_fold_keeps_length_and_removes_marks(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded


def test_fold_meets_every_spelling() -> None:
    assert fold_query("KẾT NẠP ĐẢNG") == fold_query("kết nạp đảng") == fold_query("ket nap dang")
    assert fold("hoà") == fold("hòa") == "hoa"
