"""How much claim extraction adds to tokenization time, on ../shared/corpora/real.

usage: python benchmarks/claims.py [--limit N] [--background N] [PATH...]

Tokenizes every article with the project's underthesea tokenizer (as `pipeline batch`
does), then runs the claims component on the tokenized Docs, and prints both times, the
overhead in percent (aim: at most 15%), and which analyses the claim finder ran.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.claims import units  # noqa: E402
from pipeline.claims.component import ClaimsComponent  # noqa: E402
from pipeline.io.readers import read_articles  # noqa: E402
from pipeline.nlp.language import make_nlp  # noqa: E402
from pipeline.types import Article  # noqa: E402

REAL = REPO.parent / "shared" / "corpora" / "real"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("paths", nargs="*", help="inputs [default: target.jsonl + background sample]")
    ap.add_argument("--limit", type=int, default=0, help="at most this many target articles")
    ap.add_argument("--background", type=int, default=300, help="background articles to add")
    args = ap.parse_args()
    if args.paths:
        articles = [a for a in read_articles(args.paths) if isinstance(a, Article)]
    else:
        if not REAL.exists():
            print(f"missing {REAL}: ../shared must sit beside the repository", file=sys.stderr)
            return 2
        target = [a for a in read_articles([REAL / "target.jsonl"]) if isinstance(a, Article)]
        if args.limit:
            target = target[: args.limit]
        background = itertools.islice(read_articles([REAL / "background.jsonl"]), args.background)
        articles = target + [a for a in background if isinstance(a, Article)]
    nlp = make_nlp(stages=())
    component = ClaimsComponent(nlp)
    chars = sum(len(a.text) for a in articles)

    # warm up both (model and data loading are one-time costs, not per-article ones)
    warm = nlp.make_doc("Hội có hơn 3.400 hội viên, tăng 5%.")
    component(warm)
    t0 = time.perf_counter()
    docs = []
    for a in articles:
        doc = nlp.make_doc(a.text)
        doc.user_data["article"] = a
        docs.append(doc)
    t_tok = time.perf_counter() - t0

    units._segment.cache_clear()
    t0 = time.perf_counter()
    n_claims = 0
    for doc in docs:
        n_claims += len(component(doc).user_data["claims"])
    t_claims = time.perf_counter() - t0
    seg = units._segment.cache_info()

    print(f"articles: {len(articles)}  characters: {chars:,}  claims: {n_claims:,}")
    print(f"tokenization (underthesea word_tokenize via the spaCy tokenizer): {t_tok:8.2f} s")
    print(f"claim extraction (component on tokenized docs):                {t_claims:8.2f} s")
    print(f"overhead of claims over tokenization: {100 * t_claims / t_tok:.1f}%  (aim <= 15%)")
    print("analyses the claim finder ran:")
    print("  number scanner (regex + number words) on every sentence")
    print("  context rules (cues.yaml, units.yaml) around every number found")
    print(
        f"  underthesea word_tokenize on short windows after unknown counting words: "
        f"{seg.misses} calls ({seg.hits} cache hits)"
    )
    print("  organisation/place/period/speaker lookups (regex) per article with claims")
    print("  not run: pos_tag, ner, dependency parsing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
