"""The seed article's claims (gold) give the two checks of issue #7 with the right sums."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks.core import compute_checks
from pipeline.checks.gold import load_gold
from pipeline.checks.model import ArticleMeta, CheckRow
from pipeline.types import Claim

Gold = tuple[dict[str, ArticleMeta], list[Claim]]

SEED = "2d17c963106f10c8"


@pytest.fixture(scope="module")
def gold(gold_dir: Path) -> Gold:
    return load_gold(gold_dir)


@pytest.fixture(scope="module")
def seed_checks(gold: Gold) -> list[CheckRow]:
    metas, claims = gold
    seed = [c for c in claims if c.article_id == SEED]
    assert len(seed) == 16, "every gold claim of the seed is placed in its text"
    return compute_checks(seed, {SEED: metas[SEED]})


def _texts(row: CheckRow, claims: list[Claim]) -> list[str]:
    by_id = {c.id: c for c in claims}
    return [" ".join(by_id[i].text.split()) for i in row.claim_ids]


def test_part_whole_against_percent(seed_checks: list[CheckRow], gold: Gold) -> None:
    rows = [r for r in seed_checks if r.kind == "percent_of_whole"]
    assert len(rows) == 1
    r = rows[0]
    assert r.verdict == "consistent"
    assert _texts(r, gold[1]) == ["748/1.711 chi hội trưởng", "hơn 43%"]
    assert r.computed_value == pytest.approx(100 * 748 / 1711, abs=1e-3)
    assert r.stated_value == 43
    assert "43.72%" in r.explanation_en and "43,72%" in r.explanation_vi


def test_target_against_achieved(seed_checks: list[CheckRow], gold: Gold) -> None:
    rows = [r for r in seed_checks if r.kind == "target_vs_achieved" and r.verdict != "consistent"]
    assert len(rows) == 1
    r = rows[0]
    assert r.verdict == "inconsistent"
    assert _texts(r, gold[1]) == ["1.000 hội viên", "5.015 quần chúng ưu tú", "vượt 3%"]
    assert r.roles == ("target", "achieved", "stated_excess")
    assert r.computed_value == pytest.approx(0.3)
    assert r.stated_value == 3
    assert r.assumption is not None and "2016 – 2021" in r.assumption
    assert "5 × 1,000 = 5,000" in r.explanation_en
    assert "4,869" in r.explanation_en and "4.869" in r.explanation_vi
    assert "0.3% over" in r.explanation_en


def test_no_wrong_check_on_the_seed(seed_checks: list[CheckRow], gold: Gold) -> None:
    """Every check of the seed, reviewed by hand: only the target sum is inconsistent."""
    got = sorted((r.kind, r.verdict, tuple(_texts(r, gold[1]))) for r in seed_checks)
    assert got == sorted(
        [
            ("percent_of_whole", "consistent", ("748/1.711 chi hội trưởng", "hơn 43%")),
            ("part_of_whole", "consistent", ("8 hội viên", "12 quần chúng ưu tú")),
            ("part_of_whole", "consistent", ("hơn 3.400 quần chúng", "5.015 quần chúng ưu tú")),
            (
                "target_vs_achieved",
                "consistent",
                ("8 – 10 quần chúng ưu tú", "12 quần chúng ưu tú"),
            ),
            (
                "target_vs_achieved",
                "inconsistent",
                ("1.000 hội viên", "5.015 quần chúng ưu tú", "vượt 3%"),
            ),
            ("restatement", "consistent", ("hơn 3.400 quần chúng", "hơn 3.400 quần chúng")),
        ]
    )


def test_gold_has_no_other_inconsistency(gold: Gold) -> None:
    """Over all 21 gold articles (reviewed by hand) the seed's target is the only conflict."""
    metas, claims = gold
    rows = compute_checks(claims, metas)
    bad = [r for r in rows if r.verdict == "inconsistent"]
    assert [r.article_ids for r in bad] == [(SEED,)]
    assert len(rows) >= 8
