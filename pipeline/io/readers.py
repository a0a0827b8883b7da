"""Read articles from files: JSONL corpus records, ``.txt`` articles, ``.html`` pages,
``.warc``/``.warc.gz`` archives, and directories of them (recursively).

Every input either becomes an :class:`Article` or a :class:`Failure` that says what is
wrong: a broken line or file never stops the stream.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.io.article import DEFAULT_MAX_CHARS, Draft, InputError, draft_article
from pipeline.io.txt import parse_txt
from pipeline.types import Article, Failure

JSONL_SUFFIXES = (".jsonl", ".ndjson")
TXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
WARC_SUFFIXES = (".warc", ".warc.gz")
SUPPORTED = JSONL_SUFFIXES + TXT_SUFFIXES + HTML_SUFFIXES + WARC_SUFFIXES

Item = Article | Failure
Drafted = Draft | Failure
log = logging.getLogger(__name__)


def kind_of(path: Path) -> str | None:
    """The reader for a path, by its name.

    >>> kind_of(Path("a/b.jsonl")), kind_of(Path("x.warc.gz")), kind_of(Path("x.pdf"))
    ('jsonl', 'warc', None)
    """
    name = path.name.lower()
    for kind, suffixes in (
        ("jsonl", JSONL_SUFFIXES),
        ("txt", TXT_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("warc", WARC_SUFFIXES),
    ):
        if name.endswith(suffixes):
            return kind
    return None


def read_articles(
    paths: Iterable[str | Path], *, max_chars: int = DEFAULT_MAX_CHARS
) -> Iterator[Item]:
    """Articles (or failures) from files, directories (recursively, sorted) or ``-`` (stdin,
    one ``.txt`` article)."""
    for item in read_drafts(paths, max_chars=max_chars):
        yield item if isinstance(item, Failure) else item.finish()


def read_drafts(
    paths: Iterable[str | Path], *, max_chars: int = DEFAULT_MAX_CHARS
) -> Iterator[Drafted]:
    """:func:`read_articles`, each article a :class:`~pipeline.io.article.Draft` (not yet
    normalised: ``draft.finish()`` is the article)."""
    for p in paths:
        if str(p) == "-":
            try:
                text = _decode_text(sys.stdin.buffer.read(), "stdin")
            except InputError as exc:
                yield Failure("-", "read", exc.error_type, str(exc))
                continue
            yield from _read_txt_text(text, "-", "stdin", max_chars)
            continue
        path = Path(p)
        if path.is_dir():
            yield from _read_dir(path, max_chars)
        elif path.exists():
            yield from read_file(path, max_chars=max_chars, explicit=True)
        else:
            yield Failure(
                str(path), "read", "FileNotFoundError", f"no such file or directory: {path}"
            )


def _read_dir(root: Path, max_chars: int) -> Iterator[Drafted]:
    def onerror(err: OSError) -> None:
        raise err

    try:
        walk = sorted(os.walk(root, onerror=onerror))
    except OSError as exc:
        yield Failure(str(root), "read", type(exc).__name__, f"cannot list directory: {exc}")
        return
    for dirpath, _dirs, files in walk:
        for name in sorted(files):
            path = Path(dirpath) / name
            if kind_of(path) is None:
                continue  # not an article file (README, images, ...)
            yield from read_file(path, max_chars=max_chars, explicit=False)


def read_file(
    path: Path, *, max_chars: int = DEFAULT_MAX_CHARS, explicit: bool = True
) -> Iterator[Drafted]:
    kind = kind_of(path)
    if kind is None:
        yield Failure(
            str(path),
            "read",
            "UnsupportedFile",
            f"unsupported file type {path.suffix or '(none)'}; expected one of {', '.join(SUPPORTED)}",
        )
        return
    try:
        if kind == "jsonl":
            yield from _read_jsonl(path, max_chars)
        elif kind == "txt":
            data = path.read_bytes()
            text = _decode_text(data, str(path))
            yield from _read_txt_text(text, str(path), "txt", max_chars)
        elif kind == "html":
            yield from _read_html(path.read_bytes(), str(path), None, max_chars)
        else:
            yield from _read_warc(path, max_chars)
    except InputError as exc:
        yield Failure(str(path), "read", exc.error_type, str(exc))
    except ValueError as exc:  # e.g. iter_warc_pages: "not a WARC file"
        yield Failure(str(path), "read", type(exc).__name__, str(exc))
    except OSError as exc:
        yield Failure(str(path), "read", type(exc).__name__, f"cannot read file: {exc}")


def _decode_text(data: bytes, source: str) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _looks_utf16(data):
            return _decode_utf16(data)
        raise InputError(f"{source}: binary file (NUL bytes), not a text article", "BinaryFile")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        error = exc
    # Not UTF-8: a Vietnamese text in a legacy 8-bit encoding (TCVN3, VNI, Windows-1258)
    # is read as HTML pages are (pipeline.extract.charset); anything else is refused.
    from pipeline.extract.charset import detect_legacy

    legacy = detect_legacy(data)
    if legacy is not None:
        text, encoding = legacy
        log.info("%s: read as %s (not UTF-8)", source, encoding)
        return text
    raise InputError(
        f"{source}: not valid UTF-8 (byte {error.start}: "
        f"{data[error.start : error.start + 4]!r}) nor Vietnamese in TCVN3, VNI or "
        "Windows-1258; convert it to UTF-8 first",
        "UnicodeDecodeError",
    ) from error


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even_nuls = sample[1::2].count(0) / max(1, len(sample) // 2)
    odd_nuls = sample[0::2].count(0) / max(1, len(sample) // 2)
    return even_nuls > 0.3 or odd_nuls > 0.3


def _decode_utf16(data: bytes) -> str:
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        sample = data[:4096]
        le = sample[1::2].count(0) >= sample[0::2].count(0)
        return data.decode("utf-16-le" if le else "utf-16-be")
    except UnicodeDecodeError as exc:
        raise InputError(f"invalid UTF-16: {exc}", "UnicodeDecodeError") from exc


def _read_txt_text(text: str, source: str, fmt: str, max_chars: int) -> Iterator[Drafted]:
    try:
        layout = parse_txt(text)
        meta = layout.meta
        yield draft_article(
            body=layout.body,
            title=layout.title,
            record_id=meta.get("id"),
            url=meta.get("url"),
            published=layout.published,
            author=meta.get("author"),
            outlet=meta.get("outlet"),
            canonical_url=meta.get("canonical_url"),
            byline=layout.byline,
            source=source,
            source_format=fmt,
            max_chars=max_chars,
        )
    except (InputError, ValueError) as exc:
        yield Failure(source, "read", getattr(exc, "error_type", type(exc).__name__), str(exc))


def record_to_article(record: Any, source: str, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """A corpus record (``id, url, title, published, text, ...``) as an Article.

    >>> a = record_to_article({"id": "x", "title": "T", "text": "Có 5 người."}, "f.jsonl:1")
    >>> a.id, a.text
    ('x', 'T\\n\\nCó 5 người.')
    """
    return record_to_draft(record, source, max_chars).finish()


def record_to_draft(record: Any, source: str, max_chars: int = DEFAULT_MAX_CHARS) -> Draft:
    """:func:`record_to_article` but a :class:`~pipeline.io.article.Draft`."""
    if not isinstance(record, dict):
        raise InputError(
            f"a record must be a JSON object, not {type(record).__name__}", "BadRecord"
        )
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError("record has no 'text' string", "BadRecord")
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        title = str(title)
    return draft_article(
        body=text,
        title=title,
        record_id=record.get("id"),
        url=record.get("url") if isinstance(record.get("url"), str) else None,
        source=source,
        source_format="jsonl",
        max_chars=max_chars,
        **{k: record.get(k) for k in _RECORD_META if record.get(k) is not None},
    )


_RECORD_META = (
    "published",
    "published_at",
    "author",
    "outlet",
    "canonical_url",
    "fetched_at",
    "warc_file",
    "warc_record_id",
)


def _read_jsonl(path: Path, max_chars: int) -> Iterator[Drafted]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            source = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield Failure(
                    source, "read", "UnicodeDecodeError", f"line is not valid UTF-8: {exc}"
                )
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Failure(source, "read", "JSONDecodeError", f"line is not JSON: {exc}")
                continue
            except RecursionError:
                yield Failure(
                    source, "read", "JSONTooDeep", "line is JSON nested too deeply to read"
                )
                continue
            try:
                yield record_to_draft(record, source, max_chars)
            except InputError as exc:
                rid = record.get("id") if isinstance(record, dict) else None
                yield Failure(source, "read", exc.error_type, str(exc), str(rid) if rid else None)


def _read_html(
    data: bytes, source: str, url: str | None, max_chars: int, **meta: Any
) -> Iterator[Drafted]:
    from pipeline.extract.html import extract_page

    try:
        page = extract_page(data, url=url)
    except ValueError as exc:  # ExtractionError is a ValueError
        yield Failure(source, "extract", type(exc).__name__, str(exc))
        return
    try:
        yield draft_article(
            body=page.body,
            title=page.title,
            url=url or page.canonical_url,
            canonical_url=page.canonical_url,
            published=page.published,
            published_at=page.published_at,
            author=page.author,
            source=source,
            source_format="warc" if meta else "html",
            max_chars=max_chars,
            **meta,
        )
    except InputError as exc:
        yield Failure(source, "read", exc.error_type, str(exc))


def _read_warc(path: Path, max_chars: int) -> Iterator[Drafted]:
    from pipeline.scrape.archive import iter_warc_pages

    problems: list[str] = []
    for page in iter_warc_pages(path, problems):
        ctype = dict((k.lower(), v) for k, v in page.headers).get("content-type", "")
        if page.status != 200 or "html" not in ctype.lower():
            continue
        yield from _read_html(
            page.body,
            f"{path}#{page.warc_record_id}",
            page.url,
            max_chars,
            fetched_at=page.fetched_at,
            warc_file=page.warc_file or str(path),
            warc_record_id=page.warc_record_id,
        )
    for problem in problems:  # a torn file (a crawl killed mid-write): say what was lost
        yield Failure(str(path), "read", "TruncatedWARC", problem)
