"""Counting words and units after a number, read from ``units.yaml`` beside this module.

``unit_after(text, pos)`` looks at the words that follow a number and says what they are:
a currency (``money``), a physical unit (``quantity``), ``%`` (``percent``), a time word
(``time``: the number is a date, a period or a duration), an age (``age``), a word that
cannot start a counted noun (``none``), or a counting noun (``count``).

>>> u = unit_after("5 triệu đồng/người", 8)
>>> (u.kind, u.unit, u.start, u.end)
('money', 'đồng', 8, 12)
>>> unit_after("748/1.711 chi hội trưởng phụ nữ", 9).unit
'chi hội trưởng'
>>> unit_after("25 nghìn cuộc tuyên truyền", 8).unit
'cuộc'
>>> unit_after("trong 5 năm qua", 7).kind
'time'
>>> unit_after("gia đình 5 không 3 sạch", 10).kind
'none'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA = Path(__file__).with_name("units.yaml")

# a word: letters/digits with inner . / - (m2, CNVC-LĐ, công ty/doanh nghiệp) or one symbol
WORD = re.compile(r"[^\W_]+(?:[/\-](?!\d)[^\W_]+)*|%|[^\w\s]")


@dataclass(frozen=True, slots=True)
class UnitMatch:
    kind: str  # money | quantity | percent | time | age | none | count
    unit: str | None
    start: int  # offsets into the text given to unit_after
    end: int


@dataclass(frozen=True, slots=True)
class Units:
    forms: dict[str, tuple[str, str]]  # lower-case form -> (kind, unit name)
    max_words: int
    after_scale: frozenset[str] = frozenset()  # money forms only after a large number


@cache
def load_units() -> Units:
    """The unit table, all forms lower-cased."""
    raw: dict[str, Any] = yaml.load(DATA.read_text(encoding="utf-8"), Loader=_LOADER)
    forms: dict[str, tuple[str, str]] = {}
    for kind in ("money", "quantity", "percent"):
        for entry in raw[kind]:
            for form in entry["forms"]:
                forms[str(form).lower()] = (kind, str(entry["unit"]))
    after_scale = set()
    for entry in raw["money_after_scale"]:
        for form in entry["forms"]:
            forms[str(form).lower()] = ("money", str(entry["unit"]))
            after_scale.add(str(form).lower())
    for word in raw["time_units"]:
        forms[word] = ("time", word)
    for word in raw["age_units"]:
        forms[word] = ("age", word)
    for word in raw["count_compounds"]:
        forms.setdefault(word, ("count", word))
    for word in raw["not_count_words"]:
        forms.setdefault(word, ("none", word))
    longest = max(len(f.split()) for f in forms)
    return Units(forms, longest, frozenset(after_scale))


def words_after(text: str, pos: int, limit: int = 8) -> list[tuple[int, int]]:
    """Spans of up to ``limit`` words after ``pos``, stopping at a line break."""
    out: list[tuple[int, int]] = []
    for m in WORD.finditer(text, pos):
        start, end = m.span()
        if text.find("\n", pos, start) >= 0:
            break
        out.append((start, end))
        pos = end
        if len(out) >= limit:
            break
    return out


def unit_after(
    text: str,
    pos: int,
    word_end: Callable[[int], int | None] | None = None,
    large: bool = True,
) -> UnitMatch | None:
    """What follows a number that ends at ``pos``; None when nothing follows on the line.
    ``word_end(start)`` gives the end of the word starting there when the text was already
    segmented (else underthesea segments a short window). ``large``: the number has a
    scale word (``triệu``) or is 1000 or more; a smaller one makes ``bảng``, ``đô`` nouns
    ("chia làm 6 bảng"), not currencies.

    >>> unit_after("50 triệu bảng", 9).unit, unit_after("chia 6 bảng", 6, large=False).unit
    ('GBP', 'bảng')
    >>> unit_after("80.000 bảng Anh", 6, large=False).unit
    'GBP'
    >>> unit_after("19 Yên Lãng", 2).kind
    'none'
    """
    units = load_units()
    spans = words_after(text, pos, units.max_words)
    if not spans:
        return None
    first = text[spans[0][0] : spans[0][1]]
    if first == "%":
        return UnitMatch("percent", "%", spans[0][0], spans[0][1])
    if not first[0].isalnum():
        if first in "“\"'‘" and len(spans) > 1:  # 4 “Mái ấm Công đoàn”
            return UnitMatch("count", None, spans[0][0], spans[0][1])
        return UnitMatch("none", None, spans[0][0], spans[0][1])
    low = [text[s:e].lower() for s, e in spans]
    # several words make one form only up to the first symbol among them
    symbol = next((i for i, w in enumerate(low) if not w[0].isalnum()), len(low))
    for n in range(min(len(spans), units.max_words), 0, -1):
        if n > 1 and symbol < n:
            continue
        key = " ".join(low[:n])
        found = units.forms.get(key)
        if found is not None and not (key in units.after_scale and not large):
            kind, name = found
            if kind == "money" and n == 1 and _proper_name(text, spans):
                break  # "19 - 21 Yên Lãng", "Yên Bái": a place, not a currency
            return UnitMatch(
                kind,
                name if kind != "count" else text[spans[0][0] : spans[n - 1][1]],
                spans[0][0],
                spans[n - 1][1],
            )
    if "/" in first and len(first.split("/")[1]) > 1:  # "đồng/người", not "đ/c"
        head = first.split("/")[0].lower()
        found = units.forms.get(head)
        if found is not None and found[0] != "count" and (head not in units.after_scale or large):
            return UnitMatch(found[0], found[1], spans[0][0], spans[0][0] + len(head))
    if first.isdigit():
        return UnitMatch("none", None, spans[0][0], spans[0][1])
    if _proper_name(text, spans):  # "68 Dương Đình Nghệ": an address or a name
        return UnitMatch("none", None, spans[0][0], spans[0][1])
    if word_end is not None:
        end = word_end(spans[0][0]) or spans[0][1]
    else:
        end = compound_end(text, spans)
    return UnitMatch("count", text[spans[0][0] : end], spans[0][0], end)


def _proper_name(text: str, spans: list[tuple[int, int]]) -> bool:
    """Two capitalised syllables (not abbreviations) in a row start a proper name."""
    words = [text[a:b] for a, b in spans[:2]]
    return len(words) == 2 and all(w[:1].isupper() and not w.isupper() for w in words)


_STOP = re.compile(r"[,;.:!?()\[\]“”\"\n]")


def compound_end(text: str, spans: list[tuple[int, int]]) -> int:
    """End of the word (possibly several syllables) that starts at ``spans[0]``, read with
    underthesea's word segmenter on a short window (only for words not in the unit table).

    >>> compound_end("ý kiến, kiến nghị", [(0, 1), (2, 6)])
    6
    """
    start = spans[0][0]
    window_end = spans[min(len(spans), 4) - 1][1]
    stop = _STOP.search(text, start, window_end)
    window = text[start : stop.start() if stop else window_end]
    if " " not in window.strip():
        return spans[0][1]
    words = _segment(window)
    if words and window.startswith(words[0]):
        return start + len(words[0])
    return spans[0][1]


@cache
def _segment(window: str) -> tuple[str, ...]:
    from underthesea import word_tokenize

    try:
        return tuple(word_tokenize(window, use_token_normalize=False))
    except Exception:  # pragma: no cover - the segmenter must never stop extraction
        return ()
