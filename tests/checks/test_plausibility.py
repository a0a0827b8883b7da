"""The plausibility check: absurd figures are kept as claims but flagged ``implausible``."""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.checks.core import compute_checks
from pipeline.checks.plausibility import plausibility
from pipeline.cli.main import cli
from tests.checks.helpers import Doc

REPO = Path(__file__).resolve().parents[2]
NASTY = REPO / "tests" / "fixtures" / "nasty"


def _flags(doc: Doc) -> list[str]:
    return [r.stated for r in plausibility(doc.claims, doc.article())]


def test_counts_beyond_the_world_and_money_beyond_the_economy() -> None:
    d = Doc()
    d.sentence("Hội có 1.000.000.000.000.000.000 hội viên và 9.000.000.000 người dân.")
    d.claim("1.000.000.000.000.000.000 hội viên", 1e18, unit="hội viên")
    d.claim("9.000.000.000 người", 9e9, unit="người")
    d.sentence("Toàn tỉnh có 5.000.000.000 cây xanh và 3.400 hội viên mới.")
    d.claim("5.000.000.000 cây", 5e9, unit="cây")  # not people: no bound at 8.2 billion
    d.claim("3.400 hội viên", 3400, unit="hội viên")
    d.sentence("Quỹ có 20.000.000 tỷ đồng, dự án 9.000 tỷ đồng và 2.000 tỷ USD.")
    d.claim("20.000.000 tỷ đồng", 2e16, "money", unit="đồng")
    d.claim("9.000 tỷ đồng", 9e12, "money", unit="đồng")
    d.claim("2.000 tỷ USD", 2e12, "money", unit="USD")
    assert _flags(d) == [
        "1.000.000.000.000.000.000 hội viên",
        "9.000.000.000 người",
        "20.000.000 tỷ đồng",
        "2.000 tỷ USD",
    ]


@pytest.mark.parametrize(
    ("sentence", "span", "implausible"),
    [
        ("Số hội viên nữ chiếm 120% tổng số hội viên.", "120%", True),
        ("Tỷ lệ hộ dùng nước sạch là 135%.", "135%", True),
        ("Thu nhập bình quân tăng 150% so với năm 2020.", "150%", False),
        ("Hội đã đạt 120% kế hoạch năm.", "120%", False),
        ("Số hội viên mới chiếm 43% số phụ nữ trong độ tuổi.", "43%", False),
        ("Kết nạp 3.400 hội viên, vượt 115% chỉ tiêu, chiếm phần lớn số mới.", "115%", False),
        ("Doanh thu gấp 250% năm trước.", "250%", False),
    ],
)
def test_a_share_cannot_exceed_100_but_an_increase_can(
    sentence: str, span: str, implausible: bool
) -> None:
    d = Doc()
    d.sentence(sentence)
    d.claim(span, float(span.rstrip("%")), "percent", unit="%")
    assert bool(_flags(d)) is implausible


def test_nasty_fixture_through_batch_and_checks(tmp_path: Path) -> None:
    """tests/fixtures/nasty/absurd-numbers.txt: the absurd figures stay claims and
    `pipeline checks` shows each as implausible; its ordinary figures are not flagged."""
    db = tmp_path / "absurd.sqlite"
    inputs = [str(NASTY / "absurd-numbers.txt"), str(NASTY / "mixed-separators.txt")]
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "batch", *inputs, "--db", str(db), "--no-progress"],
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    res = CliRunner().invoke(
        cli, ["checks", "--db", str(db), "--format", "jsonl", "--verdict", "implausible"]
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {r["kind"] for r in rows} == {"plausibility"}
    # 1.000.000.000.000.000.000 hội viên; 300 nines of đồng; 10^183 người (61 groups of
    # .000); the 400-digit count of hộ is no claim at all
    assert sorted(round(math.log10(r["stated_value"])) for r in rows) == [18, 183, 300]
    conn = sqlite3.connect(db)
    n_claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    huge = conn.execute("SELECT count(*) FROM claims WHERE value > 1e15").fetchone()[0]
    conn.close()
    assert huge == 3 and n_claims > 10  # kept as claims, flagged, the others left alone
    table = CliRunner().invoke(cli, ["checks", "--db", str(db), "--no-compute"])
    assert "[implausible] plausibility" in table.stdout


def test_no_false_alarm_on_the_seed(gold_dir: Path) -> None:
    from pipeline.checks.gold import load_gold

    articles, claims = load_gold(gold_dir)
    rows = compute_checks(claims, articles)
    assert [r for r in rows if r.kind == "plausibility"] == []
