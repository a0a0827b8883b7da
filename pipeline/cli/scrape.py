"""`pipeline scrape SITE|URL`: crawl politely into DIR/articles.jsonl and DIR/warc/."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import click

from pipeline.scrape.crawl import CrawlOptions, crawl
from pipeline.scrape.fetch import FetchPolicy, user_agent
from pipeline.scrape.target import resolve_target
from pipeline.sources.profile import MAX_CONCURRENCY, MIN_DELAY

INTERRUPTED = "interrupted; resume with the same command"


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command(name="scrape")
@click.argument("target")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output directory.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only articles from this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Only articles up to this date.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop after N article pages.")
@click.option("--profile", "profile_id", help="Apply this profile's rules to TARGET's host.")
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    help=f"Seconds between requests to a host (default: the profile's; >= {MIN_DELAY}).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, MAX_CONCURRENCY),
    help="Parallel requests per host (default: the profile's).",
)
@click.option("--timeout", type=click.FloatRange(min=0.01), default=30.0, show_default=True)
@click.option("--max-time", type=click.FloatRange(min=0.01), default=120.0, show_default=True)
@click.option(
    "--max-bytes", type=click.IntRange(min=1024), default=10 * 1024 * 1024, show_default=True
)
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True)
@click.option(
    "--backoff",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="First retry wait in seconds (doubles, with jitter).",
)
@click.option(
    "--contact",
    envvar="PIPELINE_CONTACT",
    help="Contact (URL or mailto:) put in the User-Agent; env PIPELINE_CONTACT.",
)
@click.option(
    "--refresh", is_flag=True, help="Re-read sitemaps, feeds and listings (conditional GET)."
)
@click.option(
    "--impolite",
    is_flag=True,
    help="No delay, 8 workers: for benchmarks against 127.0.0.1 only. robots.txt still applies.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def command(
    target: str,
    out: Path | None,
    since: datetime | None,
    until: datetime | None,
    max_pages: int | None,
    profile_id: str | None,
    delay: float | None,
    concurrency: int | None,
    timeout: float,
    max_time: float,
    max_bytes: int,
    retries: int,
    backoff: float,
    contact: str | None,
    refresh: bool,
    impolite: bool,
    quiet: bool,
) -> None:
    """Crawl SITE (a profile id, see `pipeline sources list`) or URL.

    Writes OUT/articles.jsonl, OUT/warc/*.warc.gz and OUT/state.sqlite. Run the same
    command again to resume after a crash. Exit 0 when every page went well, 1 when some
    failed (listed on stderr), 3 when nothing could be fetched, 4 when the output could not
    be written (disk full...: the crawl stops; rerun to resume), 130 when interrupted
    (Ctrl-C: the fetches under way finish, the rest stays in the frontier; a second
    Ctrl-C leaves at once).
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        profile, url = resolve_target(target, profile_id)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    probe = url or next(iter(profile.start_urls + profile.sitemaps + profile.feeds), "")
    local = _loopback(probe)
    if impolite and not local:
        raise click.UsageError("--impolite is only for benchmarks against 127.0.0.1/localhost")
    if delay is not None and delay < MIN_DELAY and not local:
        raise click.UsageError(f"--delay must be at least {MIN_DELAY}s for a real site")
    if not local and not contact:
        raise click.UsageError(
            "give --contact (an e-mail or URL, or set PIPELINE_CONTACT) so site owners can "
            "reach whoever runs this crawler"
        )
    if since and until and since > until:
        raise click.UsageError("--since is after --until")
    per_host = concurrency or profile.concurrency
    policy = FetchPolicy(
        user_agent=user_agent(contact or "local test run"),
        delay=0.0 if impolite else (profile.delay if delay is None else delay),
        per_host=8 if impolite else per_host,
        read_timeout=timeout,
        connect_timeout=min(timeout, 10.0),
        max_time=max_time,
        max_bytes=max_bytes,
        retries=retries,
        backoff=backoff,
    )
    name = re.sub(
        r"[^A-Za-z0-9_.-]+",
        "_",
        profile.id if profile.hosts and not url else (urlsplit(probe).netloc or profile.id),
    )
    options = CrawlOptions(
        out=out or Path("data") / "scrape" / name,
        since=since.date() if since else None,
        until=until.date() if until else None,
        max_pages=max_pages,
        workers=policy.per_host,
        refresh=refresh,
        progress=not quiet and not os.environ.get("PIPELINE_NO_PROGRESS"),
    )
    try:
        stats = crawl(target, options, policy, profile_id)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    except KeyboardInterrupt:  # Ctrl-C while opening the output, before the crawl began
        click.echo(INTERRUPTED, err=True)
        raise SystemExit(130) from None
    except (OSError, sqlite3.Error) as exc:  # the output directory cannot be written
        click.echo(f"Error: cannot write the crawl's output in {options.out} ({exc})", err=True)
        raise SystemExit(4) from None
    click.echo(
        f"{stats.articles} articles written ({stats.duplicates} duplicates linked, "
        f"{stats.recovered} recovered from a previous run); {stats.fetched} pages, "
        f"{stats.requests} requests in {stats.elapsed:.1f}s; {stats.not_articles} not articles, "
        f"{stats.out_of_window} outside the dates, {stats.not_modified} not modified, "
        f"{stats.disallowed} disallowed by robots.txt, {stats.missing} discovery pages missing, "
        f"{stats.errors} errors -> {options.out}",
        err=True,
    )
    for sample in stats.error_samples:
        click.echo(f"  error: {sample}", err=True)
    if stats.output_error:
        click.echo(f"Error: {stats.output_error}", err=True)
        raise SystemExit(4)
    if stats.interrupted:
        click.echo(INTERRUPTED, err=True)
        raise SystemExit(130)
    if stats.fetched and stats.errors == stats.fetched:
        raise SystemExit(3)
    if stats.errors:
        raise SystemExit(1)
