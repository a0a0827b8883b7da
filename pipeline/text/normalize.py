"""Text normalisation, done once per article.

``normalize`` is NFC followed only by changes that keep the length, so that an offset into
the normalised text is an offset into the NFC text too:

* NBSP and the other Unicode spaces become a plain space; zero-width characters (ZWSP,
  ZWNJ, ZWJ, BOM, word joiner) and bidi controls become a plain space as well.
* Tone marks go where underthesea's (modern) convention puts them: ``hoà`` → ``hòa``,
  ``uỷ`` → ``ủy``, ``khoẻ`` → ``khỏe``, misplaced ``baỏ`` → ``bảo`` (one character for one;
  a word that is not a plain Vietnamese syllable is left alone). ``Ð`` (Icelandic eth, a
  common look-alike) becomes ``Đ``.

White space is never collapsed. ``fold`` maps a text to its search form (no diacritics,
``đ`` → ``d``, lower case), also one character for one. ``nfc_with_map`` gives the NFC text
with a map back to the raw input where NFC changed the length.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SPACE_TABLE = str.maketrans({**{c: " " for c in _SPACES + _INVISIBLE}, "Ð": "Đ"})
_SPACE_CHARS = re.compile("[" + _SPACES + _INVISIBLE + "Ð]")

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_VOWELS = set("aăâeêioôơuưy")
_MARKED = set("ăâêôơư")  # vowels with a shape mark: the tone goes on them
_INITIALS = {
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gh",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "ngh",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
}
_FINALS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}
# Vowel clusters of more than one letter that a Vietnamese syllable can have, without and
# with a final consonant (after the initials qu- and gi- are taken off).
_OPEN_CLUSTERS = set(
    [
        "ai",
        "ao",
        "au",
        "ay",
        "âu",
        "ây",
        "eo",
        "êu",
        "ia",
        "iu",
        "oa",
        "oe",
        "oi",
        "ôi",
        "ơi",
        "ua",
        "uê",
        "ui",
        "uy",
        "ưa",
        "ưi",
        "ưu",
        "uơ",
        "oai",
        "oay",
        "uây",
        "uôi",
        "ươi",
        "ươu",
        "yêu",
        "iêu",
        "uya",
        "uyu",
        "oeo",
    ]
)
_CLOSED_CLUSTERS = set(["oa", "oă", "oe", "oo", "uâ", "uê", "uy", "iê", "yê", "uô", "ươ", "uyê"])
_WORD = re.compile(r"[^\W\d_]+")
_TONED = set(
    unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY" for t in _TONES
)


def _split_char(c: str) -> tuple[str, str]:
    """A letter as (letter without tone, tone mark or '')."""
    d = unicodedata.normalize("NFD", c)
    tone = "".join(m for m in d if m in _TONES)
    base = unicodedata.normalize("NFC", "".join(m for m in d if m not in _TONES))
    return base, tone


def _place_tone(word: str) -> str:
    """Put a syllable's one tone mark where the modern convention puts it, or leave the
    syllable alone when it is not a plain Vietnamese syllable."""
    if not word.isupper() and any(c.isupper() for c in word[1:]):
        return word  # "VũÔng": two words glued together, or a name like "iPhone"
    parts = [_split_char(c) for c in word]
    tones = [t for _, t in parts if t]
    if len(tones) != 1 or any(len(b) != 1 for b, _ in parts):
        return word
    bases = "".join(b for b, _ in parts)
    low = bases.lower()
    i = 0
    while i < len(low) and low[i] not in _VOWELS:
        i += 1
    initial = low[:i]
    if initial == "q" and low[i : i + 1] == "u":
        initial, i = "qu", i + 1
    elif initial == "g" and low[i : i + 1] == "i" and i + 1 < len(low) and low[i + 1] in _VOWELS:
        initial, i = "gi", i + 1
    j = i
    while j < len(low) and low[j] in _VOWELS:
        j += 1
    nucleus, final = low[i:j], low[j:]
    if initial not in _INITIALS or final not in _FINALS or not nucleus:
        return word
    if len(nucleus) > 1 and nucleus not in (_CLOSED_CLUSTERS if final else _OPEN_CLUSTERS):
        return word
    marked = [k for k, v in enumerate(nucleus) if v in _MARKED]
    if marked:
        pos = marked[-1]  # ươ: on ơ
    elif len(nucleus) == 1:
        pos = 0
    elif final:
        pos = len(nucleus) - 1  # hoàn, toán
    elif len(nucleus) == 3:
        pos = 1  # ngoài
    else:
        pos = 0  # hòa, thủy, mía, của
    target = i + pos
    out = []
    for k, (b, _) in enumerate(parts):
        out.append(unicodedata.normalize("NFC", b + tones[0]) if k == target else b)
    result = "".join(out)
    return result if len(result) == len(word) else word


_WORD_CACHE: dict[str, str] = {}
_CHANGING: set[str] = set()  # the words of _WORD_CACHE whose tone moves


def _fix_word(m: re.Match[str]) -> str:
    w = m.group(0)
    after = m.string[m.end() : m.end() + 1]
    if after and unicodedata.combining(after):
        return w  # a stray combining mark follows: moving the tone could make it compose
    fixed = _WORD_CACHE.get(w)
    return _fixed(w) if fixed is None else fixed


def _fixed(w: str) -> str:
    """``w`` with its tone placed, remembered in ``_WORD_CACHE`` (and ``_CHANGING``)."""
    fixed = _place_tone(w) if any(c in _TONED for c in w) else w
    if len(_WORD_CACHE) < 200_000:
        _WORD_CACHE[w] = fixed
        if fixed != w:
            _CHANGING.add(w)
    return fixed


def normalize_tones(text: str) -> str:
    """Put tone marks where underthesea's (modern) convention puts them, one character for
    one: ``hoà`` → ``hòa``, ``uỷ`` → ``ủy``, ``baỏ`` → ``bảo``, ``lựơng`` → ``lượng``.

    >>> normalize_tones("hoà bình, uỷ ban, khoẻ mạnh, Thuỷ, HOÀ")
    'hòa bình, ủy ban, khỏe mạnh, Thủy, HÒA'
    >>> normalize_tones("quý, hoàn thành, thuyền, toàn, giáo, người, Nguyễn, gìn, ngoài")
    'quý, hoàn thành, thuyền, toàn, giáo, người, Nguyễn, gìn, ngoài'
    >>> normalize_tones("baỏ chất lựơng thí nghịêm, café, iPhoné")
    'bảo chất lượng thí nghiệm, café, iPhoné'
    >>> normalize_tones("Xêút hộiÔng VũÔng khủyu ngòeo")  # glued words are left alone
    'Xêút hộiÔng VũÔng khuỷu ngoèo'
    """
    words = set(_WORD.findall(text))
    changed = words & _CHANGING
    for w in words.difference(_WORD_CACHE):
        if _fixed(w) != w:
            changed.add(w)
    if not changed:
        return text
    # only the words that change are replaced: most articles have a few, most none
    return _words_pattern(frozenset(changed)).sub(_fix_word, text)


@lru_cache(maxsize=256)
def _words_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """The whole words ``words`` (letter runs, as ``_WORD`` finds them)."""
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alts})(?![^\W\d_])")


def normalize(text: str) -> str:
    """NFC, then only length-keeping changes (spaces, tone placement). Idempotent.

    >>> normalize("Hoà\\u00a0Bình  uỷ")
    'Hòa Bình  ủy'
    >>> s = "Le\\u0302\\u0300 Lợi"  # decomposed: NFC shortens it
    >>> normalize(s) == normalize(normalize(s))
    True
    """
    nfc = unicodedata.normalize("NFC", text)
    return normalize_nfc(nfc)


def normalize_nfc(nfc: str) -> str:
    """The length-keeping part of :func:`normalize`, for text that is already NFC.

    >>> normalize_nfc("cấp uỷ\\u200b") == "cấp ủy "
    True
    """
    out = nfc.translate(_SPACE_TABLE) if _SPACE_CHARS.search(nfc) else nfc
    return normalize_tones(out)


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0]
    low = base.lower()
    return low if len(low) == 1 else base


class TranslateTable(dict[int, str]):
    """``str.translate`` table of a one-character function, filled as characters are met
    (every character gets an entry, unchanged ones too: a miss costs ``translate`` an
    exception; at most 65,536 entries are kept).

    >>> "Hòa Bình".translate(TranslateTable(str.upper))
    'HÒA BÌNH'
    """

    def __init__(self, func: Callable[[str], str]) -> None:
        super().__init__()
        self.func = func

    def __missing__(self, key: int) -> str:
        out = self.func(chr(key))
        if len(self) < 65536:
            self[key] = out
        return out


_FOLD_TABLE = TranslateTable(_fold_char)


def fold(text: str) -> str:
    """The search form of a text: no diacritics, ``đ`` → ``d``, lower case, same length.

    >>> fold("Kết nạp Đảng")
    'ket nap dang'
    >>> fold("HOÀ") == fold("hòa") == "hoa"
    True
    >>> len(fold("Ǆ ß İ")) == len("Ǆ ß İ")
    True
    """
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


def fold_query(text: str) -> str:
    """Fold a search query: :func:`normalize` then :func:`fold`, white space collapsed.

    >>> fold_query("  KẾT  NẠP  ĐẢNG ")
    'ket nap dang'
    """
    return " ".join(fold(normalize(text)).split())


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in NFC text back to offsets in the raw text it came from.

    ``segments`` are the ``(nfc_start, nfc_end, raw_start, raw_end)`` of the stretches that
    NFC changed (composed, reordered); elsewhere the mapping is a plain shift. An offset
    inside a changed stretch maps to the stretch's raw start (``side="start"``) or raw end
    (``side="end"``), so a span always maps to a raw span that covers it. An empty map is
    the identity.
    """

    segments: tuple[tuple[int, int, int, int], ...] = ()

    def to_raw(self, offset: int, side: str = "start") -> int:
        """Raw offset of an NFC offset.

        >>> text, m = nfc_with_map("Le\u0302\u0300 ok")
        >>> text, m.to_raw(0), m.to_raw(2), m.to_raw(3)
        ('Lề ok', 0, 4, 5)
        >>> m.to_raw(1), m.to_raw(2, side="end")
        (1, 4)
        """
        if not self.segments:
            return offset
        i = bisect.bisect_right(self.segments, (offset, 1 << 62)) - 1
        if i < 0:
            return offset
        nfc_start, nfc_end, raw_start, raw_end = self.segments[i]
        if offset == nfc_start:
            return raw_start
        if offset < nfc_end:
            return raw_end if side == "end" else raw_start
        return raw_end + (offset - nfc_end)


def nfc_with_map(raw: str) -> tuple[str, OffsetMap]:
    """NFC of ``raw`` and the map of NFC offsets back to ``raw`` offsets.

    >>> nfc_with_map("abc")
    ('abc', OffsetMap(segments=()))
    """
    if unicodedata.is_normalized("NFC", raw):
        return raw, OffsetMap()
    # Split at starters (combining class 0); NFC each segment on its own.
    bounds = [0] + [i for i in range(1, len(raw)) if unicodedata.combining(raw[i]) == 0]
    bounds.append(len(raw))
    out: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    pos = 0
    for a, b in itertools.pairwise(bounds):
        seg = raw[a:b]
        norm = unicodedata.normalize("NFC", seg)
        if norm != seg:
            segments.append((pos, pos + len(norm), a, b))
        out.append(norm)
        pos += len(norm)
    text = "".join(out)
    full = unicodedata.normalize("NFC", raw)
    if text != full:  # compositions across starters (e.g. Hangul jamo): one coarse segment
        return full, OffsetMap(((0, len(full), 0, len(raw)),))
    return text, OffsetMap(tuple(segments))
