"""The spaCy component and the extract command, on the seed article."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.claims.component import ClaimsComponent
from pipeline.cli.extract import command
from pipeline.nlp.language import analyse, make_nlp
from pipeline.types import Claim

SEED_ID = "2d17c963106f10c8"


def _seed_line(gold_dir: Path) -> str:
    for line in (gold_dir / "articles.jsonl").open(encoding="utf-8"):
        if json.loads(line)["id"] == SEED_ID:
            return line
    raise AssertionError("seed record missing")


def test_component_writes_claims_and_spans(gold_dir: Path, tmp_path: Path) -> None:
    from pipeline.io.readers import record_to_article

    article = record_to_article(json.loads(_seed_line(gold_dir)), "seed")
    nlp = make_nlp(stages=("claims",))
    doc = analyse(nlp, article)
    claims = doc.user_data["claims"]
    assert len(claims) == 16 and all(isinstance(c, Claim) for c in claims)
    spans = doc.spans["claims"]
    assert len(spans) == 16
    for span, claim in zip(spans, claims, strict=True):
        assert span.label_ == claim.measure
        assert span.start_char <= claim.start and claim.end <= span.end_char
    assert isinstance(ClaimsComponent(nlp).version, str)


def test_component_without_an_article() -> None:
    nlp = make_nlp(stages=())
    component = ClaimsComponent(nlp)
    doc = component(nlp.make_doc("Năm 2023, xã có hơn 500 hội viên và 8 chi hội."))
    assert [(c.value, c.measure) for c in doc.user_data["claims"]] == [(500, "count"), (8, "count")]
    assert [s.text for s in doc.spans["claims"]] == ["hơn 500 hội viên", "8 chi hội"]


def test_extract_jsonl_table_and_html(gold_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "seed.jsonl"
    path.write_text(_seed_line(gold_dir), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(command, [str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 16
    fields = {
        "article_id",
        "sentence",
        "text",
        "start",
        "end",
        "value",
        "value_max",
        "denominator",
        "measure",
        "status",
        "qualifier",
        "unit",
        "subject",
        "period",
        "organisation",
        "location",
        "speaker",
        "id",
        "organisation_id",
        "province_id",
        "province_new_id",
    }
    assert fields <= set(rows[0])
    table = runner.invoke(command, [str(path), "--format", "table"])
    assert table.exit_code == 0 and "3.400" in table.output and "more_than" in table.output
    html = runner.invoke(command, [str(path), "--format", "html"])
    assert html.exit_code == 0 and "<html" in html.output and "hội viên" in html.output
    missing = runner.invoke(command, [str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 3
