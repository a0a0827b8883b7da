"""The crawl: discovery → polite fetch → WARC → extraction → ``articles.jsonl``, resumable.

``crawl`` owns one output directory: ``state.sqlite`` (frontier, seen set, written ids),
``warc/`` (one ``.warc.gz`` per run) and ``articles.jsonl``. Run it again with the same
target and directory after a crash or ``kill -9``: it resumes where it stopped, losing no
URL and writing no article twice (see ``pipeline.scrape.state``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import signal
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from tqdm import tqdm

from pipeline.extract.dedup import NearDuplicateIndex
from pipeline.extract.html import ExtractionError, extract_page
from pipeline.scrape.archive import WarcArchive
from pipeline.scrape.discover import (
    canonicalize_url,
    in_window,
    parse_date,
    parse_feed,
    parse_listing,
    parse_sitemap,
)
from pipeline.scrape.fetch import (
    HTML_TYPES,
    XML_TYPES,
    Fetcher,
    FetchPolicy,
    Interrupted,
    header,
)
from pipeline.scrape.state import ArticleLog, CrawlState, Task
from pipeline.scrape.target import article_id, resolve_target
from pipeline.sources.profile import SiteProfile
from pipeline.types import RawPage

log = logging.getLogger(__name__)
MAX_SITEMAP_DEPTH = 4


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    out: Path
    since: date | None = None
    until: date | None = None
    max_pages: int | None = None  # article pages fetched, across resumed runs
    workers: int = 1
    refresh: bool = False  # re-read sitemaps, feeds and listings (conditional GET)
    progress: bool = True


@dataclass
class CrawlStats:
    fetched: int = 0
    articles: int = 0
    duplicates: int = 0
    not_articles: int = 0
    out_of_window: int = 0
    errors: int = 0
    not_modified: int = 0
    missing: int = 0  # discovery pages answering 404/410
    disallowed: int = 0  # URLs robots.txt forbids
    recovered: int = 0
    elapsed: float = 0.0
    requests: int = 0
    error_samples: list[str] = field(default_factory=list)
    interrupted: bool = False  # stopped by Ctrl-C (SIGINT) before the frontier was empty
    output_error: str | None = None  # the output could not be written (disk full...): stopped


class Crawler:
    def __init__(
        self,
        profile: SiteProfile,
        start_url: str | None,
        options: CrawlOptions,
        policy: FetchPolicy,
    ) -> None:
        self.profile = profile
        self.start_url = start_url
        self.options = options
        self.out = Path(options.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.state = CrawlState(self.out / "state.sqlite")
        try:
            self._check_owner()
        except ValueError:
            self.state.close()
            raise
        self.stop = threading.Event()
        self.archive = WarcArchive(self.out / "warc", prefix=profile.id)
        self.fetcher = Fetcher(policy, self.archive, stop=self.stop)
        self.log = ArticleLog(self.out / "articles.jsonl", self.state)
        self.stats = CrawlStats(recovered=self.log.recovered)
        self.near = NearDuplicateIndex()
        self._near_lock = threading.Lock()
        self._load_near_index()
        self._lock = threading.Lock()
        self._inflight = 0
        self._budget_used = self.state.fetched_articles()

    def _check_owner(self) -> None:
        key = f"{self.profile.id} {self.start_url or ''}".strip()
        owner = self.state.get_meta("target")
        if owner is None:
            self.state.set_meta("target", key)
        elif owner != key:
            raise ValueError(
                f"{self.out} holds the crawl of {owner!r}, not {key!r}: use another --out"
            )

    def _load_near_index(self) -> None:
        path = self.out / "articles.jsonl"
        if not path.exists():
            return
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec["id"] not in self.near:
                    try:
                        self.near.add(rec["id"], rec.get("text") or "")
                    except Exception as exc:  # see _article
                        log.warning("near-duplicate index failed: %s", exc)

    # -- seeding ---------------------------------------------------------------------
    def seed(self) -> None:
        if self.state.get_meta("seeded") is not None:
            if self.options.refresh:
                self.state.revisit()
            return
        p = self.profile
        items: list[tuple[str, str, int, str | None]] = []

        def add(u: str, kind: str) -> None:
            c = canonicalize_url(u)
            if c is not None:
                items.append((c, kind, 0, None))

        if self.start_url and p.is_article(self.start_url):
            add(self.start_url, "article")  # one article page: fetch just that
        else:
            first = self.start_url or next(iter(p.start_urls + p.sitemaps + p.feeds), None)
            if first is not None:
                for sm in self.fetcher.sitemaps_of(first):
                    add(sm, "sitemap")
            for u in p.sitemaps:
                add(u, "sitemap")
            for u in p.feeds:
                add(u, "feed")
            for u in p.start_urls:
                add(u, "listing")
            for tmpl in p.pagination:  # page 1 now; page n+1 once page n had articles
                add(tmpl.format(page=1), "listing")
        self.state.add_many(items)
        self.state.set_meta("seeded", "1")

    # -- the loop --------------------------------------------------------------------
    def _on_sigint(self, signum: int, frame: object) -> None:
        """First Ctrl-C: stop taking pages, let the fetches under way finish, flush and
        return. A second one: leave at once (as safe as kill -9: the next run resumes)."""
        if self.stop.is_set():
            print("interrupted again: stopping without waiting", file=sys.stderr, flush=True)
            os._exit(130)
        self.stats.interrupted = True
        self.stop.set()

    def run(self) -> CrawlStats:
        """Crawl until the frontier is empty or Ctrl-C; always leaves the output consistent."""
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, self._on_sigint) if main else None
        try:
            return self._run()
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    def _run(self) -> CrawlStats:
        started = time.monotonic()
        try:
            self.seed()
        except Interrupted:  # stopped while reading robots.txt: nothing is marked seeded
            self.stats.elapsed = time.monotonic() - started
            self.close()
            return self.stats
        bar = tqdm(
            unit="page",
            file=sys.stderr,
            disable=not self.options.progress,
            dynamic_ncols=True,
            mininterval=0.5,
            desc=self.profile.id,
        )
        threads = [
            threading.Thread(target=self._worker, args=(bar,), daemon=True)
            for _ in range(max(1, self.options.workers))
        ]
        for t in threads:
            t.start()
        try:
            # SIGINT only sets ``stop`` (see _on_sigint), so these joins are never cut
            # short and no worker outlives close() below
            for t in threads:
                t.join()
        finally:
            bar.close()
            self.stats.elapsed = time.monotonic() - started
            self.stats.requests = self.fetcher.requests_made
            self.close()
        return self.stats

    def close(self) -> None:
        for close in (self.log.close, self.archive.close, self.fetcher.close, self.state.close):
            try:
                close()
            except (OSError, sqlite3.Error) as exc:  # a full disk may refuse the last flush
                self._output_failed(exc)

    def _output_failed(self, exc: BaseException) -> None:
        """The output directory cannot be written: stop the crawl, keep the first reason."""
        with self._lock:
            if self.stats.output_error is None:
                self.stats.output_error = (
                    f"cannot write the crawl's output in {self.out} ({type(exc).__name__}: "
                    f"{exc}: disk full, file size limit, read-only or failing disk); fix it and "
                    "run the same command to resume"
                )
        self.stop.set()

    def _next_task(self) -> Task | None:
        with self._lock:
            budget = self.options.max_pages
            exhausted = budget is not None and self._budget_used >= budget
            kinds = ("robots", "sitemap", "feed", "listing") if exhausted else None
            task = self.state.claim(kinds)
            if task is not None:
                if task.kind == "article":
                    self._budget_used += 1
                self._inflight += 1
            return task

    def _worker(self, bar: tqdm) -> None:
        while not self.stop.is_set():
            task = self._next_task()
            if task is None:
                with self._lock:
                    idle = self._inflight == 0
                if idle:
                    return
                time.sleep(0.05)
                continue
            abandoned = False
            try:
                self._process(task)
            except Interrupted:  # Ctrl-C before its request started: back to the frontier
                abandoned = True
                self._release(task)
            except (OSError, sqlite3.Error) as exc:  # state, log or WARC not writable: stop
                # (network errors never get here: the fetcher turns them into results)
                abandoned = True
                self._output_failed(exc)
            except Exception as exc:  # one bad page must not end the crawl; record it
                log.exception("internal error on %s", task.url)
                # retryable: once the bug is fixed, a rerun picks the page up again
                self._fail(task, f"internal error: {type(exc).__name__}: {exc}", True)
            finally:
                with self._lock:
                    self._inflight -= 1
                    self.stats.fetched += int(not abandoned)
                try:
                    counts = self.state.counts()
                except sqlite3.Error:
                    counts = {"pending": 0}
                bar.update(1)
                bar.set_postfix_str(
                    f"queue={counts['pending']} articles={self.stats.articles} "
                    f"errors={self.stats.errors}",
                    refresh=False,
                )

    def _release(self, task: Task) -> None:
        """Put a claimed task back in the frontier, unfetched."""
        try:
            self.state.release(task.url)
        except sqlite3.Error as exc:  # left in_progress: the next run resets it to pending
            self._output_failed(exc)
        if task.kind == "article":
            with self._lock:
                self._budget_used -= 1

    def _fail(self, task: Task, error: str, retryable: bool, status: int | None = None) -> None:
        with self._lock:
            self.stats.errors += 1
            if len(self.stats.error_samples) < 20:
                self.stats.error_samples.append(f"{task.url}: {error}")
        self.state.finish(task.url, "failed", error=error, retryable=retryable, http_status=status)

    def _process(self, task: Task) -> None:
        accept = HTML_TYPES if task.kind in ("article", "listing") else XML_TYPES
        result = self.fetcher.fetch(
            task.url, accept=accept, etag=task.etag, last_modified=task.last_modified
        )
        page = result.page
        status = page.status if page else None
        if result.not_modified:
            with self._lock:
                self.stats.not_modified += 1
            self.state.finish(
                task.url, "done", http_status=304, final_url=page.final_url if page else None
            )
            return
        if task.kind != "article" and status in (404, 410):
            # a discovery address that does not exist (many are unverified guesses): noted,
            # not an error
            with self._lock:
                self.stats.missing += 1
            self.state.finish(task.url, "skipped", http_status=status, error=f"HTTP {status}")
            return
        if result.error == "disallowed by robots.txt":
            self.state.finish(task.url, "skipped", error=result.error)
            with self._lock:
                self.stats.disallowed += 1
            return
        if not result.ok or page is None:
            self._fail(task, result.error or "no response", result.retryable, status)
            return
        etag, modified = header(page, "etag"), header(page, "last-modified")
        if task.kind == "article":
            self._article(task, page)
            return
        if task.kind in ("sitemap", "feed"):
            self._discover_xml(task, page.body, page.final_url)
        else:
            self._discover_links(task, page.body, page.final_url)
        self.state.finish(
            task.url,
            "done",
            http_status=status,
            final_url=page.final_url,
            etag=etag,
            last_modified=modified,
        )

    def _discover_xml(self, task: Task, body: bytes, base: str) -> None:
        try:
            if task.kind == "sitemap":
                sm = parse_sitemap(body, base)
                links, children = sm.links, sm.sitemaps
            else:
                links, children = parse_feed(body, base), ()
        except ValueError as exc:  # e.g. a gzip bomb
            log.warning("%s: %s", task.url, exc)
            return
        items: list[tuple[str, str, int, str | None]] = []
        if task.depth < MAX_SITEMAP_DEPTH:
            items += [
                (c.url, "sitemap", task.depth + 1, None)
                for c in children
                if self.profile.owns(c.url)
            ]
        for link in links:
            if not (self.profile.owns(link.url) and self.profile.is_article(link.url)):
                continue
            if not in_window(link.date, self.options.since, self.options.until):
                with self._lock:
                    self.stats.out_of_window += 1
                continue
            items.append((link.url, "article", 0, link.date.isoformat() if link.date else None))
        self.state.add_many(items)

    def _next_pagination(self, url: str) -> str | None:
        """The next page of a profile pagination template, when ``url`` is one of its pages."""
        for tmpl in self.profile.pagination:
            head, _, tail = tmpl.partition("{page}")
            m = re.fullmatch(re.escape(head) + r"(\d+)" + re.escape(tail), url)
            if m and int(m[1]) < self.profile.max_listing_pages:
                return canonicalize_url(tmpl.format(page=int(m[1]) + 1))
        return None

    def _discover_links(self, task: Task, body: bytes, base: str) -> None:
        items: list[tuple[str, str, int, str | None]] = []
        for url in parse_listing(body, base):
            if not self.profile.owns(url):
                continue
            if self.profile.is_article(url):
                items.append((url, "article", 0, None))
            elif self.profile.is_listing(url) and task.depth < self.profile.max_listing_pages:
                items.append((url, "listing", task.depth + 1, None))
        nxt = self._next_pagination(task.url)
        if nxt and any(kind == "article" for _, kind, _, _ in items):
            items.append((nxt, "listing", task.depth + 1, None))
        self.state.add_many(items)

    def _article(self, task: Task, page: RawPage) -> None:
        try:
            ex = extract_page(
                page.body,
                url=page.final_url,
                content_type=header(page, "content-type"),
                selectors=self.profile.selector_map() or None,
            )
        except ExtractionError as exc:
            with self._lock:
                self.stats.not_articles += 1
            # a page that is not an article may still list articles
            self._discover_links(task, page.body, page.final_url)
            self.state.finish(
                task.url, "skipped", http_status=page.status, error=f"not an article: {exc}"
            )
            return
        when = parse_date(ex.published) or parse_date(task.hint_date)
        if not in_window(when, self.options.since, self.options.until):
            with self._lock:
                self.stats.out_of_window += 1
            self.state.finish(
                task.url, "skipped", http_status=page.status, error="outside the date window"
            )
            return
        aid = article_id(task.url)
        content_hash = hashlib.sha1(ex.body.encode("utf-8")).hexdigest()
        canonical = canonicalize_url(ex.canonical_url, page.final_url) if ex.canonical_url else None
        with self._near_lock:
            duplicate_of = self.state.by_hash(content_hash)
            if duplicate_of is None and canonical and canonical != task.url:
                duplicate_of = self.state.by_canonical(canonical, aid)
            if aid not in self.near:
                try:
                    near = self.near.add(aid, ex.body)
                except Exception as exc:  # the index is another stage's code: never fatal
                    log.warning("near-duplicate index failed on %s: %s", task.url, exc)
                    near = []
                duplicate_of = duplicate_of or (near[0] if near else None)
        record = {
            "id": aid,
            "url": task.url,
            "title": ex.title,
            "published": ex.published,
            "text": ex.body,
            "author": ex.author,
            "outlet": self.profile.id if self.profile.hosts else urlsplit(task.url).netloc,
            "published_at": ex.published_at,
            "canonical_url": canonical or page.final_url,
            "final_url": page.final_url,
            "fetched_at": page.fetched_at,
            "warc_file": f"warc/{page.warc_file}" if page.warc_file else None,
            "warc_record_id": page.warc_record_id,
            "encoding": ex.encoding,
            "content_hash": content_hash,
            "duplicate_of": duplicate_of,
        }
        self.archive.sync()  # the WARC record is on disk before the line that cites it
        written = self.log.append(record, content_hash)
        with self._lock:
            self.stats.articles += int(written)
            self.stats.duplicates += int(written and duplicate_of is not None)
        self.state.finish(
            task.url,
            "done",
            http_status=page.status,
            final_url=page.final_url,
            etag=header(page, "etag"),
            last_modified=header(page, "last-modified"),
            article_id=aid,
        )


def crawl(
    target: str,
    options: CrawlOptions,
    policy: FetchPolicy | None = None,
    profile_id: str | None = None,
) -> CrawlStats:
    """Crawl a site (profile id) or URL into ``options.out``; resumable (see module doc).

    Without a ``policy`` the profile's delay and concurrency apply.
    """
    profile, url = resolve_target(target, profile_id)
    if policy is None:
        policy = FetchPolicy(delay=profile.delay, per_host=profile.concurrency)
    return Crawler(profile, url, options, policy).run()
