"""Text normalisation, done once per article.

``normalize`` is NFC followed only by changes that keep the length, so that an offset into
the normalised text is an offset into the NFC text too:

* NBSP and the other Unicode spaces become a plain space; zero-width characters (ZWSP,
  ZWNJ, ZWJ, BOM, word joiner) and bidi controls become a plain space as well.
* Old-style tone placement becomes underthesea's: ``hoà`` → ``hòa``, ``uỷ`` → ``ủy``,
  ``khoẻ`` → ``khỏe`` (one character for one). ``quý``, ``hoàn``, ``thuyền`` are left alone.

White space is never collapsed. ``fold`` maps a text to its search form (no diacritics,
``đ`` → ``d``, lower case), also one character for one. ``nfc_with_map`` gives the NFC text
with a map back to the raw input where NFC changed the length.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SPACE_TABLE = str.maketrans({c: " " for c in _SPACES + _INVISIBLE})

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_LETTER = r"[^\W\d_]"
# o + toned a/e, or u + toned y, at the end of a syllable (no letter follows) and not after q.
_OLD_TONE = re.compile(
    r"(?<![qQ])([oO])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ])(?!" + _LETTER + r")"
    r"|(?<![qQ])([uU])([ỳýỷỹỵỲÝỶỸỴ])(?!" + _LETTER + r")"
)


def _move_tone(match: re.Match[str]) -> str:
    first = match.group(1) or match.group(3)
    second = match.group(2) or match.group(4)
    decomposed = unicodedata.normalize("NFD", second)
    base, marks = decomposed[0], decomposed[1:]
    tone = "".join(m for m in marks if m in _TONES)
    rest = "".join(m for m in marks if m not in _TONES)
    new_first = unicodedata.normalize("NFC", first + tone)
    new_second = unicodedata.normalize("NFC", base + rest)
    if len(new_first) != 1 or len(new_second) != 1:  # pragma: no cover - defensive
        return match.group(0)
    return new_first + new_second


def normalize_tones(text: str) -> str:
    """Move old-style tone marks to underthesea's placement, keeping the length.

    >>> normalize_tones("hoà bình, uỷ ban, khoẻ mạnh, Thuỷ, HOÀ")
    'hòa bình, ủy ban, khỏe mạnh, Thủy, HÒA'
    >>> normalize_tones("quý, hoàn thành, thuyền, toàn")
    'quý, hoàn thành, thuyền, toàn'
    """
    return _OLD_TONE.sub(_move_tone, text)


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
    out = nfc.translate(_SPACE_TABLE)
    return normalize_tones(out)


_FOLD_CACHE: dict[str, str] = {}


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0]
    low = base.lower()
    return low if len(low) == 1 else base


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
    out = []
    cache = _FOLD_CACHE
    for c in text:
        f = cache.get(c)
        if f is None:
            f = _fold_char(c)
            if len(cache) < 65536:
                cache[c] = f
        out.append(f)
    return "".join(out)


def fold_query(text: str) -> str:
    """Fold a search query: :func:`normalize` then :func:`fold`, white space collapsed.

    >>> fold_query("  KẾT  NẠP  ĐẢNG ")
    'ket nap dang'
    """
    return " ".join(fold(normalize(text)).split())


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in NFC text back to offsets in the raw text it came from.

    ``points`` are ``(nfc_offset, raw_offset)`` pairs at the starts of the segments that
    NFC changed and right after them; between points the mapping is the identity shift of
    the last point. An empty map is the identity.
    """

    points: tuple[tuple[int, int], ...] = ()

    def to_raw(self, offset: int) -> int:
        """Raw offset of an NFC offset.

        >>> text, m = nfc_with_map("Le\\u0302\\u0300 ok")
        >>> text, m.to_raw(0), m.to_raw(2), m.to_raw(3)
        ('Lề ok', 0, 4, 5)
        """
        if not self.points:
            return offset
        keys = [p[0] for p in self.points]
        i = bisect.bisect_right(keys, offset) - 1
        if i < 0:
            return offset
        nfc_at, raw_at = self.points[i]
        return raw_at + (offset - nfc_at)


def nfc_with_map(raw: str) -> tuple[str, OffsetMap]:
    """NFC of ``raw`` and the map of NFC offsets back to ``raw`` offsets.

    >>> nfc_with_map("abc")
    ('abc', OffsetMap(points=()))
    """
    if unicodedata.is_normalized("NFC", raw):
        return raw, OffsetMap()
    # Split at starters (combining class 0); NFC each segment on its own.
    segments: list[tuple[int, str]] = []
    start = 0
    for i in range(1, len(raw) + 1):
        if i == len(raw) or unicodedata.combining(raw[i]) == 0:
            segments.append((start, raw[start:i]))
            start = i
    out: list[str] = []
    points: list[tuple[int, int]] = []
    pos = 0
    for raw_start, seg in segments:
        norm = unicodedata.normalize("NFC", seg)
        if len(norm) != len(seg):
            points.append((pos, raw_start))
            points.append((pos + len(norm), raw_start + len(seg)))
        out.append(norm)
        pos += len(norm)
    text = "".join(out)
    full = unicodedata.normalize("NFC", raw)
    if text != full:  # rare compositions across starters (e.g. Hangul): coarse map
        return full, OffsetMap(((0, 0), (len(full), len(raw))))
    return text, OffsetMap(tuple(points))
