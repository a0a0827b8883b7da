"""``pipeline tag [PATH|-]... [--format jsonl|table] [--model PATH | --no-model]``."""

from __future__ import annotations

import json
import sys

import click

from pipeline.campaigns.model import DEFAULT_MODEL_PATH


@click.command("tag")
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    show_default=True,
    help="One JSON object per article, or a readable table.",
)
@click.option(
    "--model",
    "model_path",
    default=str(DEFAULT_MODEL_PATH),
    show_default=True,
    help="Campaign classifier (.skops); explicit matching only when it is missing.",
)
@click.option("--no-model", is_flag=True, help="Explicit matching only.")
def command(paths: tuple[str, ...], fmt: str, model_path: str, no_model: bool) -> None:
    """Print the campaigns and movements that articles report.

    PATH is anything `pipeline batch` reads (JSONL records, .txt, .html, .warc, folders);
    `-` or no PATH reads one .txt article from stdin. JSONL output, one line per article:
    {"article_id": ..., "campaigns": [{"id", "mode", "score", "evidence"}]}.
    """
    from pipeline.campaigns.model import load_model
    from pipeline.campaigns.tagger import CampaignTagger, article_tags
    from pipeline.io.readers import read_articles
    from pipeline.types import Failure

    model = None if no_model else load_model(model_path)
    if model is None:
        click.echo("campaign tagging: explicit matcher only", err=True)
    tagger = CampaignTagger(model=model)
    done = failed = 0
    for item in read_articles(paths or ("-",)):
        if isinstance(item, Failure):
            failed += 1
            click.echo(f"{item.source}: {item.error_type}: {item.message}", err=True)
            continue
        tags = article_tags(tagger.tag(item.id, item.text))
        done += 1
        if fmt == "jsonl":
            row = {
                "article_id": item.id,
                "campaigns": [
                    {"id": t.campaign_id, "mode": t.mode, "score": t.score, "evidence": t.evidence}
                    for t in tags
                ],
            }
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            title = (item.title or item.text[:60]).replace("\n", " ")
            click.echo(f"{item.id}  {title}")
            for t in tags:
                ev = f"  «{t.evidence}»" if t.evidence else ""
                click.echo(f"    {t.mode:<8} {t.score:>5.2f}  {t.campaign_id}{ev}")
            if not tags:
                click.echo("    (no campaign)")
    if done == 0 and failed:
        sys.exit(3)
    if failed:
        sys.exit(1)
