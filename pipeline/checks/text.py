"""What decides whether two claims are about the same thing: subjects, units, periods.

Everything compares folded text (no diacritics, lower case), so ``uỷ``/``ủy`` and
``Đảng``/``đảng`` do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.text.normalize import fold

# Function words that say nothing about what is counted.
_STOP = frozenset(
    w
    for w in re.findall(
        r"\w+",
        "các được là của cho và có đã với trong những này số tổng một đó thì để vào tới "
        "theo từ ở tại trên về như khi",
    )
)

# Counting words for people: a target of "hội viên" and an achievement in "quần chúng" can
# count the same people (the seed does exactly that).
_PEOPLE = frozenset(
    fold(u)
    for u in (
        "người",
        "hội viên",
        "đoàn viên",
        "đảng viên",
        "quần chúng",
        "thanh niên",
        "phụ nữ",
        "cán bộ",
        "học sinh",
        "sinh viên",
        "nông dân",
        "công nhân",
        "lao động",
        "chị",
        "hộ viên",
        "cựu chiến binh",
        "em",
        "cháu",
        "trẻ",
        "chi hội trưởng",
    )
)


def tokens(text: str | None) -> frozenset[str]:
    """The content syllables of a phrase, folded.

    >>> sorted(tokens("quần chúng ưu tú được giới thiệu cho Đảng"))
    ['chung', 'dang', 'gioi', 'quan', 'thieu', 'tu', 'uu']
    """
    words = re.findall(r"\w+", unicodedata.normalize("NFC", (text or "").lower()))
    return frozenset(fold(w) for w in words if w not in _STOP and not w.isdigit())


def subject_overlap(a: str | None, b: str | None) -> float:
    """Share of the shorter subject's content syllables found in the other (0 when either
    is missing).

    >>> subject_overlap("chi hội trưởng phụ nữ là đảng viên", "chi hội trưởng phụ nữ")
    1.0
    >>> round(subject_overlap("hội viên ưu tú giới thiệu cho các cấp uỷ",
    ...                       "quần chúng ưu tú giới thiệu cho Đảng"), 2)
    0.57
    >>> subject_overlap(None, "hội viên")
    0.0
    """
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def unit_class(unit: str | None) -> str | None:
    """A unit, folded, with every counting word for people mapped to ``people``.

    >>> unit_class("Hội viên"), unit_class("quần chúng"), unit_class("lượt"), unit_class(None)
    ('people', 'people', 'luot', None)
    """
    if unit and unit.strip() == "%":
        return "%"
    if not unit or not re.search(r"\w", unit):
        return None  # a stray quote mark is not a unit
    u = " ".join(fold(unit).split())
    return "people" if u in _PEOPLE else u


def same_org(a: str | None, b: str | None) -> bool | None:
    """Whether two organisations are the same as written (folded, ``Hội Liên hiệp Phụ nữ``
    = ``Hội LHPN``); None when either is missing.

    >>> same_org("Hội LHPN tỉnh Lạng Sơn", "Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn")
    True
    >>> same_org("Hội LHPN tỉnh Lạng Sơn", "Hội LHPN xã Bằng Mạc"), same_org(None, "x")
    (False, None)
    """
    if not a or not b:
        return None
    return org_key(a) == org_key(b)


_ORG_ABBR = (
    ("hoi lien hiep phu nu", "hoi lhpn"),
    ("lien doan lao dong", "ldld"),
    ("doan thanh nien cong san ho chi minh", "doan tn"),
    ("doan thanh nien", "doan tn"),
    ("mat tran to quoc", "mttq"),
    ("hoi nong dan", "hnd"),
    ("hoi cuu chien binh", "hccb"),
)


def org_key(org: str) -> str:
    """A folded key for an organisation name.

    >>> org_key("Hội Liên hiệp Phụ nữ  tỉnh Lạng Sơn")
    'hoi lhpn tinh lang son'
    """
    key = " ".join(re.findall(r"\w+", fold(org)))
    for long, short in _ORG_ABBR:
        key = key.replace(long, short)
    return key


# -- periods -----------------------------------------------------------------------------

_SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_PER_YEAR = ("hang nam", "moi nam", "/nam", "mot nam", "hang nam", "nam nao cung")
_TERM = re.compile(r"nhiem ky\s+((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)")
_PAST_TERM = ("nhiem ky qua", "nhiem ky vua qua", "nhiem ky truoc", "ca nhiem ky")


@dataclass(frozen=True, slots=True)
class Period:
    """A period as years: ``first``..``last`` and how many years it lasts (``years``);
    ``per_year`` for ``hằng năm``; ``how`` says where the years came from."""

    first: int | None = None
    last: int | None = None
    years: int | None = None
    per_year: bool = False
    how: str = ""


def parse_period(period: str | None) -> Period | None:
    """Years of a period as written.

    A term (``nhiệm kỳ 2016 – 2021``) runs from one congress to the next: 5 years. A plan
    period (``giai đoạn 2021 – 2025``) counts both ends: 5 years. A bare span is ambiguous
    about its length (None).

    >>> parse_period("nhiệm kỳ 2016 – 2021")
    Period(first=2016, last=2021, years=5, per_year=False, how='term')
    >>> parse_period("giai đoạn 2021-2025").years
    5
    >>> parse_period("hằng năm").per_year
    True
    >>> parse_period("năm 2024")
    Period(first=2024, last=2024, years=1, per_year=False, how='year')
    >>> parse_period("hiện nay") is None
    True
    """
    if not period:
        return None
    f = fold(period)
    if any(p in f for p in _PER_YEAR):
        return Period(years=1, per_year=True, how="per_year")
    m = _SPAN.search(f)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if b <= a:
            return None
        if "nhiem ky" in f:
            return Period(a, b, b - a, how="term")
        if "giai doan" in f or "ke hoach" in f:
            return Period(a, b, b - a + 1, how="plan")
        return Period(a, b, None, how="span")
    years = _YEAR.findall(f)
    if len(years) == 1 and re.search(r"\bnam\s+" + years[0], f) and "den" not in f:
        y = int(years[0])
        return Period(y, y, 1, how="year")
    return None


def resolve_past_term(period: str | None, text: str, published: str | None) -> Period | None:
    """``nhiệm kỳ qua`` made concrete: the term the article names that ended in the year
    of publication or the year before. Without a publication date it stays unknown (a
    congress article's "past term" is the one before the term it names).

    >>> t = "Trong nhiệm kỳ 2016 – 2021, ... Nhiệm kỳ 2021 – 2026, ..."
    >>> resolve_past_term("nhiệm kỳ qua", t, "2022-01-06")
    Period(first=2016, last=2021, years=5, per_year=False, how='past_term')
    >>> resolve_past_term("nhiệm kỳ qua", t, None) is None
    True
    """
    if not period or not published or not _YEAR.match(published[:4]):
        return None
    f = fold(period)
    if not any(p in f for p in _PAST_TERM):
        return None
    year = int(published[:4])
    terms = {(int(a), int(b)) for a, b in _TERM.findall(fold(text))}
    ended = [(a, b) for a, b in terms if year - 1 <= b <= year and a < b]
    if len(ended) != 1:
        return None
    a, b = ended[0]
    return Period(a, b, b - a, how="past_term")


def same_period(a: str | None, b: str | None) -> bool:
    """Whether two periods as written are the same (folded, spacing and dashes ignored).

    >>> same_period("nhiệm kỳ 2016 – 2021", "Nhiệm kỳ 2016-2021"), same_period(None, None)
    (True, True)
    >>> same_period("năm 2020", "năm 2021")
    False
    """
    return _period_key(a) == _period_key(b)


def _period_key(p: str | None) -> str:
    return re.sub(r"[\s\-–—]+", "", fold(p or ""))
