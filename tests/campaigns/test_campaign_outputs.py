"""What users see: the seed article's tags, the spaCy component, `pipeline tag`/`train`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.campaigns.tagger import CampaignTagger, article_tags
from pipeline.cli.main import cli
from pipeline.io.readers import read_articles
from pipeline.types import Article

SEED_CAMPAIGNS = {
    "phu_nu_tich_cuc_hoc_tap_lao_dong_sang_tao_xay_dung_gia_dinh_hanh_phuc",
    "hoc_tap_va_lam_theo_tu_tuong_dao_duc_phong_cach_ho_chi_minh",
    "ren_luyen_pham_chat_dao_duc_tu_tin_tu_trong_trung_hau_dam_dang",
}


def _seed(seed_path: Path) -> Article:
    (article,) = list(read_articles([seed_path]))
    assert isinstance(article, Article)
    return article


def test_seed_has_exactly_its_three_campaigns_explicit(seed_path: Path) -> None:
    article = _seed(seed_path)
    tags = CampaignTagger().tag(article.id, article.text)
    assert {t.campaign_id for t in tags} == SEED_CAMPAIGNS
    for t in tags:
        assert t.mode == "explicit" and t.score > 0.5
        assert t.evidence and article.text[t.start : t.end] == t.evidence
        assert t.paragraph is not None and t.paragraph >= 1  # in the body, not the title
    evidence = {t.campaign_id: t.evidence for t in article_tags(tags)}
    assert (
        "tự tin, tự trọng, trung hậu, đảm đang"
        in evidence["ren_luyen_pham_chat_dao_duc_tu_tin_tu_trong_trung_hau_dam_dang"]
    )


def test_component_in_the_spacy_pipeline(seed_path: Path) -> None:
    from pipeline.nlp.language import analyse, make_nlp

    nlp = make_nlp(stages=("campaigns",))
    article = _seed(seed_path)
    doc = analyse(nlp, article)
    tags = doc.user_data["campaign_tags"]
    assert sorted(t.campaign_id for t in tags) == sorted(SEED_CAMPAIGNS)  # one per campaign
    para_tags = doc.user_data["campaign_paragraph_tags"]
    assert {t.campaign_id for t in para_tags} == SEED_CAMPAIGNS
    assert {s.label_ for s in doc.spans["campaigns"]} == SEED_CAMPAIGNS
    for span, tag in zip(doc.spans["campaigns"], para_tags, strict=True):
        assert span.start_char <= tag.start and tag.end <= span.end_char  # whole tokens
    assert set(doc.cats) == SEED_CAMPAIGNS
    assert nlp.get_pipe("vn_campaigns").version.startswith("taxonomy-")


def test_tag_command_jsonl_and_table(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    rows = [
        {"id": "a1", "title": "Ra quân Mùa hè xanh", "text": "Đoàn viên sửa đường."},
        {"id": "a2", "title": "Giá vàng", "text": "Giá vàng tăng."},
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    res = CliRunner().invoke(cli, ["tag", str(src), "--no-model"])
    assert res.exit_code == 0, res.output
    out = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert out == [
        {
            "article_id": "a1",
            "campaigns": [
                {
                    "id": "thanh_nien_tinh_nguyen",
                    "mode": "explicit",
                    "score": 1.0,
                    "evidence": "Mùa hè xanh",
                }
            ],
        },
        {"article_id": "a2", "campaigns": []},
    ]
    res = CliRunner().invoke(cli, ["tag", str(src), "--no-model", "--format", "table"])
    assert res.exit_code == 0 and "thanh_nien_tinh_nguyen  «Mùa hè xanh»" in res.stdout
    assert "(no campaign)" in res.stdout


def test_tag_command_with_a_missing_model_still_tags(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Tiêu đề\n\nHưởng ứng Tháng Công nhân năm 2013.", encoding="utf-8")
    res = CliRunner().invoke(cli, ["tag", str(src), "--model", str(tmp_path / "no.skops")])
    assert res.exit_code == 0
    assert '"thang_cong_nhan"' in res.stdout
    assert "explicit matcher only" in res.stderr


def test_train_command_without_data_says_so(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli, ["train", "campaigns", "--shared", str(tmp_path), "--out", str(tmp_path / "m")]
    )
    assert res.exit_code == 3
    assert "no training data" in res.stderr
