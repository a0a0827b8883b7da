"""Throughput, memory and start-up of ``pipeline batch`` on the real corpus (issues #2, #8).

    .venv/bin/python benchmarks/batch.py            # all 5,499 articles of ../shared (~15 min)
    .venv/bin/python benchmarks/batch.py --quick    # 300 articles, a fast look (~2 min)
    .venv/bin/python benchmarks/batch.py --only local,wt --workers 2

Sections (``--only``, comma separated): ``startup``, ``wt`` (underthesea ``word_tokenize``
alone over the same texts), ``local`` (``pipeline batch`` as a subprocess into a temp DB
with 1 and 2 workers), ``dask`` (``--executor dask``, a LocalCluster), ``stages`` (per-stage
breakdown in one process: read, normalise, tokenize, each spaCy component, collect, store),
``flat`` (peak memory with the input and with 10x the input, replicated with new ids).

Every measured thing runs in a child process watched through /proc: wall seconds, CPU
seconds (user + sys of the whole process tree) and peak RSS (VmHWM) of the main process and
of each worker. The machine may be shared: CPU seconds are the figure that contention does
not move; wall seconds are what a user waits. Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PIPELINE_SHARED", REPO.parent / "shared")).resolve()
REAL = [SHARED / "corpora/real/target.jsonl", SHARED / "corpora/real/background.jsonl"]
SEED = REPO / "corpora/seed/langson-ket-nap-dang-2022.txt"
PY = sys.executable
PIPELINE = [PY, "-m", "pipeline"]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TREE = [REPO]  # where `python -m pipeline` runs (--tree: another copy of the code)
SECTIONS = ("startup", "wt", "local", "dask", "stages", "flat")


# -- watching a process tree through /proc -----------------------------------------------
@dataclass
class Measured:
    wall: float = 0.0
    cpu: float = 0.0  # user + sys of the tree, seconds
    peak_main_mb: float = 0.0
    peak_workers_mb: list[float] = field(default_factory=list)
    peak_total_mb: float = 0.0  # largest sum of RSS seen at one moment
    cpu_main: float = 0.0  # CPU seconds of the main process (last /proc sample)
    cpu_workers: list[float] = field(default_factory=list)
    cpu_serial: float = 0.0  # CPU of the main process before its first child appeared
    stdout: str = ""
    stderr: str = ""
    rc: int = 0

    @property
    def peak_worker_mb(self) -> float:
        return max(self.peak_workers_mb, default=0.0)

    @property
    def ideal_wall(self) -> float:
        """An estimate of the wall time on idle cores, from CPU seconds (which contention
        from other jobs does not inflate): the main process's start-up before any child
        exists, then the rest spread over the cores, or the busiest process if longer."""
        if not self.cpu_workers:
            return self.cpu
        s = self.cpu_serial
        busiest = max([self.cpu_main - s, *self.cpu_workers])
        return s + max((self.cpu - s) / (os.cpu_count() or 1), busiest)


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        out.setdefault(ppid, []).append(int(name))
    return out


def _tree(root: int) -> list[int]:
    kids = _children()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _proc(pid: int) -> tuple[float, float, float] | None:
    """(VmHWM MB, VmRSS MB, cpu seconds) of a live process."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            status = fh.read()
        with open(f"/proc/{pid}/stat") as fh:
            stat = fh.read()
    except OSError:
        return None
    hwm = rss = 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) / 1024
        elif line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
    fields = stat[stat.rindex(")") + 2 :].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    return hwm, rss, cpu


def measure(cmd: Sequence[str], *, env: dict[str, str] | None = None) -> Measured:
    """Run ``cmd`` and watch its process tree until it exits."""
    m = Measured()
    err = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed below)
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        stdout=subprocess.PIPE,
        stderr=err,
        text=True,
        cwd=TREE[0],
        env={**os.environ, **(env or {})},
    )
    peaks: dict[int, float] = {}
    cpu: dict[int, float] = {}
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read() if proc.stdout else ""))
    reader.start()
    while True:
        # wait4 reaps the child with its rusage, which counts every waited-for descendant
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        total = 0.0
        tree = _tree(proc.pid)
        if len(tree) > 1 and not m.cpu_serial:
            m.cpu_serial = cpu.get(proc.pid, 0.0)
        for p in tree:
            got = _proc(p)
            if got is not None:
                peaks[p] = max(peaks.get(p, 0.0), got[0])
                cpu[p] = got[2]
                total += got[1]
        m.peak_total_mb = max(m.peak_total_mb, total)
        time.sleep(0.05)
    m.wall = time.perf_counter() - started
    proc.returncode = m.rc = os.waitstatus_to_exitcode(status)
    reader.join()
    m.stdout = "".join(out)
    err.seek(0)
    m.stderr = err.read()[-2000:]
    err.close()
    if m.rc not in (0, 1):
        print(f"  ! {' '.join(cmd[:4])}... exited {m.rc}:\n{m.stderr}", file=sys.stderr)
    m.cpu = usage.ru_utime + usage.ru_stime
    m.peak_main_mb = peaks.get(proc.pid, 0.0)
    m.peak_workers_mb = sorted((v for k, v in peaks.items() if k != proc.pid), reverse=True)
    m.cpu_main = cpu.get(proc.pid, 0.0)
    m.cpu_workers = sorted((v for k, v in cpu.items() if k != proc.pid and v > 0.5), reverse=True)
    return m


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


def texts_of(paths: Sequence[Path]) -> Iterator[str]:
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for ln in fh:
                if ln.strip():
                    rec = json.loads(ln)
                    title = rec.get("title")
                    yield (f"{title}\n\n" if title else "") + rec["text"]


# -- child entry points --------------------------------------------------------------------
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


# -- sections ------------------------------------------------------------------------------
def run_batch_cmd(
    paths: Sequence[Path], db: Path, workers: int, extra: Sequence[str] = ()
) -> tuple[Measured, dict[str, object]]:
    cmd = [*PIPELINE, "batch", *map(str, paths), "--db", str(db), "--workers", str(workers)]
    m = measure([*cmd, "--json", "--no-progress", *extra])
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
    m = measure([*PIPELINE, "--help"])
    print(f"  pipeline --help                         {m.wall:5.2f} s  (cpu {m.cpu:.2f} s)")
    m = measure([PY, "-c", "import pipeline.batch, pipeline.nlp.language"])
    print(f"  import pipeline.batch + nlp.language    {m.wall:5.2f} s  (cpu {m.cpu:.2f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        m, s = run_batch_cmd([SEED], Path(tmp) / "s.sqlite", 1)
        print(
            f"  pipeline batch seed.txt --workers 1     {m.wall:5.2f} s  (cpu {m.cpu:.2f} s; "
            f"1 article; seconds inside run_batch: {s.get('seconds')})"
        )
        m = measure(
            [PY, "-c", "from pipeline.nlp.language import make_nlp; make_nlp().make_doc('Chào.')"]
        )
        print(f"  make_nlp() + first doc (model loads)    {m.wall:5.2f} s  (cpu {m.cpu:.2f} s)")


def section_wt(paths: Sequence[Path], mb: float) -> Rates:
    m = measure([PY, __file__, "--child-wt", *map(str, paths)])
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
    m = measure([PY, __file__, "--child-stages", *map(str, paths)])
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
        f"segmentation (word_tokenize per sentence); POS tagging: "
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


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="300 articles instead of 5,499")
    ap.add_argument("--limit", type=int, default=None, help="articles (half from each file)")
    ap.add_argument("--only", default=",".join(SECTIONS), help="sections, comma separated")
    ap.add_argument("--workers", default="1,2", help="worker counts for `local`")
    ap.add_argument("--flat-base", type=int, default=None, help="articles of the 1x input")
    ap.add_argument(
        "--tree",
        type=Path,
        default=None,
        help="run `pipeline batch` from another copy of the code (a before/after comparison)",
    )
    ap.add_argument("--child-wt", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--child-stages", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_wt:
        return child_wt(args.child_wt)
    if args.child_stages:
        return child_stages(args.child_stages)
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
        wt = section_wt(paths, mb) if "wt" in only else None
        rates = section_local(paths, mb, workers) if "local" in only else {}
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
