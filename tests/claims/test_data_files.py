"""The finder's data files (units, cue words) and the organisations data are well formed."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.claims.rules import cues
from pipeline.claims.units import load_units, unit_after
from pipeline.orgs import find_organisations, organisation_id, organisations

MEASURES = {"money", "quantity", "percent", "time", "age", "count", "none"}


def test_units_load_and_every_form_is_lower_case() -> None:
    units = load_units()
    assert units.forms["đồng"] == ("money", "đồng")
    assert units.forms["ha"] == ("quantity", "ha")
    for form, (kind, _) in units.forms.items():
        assert form == form.lower().strip() and form, form
        assert kind in MEASURES


def test_cue_lists_are_lower_case_and_disjoint_where_it_matters() -> None:
    c = cues()
    assert set(c.qualifiers.values()) == {
        "more_than",
        "at_least",
        "about",
        "nearly",
        "less_than",
        "exceeding",
    }
    for group in (c.target, c.reported, c.identifier, c.vague, c.neutral):
        assert all(w == w.lower().strip() and w for w in group)
    assert not (set(c.qualifiers) & c.identifier)


def test_unit_after_reads_quoted_names_and_slashes() -> None:
    assert unit_after("4 “Mái ấm Công đoàn” cho CNLĐ", 1).kind == "count"
    assert unit_after("700.000 đồng/phần", 7).unit == "đồng"
    assert unit_after("15 %", 2).kind == "percent"


def test_organisations_match_the_reference(reference_dir: Path) -> None:
    ref = yaml.safe_load((reference_dir / "organisations.yaml").read_text(encoding="utf-8"))
    assert [o["id"] for o in ref["organisations"]] == [o.id for o in organisations()]


def test_find_organisations_in_news_sentences() -> None:
    text = (
        "LĐLĐ tỉnh Bà Rịa - Vũng Tàu trao quà; Hội Nông dân phường Phú Lãm; "
        "Thành đoàn TNCS TPHCM; Trung ương Đoàn; UBTƯ MTTQ Việt Nam họp."
    )
    got = [(m.text, m.org_id, m.level) for m in find_organisations(text)]
    assert ("LĐLĐ tỉnh Bà Rịa - Vũng Tàu", "cong_doan", "tinh") in got
    assert ("Hội Nông dân phường Phú Lãm", "hoi_nong_dan", "xa") in got
    assert ("Trung ương Đoàn", "doan_tncs", "trung_uong") in got
    assert organisation_id("UBTƯ MTTQ Việt Nam") == "mttq"
    assert find_organisations("Đảng viên và đội viên") == []
