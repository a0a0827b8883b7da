"""The Datasette app of `pipeline serve`, in process: metadata, canned queries, folded
search, pages, hostile input."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from pipeline.query.search import load_queries
from pipeline.store.schema import EXPORT_TABLES
from pipeline.web.app import descriptions, make_datasette, metadata

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "query"))
from seeddb import SEED_CLAIMS, build_db

TITLE_CLAIM_TEXT = "hơn 3.400 quần chúng"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("web") / "pipeline.sqlite")


@pytest.fixture(scope="module")
def ds(db: Path) -> Any:
    d = make_datasette(db)
    asyncio.run(d.invoke_startup())
    return d


def get(ds: Any, path: str) -> Any:
    async def go() -> Any:
        return await ds.client.get(path, follow_redirects=True)

    return asyncio.run(go())


def test_every_column_described(db: Path) -> None:
    conn = sqlite3.connect(db)
    described = descriptions()
    for table in (*EXPORT_TABLES, "claims_view", "schema_migrations"):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        assert cols, table
        missing = set(cols) - set(described[table]["columns"])
        assert not missing, f"{table}: no description for {sorted(missing)}"
    assert set(metadata("pipeline")["databases"]["pipeline"]["queries"]) == set(load_queries())


def test_metadata_served(ds: Any) -> None:
    page = get(ds, "/pipeline/claims")
    assert page.status_code == 200
    assert "The number, fully expanded" in page.text  # column description
    assert "province_new_id" in page.text and "facet" in page.text


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_canned_query_runs_in_datasette(ds: Any, name: str) -> None:
    params = {p: "" for p in load_queries()[name].parameters}
    params.update({"q": "ket nap dang"} if "q" in params else {})
    if "id" in params:
        params["id"] = "2d17c963106f10c8:21-41"
    res = get(ds, f"/pipeline/{name}.json?_shape=array&" + urlencode(params))
    assert res.status_code == 200, res.text
    if name != "failures_by_stage":
        assert res.json(), name


def test_table_search_folds_the_query(ds: Any) -> None:
    for q in ("ket nap dang", "KẾT NẠP ĐẢNG", "kết nạp đảng"):
        rows = get(ds, "/pipeline/claims.json?_shape=array&_search=" + quote(q)).json()
        assert len(rows) == len(SEED_CLAIMS), q
    sents = get(ds, "/pipeline/sentences.json?_shape=array&_search=dang+vien").json()
    assert any("đảng viên" in s["text"] for s in sents)
    # raw mode is switched off: the query is still folded and escaped
    raw = get(ds, "/pipeline/claims.json?_shape=array&_searchmode=raw&_search=ket+OR+%22")
    assert raw.status_code == 200


def test_facets(ds: Any) -> None:
    res = get(ds, "/pipeline/claims_view.json?_facet_array=campaigns&_facet=province_new_id")
    facets = res.json()["facet_results"]
    campaigns = {v["value"] for v in facets["campaigns"]["results"]}
    assert {"phat_trien_dang_vien", "hien_mau", "giam_ngheo"} <= campaigns
    assert {v["value"] for v in facets["province_new_id"]["results"]} >= {"lang_son", "hung_yen"}


def test_search_page_and_csv(ds: Any) -> None:
    page = get(ds, "/-/search?q=ket+nap+dang")
    assert page.status_code == 200
    assert page.text.count('class="claim-row"') == len(SEED_CLAIMS)
    assert "<mark>kết nạp Đảng</mark>" in page.text
    href = re.search(r'class="download-csv" href="([^"]+)"', page.text).group(1)
    res = get(ds, href.replace("&amp;", "&"))
    assert res.status_code == 200 and "attachment" in res.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(res.text)))
    assert len(rows) == len(SEED_CLAIMS) and rows[0]["claim_text"] == TITLE_CLAIM_TEXT


def test_search_page_filters(ds: Any) -> None:
    page = get(ds, "/-/search?" + urlencode({"province": "Hưng Yên", "status": "target"}))
    assert page.text.count('class="claim-row"') == 1 and "3000" in page.text
    page = get(ds, "/-/search?since=2021-13")
    assert "--since must be" in page.text


def test_claim_page(ds: Any) -> None:
    page = get(ds, "/-/claim/" + quote("2d17c963106f10c8:21-41", safe=""))
    assert page.status_code == 200
    assert '<mark class="claim">hơn 3.400 quần chúng</mark>' in page.text
    assert 'href="https://phunuvietnam.vn/lang-son-ket-nap-dang"' in page.text
    assert "seed.warc.gz" in page.text
    # a claim in the body: its sentence is highlighted inside its paragraph
    page = get(ds, "/-/search?q=748%2F1.711")
    links = re.findall(r'class="claim-link" href="([^"]+)">748/1711<', page.text)
    assert len(links) == 1
    claim = get(ds, links[0].replace("&amp;", "&")).text
    evidence = re.search(r'<p class="evidence">(.*?)</p>', claim, re.S).group(1)
    assert evidence.startswith("Chủ động tạo nguồn")  # the paragraph's first sentence
    assert '<mark class="claim">748/1.711 chi hội trưởng</mark>' in evidence
    assert get(ds, "/-/claim/nope").status_code == 404


HOSTILE = [
    '"',
    "ket AND nap OR NOT",
    "NEAR(ket dang)",
    "* ^ : ( ) -",
    "'; DROP TABLE claims; --",
    "<script>alert(1)</script>",
    "sentence_folded:ket",
    '" OR 1=1 --',
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_web(ds: Any, db: Path, query: str) -> None:
    qs = quote(query)
    for path in (
        f"/-/search?q={qs}",
        f"/-/search?province={qs}&organisation={qs}&min={qs}&since={qs}",
        f"/pipeline/claims?_search={qs}",
        f"/pipeline/claims?_search={qs}&_searchmode=raw",
        f"/pipeline/sentences?_search={qs}",
        f"/pipeline/search_claims?q={qs}&province={qs}&min={qs}",
        f"/-/claim/{quote(query, safe='')}",
    ):
        res = get(ds, path)
        assert res.status_code in (200, 404), (path, res.status_code, res.text[:300])
        assert "<script>alert" not in res.text, path
        assert "Traceback" not in res.text
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 22


def test_hostile_data_is_escaped(ds: Any) -> None:
    page = get(ds, "/-/search?q=quyen+gop")
    assert "&lt;b&gt;quận&lt;/b&gt;" in page.text and "<b>quận</b>" not in page.text
    assert 'href="javascript:' not in page.text
    claim = get(ds, "/-/search?q=quyen+gop")
    href = re.search(r'class="claim-link" href="([^"]+)"', claim.text).group(1)
    page = get(ds, href.replace("&amp;", "&"))
    assert "<script>alert" not in page.text and 'href="javascript:' not in page.text
