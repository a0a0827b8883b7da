"""``pipeline run-main``: the main job of ``make run`` on the bundled corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("run-main")
@click.option("--corpus", default="corpora", show_default=True)
@click.option("--out", "out_dir", default="outputs", show_default=True)
def command(corpus: str, out_dir: str) -> None:
    """Train the campaign model if there is none (needs ../shared), process the bundled
    corpus into OUT/pipeline.sqlite and export its tables as CSV and Parquet."""
    from pipeline.batch import run_batch
    from pipeline.store.export import export

    out = Path(out_dir)
    model_path = out / "models" / "campaigns.skops"
    model: str | None = None
    try:
        from pipeline.campaigns.model import ensure_model

        found = ensure_model(model_path)
        model = str(found) if found else None
    except ImportError:
        click.echo("campaign classifier not installed: explicit matching only", err=True)
    db = out / "pipeline.sqlite"
    summary = run_batch([corpus], db, workers=1, campaign_model=model, progress=False)
    s = summary.as_dict()
    click.echo(
        f"{s['articles_processed']} processed, {s['articles_skipped']} unchanged, "
        f"{s['claims']} claims, {s['tags']} tags, {s['failures']} failures -> {db}"
    )
    for path in export(db, out):
        click.echo(f"wrote {path}")
    if summary.failures:
        sys.exit(1)
