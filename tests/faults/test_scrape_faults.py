"""Interrupted ``pipeline scrape`` runs against the simulated site (tests/scrape/sitesim.py):
a disk that fills up (RLIMIT_FSIZE), Ctrl-C and SIGTERM in the middle of a crawl. kill -9
at several points is tests/scrape/test_resume.py's. Each rerun ends with the articles of an
uninterrupted crawl, none lost and none written twice, and the result goes through
``pipeline batch``."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE

import pytest

from tests.procs import interrupt, process_group
from tests.scrape.sitesim import SimSite, SiteConfig, load_articles

REPO = Path(__file__).resolve().parents[2]
VOLATILE = {"fetched_at", "warc_file", "warc_record_id"}
_PIPELINE = [sys.executable, "-m", "pipeline"]


def _cmd(base: str, out: Path) -> list[str]:
    return [
        sys.executable, "-m", "pipeline", "scrape", base + "/", "--profile", "phunuvietnam",
        "--out", str(out), "--delay", "0", "--timeout", "2", "--backoff", "0.05", "--quiet",
    ]  # fmt: skip


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "PIPELINE_NO_PROGRESS": "1"}


def _articles(out: Path) -> dict[str, dict[str, object]]:
    raw = (out / "articles.jsonl").read_text(encoding="utf-8")
    assert raw.endswith("\n")
    records = [json.loads(line) for line in raw.splitlines()]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an article was written twice"
    return {r["id"]: {k: v for k, v in r.items() if k not in VOLATILE} for r in records}


def _lines(out: Path) -> int:
    path = out / "articles.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _disk_full() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG on write instead of a signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def _interrupt(base: str, out: Path, sig: int, after_lines: int) -> tuple[int, str]:
    cmd = _cmd(base, out)
    with process_group(cmd, env=_env(), cwd=REPO, stdout=PIPE, stderr=PIPE) as proc:
        deadline = time.monotonic() + 60
        while _lines(out) < after_lines and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        return interrupt(proc, sig)


@pytest.mark.slow
def test_disk_full_ctrl_c_and_sigterm_then_resume(real_corpus: Path, tmp_path: Path) -> None:
    config = SiteConfig(load_articles(real_corpus), faults=False, article_delay=0.03)
    with SimSite(config) as site:
        reference = tmp_path / "reference"
        done = subprocess.run(_cmd(site.base, reference), env=_env(), cwd=REPO, timeout=120)
        assert done.returncode == 0
        expected = _articles(reference)

        out = tmp_path / "faulty"
        full = subprocess.run(
            _cmd(site.base, out),
            env=_env(),
            cwd=REPO,
            capture_output=True,
            timeout=120,
            preexec_fn=_disk_full,
        )
        err = full.stderr.decode()
        assert full.returncode == 4 and "disk I/O error" in err, err[-2000:]
        # one line says what to do; no worker thread's traceback (there were two)
        assert "Traceback" not in err and "Exception in thread" not in err, err[-2000:]
        assert err.rstrip().endswith("fix it and run the same command to resume"), err
        assert _lines(out) < len(expected)

        # Ctrl-C stops the crawl cleanly (exit 130, one line); SIGTERM ends it at once
        code, err = _interrupt(site.base, out, signal.SIGINT, _lines(out) + 3)
        assert code == 130 and "Traceback" not in err, (code, err[-2000:])
        assert err.rstrip().endswith("interrupted; resume with the same command"), err
        code, err = _interrupt(site.base, out, signal.SIGTERM, _lines(out) + 3)
        assert code == -signal.SIGTERM, (code, err[-2000:])
        assert _lines(out) < len(expected), "the interrupts should land mid-crawl"

        done = subprocess.run(
            _cmd(site.base, out), env=_env(), cwd=REPO, capture_output=True, timeout=120
        )
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        assert _articles(out) == expected

    db = tmp_path / "scraped.sqlite"
    batch = subprocess.run(
        [*_PIPELINE, "batch", str(out / "articles.jsonl"), "--db", str(db), "--no-progress"],
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    assert batch.returncode == 0, batch.stderr.decode()[-2000:]
    n = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert n == len(expected)
