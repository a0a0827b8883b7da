"""A whole crawl of the simulated site built from the real saved pages of ../shared."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from pipeline.scrape.archive import iter_warc_pages
from pipeline.scrape.crawl import CrawlOptions, CrawlStats, crawl
from pipeline.scrape.fetch import FetchPolicy, user_agent
from pipeline.scrape.state import ArticleLog, CrawlState
from tests.scrape.sitesim import SimSite, SiteConfig, load_articles

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
FIELDS = {
    "id", "url", "title", "published", "text", "author", "outlet", "published_at",
    "canonical_url", "fetched_at", "warc_file", "warc_record_id", "duplicate_of",
}  # fmt: skip


@dataclass
class Crawled:
    site: SimSite
    out: Path
    stats: CrawlStats
    records: list[dict]  # type: ignore[type-arg]

    def by_path(self, path: str) -> dict:  # type: ignore[type-arg]
        return next(r for r in self.records if r["url"] == self.site.base + path)

    def state(self, path: str) -> tuple[str, int | None, str | None]:
        db = sqlite3.connect(self.out / "state.sqlite")
        row = db.execute(
            "SELECT status, http_status, error FROM urls WHERE url=?", (self.site.base + path,)
        ).fetchone()
        db.close()
        return row


def _records(out: Path) -> list[dict]:  # type: ignore[type-arg]
    path = out / "articles.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def crawled(real_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    out = tmp_path_factory.mktemp("crawl")
    config = SiteConfig(load_articles(real_corpus), retry_after="1", slow_seconds=0.6)
    config.homepage = (real_corpus / "html" / "dantri-homepage.html").read_bytes()
    with SimSite(config) as site:
        stats = crawl(
            site.base + "/",
            CrawlOptions(out=out, progress=False),
            FAST,
            profile_id="phunuvietnam",
        )
        yield Crawled(site, out, stats, _records(out))


def test_every_real_article_is_written_once_with_the_corpus_fields(crawled: Crawled) -> None:
    ids = [r["id"] for r in crawled.records]
    assert len(ids) == len(set(ids))
    urls = {r["url"] for r in crawled.records}
    for path in crawled.site.articles:
        assert crawled.site.base + path in urls, path
    for r in crawled.records:
        assert set(r) >= FIELDS
        assert r["id"] == hashlib.sha1(r["url"].encode()).hexdigest()[:16]
        assert r["text"] and r["outlet"] == "phunuvietnam"
        assert r["fetched_at"].endswith("+00:00")
    dated = [r for r in crawled.records if "qdnd" in r["url"] or "nhandan" in r["url"]]
    assert all(r["published"] and r["published_at"][-6:] == "+07:00" for r in dated)


def test_each_article_cites_its_warc_record(crawled: Crawled) -> None:
    pages = {}
    for warc in (crawled.out / "warc").glob("*.warc.gz"):
        pages.update({p.warc_record_id: p for p in iter_warc_pages(warc)})
    for r in crawled.records:
        page = pages[r["warc_record_id"]]
        assert (crawled.out / r["warc_file"]).exists()
        assert page.status == 200 and page.url == r["final_url"]
    # every request the server saw was archived (robots, discovery, faults, articles)
    # except the ones refused before any byte of body was read
    assert len(pages) >= crawled.stats.fetched


def test_fault_pages_are_handled_as_a_careful_crawler_would(crawled: Crawled) -> None:
    f = crawled.site.fault_paths()
    hits = crawled.site.hits
    for name in ("retry-after-429", "server-error-500", "slow-timeout", "truncated"):
        assert crawled.state(f[name])[0] == "done", name
        assert hits[f[name]] >= 2, name
    expected_failures = {
        "trickle": "too slow",
        "loop-a": "redirect loop",
        "huge-declared": "too large",
        "huge-chunked": "too large",
        "pdf-file": "unsupported content type",
        "gone-404": "HTTP 404",
    }
    for name, why in expected_failures.items():
        status, _, error = crawled.state(f[name])
        assert status == "failed" and why in error, (name, error)
    assert crawled.state(f["not-an-article"])[0] == "skipped"
    assert crawled.state(f["real-homepage"])[0] == "skipped"  # a real news homepage
    assert "/tin-noi-bo-20250101000000001.htm" not in hits  # robots.txt Disallow: /*-noi-bo-
    assert crawled.state("/tin-noi-bo-20250101000000001.htm")[0] == "skipped"
    assert not any("elsewhere" in url for url in hits)  # off-site links are not followed
    assert crawled.stats.errors == len(expected_failures)


def test_charsets_wrong_header_and_tcvn3(crawled: Crawled) -> None:
    f = crawled.site.fault_paths()
    first = crawled.by_path(next(iter(crawled.site.articles)))
    wrong = crawled.by_path(f["wrong-charset"])
    assert wrong["text"] == first["text"]  # UTF-8 labelled ISO-8859-1 decodes right anyway
    assert "Đắk Nông" in wrong["title"]
    tcvn3 = crawled.by_path(f["tcvn3"])
    assert tcvn3["encoding"] == "tcvn3"
    assert "Hội Liên hiệp Phụ nữ tỉnh tổ chức gặp mặt" in tcvn3["text"]
    assert "12.500 hội viên" in tcvn3["text"]


def test_duplicates_are_linked_not_dropped(crawled: Crawled) -> None:
    f = crawled.site.fault_paths()
    paths = list(crawled.site.articles)
    first, second = crawled.by_path(paths[0]), crawled.by_path(paths[1])
    assert first["duplicate_of"] is None
    assert crawled.by_path(f["copy-of-first"])["duplicate_of"] == first["id"]  # same hash
    assert crawled.by_path(f["near-copy"])["duplicate_of"] == first["id"]  # near duplicate
    assert crawled.by_path(f["moved"])["duplicate_of"] == second["id"]
    originals = [r for r in crawled.records if r["duplicate_of"] is None]
    assert len(originals) == len(crawled.site.articles) + 1  # + the TCVN3 page


def test_a_finished_crawl_rerun_fetches_no_article_again(crawled: Crawled) -> None:
    before = dict(crawled.site.hits)
    stats = crawl(
        crawled.site.base + "/",
        CrawlOptions(out=crawled.out, progress=False),
        FAST,
        profile_id="phunuvietnam",
    )
    assert stats.articles == 0 and _records(crawled.out) == crawled.records
    changed = {p for p, n in crawled.site.hits.items() if before.get(p) != n}
    # only robots.txt (a new run reads it again) and the retryable failure (the trickling
    # page: a later run may succeed) are requested again
    assert changed == {"/robots.txt", crawled.site.fault_paths()["trickle"]}


def test_date_window_and_page_budget(real_corpus: Path, tmp_path: Path) -> None:
    config = SiteConfig(load_articles(real_corpus), faults=False)
    with SimSite(config) as site:
        crawl(
            site.base + "/",
            CrawlOptions(out=tmp_path / "window", since=date(2026, 1, 1), progress=False),
            FAST,
            profile_id="phunuvietnam",
        )
        records = _records(tmp_path / "window")
        assert records and all(r["published"] >= "2026-01-01" for r in records)
        assert len(records) == sum(a.published >= "2026-01-01" for a in site.articles.values())
        # old articles are recorded as skipped (the listing gives no date, so they were
        # fetched and dated by extraction), never written
        db = sqlite3.connect(tmp_path / "window" / "state.sqlite")
        skipped = db.execute(
            "SELECT COUNT(*) FROM urls WHERE error='outside the date window'"
        ).fetchone()[0]
        db.close()
        assert skipped == sum(a.published < "2026-01-01" for a in site.articles.values())
    with SimSite(SiteConfig(load_articles(real_corpus), faults=False)) as site:
        stats = crawl(
            site.base + "/",
            CrawlOptions(out=tmp_path / "budget", max_pages=5, progress=False),
            FAST,
            profile_id="phunuvietnam",
        )
        fetched = [p for p in site.hits if p in site.articles]
        assert len(fetched) == 5 and stats.articles == 5


def test_article_log_cuts_a_partial_line_and_skips_written_ids(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "state.sqlite")
    log = ArticleLog(tmp_path / "articles.jsonl", state)
    rec = {"id": "a" * 16, "url": "http://h/a", "text": "x"}
    assert log.append(rec, "h1") and not log.append(rec, "h1")
    log.close()
    state.close()
    # a crash after the line was fsynced but before the id was committed, then a torn line
    with open(tmp_path / "articles.jsonl", "ab") as fh:
        fh.write(json.dumps({"id": "b" * 16, "url": "http://h/b", "text": "y"}).encode() + b"\n")
        fh.write(b'{"id": "cccccccccccccccc", "url": "http://h/c", "te')
    state = CrawlState(tmp_path / "state.sqlite")
    log = ArticleLog(tmp_path / "articles.jsonl", state)
    assert log.recovered == 1 and state.written("b" * 16) and not state.written("c" * 16)
    assert not log.append({"id": "b" * 16, "url": "http://h/b", "text": "y"}, "h2")
    assert log.append({"id": "c" * 16, "url": "http://h/c", "text": "z"}, "h3")
    log.close()
    lines = (tmp_path / "articles.jsonl").read_text().splitlines()
    assert [json.loads(x)["id"][0] for x in lines] == ["a", "b", "c"]


def test_sitemap_lastmod_outside_the_window_is_never_fetched(
    real_corpus: Path, tmp_path: Path
) -> None:
    config = SiteConfig(load_articles(real_corpus), faults=False, listing_articles=False)
    with SimSite(config) as site:
        crawl(
            site.base + "/",
            CrawlOptions(out=tmp_path, until=date(2025, 1, 10), progress=False),
            FAST,
            profile_id="phunuvietnam",
        )
        in_sitemap = list(site.articles.values())[: len(site.articles) // 2]
        assert in_sitemap
        for a in in_sitemap:
            assert bool(site.hits.get(a.path)) == (a.published <= "2025-01-10"), a.path
        assert all(r["published"] <= "2025-01-10" for r in _records(tmp_path) if r["published"])


def test_refresh_rereads_discovery_pages_with_conditional_get(
    real_corpus: Path, tmp_path: Path
) -> None:
    config = SiteConfig(load_articles(real_corpus)[:6], faults=False)
    with SimSite(config) as site:
        first = crawl(site.base + "/", CrawlOptions(out=tmp_path, progress=False), FAST,
                      profile_id="phunuvietnam")  # fmt: skip
        assert first.articles == 6 and site.not_modified == 0
        again = crawl(
            site.base + "/",
            CrawlOptions(out=tmp_path, refresh=True, progress=False),
            FAST,
            profile_id="phunuvietnam",
        )
        assert again.articles == 0
        assert again.not_modified == site.not_modified > 0  # sitemaps, feed, listings: 304
        assert len(_records(tmp_path)) == 6


def test_page_budget_counts_across_runs(real_corpus: Path, tmp_path: Path) -> None:
    with SimSite(SiteConfig(load_articles(real_corpus)[:8], faults=False)) as site:
        for budget, total in ((3, 3), (5, 5), (5, 5)):
            crawl(
                site.base + "/",
                CrawlOptions(out=tmp_path, max_pages=budget, progress=False),
                FAST,
                profile_id="phunuvietnam",
            )
            assert sum(n for p, n in site.hits.items() if p in site.articles) == total
        assert len(_records(tmp_path)) == 5
