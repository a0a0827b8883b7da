"""The polite fetcher against a simulated site on 127.0.0.1: every fault a crawler meets."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.scrape.archive import WarcArchive, iter_warc_pages
from pipeline.scrape.fetch import Fetcher, FetchPolicy, user_agent
from tests.scrape.sitesim import HUGE, Article, SimSite, SiteConfig

BODY = (
    "<html><head><meta charset='utf-8'><title>Hội nghị tổng kết</title></head><body><article>"
    "<h1>Hội nghị tổng kết công tác Hội năm 2024</h1>"
    + "<p>Hội Liên hiệp Phụ nữ tỉnh đã vận động 1.250 hội viên tham gia mô hình sinh kế.</p>" * 5
    + "</article></body></html>"
).encode()
FAST = FetchPolicy(
    user_agent=user_agent("mailto:test@example.org"),
    delay=0.0,
    read_timeout=0.3,
    connect_timeout=0.5,
    max_time=0.8,
    retries=2,
    backoff=0.05,
    max_bytes=1024 * 1024,
)


def _articles(n: int = 4) -> list[Article]:
    return [Article(f"/bai-so-{i}-2025010100000000{i}.htm", BODY, "2025-01-01") for i in range(n)]


@pytest.fixture
def site() -> Iterator[SimSite]:
    with SimSite(SiteConfig(_articles(), retry_after="1", slow_seconds=0.6)) as s:
        yield s


def _times(site: SimSite, path: str) -> list[float]:
    return [t for t, p, _ in site.log if p == path]


def test_retry_after_is_honoured_host_wide(site: SimSite, tmp_path: Path) -> None:
    path = site.fault_paths()["retry-after-429"]
    with WarcArchive(tmp_path) as archive:
        result = Fetcher(FAST, archive).fetch(site.base + path)
    assert result.ok and result.page is not None and result.page.status == 200
    first, second = _times(site, path)
    assert second - first >= 0.95  # Retry-After: 1
    # both responses are archived, the 429 too
    assert [p.status for p in iter_warc_pages(archive.path)] == [200, 429, 200]  # robots first


def test_server_errors_are_retried_with_backoff_then_given_up(site: SimSite) -> None:
    path = site.fault_paths()["server-error-500"]
    short = Fetcher(FetchPolicy(**{**_fields(FAST), "retries": 1})).fetch(site.base + path)
    assert not short.ok and short.retryable and "HTTP 500" in (short.error or "")
    assert site.hits[path] == 2
    again = Fetcher(FAST).fetch(site.base + path)  # the server recovers on the 3rd request
    assert again.ok and site.hits[path] == 3


def _fields(p: FetchPolicy) -> dict[str, object]:
    return {f: getattr(p, f) for f in p.__dataclass_fields__}


def test_timeouts_are_retried(site: SimSite) -> None:
    path = site.fault_paths()["slow-timeout"]
    result = Fetcher(FAST).fetch(site.base + path)
    assert result.ok and result.attempts == 2 and site.hits[path] == 2


def test_trickling_server_is_cut_by_the_time_limit(site: SimSite) -> None:
    started = time.monotonic()
    result = Fetcher(FAST).fetch(site.base + site.fault_paths()["trickle"])
    assert not result.ok and result.retryable
    assert "too slow" in (result.error or "")
    assert time.monotonic() - started < 5  # 3 attempts of at most 0.8 s, plus backoff


def test_truncated_response_is_retried_and_completed(site: SimSite) -> None:
    path = site.fault_paths()["truncated"]
    result = Fetcher(FAST).fetch(site.base + path)
    assert result.ok and result.page is not None
    assert site.hits[path] == 2
    assert result.page.body == BODY


def test_redirect_loop_is_detected_and_redirects_followed(site: SimSite) -> None:
    fetcher = Fetcher(FAST)
    loop = fetcher.fetch(site.base + site.fault_paths()["loop-a"])
    assert not loop.ok and "redirect loop" in (loop.error or "") and len(loop.hops) == 2
    moved = fetcher.fetch(site.base + site.fault_paths()["moved"])
    assert moved.ok and moved.page is not None
    assert moved.page.final_url == site.base + list(site.articles)[1]
    assert moved.page.url == site.base + site.fault_paths()["moved"]
    assert [h.status for h in moved.hops] == [301]


def test_robots_disallow_with_wildcards_means_no_request(site: SimSite) -> None:
    fetcher = Fetcher(FAST)
    result = fetcher.fetch(site.base + "/tin-noi-bo-20250101000000001.htm")
    assert result.error == "disallowed by robots.txt" and not result.retryable
    assert fetcher.fetch(site.base + next(iter(site.articles)) + "?print=1").error == (
        "disallowed by robots.txt"
    )
    assert not any("noi-bo" in p or "print=" in p for _, p, _ in site.log)
    assert fetcher.sitemaps_of(site.base + "/") == [site.base + "/sitemap_index.xml"]


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (503, False)])
def test_robots_status_rules(status: int, allowed: bool) -> None:
    config = SiteConfig(_articles(1), faults=False)
    config.extra["/robots.txt"] = (status, {"Content-Type": "text/plain"}, b"")
    with SimSite(config) as s:
        result = Fetcher(FAST).fetch(s.base + next(iter(s.articles)))
        assert result.ok is allowed
        if not allowed:  # 5xx: disallow everything for now, try again later
            assert result.retryable and "robots.txt" in (result.error or "")
            assert s.hits.get(next(iter(s.articles))) is None


def test_crawl_delay_and_user_agent(tmp_path: Path) -> None:
    with SimSite(SiteConfig(_articles(4), faults=False, crawl_delay=0.3)) as s:
        fetcher = Fetcher(FAST)
        for path in s.articles:
            assert fetcher.fetch(s.base + path).ok
        starts = [t for t, p, _ in s.log if p in s.articles]
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert (
            len(gaps) == 3 and min(gaps) >= 0.3 - 0.01
        )  # Crawl-delay, at the server (10 ms jitter)
        agents = {h.get("User-Agent") for _, _, h in s.log}
        assert agents == {FAST.user_agent} and "mailto:test@example.org" in FAST.user_agent


def test_huge_pages_are_refused_or_capped_without_reading_them(site: SimSite) -> None:
    fetcher = Fetcher(FAST)
    declared = site.fault_paths()["huge-declared"]
    result = fetcher.fetch(site.base + declared)
    assert not result.ok and "too large" in (result.error or "") and result.page is None
    chunked = site.fault_paths()["huge-chunked"]
    capped = fetcher.fetch(site.base + chunked)
    assert not capped.ok and capped.truncated and capped.page is not None
    assert len(capped.page.body) == FAST.max_bytes
    time.sleep(0.2)  # let the server threads notice the closed connections
    for path in (declared, chunked):
        assert site.bytes_sent.get(path, 0) < HUGE / 4, path  # far from 50 MB went out


def test_non_html_is_refused_unread(site: SimSite) -> None:
    result = Fetcher(FAST).fetch(site.base + site.fault_paths()["pdf-file"])
    assert not result.ok and "unsupported content type" in (result.error or "")


def test_conditional_get_on_recrawl(site: SimSite) -> None:
    fetcher = Fetcher(FAST)
    url = site.base + list(site.articles)[2]
    first = fetcher.fetch(url)
    assert first.ok and first.page is not None
    etag = dict(first.page.headers)["ETag"]
    second = fetcher.fetch(url, etag=etag)
    assert second.not_modified and second.page is not None and second.page.status == 304
    assert site.log[-1][2].get("If-None-Match") == etag


def test_rate_limit_holds_with_parallel_callers() -> None:
    import threading

    with SimSite(SiteConfig(_articles(6), faults=False)) as s:
        fetcher = Fetcher(FetchPolicy(**{**_fields(FAST), "delay": 0.15, "per_host": 2}))
        threads = [threading.Thread(target=fetcher.fetch, args=(s.base + p,)) for p in s.articles]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        starts = sorted(t for t, p, _ in s.log)
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert len(starts) == 7 and min(gaps) >= 0.15 - 0.01  # 10 ms arrival jitter


def test_robots_group_for_our_product_token_wins_over_star() -> None:
    robots = b"User-agent: vn-news-pipeline\nDisallow: /bai-so-1\n\nUser-agent: *\nDisallow: /\n"
    config = SiteConfig(_articles(2), faults=False)
    config.extra["/robots.txt"] = (200, {"Content-Type": "text/plain"}, robots)
    with SimSite(config) as s:
        fetcher = Fetcher(FAST)
        ok, denied = (fetcher.fetch(s.base + p) for p in s.articles)
        assert ok.ok  # the "*" group does not apply: ours does
        assert denied.error == "disallowed by robots.txt"
