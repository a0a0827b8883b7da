"""Page-structure tests around the generic extractor: lead, byline, listing pages, block text.

All walks are iterative (``etree.iterwalk``), so a page nested thousands of levels deep
cannot exhaust the Python stack.
"""

from __future__ import annotations

import re
from typing import Any

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
    description, or whose class names it a lead (``sapo``, ``lead``, ``summary``...).
    """
    want = _norm(description or "")[:50]
    by_class: str | None = None
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in SKIP or el.tag in ("meta", "head", "title"):
            continue
        if el.tag in ("html", "body"):
            continue
        text = _norm(el.text_content())
        if not 40 <= len(text) <= 1500:
            continue
        if _inside_furniture(el) or _link_density(el) > 0.3:
            continue
        if want and len(want) >= 30 and (text.startswith(want) or want.startswith(text[:50])):
            # the innermost element with that text wins: keep descending
            inner = [
                c
                for c in el.iter()
                if c is not el and _norm(c.text_content()).startswith(text[:50])
            ]
            return text if not inner else _norm(inner[-1].text_content())
        if by_class is None and _LEAD_CLASS.search(_classes(el)) and el.tag != "body":
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


def looks_like_listing(tree: Any, paras: list[str], page_url: str | None = None) -> bool:
    """True when most of the extracted text sits in teaser boxes (homepage, section page).

    A teaser box is a small element holding a headline link (25+ characters of link text)
    to another page plus a little text: a paragraph inside one is a teaser, not article
    text. A page is a listing when teasers make up half of the text or more.
    """
    total = sum(len(p) for p in paras)
    if not total:
        return False
    wanted = {p for p in paras if len(p) >= 40}
    found: dict[str, Any] = {}
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in SKIP:
            continue
        text = _norm(el.text_content())
        if text in wanted and text not in found:
            found[text] = el
    teaser_chars = 0
    for para, el in found.items():
        box = el
        for _ in range(4):
            parent = box.getparent()
            if parent is None:
                break
            box = parent
            box_text = len(_norm(box.text_content()))
            if box_text > 3 * len(para) + 200:
                break
            if any(
                len(_norm(a.text_content())) >= 25
                and (a.get("href") or "#") not in ("#", page_url)
                and el not in a.iterancestors()
                and a not in el.iter()
                for a in box.iter("a")
            ):
                teaser_chars += len(para)
                break
    return teaser_chars >= 0.5 * total
