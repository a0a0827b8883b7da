"""``pipeline train campaigns [--out PATH]``: train the models the pipeline uses."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from pipeline.campaigns.model import DEFAULT_MODEL_PATH


@click.group("train")
def command() -> None:
    """Train models (the campaign classifier)."""


@command.command("campaigns")
@click.option("--out", default=str(DEFAULT_MODEL_PATH), show_default=True, help="Model file.")
@click.option(
    "--shared",
    default=None,
    help="The ../shared folder with corpora/real and gold [default: $PIPELINE_SHARED or "
    "../shared beside the repository].",
)
@click.option("--processes", default=2, show_default=True, help="Tokenizer processes.")
def campaigns(out: str, shared: str | None, processes: int) -> None:
    """Train the implicit campaign classifier by distant supervision and save it with
    skops, beside its model card (OUT with .md)."""
    from pipeline.campaigns.model import shared_dir
    from pipeline.campaigns.training import train_and_save

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = Path(shared) if shared else shared_dir()
    if not (root / "corpora" / "real" / "target.jsonl").exists():
        click.echo(
            f"no training data: {root}/corpora/real is absent; the tagger runs with the "
            "explicit matcher alone",
            err=True,
        )
        sys.exit(3)
    facts = train_and_save(root, out, processes=processes)
    click.echo(
        f"model {facts['model_id']}: {len(facts['modelled'])} campaigns modelled, "
        f"{len(facts['matcher_only'])} by the matcher alone; {facts['examples']} examples, "
        f"{facts['seconds']} s -> {out} (+ {Path(out).with_suffix('.md')})"
    )
