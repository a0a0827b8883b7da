"""Site profiles: one TOML file per outlet in ``pipeline/sources/profiles/``.

A profile says where to start (start URLs, sitemaps, feeds, paginated listings), which URLs
are articles and which are listings (regexes over the URL's path and query), optional CSS
selectors for body, title and date, and politeness settings. Anything no saved page has
confirmed is marked ``verified = false`` in its table. ``validate`` reports every problem of
a profile at once; ``pipeline sources check`` runs it over all of them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
MIN_DELAY = 0.5  # seconds between requests to one host; no profile may go below it
MAX_CONCURRENCY = 4

_TOP = {
    "id",
    "name",
    "organisation",
    "kind",
    "hosts",
    "start_urls",
    "sitemaps",
    "feeds",
    "notes",
    "article",
    "listing",
    "selectors",
    "politeness",
}
_TABLES: dict[str, set[str]] = {
    "article": {"allow", "deny", "verified", "notes"},
    "listing": {"allow", "pagination", "max_pages", "verified", "notes"},
    "selectors": {"title", "body", "date", "author", "verified", "notes"},
    "politeness": {"delay", "concurrency", "notes"},
}
KINDS = {"national", "provincial", "trade_union", "youth", "front", "generic"}


class ProfileError(ValueError):
    """A profile file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """A validated site profile (see docs/scraper.md for the file format)."""

    id: str
    name: str
    kind: str
    hosts: tuple[str, ...]
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    article_allow: tuple[re.Pattern[str], ...] = ()
    article_deny: tuple[re.Pattern[str], ...] = ()
    article_verified: bool = False
    listing_allow: tuple[re.Pattern[str], ...] = ()
    pagination: tuple[str, ...] = ()
    max_listing_pages: int = 10
    listing_verified: bool = False
    selectors: tuple[tuple[str, str], ...] = ()  # (field, CSS selector)
    selectors_verified: bool = False
    delay: float = 2.0
    concurrency: int = 1
    organisation: str | None = None
    notes: str = ""
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def owns(self, url: str) -> bool:
        """True when the URL's host is one of the profile's (``*.`` matches subdomains).

        The generic profile (no hosts) owns every URL.
        """
        if not self.hosts:
            return True
        host = (urlsplit(url).hostname or "").lower()
        for h in self.hosts:
            if h.startswith("*."):
                if host == h[2:] or host.endswith(h[1:]):
                    return True
            elif host == h:
                return True
        return False

    def is_article(self, url: str) -> bool:
        """True when the URL's path (and query) matches an allow rule and no deny rule."""
        target = _target(url)
        if any(p.search(target) for p in self.article_deny):
            return False
        return any(p.search(target) for p in self.article_allow)

    def is_listing(self, url: str) -> bool:
        """True when the URL is a listing (section, pagination) page worth following."""
        if self.is_article(url):
            return False
        target = _target(url)
        return any(p.search(target) for p in self.listing_allow)

    def selector_map(self) -> dict[str, str]:
        return dict(self.selectors)


def _target(url: str) -> str:
    """What URL rules match: the path plus ``?query`` when there is one.

    >>> _target("https://h.vn/tin-tuc/a-1.html?page=2#x")
    '/tin-tuc/a-1.html?page=2'
    """
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def validate(data: dict[str, Any], source: str = "<profile>") -> SiteProfile:
    """Check a parsed profile and build a SiteProfile; raise ProfileError listing all problems.

    >>> p = validate({"id": "x", "name": "X", "kind": "national", "hosts": ["x.vn"],
    ...     "start_urls": ["https://x.vn/"], "article": {"allow": [r"-\\d+\\.html$"]}})
    >>> p.is_article("https://x.vn/tin/a-12.html"), p.is_article("https://x.vn/")
    (True, False)
    >>> validate({"id": "y", "hosts": ["y.vn"], "politeness": {"delay": 0}})
    Traceback (most recent call last):
    ...
    pipeline.sources.profile.ProfileError: <profile>: missing key 'name'; missing key 'kind'; ...
    """
    problems: list[str] = []
    for key in sorted(set(data) - _TOP):
        problems.append(f"unknown key {key!r}")
    for key in ("id", "name", "kind"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append(f"missing key {key!r}")
    kind = data.get("kind")
    if isinstance(kind, str) and kind and kind not in KINDS:
        problems.append(f"kind {kind!r} is not one of {sorted(KINDS)}")
    tables: dict[str, dict[str, Any]] = {}
    for name, allowed in _TABLES.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            problems.append(f"[{name}] must be a table")
            table = {}
        for key in sorted(set(table) - allowed):
            problems.append(f"unknown key {key!r} in [{name}]")
        tables[name] = table

    hosts = _str_list(data, "hosts", problems)
    if kind != "generic" and not hosts:
        problems.append("hosts is empty (only the generic profile may omit hosts)")
    for h in hosts:
        if h != h.lower() or "/" in h or " " in h:
            problems.append(f"host {h!r} must be a lower-case host name")
    urls = {k: _str_list(data, k, problems) for k in ("start_urls", "sitemaps", "feeds")}
    if kind != "generic" and not any(urls.values()):
        problems.append("no start_urls, sitemaps or feeds: nothing to crawl from")

    art, lst = tables["article"], tables["listing"]
    allow = _patterns(art, "allow", "article", problems)
    deny = _patterns(art, "deny", "article", problems)
    if not allow:
        problems.append("[article] allow is empty: no URL would ever be an article")
    listing = _patterns(lst, "allow", "listing", problems)
    pagination = _str_list(lst, "pagination", problems, "[listing] ")
    for tmpl in pagination:
        if "{page}" not in tmpl:
            problems.append(f"pagination {tmpl!r} has no {{page}} placeholder")
    max_pages = lst.get("max_pages", 10)
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 1:
        problems.append("[listing] max_pages must be a positive integer")
        max_pages = 10

    profile_hosts = tuple(hosts)
    for key, values in [*urls.items(), ("pagination", pagination)]:
        for u in values:
            parts = urlsplit(u.replace("{page}", "1"))
            if parts.scheme not in ("http", "https") or not parts.hostname:
                problems.append(f"{key}: {u!r} is not an http(s) URL")
            elif profile_hosts and not _host_ok(parts.hostname, profile_hosts):
                problems.append(f"{key}: {u!r} is not on the profile's hosts")

    selectors: list[tuple[str, str]] = []
    for key in ("title", "body", "date", "author"):
        sel = tables["selectors"].get(key)
        if sel is None:
            continue
        if not isinstance(sel, str) or not sel.strip():
            problems.append(f"[selectors] {key} must be a non-empty string")
            continue
        try:
            from lxml.cssselect import CSSSelector  # the engine extract_page uses

            CSSSelector(sel)
        except Exception as exc:  # cssselect raises SelectorSyntaxError, ExpressionError
            problems.append(f"[selectors] {key} {sel!r} is not valid CSS: {exc}")
            continue
        selectors.append((key, sel))

    pol = tables["politeness"]
    delay = pol.get("delay", 2.0)
    if not isinstance(delay, int | float) or isinstance(delay, bool) or delay < MIN_DELAY:
        problems.append(f"[politeness] delay must be a number >= {MIN_DELAY} seconds")
        delay = 2.0
    conc = pol.get("concurrency", 1)
    if not isinstance(conc, int) or isinstance(conc, bool) or not 1 <= conc <= MAX_CONCURRENCY:
        problems.append(f"[politeness] concurrency must be an integer 1..{MAX_CONCURRENCY}")
        conc = 1
    for name in ("article", "listing", "selectors"):
        v = tables[name].get("verified", False)
        if not isinstance(v, bool):
            problems.append(f"[{name}] verified must be true or false")

    if problems:
        raise ProfileError(source, problems)
    return SiteProfile(
        id=data["id"],
        name=data["name"],
        kind=data["kind"],
        hosts=profile_hosts,
        start_urls=tuple(urls["start_urls"]),
        sitemaps=tuple(urls["sitemaps"]),
        feeds=tuple(urls["feeds"]),
        article_allow=allow,
        article_deny=deny,
        article_verified=bool(art.get("verified", False)),
        listing_allow=listing,
        pagination=tuple(pagination),
        max_listing_pages=max_pages,
        listing_verified=bool(lst.get("verified", False)),
        selectors=tuple(selectors),
        selectors_verified=bool(tables["selectors"].get("verified", False)),
        delay=float(delay),
        concurrency=conc,
        organisation=data.get("organisation"),
        notes=str(data.get("notes", "")),
        source=source,
    )


def _host_ok(host: str, hosts: tuple[str, ...]) -> bool:
    host = host.lower()
    return any(host == h or (h.startswith("*.") and host.endswith(h[1:])) for h in hosts)


def _str_list(table: dict[str, Any], key: str, problems: list[str], where: str = "") -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.append(f"{where}{key} must be a list of non-empty strings")
        return []
    return value


def _patterns(
    table: dict[str, Any], key: str, where: str, problems: list[str]
) -> tuple[re.Pattern[str], ...]:
    out = []
    for rx in _str_list(table, key, problems, f"[{where}] "):
        try:
            out.append(re.compile(rx))
        except re.error as exc:
            problems.append(f"[{where}] {key} regex {rx!r}: {exc}")
    return tuple(out)


def load_profile(path: Path) -> SiteProfile:
    """Read and validate one profile file; the ``id`` must equal the file name stem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(str(path), [f"cannot read TOML: {exc}"]) from exc
    profile = validate(data, str(path))
    if profile.id != path.stem:
        raise ProfileError(str(path), [f"id {profile.id!r} differs from file name {path.stem!r}"])
    return profile


def load_profiles(directory: Path = PROFILES_DIR) -> dict[str, SiteProfile]:
    """Every profile of a directory, by id (raises ProfileError on the first invalid file)."""
    return {p.id: p for p in (load_profile(f) for f in sorted(directory.glob("*.toml")))}


def check_profiles(directory: Path = PROFILES_DIR) -> list[ProfileError]:
    """Validate every profile file; return the errors (empty when all are valid).

    >>> check_profiles()
    []
    """
    errors: list[ProfileError] = []
    hosts: dict[str, str] = {}
    for f in sorted(directory.glob("*.toml")):
        try:
            profile = load_profile(f)
        except ProfileError as exc:
            errors.append(exc)
            continue
        for h in profile.hosts:
            if h in hosts:
                errors.append(ProfileError(str(f), [f"host {h!r} is also in {hosts[h]!r}"]))
            hosts[h] = profile.id
    return errors


def find_profile(target: str, profiles: dict[str, SiteProfile] | None = None) -> SiteProfile | None:
    """The profile named ``target``, or the one owning the URL ``target``; None otherwise.

    >>> find_profile("https://www.hoilhpn.org.vn/").id, find_profile("phunuvietnam").id
    ('hoilhpn', 'phunuvietnam')
    >>> find_profile("http://127.0.0.1:8000/") is None
    True
    """
    profiles = profiles if profiles is not None else load_profiles()
    if target in profiles:
        return profiles[target]
    if "://" not in target:
        return None
    for p in profiles.values():
        if p.hosts and p.owns(target):
            return p
    return None
