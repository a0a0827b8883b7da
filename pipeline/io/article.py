"""Build :class:`~pipeline.types.Article` objects: ids, normalisation, content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pipeline.text.normalize import normalize_nfc
from pipeline.types import Article

DEFAULT_MAX_CHARS = 2_000_000
# Lone surrogates (JSON "\\ud800" escapes, surrogateescape'd bytes) cannot be stored or hashed.
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_SPACE = re.compile(r"\S")


class InputError(ValueError):
    """An input that cannot become an article; the message says why and what to do."""

    def __init__(self, message: str, error_type: str = "InputError") -> None:
        super().__init__(message)
        self.error_type = error_type


def sha1_16(text: str) -> str:
    """First 16 hex digits of the sha1 of a string (UTF-8).

    >>> sha1_16("http://example.org/a")
    'a08896bcf126c65e'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def article_id(record_id: Any, url: str | None, text_nfc: str) -> str:
    """An article's stable id: its record's ``id``; else sha1 of its URL as given; else of its
    NFC body text (first 16 hex digits), as the shared corpus does.

    >>> article_id("abc", "http://x", "t"), article_id(None, "http://x", "t") == sha1_16("http://x")
    ('abc', True)
    """
    if record_id not in (None, ""):
        return str(record_id)
    if url:
        return sha1_16(url)
    return sha1_16(text_nfc)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    s = unicodedata.normalize("NFC", str(value)).strip()
    return s or None


@dataclass(frozen=True, slots=True)
class Draft:
    """An article read and checked, all but its length-keeping normalisation (the costly
    part: :func:`~pipeline.text.normalize.normalize_nfc`) and its content hash, which
    :meth:`finish` adds. A batch normalises its articles in the worker processes: the
    reading process only parses, checks and sends ``raw_text`` (one copy of the text)."""

    id: str
    raw_text: str
    title_nfc: str | None
    url: str | None
    source: str
    source_format: str
    fields: dict[str, str | None]
    text: str | None = None  # the normalised text when the checks already needed it

    def finish(self) -> Article:
        """The :class:`Article` (what :func:`make_article` returns for the same input)."""
        raw_text = self.raw_text
        text = normalize_nfc(raw_text) if self.text is None else self.text
        title_nfc = self.title_nfc
        url = self.url
        fields = self.fields
        digest_src = "\x1f".join([text, url or "", fields.get("published") or ""])
        return Article(
            id=self.id,
            text=text,
            raw_text=raw_text,
            title=normalize_nfc(title_nfc) if title_nfc else None,
            body_offset=len(title_nfc) + 2 if title_nfc else 0,
            url=url,
            source=self.source,
            source_format=self.source_format,
            content_hash=hashlib.sha1(digest_src.encode("utf-8")).hexdigest(),
            **fields,
        )


def make_article(
    *,
    body: str,
    title: str | None = None,
    record_id: Any = None,
    url: str | None = None,
    source: str = "-",
    source_format: str = "jsonl",
    max_chars: int = DEFAULT_MAX_CHARS,
    **meta: Any,
) -> Article:
    """Normalise title and body into one :class:`Article`.

    ``text`` is ``title + "\\n\\n" + body`` (body alone without a title), NFC then the
    length-keeping normalisation; ``raw_text`` is the same after NFC only. Raises
    :class:`InputError` for an empty or too large article.

    >>> a = make_article(title="Hoà  bình", body="Có\\u00a03.400 người.", record_id="x1")
    >>> a.text, a.raw_text, a.body_offset, a.body
    ('Hòa  bình\\n\\nCó 3.400 người.', 'Hoà  bình\\n\\nCó\\xa03.400 người.', 11, 'Có 3.400 người.')
    """
    return draft_article(
        body=body,
        title=title,
        record_id=record_id,
        url=url,
        source=source,
        source_format=source_format,
        max_chars=max_chars,
        **meta,
    ).finish()


def draft_article(
    *,
    body: str,
    title: str | None = None,
    record_id: Any = None,
    url: str | None = None,
    source: str = "-",
    source_format: str = "jsonl",
    max_chars: int = DEFAULT_MAX_CHARS,
    **meta: Any,
) -> Draft:
    """:func:`make_article` but for the normalisation (see :class:`Draft`): the same checks,
    the same :class:`InputError`; ``draft_article(...).finish() == make_article(...)``."""
    body_nfc = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    title_nfc = _clean(title)
    if title_nfc is not None:
        title_nfc = " ".join(title_nfc.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if not body_nfc.strip() and not title_nfc:
        raise InputError("empty article: no title and no text", "EmptyArticle")
    raw_text = f"{title_nfc}\n\n{body_nfc}" if title_nfc else body_nfc
    if len(raw_text) > max_chars:
        raise InputError(
            f"article too large: {len(raw_text):,} characters > limit {max_chars:,} "
            "(raise it with --max-chars)",
            "too_large",
        )
    text = None
    # The normalisation turns only some characters into spaces (each on its own): when the
    # first character that is not white space stays so, the text is not blank and is
    # normalised later (by the worker that processes it).
    first = _NOT_SPACE.search(raw_text)
    if first is None or not normalize_nfc(first.group()).strip():
        text = normalize_nfc(raw_text)
        if not text.strip():  # only zero-width, bidi or other characters normalised to spaces
            raise InputError(
                "empty article: its text is only invisible characters (zero-width, bidi marks)",
                "EmptyArticle",
            )
    clean_url = _clean(url)
    fields = {k: _clean(v) for k, v in meta.items() if k in _META_FIELDS}
    for name, value in (("text", raw_text), ("url", clean_url), *fields.items()):
        if value and _SURROGATE.search(value):
            raise InputError(
                f"the {name} holds a lone surrogate (an unpaired \\ud800-\\udfff escape), "
                "which is not valid Unicode; fix the record",
                "BadUnicode",
            )
    aid = article_id(record_id, clean_url, body_nfc)
    if _SURROGATE.search(aid):
        raise InputError("the id holds a lone surrogate: not valid Unicode", "BadUnicode")
    return Draft(aid, raw_text, title_nfc, clean_url, source, source_format, fields, text)


_META_FIELDS = {
    "canonical_url",
    "published",
    "published_at",
    "author",
    "outlet",
    "byline",
    "fetched_at",
    "warc_file",
    "warc_record_id",
}
