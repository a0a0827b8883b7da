"""Pass rates of the number parser on the peer suites, and the scanner's speed.

Run: ``.venv/bin/python benchmarks/peer_numbers.py [--shared ../shared]``. Prints, per suite,
cases passed / total (in scope: the issue's 98 % bar; report-only: no bar), then the speed of
``scan_numbers`` over every sentence-sized line of ``corpora/real/target.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections.abc import Iterator
from pathlib import Path

from pipeline.claims.numbers import parse_number, scan_numbers

REPO = Path(__file__).resolve().parent.parent
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--failures", action="store_true", help="list the failing cases")
    args = ap.parse_args()
    peer = args.shared / "peer-tests"
    total_pass = total = 0
    for group, suites in (("in scope", IN_SCOPE), ("report only", REPORT_ONLY)):
        print(f"== {group}")
        for suite in suites:
            results = [(t, e, passes(suite, t, e, p)) for t, e, p in cases(peer, suite)]
            ok = sum(r[2] for r in results)
            if group == "in scope":
                total_pass, total = total_pass + ok, total + len(results)
            print(f"{suite:28} {ok:4}/{len(results):<4} {100 * ok / max(1, len(results)):6.1f} %")
            if args.failures:
                for text, expected, good in results:
                    if not good:
                        print(f"    FAIL {text!r}: expected {expected}, got {parse_number(text)}")
        if group == "in scope":
            print(
                f"{'in scope, all':28} {total_pass:4}/{total:<4} {100 * total_pass / total:6.1f} %"
            )

    sentences: list[str] = []
    target = args.shared / "corpora" / "real" / "target.jsonl"
    for line in target.read_text(encoding="utf-8").splitlines():
        text = json.loads(line).get("text") or ""
        sentences.extend(s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip())
    chars = sum(map(len, sentences))
    scan_numbers("khởi động 1,1 triệu")  # warm up
    t0 = time.perf_counter()
    n_spans = sum(len(scan_numbers(s)) for s in sentences)
    elapsed = time.perf_counter() - t0
    print("== scanner speed over corpora/real/target.jsonl")
    print(f"sentences {len(sentences)}, mean {chars / len(sentences):.0f} chars, spans {n_spans}")
    print(
        f"{elapsed:.2f} s: {n_spans / elapsed:,.0f} spans/s, {1e6 * elapsed / len(sentences):.1f} µs/sentence"
    )


if __name__ == "__main__":
    main()
