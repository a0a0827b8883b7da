"""Page-structure tests around the generic extractor: lead, byline, listing pages, block text.

All walks are iterative (``etree.iterwalk``), so a page nested thousands of levels deep
cannot exhaust the Python stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

# Tags whose content is never article text.
SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "form",
        "button",
        "select",
        "textarea",
        "nav",
        "aside",
        "footer",
        "figure",
        "figcaption",
        "svg",
        "canvas",
        "video",
        "audio",
        "object",
        "embed",
    ]
)
BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "tbody",
        "blockquote",
        "section",
        "article",
        "header",
        "pre",
        "dd",
        "dt",
        "dl",
        "hr",
        "address",
        "center",
        "main",
    ]
)
_LEAD_CLASS = re.compile(r"(?i)(?:^|[\s_-])(?:sapo|lead|chapo|chapeau)(?:$|[\s_-])")
# A page whose extracted text is at least this share teasers is a listing, not an article.
LISTING_SHARE = 0.5
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_.'’-]*(?:[.'’-][^\W\d_]*)*\.?$")


def _norm(text: str) -> str:
    return " ".join(text.split())


def block_text(root: Any) -> list[str]:
    """Paragraphs of an element: block tags break lines; scripts, figures, menus skipped.

    >>> import lxml.html
    >>> block_text(lxml.html.fromstring("<div><p>Một <b>hai</b></p><figure>ảnh</figure>ba<br>bốn</div>"))
    ['Một hai', 'ba', 'bốn']
    """
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _norm("".join(buf))
        if line:
            lines.append(line)
        buf.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in SKIP or not tag:
                walker.skip_subtree()
                continue
            if tag in BLOCK:
                flush()
            if el.text:
                buf.append(el.text)
        else:
            if tag in BLOCK:
                flush()
            if el is not root and el.tail:
                buf.append(el.tail)
    flush()
    return lines


_LAYOUT_INNER = frozenset(
    ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote"]
)
_TABLE_PARTS = frozenset(["table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"])


def unwrap_layout_tables(tree: Any) -> int:
    """Turn tables used for page layout (cells holding paragraphs, headings or tables)
    into plain ``div`` blocks, as old portals build whole pages from them; data tables
    (cells of plain text) stay tables. Returns how many tables were unwrapped.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><table><tr><td><p>Bài</p></td></tr></table></div>")
    >>> unwrap_layout_tables(t), lxml.html.tostring(t)
    (1, b'<div><div><div><div><p>B&#224;i</p></div></div></div></div>')
    """
    layout = [
        table
        for table in tree.iter("table")
        if any(
            isinstance(el.tag, str) and el.tag in _LAYOUT_INNER
            for cell in table.iter("td", "th")
            for el in cell.iterchildren()
        )
    ]
    for table in layout:
        for el in table.iter():
            if (
                isinstance(el.tag, str)
                and el.tag in _TABLE_PARTS
                and el.tag != "table"
                and _owner_table(el) is table
            ):
                el.tag = "div"
        table.tag = "div"
    return len(layout)


def _owner_table(el: Any) -> Any:
    for anc in el.iterancestors():
        if anc.tag == "table":
            return anc
    return None


def _link_density(el: Any) -> float:
    text = len(_norm(el.text_content()))
    if not text:
        return 1.0
    linked = sum(len(_norm(a.text_content())) for a in el.iter("a"))
    return linked / text


def _classes(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _inside_furniture(el: Any) -> bool:
    return any(
        isinstance(a.tag, str) and a.tag in ("nav", "footer", "aside") for a in el.iterancestors()
    )


def find_lead(tree: Any, description: str | None) -> str | None:
    """The visible lead paragraph (sapo), if the page marks one.

    A lead is an element with little link text whose text is the page's own meta
    description, or whose class names it a lead (``sapo``, ``lead``, ``chapo``...).
    Only elements whose own text starts like the description, or whose class says lead,
    are looked at, so this stays linear in the size of the page.
    """
    want = _norm(description or "")[:30]
    if len(want) < 30:
        want = ""
    by_class: str | None = None
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in SKIP or el.tag in ("html", "body", "head"):
            continue
        candidates = []
        if want:
            if _norm(el.text or "").startswith(want):
                candidates.append((el, True))
            parent = el.getparent()
            if parent is not None and _norm(el.tail or "").startswith(want):
                candidates.append((parent, True))
        if by_class is None and _LEAD_CLASS.search(_classes(el)):
            candidates.append((el, False))
        for cand, described in candidates:
            text = _norm(cand.text_content())
            if not 40 <= len(text) <= 1500 or cand.tag in SKIP:
                continue
            if _inside_furniture(cand) or _link_density(cand) > 0.3:
                continue
            if described:
                return text
            by_class = text
    return by_class


def split_trailing_byline(paras: list[str]) -> tuple[list[str], str | None]:
    """Move a last paragraph that is only a name (the author's byline) out of the body.

    >>> split_trailing_byline(["Cháy lớn tại bãi rác.", "Đức Hùng"])
    (['Cháy lớn tại bãi rác.'], 'Đức Hùng')
    >>> split_trailing_byline(["Cháy lớn tại bãi rác.", "Lửa đã tắt."])
    (['Cháy lớn tại bãi rác.', 'Lửa đã tắt.'], None)
    """
    if len(paras) < 2:
        return paras, None
    last = paras[-1].strip()
    cleaned = re.sub(r"^(?:theo|bài(?: và ảnh)?|tác giả|ảnh)\s*:?\s+", "", last, flags=re.I)
    cleaned = re.sub(r"^[-–—\s]+|[-–—\s]+$", "", cleaned)
    words = cleaned.split()
    if not 1 <= len(words) <= 5 or len(cleaned) > 40:
        return paras, None
    if all(_NAME_WORD.match(w) and w[0].isupper() for w in words):
        return paras[:-1], cleaned
    return paras, None


def _start_texts(tree: Any, size: int = 40) -> dict[Any, str]:
    """For each element, the start of its ``text_content()`` (about ``size`` characters,
    whitespace-normalised), computed children first in one pass."""
    info: dict[Any, tuple[str, bool]] = {}  # element -> (raw start, whether it is all the text)
    for el in reversed(list(tree.iter())):
        buf = el.text or "" if isinstance(el.tag, str) else ""
        complete = True
        for child in el:
            part, whole = info.get(child, ("", True))
            buf += part
            if not whole or len(buf) > 4 * size:
                complete = False
                break
            buf += child.tail or ""
        info[el] = (buf[: 4 * size], complete and len(buf) <= 4 * size)
    return {el: _norm(raw)[:size] for el, (raw, _) in info.items()}


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


def _teaser_target(href: str, page_urls: set[str]) -> str | None:
    """Where a headline link leads, if it is another page of the same site."""
    href = href.split("#", 1)[0].strip()
    if not href or href.lower().startswith(("javascript:", "mailto:", "tel:")):
        return None
    if not page_urls:
        return href
    base = sorted(page_urls)[0]
    try:
        target = urljoin(base, href).rstrip("/")
        hosts = {_host(u) for u in page_urls}
        if target in page_urls or _host(target) not in hosts:
            return None
    except ValueError:  # a malformed URL (bad port, bad IPv6) is no teaser link
        return None
    return target


@dataclass(frozen=True, slots=True)
class Teasers:
    """Extracted paragraphs that are not article text, found by where they sit in the page.

    A teaser box is a small element (at most about three times the paragraph) that also
    holds a link to another page of the same site: any link (``paragraphs``, "read more"
    included) or a headline of ``HEADLINE_CHARS`` or more (``headline_paragraphs``).
    Homepages are made of them; article pages have them in related-news blocks.
    """

    paragraphs: frozenset[str]  # in a box with a link to another page of the site
    headline_paragraphs: frozenset[str]  # in a box with a headline link to another page
    link_lines: frozenset[str]  # paragraphs that are all or mostly link text
    targets: int  # distinct pages the teaser boxes link to
    headline_targets: int  # distinct pages the headline teaser boxes link to


HEADLINE_CHARS = 25


def _box_links(box: Any, el: Any, urls: set[str]) -> list[tuple[str, int]]:
    """(target, link text length) of the links in ``box`` outside ``el`` to other pages."""
    out = []
    for a in box.iter("a"):
        if el in a.iterancestors() or a in el.iter():
            continue
        target = _teaser_target(a.get("href", ""), urls)
        if target is not None:
            out.append((target, len(_norm(a.text_content()))))
    return out


def find_teasers(tree: Any, paras: list[str], page_urls: set[str] | None = None) -> Teasers:
    """Find teasers and link lines among the paragraphs a generic extractor returned."""
    urls = {u.split("#", 1)[0].rstrip("/") for u in (page_urls or set()) if u}
    prefixes = {p[:20]: p for p in paras if len(p) >= 15}
    found: dict[str, Any] = {}
    starts = _start_texts(tree)
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in SKIP:
            continue
        para = prefixes.get(starts.get(el, "")[:20])
        if para is not None and para not in found and _norm(el.text_content()) == para:
            found[para] = el
    loose: set[str] = set()
    strict: set[str] = set()
    links: set[str] = set()
    loose_targets: set[str] = set()
    strict_targets: set[str] = set()
    for para, el in found.items():
        if (
            el.tag == "a"
            or any(a.tag == "a" for a in el.iterancestors())
            or _link_density(el) > 0.6
        ):
            links.add(para)
            continue
        if len(para) < 40:
            continue
        box = el
        for _ in range(4):
            parent = box.getparent()
            if parent is None:
                break
            box = parent
            if len(_norm(box.text_content())) > 3 * len(para) + 200:
                break
            heads = _box_links(box, el, urls)
            if heads and para not in loose:
                loose.add(para)
                loose_targets.add(heads[0][0])
            headlines = [t for t, n in heads if n >= HEADLINE_CHARS]
            if headlines:
                strict.add(para)
                strict_targets.add(headlines[0])
                break
    return Teasers(
        frozenset(loose),
        frozenset(strict),
        frozenset(links),
        len(loose_targets),
        len(strict_targets),
    )
