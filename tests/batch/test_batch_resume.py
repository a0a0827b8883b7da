"""Idempotence and crash recovery of `pipeline batch` on ~200 real articles."""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path
from subprocess import DEVNULL, PIPE

import pytest

from tests.batch.conftest import table_content
from tests.procs import kill_group, process_group

REPO = Path(__file__).resolve().parents[2]


def _cmd(inputs: list[Path], db: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "pipeline", "batch", *map(str, inputs), "--db", str(db),
        "--no-progress", *extra,
    ]  # fmt: skip


def _run(inputs: list[Path], db: Path, *extra: str) -> tuple[int, str]:
    with process_group(_cmd(inputs, db, *extra), cwd=REPO, stdout=PIPE, stderr=PIPE) as proc:
        out, err = proc.communicate(timeout=600)
    return proc.returncode, out.decode() + err.decode()


def _articles(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=1)
        n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        conn.close()
        return int(n)
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def reference_db(subset_200: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ref") / "ref.sqlite"
    code, out = _run([subset_200], db, "--workers", "2")
    assert code == 0, out
    return db


@pytest.mark.slow
def test_second_run_changes_no_content(reference_db: Path, subset_200: Path) -> None:
    before = table_content(reference_db)
    assert len(before["articles"]) == 200
    code, out = _run([subset_200], reference_db, "--workers", "1", "--json")
    assert code == 0, out
    assert '"articles_skipped": 200' in out and '"articles_processed": 0' in out
    assert table_content(reference_db) == before
    runs = sqlite3.connect(reference_db).execute("SELECT count(*) FROM runs").fetchone()[0]
    assert runs == 2


@pytest.mark.slow
def test_kill_9_then_resume_gives_the_uninterrupted_content(
    reference_db: Path, subset_200: Path, tmp_path: Path
) -> None:
    db = tmp_path / "killed.sqlite"
    kills = finished = 0
    for threshold in (20, 90, 160):  # kill after these many articles are committed
        # its own process group, so that kill -9 takes the workers down with the batch
        cmd = _cmd([subset_200], db, "--workers", "2")
        with process_group(cmd, cwd=REPO, stdout=DEVNULL, stderr=DEVNULL) as proc:
            deadline = time.monotonic() + 300
            while proc.poll() is None and _articles(db) < threshold and time.monotonic() < deadline:
                time.sleep(0.05)
            if kill_group(proc):
                kills += 1
            else:  # it finished the rest between two looks at the database
                finished += 1
    assert kills >= 2, "the batch finished before it could be killed"
    code, out = _run([subset_200], db, "--workers", "2")
    assert code == 0, out
    assert table_content(db) == table_content(reference_db)
    runs = list(sqlite3.connect(db).execute("SELECT status, articles_seen FROM runs"))
    statuses = [status for status, _ in runs]
    # killed runs never got to finish (one killed before it started has no row at all)
    assert statuses.count("running") <= kills and len(statuses) <= kills + finished + 1
    assert statuses.count("finished") >= finished + 1 and statuses[-1] == "finished"
    # a run is marked finished only once it has read the whole input (a kill can still land
    # after that mark, before the process exits)
    assert all(seen == 200 for status, seen in runs if status == "finished"), runs
