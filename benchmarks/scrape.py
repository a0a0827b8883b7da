"""Scraper benchmark against the simulated site on 127.0.0.1 (never a real site).

1. Politeness off (``--impolite`` settings: no delay, 8 workers): pages/s for the whole
   crawl (fetch + WARC + extraction + state) and for fetching alone.
2. Politeness on (a per-host delay, one or two requests in flight): request arrival times
   are logged by the server, and the script shows the per-host rate is never exceeded.

Run: ``.venv/bin/python benchmarks/scrape.py [--delay 0.25] [--copies 3]``.
Article pages are the real saved pages of ../shared/corpora/real/html (read at run time).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.scrape.crawl import CrawlOptions, crawl  # noqa: E402
from pipeline.scrape.fetch import Fetcher, FetchPolicy  # noqa: E402
from tests.scrape.sitesim import Article, SimSite, SiteConfig, load_articles  # noqa: E402

SHARED = REPO.parent / "shared" / "corpora" / "real"


def articles(copies: int) -> list[Article]:
    base = load_articles(SHARED)
    out = []
    for c in range(copies):  # the same pages under more addresses, for a longer crawl
        for a in base:
            stem, _, tail = a.path.rpartition("-")
            out.append(replace(a, path=f"{stem}-c{c}-{tail}"))
    return out


def impolite(copies: int, workers: int) -> None:
    with (
        SimSite(SiteConfig(articles(copies), faults=False)) as site,
        tempfile.TemporaryDirectory() as d,
    ):
        policy = FetchPolicy(delay=0.0, per_host=workers)
        stats = crawl(
            site.base + "/",
            CrawlOptions(out=Path(d), workers=workers, progress=False),
            policy,
            profile_id="phunuvietnam",
        )
        print(
            f"impolite crawl ({workers} workers): {stats.fetched} pages, {stats.articles} articles "
            f"in {stats.elapsed:.2f}s = {stats.fetched / stats.elapsed:.1f} pages/s "
            f"({stats.requests / stats.elapsed:.1f} requests/s)"
        )
        fetcher = Fetcher(policy)
        urls = [site.base + p for p in site.articles]
        started = time.monotonic()
        chunks = [urls[i::workers] for i in range(workers)]
        threads = [
            threading.Thread(target=lambda us: [fetcher.fetch(u) for u in us], args=(c,))
            for c in chunks
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - started
        print(
            f"impolite fetch only ({workers} threads): {len(urls)} pages in {took:.2f}s = "
            f"{len(urls) / took:.1f} pages/s"
        )


def polite(delay: float, per_host: int, n: int) -> bool:
    with (
        SimSite(SiteConfig(articles(1)[:n], faults=False)) as site,
        tempfile.TemporaryDirectory() as d,
    ):
        stats = crawl(
            site.base + "/",
            CrawlOptions(out=Path(d), workers=per_host, progress=False),
            FetchPolicy(delay=delay, per_host=per_host),
            profile_id="phunuvietnam",
        )
        times = sorted(t for t, _, _ in site.log)
        gaps = [b - a for a, b in itertools.pairwise(times)]
        # the most requests in any window of ``delay`` seconds (must be 1)
        worst = max(sum(1 for u in times if t <= u < t + delay) for t in times)
        rate = (len(times) - 1) / (times[-1] - times[0])
        ok = min(gaps) >= delay and worst == 1
        print(
            f"polite crawl (delay {delay}s, {per_host} in flight): {len(times)} requests in "
            f"{stats.elapsed:.2f}s; server-side gap min {min(gaps):.3f}s, mean "
            f"{sum(gaps) / len(gaps):.3f}s; max requests in any {delay}s window: {worst}; "
            f"mean rate {rate:.2f}/s (limit {1 / delay:.2f}/s) -> "
            f"{'never exceeded' if ok else 'EXCEEDED'}"
        )
        return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--delay", type=float, default=0.25)
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--polite-pages", type=int, default=20)
    args = ap.parse_args()
    if not SHARED.exists():
        sys.exit(f"needs {SHARED} (../shared beside the clone)")
    impolite(args.copies, args.workers)
    ok = all([polite(args.delay, 1, args.polite_pages), polite(args.delay, 2, args.polite_pages)])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
