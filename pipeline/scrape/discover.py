"""Discovery: sitemaps, feeds and listing pages (bytes in, URLs out). Pure functions.

Nothing here touches the network. XML is parsed with entity resolution and network access
off (no XXE), gzip is inflated with a size cap (no gzip bombs).
"""

from __future__ import annotations

import gzip  # noqa: F401 - used by the doctests
import io
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

MAX_INFLATED = 50 * 1024 * 1024  # sitemaps are at most 50 MB uncompressed (sitemaps.org)

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|zarsrc|_ga|mc_cid|mc_eid|ref|src|gidzl|fbclid)$",
    re.IGNORECASE,
)
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"


@dataclass(frozen=True, slots=True)
class Link:
    """A discovered URL with the date its source gave for it (sitemap lastmod, feed date)."""

    url: str
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap: page links, or (for a sitemap index) child sitemaps."""

    links: tuple[Link, ...]
    sitemaps: tuple[Link, ...]


def canonicalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of a link, or None when it is not an http(s) page link.

    Lower-case scheme and host, no default port, no fragment, no tracking parameters,
    sorted query, non-ASCII and spaces percent-encoded, percent escapes upper-cased,
    empty path as ``/``.

    >>> canonicalize_url("HTTPS://Example.VN:443/a b/Đi?utm_source=x&b=2&a=1#top")
    'https://example.vn/a%20b/%C4%90i?a=1&b=2'
    >>> canonicalize_url("../tin-tuc/bai-1.htm", base="http://h.vn/x/y/z.htm")
    'http://h.vn/x/tin-tuc/bai-1.htm'
    >>> canonicalize_url("/%c4%91e-an-938.html", base="http://h.vn")
    'http://h.vn/%C4%91e-an-938.html'
    >>> canonicalize_url("mailto:a@b.vn") is None, canonicalize_url("javascript:void(0)") is None
    (True, True)
    """
    url = url.strip()
    if not url:
        return None
    if base is not None:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        host = parts.hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = _fix_escapes(quote(parts.path or "/", safe=_SAFE_PATH))
    query_items = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    query = urlencode(sorted(query_items), quote_via=quote, safe="-._~:/@!$'()*,;")
    return urlunsplit((scheme, host, path, query, ""))


def _fix_escapes(s: str) -> str:
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), s)


def host_of(url: str) -> str:
    """Host (with a non-default port) of a URL.

    >>> host_of("http://127.0.0.1:8080/a"), host_of("https://www.hoilhpn.org.vn/")
    ('127.0.0.1:8080', 'www.hoilhpn.org.vn')
    """
    return urlsplit(url).netloc.lower()


def inflate(data: bytes, limit: int = MAX_INFLATED) -> bytes:
    """Gunzip ``data`` if it is gzip (by magic number), refusing more than ``limit`` bytes.

    >>> inflate(gzip.compress(b"<urlset/>"))
    b'<urlset/>'
    >>> inflate(b"<urlset/>")
    b'<urlset/>'
    """
    if data[:2] != b"\x1f\x8b":
        return data
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, limit + 1)
    if len(out) > limit:
        raise ValueError(f"gzip data inflates beyond {limit} bytes")
    return out


def _xml_root(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.parse(io.BytesIO(inflate(data).lstrip()), parser).getroot()
    except etree.XMLSyntaxError:
        return None
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(el: etree._Element, *names: str) -> str | None:
    for child in el:
        if _local(child.tag) in names and child.text and child.text.strip():
            return str(child.text.strip())
    return None


def parse_sitemap(data: bytes, base_url: str | None = None) -> Sitemap:
    """Parse a sitemap or sitemap index (plain or gzip) into links and child sitemaps.

    >>> xml = b'''<?xml version="1.0"?>
    ... <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    ...   <url><loc>https://phunuvietnam.vn/a-20210702181505007.htm</loc>
    ...        <lastmod>2021-07-02T18:15:05+07:00</lastmod></url>
    ...   <url><loc> /b.htm </loc></url>
    ... </urlset>'''
    >>> sm = parse_sitemap(gzip.compress(xml), base_url="https://phunuvietnam.vn/sitemap.xml")
    >>> [(link.url, link.date) for link in sm.links]
    [('https://phunuvietnam.vn/a-20210702181505007.htm', datetime.date(2021, 7, 2)), ('https://phunuvietnam.vn/b.htm', None)]
    >>> parse_sitemap(b'<sitemapindex><sitemap><loc>http://h.vn/s1.xml.gz</loc></sitemap></sitemapindex>').sitemaps
    (Link(url='http://h.vn/s1.xml.gz', date=None),)
    """
    root = _xml_root(data)
    if root is None:
        return Sitemap((), ())
    links: list[Link] = []
    sitemaps: list[Link] = []
    kind = _local(root.tag)
    for el in root:
        name = _local(el.tag)
        if name not in ("url", "sitemap"):
            continue
        loc = _child_text(el, "loc")
        url = canonicalize_url(loc, base_url) if loc else None
        if url is None:
            continue
        link = Link(url, parse_date(_child_text(el, "lastmod", "publication_date")))
        if name == "sitemap" or kind == "sitemapindex":
            sitemaps.append(link)
        else:
            news_date = _news_date(el)
            links.append(Link(url, news_date or link.date))
    return Sitemap(tuple(links), tuple(sitemaps))


def _news_date(url_el: etree._Element) -> date | None:
    for el in url_el.iter():
        if _local(el.tag) == "publication_date" and el.text:
            return parse_date(el.text)
    return None


def parse_feed(data: bytes, base_url: str | None = None) -> tuple[Link, ...]:
    """Article links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, with their dates.

    >>> rss = '''<rss version="2.0"><channel><title>Tin</title>
    ... <item><title>Bài 1</title><link>https://laodong.vn/cong-doan/bai-mot-604873.bld</link>
    ... <pubDate>Tue, 03 Dec 2024 08:00:00 +0700</pubDate></item></channel></rss>'''.encode()
    >>> parse_feed(rss)
    (Link(url='https://laodong.vn/cong-doan/bai-mot-604873.bld', date=datetime.date(2024, 12, 3)),)
    >>> atom = b'''<feed xmlns="http://www.w3.org/2005/Atom"><entry>
    ... <link rel="alternate" href="/a-1.html"/><updated>2025-01-05T10:00:00Z</updated></entry></feed>'''
    >>> parse_feed(atom, base_url="http://h.vn/feed")
    (Link(url='http://h.vn/a-1.html', date=datetime.date(2025, 1, 5)),)
    """
    root = _xml_root(data)
    if root is None:
        return ()
    out: list[Link] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "item":
            href = _child_text(el, "link") or _guid_link(el)
            when = _child_text(el, "pubdate", "date", "published", "updated")
        elif name == "entry":
            href = _atom_href(el)
            when = _child_text(el, "published", "updated")
        else:
            continue
        url = canonicalize_url(href, base_url) if href else None
        if url:
            out.append(Link(url, parse_date(when)))
    return tuple(out)


def _guid_link(item: etree._Element) -> str | None:
    for child in item:
        if _local(child.tag) == "guid" and child.get("isPermaLink", "true") != "false":
            return str(child.text.strip()) if child.text else None
    return None


def _atom_href(entry: etree._Element) -> str | None:
    for child in entry:
        if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
            href = child.get("href")
            return str(href) if href else None
    return None


def parse_listing(data: bytes | str, base_url: str) -> tuple[str, ...]:
    """Canonical URLs of every ``<a href>`` (and ``<link rel=next>``) of an HTML page, in order.

    Duplicates are removed; ``<base href>`` is honoured.

    >>> page = b'''<html><head><link rel="next" href="?page=2"></head><body>
    ... <a href="/tin-tuc/bai-a-12345.html">A</a> <a href="/tin-tuc/bai-a-12345.html#c">A</a>
    ... <a href="mailto:x@y.vn">mail</a></body></html>'''
    >>> parse_listing(page, "http://h.vn/tin-tuc")
    ('http://h.vn/tin-tuc?page=2', 'http://h.vn/tin-tuc/bai-a-12345.html')
    """
    if isinstance(data, bytes):
        if not data.strip():
            return ()
        from pipeline.extract.charset import decode_html

        data, _ = decode_html(data)
    if not data.strip():
        return ()
    try:
        doc = lxml_html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        return ()
    base = base_url
    for el in doc.iter("base"):
        if el.get("href"):
            base = urljoin(base_url, el.get("href"))
            break
    seen: dict[str, None] = {}
    for el in doc.iter("a", "link"):
        if el.tag == "link" and "next" not in (el.get("rel") or "").lower().split():
            continue
        href = el.get("href")
        if not href:
            continue
        url = canonicalize_url(href, base)
        if url is not None:
            seen.setdefault(url, None)
    return tuple(seen)


_DMY = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")


def parse_date(value: str | None) -> date | None:
    """A date from ISO 8601, RFC 822 (RSS) or Vietnamese ``dd/mm/yyyy`` text; None if unknown.

    Dates with a time zone are taken in that zone (the site's local date).

    >>> parse_date("2021-07-02T18:15:05+07:00"), parse_date("Tue, 03 Dec 2024 23:30:00 +0700")
    (datetime.date(2021, 7, 2), datetime.date(2024, 12, 3))
    >>> parse_date("Thứ Ba, 03/12/2024 - 08:00"), parse_date("2024-12"), parse_date("soon")
    (datetime.date(2024, 12, 3), datetime.date(2024, 12, 1), None)
    """
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3] or 1))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    m = _DMY.search(value)
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    return None


def in_window(when: date | None, since: date | None, until: date | None) -> bool:
    """True when ``when`` falls in ``[since, until]``; an unknown date is kept (checked later).

    >>> d = date(2024, 5, 1)
    >>> in_window(d, date(2024, 1, 1), None), in_window(d, None, date(2024, 4, 30))
    (True, False)
    >>> in_window(None, date(2024, 1, 1), date(2024, 2, 1))
    True
    """
    if when is None:
        return True
    if since is not None and when < since:
        return False
    return not (until is not None and when > until)


def utc_now() -> str:
    """Now, ISO 8601 in UTC with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")
