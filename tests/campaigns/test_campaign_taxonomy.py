"""The taxonomy data: ids, aliases that find their own campaign, longest name wins."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from pipeline.campaigns.matcher import Matcher
from pipeline.campaigns.taxonomy import load_taxonomy
from pipeline.campaigns.tokens import forms

REPO = Path(__file__).resolve().parents[2]
TAX = load_taxonomy()
MATCHER = Matcher(TAX)
ALL_FORMS = {c.id: {forms(p) for p in c.aliases + c.key_phrases} for c in TAX}
KINDS = {"phong_trao", "cuoc_van_dong", "de_an", "chuong_trinh", "mo_hinh"}


def test_ids_unique_and_well_formed() -> None:
    ids = TAX.ids
    assert len(ids) == len(set(ids)) == 69
    assert all(i.isascii() and i == i.lower() and " " not in i for i in ids)
    assert {c.kind for c in TAX} <= KINDS
    assert all(c.parent is None or c.parent in ids for c in TAX)


def test_ids_are_the_reference_ids(reference_dir: Path) -> None:
    ref = yaml.safe_load((reference_dir / "campaigns.yaml").read_text(encoding="utf-8"))
    assert [c["id"] for c in ref["campaigns"]] == list(TAX.ids)


def test_file_is_what_the_build_script_makes(reference_dir: Path) -> None:
    spec = importlib.util.spec_from_file_location("bt", REPO / "scripts" / "build_taxonomy.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    ref = yaml.safe_load((reference_dir / "campaigns.yaml").read_text(encoding="utf-8"))
    built = mod.build(ref)
    on_disk = yaml.safe_load((REPO / "pipeline" / "campaigns" / "taxonomy.yaml").read_text())
    assert built["campaigns"] == on_disk["campaigns"], "run scripts/build_taxonomy.py"


@pytest.mark.parametrize("campaign", TAX.campaigns, ids=lambda c: c.id)
def test_every_alias_and_key_phrase_finds_its_campaign(campaign) -> None:
    for phrase in campaign.aliases + campaign.key_phrases:
        text = f"Các cấp Hội triển khai “{phrase}” trong năm."
        found = {m.campaign_id for m in MATCHER.find(text)}
        # a phrase listed under two campaigns goes to the one that has it as a name
        owners = {c.id for c in TAX if forms(phrase) in ALL_FORMS[c.id]}
        assert found and found <= owners and (campaign.id in found or len(owners) > 1), (
            phrase,
            found,
        )


def _contains(hay: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    return any(hay[i : i + len(needle)] == needle for i in range(len(hay) - len(needle) + 1))


def test_cues_alone_are_not_mentions() -> None:
    """A descriptive cue names nothing, unless it contains a name of its campaign."""
    cues = [(c.id, cue) for c in TAX for cue in c.cues]
    assert len(cues) > 30
    for cid, cue in cues:
        if any(_contains(forms(cue), f) for f in ALL_FORMS[cid]):
            continue
        found = {m.campaign_id for m in MATCHER.find(f"Năm nay, {cue}.")}
        assert cid not in found, (cid, cue)


def test_longest_name_wins_for_every_nested_pair() -> None:
    """Where one campaign's name contains another's, the longer name tags only its own."""
    names = [(c.id, a) for c in TAX for a in c.aliases]
    pairs = 0
    for outer_id, outer in names:
        fo = forms(outer)
        for inner_id, inner in names:
            fi = forms(inner)
            if inner_id == outer_id or len(fi) >= len(fo):
                continue
            if any(fo[i : i + len(fi)] == fi for i in range(len(fo) - len(fi) + 1)):
                pairs += 1
                found = {m.campaign_id for m in MATCHER.find(f"Thực hiện “{outer}” tốt.")}
                assert found == {outer_id}, (outer, inner, found)
    assert pairs >= 10  # the taxonomy does nest names (NTM, đời sống văn hóa, 5 không 3 sạch…)
