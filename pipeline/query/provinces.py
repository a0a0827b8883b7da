"""The --province filter: a written name or id to the ids a claim may carry.

A name of a province as it is from 2025-07-01 (e.g. ``Hưng Yên``) finds claims whose
``province_new_id`` is that unit and claims whose ``province_id`` is any unit merged into
it (``thai_binh``), so an article about Thái Bình is found under Hưng Yên as well. A name
that is only a former province (``Thái Bình``) finds claims of that former unit. Lookups
ignore case, accents and the level prefix (tỉnh, thành phố, TP).
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.places import provinces
from pipeline.text.normalize import fold_query

_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")


def _key(text: str) -> str:
    """Folded, prefix-less, punctuation-light key of a province name or id.

    >>> _key("Tỉnh Bà Rịa – Vũng Tàu"), _key("ba_ria_vung_tau"), _key("TP. Hồ Chí Minh")
    ('ba ria vung tau', 'ba ria vung tau', 'ho chi minh')
    """
    folded = fold_query(text.replace("_", " "))
    folded = re.sub(r"\s*[-–]\s*", " ", folded)
    folded = _PREFIX.sub("", folded)
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


@cache
def _forms() -> tuple[dict[str, str], dict[str, str]]:
    """(key -> old unit id, key -> new unit id) for every id, name and written form."""
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    for era, index in (("old", old), ("new", new)):
        for p in provinces(era):
            for form in (p.id, p.name, p.full_name, *p.forms):
                key = _key(form)
                if key:
                    index.setdefault(key, p.id)
    old.update({"hcm": "ho_chi_minh", "tphcm": "ho_chi_minh"})
    new.update({"hcm": "ho_chi_minh", "tphcm": "ho_chi_minh"})
    return old, new


def province_filter(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(old ids, new ids)``: a claim matches when its ``province_id`` is one of the old
    ids or its ``province_new_id`` one of the new ids. Unknown names give ``((), ())``.

    >>> province_filter("Hưng Yên")
    (('hung_yen', 'thai_binh'), ('hung_yen',))
    >>> province_filter("thai binh")
    (('thai_binh',), ())
    >>> province_filter("TP.HCM")[1], province_filter("Atlantis")
    (('ho_chi_minh',), ((), ()))
    """
    key = _key(name)
    if not key:
        return ((), ())
    old, new = _forms()
    if key in new:
        unit = next(p for p in provinces("new") if p.id == new[key])
        return (unit.formed_from or (unit.id,), (unit.id,))
    if key in old:
        return ((old[key],), ())
    return ((), ())
