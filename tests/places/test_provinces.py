"""The province data and lookups, checked against the shared reference."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.places import find_provinces, province, province_ids, provinces


def test_counts_and_merger_mapping_are_consistent() -> None:
    old, new = provinces("old"), provinces("new")
    assert (len(old), len(new)) == (63, 34)
    new_ids = {p.id for p in new}
    assert all(p.merged_into in new_ids for p in old)
    for unit in new:
        assert all(province(o, "old") is not None for o in unit.formed_from)
        assert {p.id for p in old if p.merged_into == unit.id} == set(unit.formed_from)


def test_data_file_matches_the_reference(reference_dir: Path) -> None:
    ref = yaml.safe_load((reference_dir / "admin_units.yaml").read_text(encoding="utf-8"))
    ref_old = {u["id"]: u["merged_into"] for u in ref["provinces_until_2025_06_30"]}
    assert {p.id: p.merged_into for p in provinces("old")} == ref_old
    ref_new = {u["id"]: sorted(u["formed_from"]) for u in ref["provinces_from_2025_07_01"]}
    assert {p.id: sorted(p.formed_from) for p in provinces("new")} == ref_new


def test_every_official_name_is_found_alone_and_with_its_prefix() -> None:
    for unit in provinces("old"):
        if unit.id == "ho_chi_minh":
            continue
        found = find_provinces(f"Tại {unit.name} hôm nay")
        assert [(m.text, m.province_id) for m in found] == [(unit.name, unit.id)], unit.id
    found = find_provinces("Hội LHPN thành phố Hồ Chí Minh")
    assert [(m.text, m.province_id, m.prefixed) for m in found] == [
        ("thành phố Hồ Chí Minh", "ho_chi_minh", True)
    ]


def test_realistic_sentences() -> None:
    text = (
        "LĐLĐ tỉnh Bà Rịa - Vũng Tàu trao quà; TP.Tuy Hòa (Phú Yên) và huyện Thanh Hà "
        "(Hải Dương); Đoàn TNCS Hồ Chí Minh; tư tưởng Hồ Chí Minh; xã Hòa Bình; Đắc Nông"
    )
    got = [(m.text, m.province_id, m.province_new_id) for m in find_provinces(text)]
    assert got == [
        ("tỉnh Bà Rịa - Vũng Tàu", "ba_ria_vung_tau", "ho_chi_minh"),
        ("Phú Yên", "phu_yen", "dak_lak"),
        ("Hải Dương", "hai_duong", "hai_phong"),
    ]
    assert province_ids("Thừa Thiên – Huế") == ("thua_thien_hue", "hue")
    assert province_ids("TP. Huế", published="2025-08-01") == ("thua_thien_hue", "hue")
    assert province_ids("tỉnh Phú Thọ", published="2025-08-01") == (None, "phu_tho")
    assert province_ids("tỉnh Phú Thọ", published="2024-08-01") == ("phu_tho", "phu_tho")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("HàNộiTP.tỉnh -–Lạng Sơn\n0123")), max_size=60))
def test_never_crashes_and_offsets_hold(text: str) -> None:
    for m in find_provinces(text):
        assert text[m.start : m.end] == m.text
