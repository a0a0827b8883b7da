"""Faults around ``pipeline batch``: kill -9 at random moments, a locked, read-only or full
database. Each ends with a clear message, and a rerun ends with exactly the rows of an
uninterrupted run (content tables compared without run ids and timestamps)."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import DEVNULL, PIPE, STDOUT

import pytest

from tests.batch.conftest import table_content
from tests.procs import interrupt, kill_group, process_group

REPO = Path(__file__).resolve().parents[2]
INJECT = Path(__file__).resolve().parent / "inject"
N_ARTICLES = 40
KILLS = 20
SEED = 20260909
# `pipeline batch` exit codes (pipeline/cli/batch.py, README, docs/robustness.md)
EXIT_DATABASE = 4
EXIT_INTERRUPTED = 130


@pytest.fixture(scope="module")
def corpus(real_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 short real articles (under 3,000 characters) in ``corpus.jsonl``, and
    ``half.sqlite``: the database of a run made when the file held only its first 20 (so
    the stored sources are the same as a full run's)."""
    out = tmp_path_factory.mktemp("faults")
    lines = []
    with (real_corpus / "target.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if len(json.loads(line)["text"]) < 3000:
                lines.append(line)
            if len(lines) == N_ARTICLES:
                break
    path = out / "corpus.jsonl"
    path.write_text("".join(lines[: N_ARTICLES // 2]), encoding="utf-8")
    code, log = _run(path, out / "half.sqlite", "--workers", "1")
    assert code == 0, log
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _cmd(inputs: Path, db: Path, *extra: str) -> list[str]:
    pipeline = [sys.executable, "-m", "pipeline"]
    return [*pipeline, "batch", str(inputs), "--db", str(db), "--no-progress", *extra]


def _run(
    inputs: Path,
    db: Path,
    *extra: str,
    env: dict[str, str] | None = None,
    preexec: Callable[[], None] | None = None,
) -> tuple[int, str]:
    proc = subprocess.run(
        _cmd(inputs, db, *extra),
        cwd=REPO,
        capture_output=True,
        timeout=600,
        env=env,
        preexec_fn=preexec,
    )
    return proc.returncode, proc.stdout.decode() + proc.stderr.decode()


def _inject(**faults: str) -> dict[str, str]:
    env = dict(os.environ, **faults)
    env["PYTHONPATH"] = os.pathsep.join([str(INJECT), env.get("PYTHONPATH", "")])
    return env


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """An uninterrupted run over the 40 articles, and how long its work took (from the
    moment its ``runs`` row appears to its exit: start-up excluded)."""
    db = tmp_path_factory.mktemp("ref") / "ref.sqlite"
    cmd = _cmd(corpus, db, "--workers", "2")
    with process_group(cmd, cwd=REPO, stdout=PIPE, stderr=STDOUT) as proc:
        while _count(db, "runs") == 0 and proc.poll() is None:
            time.sleep(0.01)
        started = time.monotonic()
        out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out.decode()
    return db, time.monotonic() - started


@pytest.fixture(scope="module")
def half_db(corpus: Path) -> Path:
    """The database holding the first 20 articles (the state a fault must not damage)."""
    return corpus.parent / "half.sqlite"


def _copy_db(src: Path, dst: Path) -> Path:
    conn = sqlite3.connect(src)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(src, dst)
    return dst


def _count(db: Path, table: str) -> int:
    """Rows in a table; 0 when the database or the table does not exist yet."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        conn.close()


def _statuses(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    out = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY started_at, rowid")]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    return out


@pytest.mark.slow
def test_kill_9_at_20_random_moments(
    corpus: Path, reference: tuple[Path, float], tmp_path: Path
) -> None:
    """20 kills (of the process group: the workers too), each of a run resuming the last
    one's database, with one worker or two, committing every 4 articles (instead of 64: a
    small corpus is then written in several transactions). About a third land in the start-up (imports,
    models, migrations: between 0.2 and 2.5 s); the others a random time after the run has
    begun, within the time the reference run's work took for the articles still to do: in
    the middle of the work, in a commit, or between the last commit and the end of the run.
    A run that finishes before its moment is no kill; the next round then starts from an
    empty database, until 20 kills have been made."""
    ref_db, work_seconds = reference
    db = tmp_path / "killed.sqlite"
    rng = random.Random(SEED)
    kills = attempts = 0
    while kills < KILLS:
        attempts += 1
        assert attempts <= 3 * KILLS, f"only {kills} of {attempts} runs could be killed"
        left = N_ARTICLES - _count(db, "articles")
        if left == 0:  # finished before it was killed: a new round, from an empty database
            for f in tmp_path.glob("killed.sqlite*"):
                f.unlink()
            left = N_ARTICLES
        runs = _count(db, "runs")
        with process_group(  # its workers die with it, so that none is left writing
            _cmd(corpus, db, "--workers", str(1 + attempts % 2)),
            cwd=REPO,
            stdout=DEVNULL,
            stderr=DEVNULL,
            env=_inject(PIPELINE_FAULT_COMMIT_EVERY="4"),  # ten commits, not one
        ) as proc:
            try:
                if rng.random() < 1 / 3:
                    moment = rng.uniform(0.2, 2.5)
                else:
                    while _count(db, "runs") == runs and proc.poll() is None:
                        time.sleep(0.01)
                    moment = rng.uniform(0, work_seconds * left / N_ARTICLES)
                proc.wait(timeout=moment)
            except subprocess.TimeoutExpired:
                kills += kill_group(proc)
    code, out = _run(corpus, db, "--workers", "2")
    assert code == 0, out
    assert table_content(db) == table_content(ref_db)
    statuses = _statuses(db)
    assert statuses[-1] == "finished"
    assert set(statuses) <= {"running", "finished"}


@pytest.mark.slow
def test_locked_database(
    corpus: Path, reference: tuple[Path, float], half_db: Path, tmp_path: Path
) -> None:
    db = _copy_db(half_db, tmp_path / "locked.sqlite")
    before = table_content(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    # held for longer than the store waits: a clear message and nothing written
    code, out = _run(corpus, db, "--workers", "1", env=_inject(PIPELINE_FAULT_DB_TIMEOUT="1"))
    assert code == EXIT_DATABASE and "is locked by another process" in out, (code, out)
    assert "Traceback" not in out
    holder.execute("ROLLBACK")
    assert table_content(db) == before
    # the lock taken in the middle of a run: the write fails with the same message
    with process_group(
        _cmd(corpus, db, "--workers", "1"),
        cwd=REPO,
        stdout=PIPE,
        stderr=PIPE,
        env=_inject(PIPELINE_FAULT_DB_TIMEOUT="1"),
    ) as proc:
        running = "SELECT count(*) FROM runs WHERE status = 'running'"
        while holder.execute(running).fetchone()[0] == 0:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        holder.execute("BEGIN EXCLUSIVE")
        _, err = proc.communicate(timeout=300)
        holder.execute("ROLLBACK")
    assert proc.returncode == EXIT_DATABASE and b"is locked by another process" in err, err
    assert b"Traceback" not in err
    # a lock released within the (default, 30 s) wait: the run waits and completes
    holder.execute("BEGIN EXCLUSIVE")
    with process_group(
        _cmd(corpus, db, "--workers", "2"), cwd=REPO, stdout=PIPE, stderr=PIPE
    ) as proc:
        time.sleep(3)
        holder.execute("ROLLBACK")
        holder.close()
        _, err_b = proc.communicate(timeout=300)
    assert proc.returncode == 0, err_b
    assert table_content(db) == table_content(reference[0])


@pytest.mark.slow
def test_read_only_database_and_unusable_paths(
    corpus: Path, reference: tuple[Path, float], half_db: Path, tmp_path: Path
) -> None:
    db = _copy_db(half_db, tmp_path / "ro.sqlite")
    before = table_content(db)
    code, out = _run(corpus, db, "--workers", "1", env=_inject(PIPELINE_FAULT_SQLITE_READONLY="1"))
    assert code == EXIT_DATABASE and "is read-only" in out and "choose a writable --db" in out
    assert "Traceback" not in out
    assert table_content(db) == before
    # a folder that cannot be made (a file is in the way), and a directory as the database
    (tmp_path / "file").write_text("x")
    (tmp_path / "dir.sqlite").mkdir()
    for bad in (tmp_path / "file" / "sub" / "x.sqlite", tmp_path / "dir.sqlite"):
        code, out = _run(corpus, bad, "--workers", "1")
        assert code == EXIT_DATABASE and f"cannot open database {bad}" in out, out
        assert "Traceback" not in out
    code, out = _run(corpus, db, "--workers", "2")
    assert code == 0, out
    assert table_content(db) == table_content(reference[0])


def _file_size_limit(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        # writes past `limit` bytes fail with EFBIG (instead of killing with SIGXFSZ): a
        # disk that fills up half-way through the run
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


@pytest.mark.slow
def test_disk_full_then_rerun_with_space(
    corpus: Path, reference: tuple[Path, float], half_db: Path, tmp_path: Path
) -> None:
    db = _copy_db(half_db, tmp_path / "full.sqlite")
    before = table_content(db)
    # every file (the database, its WAL) may grow to this: room for a few commits of 4
    # articles (each rewrites its index pages into the WAL), not for 20 articles. With one
    # commit at the end (the default for so few), the WAL held it all and only the
    # checkpoint failed: every article was stored, depending on timing and row sizes.
    limit = db.stat().st_size + 64 * 1024
    code, out = _run(
        corpus,
        db,
        "--workers",
        "2",
        env=_inject(PIPELINE_FAULT_COMMIT_EVERY="4"),
        preexec=_file_size_limit(limit),
    )
    assert code == EXIT_DATABASE and "free space and run again to resume" in out, out
    assert "Traceback" not in out
    after = table_content(db)
    assert set(before["articles"]) <= set(after["articles"])  # nothing lost
    assert len(after["articles"]) < N_ARTICLES
    code, out = _run(corpus, db, "--workers", "2", "--json")
    assert code == 0, out
    assert table_content(db) == table_content(reference[0])
    _statuses(db)


@pytest.mark.slow
def test_ctrl_c_exits_130_and_the_rerun_completes(
    corpus: Path, reference: tuple[Path, float], tmp_path: Path
) -> None:
    """SIGINT mid-run: exit 130 with a one-line message, the run marked interrupted, the
    committed articles kept; the same command again gives an uninterrupted run's rows."""
    db = tmp_path / "ctrl-c.sqlite"
    with process_group(
        _cmd(corpus, db, "--workers", "1"),
        cwd=REPO,
        stdout=PIPE,
        stderr=PIPE,
        env=_inject(PIPELINE_FAULT_COMMIT_EVERY="4"),  # a commit every 4 articles
    ) as proc:
        # wait for the first commit: the run is under way, 36 articles still to do
        while not db.exists() or _count(db, "articles") == 0:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        committed = table_content(db)["articles"]
        code, err = interrupt(proc, timeout=300)
    assert code == EXIT_INTERRUPTED, (code, err[-2000:])
    assert "Traceback" not in err and "Aborted" not in err, err[-2000:]
    assert "resume with the same command" in err.strip().splitlines()[-1], err
    stored = table_content(db)["articles"]
    assert set(committed) <= set(stored) and len(stored) < N_ARTICLES
    assert _statuses(db) == ["interrupted"]
    code, out = _run(corpus, db, "--workers", "2")
    assert code == 0, out
    assert table_content(db) == table_content(reference[0])
