"""Figures no article can mean: more people than live on Earth, more money than the
country makes in a year, a share above 100%.

The claim finder keeps every number an article states (``1.000.000.000.000.000.000 hội
viên`` is what the text says, a typo or a joke); this check flags such a claim
``implausible`` so that it is read before it is used. One claim per check, role
``figure``. Bounds (generous: only the absurd is flagged):

- a count of people (``unit_class`` ``people``: hội viên, người, đoàn viên...) above the
  world population, about 8.2 billion;
- any other count above 10^15;
- money in đồng above 10^16 (Vietnam's GDP is about 1.1 × 10^16 đồng a year); in another
  currency (USD, EUR...) above 10^12;
- a percentage above 100 only when it is a share: a share word (``chiếm``, ``tỷ lệ``,
  ``trong tổng số``) comes before it in its clause and no growth or plan word (``tăng``,
  ``giảm``, ``vượt``, ``so với``, ``gấp``, ``kế hoạch``, ``chỉ tiêu``) is in the clause. A
  percentage increase (``tăng 150%``) or a plan fulfilled (``đạt 120% kế hoạch``) may
  exceed 100 (docs/claims.md, docs/checks.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from pipeline.checks.context import has_cue
from pipeline.checks.model import ArticleMeta, CheckRow, make_check
from pipeline.checks.numbers import IMPLAUSIBLE
from pipeline.checks.text import unit_class
from pipeline.checks.within import quote
from pipeline.text.normalize import fold
from pipeline.types import Claim

WORLD_POPULATION = 8.2e9
MAX_COUNT = 1e15
MAX_DONG = 1e16
MAX_FOREIGN_MONEY = 1e12
SHARE_CUES = ("chiem", "ty le", "ti le", "trong tong so", "tren tong so", "trong so")
CHANGE_CUES = (
    "tang",
    "giam",
    "vuot",
    "so voi",
    "gap",
    "ke hoach",
    "chi tieu",
    "cao hon",
    "thap hon",
    "nang",
)
_CLAUSE_END = re.compile(r"[;:.!?]|,\s")


def _magnitude(x: float) -> str:
    """A figure for the explanation: in full below 10^15, else as a power of ten.

    >>> _magnitude(8.2e9), _magnitude(1e18), _magnitude(7.7e299)
    ('8,200,000,000', '10^18', '7.7 × 10^299')
    """
    if abs(x) < 1e15:
        return f"{x:,.0f}"
    exponent = math.floor(math.log10(abs(x)))
    mantissa = round(abs(x) / 10.0**exponent, 2)
    if mantissa >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"10^{exponent}" if mantissa == 1 else f"{mantissa:g} × 10^{exponent}"


def _clause(c: Claim, text: str) -> tuple[str, str]:
    """The text of the claim's clause before and after the claim (within its sentence)."""
    if text[c.start : c.end] == c.text and c.sentence_end > c.sentence_start:
        before, after = text[c.sentence_start : c.start], text[c.end : c.sentence_end]
    else:  # no article text: place the claim in its sentence
        at = c.sentence.find(c.text)
        before, after = (
            (c.sentence, "") if at < 0 else (c.sentence[:at], c.sentence[at + len(c.text) :])
        )
    before = _CLAUSE_END.split(before)[-1]
    after = _CLAUSE_END.split(after)[0]
    return before, after


def _money_bound(unit: str | None) -> tuple[float, str, str]:
    u = fold(unit or "")
    if not u or "dong" in u or "vnd" in u:
        return MAX_DONG, "đồng", "dong"
    return MAX_FOREIGN_MONEY, unit or "", unit or ""


def _finding(c: Claim, article: ArticleMeta | None) -> tuple[float, str, str] | None:
    """(bound, Vietnamese reason, English reason) when the claim is beyond belief."""
    value = max(c.value, c.value_max or c.value)
    if c.measure == "count":
        if unit_class(c.unit) == "people" and value > WORLD_POPULATION:
            return (
                WORLD_POPULATION,
                "nhiều người hơn dân số thế giới (khoảng 8,2 tỷ)",
                "more people than live on Earth (about 8.2 billion)",
            )
        if value > MAX_COUNT:
            return MAX_COUNT, "lớn hơn 10^15", "more than 10^15 of anything"
    elif c.measure == "money":
        bound, vi_unit, en_unit = _money_bound(c.unit)
        if value > bound:
            return (
                bound,
                f"hơn {_magnitude(bound)} {vi_unit}",
                f"more than {_magnitude(bound)} {en_unit}"
                + (
                    " (Vietnam's GDP is about 1.1 × 10^16 dong a year)" if bound == MAX_DONG else ""
                ),
            )
    elif c.measure == "percent" and value > 100:
        before, after = _clause(c, article.text if article else "")
        if has_cue(before, SHARE_CUES) and not has_cue(before + " " + after, CHANGE_CUES):
            return (
                100.0,
                "một tỷ lệ (phần của tổng) không thể vượt 100%",
                "a share of a whole cannot exceed 100%",
            )
    return None


def plausibility(claims: Sequence[Claim], article: ArticleMeta | None = None) -> list[CheckRow]:
    """One ``plausibility`` check, verdict ``implausible``, per claim beyond belief.

    >>> from pipeline.types import Claim
    >>> s = "Hội có 1.000.000.000.000.000.000 hội viên."
    >>> c = Claim("a", s, "1.000.000.000.000.000.000 hội viên", 7, 41, 1e18, "count",
    ...           "reported", "exact", unit="hội viên", sentence_end=len(s))
    >>> (row,) = plausibility([c], ArticleMeta("a", s))
    >>> row.kind, row.verdict, row.computed
    ('plausibility', 'implausible', '10^18 > 8,200,000,000')
    >>> plausibility([Claim("a", s, "5 hội viên", 7, 17, 5.0, "count", "reported", "exact")])
    []
    """
    out = []
    for c in claims:
        found = _finding(c, article)
        if found is None:
            continue
        bound, why_vi, why_en = found
        value = max(c.value, c.value_max or c.value)
        out.append(
            make_check(
                "plausibility",
                IMPLAUSIBLE,
                [(c.id, "figure")],
                quote(c),
                f"{_magnitude(value)} > {_magnitude(bound)}",
                f"Con số “{quote(c)}” khó tin: {why_vi}. Có thể là lỗi đánh máy hoặc lỗi đọc "
                "số; kiểm tra lại bài gốc trước khi dùng.",
                f"The figure “{quote(c)}” is implausible: {why_en}. Probably a typo or a "
                "misread number; check the source before using it.",
                stated_value=value,
                computed_value=bound,
            )
        )
    return out
