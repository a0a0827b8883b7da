"""Each rule on made-up sentences: what it relates, and what it must leave alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.checks.core import compute_checks
from pipeline.checks.model import CheckRow
from pipeline.checks.numbers import judge
from pipeline.checks.within import within_article
from tests.checks.helpers import Doc


def _one(rows: list[CheckRow], kind: str) -> CheckRow:
    got = [r for r in rows if r.kind == kind]
    assert len(got) == 1, got
    return got[0]


def test_share_off_by_a_lot_is_inconsistent() -> None:
    d = Doc().sentence("Toàn huyện có 300/1.000 hộ nghèo, chiếm 45% tổng số hộ.")
    d.claim("300/1.000 hộ", 300, "ratio", denominator=1000, unit="hộ", subject="hộ nghèo")
    d.claim("45%", 45, "percent", unit="%", subject="hộ nghèo")
    r = _one(within_article(d.claims, d.article()), "percent_of_whole")
    assert r.verdict == "inconsistent"
    assert r.computed_value == 30


def test_part_and_whole_counts_with_a_percent() -> None:
    d = Doc().sentence("Có 200 hội viên, trong đó 50 hội viên là đảng viên, chiếm khoảng 26%.")
    d.claim("200 hội viên", 200, unit="hội viên", subject="hội viên")
    d.claim("50 hội viên", 50, unit="hội viên", subject="hội viên là đảng viên")
    d.claim("khoảng 26%", 26, "percent", qualifier="about", unit="%")
    r = _one(within_article(d.claims, d.article()), "percent_of_whole")
    assert r.verdict == "consistent"  # 25% is "khoảng 26%"
    assert r.roles == ("part", "whole", "percent")


@given(st.floats(0.5, 99), st.sampled_from(["exact", "about", "more_than", "at_least"]))
def test_a_figure_agrees_with_itself(x: float, q: str) -> None:
    v = round(x, 1)
    assert judge(v, v, q, 0.1) == "consistent"


def test_qualifiers_widen_as_a_reader_would() -> None:
    assert judge(43.7, 43, "exact") == "consistent"  # truncated
    assert judge(42.6, 43, "exact") == "consistent"  # rounded
    assert judge(43.7, 43, "less_than") == "inconsistent"
    assert judge(68, 70, "nearly") == "consistent"
    assert judge(71.5, 70, "nearly") == "inconsistent"
    assert judge(52, 50, "about") == "consistent"
    assert judge(60, 50, "about") == "inconsistent"


def test_percent_before_an_unrelated_ratio_is_left_alone() -> None:
    d = Doc().sentence("15% số hộ đạt danh hiệu tiêu biểu, 4/4 làng đều giữ vững danh hiệu.")
    d.claim("15%", 15, "percent", unit="%", subject="số hộ đạt danh hiệu tiêu biểu")
    d.claim("4/4 làng", 4, "ratio", denominator=4, unit="làng", subject="làng")
    assert within_article(d.claims, d.article()) == []


def test_trong_so_puts_the_part_first() -> None:
    d = Doc().sentence("10 ý tưởng xuất sắc nhất trong số 1.046 ý tưởng vào chung kết.")
    d.claim("10 ý tưởng", 10, unit="ý tưởng", subject="ý tưởng xuất sắc nhất")
    d.claim("1.046 ý tưởng", 1046, unit="ý tưởng", subject="ý tưởng")
    r = _one(within_article(d.claims, d.article()), "part_of_whole")
    assert r.verdict == "consistent" and r.roles == ("part", "whole")


def test_con_so_nay_is_not_a_part() -> None:
    d = Doc().sentence(
        "Năm 2016 có 34 trường, thì năm 2017 con số này đã tăng lên thành 45 trường."
    )
    d.claim("34 trường", 34, unit="trường", subject="trường")
    d.claim("45 trường", 45, unit="trường", subject="trường")
    assert within_article(d.claims, d.article()) == []


def test_parts_that_add_up_and_a_part_too_large() -> None:
    d = Doc().sentence("Đội có 7 thành viên, gồm 5 thành viên chính thức và 2 thành viên dự bị.")
    d.claim("7 thành viên", 7, unit="thành viên", subject="thành viên")
    d.claim("5 thành viên", 5, unit="thành viên", subject="thành viên chính thức")
    d.claim("2 thành viên", 2, unit="thành viên", subject="thành viên dự bị")
    d.sentence("Xã có 12 hộ nghèo, trong đó 15 hộ được vay vốn.")
    d.claim("12 hộ", 12, unit="hộ", subject="hộ nghèo")
    d.claim("15 hộ", 15, unit="hộ", subject="hộ được vay vốn")
    rows = within_article(d.claims, d.article())
    assert _one(rows, "parts_sum").verdict == "consistent"
    assert _one(rows, "part_of_whole").verdict == "inconsistent"


def test_target_needs_a_known_period() -> None:
    """Without a date, "nhiệm kỳ qua" is not resolved: no check rather than a guess."""
    d = Doc("x1")
    d.sentence("Hằng năm giới thiệu 100 quần chúng ưu tú cho Đảng.")
    d.claim(
        "100 quần chúng",
        100,
        status="target",
        unit="quần chúng",
        subject="quần chúng ưu tú giới thiệu cho Đảng",
        period="hằng năm",
        organisation="Hội X",
    )
    d.sentence(
        "Nhiệm kỳ 2016 – 2021 đã qua. Trong nhiệm kỳ qua giới thiệu 520 quần chúng ưu tú "
        "cho Đảng (vượt 4% chỉ tiêu).",
        new_paragraph=True,
    )
    kw = {"period": "nhiệm kỳ qua", "organisation": "Hội X"}
    d.claim(
        "520 quần chúng",
        520,
        unit="quần chúng",
        subject="quần chúng ưu tú giới thiệu cho Đảng",
        **kw,
    )
    d.claim("vượt 4%", 4, "percent", qualifier="exceeding", unit="%", subject="chỉ tiêu", **kw)
    assert [
        r for r in within_article(d.claims, d.article()) if r.kind == "target_vs_achieved"
    ] == []
    dated = Doc("x1", published="2021-12-01")
    dated.text, dated.claims = d.text, d.claims
    r = _one(within_article(d.claims, dated.article()), "target_vs_achieved")
    assert r.verdict == "consistent"  # 5 × 100 = 500; 520 is 4% over
    assert r.computed_value == 4


def test_cross_article_conflict_and_series() -> None:
    org = {"organisation": "Hội LHPN tỉnh A", "unit": "đảng viên"}
    docs = []
    for aid, year, value in (("a1", 2019, 120), ("a2", 2019, 150), ("a3", 2020, 130)):
        d = Doc(aid).sentence(f"Năm {year}, kết nạp {value} đảng viên mới.")
        d.claim(f"{value} đảng viên", value, subject="đảng viên mới", period=f"năm {year}", **org)
        docs.append(d)
    claims = [c for d in docs for c in d.claims]
    rows = compute_checks(claims, {d.id: d.article() for d in docs})
    cross = _one(rows, "cross_article")
    assert cross.verdict == "inconsistent" and cross.article_ids == ("a1", "a2")
    s = _one(rows, "series")
    assert s.verdict == "cannot_tell" and [r for r in s.roles] == ["year 2019", "year 2020"]


def test_different_organisations_are_never_compared() -> None:
    docs = []
    for aid, org in (("a1", "Hội LHPN tỉnh A"), ("a2", "Hội LHPN tỉnh B")):
        d = Doc(aid).sentence("Năm 2019, kết nạp 120 đảng viên mới.")
        d.claim(
            "120 đảng viên",
            120,
            subject="đảng viên mới",
            period="năm 2019",
            organisation=org,
            unit="đảng viên",
        )
        docs.append(d)
    claims = [c for d in docs for c in d.claims]
    assert compute_checks(claims, {d.id: d.article() for d in docs}) == []
