"""Pass rates of the number parser on the peer suites, and the scanner's speed.

Run: ``.venv/bin/python benchmarks/peer_numbers.py [--shared ../shared]``. Prints, per suite,
cases passed / total (in scope: the issue's 98 % bar; report-only: no bar), then the speed of
``scan_numbers`` over every sentence-sized line of ``corpora/real/target.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from pipeline.claims.numbers import parse_number, scan_numbers
from pipeline.claims.peer_suites import IN_SCOPE, REPORT_ONLY, cases, passes

REPO = Path(__file__).resolve().parent.parent


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
