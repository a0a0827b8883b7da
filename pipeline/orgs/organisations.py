"""Mass organisations and bodies named in news text.

The data file ``organisations.yaml`` beside this module is built from the shared reference
by ``scripts/build_orgs.py``. ``find_organisations`` finds the written forms (``Hội LHPN``,
``LĐLĐ``, ``Trung ương Đoàn``) with the level and place that follow them (``Hội LHPN xã
Bằng Mạc``, ``LĐLĐ tỉnh Bà Rịa - Vũng Tàu``, ``LĐLĐ TPHCM``).

>>> [(m.text, m.org_id, m.level, m.place) for m in find_organisations(
...     "bà Phương, Chủ tịch Hội LHPN xã Bằng Mạc, huyện Chi Lăng cho biết")]
[('Hội LHPN xã Bằng Mạc', 'hoi_lhpn', 'xa', 'xã Bằng Mạc')]
>>> [(m.text, m.level, m.place) for m in find_organisations("các cấp Hội LHPN tỉnh đã đề ra")]
[('Hội LHPN tỉnh', 'tinh', None)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA = Path(__file__).with_name("organisations.yaml")

LEVEL_WORDS = {
    "tỉnh": "tinh",
    "thành phố": "tinh",
    "TP.": "tinh",
    "TP": "tinh",
    "Tp.": "tinh",
    "huyện": "huyen",
    "quận": "huyen",
    "thị xã": "huyen",
    "TX.": "huyen",
    "TX": "huyen",
    "xã": "xa",
    "phường": "xa",
    "thị trấn": "xa",
    "đặc khu": "xa",
}
_CENTRAL = re.compile(r"^(Trung ương|TW|TƯ|T\.Ư|Tổng|UBTƯ|BCH TW)\b|Việt Nam$|VN$")
_NAME_WORD = re.compile(r"[^\W_][\w.]*(?:-[\w.]+)*")


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    category: str | None
    forms: tuple[str, ...]
    member_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrgMatch:
    """An organisation named in a text; offsets into that text."""

    start: int
    end: int
    text: str
    org_id: str
    level: str | None  # trung_uong | tinh | huyen | xa | None when not written
    place: str | None  # the place part as written: "xã Bằng Mạc", "Lạng Sơn", "TPHCM"


@cache
def organisations() -> tuple[Organisation, ...]:
    """Every organisation of the data file.

    >>> [o.id for o in organisations()][:3]
    ['hoi_lhpn', 'doan_tncs', 'hoi_lhtn']
    """
    raw: dict[str, Any] = yaml.load(DATA.read_text(encoding="utf-8"), Loader=_LOADER)
    return tuple(
        Organisation(
            o["id"], o["name"], o.get("category"), tuple(o["forms"]), tuple(o["member_terms"])
        )
        for o in raw["organisations"]
    )


@cache
def _forms() -> dict[str, str]:
    out: dict[str, str] = {}
    for org in organisations():
        for form in org.forms:
            out.setdefault(form, org.id)
    return out


@cache
def _pattern() -> re.Pattern[str]:
    forms = sorted(_forms(), key=len, reverse=True)
    alts = "|".join(re.escape(f) for f in forms)
    # the lookahead on the first letters spares trying every form at every word start
    firsts = "".join(sorted({f[0] for f in forms}))
    return re.compile(r"(?<![\w.])(?=[" + re.escape(firsts) + "])(" + alts + r")(?![\w])")


_SPACES = re.compile(r"\s+")
_DASH_GAP = re.compile(r"\s*(?:[-–]\s*)?")
_LEVELS_LONGEST_FIRST = tuple(sorted(LEVEL_WORDS, key=len, reverse=True))


def _place_after(text: str, pos: int) -> tuple[str | None, str | None, int]:
    """(level, place as written, end) for what follows an organisation's name."""
    m = _SPACES.match(text, pos)
    if not m:
        return None, None, pos
    i = m.end()
    level = None
    for word in _LEVELS_LONGEST_FIRST:
        if text.startswith(word, i) and (
            i + len(word) == len(text) or not text[i + len(word)].isalnum() or word.endswith(".")
        ):
            level = LEVEL_WORDS[word]
            level_start, i = i, i + len(word)
            break
    names: list[tuple[int, int]] = []
    j = i
    while len(names) < 5:
        m2 = _DASH_GAP.match(text, j)
        k = m2.end() if m2 else j
        w = _NAME_WORD.match(text, k)
        if not w or not (w.group()[0].isupper() or (level and w.group().isdigit())):
            break
        if names and "\n" in text[j:k]:
            break
        names.append((w.start(), w.end()))
        j = w.end()
    if names and not level:
        # without a level word, only a province or an abbreviation is a place (LĐLĐ Đồng
        # Tháp, LĐLĐ TPHCM); other capitalised words are a person or a longer name
        from pipeline.places import find_provinces

        first = text[names[0][0] : names[-1][1]]
        found = find_provinces(first)
        if found and found[0].start == 0:
            end = names[0][0] + found[0].end
            return None, text[names[0][0] : end], end
        if text[names[0][0] : names[0][1]].replace(".", "").isupper():
            return None, text[names[0][0] : names[0][1]].rstrip("."), names[0][1]
        return None, None, pos
    if names:
        start = level_start if level else names[0][0]
        end = names[-1][1]
        return level, text[start:end].rstrip("."), end
    if level:
        return level, None, i
    return None, None, pos


def find_organisations(text: str) -> list[OrgMatch]:
    """Organisations named in a text, left to right (see the module docstring)."""
    out = []
    forms = _forms()
    for m in _pattern().finditer(text):
        org_id = forms[m.group(1)]
        level, place, end = _place_after(text, m.end())
        if level is None and _CENTRAL.search(m.group(1)):
            level = "trung_uong"
        out.append(OrgMatch(m.start(), end, text[m.start() : end], org_id, level, place))
    return out


def organisation_id(name: str) -> str | None:
    """The id of the organisation a written name refers to, or None.

    >>> organisation_id("LĐLĐ tỉnh Bà Rịa - Vũng Tàu"), organisation_id("Hội Nông dân phường Phú Lãm")
    ('cong_doan', 'hoi_nong_dan')
    >>> organisation_id("Samsung Việt Nam") is None
    True
    """
    found = find_organisations(name)
    return found[0].org_id if found else None
