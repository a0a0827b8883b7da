"""Polite HTTP fetching (settings and rate limiting in ``pipeline.scrape.politeness``): the only module of the scraper that touches the network.

* robots.txt (RFC 9309, parsed by ``protego``: wildcards, ``$``, Crawl-delay): 4xx means
  allow all, 5xx or an unreachable robots.txt means disallow all for this run;
* per-host rate limit (minimum seconds between request starts, the larger of the profile's
  delay and the site's Crawl-delay) and a per-host concurrency cap;
* retries with exponential backoff and jitter on 429, 5xx, timeouts and broken
  connections, honouring ``Retry-After`` (seconds or an HTTP date), host-wide;
* bodies streamed and cut at ``max_bytes`` (a larger ``Content-Length`` is refused unread),
  a whole-response time limit against trickling servers;
* redirects followed by hand, each hop checked against robots.txt, loops detected;
* conditional GET (``If-None-Match``, ``If-Modified-Since``) when re-crawling;
* every response written to the WARC archive when one is given.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import requests
import urllib3
from protego import Protego

from pipeline.scrape.archive import WarcArchive
from pipeline.scrape.discover import canonicalize_url, host_of, utc_now
from pipeline.scrape.politeness import FetchPolicy, RateLimiter, retry_after_seconds, user_agent
from pipeline.types import RawPage

__all__ = ["FetchPolicy", "FetchResult", "Fetcher", "header", "user_agent"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_MAX_BYTES = 512 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = (
    "xml",  # application/xml, text/xml, application/rss+xml, application/atom+xml
    "gzip",
    "x-gzip",
    "text/plain",
    "octet-stream",
    "text/html",  # some servers label sitemaps as text/html
)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """Outcome of fetching one URL (after redirects and retries)."""

    url: str
    page: RawPage | None = None  # the final response (any status), None when none came
    error: str | None = None  # why the page cannot be used; None when it can
    retryable: bool = False  # a later run may succeed (timeouts, 5xx, 429, robots 5xx)
    truncated: bool = False
    not_modified: bool = False
    hops: tuple[RawPage, ...] = ()  # redirect responses before ``page``
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and self.page is not None


class Interrupted(Exception):
    """The crawl is stopping (Ctrl-C): a fetch not started yet is abandoned, not failed."""


class _Refused(Exception):
    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class Fetcher:
    """Fetch URLs politely; one instance per crawl (it holds robots.txt and rate state)."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        archive: WarcArchive | None = None,
        session: requests.Session | None = None,
        rng: random.Random | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        # set when the crawl stops: waits end at once and no new request starts
        self.stop = stop or threading.Event()
        self.archive = archive
        self.session = session or requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=16)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.limiter = RateLimiter(self.policy.delay, self.policy.per_host, sleep=self._pause)
        self._robots: dict[str, Protego | None] = {}
        self._robots_error: dict[str, str] = {}
        self._robots_lock = threading.Lock()
        self._rng = rng or random.Random()
        self.requests_made = 0

    def _pause(self, seconds: float) -> None:
        """Wait before a request (politeness delay, backoff); raise :class:`Interrupted`
        when the crawl stops meanwhile."""
        if self.stop.wait(seconds):
            raise Interrupted("crawl stopped")

    # -- robots.txt ------------------------------------------------------------------
    def robots(self, url: str) -> Protego | None:
        """Parsed robots.txt of the URL's site; None means "disallow all" (5xx, unreachable)."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if key in self._robots:
                return self._robots[key]
            rules = self._load_robots(key)
            self._robots[key] = rules
            if rules is not None:
                delay = rules.crawl_delay(self.policy.user_agent)
                if delay:
                    self.limiter.set_delay(parts.netloc.lower(), float(delay))
            return rules

    def _load_robots(self, site: str) -> Protego | None:
        url = f"{site}/robots.txt"
        policy = replace(
            self.policy, max_bytes=ROBOTS_MAX_BYTES, retries=min(1, self.policy.retries)
        )
        current = url
        for _ in range(5):
            result = self._get(current, accept=None, policy=policy)
            page = result.page
            if page is None:
                self._robots_error[site] = f"robots.txt unreachable: {result.error}"
                return None
            if 300 <= page.status < 400:
                loc = _header(page, "location")
                nxt = canonicalize_url(loc, current) if loc else None
                if nxt is None:
                    break
                current = nxt
                continue
            if 200 <= page.status < 300:
                text = page.body.decode("utf-8", errors="replace")
                return Protego.parse(text)
            if 400 <= page.status < 500:
                return Protego.parse("")  # no robots.txt: everything allowed
            self._robots_error[site] = f"robots.txt answered HTTP {page.status}"
            return None
        return Protego.parse("")

    def allowed(self, url: str) -> tuple[bool, str]:
        rules = self.robots(url)
        if rules is None:
            parts = urlsplit(url)
            return False, self._robots_error.get(f"{parts.scheme}://{parts.netloc}", "robots")
        if rules.can_fetch(url, self.policy.user_agent):
            return True, ""
        return False, "disallowed by robots.txt"

    def sitemaps_of(self, url: str) -> list[str]:
        rules = self.robots(url)
        return list(rules.sitemaps) if rules is not None else []

    # -- fetching --------------------------------------------------------------------
    def fetch(
        self,
        url: str,
        *,
        accept: tuple[str, ...] | None = HTML_TYPES,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """Fetch ``url`` following redirects; never raises for network or HTTP trouble.

        Raises :class:`Interrupted` when ``stop`` is set before a request starts.
        """
        seen = {url}
        current = url
        hops: list[RawPage] = []
        attempts = 0
        for hop in range(self.policy.max_redirects + 1):
            ok, why = self.allowed(current)
            if not ok:
                retry = why != "disallowed by robots.txt"
                return FetchResult(url, error=why, retryable=retry, hops=tuple(hops))
            cond: dict[str, str] = {}
            if hop == 0 and etag:
                cond["If-None-Match"] = etag
            if hop == 0 and last_modified:
                cond["If-Modified-Since"] = last_modified
            result = self._get(current, accept=accept, extra=cond)
            attempts += result.attempts
            page = result.page
            if page is None or result.error:
                return replace(result, url=url, hops=tuple(hops), attempts=attempts)
            if page.status in (301, 302, 303, 307, 308):
                loc = _header(page, "location")
                nxt = canonicalize_url(loc, current) if loc else None
                if nxt is None:
                    return FetchResult(
                        url, page, "redirect without a usable Location", hops=tuple(hops)
                    )
                hops.append(page)
                if nxt in seen:
                    return FetchResult(url, page, f"redirect loop at {nxt}", hops=tuple(hops))
                seen.add(nxt)
                current = nxt
                continue
            final = replace(page, url=url, final_url=current)
            if page.status == 304:
                return FetchResult(
                    url, final, None, not_modified=True, hops=tuple(hops), attempts=attempts
                )
            if page.status >= 400:
                return FetchResult(
                    url, final, f"HTTP {page.status}", hops=tuple(hops), attempts=attempts
                )
            return FetchResult(
                url, final, None, truncated=result.truncated, hops=tuple(hops), attempts=attempts
            )
        return FetchResult(
            url, None, f"more than {self.policy.max_redirects} redirects", hops=tuple(hops)
        )

    def _get(
        self,
        url: str,
        *,
        accept: tuple[str, ...] | None,
        extra: dict[str, str] | None = None,
        policy: FetchPolicy | None = None,
    ) -> FetchResult:
        """One URL, no redirects, with retries; archives every response it receives."""
        pol = policy or self.policy
        host = host_of(url)
        last = "no attempt"
        for attempt in range(pol.retries + 1):
            if self.stop.is_set():
                raise Interrupted("crawl stopped")
            with self.limiter.slot(host):
                if self.stop.is_set():
                    raise Interrupted("crawl stopped")
                self.requests_made += 1
                try:
                    status, reason, headers, body, truncated, req_headers = self._request(
                        url, accept, extra or {}, pol
                    )
                except _Refused as exc:
                    if not exc.retryable:
                        return FetchResult(url, error=str(exc), attempts=attempt + 1)
                    last = str(exc)
                    status = 0
                except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                    last = f"{type(exc).__name__}: {_short(exc)}"
                    status = 0
            if status:
                page = self._record(url, status, reason, headers, body, truncated, req_headers)
                if status not in RETRY_STATUSES:
                    error = f"too large: cut at {pol.max_bytes} bytes" if truncated else None
                    return FetchResult(url, page, error, truncated=truncated, attempts=attempt + 1)
                last = f"HTTP {status}"
                wait = retry_after_seconds(_header(page, "retry-after"))
                if wait is not None and wait > pol.max_retry_after:
                    return FetchResult(
                        url,
                        page,
                        f"HTTP {status}, Retry-After {wait:.0f}s is too long",
                        retryable=True,
                        attempts=attempt + 1,
                    )
                if attempt == pol.retries:
                    return FetchResult(
                        url,
                        page,
                        f"HTTP {status} after {attempt + 1} attempts",
                        retryable=True,
                        attempts=attempt + 1,
                    )
            else:
                wait = None
                if attempt == pol.retries:
                    break
            if wait is None:
                wait = min(pol.backoff_max, pol.backoff * 2**attempt)
                wait *= 1 + self._rng.uniform(-pol.jitter, pol.jitter)
            self.limiter.penalise(host, wait)
        return FetchResult(
            url,
            error=f"{last} after {pol.retries + 1} attempts",
            retryable=True,
            attempts=pol.retries + 1,
        )

    def _request(
        self, url: str, accept: tuple[str, ...] | None, extra: dict[str, str], pol: FetchPolicy
    ) -> tuple[int, str, tuple[tuple[str, str], ...], bytes, bool, tuple[tuple[str, str], ...]]:
        headers = {
            "User-Agent": pol.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
            "Accept-Language": "vi,en;q=0.5",
            **extra,
        }
        started = time.monotonic()
        resp = self.session.get(
            url,
            headers=headers,
            stream=True,
            allow_redirects=False,
            timeout=(pol.connect_timeout, pol.read_timeout),
        )
        try:
            resp_headers = tuple((str(k), str(v)) for k, v in resp.headers.items())
            length = resp.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > pol.max_bytes:
                raise _Refused(f"too large: Content-Length {length} > {pol.max_bytes} bytes")
            ctype = resp.headers.get("Content-Type", "").lower()
            if accept and ctype and resp.status_code == 200 and not any(a in ctype for a in accept):
                raise _Refused(f"unsupported content type {ctype!r}")
            chunks: list[bytes] = []
            size = 0
            truncated = False
            while True:
                # read1 returns whatever has arrived, so the time limit holds even when a
                # server trickles one byte at a time
                chunk = resp.raw.read1(65536, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > pol.max_bytes:
                    truncated = True
                    break
                if time.monotonic() - started > pol.max_time:
                    raise _Refused(f"too slow: no complete response in {pol.max_time:g}s", True)
            body = b"".join(chunks)[: pol.max_bytes]
            req = tuple((str(k), str(v)) for k, v in (resp.request.headers or {}).items())
            return resp.status_code, resp.reason or "", resp_headers, body, truncated, req
        finally:
            resp.close()

    def _record(
        self,
        url: str,
        status: int,
        reason: str,
        headers: tuple[tuple[str, str], ...],
        body: bytes,
        truncated: bool,
        req_headers: tuple[tuple[str, str], ...],
    ) -> RawPage:
        fetched_at = utc_now()
        warc_file = record_id = None
        if self.archive is not None:
            warc_file, record_id = self.archive.write_response(
                url,
                status,
                headers,
                body,
                reason=reason,
                fetched_at=fetched_at,
                truncated=truncated,
                request_headers=req_headers,
            )
        return RawPage(url, url, status, headers, body, fetched_at, warc_file, record_id)

    def close(self) -> None:
        self.session.close()


def _header(page: RawPage, name: str) -> str | None:
    for k, v in page.headers:
        if k.lower() == name:
            return v
    return None


def header(page: RawPage, name: str) -> str | None:
    """A response header of a RawPage, case-insensitively."""
    return _header(page, name.lower())


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "..."
