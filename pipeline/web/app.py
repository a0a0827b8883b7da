"""The Datasette application of ``pipeline serve``: metadata, canned queries, plugin.

The metadata is built from data files: table and column descriptions from
``descriptions.yaml`` (docs/schema.md's words), canned queries from
``pipeline/query/queries.yaml`` (the same SQL as ``pipeline claims``). The database is
opened immutable (read-only, never written).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.query.search import load_queries

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
FACETS = ["measure", "status", "province_id", "province_new_id", "organisation", "year"]


@cache
def descriptions() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((HERE / "descriptions.yaml").read_text("utf-8"))
    return data


def db_name(db_path: str | Path) -> str:
    """Datasette's name for a database file: its stem.

    >>> db_name("outputs/pipeline.sqlite")
    'pipeline'
    """
    return Path(db_path).stem


def metadata(name: str) -> dict[str, Any]:
    """Datasette metadata for the database called ``name``.

    >>> m = metadata("pipeline")["databases"]["pipeline"]
    >>> m["tables"]["claims"]["fts_table"], "search_claims" in m["queries"]
    ('claims_fts', True)
    """
    tables: dict[str, Any] = {}
    for table, spec in descriptions().items():
        tables[table] = {"description": spec["description"], "columns": dict(spec["columns"])}
    tables["claims"].update(
        {"fts_table": "claims_fts", "fts_pk": "rowid", "facets": FACETS, "label_column": "text"}
    )
    tables["claims_view"].update({"facets": [*FACETS, {"array": "campaigns"}]})
    tables["sentences"].update({"fts_table": "sentences_fts", "fts_pk": "rowid"})
    tables["articles"].update(
        {"fts_table": "articles_fts", "fts_pk": "rowid", "label_column": "title"}
    )
    tables["campaign_tags"].update({"facets": ["campaign_id", "mode"]})
    tables["failures"].update({"facets": ["stage", "error_type"]})
    queries = {
        q.name: {"sql": q.sql, "title": q.title, "description": q.description}
        for q in load_queries().values()
    }
    return {
        "title": "vn-news-pipeline: numeric claims",
        "description_html": (
            '<a href="/-/search">Search claims</a> (accents optional: <em>ket nap dang</em> '
            "finds <em>kết nạp Đảng</em>), browse the tables below, or run a named query."
        ),
        "source": "vn-news-pipeline",
        "source_url": "https://github.com/",
        "databases": {name: {"tables": tables, "queries": queries}},
    }


def make_datasette(db_path: str | Path, **settings: Any) -> Any:
    """A Datasette serving ``db_path`` read-only (immutable) with our plugin."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from pipeline.web import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="pipeline-web")
    return Datasette(
        immutables=[str(db_path)],
        metadata=metadata(db_name(db_path)),
        template_dir=str(TEMPLATES),
        settings={"sql_time_limit_ms": 3000, "facet_time_limit_ms": 500, **settings},
    )
