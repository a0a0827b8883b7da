"""What to crawl: a site profile (by id or by the URL's host) and the article id rule."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from pipeline.scrape.discover import canonicalize_url
from pipeline.sources.profile import SiteProfile, find_profile, load_profiles


def article_id(url: str) -> str:
    """First 16 hex digits of the sha1 of the URL (the corpus's id).

    >>> article_id("https://phunuvietnam.vn/a-20210702181505007.htm")
    '78639103faf47bd2'
    """
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def resolve_target(target: str, profile_id: str | None = None) -> tuple[SiteProfile, str | None]:
    """The profile for a site id or URL, and the URL itself when one was given.

    With ``profile_id`` the named profile's rules are applied to the URL's host (a mirror, a
    staging copy, a local test server): its hosts and start addresses move to that host.
    A URL no profile owns gets the generic profile bound to its host.
    """
    profiles = load_profiles()
    url = canonicalize_url(target) if "://" in target else None
    if "://" in target and url is None:
        raise ValueError(f"not an http(s) URL: {target!r}")
    if profile_id is not None:
        if profile_id not in profiles:
            raise ValueError(f"no profile {profile_id!r}; see `pipeline sources list`")
        base = profiles[profile_id]
        return (_rebase(base, url) if url else base), url
    if url is None:
        found = find_profile(target, profiles)
        if found is None:
            raise ValueError(
                f"no site profile {target!r}; give a URL or see `pipeline sources list`"
            )
        return found, None
    found = find_profile(url, profiles)
    return (found or _rebase(profiles["generic"], url)), url


def _rebase(profile: SiteProfile, url: str) -> SiteProfile:
    parts = urlsplit(url)

    def move(u: str) -> str:
        p = urlsplit(u)
        return urlunsplit((parts.scheme, parts.netloc, p.path, p.query, ""))

    return replace(
        profile,
        hosts=(parts.hostname or "",),
        start_urls=(url,),
        sitemaps=tuple(move(u) for u in profile.sitemaps),
        feeds=tuple(move(u) for u in profile.feeds),
        pagination=tuple(move(u) for u in profile.pagination),
    )
