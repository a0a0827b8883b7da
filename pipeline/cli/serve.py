"""``pipeline serve [--db PATH] [--port N] [--host 127.0.0.1]``: Datasette, read-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click


@click.command("serve")
@click.option("--db", "db_path", default="outputs/pipeline.sqlite", show_default=True)
@click.option("--port", default=8001, type=click.IntRange(0, 65535), show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def command(db_path: str, port: int, host: str) -> None:
    """Serve the database in Datasette (immutable: never written): claim search at
    /-/search, claim pages, tables with descriptions and facets, named queries, CSV and
    JSON. Search ignores accents and đ/d."""
    path = Path(db_path)
    if not path.is_file():
        raise click.ClickException(f"no database at {db_path}; run `pipeline batch` first")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{db_path} is not a pipeline database: {exc}") from None
    if "claims_fts" not in tables:
        from pipeline.store.sqlite import Store, StoreError

        try:  # a database from before the search index: migrate it once
            Store(path).close()
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
    import uvicorn

    from pipeline.web.app import make_datasette

    ds = make_datasette(path)
    click.echo(f"serving {path} at http://{host}:{port}/-/search", err=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
