"""Vietnamese numbers: ``parse_number`` reads one whole string, ``scan_numbers`` finds them all.

Digits follow the Vietnamese convention (``.`` groups thousands, ``,`` is the decimal mark):
``3.400`` is 3400 and ``1,1`` is 1.1. A lone ``2.5`` (dot, not three digits after it) is a
decimal; ``1,234.5`` and ``3,400,000`` are read the English way because their separators
leave no doubt; ``scan_numbers`` switches a whole text to the English convention when it
only shows English evidence. Spelled-out numbers are read by ``pipeline.claims.numwords``.

>>> parse_number("3.400"), parse_number("1,1 triệu"), parse_number("hai mươi lăm")
(3400.0, 1100000.0, 25.0)
>>> parse_number("3 tỷ 200 triệu")
3200000000.0
>>> parse_number("hai nghìn rưỡi"), parse_number("1 triệu rưỡi")
(2500.0, 1500000.0)
>>> round(parse_number("một phần ba"), 4)
0.3333
>>> parse_number("người") is None
True
>>> [(s.text, s.value, s.value_max, s.shape) for s in scan_numbers("Có 8 – 10 xã, 30-40% hộ")]
[('8 – 10', 8.0, 10.0, 'range'), ('30-40%', 30.0, 40.0, 'range')]
>>> [(s.text, s.value, s.denominator, s.shape) for s in scan_numbers("đạt 748/1.711 chi hội")]
[('748/1.711', 748.0, 1711.0, 'ratio')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.claims.numwords import (
    DIGITS,
    OTHER,
    SCALES,
    Tok,
    detect_convention,
    parse_digits,
    parse_literal,
    read_words,
    word_token,
)

__all__ = ["NumberSpan", "detect_convention", "parse_digits", "parse_number", "scan_numbers"]


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """One number expression found in a text; ``text == scanned[start:end]``.

    ``written`` is ``digits`` (no spelled digit word; scale words such as ``triệu`` may
    follow), ``words`` (no digits) or ``mixed``. ``shape`` is a hint for the claim finder:
    number, range, ratio, fraction, date, year, time, phone, code, roman, ordinal.
    """

    start: int
    end: int
    text: str
    value: float
    value_max: float | None = None
    denominator: float | None = None
    percent: bool = False
    written: str = "digits"
    shape: str = "number"
    scale: str | None = None


# --------------------------------------------------------------------------- whole strings

_PERCENT_TAIL = re.compile(r"\s*(?:%|phần\s+trăm)$", re.IGNORECASE)
_SLASH = re.compile(r"\s*/\s*")
_DIGIT_WORD = re.compile(r"\d[\d.,]*[kKMG]?")


def _to_tokens(text: str, convention: str) -> list[Tok] | None:
    out: list[Tok] = []
    for word in text.lower().split():
        if word[0].isdigit() or word[0] in ".,":
            value = parse_literal(word, convention)
            if value is None:
                return None
            out.append(Tok("lit", value, word))
        else:
            tok = word_token(word)
            if tok is None:
                return None
            out.append(tok)
    return out


def parse_number(text: str, convention: str = "vi") -> float | None:
    """The whole string as one number, or None (see the module docstring).

    Percent signs are dropped (``30%`` → 30); ``2/3`` and ``748/1.711`` give the quotient;
    a range is not one number (None).

    >>> parse_number("- 1.200.000"), parse_number("âm 1.200.000"), parse_number(",0012G")
    (-1200000.0, -1200000.0, 1200000.0)
    >>> parse_number("một tỷ rưỡi"), parse_number("ba phần tư"), parse_number("30 phần trăm")
    (1500000000.0, 0.75, 30.0)
    >>> parse_number("2/3") == 2 / 3, parse_number("8-10") is None
    (True, True)
    """
    try:
        return _parse_number(text, convention)
    except (ValueError, OverflowError, ZeroDivisionError, RecursionError):
        return None


def _parse_number(text: str, convention: str) -> float | None:
    text = _PERCENT_TAIL.sub("", " ".join(text.split()))
    if not text:
        return None
    value = parse_literal(text, convention)
    if value is not None:
        return value
    parts = _SLASH.split(text)
    if len(parts) == 2 and all(_DIGIT_WORD.fullmatch(p) for p in parts):
        num, den = (parse_literal(p, convention) for p in parts)
        return num / den if num is not None and den else None
    toks = _to_tokens(text, convention)
    if not toks:
        return None
    return read_words(toks)


# --------------------------------------------------------------------------- scanning


_SP = r"[^\S\n]"
_SCALE_NOUNS = r"lệ|trọng|giá|số|phú|suất|chứng|tập|hồi|thủ"
_WORDS = sorted(
    {*DIGITS, *(w for w, (kind, _) in OTHER.items() if kind not in ("neg", "over"))},
    key=len,
    reverse=True,
)
_WORD_ALT = "|".join(map(re.escape, _WORDS))
_SCALE_ALT = "|".join(map(re.escape, sorted(SCALES, key=len, reverse=True)))
_MASTER = re.compile(
    # every alternative starts after a non-word character: tested once, up front; then
    # those that start with a digit (or "+") and those that start with a letter are two
    # groups, each behind a one-character look-ahead (most positions fail both at once)
    rf"""
    (?<!\w)(?:(?=[\d+])(?:
    (?P<phone>(?<![\w.,+])(?:\+84{_SP}?|0)(?:\d{{9,10}}|\d{{2,4}}[ .]\d{{3}}[ .]\d{{3,4}})
        (?!\w|[.,]\d))
  | (?P<code>(?<![\w./-])(?-i:
        \d+(?:[/-]\d+)*(?:-[A-ZĐ]+)*/[A-ZĐ]\w*(?:-\w+)*
      | \d+-[A-ZĐ]{{2,}}(?:[/-]\w+)*
      | \d+[A-Z]\d*(?!\w)))
  | (?P<date>(?<![\w.,/-])(?:
        \d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})
      | \d{{1,2}}-\d{{1,2}}-\d{{4}}
      | \d{{1,2}}\.\d{{1,2}}\.\d{{4}}
      | (?:0?[1-9]|1[0-2])/(?:19|20)\d{{2}})
        (?!\w|[.,/-]?\d))
  | (?P<time>(?<![\w.,:])(?:
        \d{{1,2}}h\d{{2}}(?!\w)
      | \d{{1,2}}h(?!\w)
      | \d{{1,2}}:\d{{2}}(?::\d{{2}})?(?![\d:])
      | \d{{1,2}}{_SP}?giờ{_SP}\d{{1,2}}(?:{_SP}?phút)?(?!\w)))
  | (?P<lit>(?<![\w.,])\d+(?:[.,]\d+)*))
  | (?=[^\W\d_])(?:
    (?P<named>(?<![\w./-])(?-i:[^\W\d_]+-\d+(?:-?\w+)*))
  | (?P<roman>(?-i:(?<!\w)(?=[MDCLXVI])M{{0,3}}(?:CM|CD|D?C{{0,3}})(?:XC|XL|L?X{{0,3}})
        (?:IX|IV|V?I{{0,3}})(?!\w)))
  | (?P<word>(?<!\w)(?:(?:{_SCALE_ALT})(?!{_SP}+(?:{_SCALE_NOUNS})(?!\w))|{_WORD_ALT})(?!\w))
    ))""",
    re.IGNORECASE | re.VERBOSE,
)
_GAP = re.compile(rf"{_SP}+")
_PCT = re.compile(rf"{_SP}*%|{_SP}+phần{_SP}+trăm(?!\w)", re.IGNORECASE)
_RANGE = re.compile(rf"{_SP}*[-–—~]{_SP}*|{_SP}+(?:đến|tới){_SP}+", re.IGNORECASE)
_FROM = re.compile(rf"(?<!\w)từ{_SP}+$", re.IGNORECASE)
_MONTH = re.compile(rf"(?:^|\W)tháng{_SP}+$", re.IGNORECASE)
_ORDINAL = re.compile(rf"(?:^|\W)thứ{_SP}+$", re.IGNORECASE)
_DATE_CUE = re.compile(
    rf"(?:^|\W)(?:ngày|hôm|dịp|sáng|chiều|tối|đêm|trưa|mùng|mồng|từ|đến|tới|lễ|trước|sau){_SP}+$",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(\-–—•])\W*$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_CUE = re.compile(
    rf"(?:^|\W)(?:quý|khóa|khoá|thứ|kỳ|kì|hội|hạng|phần|chương|mục|giai đoạn|thế kỷ|lần|vòng){_SP}+$",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(rf"{_SP}+(\w+)")
# words after which a lone digit word is not a number: "chín ép" (ripe), "ba mẹ" (parents)
_NOT_COUNTED = frozenset({"ép", "muồi", "chắn", "mọng", "mẹ", "má", "chuyện"})
_SPELLED = frozenset({"digit", "ten", "muoi", "chuc", "linh", "point", "phan", "nua", "ruoi"})
_SINGLE_OK = frozenset(DIGITS) - {"không", "một", "năm", "tư", "mốt", "lăm", "nhăm"} | {"mười"}


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    value: float
    shape: str = "number"
    written: str = "digits"
    scale: str | None = None
    mult: float | None = None  # the last scale word's value when the number ends with one
    integer: bool = False  # one plain digit literal without separators or scale


@dataclass(slots=True)
class _Word:
    tok: Tok
    start: int
    end: int


def _roman(text: str) -> int:
    values = [_ROMAN[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _before(text: str, pos: int, pattern: re.Pattern[str], width: int = 16) -> bool:
    return bool(pattern.search(text, max(0, pos - width), pos))


def _special(text: str, m: re.Match[str], kind: str) -> _Atom | None:
    raw = m.group()
    if kind == "roman":
        unsure = len(raw) == 1 or bool(set(raw) - set("IVX"))
        if unsure and not _before(text, m.start(), _ROMAN_CUE, 24):
            return None
        return _Atom(m.start(), m.end(), float(_roman(raw)), shape="roman", written="words")
    lead = re.match(r"\D*(\d+)", raw)
    value = float(lead.group(1)) if lead else 0.0
    return _Atom(m.start(), m.end(), value, shape=kind)


def _chain_atoms(text: str, chain: list[_Word]) -> list[_Atom]:
    """The numbers in a run of number words and literals: longest readable prefix first."""
    atoms, i, n = [], 0, len(chain)
    while i < n:
        for j in range(min(n, i + 24), i, -1):
            part = chain[i:j]
            toks = [w.tok for w in part]
            value = read_words(toks, strict=True)
            if value is None:
                continue
            first = toks[0]
            if len(toks) == 1 and first.kind != "lit":
                if first.word not in _SINGLE_OK or text[part[0].start].isupper():
                    continue
                nxt = _NEXT_WORD.match(text, part[0].end)
                counted = nxt and nxt.group(1)[0].islower() and nxt.group(1) not in _NOT_COUNTED
                if not counted and not _before(text, part[0].start, _ORDINAL):
                    continue
            kinds = {t.kind for t in toks}
            spelled = bool(kinds & _SPELLED)
            written = ("mixed" if spelled else "digits") if "lit" in kinds else "words"
            scales = [t for t in toks if t.kind == "scale"]
            scale = max(scales, key=lambda t: t.value).word if scales else None
            atom = _Atom(part[0].start, part[-1].end, value, written=written, scale=scale)
            if toks[-1].kind == "scale":
                atom.mult = toks[-1].value
            raw = text[atom.start : atom.end]
            if len(toks) == 1 and first.kind == "lit" and raw.isdigit():
                atom.integer = True
                if len(raw) == 4 and 1900 <= value <= 2100:
                    atom.shape = "year"
            if _before(text, atom.start, _ORDINAL):
                atom.shape = "ordinal"
            atoms.append(atom)
            i = j
            break
        else:
            i += 1
    return atoms


def _atoms(text: str, convention: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    chain: list[_Word] = []
    for m in _MASTER.finditer(text):
        kind = m.lastgroup or ""
        if kind == "named":  # Covid-19: a code that starts with letters
            kind = "code"
        tok: Tok | None = None
        if kind == "lit":
            value = parse_digits(m.group(), convention)
            tok = Tok("lit", value, m.group()) if value is not None else None
        elif kind == "word":
            tok = word_token(m.group().lower())
        if chain and (
            tok is None
            or not _GAP.fullmatch(text, chain[-1].end, m.start())
            or (kind == "word" and text[m.start()].isupper())
        ):
            atoms.extend(_chain_atoms(text, chain))
            chain = []
        if tok is not None:
            chain.append(_Word(tok, m.start(), m.end()))
        elif kind not in ("lit", "word"):
            special = _special(text, m, kind)
            if special is not None:
                atoms.append(special)
    if chain:
        atoms.extend(_chain_atoms(text, chain))
    return atoms


def _month_year(a: _Atom, b: _Atom) -> bool:
    return a.integer and 1 <= a.value <= 12 and b.shape == "year"


def _slash(text: str, a: _Atom, b: _Atom) -> NumberSpan:
    """``a/b``: a day/month date, a small fraction or a ratio (``748/1.711``)."""
    shape = "ratio"
    if _month_year(a, b):
        shape = "date"
    elif a.integer and b.integer and 1 <= a.value <= 31 and 1 <= b.value <= 12:
        if _before(text, a.start, _DATE_CUE) or a.value >= b.value or b.value > 10:
            shape = "date"
        else:
            shape = "fraction"
    elif a.integer and b.integer and a.value < b.value <= 10:
        shape = "fraction"
    return NumberSpan(
        a.start, b.end, text[a.start : b.end], a.value, denominator=b.value, shape=shape
    )


def _merge(text: str, atoms: list[_Atom]) -> list[NumberSpan]:
    spans: list[NumberSpan] = []
    i, n = 0, len(atoms)
    plain = ("number", "year")
    while i < n:
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < n else None
        i += 1
        if a.shape not in plain:
            spans.append(
                NumberSpan(
                    a.start, a.end, text[a.start : a.end], a.value, shape=a.shape, written=a.written
                )
            )
            continue
        if (
            b is not None
            and b.shape in plain
            and b.start == a.end + 1
            and text[a.end] == "/"
            and a.mult is None
            and b.mult is None
            and a.written == b.written == "digits"
        ):
            spans.append(_slash(text, a, b))
            i += 1
            continue
        start, end, percent = a.start, a.end, False
        pm = _PCT.match(text, end)
        if pm:
            end, percent = pm.end(), True
        rm = _RANGE.match(text, end)
        if rm and b is not None and b.start == rm.end() and b.shape in plain:
            sep = rm.group().strip().lower()
            low, high = a.value, b.value
            if a.mult is None and b.mult is not None and low * b.mult <= high:
                low *= b.mult
            if _month_year(a, b) and (rm.group() == "-" or _before(text, a.start, _MONTH)):
                spans.append(
                    NumberSpan(
                        a.start,
                        b.end,
                        text[a.start : b.end],
                        a.value,
                        denominator=b.value,
                        shape="date",
                    )
                )
                i += 1
                continue
            if (
                rm.group() == "-"
                and a.integer
                and b.integer
                and 1 <= a.value <= 31
                and 1 <= b.value <= 12
                and (a.value >= b.value or _before(text, a.start, _DATE_CUE))
            ):
                spans.append(
                    NumberSpan(
                        a.start,
                        b.end,
                        text[a.start : b.end],
                        a.value,
                        denominator=b.value,
                        shape="date",
                    )
                )
                i += 1
                continue
            if low < high:
                end = b.end
                bm = _PCT.match(text, end)
                if bm:
                    end, percent = bm.end(), True
                if sep in ("đến", "tới"):
                    fm = _FROM.search(text, max(0, start - 8), start)
                    if fm:
                        start = fm.start()
                written = a.written if a.written == b.written else "mixed"
                shape = "year" if a.shape == b.shape == "year" else "range"
                spans.append(
                    NumberSpan(
                        start,
                        end,
                        text[start:end],
                        low,
                        value_max=high,
                        percent=percent,
                        written=written,
                        shape=shape,
                        scale=b.scale or a.scale,
                    )
                )
                i += 1
                continue
        spans.append(
            NumberSpan(
                start,
                end,
                text[start:end],
                a.value,
                percent=percent,
                written=a.written,
                shape=a.shape,
                scale=a.scale,
            )
        )
    return spans


def scan_numbers(text: str, convention: str | None = None) -> list[NumberSpan]:
    """Every number expression in ``text``, left to right, non-overlapping, longest first.

    ``convention`` is ``vi`` or ``en`` for digit separators; by default it is detected
    from the whole text (``detect_convention``).

    >>> [(s.text, s.value, s.scale) for s in scan_numbers("hỗ trợ 1,1 triệu đồng cho 25 nghìn hộ")]
    [('1,1 triệu', 1100000.0, 'triệu'), ('25 nghìn', 25000.0, 'nghìn')]
    >>> [(s.text, s.shape) for s in scan_numbers("Ngày 06/01/2022, theo Chỉ thị 05-CT/TW")]
    [('06/01/2022', 'date'), ('05-CT/TW', 'code')]
    >>> [(s.text, s.value, s.written) for s in scan_numbers("đầu tư năm nay có hai mươi lăm xã")]
    [('hai mươi lăm', 25.0, 'words')]
    """
    try:
        conv = convention or detect_convention(text)
        return _merge(text, _atoms(text, conv))
    except (ValueError, OverflowError, ZeroDivisionError, RecursionError, IndexError):
        return []
