"""Reading Vietnamese numerals: spelled-out words (a grammar over word tokens) and digit literals.

``parse_digits`` reads one digit literal (``3.400``, ``1,1``, ``1,234.5``) under a separator
convention; ``detect_convention`` decides that convention for a whole text.

``read_words`` turns a list of tokens (``Tok``: a kind, a value and the lower-cased word)
into a value, or None when the tokens are not one number. It knows the written forms
(``hai mươi lăm``, ``một trăm linh năm``, ``ba tỷ không trăm linh ba``), the spoken
shortcuts (``hai mốt`` = 21, ``một trăm hai`` = 120, ``một triệu hai`` = 1 200 000,
``tám trăm rưỡi`` = 850, ``một ngàn chín lăm`` = 1095), decimals (``phẩy``/``chấm``),
compound scales (``một nghìn tỷ``), and digit literals already parsed (``Tok("lit", 3.5)``)
mixed with scale words (``3,5 triệu``).

``strict=True`` is for running text, where number words are ambiguous: ``năm`` is five or
"year", ``một`` is "a", ``tư`` ends ``đầu tư``. In strict mode a number may not start with a
word that only appears inside numbers (``tư``, ``mốt``, ``lăm``, ``mươi``, ``linh``, a bare
scale word), ``năm``/``không`` never follow ``mươi``/``mười`` as a unit digit, and the
shortcut forms are only taken with the unambiguous unit words (``mốt``, ``lăm``, ``tư``,
``rưỡi``).

>>> read_words(tokens("hai mươi lăm"))
25.0
>>> read_words(tokens("một trăm linh năm"))
105.0
>>> read_words(tokens("ba tỷ bốn trăm năm mươi sáu triệu"))
3456000000.0
>>> read_words(tokens("một triệu hai"))
1200000.0
>>> read_words(tokens("ba nghìn năm")) is None  # "3000 years", not 3500
True
>>> read_words(tokens("không phẩy không năm"))
0.05
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

DIGITS: dict[str, int] = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "nhăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
SCALES: dict[str, float] = {
    "nghìn": 1e3,
    "ngàn": 1e3,
    "vạn": 1e4,
    "triệu": 1e6,
    "tỷ": 1e9,
    "tỉ": 1e9,
}
OTHER: dict[str, tuple[str, float]] = {
    "mười": ("ten", 10.0),
    "mươi": ("muoi", 10.0),
    "chục": ("chuc", 10.0),
    "trăm": ("tram", 100.0),
    "linh": ("linh", 0.0),
    "lẻ": ("linh", 0.0),
    "lẽ": ("linh", 0.0),
    "rưỡi": ("ruoi", 0.5),
    "nửa": ("nua", 0.5),
    "phẩy": ("point", 0.0),
    "chấm": ("point", 0.0),
    "phần": ("phan", 0.0),
    "trên": ("over", 0.0),
    "chia": ("over", 0.0),
    "âm": ("neg", -1.0),
    "trừ": ("neg", -1.0),
}
# forms that only occur inside a number: never the first word of one in running text
INNER_ONLY = frozenset({"tư", "mốt", "lăm", "nhăm"})
# unit words whose shortcut readings are safe in running text
SAFE_UNITS = frozenset({"mốt", "lăm", "nhăm", "tư"})
# digit words that are also ordinary words ("year", "a", "not"): never a shortcut digit
AMBIGUOUS = frozenset({"năm", "một", "không"})


class Tok(NamedTuple):
    kind: str  # digit | scale | ten | muoi | chuc | tram | linh | ruoi | nua | point | phan | neg | lit
    value: float
    word: str


def word_token(word: str) -> Tok | None:
    """The token for one lower-cased word, or None when it is not a number word.

    >>> word_token("tỉ")
    Tok(kind='scale', value=1000000000.0, word='tỉ')
    >>> word_token("người") is None
    True
    """
    if word in DIGITS:
        return Tok("digit", float(DIGITS[word]), word)
    if word in SCALES:
        return Tok("scale", SCALES[word], word)
    if word in OTHER:
        kind, value = OTHER[word]
        return Tok(kind, value, word)
    return None


_SPLIT = re.compile(r"\s+")


def tokens(text: str) -> list[Tok]:
    """Tokens for a space-separated string of number words (unknown words give ``lit`` NaN).

    >>> [t.kind for t in tokens("hai mươi  mốt")]
    ['digit', 'muoi', 'digit']
    """
    out = []
    for word in _SPLIT.split(text.strip().lower()):
        if word:
            out.append(word_token(word) or Tok("unknown", float("nan"), word))
    return out


def _tens(toks: list[Tok], strict: bool, pairs: bool = False) -> float | None:
    """A number below 100 (or a literal), written out or in the spoken shortcut.

    ``pairs``: the shortcut ``bốn bảy`` = 47 is safe here even in strict mode (it follows
    ``trăm`` or a scale word).
    """
    kinds = [t.kind for t in toks]
    if kinds == ["digit"]:
        return toks[0].value
    if kinds == ["lit"]:
        return toks[0].value
    if kinds == ["ten"]:
        return 10.0
    if kinds == ["ten", "digit"]:
        unit = toks[1]
        if unit.word in ("năm", "không", "mốt", "tư") or unit.value == 0:
            return None
        return 10.0 + unit.value
    if kinds in (["digit", "muoi"], ["digit", "chuc"]) and toks[0].value >= 1:
        return 10.0 * toks[0].value
    if kinds == ["digit", "muoi", "digit"] and toks[0].value >= 1:
        unit = toks[2]
        if unit.word in ("năm", "không") or unit.value == 0:
            return None
        return 10.0 * toks[0].value + unit.value
    if kinds == ["digit", "digit"] and toks[0].value >= 2:
        unit = toks[1]
        if unit.word in ("năm", "không") or (strict and not pairs and unit.word not in SAFE_UNITS):
            return None
        return 10.0 * toks[0].value + unit.value
    return None


def _group(toks: list[Tok], strict: bool, pairs: bool = False) -> float | None:
    """A group below 1000 between scale words (``hai trăm linh một``, ``năm trăm tư``)."""
    if toks and toks[0].kind == "linh":
        return _tens(toks[1:], strict, pairs) if len(toks) > 1 else None
    if [t.kind for t in toks] == ["nua"]:
        return 0.5
    idx = next((i for i, t in enumerate(toks) if t.kind == "tram"), -1)
    if idx < 0:
        return _tens(toks, strict, pairs)
    left, right = toks[:idx], toks[idx + 1 :]
    if not left:
        hundreds = 1.0
    elif len(left) == 1 and left[0].kind in ("digit", "lit") and left[0].value < 10:
        hundreds = left[0].value
    else:
        return None
    if not right:
        return hundreds * 100
    kinds = [t.kind for t in right]
    if kinds == ["ruoi"]:
        return hundreds * 100 + 50
    if kinds[0] == "linh":
        rest = _tens(right[1:], strict, True) if len(right) > 1 else None
        return None if rest is None else hundreds * 100 + rest
    if kinds == ["digit"]:  # "một trăm hai" = 120, but "một trăm một" stays unread
        word = right[0].word
        if word in AMBIGUOUS or (strict and word not in SAFE_UNITS):
            return None
        return hundreds * 100 + 10 * right[0].value
    rest = _tens(right, strict, True)
    return None if rest is None else hundreds * 100 + rest


def _integer(toks: list[Tok], strict: bool) -> float | None:
    """Groups joined by scale words, with compound scales and the shortcut after the last.

    Consecutive scale words make one compound scale (``nghìn tỷ`` = 10^12); a group
    followed by a larger scale takes the smaller groups before it along
    (``một nghìn hai trăm tỷ`` = 1200 × 10^9).
    """
    segments: list[tuple[list[Tok], float]] = []
    group: list[Tok] = []
    for tok in toks:
        if tok.kind != "scale":
            group.append(tok)
        elif not group and segments and segments[-1][1] > 0:
            segments[-1] = (segments[-1][0], segments[-1][1] * tok.value)
        else:
            segments.append((group, tok.value))
            group = []
    stack: list[tuple[float, float]] = []  # (value, scale)
    for index, (part, scale) in enumerate(segments):
        value = _group(part, strict, pairs=index > 0) if part else None
        if part and value is None:
            return None
        carried = 0.0
        while stack and stack[-1][1] < scale:
            carried += stack.pop()[0]
        if stack and stack[-1][1] == scale:
            return None  # the same scale twice ("hai tỷ ba tỷ")
        if value is None and not carried:
            if stack or strict:
                return None  # a bare scale word ("tỷ") only stands alone when lenient
            value = 1.0
        stack.append(((carried + (value or 0.0)) * scale, scale))
    total = sum(v for v, _ in stack)
    if not group:
        return total if stack else None
    if stack:
        scale = min(s for _, s in stack)
        kinds = [t.kind for t in group]
        if kinds == ["ruoi"]:
            return total + scale / 2
        if kinds == ["digit"] and scale >= 1000:
            word = group[0].word
            if word in AMBIGUOUS or (strict and word not in SAFE_UNITS):
                return None
            return total + group[0].value * scale / 10
    value = _group(group, strict, pairs=bool(stack))
    return None if value is None else total + value


def _fraction_digits(toks: list[Tok], strict: bool) -> str | None:
    """The digits after ``phẩy``: read one by one, or as a number (``phẩy mười một``)."""
    if toks and all(t.kind == "digit" for t in toks):
        return "".join(str(int(t.value)) for t in toks)
    value = _integer(toks, strict)
    if value is None or value != int(value):
        return None
    return str(int(value))


def read_words(toks: list[Tok], strict: bool = False) -> float | None:
    """The value of a whole token list, or None. See the module docstring.

    >>> read_words(tokens("âm một ngàn chín"))
    -1900.0
    >>> read_words(tokens("chín chín chấm chín lăm tỷ"))
    99950000000.0
    >>> read_words([Tok("lit", 1.1, "1,1"), Tok("scale", 1e6, "triệu")])
    1100000.0
    >>> read_words(tokens("tư hai tỷ"), strict=True) is None
    True
    """
    if not toks or any(t.kind == "unknown" for t in toks):
        return None
    sign = 1.0
    if toks[0].kind == "neg":
        sign, toks = -1.0, toks[1:]
        if not toks:
            return None
    if strict:
        first = toks[0]
        if first.kind not in ("digit", "ten", "lit", "nua") or first.word in INNER_ONLY:
            return None
        if first.word == "không" and (len(toks) < 2 or toks[1].kind != "point"):
            return None
    if any(t.kind == "neg" for t in toks):
        return None
    kinds = [t.kind for t in toks]
    if "phan" in kinds or "over" in kinds:
        idx = next(i for i, k in enumerate(kinds) if k in ("phan", "over"))
        num, den = read_words(toks[:idx], strict), read_words(toks[idx + 1 :], strict)
        if num is None or den is None or den == 0 or kinds[idx + 1 :] == ["tram"]:
            return None
        return sign * num / den
    if "point" in kinds:
        idx = kinds.index("point")
        end = next((i for i in range(idx + 1, len(toks)) if kinds[i] == "scale"), len(toks))
        whole = _integer(toks[:idx], strict)
        digits = _fraction_digits(toks[idx + 1 : end], strict)
        if whole is None or digits is None:
            return None
        value = float(f"{int(whole)}.{digits}") if whole == int(whole) else None
        if value is None:
            return None
        for tok in toks[end:]:
            if tok.kind != "scale":
                return None
            value *= tok.value
        if end < len(toks) and any(k == "scale" for k in kinds[:idx]):
            return None
        return sign * value
    value = _integer(toks, strict)
    return None if value is None else sign * value


# --------------------------------------------------------------------------- digit literals

_LITERAL = re.compile(r"([-+]?)\s*(\d*(?:[.,]\d+)*)([kKMG]?)")
_GROUPS = re.compile(r"\d{1,3}")
_SUFFIX = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}


def _finite(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _grouped(head: str, groups: list[str]) -> bool:
    return bool(_GROUPS.fullmatch(head)) and all(len(g) == 3 for g in groups)


def parse_digits(text: str, convention: str = "vi") -> float | None:
    """A digit string with separators: ``vi`` reads ``.`` as thousands, ``en`` reads ``,``.

    >>> parse_digits("1.234,5"), parse_digits("1,234.5"), parse_digits("3,400,000")
    (1234.5, 1234.5, 3400000.0)
    >>> parse_digits("2.5"), parse_digits("0,77"), parse_digits("3,400", "en")
    (2.5, 0.77, 3400.0)
    >>> parse_digits("06.01.2022") is None
    True
    """
    if not text or (not text[0].isdigit() and text[0] not in ".,"):
        return None
    dots, commas = text.count("."), text.count(",")
    if not dots and not commas:
        return _finite(text)
    if dots and commas:
        dec = "." if text.rfind(".") > text.rfind(",") else ","
        grp = "," if dec == "." else "."
        whole, _, frac = text.rpartition(dec)
        if dec in whole:
            return None
        head, *groups = whole.split(grp)
        return _finite("".join([head, *groups]) + "." + frac) if _grouped(head, groups) else None
    sep = "." if dots else ","
    head, *groups = text.split(sep)
    if len(groups) > 1:  # several of one separator: thousands groups, or not a number
        return _finite(head + "".join(groups)) if _grouped(head, groups) else None
    frac = groups[0]
    thousands_sep = "," if convention == "en" else "."
    if (
        sep == thousands_sep
        and len(frac) == 3
        and head
        and not head.startswith("0")
        and _GROUPS.fullmatch(head)
    ):
        return _finite(head + frac)
    return _finite((head or "0") + "." + frac)


def parse_literal(text: str, convention: str) -> float | None:
    m = _LITERAL.fullmatch(text)
    if not m or not m.group(2):
        return None
    value = parse_digits(m.group(2), convention)
    if value is None:
        return None
    value *= _SUFFIX[m.group(3)]
    return -value if m.group(1) == "-" else value


_EN_EVIDENCE = re.compile(r"\d,\d{3}\.\d|\d,\d{3},\d{3}(?!\d)")
_VI_EVIDENCE = re.compile(r"\d\.\d{3}[.,]\d|(?<![\d.,])\d+,\d{1,2}(?![\d.,])")


def detect_convention(text: str) -> str:
    """``en`` when the digits in ``text`` show only the English convention, else ``vi``.

    >>> detect_convention("1,234.5 USD và 3,400 người"), detect_convention("3.400 người, 1,5%")
    ('en', 'vi')
    """
    if _EN_EVIDENCE.search(text) and not _VI_EVIDENCE.search(text):
        return "en"
    return "vi"
