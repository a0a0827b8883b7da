"""``pipeline checks [--db PATH] [--article ID] [--format table|jsonl]``: cross-claim checks.

Computes the checks from the claims in the database, replaces the ``checks`` table with
them, and prints them (those touching ``--article`` only, when given). docs/checks.md.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections import Counter
from pathlib import Path

import click

from pipeline.checks.model import KINDS, CheckRow
from pipeline.checks.numbers import VERDICTS


def _table(rows: list[CheckRow], lang: str) -> str:
    out = []
    for r in rows:
        head = f"[{r.verdict}] {r.kind}  {', '.join(r.article_ids)}"
        out.append(head)
        out.append(f"  stated:   {r.stated}")
        out.append(f"  computed: {r.computed}")
        text = r.explanation_vi if lang == "vi" else r.explanation_en
        out.extend(textwrap.wrap(text, 96, initial_indent="  ", subsequent_indent="  "))
        out.append("")
    counts = Counter((r.kind, r.verdict) for r in rows)
    out.append(
        f"{len(rows)} checks: " + ", ".join(f"{k} {v}: {n}" for (k, v), n in sorted(counts.items()))
    )
    return "\n".join(out)


@click.command("checks")
@click.option("--db", "db_path", default="outputs/pipeline.sqlite", show_default=True)
@click.option("--article", "article_id", default=None, help="Print only checks of this article.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
@click.option("--kind", type=click.Choice(sorted(KINDS)), default=None, help="Only this kind.")
@click.option("--verdict", type=click.Choice(VERDICTS), default=None, help="Only this verdict.")
@click.option("--lang", type=click.Choice(["en", "vi"]), default="en", show_default=True)
@click.option(
    "--no-compute", is_flag=True, help="Print the stored checks without computing them again."
)
def command(
    db_path: str,
    article_id: str | None,
    fmt: str,
    kind: str | None,
    verdict: str | None,
    lang: str,
    no_compute: bool,
) -> None:
    """Cross-claim checks: shares, parts, targets, and the same figure across articles."""
    from pipeline.store.sqlite import Store, StoreError

    if not Path(db_path).exists():
        raise click.UsageError(f"no database at {db_path}; build one with `pipeline batch`")
    try:
        store = Store(db_path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    from pipeline.checks.core import compute_checks
    from pipeline.checks.store import load_articles, load_checks, load_claims, write_checks

    conn = store.conn
    try:
        if not no_compute:
            claims = load_claims(conn)
            articles = load_articles(conn, {c.article_id for c in claims})
            rows = compute_checks(claims, articles)
            write_checks(conn, rows)
            click.echo(
                f"{len(rows)} checks from {len(claims)} claims stored in {db_path}", err=True
            )
        rows = load_checks(conn, article_id=article_id, kind=kind, verdict=verdict)
    finally:
        store.close()
    if fmt == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r.record(), ensure_ascii=False) + "\n")
    else:
        click.echo(_table(rows, lang))
