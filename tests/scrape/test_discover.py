"""Discovery is pure: bytes in, URLs out. Sitemaps (index, gzip), feeds, listings, dates."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from pipeline.scrape.discover import (
    Link,
    canonicalize_url,
    in_window,
    inflate,
    parse_date,
    parse_feed,
    parse_listing,
    parse_sitemap,
)

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_sitemap_index_and_gzip_child() -> None:
    index = f"<sitemapindex {NS}><sitemap><loc>http://h.vn/a.xml.gz</loc><lastmod>2025-01-02</lastmod></sitemap><sitemap><loc>/b.xml</loc></sitemap></sitemapindex>"
    sm = parse_sitemap(index.encode(), base_url="http://h.vn/sitemap.xml")
    assert [s.url for s in sm.sitemaps] == ["http://h.vn/a.xml.gz", "http://h.vn/b.xml"]
    assert sm.links == ()
    child = gzip.compress(
        f"<urlset {NS} xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>"
        "<url><loc>http://h.vn/x-1.htm?utm_source=fb</loc><lastmod>2025-03-04T10:00:00+07:00</lastmod></url>"
        "<url><loc>http://h.vn/y-2.htm</loc><news:news><news:publication_date>2024-12-31</news:publication_date></news:news></url>"
        "<url><loc>ftp://h.vn/z</loc></url></urlset>".encode()
    )
    links = parse_sitemap(child).links
    assert [(x.url, x.date) for x in links] == [
        ("http://h.vn/x-1.htm", date(2025, 3, 4)),
        ("http://h.vn/y-2.htm", date(2024, 12, 31)),
    ]


def test_sitemap_is_safe_against_entities_and_bombs() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>http://h.vn/&x;</loc></url></urlset>"
    )
    for link in parse_sitemap(xxe).links:
        assert "root:" not in link.url
    bomb = gzip.compress(b"<urlset>" + b" " * (2 * 1024 * 1024) + b"</urlset>")
    with pytest.raises(ValueError, match="inflates beyond"):
        inflate(bomb, limit=1024 * 1024)
    assert parse_sitemap(b"not xml at all <<<").links == ()
    assert parse_sitemap(b"").links == ()


def test_rss_and_atom_feeds() -> None:
    rss = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
      <item><title>A</title><link>https://phunuvietnam.vn/a-20240101000000001.htm</link>
      <pubDate>Mon, 01 Jan 2024 07:00:00 +0700</pubDate></item>
      <item><title>B</title><guid>https://phunuvietnam.vn/b-20240102000000001.htm</guid></item>
    </channel></rss>"""
    assert [(x.url.rsplit("/", 1)[1], x.date) for x in parse_feed(rss)] == [
        ("a-20240101000000001.htm", date(2024, 1, 1)),
        ("b-20240102000000001.htm", None),
    ]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="self" href="/self"/>
      <link href="/bai-viet-1234.html"/><published>2023-05-06T01:00:00Z</published></entry></feed>"""
    assert parse_feed(atom, "http://h.vn/") == (
        Link("http://h.vn/bai-viet-1234.html", date(2023, 5, 6)),
    )


def test_listing_links_are_canonical_unique_and_http_only() -> None:
    page = """<html><head><base href="http://h.vn/tin/"></head><body>
      <a href="bai-1-123456.htm#binh-luan">1</a><a href="./bai-1-123456.htm">1 again</a>
      <a href="HTTP://H.VN:80/Bài-2">2</a><a href="javascript:void(0)">js</a>
      <a href="tel:0123">tel</a><a>no href</a></body></html>"""
    assert parse_listing(page.encode(), "http://h.vn/") == (
        "http://h.vn/tin/bai-1-123456.htm",
        "http://h.vn/B%C3%A0i-2",
    )
    assert parse_listing(b"", "http://h.vn/") == ()


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("http://h.vn", "http://h.vn/"),
        ("http://h.vn/a?b=2&a=1&fbclid=x&utm_medium=y", "http://h.vn/a?a=1&b=2"),
        ("https://h.vn:8443/a", "https://h.vn:8443/a"),
        ("http://h.vn/%e1%bb%99i", "http://h.vn/%E1%BB%99i"),
        ("http://h.vn/hội", "http://h.vn/h%E1%BB%99i"),
        ("http://[::1", None),
        ("data:text/html,x", None),
    ],
)
def test_canonicalize(raw: str, canonical: str | None) -> None:
    assert canonicalize_url(raw) == canonical
    if canonical:
        assert canonicalize_url(canonical) == canonical  # idempotent


def test_date_window() -> None:
    assert parse_date("06/01/2022 09:15") == date(2022, 1, 6)
    assert parse_date("31/02/2022") is None
    assert not in_window(date(2021, 12, 31), date(2022, 1, 1), None)
    assert in_window(date(2022, 1, 1), date(2022, 1, 1), date(2022, 1, 1))
