"""`pipeline scrape`: politeness guards and a real run against 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from tests.scrape.sitesim import Article, SimSite, SiteConfig

BODY = (
    "<html><head><meta charset='utf-8'><title>Tin Hội</title></head><body><article>"
    "<h1>Hội LHPN tổng kết năm 2024</h1>"
    + "".join(
        f"<p>Trong quý {q}, các cấp Hội đã vận động {q * 1100} hội viên tham gia mô hình "
        f"tiết kiệm, vượt {q + 10}% chỉ tiêu đề ra cho cả năm.</p>"
        for q in range(1, 5)
    )
    + "</article></body></html>"
).encode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["phunuvietnam", "--impolite", "--contact", "x@y.vn"], "only for benchmarks"),
        (["phunuvietnam", "--delay", "0.1", "--contact", "x@y.vn"], "at least 0.5"),
        (["phunuvietnam"], "--contact"),
        (["no-such-site"], "no site profile"),
        (["ftp://x.vn/"], "not an http"),
        (["http://127.0.0.1:9/", "--profile", "nope"], "no profile 'nope'"),
        (["http://127.0.0.1:9/", "--since", "2025-02-01", "--until", "2025-01-01"], "after"),
        (["http://127.0.0.1:9/", "--since", "01/02/2025"], "Invalid value"),
    ],
)
def test_usage_errors_never_start_a_crawl(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["scrape", *args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "o").exists()


def test_scrape_a_local_site_writes_articles_and_warc(tmp_path: Path) -> None:
    arts = [
        Article(
            f"/tin-hoi-so-{i}-2025010100000000{i}.htm",
            BODY.replace(b"2024", str(2000 + i).encode()),
            "2025-01-01",
        )
        for i in range(3)
    ]
    with SimSite(SiteConfig(arts, faults=False)) as site:
        out = tmp_path / "out"
        args = ["scrape", site.base + "/", "--profile", "phunuvietnam", "--out", str(out)]
        result = CliRunner().invoke(cli, [*args, "--delay", "0", "--quiet"])
        assert result.exit_code == 0, result.output
        records = [json.loads(x) for x in (out / "articles.jsonl").read_text().splitlines()]
        assert sorted(r["url"] for r in records) == sorted(site.base + p for p in site.articles)
        assert list((out / "warc").glob("*.warc.gz"))
        assert "3 articles written" in result.output
        ua = {h.get("User-Agent", "") for _, _, h in site.log}
        assert all(a.startswith("vn-news-pipeline/") for a in ua)
        # one article URL: just that page is fetched
        single = tmp_path / "single"
        one = site.base + next(iter(site.articles))
        result = CliRunner().invoke(
            cli,
            [
                "scrape",
                one,
                "--profile",
                "phunuvietnam",
                "--out",
                str(single),
                "--delay",
                "0",
                "--quiet",
            ],
        )
        assert result.exit_code == 0, result.output
        assert [
            json.loads(x)["url"] for x in (single / "articles.jsonl").read_text().splitlines()
        ] == [one]
        # another target in the same directory is refused
        clash = CliRunner().invoke(
            cli, ["scrape", site.base + "/", "--out", str(single), "--quiet"]
        )
        assert clash.exit_code == 2 and "holds the crawl of" in clash.output


def test_progress_bar_on_stderr_shows_rate_queue_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.scrape.crawl import CrawlOptions, crawl
    from pipeline.scrape.fetch import FetchPolicy

    arts = [Article(f"/tin-{i}-2025010100000000{i}.htm", BODY, "2025-01-01") for i in range(2)]
    with SimSite(SiteConfig(arts, faults=False)) as site:
        crawl(site.base + "/", CrawlOptions(out=tmp_path), FetchPolicy(delay=0), "phunuvietnam")
    err = capsys.readouterr().err
    assert "page/s" in err or "s/page" in err
    assert "queue=" in err and "errors=0" in err and "articles=" in err
