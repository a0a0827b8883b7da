"""The explicit matcher on synthetic variants of how articles write campaign names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.campaigns.matcher import Matcher
from pipeline.campaigns.taxonomy import load_taxonomy
from pipeline.text.normalize import normalize

MATCHER = Matcher(load_taxonomy())

FOUND = [
    # tone-mark conventions (raw and after normalize)
    (
        "Phong trào Toàn dân đoàn kết xây dựng đời sống văn hoá phát triển.",
        "toan_dan_doan_ket_xay_dung_doi_song_van_hoa",
    ),
    (
        "Phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa phát triển.",
        "toan_dan_doan_ket_xay_dung_doi_song_van_hoa",
    ),
    # quote styles and none
    ("hưởng ứng cuộc vận động «Ngày vì người nghèo» năm nay", "ngay_vi_nguoi_ngheo"),
    ('hưởng ứng cuộc vận động "Ngày vì người nghèo" năm nay', "ngay_vi_nguoi_ngheo"),
    ("hưởng ứng cuộc vận động ‘Ngày vì người nghèo’ năm nay", "ngay_vi_nguoi_ngheo"),
    ("hưởng ứng cuộc vận động Ngày vì người nghèo năm nay", "ngay_vi_nguoi_ngheo"),
    # abbreviations expanded
    ("Thực hiện CVĐ 5 không 3 sạch gắn với xây dựng NTM", "xay_dung_gia_dinh_5_khong_3_sach"),
    ("Hội triển khai CVĐ “Xây dựng gia đình 5 không, 3 sạch”", "xay_dung_gia_dinh_5_khong_3_sach"),
    ("Chiến dịch TNTN hè 2019 ra quân", "thanh_nien_tinh_nguyen"),
    ("tham gia Quỹ “Mái ấm CĐ” của LĐLĐ tỉnh", "mai_am_cong_doan"),
    ("PT “LĐ giỏi - LĐ sáng tạo” được đẩy mạnh", "lao_dong_gioi_lao_dong_sang_tao"),
    ("phong trào thi đua Xanh - Sạch - Đẹp, đảm bảo ATVSLĐ", "xanh_sach_dep_bao_dam_atvsld"),
    (
        "MTTQ các cấp thực hiện CVĐ Toàn dân đoàn kết xây dựng NTM, ĐTVM",
        "toan_dan_doan_ket_xay_dung_nong_thon_moi_do_thi_van_minh",
    ),
    # case, line breaks and NBSP inside the name
    ("PHONG TRÀO “GIỎI VIỆC NƯỚC, ĐẢM VIỆC NHÀ” NĂM 2020", "gioi_viec_nuoc_dam_viec_nha"),
    ("phong trào Giỏi việc nước,\nđảm việc nhà trong nữ CNVCLĐ", "gioi_viec_nuoc_dam_viec_nha"),
    ("phong trào Giỏi\u00a0việc nước, đảm\u00a0việc nhà", "gioi_viec_nuoc_dam_viec_nha"),
    # shortened names
    (
        "cuộc vận động tự tin, tự trọng… được chị em hưởng ứng",
        "ren_luyen_pham_chat_dao_duc_tu_tin_tu_trong_trung_hau_dam_dang",
    ),
    (
        "phong trào Phụ nữ tích cực học tập... của Hội",
        "phu_nu_tich_cuc_hoc_tap_lao_dong_sang_tao_xay_dung_gia_dinh_hanh_phuc",
    ),
    # sub-programmes and the directive
    ("sinh viên tham gia Mùa hè xanh và Tiếp sức mùa thi", "thanh_nien_tinh_nguyen"),
    (
        "thực hiện Chỉ thị số 05 của Bộ Chính trị",
        "hoc_tap_va_lam_theo_tu_tuong_dao_duc_phong_cach_ho_chi_minh",
    ),
    (
        "thực hiện Chỉ thị 05-CT/TW về đẩy mạnh học tập",
        "hoc_tap_va_lam_theo_tu_tuong_dao_duc_phong_cach_ho_chi_minh",
    ),
    # one slip in a long name (a typo in the source)
    (
        "Đẩy mạnh học tập và làm theo tư tưởng, đạo dức, phong cách Hồ Chí Minh",
        "hoc_tap_va_lam_theo_tu_tuong_dao_duc_phong_cach_ho_chi_minh",
    ),
    ("thi đua “XSĐATVSLĐ” trong CNVCLĐ", "xanh_sach_dep_bao_dam_atvsld"),
    # a name of ordinary words, written as a name
    ("hưởng ứng cuộc vận động “Vì người nghèo” năm 2016", "ngay_vi_nguoi_ngheo"),
    ("Hội duy trì mô hình “Địa chỉ tin cậy” ở 12 xã", "dia_chi_tin_cay"),
]

NOT_FOUND = [
    "cái thằng thanh niên trai tráng ấy",  # "thằng" is not "Tháng"
    "Trường trở thành địa chỉ tin cậy của doanh nghiệp",  # an idiom, not the model
    "UBND tỉnh ban hành Chỉ thị 05/CT-UBND về phòng cháy",  # another directive 05
    "du khách dạo bước trên con đường hoa ở Đà Lạt",  # generic phrase
    "những bãi biển luôn xanh - sạch - đẹp",  # a description, not the movement
    "không tổ chức Lễ hội Hoa phượng đỏ năm nay",  # Hải Phòng's festival
    "phụ nữ không sinh con thứ ba trở lên",  # a criterion (cue), not a name
    "con đường hòa bình cho bán đảo",  # diacritics differ from "Con đường hoa"
    "các chính sách hỗ trợ vì người nghèo ở xã",  # a common phrase, not written as a name
]


@pytest.mark.parametrize(("text", "campaign_id"), FOUND)
def test_found(text: str, campaign_id: str) -> None:
    for variant in (text, normalize(text)):
        mentions = MATCHER.find(variant)
        assert campaign_id in {m.campaign_id for m in mentions}, (variant, mentions)
        for m in mentions:
            assert variant[m.start : m.end] == m.evidence


@pytest.mark.parametrize("text", NOT_FOUND)
def test_not_found(text: str) -> None:
    assert MATCHER.find(text) == []


def test_longest_name_wins_and_combinations_tag_both() -> None:
    text = (
        "Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh” gắn với "
        "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh. Xã về đích xây dựng "
        "nông thôn mới."
    )
    ids = [m.campaign_id for m in MATCHER.find(text)]
    assert ids == [
        "toan_dan_doan_ket_xay_dung_nong_thon_moi_do_thi_van_minh",
        "hoc_tap_va_lam_theo_tu_tuong_dao_duc_phong_cach_ho_chi_minh",
        "chuong_trinh_mtqg_xay_dung_nong_thon_moi",  # the later, separate mention
    ]


def test_evidence_offsets_point_into_the_text() -> None:
    text = "Tiêu đề\n\nNăm 2015, các cấp Hội triển khai\nCVĐ “5 không,\u00a03 sạch”."
    (m,) = MATCHER.find(text)
    assert (m.evidence, text[m.start : m.end]) == ("CVĐ “5 không,\u00a03 sạch”", m.evidence)


@pytest.mark.slow
def test_background_articles_rarely_get_tags(real_corpus: Path) -> None:
    """Precision on other news: few background articles name a campaign at all (every
    fourth article, for speed; benchmarks/campaigns.py counts them all)."""
    tagged = total = 0
    with (real_corpus / "background.jsonl").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 4:
                continue
            r = json.loads(line)
            text = normalize((r.get("title") or "") + "\n\n" + r["text"])
            total += 1
            tagged += bool(MATCHER.find(text))
    assert total > 1200
    assert tagged / total < 0.01, f"{tagged} of {total} background articles tagged"


_OLD_STYLE = {"óa": "oá", "òa": "oà", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "ủy": "uỷ", "úy": "uý"}


def _old_tones(text: str) -> str:
    import re

    return re.sub(r"(óa|òa|ỏa|õa|ọa|ủy|úy)(?![^\W\d_])", lambda m: _OLD_STYLE[m.group()], text)


def _variants(name: str) -> list[str]:
    words = name.split(" ")
    mid = len(words) // 2
    return [
        name.upper(),
        name.lower(),
        _old_tones(name),
        name.replace(" ", "\u00a0"),
        " ".join(words[:mid]) + "\n" + " ".join(words[mid:]),
        f"“{name}”",
        f"«{name}»",
        f'"{name}"',
    ]


@pytest.mark.parametrize("campaign", load_taxonomy().campaigns, ids=lambda c: c.id)
def test_every_name_in_every_writing(campaign) -> None:
    """Each campaign's name, written in upper or lower case, old tone placement, NBSP,
    a line break, three quote styles, inside a sentence, is found as that campaign (a
    name of ordinary words, ``name_only``, is not a name in lower case without quotes)."""
    for variant in _variants(campaign.name):
        if campaign.name in campaign.name_only and variant == campaign.name.lower():
            assert MATCHER.find(f"Năm qua, các cấp đã triển khai {variant}.") == []
            continue
        text = f"Năm qua, các cấp đã triển khai {variant} với nhiều kết quả."
        found = {m.campaign_id for m in MATCHER.find(text)}
        assert campaign.id in found, (variant, found)
