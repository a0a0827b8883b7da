"""Article text and metadata from one HTML page.

Profile selectors (from a site profile) are tried first; trafilatura, a well-kept generic
extractor, is the fallback. Around it: the lead paragraph (sapo) that trafilatura often
drops is put back, a trailing byline is moved out of the body into ``author``, and a page
that has no article (a homepage, a menu) raises :class:`ExtractionError`.

>>> page = extract_page(
...     "<html><head><title>Hội Nông dân | Báo X</title></head><body>"
...     "<h1>Hội Nông dân tổng kết năm 2024</h1>"
...     "<p class='sapo'>Hội Nông dân tỉnh vừa tổng kết công tác năm 2024 với 120 đại biểu dự.</p>"
...     "<div class='content'><p>Năm 2024, toàn tỉnh kết nạp 3.500 hội viên mới, "
...     "vượt 15% chỉ tiêu đề ra; 1.200 hộ đạt danh hiệu sản xuất, kinh doanh giỏi.</p>"
...     "<p>Hội cũng giải ngân 45 tỷ đồng vốn vay cho hội viên phát triển kinh tế.</p></div>"
...     "</body></html>",
...     selectors={"body": ".content", "title": "h1"},
... )
>>> page.title
'Hội Nông dân tổng kết năm 2024'
>>> page.body.split("\\n\\n")[0]
'Hội Nông dân tỉnh vừa tổng kết công tác năm 2024 với 120 đại biểu dự.'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from lxml.cssselect import CSSSelector

from pipeline.extract.charset import decode_html
from pipeline.extract.metadata import page_meta, parse_datetime_parts
from pipeline.extract.structure import (
    block_text,
    find_lead,
    find_teasers,
    split_trailing_byline,
    unwrap_layout_tables,
)

__all__ = ["Extracted", "ExtractionError", "extract_page"]

# Below this many characters of body text there is no article to speak of.
MIN_BODY_CHARS = 120


# A page with teasers for this many other pages and no article text besides is a listing.
MIN_LISTING_TARGETS = 5

# A page whose text is mostly links (MIN_LISTING_TARGETS or more link lines, over half of
# its characters) and that has less prose than this outside them is a menu, not an article.
MIN_PROSE_CHARS = 2 * MIN_BODY_CHARS


def _chars(paras: list[str]) -> int:
    return sum(len(p) for p in paras)


class ExtractionError(ValueError):
    """The page has no article body (homepage, menu, empty or unparsable page)."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one article page says. ``body`` is paragraphs joined by a blank line."""

    title: str | None
    body: str
    published: str | None  # ISO date YYYY-MM-DD, calendar date in Asia/Ho_Chi_Minh
    published_at: str | None  # ISO datetime with offset when the page gives a time
    author: str | None
    canonical_url: str | None
    encoding: str | None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _paragraphs(text: str) -> list[str]:
    return [p for p in (" ".join(line.split()) for line in text.splitlines()) if p]


# 64 or more tags in a row with nothing between them: nesting libxml2 will not follow.
_TAG_RUN = re.compile(r"(?:<[a-zA-Z][^<>]*>\s*){64,}")
_END_RUN = re.compile(r"(?:</[a-zA-Z][^<>]*>\s*){64,}")


# Deeper than this, trafilatura gives up on a tree (and libxml2 drops content further down).
MAX_DEPTH = 200


def _depth(tree: Any) -> int:
    depth = deepest = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _parse(text: str) -> tuple[Any, bool]:
    """Parse HTML with lxml; return the tree and whether deep nesting was flattened.

    When the tree is deeper than ``MAX_DEPTH``, runs of 64 or more tags with nothing
    between them (empty wrappers, nothing a reader sees) are collapsed into one ``div``
    and the page is parsed again.
    """
    tree = _parse_once(text)
    if _depth(tree) <= MAX_DEPTH:
        return tree, False
    flat = _END_RUN.sub("</div>", _TAG_RUN.sub("<div>", text))
    return (_parse_once(flat), True) if flat != text else (tree, False)


def _parse_once(text: str) -> Any:
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"page could not be parsed as HTML: {exc}") from exc
    if tree is None:
        raise ExtractionError("page could not be parsed as HTML")
    return tree


def _select(tree: Any, selector: str) -> list[Any]:
    try:
        return list(CSSSelector(selector)(tree))
    except Exception as exc:  # cssselect raises its own SelectorError family
        raise ValueError(f"bad CSS selector {selector!r}: {exc}") from exc


def _selected_text(tree: Any, selector: str | None) -> str | None:
    if not selector:
        return None
    for el in _select(tree, selector):
        text = " ".join(el.text_content().split())
        if text:
            return text
    return None


def _generic(text: str, url: str | None) -> list[str]:
    """trafilatura's body paragraphs (default settings; favour recall when it finds too little)."""
    doc = None
    paras: list[str] = []
    for recall in (False, True):
        try:
            doc = trafilatura.bare_extraction(
                text,
                url=url,
                with_metadata=False,
                include_comments=False,
                include_tables=True,
                include_images=False,
                deduplicate=False,
                favor_recall=recall,
            )
        except Exception:  # trafilatura can fail deep inside lxml on hostile markup
            doc = None
        paras = _paragraphs(getattr(doc, "text", None) or "")
        if sum(len(p) for p in paras) >= MIN_BODY_CHARS * 2:
            break
    return paras


def extract_page(
    html: bytes | str,
    url: str | None = None,
    *,
    content_type: str | None = None,
    selectors: Mapping[str, str] | None = None,
) -> Extracted:
    """Extract the article of one page; raise :class:`ExtractionError` when it has none."""
    if isinstance(html, bytes):
        text, encoding = decode_html(html, content_type)
    elif isinstance(html, str):
        text, encoding = _nfc(html), None
    else:
        raise TypeError(f"extract_page needs bytes or str, not {type(html).__name__}")
    if not text.strip():
        raise ExtractionError("page is empty")
    text = text.replace("\x00", "")
    tree, flattened = _parse(text)
    meta = page_meta(tree)
    selectors = selectors or {}

    paras: list[str] = []
    if selectors.get("body"):
        for el in _select(tree, selectors["body"]):
            paras += block_text(el)
    if not paras:  # no profile, or its selector matched nothing: the generic extractor
        if unwrap_layout_tables(tree) or flattened:
            text = lxml.html.tostring(tree, encoding="unicode")
        paras = _generic(text, url)
        urls = {u for u in (url, meta.canonical_url) if u}
        teasers = find_teasers(tree, paras, urls)
        article = [p for p in paras if p not in teasers.paragraphs and p not in teasers.link_lines]
        if teasers.targets >= MIN_LISTING_TARGETS and _chars(article) < _chars(paras) / 2:
            raise ExtractionError(
                f"page looks like a listing (homepage or section page): most of its text is "
                f"teasers for {teasers.targets} other pages, or links"
            )
        links = [p for p in paras if p in teasers.link_lines]
        if (
            len(links) >= MIN_LISTING_TARGETS
            and _chars(links) > _chars(paras) / 2
            and _chars(article) < MIN_PROSE_CHARS
        ):
            raise ExtractionError(
                f"page is navigation only: {len(links)} of its {len(paras)} text blocks are "
                f"links (a menu or link list) and it has no article prose "
                f"({_chars(article)} characters outside links)"
            )
        # Headline teasers (related-news blocks) are dropped when the page has a block of them.
        kept = paras
        if teasers.headline_targets >= MIN_LISTING_TARGETS:
            kept = [p for p in paras if p not in teasers.headline_paragraphs]
        paras = kept
    lead = find_lead(tree, meta.description)
    if lead and not any(lead[:60] in p for p in paras):
        paras.insert(0, lead)
    fallback = _LazyMeta(text, url)
    title = (
        _selected_text(tree, selectors.get("title"))
        or meta.title
        or fallback.get("title")
        or _selected_text(tree, "h1")
        or _selected_text(tree, "title")
    )
    paras, byline = split_trailing_byline(paras)
    paras = _strip_head(paras, title)
    body = "\n\n".join(paras)
    if len(body) < MIN_BODY_CHARS:
        raise ExtractionError(
            f"no article body found ({len(body)} characters of text after removing page "
            "furniture; a homepage, menu or empty page?)"
        )

    date_text = _selected_text(tree, selectors.get("date")) or meta.date_text
    parts = parse_datetime_parts(date_text) if date_text else None
    if parts is None and (fallback_date := fallback.get("date")):
        parts = parse_datetime_parts(fallback_date)
    published = parts[0].date().isoformat() if parts else None
    published_at = parts[0].isoformat() if parts and parts[1] else None

    author = _selected_text(tree, selectors.get("author")) or meta.author
    if author is None and (fallback_author := fallback.get("author", compute=False)):
        names = [n.strip() for n in fallback_author.split(";")]
        people = [n for n in names if n and n not in meta.publishers and not _is_outlet(n)]
        author = "; ".join(people) or None
    author = author or byline
    if author:
        author = re.sub(r"^(?:theo|bài(?: và ảnh)?|tác giả)\s*:?\s+", "", author, flags=re.I)

    return Extracted(
        title=_nfc(title) if title else None,
        body=_nfc(body),
        published=published,
        published_at=published_at,
        author=_nfc(author) if author else None,
        canonical_url=meta.canonical_url,
        encoding=encoding,
    )


class _LazyMeta:
    """trafilatura's metadata (title, date, author), computed only if structured data
    lacks a field: it costs as much as the body extraction itself."""

    def __init__(self, text: str, url: str | None) -> None:
        self._text, self._url = text, url
        self._doc: Any = None
        self._done = False

    def get(self, field: str, *, compute: bool = True) -> str | None:
        """The field; with ``compute=False`` only if the metadata was already computed."""
        if not self._done and compute:
            self._done = True
            try:
                self._doc = trafilatura.extract_metadata(self._text, default_url=self._url)
            except Exception:  # metadata is optional; hostile markup must not stop the body
                self._doc = None
        value = getattr(self._doc, field, None)
        return value if isinstance(value, str) and value.strip() else None


def _strip_head(paras: list[str], title: str | None) -> list[str]:
    """Drop leading paragraphs that repeat the headline or are only a date line.

    >>> _strip_head(["Tiêu đề", "Cập nhật ngày 12/01/2024", "Nội dung."], "Tiêu đề")
    ['Nội dung.']
    """
    norm_title = " ".join((title or "").split()).casefold()
    while len(paras) > 1:
        head = paras[0]
        if (norm_title and head.casefold() == norm_title) or (
            len(head) <= 60 and parse_datetime_parts(head) and len(re.findall(r"\w+", head)) <= 10
        ):
            paras = paras[1:]
        else:
            break
    return paras


def _is_outlet(name: str) -> bool:
    return bool(re.search(r"(?i)\b(?:báo|corp|\.vn|\.com|online|điện tử|tạp chí)\b", name))
