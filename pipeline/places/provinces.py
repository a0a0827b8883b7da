"""Vietnam's provincial-level units: 63 until 2025-06-30, 34 from 2025-07-01.

The data file ``provinces.yaml`` beside this module is built from the shared reference by
``scripts/build_places.py``. Every unit has an ``id`` (snake_case; old and new lists share
an id where the name survived, e.g. ``lao_cai``) and the written forms seen in news text.

Matching is accent-insensitive but case-sensitive on the name (``Thái Bình`` the province,
not ``thái bình`` "peace"); the prefixes ``tỉnh``, ``thành phố``, ``TP.`` are matched in
any case. A bare name is not taken when a lower admin level (``huyện Long An``), a street
or a person's name (``Nguyễn Thái Bình``) comes right before it; ``Hồ Chí Minh`` counts
only with a city prefix (otherwise it is the president, the Youth Union...).

>>> [(m.text, m.province_id, m.province_new_id) for m in find_provinces("Hội LHPN tỉnh Lạng Sơn")]
[('tỉnh Lạng Sơn', 'lang_son', 'lang_son')]
>>> province_ids("Yên Bái")
('yen_bai', 'lao_cai')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.text.normalize import TranslateTable

DATA = Path(__file__).with_name("provinces.yaml")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MERGER_DATE = "2025-07-01"

_PREFIX = r"(?:(?i:tỉnh|tinh|thành phố|thanh pho|tp\.?|t\.p\.?)\s*)"
# Words that, right before a bare name, show it names something else.
_BLOCKERS = {
    "huyện",
    "xã",
    "phường",
    "quận",
    "thị xã",
    "thị trấn",
    "thôn",
    "ấp",
    "bản",
    "xóm",
    "làng",
    "khu phố",
    "tổ dân phố",
    "khóm",
    "buôn",
    "đường",
    "phố",
    "cầu",
    "chợ",
    "sông",
    "hồ",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Lương",
    "Văn",
    "Thị",
    "Đức",
    "Hữu",
    "Ngọc",
    "Minh",
    "Quang",
    "Thanh",
    "ông",
    "bà",
    "anh",
    "chị",
    "em",
    "cháu",
}


@dataclass(frozen=True, slots=True)
class Province:
    """One provincial unit of one era (``old``: until 2025-06-30, ``new``: from 2025-07-01)."""

    id: str
    era: str
    name: str
    full_name: str
    type: str
    forms: tuple[str, ...]
    gso_code: str | None = None
    merged_into: str | None = None  # old units: the new unit they became part of
    formed_from: tuple[str, ...] = ()  # new units: the old units they were made of


@dataclass(frozen=True, slots=True)
class ProvinceMatch:
    """A province named in a text; ``start``/``end`` are offsets into that text."""

    start: int
    end: int
    text: str
    province_id: str | None  # the unit before the merger (None when it cannot be told)
    province_new_id: str | None  # the unit from 2025-07-01
    prefixed: bool  # written with "tỉnh", "thành phố", "TP" before the name


def strip_accents(text: str) -> str:
    """Remove diacritics, keeping case and length.

    >>> strip_accents("Đắk Lắk, Thừa Thiên – Huế")
    'Dak Lak, Thua Thien – Hue'
    """
    if text.isascii():
        return text
    return text.translate(_STRIP_TABLE)


def _strip_char(c: str) -> str:
    if c == "đ":
        return "d"
    if c == "Đ":
        return "D"
    if not c.isascii():
        base = unicodedata.normalize("NFD", c)[0]
        if len(base) == 1 and base != c:
            return base
    return c


_STRIP_TABLE = TranslateTable(_strip_char)


@cache
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(DATA.read_text(encoding="utf-8"), Loader=_LOADER)
    return loaded


@cache
def provinces(era: str = "old") -> tuple[Province, ...]:
    """All units of an era, in the reference order.

    >>> len(provinces("old")), len(provinces("new"))
    (63, 34)
    """
    if era not in ("old", "new"):
        raise ValueError(f"era must be 'old' or 'new', not {era!r}")
    key = "provinces_until_2025_06_30" if era == "old" else "provinces_from_2025_07_01"
    return tuple(
        Province(
            id=u["id"],
            era=era,
            name=u["name"],
            full_name=u["full_name"],
            type=u["type"],
            forms=tuple(u["forms"]),
            gso_code=u.get("gso_code") or None,
            merged_into=u.get("merged_into"),
            formed_from=tuple(u.get("formed_from") or ()),
        )
        for u in _data()[key]
    )


def province(province_id: str, era: str = "old") -> Province | None:
    """The unit with this id in an era, or None.

    >>> province("thai_binh").merged_into, province("hung_yen", "new").formed_from
    ('hung_yen', ('hung_yen', 'thai_binh'))
    """
    for p in provinces(era):
        if p.id == province_id:
            return p
    return None


def _key(form: str) -> str:
    dashed = re.sub(r"\s*[-–]\s*", " - ", strip_accents(form))
    return " ".join(dashed.split())


@cache
def _index() -> dict[str, tuple[str | None, str | None]]:
    """Accent-stripped written form -> (old id, new id)."""
    index: dict[str, tuple[str | None, str | None]] = {}
    for p in provinces("old"):
        for form in p.forms:
            index[_key(form)] = (p.id, p.merged_into)
    for p in provinces("new"):
        for form in p.forms:
            old, _ = index.get(_key(form), (None, None))
            if old is None and len(p.formed_from) == 1:
                old = p.formed_from[0]
            index[_key(form)] = (old, p.id)
    return index


def _bare(form: str) -> str:
    """A written form without its level prefix."""
    return re.sub(r"^" + _PREFIX, "", _key(form)).strip()


@cache
def _pattern() -> re.Pattern[str]:
    names = sorted({_bare(f) for f in _index()} - {""}, key=len, reverse=True)
    alts = "|".join(
        re.escape(n).replace(r"\ \-\ ", r"\s*[-–]\s*").replace(r"\ ", r"\s+") for n in names
    )
    # a name or a prefix starts here: one look-ahead rules out most positions at once
    firsts = "".join(sorted({n[0] for n in names} | {"t", "T"}))
    return re.compile(
        r"(?<![\w.])(?=[" + re.escape(firsts) + r"])(" + _PREFIX + r")?(" + alts + r")(?![\w])"
    )


@cache
def _bare_index() -> dict[str, tuple[str | None, str | None, bool]]:
    """Name without prefix -> (old id, new id, whether it may stand without a prefix)."""
    out: dict[str, tuple[str | None, str | None, bool]] = {}
    for form, (old, new) in _index().items():
        bare = _bare(form)
        alone = form == bare or bool(out.get(bare, (None, None, False))[2])
        if bare not in out or form == bare:
            out[bare] = (old, new, alone)
        else:
            out[bare] = (*out[bare][:2], alone)
    return out


def _blocked(stripped: str, start: int) -> bool:
    before = stripped[max(0, start - 20) : start].rstrip()
    words = before.split()
    if not words:
        return False
    last = words[-1]
    two = " ".join(words[-2:])
    blockers = _stripped_blockers()
    return last in blockers or two in blockers


@cache
def _stripped_blockers() -> frozenset[str]:
    return frozenset(strip_accents(b) for b in _BLOCKERS)


def _after_merger(published: str | None) -> bool:
    return bool(published) and str(published)[:10] >= MERGER_DATE


def find_provinces(text: str, *, published: str | None = None) -> list[ProvinceMatch]:
    """Provinces named in a text, left to right.

    ``published`` (ISO date) matters for units merged in 2025: in a text from after
    2025-07-01, ``tỉnh Lào Cai`` is the new, larger unit, and its old id cannot be told.

    >>> [(m.text, m.province_id, m.province_new_id) for m in find_provinces(
    ...     "Phú Yên và TP.HCM, huyện Long An, ông Nguyễn Thái Bình, Hồ Chí Minh")]
    [('Phú Yên', 'phu_yen', 'dak_lak'), ('TP.HCM', 'ho_chi_minh', 'ho_chi_minh')]
    >>> [(m.province_id, m.province_new_id) for m in find_provinces("tỉnh Lào Cai",
    ...     published="2025-09-01")]
    [(None, 'lao_cai')]
    >>> find_provinces("thái bình, hòa bình")
    []
    """
    if len(text) <= 200:
        return list(_find_short(text, published))
    return _find(text, published)


@lru_cache(maxsize=4096)
def _find_short(text: str, published: str | None) -> tuple[ProvinceMatch, ...]:
    return tuple(_find(text, published))


def _find(text: str, published: str | None) -> list[ProvinceMatch]:
    stripped = strip_accents(text)
    index = _bare_index()
    out = []
    for m in _pattern().finditer(stripped):
        prefix, name = m.group(1), m.group(2)
        if not prefix and _blocked(stripped, m.start()):
            continue
        found = index.get(_key(name))
        if found is None:  # pragma: no cover - the pattern is built from the index
            continue
        old, new, alone = found
        if not prefix and not alone:
            continue
        if _after_merger(published) and new is not None:
            unit = province(new, "new")
            if unit is not None and len(unit.formed_from) > 1 and old == new:
                old = None
        out.append(
            ProvinceMatch(m.start(), m.end(), text[m.start() : m.end()], old, new, bool(prefix))
        )
    return out


def province_ids(name: str, *, published: str | None = None) -> tuple[str | None, str | None]:
    """``(old_id, new_id)`` for a written province name, ``(None, None)`` if unknown.

    >>> province_ids("tỉnh Thừa Thiên Huế"), province_ids("Bà Rịa – Vũng Tàu")
    (('thua_thien_hue', 'hue'), ('ba_ria_vung_tau', 'ho_chi_minh'))
    >>> province_ids("Hà Nội"), province_ids("Atlantis")
    (('ha_noi', 'ha_noi'), (None, None))
    """
    found = find_provinces(name.strip(), published=published)
    if not found:
        return (None, None)
    return (found[0].province_id, found[0].province_new_id)
