"""``pipeline batch PATH... [--db PATH] [--workers N] [--executor dask [--scheduler ADDR]]``."""

from __future__ import annotations

import errno
import json
import sqlite3
import sys
from typing import NoReturn

import click

from pipeline.io.article import DEFAULT_MAX_CHARS

DEFAULT_DB = "outputs/pipeline.sqlite"

# Exit codes (README's batch section and docs/robustness.md list them too).
EXIT_OK = 0  # every input processed (or unchanged)
EXIT_INPUTS_FAILED = 1  # the run finished; some inputs failed, each has a row in `failures`
EXIT_USAGE = 2  # bad command line (click)
EXIT_NOTHING = 3  # no input could be read at all (every one failed)
EXIT_DATABASE = 4  # the database or output could not be written: locked, read-only, disk full
EXIT_INTERRUPTED = 130  # Ctrl-C; committed articles are kept, rerun to resume

# OSError numbers that mean the output cannot be written (rather than a bad input)
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EFBIG}


@click.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite database.")
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="Worker processes [default: the CPU count].",
)
@click.option(
    "--stage",
    "stages",
    multiple=True,
    type=click.Choice(["claims", "campaigns"]),
    help="Stages to run (repeatable) [default: all installed].",
)
@click.option(
    "--campaign-model",
    default=None,
    help="Campaign classifier (.skops) [default: outputs/models/campaigns.skops if present].",
)
@click.option(
    "--max-chars",
    type=int,
    default=DEFAULT_MAX_CHARS,
    show_default=True,
    help="Articles longer than this are recorded as `too_large` failures.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where the stages run: local processes, or a Dask cluster (docs/scaling.md).",
)
@click.option(
    "--scheduler",
    default=None,
    help="Dask scheduler address (tcp://HOST:PORT) [default: start a LocalCluster of "
    "--workers processes].",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Articles per Dask task [default: 32].",
)
@click.option("--force", is_flag=True, help="Reprocess articles even when unchanged.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def command(
    paths: tuple[str, ...],
    db_path: str,
    workers: int | None,
    stages: tuple[str, ...],
    campaign_model: str | None,
    max_chars: int,
    executor: str,
    scheduler: str | None,
    chunk_size: int | None,
    force: bool,
    as_json: bool,
    no_progress: bool,
) -> None:
    """Process articles (JSONL records, .txt, .html, .warc[.gz], directories) into SQLite.

    Unchanged articles are skipped; a killed or interrupted run resumes where it stopped.

    \b
    Exit codes:
      0    every input was processed (or was unchanged)
      1    the run finished, but some inputs failed: see the failures table
      2    usage error
      3    nothing could be processed (every input failed)
      4    database or output error: locked, read-only, disk full (nothing is lost;
           fix it and run the same command again to resume)
      130  interrupted (Ctrl-C); run the same command again to resume
    """
    from pipeline.batch import run_batch
    from pipeline.store.sqlite import StoreError

    model = campaign_model or _default_model()
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    try:
        summary = run_batch(
            paths,
            db_path,
            workers=workers,
            stages=stages or ("claims", "campaigns"),
            campaign_model=model,
            max_chars=max_chars,
            force=force,
            progress=not no_progress,
            executor=executor,
            scheduler=scheduler,
            chunk_size=chunk_size,
        )
    except StoreError as exc:
        _fail(str(exc))
    except sqlite3.Error as exc:  # what the store does not explain itself
        _fail(f"database error on {db_path}: {exc}")
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            raise
        _fail(f"cannot write the output ({exc}); fix it and run again to resume")
    except KeyboardInterrupt:
        click.echo(
            f"interrupted; the articles committed to {db_path} are kept: resume with the "
            "same command",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    data = summary.as_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(
            f"run {data['run_id']}: {data['articles_processed']} articles processed, "
            f"{data['articles_skipped']} unchanged, {data['sentences']} sentences, "
            f"{data['claims']} claims, {data['tags']} campaign tags, "
            f"{data['failures']} failures in {data['seconds']} s -> {db_path}"
        )
        if summary.failures:
            click.echo(
                f"see failures: sqlite3 {db_path} 'select source, stage, error_type, "
                "message from failures'",
                err=True,
            )
    if summary.articles_processed == 0 and summary.articles_skipped == 0:
        sys.exit(EXIT_NOTHING)
    if summary.failures:
        sys.exit(EXIT_INPUTS_FAILED)


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_DATABASE)


def _default_model() -> str | None:
    from pathlib import Path

    path = Path("outputs/models/campaigns.skops")
    return str(path) if path.exists() else None
