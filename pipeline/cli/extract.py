"""``pipeline extract [PATH|-]... [--format jsonl|table|html]``: print numeric claims."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

import click

from pipeline.io.article import DEFAULT_MAX_CHARS
from pipeline.types import Article, Claim, Failure

TABLE_COLUMNS = (
    ("value", 14),
    ("measure", 8),
    ("status", 8),
    ("qualifier", 9),
    ("unit", 12),
    ("subject", 40),
    ("period", 18),
    ("organisation", 24),
)


def _fmt_value(c: Claim) -> str:
    def n(x: float) -> str:
        return f"{int(x):,}".replace(",", ".") if float(x).is_integer() else f"{x:g}"

    out = n(c.value)
    if c.value_max is not None:
        out += f"–{n(c.value_max)}"
    if c.denominator is not None:
        out += f"/{n(c.denominator)}"
    return out


def _cell(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table_lines(article: Article, claims: Iterable[Claim]) -> list[str]:
    """A readable fixed-width table of one article's claims."""
    lines = [f"# {article.id}  {_cell(article.title, 80)}"]
    lines.append("  ".join(name.ljust(w) for name, w in TABLE_COLUMNS))
    for c in claims:
        row = {
            "value": _fmt_value(c),
            "measure": c.measure,
            "status": c.status,
            "qualifier": c.qualifier,
            "unit": c.unit,
            "subject": c.subject,
            "period": c.period,
            "organisation": c.organisation,
        }
        lines.append("  ".join(_cell(row[name], w).ljust(w) for name, w in TABLE_COLUMNS))
    return lines


@click.command("extract")
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table", "html"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON object per claim; table: readable; html: highlighted by displaCy.",
)
@click.option("--max-chars", type=int, default=DEFAULT_MAX_CHARS, show_default=True)
def command(paths: tuple[str, ...], fmt: str, max_chars: int) -> None:
    """Print the numeric claims of articles (JSONL records, .txt, .html, .warc, directories,
    or - for one article on stdin). Exit code 1 when some inputs failed, 3 when none could
    be read."""
    from pipeline.claims.finder import find_claims
    from pipeline.claims.records import claim_record
    from pipeline.io.readers import read_articles
    from pipeline.nlp.sentences import split_sentences

    nlp = None
    html_parts: list[str] = []
    ok = failed = 0
    out = sys.stdout
    for item in read_articles(paths or ("-",), max_chars=max_chars):
        if isinstance(item, Failure):
            failed += 1
            click.echo(f"{item.source}: {item.error_type}: {item.message}", err=True)
            continue
        ok += 1
        if fmt == "html":
            from spacy import displacy

            from pipeline.nlp.language import analyse, make_nlp

            nlp = nlp or make_nlp(stages=("claims",))
            doc = analyse(nlp, item)
            html_parts.append(
                displacy.render(doc, style="span", options={"spans_key": "claims"}, page=False)
            )
            continue
        claims = find_claims(item, split_sentences(item.id, item.text))
        if fmt == "jsonl":
            for c in claims:
                out.write(json.dumps(claim_record(c), ensure_ascii=False) + "\n")
        else:
            out.write("\n".join(table_lines(item, claims)) + "\n\n")
    if fmt == "html":
        out.write(
            "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
            "<title>Numeric claims</title></head><body>"
            + "\n<hr>\n".join(html_parts)
            + "</body></html>\n"
        )
    out.flush()
    if ok == 0 and failed:
        sys.exit(3)
    if failed:
        sys.exit(1)
