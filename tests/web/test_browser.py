"""End to end in headless Chromium: `pipeline serve` on 127.0.0.1, search `ket nap dang`,
see the seed's claims highlighted, open a claim, download CSV."""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "query"))
from seeddb import SEED_CLAIMS, build_db

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
]
pytestmark = pytest.mark.browser


def _need_browser() -> None:
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} is not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright python package is not installed"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {missing}")
        pytest.skip(missing)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def server(tmp_path: Path):
    _need_browser()
    db = build_db(tmp_path / "pipeline.sqlite")
    port = _free_port()
    exe = shutil.which("pipeline", path=str(Path(sys.executable).parent)) or "pipeline"
    proc = subprocess.Popen(
        [exe, "serve", "--db", str(db), "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/-/search", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("pipeline serve exited: " + proc.stdout.read().decode())
                time.sleep(0.1)
        else:
            pytest.fail("pipeline serve did not answer within 15 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_search_open_claim_download_csv(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # launch() gives the browser a fresh temporary user-data dir of its own
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(accept_downloads=True)
            page.goto(server + "/-/search")
            page.fill("input[name=q]", "ket nap dang")
            page.click("input[type=submit]")
            page.wait_for_selector("tr.claim-row")
            rows = page.locator("tr.claim-row")
            assert rows.count() == len(SEED_CLAIMS)
            first = rows.nth(0)
            assert first.locator("td.sentence mark").first.inner_text() == "kết nạp Đảng"
            assert "Lạng Sơn: Giới thiệu hơn 3.400" in first.inner_text()

            first.locator("a.claim-link").click()
            page.wait_for_selector("mark.claim")
            assert page.locator("mark.claim").inner_text() == "hơn 3.400 quần chúng"
            assert page.locator("a.source-link").get_attribute("href", timeout=2000) == (
                "https://phunuvietnam.vn/lang-son-ket-nap-dang"
            )
            assert "seed.warc.gz" in page.locator("p.archive").inner_text()

            page.go_back()
            page.wait_for_selector("a.download-csv")
            with page.expect_download() as info:
                page.click("a.download-csv")
            path = info.value.path()
            with open(path, encoding="utf-8", newline="") as fh:
                got = list(csv.DictReader(fh))
            assert len(got) == len(SEED_CLAIMS)
            assert got[0]["claim_text"] == "hơn 3.400 quần chúng"
            assert {r["article_url"] for r in got} == {
                "https://phunuvietnam.vn/lang-son-ket-nap-dang"
            }
        finally:
            browser.close()
