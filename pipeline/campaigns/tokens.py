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
from typing import NamedTuple

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

_LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS))

# A word (letters/digits), a symbol that is part of names (+ &), or a hard boundary: a
# sentence end (. ! ? ; before white space or the end) or a blank line.
_TOKEN = re.compile(
    r"TK&VV|[^\W_]+|[+&]|[.!?;…](?=\s|$)|\n[ \t\r\u00a0]*\n", re.UNICODE | re.IGNORECASE
)
BOUNDARY = "|"
_BOUNDARY = re.compile(r"[.!?;…](?=\s|$)|\n[ \t\r\u00a0]*\n")  # the boundaries of _TOKEN
# "chỉ thị số 05" = "chỉ thị 05": "số" before a number after a document word is dropped.
_DOC_WORDS = frozenset({"thi", "dinh", "an", "quyet", "trinh"})


def fast_fold(text: str) -> str:
    """:func:`~pipeline.text.normalize.fold`, one character for one, by ``str.translate``.

    >>> fast_fold("Kết nạp Đảng, HOÀ") == fold("Kết nạp Đảng, HOÀ") == "ket nap dang, hoa"
    True
    """
    return fold(text)


class _ItemFolds(dict[str, str]):
    """A token's text -> its folded form (``"|"`` for a boundary), filled on first sight (a
    few hundred thousand distinct words at most in a corpus)."""

    def __missing__(self, raw: str) -> str:
        f = BOUNDARY if raw[0] in ".!?;…\n" else fold(raw)
        if len(self) < 500_000:
            self[raw] = f
        return f


_ITEM_FOLDS = _ItemFolds()


def folded_items(text: str) -> list[str]:
    """The forms of :func:`match_tokens` in order, cheaply (one ``findall``, each distinct
    word folded once per process), before abbreviations expand, ``số`` drops and
    repeated boundaries merge.

    >>> folded_items("Hòa bình, HOÀ BÌNH. Và 5+1")
    ['hoa', 'binh', 'hoa', 'binh', '|', 'va', '5', '+', '1']
    """
    return list(map(_ITEM_FOLDS.__getitem__, _TOKEN.findall(text)))


class Token(NamedTuple):
    """One folded match token and the span of ``text`` it stands for."""

    form: str
    start: int
    end: int
    word: str = ""  # lower case with diacritics (modern tone placement); "" when expanded


def match_tokens(text: str, expand: bool = True, normalized: bool = False) -> list[Token]:
    """Fold ``text`` into match tokens; a boundary token has the form ``"|"``.

    ``normalized`` says the text's tone marks are already where
    :func:`~pipeline.text.normalize.normalize_tones` puts them (``Article.text``), which
    spares that pass.

    >>> [t.form for t in match_tokens("CVĐ “Xây dựng gia đình 5 không,\\u00a03 sạch”.")]
    ['cuoc', 'van', 'dong', 'xay', 'dung', 'gia', 'dinh', '5', 'khong', '3', 'sach', '|']
    >>> [t.form for t in match_tokens("Chỉ thị số 05-CT/TW")]
    ['chi', 'thi', '05', 'ct', 'tw']
    >>> t = match_tokens("phong trào Hoà bình")[2]
    >>> (t.form, t.start, t.end)
    ('hoa', 11, 14)
    """
    folded, words = fold_and_lower(text, normalized)
    return tokens_between(text, folded, words, 0, len(text), expand)


def fold_and_lower(text: str, normalized: bool = False) -> tuple[str, str]:
    """The two views of ``text`` that tokens are cut from, both of its length: folded, and
    lower case with the tone marks normalised."""
    folded = fast_fold(text)
    toned = text if normalized else normalize_tones(text)
    words = toned.lower()
    if len(words) != len(toned):  # a rare letter whose lower case is longer ("İ")
        words = "".join(c.lower() if len(c.lower()) == 1 else c for c in toned)
    return folded, words


def segments(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` between boundary tokens (each with the boundary that ends
    it): no pattern spans two of them, so each can be matched alone.

    >>> t = "Một. Hai ba.\\n\\nBốn"
    >>> [t[s:e] for s, e in segments(t)]
    ['Một.', ' Hai ba.', '\\n\\n', 'Bốn']
    """
    out = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        out.append((pos, m.end()))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((pos, len(text)))
    return out


def tokens_between(
    text: str,
    folded: str,
    words: str,
    pos: int,
    endpos: int,
    expand: bool = True,
    base: int = 0,
) -> list[Token]:
    """The match tokens of ``text[pos:endpos]`` (offsets into ``text``), cut from the views
    of :func:`fold_and_lower` of ``text[base:]``; ``endpos`` is the end of the text or of a
    boundary."""
    out: list[Token] = []
    new = tuple.__new__  # Token(...) without the Python-level __new__ of a NamedTuple
    abbreviations = ABBREVIATIONS if expand else {}
    for m in _TOKEN.finditer(text, pos, endpos):
        start, end = m.span()
        c = text[start]
        if c in ".!?;…\n":
            if out and out[-1].form != BOUNDARY:
                out.append(new(Token, (BOUNDARY, start, end, "")))
            continue
        if c.isupper() and end - start <= _LONGEST_ABBREVIATION:
            raw = text[start:end]
            expansion = abbreviations.get(raw)
            if expansion is not None and raw.isupper():
                out.extend(new(Token, (w, start, end, "")) for w in expansion)
                continue
        b, e = start - base, end - base
        out.append(new(Token, (folded[b:e], start, end, words[b:e])))
    return _drop_so(out) if "so" in folded else out


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
