"""Quality gate: the dev-gold figures of scripts/eval_claims.py must not fall below these
floors (set a little below the figures at the time of writing; raise them as the finder
improves, never lower them silently)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

FLOORS = {"value_f1": 0.97, "strict_f1": 0.93, "subject_f1": 0.785}


def test_dev_gold_figures_stay_above_the_floors(
    gold_dir: Path, shared_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pred.jsonl"
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "eval_claims.py"),
            "--json",
            "--out",
            str(out),
            "--gold",
            str(gold_dir),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    for key, floor in FLOORS.items():
        assert figures[key] >= floor, (key, figures[key], floor)
    assert figures["per_measure"]["count"]["p"] >= 0.95
