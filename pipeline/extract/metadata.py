"""Article metadata from an HTML tree: title, publication date, author, canonical URL.

Structured data is read first (JSON-LD ``NewsArticle``, Open Graph / ``article:*`` meta,
``itemprop``), because it is written for machines; visible text is the fallback. Dates
are read with :func:`parse_vietnamese_datetime` and given in Asia/Ho_Chi_Minh (+07:00,
Vietnam has kept one offset since 1975, so no tz database is needed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from lxml import etree

VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

_WEEKDAY = r"(?:(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn|t[2-7])\s*[,-]?\s*)?"
_TIME = r"(?P<h>\d{1,2})\s*(?:[:h]|giờ)\s*(?P<mi>\d{2})?(?:\s*(?::|phút)\s*(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?|sa|ch)?"
_ZONE = r"\(?\s*(?:GMT|UTC)\s*(?P<zs>[+-])\s*(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?\s*\)?"
_DMY = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
_WORDS = r"ngày\s*(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})"
_PATTERNS = [
    re.compile(rf"{_TIME}\s*[,|-]?\s*{_WEEKDAY}(?:ngày\s*)?{_DMY}\s*(?:{_ZONE})?", re.I),
    *(
        re.compile(rf"{_WEEKDAY}{date}(?:\s*[,|-]?\s*(?:lúc\s*)?{_TIME})?\s*(?:{_ZONE})?", re.I)
        for date in (_DMY, _WORDS)
    ),
]


def _iso(text: str) -> tuple[datetime, bool] | None:
    s = text.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", s):
        return None
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        try:
            dt = datetime.fromisoformat(s[:10])
        except ValueError:
            return None
        return dt.replace(tzinfo=VN_TZ), False
    has_time = len(s) > 10
    if dt.tzinfo is None:
        return dt.replace(tzinfo=VN_TZ), has_time
    return dt.astimezone(VN_TZ), has_time


def parse_datetime_parts(text: str) -> tuple[datetime, bool] | None:
    """(aware datetime in +07:00, whether the text gave a time), or None.

    >>> parse_datetime_parts("08:30 06/01/2022")
    (datetime.datetime(2022, 1, 6, 8, 30, tzinfo=datetime.timezone(datetime.timedelta(seconds=25200), 'Asia/Ho_Chi_Minh')), True)
    """
    if not text or len(text) > 400:
        return None
    if (iso := _iso(text)) is not None:
        return iso
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            try:
                hour = int(g["h"]) if g.get("h") else 0
                minute = int(g["mi"]) if g.get("mi") else 0
                second = int(g["s"]) if g.get("s") else 0
                ampm = (g.get("ampm") or "").lower().replace(".", "")
                if ampm in ("pm", "ch") and hour < 12:
                    hour += 12
                elif ampm in ("am", "sa") and hour == 12:
                    hour = 0
                tz = VN_TZ
                if g.get("zh"):
                    offset = timedelta(hours=int(g["zh"]), minutes=int(g["zm"] or 0))
                    tz = timezone(offset if g["zs"] == "+" else -offset)
                dt = datetime(
                    int(g["y"]), int(g["m"]), int(g["d"]), hour, minute, second, tzinfo=tz
                )
            except (ValueError, TypeError):
                continue
            return dt.astimezone(VN_TZ), bool(g.get("h"))
    return None


def parse_vietnamese_datetime(text: str) -> datetime | None:
    """Parse a Vietnamese news date; an aware datetime in Asia/Ho_Chi_Minh (+07:00), or None.

    A date without a time gives midnight.

    >>> parse_vietnamese_datetime("Thứ năm, 06/01/2022 08:30 (GMT+7)").isoformat()
    '2022-01-06T08:30:00+07:00'
    >>> parse_vietnamese_datetime("ngày 6 tháng 1 năm 2022").isoformat()
    '2022-01-06T00:00:00+07:00'
    >>> parse_vietnamese_datetime("06-01-2022 08:30").isoformat()
    '2022-01-06T08:30:00+07:00'
    >>> parse_vietnamese_datetime("2022-01-05T20:00:00Z").isoformat()
    '2022-01-06T03:00:00+07:00'
    >>> parse_vietnamese_datetime("Chủ nhật, 20/7/2026 - 06:31").isoformat()
    '2026-07-20T06:31:00+07:00'
    >>> parse_vietnamese_datetime("hôm qua") is None
    True
    """
    parts = parse_datetime_parts(text)
    return parts[0] if parts else None


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the page says about itself in structured data (all optional)."""

    title: str | None = None
    date_text: str | None = None
    author: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    publishers: tuple[str, ...] = ()


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                yield item


def _names(value: Any, kinds: tuple[str, ...]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            kind = item.get("@type", "")
            if (not kind or kind in kinds) and isinstance(item.get("name"), str):
                out.append(item["name"])
    return [n for n in (_clean(x) for x in out) if n]


def page_meta(tree: Any) -> PageMeta:
    """Read the structured metadata of a parsed page (an lxml tree)."""
    meta: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        content = el.get("content")
        if key and content and key not in meta:
            meta[key] = content
    title = date = author = description = None
    publishers: list[str] = []
    for item in _json_ld(tree):
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and k.endswith("Article") for k in kinds):
            title = title or _clean(
                item.get("headline") if isinstance(item.get("headline"), str) else None
            )
            if isinstance(item.get("datePublished"), str):
                date = date or item["datePublished"]
            persons = _names(item.get("author"), ("Person",))
            author = author or ("; ".join(persons) if persons else None)
            publishers += _names(item.get("publisher"), ("Organization", "NewsMediaOrganization"))
            publishers += _names(item.get("author"), ("Organization", "NewsMediaOrganization"))
    for key in ("author", "og:site_name", "copyright", "generator"):
        if meta.get(key):
            publishers.append(" ".join(meta[key].split()))
    date = date or next(
        (
            meta[k]
            for k in (
                "article:published_time",
                "datepublished",
                "pubdate",
                "publishdate",
                "dc.date.issued",
                "dc.date",
                "date",
                "og:published_time",
            )
            if meta.get(k)
        ),
        None,
    )
    if date is None:
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            if el.get("itemprop") == "datePublished" or el.tag == "time":
                date = (
                    el.get("datetime")
                    or el.get("content")
                    or _clean(etree.tostring(el, method="text", encoding="unicode"))
                )
                if date:
                    break
    if author is None and meta.get("article:author") and "://" not in meta["article:author"]:
        author = re.sub(
            r"^(?:theo|bài|tác giả)\s*:?\s+", "", meta["article:author"].strip(), flags=re.I
        )
    canonical = None
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href").strip()
            break
    canonical = canonical or _clean(meta.get("og:url"))
    title = title or _clean(meta.get("og:title"))
    description = _clean(meta.get("og:description") or meta.get("description"))
    return PageMeta(
        title=title,
        date_text=_clean(date),
        author=_clean(author),
        canonical_url=canonical,
        description=description,
        publishers=tuple(dict.fromkeys(publishers)),
    )
