"""The analysts' flat claims table: one row per claim with article, place and campaigns."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.store.export import export

sys.path.insert(0, str(Path(__file__).parent))
from seeddb import build_db


def test_claims_flat_columns(tmp_path: Path) -> None:
    db = build_db(tmp_path / "p.sqlite")
    written = export(db, tmp_path / "out", tables=("claims_flat",))
    table = pq.read_table(tmp_path / "out" / "claims_flat.parquet").to_pylist()
    with (tmp_path / "out" / "claims_flat.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(written) == 2 and len(rows) == len(table) == 22
    by_id = {r["claim_id"]: r for r in table}
    thai_binh = next(r for r in table if r["article_id"] == "synth-thaibinh")
    assert thai_binh["province_name"] == "Thái Bình"
    assert thai_binh["province_new_name"] == "Hưng Yên"  # merged on 2025-07-01
    assert thai_binh["campaigns"] == "giam_ngheo" == thai_binh["campaigns_explicit"]
    seed = by_id["2d17c963106f10c8:21-41"]
    assert seed["article_warc_file"] == "seed.warc.gz" and seed["article_warc_record_id"]
    assert seed["organisation"] == "Hội LHPN tỉnh Lạng Sơn" and seed["value"] == 3400.0
    assert seed["sentence_id"] == "2d17c963106f10c8:0-65"
    assert set(rows[0]) == set(table[0])
