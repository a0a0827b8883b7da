"""Numbers as a careful reader takes them: precision, qualifier intervals, verdicts, formats.

A stated figure is an interval, not a point. ``43%`` is anything a writer would round or
truncate to 43 (42.5 ≤ x < 44); ``hơn 43%`` is anything from 43 up; ``khoảng 5.000`` is
within 5% of it; ``gần 70`` is a little under 70. A computed figure is *consistent* with a
stated one when it falls inside that interval, *cannot tell* when it falls only inside a
widened interval (one more step of rounding, a looser reading of the hedge), and
*inconsistent* beyond that.
"""

from __future__ import annotations

import math
import re

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
CANNOT_TELL = "cannot_tell"
IMPLAUSIBLE = "implausible"  # a figure no article can mean (pipeline.checks.plausibility)
VERDICTS = (CONSISTENT, INCONSISTENT, CANNOT_TELL, IMPLAUSIBLE)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SCALE = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}


def written_step(text: str | None, value: float) -> float:
    """The rounding step of a number as written: ``43%`` → 1, ``43,7%`` → 0.1,
    ``1,1 triệu`` → 100000, ``5.015`` → 1.

    >>> written_step("hơn 43%", 43), written_step("43,7%", 43.7)
    (1.0, 0.1)
    >>> written_step("trên 1,1 triệu lượt", 1_100_000)
    100000.0
    >>> written_step("748/1.711 chi hội trưởng", 748), written_step(None, 2.25)
    (1.0, 0.01)
    """
    m = _NUMBER.search(text or "")
    if m:
        raw = m.group(0)
        decimals = 0
        if "," in raw:
            decimals = len(raw.rsplit(",", 1)[1])
        elif raw.count(".") == 1 and len(raw.rsplit(".", 1)[1]) != 3:
            decimals = len(raw.rsplit(".", 1)[1])  # 2.5 written with a decimal point
        lowered = (text or "")[m.end() : m.end() + 8].lower()
        scale = next((v for k, v in _SCALE.items() if lowered.lstrip().startswith(k)), 1.0)
        return round(scale * 10.0**-decimals, 12)
    decimals = 0
    while decimals < 6 and not math.isclose(value * 10**decimals, round(value * 10**decimals)):
        decimals += 1
    return round(10.0**-decimals, 12)


def interval(
    value: float,
    qualifier: str,
    step: float = 1.0,
    value_max: float | None = None,
    *,
    loose: bool = False,
) -> tuple[float, float]:
    """What a stated figure allows, as ``(low, high)``; ``loose`` widens it by one more
    step of rounding and a looser reading of the hedge.

    >>> interval(43, "exact")
    (42.5, 44.0)
    >>> interval(43, "more_than")
    (43, inf)
    >>> interval(70, "nearly")
    (63.0, 70.5)
    >>> interval(8, "exact", value_max=10)
    (7.5, 11.0)
    >>> interval(3, "exceeding", loose=True)
    (2.0, 5.0)
    """
    hi_v = value if value_max is None else value_max
    if qualifier in ("exact", "exceeding"):
        if loose:
            return (value - step, hi_v + 2 * step)
        return (value - step / 2, hi_v + step)
    if qualifier in ("more_than", "at_least"):
        return (value - step / 2 if loose else value, math.inf)
    if qualifier == "less_than":
        return (-math.inf, hi_v + step / 2 if loose else hi_v)
    if qualifier == "about":
        rel = 0.15 if loose else 0.05
        slack = 2 * step if loose else step
        return (value - max(slack, rel * abs(value)), hi_v + max(slack, rel * abs(hi_v)))
    if qualifier == "nearly":
        rel = 0.2 if loose else 0.1
        return (value - max(step, rel * abs(value)), hi_v + (step if loose else step / 2))
    raise ValueError(f"unknown qualifier {qualifier!r}")


def judge(
    computed: float,
    value: float,
    qualifier: str,
    step: float = 1.0,
    value_max: float | None = None,
) -> str:
    """The verdict on a computed figure against a stated one.

    >>> judge(100 * 748 / 1711, 43, "more_than")
    'consistent'
    >>> judge(0.3, 3, "exceeding")
    'inconsistent'
    >>> judge(42.6, 43, "more_than")
    'cannot_tell'
    >>> judge(12, 10, "about")
    'cannot_tell'
    """
    lo, hi = interval(value, qualifier, step, value_max)
    if lo <= computed <= hi:
        return CONSISTENT
    lo, hi = interval(value, qualifier, step, value_max, loose=True)
    if lo <= computed <= hi:
        return CANNOT_TELL
    return INCONSISTENT


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two intervals share a point.

    >>> overlap((1, 2), (2, 3)), overlap((1, 2), (2.5, 3))
    (True, False)
    """
    return a[0] <= b[1] and b[0] <= a[1]


def fmt_en(x: float, digits: int = 1) -> str:
    """English number format.

    >>> fmt_en(1711), fmt_en(43.7142), fmt_en(4869.0), fmt_en(0.299)
    ('1,711', '43.7', '4,869', '0.3')
    """
    if math.isinf(x):
        return "∞"
    if math.isclose(x, round(x), abs_tol=10**-digits / 2) and abs(x) >= 10:
        return f"{round(x):,}"
    text = f"{x:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_vi(x: float, digits: int = 1) -> str:
    """Vietnamese number format (``.`` groups thousands, ``,`` marks decimals).

    >>> fmt_vi(1711), fmt_vi(43.7142), fmt_vi(5000)
    ('1.711', '43,7', '5.000')
    """
    return fmt_en(x, digits).translate(str.maketrans(",.", ".,"))


QUALIFIER_VI = {
    "exact": "",
    "more_than": "hơn ",
    "at_least": "ít nhất ",
    "about": "khoảng ",
    "nearly": "gần ",
    "less_than": "dưới ",
    "exceeding": "vượt ",
}
QUALIFIER_EN = {
    "exact": "",
    "more_than": "more than ",
    "at_least": "at least ",
    "about": "about ",
    "nearly": "nearly ",
    "less_than": "less than ",
    "exceeding": "exceeding by ",
}
VERDICT_VI = {
    CONSISTENT: "khớp",
    INCONSISTENT: "không khớp",
    CANNOT_TELL: "chưa đủ căn cứ",
}
VERDICT_EN = {
    CONSISTENT: "Consistent",
    INCONSISTENT: "Inconsistent",
    CANNOT_TELL: "Cannot tell",
}
