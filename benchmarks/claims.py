"""How much claim extraction adds to tokenization time, on ../shared/corpora/real.

usage: python benchmarks/claims.py [--limit N] [--background N] [--repeat N] [PATH...]

Tokenizes every article with the project's underthesea tokenizer (as `pipeline batch`
does), then runs the claims component on the tokenized Docs, and prints both CPU times
(process time: other jobs on the machine do not inflate them), the overhead in percent
(issue #3 aims at 15% at most), and which analyses the claim finder ran: the underthesea
calls are counted, not assumed (pos_tag, chunk, ner and dependency_parse should be none).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

REAL = Path(os.environ.get("PIPELINE_SHARED") or REPO.parent / "shared") / "corpora" / "real"
ANALYSES = ("word_tokenize", "sent_tokenize", "pos_tag", "chunk", "ner", "dependency_parse")


def count_underthesea_calls() -> dict[str, int]:
    """Wrap underthesea's analyses (where the project imports them) to count their calls."""
    import underthesea

    import pipeline.claims.units as units_mod
    import pipeline.nlp.sentences as sentences_mod
    import pipeline.nlp.tokenizer as tokenizer_mod

    calls: dict[str, int] = dict.fromkeys(ANALYSES, 0)
    for name in ANALYSES:
        orig = getattr(underthesea, name, None)
        if orig is None:
            continue

        def wrap(*a: Any, _n: str = name, _f: Any = orig, **k: Any) -> Any:
            calls[_n] += 1
            return _f(*a, **k)

        setattr(underthesea, name, wrap)
        for mod in (tokenizer_mod, sentences_mod, units_mod):
            if getattr(mod, name, None) is orig:
                setattr(mod, name, wrap)
    return calls


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("paths", nargs="*", help="inputs [default: target.jsonl + background.jsonl]")
    ap.add_argument("--limit", type=int, default=0, help="at most this many target articles")
    ap.add_argument(
        "--background", type=int, default=-1, help="background articles to add [default: all]"
    )
    ap.add_argument("--repeat", type=int, default=1, help="claim passes (the fastest counts)")
    args = ap.parse_args()

    calls = count_underthesea_calls()
    from pipeline.claims import units
    from pipeline.claims.component import ClaimsComponent
    from pipeline.io.readers import read_articles
    from pipeline.nlp.language import make_nlp
    from pipeline.types import Article

    if args.paths:
        articles = [a for a in read_articles(args.paths) if isinstance(a, Article)]
    else:
        if not REAL.exists():
            print(f"missing {REAL}: ../shared must sit beside the repository", file=sys.stderr)
            return 2
        target = [a for a in read_articles([REAL / "target.jsonl"]) if isinstance(a, Article)]
        if args.limit:
            target = target[: args.limit]
        more = read_articles([REAL / "background.jsonl"])
        background = more if args.background < 0 else itertools.islice(more, args.background)
        articles = target + [a for a in background if isinstance(a, Article)]
    nlp = make_nlp(stages=())
    component = ClaimsComponent(nlp)
    chars = sum(len(a.text) for a in articles)

    # warm up both (model and data loading are one-time costs, not per-article ones)
    warm = nlp.make_doc("Hội có hơn 3.400 hội viên, tăng 5%.")
    component(warm)
    for name in calls:
        calls[name] = 0
    t0 = time.process_time()
    docs = []
    for a in articles:
        doc = nlp.make_doc(a.text)
        doc.user_data["article"] = a
        docs.append(doc)
    t_tok = time.process_time() - t0
    by_tokenizer = dict(calls)

    t_claims = float("inf")
    n_claims = 0
    for _ in range(max(1, args.repeat)):
        for name in calls:
            calls[name] = 0
        units._segment.cache_clear()
        t0 = time.process_time()
        n_claims = 0
        for doc in docs:
            n_claims += len(component(doc).user_data["claims"])
        t_claims = min(t_claims, time.process_time() - t0)
    seg = units._segment.cache_info()

    print(f"articles: {len(articles)}  characters: {chars:,}  claims: {n_claims:,}")
    print(f"tokenization (underthesea word_tokenize via the spaCy tokenizer): {t_tok:8.2f} s CPU")
    print(f"claim extraction (component on tokenized docs):                {t_claims:8.2f} s CPU")
    print(f"overhead of claims over tokenization: {100 * t_claims / t_tok:.1f}%  (aim <= 15%)")
    print("underthesea calls by the tokenizer: " + _calls(by_tokenizer))
    print("underthesea calls by the claim finder: " + _calls(calls))
    print(
        f"  word_tokenize on short windows after unknown counting words only when no "
        f"tokenizer ran: {seg.misses} calls ({seg.hits} cache hits)"
    )
    print("claim finder's own analyses: number scanner (regex + number words) on sentences")
    print("  with a digit or a number word; context rules (cues.yaml, units.yaml) around each")
    print("  number; organisation/place/period/speaker lookups (regex) per article with claims")
    return 0


def _calls(calls: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in calls.items())


if __name__ == "__main__":
    sys.exit(main())
