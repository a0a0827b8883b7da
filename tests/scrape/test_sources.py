"""Site profiles: validation, the CLI, and URL rules against the real URLs of ../shared/reference."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli.sources import command as sources_cmd
from pipeline.scrape.discover import canonicalize_url
from pipeline.sources.profile import (
    PROFILES_DIR,
    ProfileError,
    check_profiles,
    find_profile,
    load_profile,
    load_profiles,
)

REQUIRED = {
    "hoilhpn",
    "phunuvietnam",
    "doanthanhnien",
    "mattran",
    "laodong",
    "generic",
}
# cited pages that are not articles (a portlet page about past congresses, a category page)
NOT_ARTICLES = (
    re.compile(r"hoilhpn\.org\.vn/web/guest/hoi-lhpn-qua-cac-thoi-ky\?"),
    re.compile(r"hlhpn\.bacninh\.gov\.vn/trang-chu\?"),
)


def _reference_urls(reference_dir: Path) -> list[str]:
    """Every URL in the campaigns' source fields and in the README's source list."""
    urls: list[str] = []
    data = yaml.safe_load((reference_dir / "campaigns.yaml").read_text(encoding="utf-8"))
    for campaign in data["campaigns"]:
        urls.extend(s for s in campaign.get("source") or [] if s.startswith("http"))
    readme = (reference_dir / "README.md").read_text(encoding="utf-8")
    urls.extend(re.findall(r"^- (https?://\S+)$", readme, flags=re.M))
    return sorted(set(urls))


def test_all_bundled_profiles_are_valid_and_cover_the_outlets() -> None:
    assert check_profiles() == []
    profiles = load_profiles()
    assert set(profiles) >= REQUIRED
    assert sum(p.kind == "provincial" for p in profiles.values()) >= 3
    assert any(p.kind == "trade_union" for p in profiles.values())
    assert all(p.delay >= 0.5 for p in profiles.values())
    # no saved page confirms any listing pattern or selector yet: none may claim it
    assert not any(p.listing_verified or p.selectors_verified for p in profiles.values())


def test_every_cited_url_of_an_outlet_is_accepted_by_its_profile(reference_dir: Path) -> None:
    profiles = load_profiles()
    checked: dict[str, int] = {}
    for raw in _reference_urls(reference_dir):
        url = canonicalize_url(raw)
        assert url is not None, raw
        owner = next((p for p in profiles.values() if p.hosts and p.owns(url)), None)
        if owner is None:
            continue
        if any(rx.search(url) for rx in NOT_ARTICLES):
            assert not owner.is_article(url), f"{owner.id} takes a non-article page: {url}"
            continue
        assert owner.is_article(url), f"{owner.id} rejects a cited article URL: {url}"
        # both the raw (unicode / percent-encoded) and canonical forms must pass
        assert owner.is_article(raw), raw
        checked[owner.id] = checked.get(owner.id, 0) + 1
    assert checked.get("hoilhpn", 0) >= 4
    assert checked.get("phunuvietnam", 0) >= 1
    assert {"hlhpn_bacninh", "hlhpn_binhthuan", "hpn_baclieu"} <= set(checked)
    # every profile whose article rules claim "verified" is backed by a cited URL
    for p in profiles.values():
        if p.article_verified:
            assert p.id in checked, f"{p.id} says verified but no cited URL backs it"


@pytest.mark.parametrize("profile_id", sorted(p.stem for p in PROFILES_DIR.glob("*.toml")))
def test_home_and_listing_urls_are_not_articles(profile_id: str) -> None:
    p = load_profiles()[profile_id]
    base = f"https://{p.hosts[0]}" if p.hosts else "https://example.vn"
    for path in [
        "/",
        "/tin-tuc",
        "/tin-tuc/",
        "/thoi-su/trang-2.htm",
        "/tin-tuc?page=3",
        "/category/tin-hoi/",
        "/tag/phu-nu",
        "/rss/home.rss",
        "/images/anh-dai-dien-12345.jpg",
        *p.start_urls,
    ]:
        url = path if path.startswith("http") else base + path
        assert not p.is_article(url), f"{profile_id} takes {url} for an article"


def test_generic_profile_recognises_common_article_shapes() -> None:
    g = load_profiles()["generic"]
    for url in [
        "https://baophunuthudo.vn/hoat-dong-hoi/de-an-343pn-giup-phu-nu-nang-cao-vi-the-4133.html",
        "https://nhandan.vn/danh-bai-argentina-tay-ban-nha-vo-dich-world-cup-post976641.html",
        "http://127.0.0.1:8000/phu-nu-khoi-nghiep-20240101120000123.htm",
    ]:
        assert g.is_article(url), url
    for url in ["https://baophunuthudo.vn/hoi-va-cuoc-song/?page=92", "https://x.vn/xa-hoi"]:
        assert not g.is_article(url), url
        assert g.is_listing(url), url


def test_find_profile_by_id_and_by_url() -> None:
    assert find_profile("laodong").id == "laodong"
    assert find_profile("http://tamlongvang.laodong.com.vn/x-1234.bld").id == "laodong"
    assert find_profile("https://m.mattran.org.vn/").id == "mattran"
    assert find_profile("https://unknown.example/") is None
    assert find_profile("no-such-site") is None


def _copy_profiles(tmp_path: Path) -> Path:
    d = tmp_path / "profiles"
    shutil.copytree(PROFILES_DIR, d)
    return d


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda s: s.replace("delay = 2.0", "delay = 0.1"), "delay must be a number >= 0.5"),
        (lambda s: s.replace("concurrency = 1", "concurrency = 64"), "concurrency must be"),
        (lambda s: s.replace("allow = ['^/[a-z0-9]+(?:-+", "allow = ['^/[a-z0-9+(?:-+"), "regex"),
        (lambda s: s.replace('title = "h1"', 'title = "h1[["'), "not valid CSS"),
        (lambda s: s.replace("[politeness]", "[politeness]\ndelai = 3"), "unknown key 'delai'"),
        (lambda s: s.replace('id = "phunuvietnam"', 'id = "pnvn"'), "differs from file name"),
        (lambda s: s.replace("trang-{page}.htm", "trang-2.htm"), "no {page} placeholder"),
        (lambda s: s.replace('["https://phunuvietnam.vn/"]', '["ftp://x.vn/"]'), "not an http"),
        (lambda s: s + "\n[[broken", "cannot read TOML"),
    ],
)
def test_check_reports_invalid_profiles(tmp_path: Path, edit, problem: str) -> None:  # type: ignore[no-untyped-def]
    d = _copy_profiles(tmp_path)
    f = d / "phunuvietnam.toml"
    f.write_text(edit(f.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ProfileError, match=re.escape(problem)):
        load_profile(f)
    result = CliRunner().invoke(sources_cmd, ["check", "--dir", str(d)])
    assert result.exit_code == 1
    assert "INVALID" in result.output and problem in result.output


def test_sources_cli_list_and_check_ok() -> None:
    runner = CliRunner()
    listed = runner.invoke(sources_cmd, ["list"])
    assert listed.exit_code == 0, listed.output
    assert "hoilhpn" in listed.output and "unverified" in listed.output
    checked = runner.invoke(sources_cmd, ["check"])
    assert checked.exit_code == 0, checked.output
    n = len(list(PROFILES_DIR.glob("*.toml")))
    assert f"{n}/{n} profiles valid" in checked.output
