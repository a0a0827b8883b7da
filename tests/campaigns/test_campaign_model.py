"""Training and prediction of the implicit classifier on small synthetic fixtures, and
the clear failure modes of a model that cannot be loaded."""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path

import numpy as np
import pytest

from pipeline.campaigns.compiled import CompiledModel
from pipeline.campaigns.component import CampaignsComponent
from pipeline.campaigns.model import (
    CampaignModel,
    ensure_model,
    load_model,
    load_sklearn_model,
    prepare,
    save_model,
)
from pipeline.campaigns.tagger import CampaignTagger
from pipeline.campaigns.training import build_dataset, fit, prepare_example

VOLUNTEER = [
    "Sinh viên tình nguyện về xã vùng cao sửa đường bê tông, dạy học cho trẻ em",
    "Các đội hình tình nguyện ra quân làm đường giao thông nông thôn, xây cầu dân sinh",
    "Đoàn viên tình nguyện dọn vệ sinh, tặng sách vở cho học sinh nghèo",
    "Hàng trăm chiến sĩ tình nguyện khám bệnh, phát thuốc miễn phí cho bà con vùng sâu",
]
OTHER = [
    "Giá vàng trong nước tăng mạnh phiên sáng nay theo giá thế giới",
    "Đội tuyển bóng đá thắng đậm trong trận giao hữu tối qua tại sân Mỹ Đình",
    "Ngân hàng Nhà nước điều chỉnh lãi suất điều hành từ đầu tháng",
    "Công ty công nghệ ra mắt điện thoại mới với camera độ phân giải cao",
]


def _corpus(n: int, seed: int = 1) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    target, background = [], []
    for i in range(n):
        body = ". ".join(rng.sample(VOLUNTEER, 3))
        target.append({"id": f"t{i}", "title": None, "text": f"Chiến dịch Mùa hè xanh: {body}."})
        other = ". ".join(rng.sample(OTHER, 3))
        background.append({"id": f"b{i}", "title": None, "text": f"{other} (số {i})."})
    return target, background


@pytest.fixture(scope="module")
def small_model() -> CampaignModel:
    target, background = _corpus(14)
    ds = build_dataset(target, background, gold=[target[0]], background_sample=14)
    assert ds.excluded_gold == 1  # left out by id
    assert all("Mùa hè xanh" not in e.masked_text for e in ds.examples)  # names are masked
    prepared = [prepare_example(e) for e in ds.examples]
    assert all("mùa" not in p and "xanh" not in p for p in prepared)  # … and left out
    return fit(prepared, [e.labels for e in ds.examples], min_positives=5, threshold=0.5)


def test_gold_articles_are_left_out_by_text_too() -> None:
    target, background = _corpus(3)
    copy = dict(target[1], id="another-id")  # the same article under another id
    ds = build_dataset(target, background, gold=[copy])
    assert "t1" not in {e.id for e in ds.examples}


def test_only_campaigns_with_enough_positives_get_models(small_model: CampaignModel) -> None:
    assert small_model.campaign_ids == ["thanh_nien_tinh_nguyen"]
    target, background = _corpus(14)
    ds = build_dataset(target, background)
    prepared = [prepare_example(e) for e in ds.examples]
    many = fit(prepared, [e.labels for e in ds.examples], min_positives=100)
    assert many.campaign_ids == []


def test_implicit_tag_from_context_and_none_for_other_news(small_model: CampaignModel) -> None:
    tagger = CampaignTagger(model=small_model)
    text = "Tiêu đề\n\n" + ". ".join(VOLUNTEER[:3]) + "."
    tags = tagger.tag("x", text)
    assert [(t.campaign_id, t.mode, t.evidence) for t in tags] == [
        ("thanh_nien_tinh_nguyen", "implicit", None)
    ]
    assert 0.5 <= tags[0].score <= 1.0
    assert tagger.tag("y", "Tiêu đề\n\n" + ". ".join(OTHER) + ".") == []


def test_no_implicit_tag_where_the_campaign_is_named(small_model: CampaignModel) -> None:
    text = "Tiêu đề\n\nChiến dịch Mùa hè xanh. " + ". ".join(VOLUNTEER) + "."
    tags = CampaignTagger(model=small_model).tag("x", text)
    assert [(t.campaign_id, t.mode) for t in tags] == [("thanh_nien_tinh_nguyen", "explicit")]


def _close(a: list[dict[str, float]], b: list[dict[str, float]]) -> bool:
    return all(x.keys() == y.keys() for x, y in zip(a, b, strict=True)) and np.allclose(
        [[x[k] for k in sorted(x)] for x in a], [[y[k] for k in sorted(y)] for y in b]
    )


def test_save_load_round_trip_gives_the_same_scores(
    small_model: CampaignModel, tmp_path: Path
) -> None:
    path = save_model(small_model, tmp_path / "m.skops")
    assert path.with_suffix(".npz").exists() and path.with_suffix(".json").exists()
    loaded = load_model(path)
    assert isinstance(loaded, CompiledModel) and loaded.model_id == small_model.model_id
    texts = [prepare(VOLUNTEER[0]), prepare(OTHER[0])]
    assert _close(loaded.scores_prepared(texts), small_model.scores_prepared(texts))
    assert load_sklearn_model(path).scores_prepared(texts) == small_model.scores_prepared(texts)
    assert b"pickle" not in path.read_bytes()[:4]  # a skops zip, not a pickle stream
    assert path.read_bytes()[:2] == b"PK"


def test_a_stale_or_missing_compiled_form_is_rebuilt(
    small_model: CampaignModel, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = save_model(small_model, tmp_path / "m.skops")
    header = path.with_suffix(".json")
    meta = json.loads(header.read_text())
    header.write_text(json.dumps(dict(meta, source_sha1="0" * 40)))  # from another skops
    with caplog.at_level(logging.INFO):
        loaded = load_model(path)
    assert loaded is not None and "compiling the campaign model" in caplog.text
    assert json.loads(header.read_text())["source_sha1"] == meta["source_sha1"]  # rewritten
    path.with_suffix(".npz").unlink()
    again = load_model(path)
    assert again is not None and path.with_suffix(".npz").exists()
    texts = [prepare(VOLUNTEER[1])]
    assert _close(again.scores_prepared(texts), small_model.scores_prepared(texts))


def test_missing_model_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert load_model(tmp_path / "none.skops") is None
    assert "explicit matching only" in caplog.text


def test_corrupt_model_says_so_and_explicit_matching_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad = tmp_path / "bad.skops"
    bad.write_bytes(b"this is not a model")
    with caplog.at_level(logging.ERROR):
        comp = CampaignsComponent(None, model_path=str(bad))
    assert "cannot load the campaign model" in caplog.text
    assert comp.tagger.model is None and comp.version.endswith("+explicit-only")
    tags = comp.tagger.tag("x", "Hưởng ứng Tháng Công nhân năm 2013")
    assert [t.campaign_id for t in tags] == ["thang_cong_nhan"]


def test_model_from_another_version_says_so(
    small_model: CampaignModel, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import skops.io as sio

    data = small_model.to_dict()
    data["sklearn"] = "0.1.0"
    path = tmp_path / "old.skops"
    sio.dump(data, path)
    with caplog.at_level(logging.ERROR):
        assert load_model(path) is None
    assert "saved with scikit-learn 0.1.0" in caplog.text


def test_ensure_model_without_shared_returns_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PIPELINE_SHARED", str(tmp_path / "absent"))
    with caplog.at_level(logging.WARNING):
        assert ensure_model(tmp_path / "m.skops") is None
    assert "explicit matcher only" in caplog.text


def test_ensure_model_keeps_a_loadable_model(small_model: CampaignModel, tmp_path: Path) -> None:
    path = save_model(small_model, tmp_path / "m.skops")
    assert ensure_model(path) == path


def test_a_new_model_changes_the_component_version(
    small_model: CampaignModel, tmp_path: Path
) -> None:
    path = save_model(small_model, tmp_path / "m.skops")
    with_model = CampaignsComponent(None, model_path=str(path))
    without = CampaignsComponent(None)
    assert with_model.version != without.version
    assert small_model.model_id in with_model.version
