"""In-process throughput measurements, run as child processes by ``benchmarks/batch.py``.

    .venv/bin/python benchmarks/throughput.py wt FILE.jsonl...      # word_tokenize alone
    .venv/bin/python benchmarks/throughput.py stages FILE.jsonl...  # per-stage CPU seconds

Each prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def texts_of(paths: Sequence[Path]) -> Iterator[str]:
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for ln in fh:
                if ln.strip():
                    rec = json.loads(ln)
                    title = rec.get("title")
                    yield (f"{title}\n\n" if title else "") + rec["text"]


def child_wt(paths: Sequence[str]) -> None:
    """word_tokenize alone, one call per paragraph (the fastest way we found to call it)."""
    from underthesea import word_tokenize

    texts = list(texts_of([Path(p) for p in paths]))
    word_tokenize("khởi động", use_token_normalize=False)  # the model load is start-up
    started = time.perf_counter()
    cpu0 = time.process_time()
    words = 0
    for text in texts:
        for line in text.split("\n"):
            if line.strip():
                words += len(word_tokenize(line, use_token_normalize=False))
    print(
        json.dumps(
            {
                "articles": len(texts),
                "words": words,
                "seconds": time.perf_counter() - started,
                "cpu": time.process_time() - cpu0,
            }
        )
    )


def child_stages(paths: Sequence[str]) -> None:
    """Per-stage seconds over the articles of ``paths`` in this one process."""
    import underthesea

    calls: dict[str, int] = {}
    for name in ("pos_tag", "chunk", "ner", "dependency_parse"):
        orig = getattr(underthesea, name, None)
        if orig is None:
            continue

        def wrap(*a: object, _n: str = name, _f: object = orig, **k: object) -> object:
            calls[_n] = calls.get(_n, 0) + 1
            return _f(*a, **k)  # type: ignore[operator]

        setattr(underthesea, name, wrap)

    from pipeline.io.readers import record_to_article
    from pipeline.nlp.language import available_stages, make_nlp, result_from_doc, stage_versions
    from pipeline.store.sqlite import Store

    t: dict[str, float] = {}

    def add(key: str, since: float) -> float:  # CPU seconds: other jobs do not inflate them
        now = time.process_time()
        t[key] = t.get(key, 0.0) + now - since
        return now

    nlp = make_nlp(available_stages(), campaign_model=_default_model())
    versions = stage_versions(nlp)
    nlp.make_doc("Khởi động.")
    db = Path(tempfile.mkdtemp()) / "stages.sqlite"
    store = Store(db)
    run_id = store.start_run("bench", {}, versions)
    pending = []
    n = 0
    fallbacks = 0
    start_all = time.process_time()
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            now = time.process_time()
            for i, ln in enumerate(fh):
                rec = json.loads(ln)
                now = add("read", now)
                art = record_to_article(rec, f"{path}:{i + 1}")
                now = add("normalise", now)
                doc = nlp.make_doc(art.text)
                doc.user_data["article"] = art
                fallbacks += doc.user_data.get("tokenizer_fallbacks", 0)
                now = add("tokenize", now)
                for name, proc in nlp.pipeline:
                    doc = proc(doc)
                    now = add(name, now)
                pending.append(result_from_doc(art, doc, nlp))
                now = add("collect", now)
                n += 1
                if len(pending) >= 64:
                    store.write(pending, [], versions, run_id)
                    pending.clear()
                    now = add("store", now)
    store.write(pending, [], versions, run_id)
    add("store", now)
    total = time.process_time() - start_all
    store.close()
    print(
        json.dumps(
            {
                "articles": n,
                "seconds": t,
                "total": total,
                "pipes": nlp.pipe_names,
                "versions": versions,
                "underthesea_calls": calls,
                "tokenizer_fallbacks": fallbacks,
            }
        )
    )


def _default_model() -> str | None:
    path = REPO / "outputs/models/campaigns.skops"
    return str(path) if path.exists() else None


if __name__ == "__main__":
    what, *files = sys.argv[1:]
    {"wt": child_wt, "stages": child_stages}[what](files)
