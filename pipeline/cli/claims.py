"""``pipeline claims QUERY [filters] [--format table|csv|jsonl] [--db PATH] [--limit N]``."""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from pipeline.query.search import (
    MEASURES,
    STATUSES,
    Filters,
    SearchError,
    highlight_spans,
    search,
    split_marked,
)

COLUMNS = [
    "claim_id", "value", "value_max", "denominator", "unit", "measure", "status", "qualifier",
    "subject", "period", "year", "organisation", "location", "province_id", "province_new_id",
    "sentence", "sentence_highlighted", "article_title", "article_published", "article_url",
    "warc_file", "warc_record_id", "article_id", "claim_text", "score",
]  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\x9b]")


def _clean(text: Any) -> str:
    """Text for a terminal: control characters (escape sequences) become spaces.

    >>> _clean("a\\x1b[31mb\\tc")
    'a [31mb c'
    """
    return _CONTROL.sub(" ", "" if text is None else str(text))


def _number(v: Any) -> str:
    """A value as people read it.

    >>> _number(3400.0), _number(1.5), _number(None)
    ('3400', '1.5', '')
    """
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _value(row: dict[str, Any]) -> str:
    text = _number(row["value"])
    if row.get("value_max") is not None:
        text += f"–{_number(row['value_max'])}"
    if row.get("denominator") is not None:
        text += f"/{_number(row['denominator'])}"
    return text


def _emph(text: str, color: bool) -> str:
    pieces = split_marked(_clean(text))
    if color:
        return "".join(f"\x1b[1;33m{p}\x1b[0m" if hit else p for p, hit in pieces)
    return "".join(f"⟦{p}⟧" if hit else p for p, hit in pieces)


def _table(rows: list[dict[str, Any]], color: bool) -> None:
    for i, r in enumerate(rows, 1):
        head = f"{i}. {_value(r)} {_clean(r['unit'] or '')}".rstrip()
        tags = ", ".join(_clean(r[k]) for k in ("qualifier", "measure", "status") if r[k])
        click.echo(f"{head}  ({tags})  {_clean(r['claim_id'])}")
        for label, key in (
            ("subject", "subject"),
            ("period", "period"),
            ("organisation", "organisation"),
            ("location", "location"),
        ):
            if r.get(key):
                click.echo(f"   {label}: {_clean(r[key])}")
        click.echo(f"   « {_emph(r['sentence_highlighted'] or '', color)} »")
        date = r["article_published"] or (f"year {r['year']}" if r["year"] else "undated")
        click.echo(f"   {_clean(r['article_title'] or '(no title)')} — {_clean(date)}")
        if r["article_url"]:
            click.echo(f"   {_clean(r['article_url'])}")
        if r["warc_file"]:
            click.echo(f"   archived: {_clean(r['warc_file'])} {_clean(r['warc_record_id'] or '')}")


def _jsonl(rows: list[dict[str, Any]], query: str) -> None:
    for r in rows:
        out = {k: r.get(k) for k in COLUMNS if k != "sentence_highlighted"}
        out["highlights"] = [list(s) for s in highlight_spans(r["sentence"], query)]
        click.echo(json.dumps(out, ensure_ascii=False))


def _csv(rows: list[dict[str, Any]]) -> None:
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([r.get(k) for k in COLUMNS])


def _connect(db_path: str) -> sqlite3.Connection:
    path = Path(db_path)
    if not path.is_file():
        raise click.ClickException(f"no database at {db_path}; run `pipeline batch` first")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{db_path} is not a pipeline database: {exc}") from exc
    if "claims" not in tables:
        raise click.ClickException(f"{db_path} is not a pipeline database (no claims table)")
    if "claims_fts" not in tables:  # built before the search index: migrate it once
        conn.close()
        from pipeline.store.sqlite import Store, StoreError

        try:
            Store(path).close()
        except StoreError as exc:
            raise click.ClickException(
                f"{exc}; the search index needs a writable database"
            ) from None
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return conn


@click.command("claims")
@click.argument("query", nargs=-1)
@click.option("--province", default="", help="Old or new province name or id (Lạng Sơn, lang_son).")
@click.option("--organisation", default="", help="Organisation id, or words of its name.")
@click.option("--campaign", default="", help="Campaign id (campaign_tags.campaign_id).")
@click.option("--measure", default="", type=click.Choice(["", *MEASURES]), show_choices=True)
@click.option("--status", default="", type=click.Choice(["", *STATUSES]), show_choices=True)
@click.option("--min", "min_", default="", help="Smallest value (3400, 3.400 or 1,1 allowed).")
@click.option("--max", "max_", default="", help="Largest value.")
@click.option("--since", default="", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", default="", help="Up to this date (inclusive).")
@click.option(
    "--format",
    "fmt",
    default="table",
    type=click.Choice(["table", "csv", "jsonl"]),
    show_default=True,
)
@click.option("--db", "db_path", default="outputs/pipeline.sqlite", show_default=True)
@click.option("--limit", default=20, type=click.IntRange(1, 100000), show_default=True)
def command(
    query: tuple[str, ...],
    province: str,
    organisation: str,
    campaign: str,
    measure: str,
    status: str,
    min_: str,
    max_: str,
    since: str,
    until: str,
    fmt: str,
    db_path: str,
    limit: int,
) -> None:
    """Search numeric claims. A claim matches when every word of QUERY occurs in its sentence
    or its article's title, ignoring accents, đ/d and case (`ket nap dang` finds `kết nạp
    Đảng`); best matches first. With no QUERY, lists the claims the filters select. Quotes
    and search operators are treated as plain words."""
    text = " ".join(query)
    filters = Filters(province, organisation, campaign, measure, status, min_, max_, since, until)
    conn = _connect(db_path)
    try:
        rows = search(conn, text, filters, limit)
    except SearchError as exc:
        raise click.UsageError(str(exc)) from None
    except sqlite3.Error as exc:
        raise click.ClickException(f"database error on {db_path}: {exc}") from None
    finally:
        conn.close()
    if not rows:
        click.echo("no claims match", err=True)
    if fmt == "jsonl":
        _jsonl(rows, text)
    elif fmt == "csv":
        _csv(rows)
    else:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        _table(rows, color)
