"""kill -9 a crawl at several points and resume it: nothing lost, nothing written twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipeline.scrape.archive import iter_warc_pages
from tests.scrape.sitesim import SimSite, SiteConfig, load_articles

REPO = Path(__file__).resolve().parents[2]
VOLATILE = {"fetched_at", "warc_file", "warc_record_id"}


def _cmd(base: str, out: Path) -> list[str]:
    return [
        sys.executable, "-m", "pipeline", "scrape", base + "/", "--profile", "phunuvietnam",
        "--out", str(out), "--delay", "0", "--timeout", "2", "--backoff", "0.05", "--quiet",
    ]  # fmt: skip


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "PIPELINE_NO_PROGRESS": "1"}


def _lines(out: Path) -> int:
    path = out / "articles.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _run_and_kill(base: str, out: Path, until: int | None) -> None:
    """Start a crawl; kill -9 it once articles.jsonl has ``until`` lines (None: on start)."""
    proc = subprocess.Popen(_cmd(base, out), env=_env(), cwd=REPO)
    deadline = time.monotonic() + 60
    try:
        if until is None:
            while not (out / "state.sqlite").exists() and time.monotonic() < deadline:
                time.sleep(0.005)
        else:
            while _lines(out) < until and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def _finish(base: str, out: Path) -> None:
    done = subprocess.run(_cmd(base, out), env=_env(), cwd=REPO, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]


def _articles(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    raw = (out / "articles.jsonl").read_text(encoding="utf-8")
    assert raw.endswith("\n")
    records = [json.loads(line) for line in raw.splitlines()]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an article was written twice"
    # every article cites a WARC record that is really on disk
    archived = set()
    for warc in (out / "warc").glob("*.warc.gz"):
        archived |= {p.warc_record_id for p in iter_warc_pages(warc)}
    assert all(r["warc_record_id"] in archived for r in records)
    return {r["id"]: {k: v for k, v in r.items() if k not in VOLATILE} for r in records}


def test_kill_9_at_several_points_then_resume_equals_an_uninterrupted_crawl(
    real_corpus: Path, tmp_path: Path
) -> None:
    config = SiteConfig(load_articles(real_corpus), faults=False, article_delay=0.03)
    with SimSite(config) as site:
        reference = tmp_path / "reference"
        _finish(site.base, reference)
        expected = _articles(reference)
        assert len(expected) == len(site.articles)

        resumed = tmp_path / "resumed"
        kills = [None, 1, 4, 12, 25]
        for point in kills:
            _run_and_kill(site.base, resumed, point)
        assert 0 < _lines(resumed) < len(expected), "the kills should land mid-crawl"
        _finish(site.base, resumed)
        got = _articles(resumed)
        assert set(got) == set(expected)
        diffs = [
            (i, k, expected[i][k], got[i].get(k))
            for i in expected
            for k in expected[i]
            if expected[i][k] != got[i].get(k)
        ]
        assert diffs == []
        # each run archives into its own new file, never appending to a torn one
        assert len(list((resumed / "warc").glob("*.warc.gz"))) >= len(kills)
