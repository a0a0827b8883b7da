"""Decode fetched HTML bytes to NFC text, whatever the page or server claims.

Order of trust: a byte-order mark, then the HTTP ``Content-Type`` charset, then a
``<meta>`` charset, then detection. A declared charset is checked before it is believed:
pages that say ISO-8859-1 but are UTF-8, or say UTF-8 but are TCVN3, are common on old
government portals. Legacy Vietnamese encodings (TCVN3, VNI, Windows-1258) are found by
scoring each candidate decoding for well-formed Vietnamese syllables
(``pipeline.extract.legacy``). Never raises on bad bytes: invalid UTF-8 becomes U+FFFD.

>>> decode_html("<p>Đoàn viên</p>".encode("utf-8"), "text/html; charset=iso-8859-1")
('<p>Đoàn viên</p>', 'utf-8')
>>> decode_html(b'<meta charset="windows-1258"><p>Vie\\xf2\\xeaet</p>')[1]
'windows-1258'
>>> decode_html(encode_legacy("<p>Hội Nông dân tỉnh Nghệ An</p>", "vni"))
('<p>Hội Nông dân tỉnh Nghệ An</p>', 'vni')
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

from pipeline.extract.legacy import (
    LEGACY_ENCODINGS,
    LegacyEncoding,
    cp1252,
    decode_legacy,
    encode_legacy,
    syllable_score,
)

__all__ = ["declared_charset", "decode_html", "decode_legacy", "detect_legacy", "encode_legacy"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_HTTP = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
# Labels that browsers read as Windows-1252 (WHATWG Encoding Standard).
_WESTERN = {"cp1252", "iso8859-1", "ascii", "iso8859-15"}
_LEGACY_LABELS: dict[str, LegacyEncoding] = {
    "tcvn": "tcvn3",
    "tcvn3": "tcvn3",
    "tcvn-5712": "tcvn3",
    "tcvn5712-1": "tcvn3",
    "tcvn5712-1:1993": "tcvn3",
    "vni": "vni",
    "vni-windows": "vni",
    "windows-1258": "windows-1258",
    "cp1258": "windows-1258",
    "x-viet-vni": "vni",
}
# A Vietnamese decoding must make this share of its accented words well-formed syllables.
_MIN_SYLLABLE_SHARE = 0.6


def _codec(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _LEGACY_LABELS:
        return _LEGACY_LABELS[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset the HTTP header, else the first ``<meta>``, declares (as a codec name).

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=TCVN3">')
    'tcvn3'
    >>> declared_charset(b"<p>x</p>", "text/html; charset=ISO-8859-1")
    'iso8859-1'
    """
    if content_type:
        m = _HTTP.search(content_type)
        if m and (name := _codec(m.group(1))):
            return name
    meta = _META.search(body[:8192])
    if meta:
        return _codec(meta.group(1).decode("ascii", "replace"))
    return None


def _utf16_without_bom(body: bytes) -> str | None:
    sample = body[:4096]
    if len(sample) < 8:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _utf8_errors(body: bytes) -> tuple[int, int]:
    """(valid non-ASCII characters, invalid bytes) when the body is read as UTF-8."""
    try:
        text = body.decode("utf-8")
        bad = 0
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
        bad = max(text.count("\ufffd") - body.count(b"\xef\xbf\xbd"), 0)
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return good, bad


_HIGH = bytes(range(0x80, 0x100))


_WORDS = re.compile(r"[^\W\d_]+")
# In Vietnamese text about half the words carry a diacritic; in an English or German page
# read as TCVN3 a stray curly quote or umlaut gives a few. Below this share it is no reading.
_MIN_ACCENTED_SHARE = 0.1


def _legacy_readings(body: bytes) -> list[tuple[float, int, str, str]]:
    """(share of well-formed syllables, well-formed count, text, encoding), best first;
    only readings in which accented words are a plausible share of all words."""
    out = []
    for enc in LEGACY_ENCODINGS:
        text = decode_legacy(body, enc)
        good, total = syllable_score(text)
        if total and total >= _MIN_ACCENTED_SHARE * len(_WORDS.findall(text)):
            out.append((good / total, good, text, enc))
    return sorted(out, key=lambda r: (r[0], r[1]), reverse=True)


def _best_legacy(body: bytes, declared: str | None = None) -> tuple[str, str] | None:
    """The legacy Vietnamese reading whose accented words are most often syllables.

    A declared legacy encoding wins while its reading is good enough; otherwise the best
    reading must beat the Windows-1252 one.
    """
    readings = _legacy_readings(body)
    for share, _, text, enc in readings:
        if enc == declared and share >= _MIN_SYLLABLE_SHARE:
            return text, enc
    if not readings or readings[0][0] < _MIN_SYLLABLE_SHARE:
        return None
    western_good, western_total = syllable_score(cp1252(body))
    if western_total and western_good / western_total >= readings[0][0]:
        return None
    return readings[0][2], readings[0][3]


def detect_legacy(data: bytes) -> tuple[str, str] | None:
    """(NFC text, encoding) when ``data`` reads as Vietnamese in TCVN3, VNI or
    Windows-1258 (the same scoring as for HTML), else None. For bytes that are not UTF-8;
    UTF-8 with a few broken bytes (valid multi-byte sequences at least four times the
    invalid bytes, as :func:`decode_html` judges it) is damaged UTF-8, not legacy: None.

    >>> detect_legacy(encode_legacy("Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn kết nạp hội viên", "tcvn3"))
    ('Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn kết nạp hội viên', 'tcvn3')
    >>> detect_legacy("Grüße aus München, schöne Straße".encode("cp1252")) is None
    True
    """
    multibyte, bad = _utf8_errors(data)
    if multibyte and multibyte >= 4 * bad:
        return None
    found = _best_legacy(data)
    return _finish(*found) if found is not None else None


def _finish(text: str, name: str) -> tuple[str, str]:
    return unicodedata.normalize("NFC", text), name


def _decode(body: bytes, name: str) -> str:
    if name in LEGACY_ENCODINGS:
        return decode_legacy(body, name)
    if name in _WESTERN:
        return cp1252(body)
    return body.decode(name, errors="replace")


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode HTML bytes; return (NFC text, encoding name). Never raises on bad bytes.

    >>> decode_html(codecs.BOM_UTF16_LE + "Hà Nội".encode("utf-16-le"))
    ('Hà Nội', 'utf-16-le')
    >>> decode_html(b"Ph\\xe1\\xbb\\xa5 n\\xff")
    ('Phụ n\\ufffd', 'utf-8')
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return _finish(body[len(bom) :].decode(name, errors="replace"), name)
    if (name16 := _utf16_without_bom(body)) is not None:
        return _finish(body.decode(name16, errors="replace"), name16)

    declared = declared_charset(body, content_type)
    multibyte, bad = _utf8_errors(body)  # valid non-ASCII characters, invalid bytes
    high = len(body) - len(body.translate(None, _HIGH))

    if high == 0:
        return _finish(body.decode("ascii"), declared or "ascii")
    if bad == 0 and multibyte:
        # Valid UTF-8 with multi-byte sequences is UTF-8 whatever the label says: a
        # single-byte page almost never forms valid sequences by chance.
        return _finish(body.decode("utf-8"), "utf-8")
    if declared in LEGACY_ENCODINGS:
        # trusted while its reading is Vietnamese; a portal may label TCVN3 as VNI
        return _finish(*(_best_legacy(body, declared) or (_decode(body, declared), declared)))
    if (declared == "utf-8" and bad <= max(2, high // 100)) or (multibyte and multibyte >= 4 * bad):
        return _finish(body.decode("utf-8", errors="replace"), "utf-8")
    if declared is None or declared in _WESTERN or declared == "utf-8":
        legacy = _best_legacy(body)
        if legacy is not None:
            return _finish(*legacy)
    if declared is not None and declared != "utf-8":
        return _finish(_decode(body, declared), declared)
    if multibyte and multibyte >= bad:
        return _finish(body.decode("utf-8", errors="replace"), "utf-8")
    guess = charset_normalizer.from_bytes(body[:65536]).best()
    if guess is not None and guess.encoding and not guess.encoding.startswith("utf_8"):
        name = _codec(guess.encoding) or "utf-8"
        return _finish(_decode(body, name), name)
    return _finish(body.decode("utf-8", errors="replace"), "utf-8")
