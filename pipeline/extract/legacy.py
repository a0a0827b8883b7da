"""Legacy Vietnamese 8-bit encodings: TCVN3 (ABC), VNI-Windows and Windows-1258.

Python has a ``cp1258`` codec but none for TCVN3 or VNI, and common detectors
(charset-normalizer, chardet) recognise neither, so the tables live beside this module in
``legacy_charsets.json`` and the detector here scores each candidate decoding by how many
of its words are well-formed Vietnamese syllables.

>>> decode_legacy("Vieät Nam".encode("latin-1"), "vni")
'Việt Nam'
>>> decode_legacy(encode_legacy("Hội Liên hiệp Phụ nữ", "tcvn3"), "tcvn3")
'Hội Liên hiệp Phụ nữ'
>>> encode_legacy("Đoàn", "windows-1258")
b'\\xd0o\\xe0n'
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

LegacyEncoding = Literal["tcvn3", "vni", "windows-1258"]
LEGACY_ENCODINGS: tuple[LegacyEncoding, ...] = ("tcvn3", "vni", "windows-1258")
_TABLES = Path(__file__).with_name("legacy_charsets.json")
_TONES = "\u0300\u0301\u0303\u0309\u0323"


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], dict[str, bytes], dict[bytes, str]]:
    raw = json.loads(_TABLES.read_text(encoding="utf-8"))
    tcvn = {int(k, 16): v for k, v in raw["tcvn3"].items()}
    vni_enc = {k: bytes.fromhex(v) for k, v in raw["vni"].items()}
    vni_dec = {v: k for k, v in vni_enc.items()}
    return tcvn, vni_enc, vni_dec


@lru_cache(maxsize=1)
def _tcvn_translation() -> dict[int, str]:
    """str.translate table from Latin-1-decoded TCVN3 bytes to Unicode."""
    tcvn, _, _ = _tables()
    return {b: c for b, c in tcvn.items()}


@lru_cache(maxsize=1)
def _vni_decoder() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over Latin-1-decoded VNI bytes: letter+mark pairs first, then single bytes;
    bytes 0x80-0x9F that are no VNI letter are read as Windows-1252."""
    _, _, vni_dec = _tables()
    mapping = {k.decode("latin-1"): v for k, v in vni_dec.items()}
    for b in range(0x80, 0xA0):
        mapping.setdefault(chr(b), cp1252(bytes([b])))
    keys = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)), mapping


_CP1252_UNDEFINED = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))


def cp1252(data: bytes) -> str:
    """Windows-1252, its five undefined bytes read as Latin-1 (nothing is lost).

    >>> cp1252(b"caf\\xe9 \\x81")
    'café \\x81'
    """
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return "".join(
            chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252") for b in data
        )


def decode_legacy(data: bytes, encoding: LegacyEncoding) -> str:
    """Decode bytes in a legacy Vietnamese encoding to NFC text. Never raises on bad bytes.

    >>> decode_legacy(b"Vi\\xd6t Nam", "tcvn3")
    'Việt Nam'
    >>> decode_legacy(b"Vi\\xea\\xf2t", "windows-1258")  # combining dot below -> NFC
    'Việt'
    """
    if encoding == "windows-1258":
        text = data.decode("cp1258", errors="replace")
    elif encoding == "tcvn3":
        text = data.decode("latin-1").translate(_tcvn_translation())
    elif encoding == "vni":
        pattern, mapping = _vni_decoder()
        text = pattern.sub(lambda m: mapping[m.group()], data.decode("latin-1"))
    else:
        raise ValueError(
            f"unknown legacy encoding {encoding!r}; expected one of {LEGACY_ENCODINGS}"
        )
    return unicodedata.normalize("NFC", text)


def encode_legacy(text: str, encoding: LegacyEncoding) -> bytes:
    """Encode text in a legacy Vietnamese encoding (for round-trip tests and fixtures).

    Raises ``ValueError`` for a character the encoding cannot represent.

    >>> encode_legacy("Việt", "vni")
    b'Vie\\xe4t'
    """
    text = unicodedata.normalize("NFC", text)
    out = bytearray()
    if encoding == "tcvn3":
        tcvn, _, _ = _tables()
        rev = {c: b for b, c in tcvn.items() if unicodedata.combining(c) == 0}
        for ch in text:
            if ch in rev:
                out.append(rev[ch])
            elif ord(ch) < 0x80:
                out.append(ord(ch))
            else:
                raise ValueError(f"TCVN3 cannot encode {ch!r}")
    elif encoding == "vni":
        _, vni_enc, _ = _tables()
        for ch in text:
            if ch in vni_enc:
                out += vni_enc[ch]
            else:
                try:
                    out += ch.encode("cp1252")
                except UnicodeEncodeError as exc:
                    raise ValueError(f"VNI cannot encode {ch!r}") from exc
    elif encoding == "windows-1258":
        for ch in text:
            try:
                out += ch.encode("cp1258")
                continue
            except UnicodeEncodeError:
                pass
            nfd = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in nfd if c in _TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
            try:
                out += (base + tones).encode("cp1258")
            except UnicodeEncodeError as exc:
                raise ValueError(f"Windows-1258 cannot encode {ch!r}") from exc
    else:
        raise ValueError(
            f"unknown legacy encoding {encoding!r}; expected one of {LEGACY_ENCODINGS}"
        )
    return bytes(out)


# Vowel clusters of Vietnamese: those that may take a final consonant, and those that end
# the syllable themselves (their last letter is the glide).
_CLOSABLE = "a ă â e ê i o ô ơ u ư y iê yê oa oă oe uâ uê uô uơ ươ uy uyê"
_OPEN = "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oay oeo uây uôi ươi ươu uya uyu"
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_SYLLABLE = re.compile(
    rf"{_ONSET}(?:(?:{'|'.join(sorted(_CLOSABLE.split(), key=len, reverse=True))})"
    rf"(?:ch|ng|nh|[cmnpt])?|(?:{'|'.join(sorted(_OPEN.split(), key=len, reverse=True))}))"
)
_WORD = re.compile(r"[^\W\d_]+")


def syllable_score(text: str) -> tuple[int, int]:
    """(well-formed, total) over the words with a non-ASCII letter.

    A word is well formed when, with its tone mark removed, it is a Vietnamese syllable
    (onset, one to three vowels, coda) carrying at most one tone mark.

    >>> syllable_score("Hội Liên hiệp Phụ nữ Việt Nam")
    (6, 6)
    >>> syllable_score("Hoäi Lieân hieäp")
    (0, 3)
    """
    good = total = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        total += 1
        nfd = unicodedata.normalize("NFD", word.lower())
        if sum(c in _TONES for c in nfd) > 1:
            continue
        bare = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
        if _SYLLABLE.fullmatch(bare):
            good += 1
    return good, total
