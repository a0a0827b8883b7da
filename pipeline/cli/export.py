"""``pipeline export [--format csv|parquet] [--out DIR] [--db PATH]``."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("export")
@click.option("--db", "db_path", default="outputs/pipeline.sqlite", show_default=True)
@click.option("--out", "out_dir", default="outputs", show_default=True, help="Folder to write to.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["csv", "parquet"]),
    help="Repeatable [default: both].",
)
def command(db_path: str, out_dir: str, formats: tuple[str, ...]) -> None:
    """Write each table (articles, sentences, claims, campaign_tags, failures, runs) and the
    flat claims table as CSV and/or Parquet. Columns: docs/schema.md."""
    from pipeline.store.export import export

    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}; run `pipeline batch` first")
    for path in export(db_path, out_dir, formats or ("csv", "parquet")):
        click.echo(str(path))
