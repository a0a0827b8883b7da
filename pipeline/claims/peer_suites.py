"""The external number suites of ../shared/peer-tests, read in the words→number direction,
and the rule that decides a pass. Shared by tests/claims/test_numbers_peer.py and
benchmarks/peer_numbers.py so the test and the figures it reports cannot drift apart.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path

from pipeline.claims.numbers import parse_number, scan_numbers

IN_SCOPE = ("duckling_vi_numeral", "nemo_vi_itn_cardinal", "nemo_vi_itn_decimal", "num2words_vi")
REPORT_ONLY = (
    "vietnam_number_w2n",
    "vietnam_number_n2w",
    "nemo_vi_itn_fraction",
    "nemo_vi_itn_money",
    "nemo_vi_itn_measure",
)
_NEMO_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def cases(peer: Path, suite: str) -> Iterator[tuple[str, float, bool]]:
    """(words or digits to read, expected value, percent expected) for one suite."""
    for line in (peer / f"{suite}.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if suite in ("num2words_vi", "vietnam_number_n2w"):
            yield case["expected"], float(case["input"]), False
        elif suite == "duckling_vi_numeral":
            if isinstance(case["expected"], int | float):
                yield case["input"], float(case["expected"]), False
        elif suite in ("nemo_vi_itn_cardinal", "nemo_vi_itn_decimal"):
            if "derived_value" in case:
                yield case["input"], float(case["derived_value"]), False
        elif suite == "vietnam_number_w2n":
            yield case["input"], float(case["expected"]), False
        elif suite == "nemo_vi_itn_fraction":
            num, den = case["expected"].split("/")
            yield case["input"], float(num) / float(den), False
        else:  # NeMo money and measure: the number in the written form, "." as decimal mark
            expected = (
                case["expected"] if isinstance(case["expected"], str) else case["expected"][0]
            )
            m = _NEMO_NUMBER.search(expected)
            if m:
                yield case["input"], float(m.group()), "%" in expected


def passes(suite: str, text: str, expected: float, percent: bool) -> bool:
    """Whole-string suites use parse_number; money and measure use the scanner's first span."""
    if suite in ("nemo_vi_itn_money", "nemo_vi_itn_measure"):
        spans = scan_numbers(text)
        return (
            bool(spans) and math.isclose(spans[0].value, expected) and spans[0].percent == percent
        )
    value = parse_number(text)
    return value is not None and math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12)
