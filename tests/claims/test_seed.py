"""The seed article gives exactly the 16 claims of claims.md's worked example."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pipeline.claims.finder import find_claims
from pipeline.io.readers import record_to_article
from pipeline.nlp.sentences import split_sentences

SEED_ID = "2d17c963106f10c8"


def _key(d: dict) -> tuple:
    return (
        float(d["value"]),
        None if d.get("value_max") is None else float(d["value_max"]),
        None if d.get("denominator") is None else float(d["denominator"]),
        d["measure"],
        d["status"],
        d["qualifier"],
    )


def _seed(gold_dir: Path) -> tuple[dict, list[dict]]:
    record = next(
        json.loads(line)
        for line in (gold_dir / "articles.jsonl").open(encoding="utf-8")
        if json.loads(line)["id"] == SEED_ID
    )
    gold = [
        json.loads(line)
        for line in (gold_dir / "claims.jsonl").open(encoding="utf-8")
        if json.loads(line)["article_id"] == SEED_ID
    ]
    return record, gold


def test_seed_gives_exactly_the_worked_example(gold_dir: Path) -> None:
    record, gold = _seed(gold_dir)
    assert len(gold) == 16
    article = record_to_article(record, "seed")
    claims = find_claims(article, split_sentences(article.id, article.text))
    got = Counter(
        _key(
            {
                "value": c.value,
                "value_max": c.value_max,
                "denominator": c.denominator,
                "measure": c.measure,
                "status": c.status,
                "qualifier": c.qualifier,
            }
        )
        for c in claims
    )
    assert got == Counter(_key(g) for g in gold)


def test_seed_claims_point_into_the_text(gold_dir: Path) -> None:
    record, _ = _seed(gold_dir)
    article = record_to_article(record, "seed")
    claims = find_claims(article, split_sentences(article.id, article.text))
    for c in claims:
        assert article.raw_text[c.start : c.end] == c.text
        assert article.raw_text[c.sentence_start : c.sentence_end] == c.sentence
        assert c.sentence_start <= c.start < c.end <= c.sentence_end
    by_text = {" ".join(c.text.split()): c for c in claims}
    assert by_text["hơn 43%"].unit == "%"
    assert by_text["748/1.711 chi hội trưởng"].subject.startswith(
        "chi hội trưởng phụ nữ là đảng viên"
    )
    quoted = [c for c in claims if c.speaker]
    assert {c.speaker for c in quoted} == {"bà Hoàng Thị Phương"}
    assert len(quoted) == 7
    assert all(c.organisation == "Hội LHPN xã Bằng Mạc" for c in quoted)
    assert by_text["5.015 quần chúng"].organisation == "Hội LHPN tỉnh Lạng Sơn"
    assert by_text["5.015 quần chúng"].province_id == "lang_son"
    assert by_text["8 – 10 quần chúng"].period == "nhiệm kỳ 2016 – 2021"
