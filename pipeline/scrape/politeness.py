"""Politeness: the crawler's identity, its patience, and the per-host rate limit.

``FetchPolicy`` holds every politeness and patience setting; ``RateLimiter`` spaces
request starts to one host and caps requests in flight; ``retry_after_seconds`` reads a
``Retry-After`` header. robots.txt rules are applied by ``pipeline.scrape.fetch`` with
``protego`` (wildcards, ``$``, Crawl-delay), since the standard library's parser ignores
wildcards.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from pipeline import __version__

# request starts are spaced by delay x SPACING_MARGIN + SPACING_EXTRA (when delay > 0), so the
# jitter between "request sent" here and "request arrived" at the server (a new connection,
# a busy machine) never brings two arrivals closer than the delay
SPACING_MARGIN = 1.05
SPACING_EXTRA = 0.025


def user_agent(contact: str) -> str:
    """The crawler's User-Agent: name, version and a contact address.

    >>> user_agent("mailto:ops@example.org")
    'vn-news-pipeline/0.1.0 (polite news crawler; +mailto:ops@example.org)'
    """
    return f"vn-news-pipeline/{__version__} (polite news crawler; +{contact})"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how patiently to fetch. Defaults are for real sites."""

    user_agent: str = user_agent("see https://pypi.org/project/vn-news-pipeline")
    delay: float = 2.0  # minimum seconds between request starts to one host
    per_host: int = 1  # concurrent requests to one host
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # between bytes
    max_time: float = 120.0  # whole response, against servers that trickle bytes
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 2.0  # first backoff in seconds; doubles per attempt
    backoff_max: float = 300.0
    max_retry_after: float = 900.0  # longer Retry-After: give up for this run
    jitter: float = 0.5  # backoff multiplied by a random factor in [1 - j, 1 + j]


class RateLimiter:
    """Per-host minimum interval between request starts, and a per-host concurrency cap.

    >>> t = [0.0]
    >>> rl = RateLimiter(1.0, clock=lambda: t[0], sleep=lambda s: t.__setitem__(0, t[0] + s))
    >>> for _ in range(3):
    ...     with rl.slot("h"):
    ...         pass
    >>> round(t[0], 6)  # two gaps of 1 s, each with its 5 % + 25 ms margin
    2.15
    """

    def __init__(
        self,
        delay: float,
        per_host: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self.per_host = per_host
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        self._sems: dict[str, threading.Semaphore] = {}

    def set_delay(self, host: str, delay: float) -> None:
        with self._lock:
            self._delays[host] = max(self.delay, delay)

    def delay_of(self, host: str) -> float:
        return self._delays.get(host, self.delay)

    def penalise(self, host: str, seconds: float) -> None:
        """No request to ``host`` starts before ``seconds`` from now (Retry-After, backoff)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self._clock() + seconds)

    @contextlib.contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            sem = self._sems.setdefault(host, threading.Semaphore(self.per_host))
        sem.acquire()
        try:
            with self._lock:
                now = self._clock()
                start = max(now, self._next.get(host, 0.0))
                delay = self._delays.get(host, self.delay)
                spacing = delay * SPACING_MARGIN + SPACING_EXTRA if delay > 0 else 0.0
                self._next[host] = start + spacing
            if start > now:
                self._sleep(start - now)
            yield
        finally:
            sem.release()


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date).

    >>> retry_after_seconds("3"), retry_after_seconds("soon"), retry_after_seconds(None)
    (3.0, None, None)
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))
