"""Folded match tokens with offsets: the common form of campaign names and article text.

Both the taxonomy's names and an article's text go through :func:`match_tokens`, so a
name matches however the article writes it: either tone-mark convention, any case, any
quote style or none, dashes or commas between the parts, NBSP or line breaks inside.
Each token keeps the character offsets of the text it came from (folding keeps the
length, see :func:`pipeline.text.normalize.fold`), so a match maps back to an evidence
span of ``Article.text``.

Abbreviations written in capitals (``CVĐ``, ``PT``, ``NTM`` …) expand to the words they
stand for, every expanded word keeping the span of the abbreviation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text.normalize import fold, normalize_tones

# Capitalised abbreviation -> folded words (campaigns.md, organisations.yaml glossary).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "CVĐ": ("cuoc", "van", "dong"),
    "PT": ("phong", "trao"),
    "PTTĐ": ("phong", "trao", "thi", "dua"),
    "CĐ": ("cong", "doan"),
    "TN": ("thanh", "nien"),
    "TNTN": ("thanh", "nien", "tinh", "nguyen"),
    "PN": ("phu", "nu"),
    "HLHPN": ("hoi", "lien", "hiep", "phu", "nu"),
    "LHPN": ("lien", "hiep", "phu", "nu"),
    "MTTQ": ("mat", "tran", "to", "quoc"),
    "LĐ": ("lao", "dong"),
    "NTM": ("nong", "thon", "moi"),
    "ĐTVM": ("do", "thi", "van", "minh"),
    "ATVSLĐ": ("an", "toan", "ve", "sinh", "lao", "dong"),
    "SXKD": ("san", "xuat", "kinh", "doanh"),
    "CCB": ("cuu", "chien", "binh"),
    "CLB": ("cau", "lac", "bo"),
    "HTX": ("hop", "tac", "xa"),
    "ANTQ": ("an", "ninh", "to", "quoc"),
    "DTTS": ("dan", "toc", "thieu", "so"),
    "MTQG": ("muc", "tieu", "quoc", "gia"),
    "QĐ": ("quyet", "dinh"),
    "KT": ("kinh", "te"),
    "XH": ("xa", "hoi"),
    "ĐĐK": ("dai", "doan", "ket"),
    "CNVCLĐ": ("cong", "nhan", "vien", "chuc", "lao", "dong"),
    "XDGĐ": ("xay", "dung", "gia", "dinh"),
    "TK&VV": ("tiet", "kiem", "va", "vay", "von"),
    "XSĐ": ("xanh", "sach", "dep"),
    # the movement's acronym: Xanh - Sạch - Đẹp, (bảo đảm) An toàn vệ sinh lao động
    "XSĐATVSLĐ": ("xanh", "sach", "dep", "bao", "dam", "an", "toan", "ve", "sinh", "lao", "dong"),
}

# A word (letters/digits), a symbol that is part of names (+ &), or a hard boundary: a
# sentence end (. ! ? ; before white space or the end) or a blank line.
_TOKEN = re.compile(
    r"TK&VV|[^\W_]+|[+&]|[.!?;…](?=\s|$)|\n[ \t\r\u00a0]*\n", re.UNICODE | re.IGNORECASE
)
BOUNDARY = "|"
# "chỉ thị số 05" = "chỉ thị 05": "số" before a number after a document word is dropped.
_DOC_WORDS = frozenset({"thi", "dinh", "an", "quyet", "trinh"})


@dataclass(frozen=True, slots=True)
class Token:
    """One folded match token and the span of ``text`` it stands for."""

    form: str
    start: int
    end: int
    word: str = ""  # lower case with diacritics (modern tone placement); "" when expanded


def match_tokens(text: str, expand: bool = True) -> list[Token]:
    """Fold ``text`` into match tokens; a boundary token has the form ``"|"``.

    >>> [t.form for t in match_tokens("CVĐ “Xây dựng gia đình 5 không,\\u00a03 sạch”.")]
    ['cuoc', 'van', 'dong', 'xay', 'dung', 'gia', 'dinh', '5', 'khong', '3', 'sach', '|']
    >>> [t.form for t in match_tokens("Chỉ thị số 05-CT/TW")]
    ['chi', 'thi', '05', 'ct', 'tw']
    >>> t = match_tokens("phong trào Hoà bình")[2]
    >>> (t.form, t.start, t.end)
    ('hoa', 11, 14)
    """
    folded = fold(text)
    toned = normalize_tones(text)
    words = toned.lower()
    if len(words) != len(toned):  # a rare letter whose lower case is longer ("İ")
        words = "".join(c.lower() if len(c.lower()) == 1 else c for c in toned)
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        start, end = m.span()
        if raw[0] in ".!?;…\n":
            if out and out[-1].form != BOUNDARY:
                out.append(Token(BOUNDARY, start, end))
            continue
        if expand and raw.isupper() and raw in ABBREVIATIONS:
            out.extend(Token(w, start, end) for w in ABBREVIATIONS[raw])
            continue
        out.append(Token(folded[start:end], start, end, words[start:end]))
    return _drop_so(out)


def _drop_so(tokens: list[Token]) -> list[Token]:
    keep: list[Token] = []
    for i, t in enumerate(tokens):
        if (
            t.form == "so"
            and keep
            and keep[-1].form in _DOC_WORDS
            and i + 1 < len(tokens)
            and tokens[i + 1].form[:1].isdigit()
        ):
            continue
        keep.append(t)
    return keep


def same_word(a: Token, b: Token) -> bool:
    """Whether two tokens are the same word, diacritics included (``tháng`` ≠ ``thằng``).

    An expanded abbreviation matches any word of the same folded form.

    >>> t, h, a = match_tokens("tháng thằng Tháng")
    >>> same_word(t, h), same_word(t, a)
    (False, True)
    """
    if not a.word or not b.word:
        return a.form == b.form
    return a.word == b.word


def forms(text: str) -> tuple[str, ...]:
    """The token forms of a name, without boundaries: the key a pattern is stored under.

    >>> forms("Xanh - Sạch - Đẹp, bảo đảm ATVSLĐ")
    ('xanh', 'sach', 'dep', 'bao', 'dam', 'an', 'toan', 've', 'sinh', 'lao', 'dong')
    """
    return tuple(t.form for t in match_tokens(text) if t.form != BOUNDARY)
