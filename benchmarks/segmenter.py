"""Identity and cost of the compiled segmentation CRF (pipeline/nlp/crf.py), issue #8.

    .venv/bin/python benchmarks/segmenter.py             # all of ../shared/corpora/real
    .venv/bin/python benchmarks/segmenter.py --limit 300 # the first 300 articles

Every sentence of target.jsonl and background.jsonl (split as the tokenizer splits them,
tokens from underthesea's regex) is tagged twice: by underthesea's ``featurizer.process``
+ ``estimator.tag`` and by :class:`pipeline.nlp.crf.CompiledCRF`. Printed: sentences
compared, sentences whose tags differ (must be 0), syllables, and CPU microseconds per
syllable (``time.process_time``) of (a) underthesea's featurizer + tagger, (b) the
compiled scorer, (c) ``word_tokenize(text, use_token_normalize=False)`` per article,
(d) the ``UnderTheSeaTokenizer`` per article (compiled path), and (e) the same tokenizer
with underthesea's featurizer + tagger; (d) and (e) must give the same words. Also the
compiled tables' load time (CPU s) and the RSS they add.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("PIPELINE_SHARED", REPO.parent / "shared")).resolve()
REAL = [SHARED / "corpora/real/target.jsonl", SHARED / "corpora/real/background.jsonl"]


def rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="articles (0 = all)")
    args = ap.parse_args()

    from spacy.vocab import Vocab
    from underthesea import word_tokenize

    import pipeline.nlp.tokenizer as tok
    from pipeline.nlp.sentences import split_sentences

    texts: list[str] = []
    for path in REAL:
        with open(path, encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    if args.limit:
        texts = texts[: args.limit]

    assert tok.load_word_model()
    seg = tok._segmenter()
    model = seg.model()
    patterns = seg.rt.patterns
    tok.word_files()
    rss0 = rss_kb()
    t0 = time.process_time()
    crf = tok.compiled_crf()
    load_s = time.process_time() - t0
    rss1 = rss_kb()
    assert crf is not None, "the compiled scorer did not load"

    sentences = []
    for text in texts:
        for sent in split_sentences("", text):
            tokens = [m.group() for m in patterns.finditer(sent.text)]
            if tokens:
                sentences.append(tokens)
    syllables = sum(len(s) for s in sentences)

    t0 = time.process_time()
    ref = [model.estimator.tag(model.featurizer.process([[[t] for t in s]])[0]) for s in sentences]
    t_ref = time.process_time() - t0
    t0 = time.process_time()
    ours = [crf.tag(s) for s in sentences]
    t_ours = time.process_time() - t0
    differing = sum(a != b for a, b in zip(ref, ours, strict=True))
    rss2 = rss_kb()

    t0 = time.process_time()
    for text in texts:
        word_tokenize(text, use_token_normalize=False)
    t_wt = time.process_time() - t0

    tok.COMPILE_AFTER_CHARS = 0  # the compiled path from the first article
    tokenizer = tok.UnderTheSeaTokenizer(Vocab())
    t0 = time.process_time()
    docs_fast = [[(t.idx, t.text) for t in tokenizer(text)] for text in texts]
    t_fast = time.process_time() - t0
    tok.compiled_crf.cache_clear()
    real_compiled = tok.compiled_crf
    tok.compiled_crf = lambda: None  # type: ignore[assignment]
    try:
        t0 = time.process_time()
        docs_slow = [[(t.idx, t.text) for t in tokenizer(text)] for text in texts]
        t_slow = time.process_time() - t0
    finally:
        tok.compiled_crf = real_compiled
    docs_differing = sum(a != b for a, b in zip(docs_fast, docs_slow, strict=True))

    us = 1e6 / syllables
    print(f"articles: {len(texts)}")
    print(f"sentences compared: {len(sentences)}")
    print(f"sentences differing: {differing}")
    print(f"syllables: {syllables}")
    print(f"(a) underthesea featurizer+tag: {t_ref * us:.2f} us/syllable")
    print(f"(b) compiled scorer (cold caches): {t_ours * us:.2f} us/syllable")
    print(f"(c) word_tokenize per article: {t_wt * us:.2f} us/syllable")
    print(f"(d) UnderTheSeaTokenizer, compiled: {t_fast * us:.2f} us/syllable")
    print(f"(e) UnderTheSeaTokenizer, underthesea tagger: {t_slow * us:.2f} us/syllable")
    print(f"articles whose tokens differ between (d) and (e): {docs_differing}")
    print(f"compiled tables: load {load_s:.3f} CPU s, RSS +{(rss1 - rss0) / 1024:.1f} MiB")
    print(f"RSS after tagging everything (unigram cache full): +{(rss2 - rss0) / 1024:.1f} MiB")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
