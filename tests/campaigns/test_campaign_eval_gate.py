"""Quality gate: scripts/eval_campaigns.py on the development gold, with pinned floors.

Lowering a floor is a visible change. The gate runs with the trained model when one is at
outputs/models/campaigns.skops (as `make run` leaves it), else with the explicit matcher.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXPLICIT_F1 = 0.97
ALL_F1 = 0.90


def test_dev_gold_floors(gold_dir: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "eval_campaigns.py"),
            "--json",
            "--gold-dir",
            str(gold_dir),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    ours, base = result["tagger"], result["baseline"]
    assert ours["explicit"]["f1"] >= EXPLICIT_F1, out.stdout
    assert ours["all"]["f1"] >= ALL_F1, out.stdout
    assert ours["explicit"]["f1"] > base["explicit"]["f1"], out.stdout
    assert (tmp_path / "campaigns_pred.jsonl").exists()
