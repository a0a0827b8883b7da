"""Throughput, memory and start-up of ``pipeline batch`` on the real corpus (issues #2, #8).

    .venv/bin/python benchmarks/batch.py            # all 5,499 articles of ../shared (~15 min)
    .venv/bin/python benchmarks/batch.py --quick    # 300 articles, a fast look (~2 min)
    .venv/bin/python benchmarks/batch.py --only local,wt --workers 2

Sections (``--only``, comma separated): ``startup``, ``wt`` (underthesea ``word_tokenize``
alone over the same texts), ``local`` (``pipeline batch`` as a subprocess into a temp DB
with 1 and 2 workers), ``dask`` (``--executor dask``, a LocalCluster), ``stages`` (per-stage
breakdown in one process: read, normalise, tokenize, each spaCy component, collect, store),
``flat`` (peak memory with the input and with 10x the input, replicated with new ids).

Every measured thing runs in a child process watched through /proc (``procwatch.py``):
wall seconds, CPU seconds (user + sys of the whole process tree) and peak RSS (VmHWM) of the
main process and of each worker; ``throughput.py`` holds the in-process measurements. The machine may be shared: CPU seconds are the figure that contention does
not move; wall seconds are what a user waits. Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procwatch import Measured, measure
from throughput import texts_of

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PIPELINE_SHARED", REPO.parent / "shared")).resolve()
REAL = [SHARED / "corpora/real/target.jsonl", SHARED / "corpora/real/background.jsonl"]
SEED = REPO / "corpora/seed/langson-ket-nap-dang-2022.txt"
PY = sys.executable
PIPELINE = [PY, "-m", "pipeline"]
THROUGHPUT = str(Path(__file__).resolve().parent / "throughput.py")
TREE = [REPO]  # where `python -m pipeline` runs (--tree: another copy of the code)
SECTIONS = ("startup", "wt", "local", "dask", "stages", "flat")


# -- inputs --------------------------------------------------------------------------------
def corpus_lines(limit: int | None) -> list[str]:
    """JSONL lines of target + background (``limit``: half from each)."""
    out: list[str] = []
    for path in REAL:
        with open(path, encoding="utf-8") as fh:
            lines = [ln for ln in fh if ln.strip()]
        out.extend(lines if limit is None else lines[: limit // 2])
    return out


def write_replicated(lines: list[str], times: int, path: Path) -> Path:
    """``lines`` repeated ``times`` times, each copy with new ids (``ID~k``)."""
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(times):
            for ln in lines:
                rec = json.loads(ln)
                if k:
                    rec["id"] = f"{rec.get('id')}~{k}"
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


# -- sections ------------------------------------------------------------------------------
def run_batch_cmd(
    paths: Sequence[Path], db: Path, workers: int, extra: Sequence[str] = ()
) -> tuple[Measured, dict[str, object]]:
    cmd = [*PIPELINE, "batch", *map(str, paths), "--db", str(db), "--workers", str(workers)]
    m = measure([*cmd, "--json", "--no-progress", *extra], cwd=TREE[0])
    try:
        summary = json.loads(m.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        summary = {"error": m.stdout[-500:], "rc": m.rc}
    return m, summary


Rates = tuple[float, float]  # (articles/s by wall clock, articles/s on idle cores)


def show_batch(label: str, m: Measured, summary: dict[str, object], mb: float) -> Rates:
    n = int(summary.get("articles_processed", 0) or 0)
    rate = n / m.wall if m.wall else 0.0
    ideal = n / m.ideal_wall if m.ideal_wall else 0.0
    workers = ", ".join(f"{c:.1f}" for c in m.cpu_workers) or "-"
    print(
        f"  {label:<22} {n:>5} articles  {m.wall:7.1f} s wall  {rate:6.2f} art/s  "
        f"{mb / m.wall:5.3f} MB/s  cpu {m.cpu:7.1f} s ({n / max(m.cpu, 1e-9):5.2f} art/cpu-s)  "
        f"peak RSS main {m.peak_main_mb:5.0f} MB, worker {m.peak_worker_mb:5.0f} MB, "
        f"tree {m.peak_total_mb:5.0f} MB  claims {summary.get('claims')} "
        f"tags {summary.get('tags')} failures {summary.get('failures')} rc {m.rc}\n"
        f"  {'':<22} cpu-s main {m.cpu_main:.1f}, workers [{workers}] -> on idle cores "
        f"{m.ideal_wall:.1f} s = {ideal:.2f} art/s"
    )
    return rate, ideal


def section_startup() -> None:
    print("start-up (wall, cold process)")
    m = measure([*PIPELINE, "--help"], cwd=TREE[0])
    print(f"  pipeline --help                         {m.wall:5.2f} s  (cpu {m.cpu:.2f} s)")
    m = measure([PY, "-c", "import pipeline.batch, pipeline.nlp.language"], cwd=TREE[0])
    print(f"  import pipeline.batch + nlp.language    {m.wall:5.2f} s  (cpu {m.cpu:.2f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        m, s = run_batch_cmd([SEED], Path(tmp) / "s.sqlite", 1)
        print(
            f"  pipeline batch seed.txt --workers 1     {m.wall:5.2f} s  (cpu {m.cpu:.2f} s; "
            f"1 article; seconds inside run_batch: {s.get('seconds')})"
        )
        code = "from pipeline.nlp.language import make_nlp; make_nlp().make_doc('Chào.')"
        m = measure([PY, "-c", code], cwd=TREE[0])
        print(f"  make_nlp() + first doc (model loads)    {m.wall:5.2f} s  (cpu {m.cpu:.2f} s)")


def section_wt(paths: Sequence[Path], mb: float) -> Rates:
    m = measure([PY, THROUGHPUT, "wt", *map(str, paths)])
    r = json.loads(m.stdout)
    rate = r["articles"] / r["seconds"], r["articles"] / r["cpu"]
    print(
        f"underthesea word_tokenize alone (per paragraph, model loaded): {r['articles']} articles "
        f"{r['seconds']:.1f} s  {rate[0]:.2f} art/s  {mb / r['seconds']:.3f} MB/s  "
        f"cpu {r['cpu']:.1f} s ({r['articles'] / r['cpu']:.2f} art/cpu-s)  "
        f"{r['words'] / r['seconds']:.0f} words/s  peak RSS {m.peak_main_mb:.0f} MB"
    )
    return rate


def section_local(paths: Sequence[Path], mb: float, workers: Sequence[int]) -> dict[int, Rates]:
    print("pipeline batch (subprocess, temp DB, end-to-end wall incl. start-up)")
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for w in workers:
            m, s = run_batch_cmd(paths, Path(tmp) / f"w{w}.sqlite", w)
            rates[w] = show_batch(f"--workers {w}", m, s, mb)
    return rates


def section_dask(paths: Sequence[Path], mb: float, workers: int) -> Rates:
    print("pipeline batch --executor dask (LocalCluster started by the command)")
    with tempfile.TemporaryDirectory() as tmp:
        m, s = run_batch_cmd(paths, Path(tmp) / "d.sqlite", workers, ["--executor", "dask"])
        return show_batch(f"dask, {workers} workers", m, s, mb)


def section_stages(paths: Sequence[Path]) -> None:
    m = measure([PY, THROUGHPUT, "stages", *map(str, paths)])
    r = json.loads(m.stdout)
    total = r["total"]
    print(
        f"per-stage breakdown (CPU seconds), one process, {r['articles']} articles, "
        f"{total:.1f} cpu-s ({r['articles'] / total:.2f} art/cpu-s), peak RSS "
        f"{m.peak_main_mb:.0f} MB"
    )
    for key, sec in sorted(r["seconds"].items(), key=lambda kv: -kv[1]):
        print(f"  {key:<14} {sec:7.2f} s  {100 * sec / total:5.1f} %")
    calls = r["underthesea_calls"]
    print(f"  spaCy pipes: {r['pipes']}; stage versions: {r['versions']}")
    print(
        "  analyses: sentence split (underthesea sent_tokenize per paragraph) + word "
        "segmentation (underthesea's CRF model per sentence, scored by pipeline.nlp.crf); "
        "POS tagging: "
        f"{'yes, ' + str(calls) if calls else 'no'} (pos_tag/chunk/ner/parse calls counted); "
        f"tokenizer fallbacks: {r['tokenizer_fallbacks']}"
    )


def section_flat(lines: list[str], workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = write_replicated(lines, 1, Path(tmp) / "x1.jsonl")
        big = write_replicated(lines, 10, Path(tmp) / "x10.jsonl")
        m1, s1 = run_batch_cmd([base], Path(tmp) / "f1.sqlite", workers)
        m10, s10 = run_batch_cmd([big], Path(tmp) / "f10.sqlite", workers)
    print(f"memory flatness, --workers {workers}")
    for label, m, s in (("1x", m1, s1), ("10x", m10, s10)):
        print(
            f"  {label:<4} {s.get('articles_processed')} articles  peak RSS main "
            f"{m.peak_main_mb:.0f} MB, worker {m.peak_worker_mb:.0f} MB, tree "
            f"{m.peak_total_mb:.0f} MB  ({m.wall:.1f} s)"
        )
    for what, a, b in (
        ("main", m1.peak_main_mb, m10.peak_main_mb),
        ("worker", m1.peak_worker_mb, m10.peak_worker_mb),
        ("tree", m1.peak_total_mb, m10.peak_total_mb),
    ):
        print(f"  10x/1x peak {what}: {b / max(a, 1e-9):.3f} (goal <= 1.1)")


def print_ratios(wt: Rates | None, rates: dict[int, Rates]) -> None:
    print("  (ratios: by wall clock | on idle cores, i.e. from CPU seconds; see the docstring)")
    if wt and rates:
        for w, r in rates.items():
            print(
                f"  ratio pipeline --workers {w} / word_tokenize alone: "
                f"{r[0] / wt[0]:.2f} | {r[1] / wt[1]:.2f}"
            )
    if 1 in rates and 2 in rates:
        print(
            f"  speed-up 2 workers / 1 worker: {rates[2][0] / rates[1][0]:.2f} | "
            f"{rates[2][1] / rates[1][1]:.2f}"
        )


def median_round(
    rounds: list[tuple[Rates | None, dict[int, Rates]]], workers: Sequence[int]
) -> tuple[Rates | None, dict[int, Rates]]:
    """Per measured thing, the median rate over the rounds (wall and idle-core apart)."""
    from statistics import median

    def med(xs: list[Rates]) -> Rates:
        return median(x[0] for x in xs), median(x[1] for x in xs)

    wts = [wt for wt, _ in rounds if wt]
    local = {w: med([r[w] for _, r in rounds if w in r]) for w in workers if rounds[0][1]}
    return (med(wts) if wts else None), local


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="300 articles instead of 5,499")
    ap.add_argument("--limit", type=int, default=None, help="articles (half from each file)")
    ap.add_argument("--only", default=",".join(SECTIONS), help="sections, comma separated")
    ap.add_argument("--workers", default="1,2", help="worker counts for `local`")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of `wt` and `local`, interleaved (the machine's speed drifts between "
        "runs: each round's ratios are printed, then their medians)",
    )
    ap.add_argument("--flat-base", type=int, default=None, help="articles of the 1x input")
    ap.add_argument(
        "--tree",
        type=Path,
        default=None,
        help="run `pipeline batch` from another copy of the code (a before/after comparison)",
    )
    args = ap.parse_args(argv)
    if not all(p.exists() for p in REAL):
        sys.exit(f"needs {REAL[0].parent} (../shared beside the clone)")
    if args.tree:
        TREE[0] = args.tree.resolve()
        print(f"pipeline code from {TREE[0]}")
    limit = args.limit or (300 if args.quick else None)
    only = [s for s in args.only.split(",") if s]
    workers = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        lines = corpus_lines(limit)
        if limit is None:
            paths = list(REAL)
        else:
            paths = [Path(tmp) / "subset.jsonl"]
            paths[0].write_text("".join(lines), encoding="utf-8")
        mb = sum(p.stat().st_size for p in paths) / 1e6
        chars = sum(len(t) for t in texts_of(paths))
        print(
            f"input: {len(lines)} articles, {mb:.2f} MB JSONL, {chars / 1e6:.2f} M characters "
            f"of text; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at start"
        )
        if "startup" in only:
            section_startup()
        rounds: list[tuple[Rates | None, dict[int, Rates]]] = []
        for k in range(args.repeat):
            if args.repeat > 1:
                print(f"round {k + 1} of {args.repeat}")
            wt = section_wt(paths, mb) if "wt" in only else None
            rates = section_local(paths, mb, workers) if "local" in only else {}
            rounds.append((wt, rates))
            print_ratios(wt, rates)
        if args.repeat > 1:
            print(f"medians of {args.repeat} rounds")
            wt, rates = median_round(rounds, workers)
            print_ratios(wt, rates)
        if "dask" in only:
            d = section_dask(paths, mb, max(workers))
            if 1 in rates:
                print(
                    f"  speed-up dask {max(workers)} workers / local 1 worker: "
                    f"{d[0] / rates[1][0]:.2f} | {d[1] / rates[1][1]:.2f}"
                )
        if "stages" in only:
            if limit is None:  # a 1,000-article sample is enough for shares
                paths = [Path(tmp) / "sample.jsonl"]
                paths[0].write_text("".join(corpus_lines(1000)), encoding="utf-8")
            section_stages(paths)
        if "flat" in only:
            n = args.flat_base or (60 if args.quick else 300)
            section_flat(corpus_lines(n), max(workers))
        print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
