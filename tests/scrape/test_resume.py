"""kill -9 a crawl at several points and resume it: nothing lost, nothing written twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import AbstractContextManager
from pathlib import Path
from subprocess import PIPE, Popen

from pipeline.scrape.archive import iter_warc_pages
from tests.procs import interrupt, process_group
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
    deadline = time.monotonic() + 60
    with process_group(_cmd(base, out), env=_env(), cwd=REPO) as proc:
        if until is None:
            while not (out / "state.sqlite").exists() and time.monotonic() < deadline:
                time.sleep(0.005)
        else:
            while _lines(out) < until and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)


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


def _start(base: str, out: Path, *extra: str) -> AbstractContextManager[Popen[bytes]]:
    cmd = [*_cmd(base, out), *extra]
    return process_group(cmd, env=_env(), cwd=REPO, stdout=PIPE, stderr=PIPE)


def _assert_clean_stop(code: int, err: str) -> None:
    assert code == 130, (code, err[-2000:])
    assert "Traceback" not in err and "Exception in thread" not in err, err[-2000:]
    assert err.rstrip().splitlines()[-1] == "interrupted; resume with the same command", err


def test_ctrl_c_stops_cleanly_and_the_resumed_crawl_loses_and_repeats_nothing(
    real_corpus: Path, tmp_path: Path
) -> None:
    """Ctrl-C (SIGINT) mid-crawl: exit 130 with a one-line message, no worker traceback, the
    frontier and WARC flushed; a page waiting for its politeness delay is abandoned (not
    fetched after the signal) and fetched by the next run."""
    config = SiteConfig(load_articles(real_corpus), faults=False, article_delay=0.03)
    with SimSite(config) as site:
        reference = tmp_path / "reference"
        _finish(site.base, reference)
        expected = _articles(reference)

        out = tmp_path / "interrupted"
        # 1. during the politeness wait (2 s between requests): right after the third request
        before = len(site.log)
        deadline = time.monotonic() + 60
        with _start(site.base, out, "--delay", "2") as proc:
            while (
                len(site.log) < before + 3 and proc.poll() is None and time.monotonic() < deadline
            ):
                time.sleep(0.005)
            signalled = time.monotonic()
            code, err = interrupt(proc)
        _assert_clean_stop(code, err)
        late = [path for t, path, _ in site.log[before:] if t > signalled]
        assert late == [], f"requests started after Ctrl-C: {late}"
        # 2. on its first request, and after 1, 5 and 12 more articles
        for more in (0, 1, 5, 12):
            after, hits = _lines(out) + more, len(site.log)
            with _start(site.base, out) as proc:
                while (
                    (len(site.log) == hits or _lines(out) < after)
                    and proc.poll() is None
                    and time.monotonic() < deadline
                ):
                    time.sleep(0.002)
                assert proc.poll() is None, "the crawl ended before it could be interrupted"
                _assert_clean_stop(*interrupt(proc))
        assert 0 < _lines(out) < len(expected), "the interrupts should land mid-crawl"
        _finish(site.base, out)
        assert _articles(out) == expected
