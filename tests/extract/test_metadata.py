"""Vietnamese date parsing and structured page metadata."""

from __future__ import annotations

import lxml.html
import pytest

from pipeline.extract.metadata import page_meta, parse_datetime_parts, parse_vietnamese_datetime


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Thứ năm, 06/01/2022 08:30 (GMT+7)", "2022-01-06T08:30:00+07:00"),
        ("06/01/2022", "2022-01-06T00:00:00+07:00"),
        ("06-01-2022 08:30", "2022-01-06T08:30:00+07:00"),
        ("ngày 6 tháng 1 năm 2022", "2022-01-06T00:00:00+07:00"),
        ("Hà Nội, ngày 15 tháng 10 năm 2024", "2024-10-15T00:00:00+07:00"),
        ("2026-07-20T06:31:56+07:00", "2026-07-20T06:31:56+07:00"),
        ("2026-07-20T00:15:00", "2026-07-20T00:15:00+07:00"),  # naive: read as Vietnam time
        ("2026-07-19T17:15:00Z", "2026-07-20T00:15:00+07:00"),  # UTC evening = next VN day
        ("20-07-2026 - 00:15 AM", "2026-07-20T00:15:00+07:00"),
        ("16/07/2026 16:35", "2026-07-16T16:35:00+07:00"),
        ("Chủ nhật, 20/7/2026, 06:31 (GMT+7)", "2026-07-20T06:31:00+07:00"),
        ("08:30 06/01/2022", "2022-01-06T08:30:00+07:00"),
        ("Cập nhật: 14:05 | 03/02/2023", "2023-02-03T14:05:00+07:00"),
        ("06/01/2022 01:00 GMT+0", "2022-01-06T08:00:00+07:00"),
        ("T2, 03/02/2025 - 9h30", "2025-02-03T09:30:00+07:00"),
        ("03/02/2025 2:15 PM", "2025-02-03T14:15:00+07:00"),
    ],
)
def test_parse_vietnamese_datetime(text: str, iso: str) -> None:
    dt = parse_vietnamese_datetime(text)
    assert dt is not None and dt.isoformat() == iso


@pytest.mark.parametrize("text", ["", "hôm qua", "32/13/2022", "2022", "Tin mới nhất", "x" * 5000])
def test_unparseable_dates_give_none(text: str) -> None:
    assert parse_vietnamese_datetime(text) is None


def test_whether_a_time_was_given() -> None:
    assert parse_datetime_parts("06/01/2022") is not None
    assert parse_datetime_parts("06/01/2022")[1] is False  # type: ignore[index]
    assert parse_datetime_parts("06/01/2022 08:30")[1] is True  # type: ignore[index]


def test_page_meta_prefers_json_ld_person_over_publisher() -> None:
    tree = lxml.html.document_fromstring(
        """<html><head><meta name="author" content="Báo Nhân Dân điện tử">
        <meta property="og:title" content="Tiêu đề OG">
        <link rel="canonical" href="https://nhandan.vn/bai-viet-post1.html">
        <script type="application/ld+json">{"@context": "http://schema.org",
          "@type": "NewsArticle", "headline": "Tiêu đề bài báo",
          "datePublished": "2026-07-20T06:31:56+07:00",
          "author": {"@type": "Person", "name": "Thu Hà"},
          "publisher": {"@type": "Organization", "name": "Báo Nhân Dân"}}</script>
        </head><body></body></html>"""
    )
    meta = page_meta(tree)
    assert meta.title == "Tiêu đề bài báo"
    assert meta.author == "Thu Hà"
    assert meta.date_text == "2026-07-20T06:31:56+07:00"
    assert meta.canonical_url == "https://nhandan.vn/bai-viet-post1.html"
    assert "Báo Nhân Dân" in meta.publishers


def test_page_meta_survives_broken_json_ld() -> None:
    tree = lxml.html.document_fromstring(
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", </script>'
        '<meta property="article:published_time" content="2024-05-01T10:00:00+07:00">'
        '<meta property="article:author" content="Theo Minh Anh"></head><body></body></html>'
    )
    meta = page_meta(tree)
    assert meta.date_text == "2024-05-01T10:00:00+07:00" and meta.author == "Minh Anh"
