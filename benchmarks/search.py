"""Claim search latency over 1 million claims (issue #6).

    .venv/bin/python benchmarks/search.py                       # builds what it needs
    .venv/bin/python benchmarks/search.py --source-db outputs/pipeline.sqlite --claims 1000000
    .venv/bin/python benchmarks/search.py --bench-db /tmp/bench.sqlite   # reuse a built DB

The real claims come from ``--source-db`` (a database built by ``pipeline batch``); without
it, ``pipeline batch`` runs once on ../shared/corpora/real/target.jsonl into a temp DB. They
are replicated into a fresh database (the project's schema, migrations included) until it
holds ``--claims`` claims: each copy is a new article with the same title and claims with
varied values (×0.5–1.5), years and provinces. Rows go in with ``executemany``; the
claims_fts rows are written directly from the folded sentence and title, as ``Store.write``
does (migration 4); articles_fts and sentences_fts stay empty (not searched here).

Then every query of a fixed mix (folded words from the corpus, common and rare, with and
without filters, and filter-only listings) runs through ``pipeline.query.search.search``
(the CLI's code path, 20 results, highlighting included) ``--repeat`` times; it prints the
median and p95 latency overall and per kind. Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.query.search import Filters, search  # noqa: E402
from pipeline.store.sqlite import Store  # noqa: E402
from pipeline.text.normalize import fold  # noqa: E402

SHARED = REPO.parent / "shared"
PROVINCES = [
    ("lang_son", "lang_son"), ("ha_noi", "ha_noi"), ("thai_binh", "hung_yen"),
    ("hung_yen", "hung_yen"), ("ho_chi_minh", "ho_chi_minh"), ("binh_duong", "ho_chi_minh"),
    ("nghe_an", "nghe_an"), ("da_nang", "da_nang"), ("quang_nam", "da_nang"), (None, None),
]  # fmt: skip
QUERIES: list[tuple[str, str, Filters]] = [
    ("words", "ket nap dang", Filters()),
    ("words", "kết nạp Đảng", Filters()),
    ("words", "hoi vien", Filters()),
    ("words", "phu nu", Filters()),
    ("words", "doan vien", Filters()),
    ("words", "thanh nien tinh nguyen", Filters()),
    ("words", "nong thon moi", Filters()),
    ("words", "hien mau", Filters()),
    ("words", "ho ngheo", Filters()),
    ("words", "cong doan co so", Filters()),
    ("words", "ty dong", Filters()),
    ("words", "trieu dong", Filters()),
    ("words", "hoc sinh", Filters()),
    ("words", "nam 2016", Filters()),
    ("words", "mat tran to quoc", Filters()),
    ("words", "chi hoi truong", Filters()),
    ("words", "cuu chien binh", Filters()),
    ("words", "xay dung nha", Filters()),
    ("rare", "nhan dao", Filters()),
    ("rare", "hoc bong", Filters()),
    ("rare", "khuyen hoc", Filters()),
    ("rare", "bien gioi", Filters()),
    ("common", "hoi", Filters()),
    ("common", "nam", Filters()),
    ("common", "cac", Filters()),
    ("words+filter", "hoi vien", Filters(province="Hưng Yên")),
    ("words+filter", "doan vien", Filters(measure="count", status="reported")),
    ("words+filter", "trieu dong", Filters(min="1000000", since="2015", until="2020")),
    ("words+filter", "phu nu", Filters(organisation="hoi lien hiep phu nu")),
    ("words+filter", "ket nap", Filters(province="Lạng Sơn", measure="count")),
    ("filter-only", "", Filters(province="Đà Nẵng")),
    ("filter-only", "", Filters(measure="percent", status="target")),
    ("filter-only", "", Filters(min="1000000000")),
]


def source_db(path: str | None, tmp: Path) -> Path:
    if path:
        return Path(path)
    from pipeline.batch import run_batch

    out = tmp / "source.sqlite"
    print("building the source DB: pipeline batch target.jsonl (about a minute)", flush=True)
    run_batch([SHARED / "corpora/real/target.jsonl"], out, workers=2, progress=False)
    return out


def build(src: Path, dest: Path, n_claims: int, seed: int = 6) -> None:
    rng = random.Random(seed)
    s = sqlite3.connect(src)
    arts = {
        r[0]: r[1:]
        for r in s.execute("SELECT id, title, published, url, title_folded FROM articles")
    }
    base = s.execute(
        "SELECT c.article_id, c.start, c.end, c.text, c.sentence, c.value, c.value_max, "
        "c.denominator, c.measure, c.status, c.qualifier, c.unit, c.subject, c.period, "
        "c.organisation, c.organisation_id, c.location, c.year, "
        "COALESCE((SELECT text_folded FROM sentences WHERE id = c.sentence_id), '') "
        "FROM claims c ORDER BY c.article_id, c.start"
    ).fetchall()
    s.close()
    if not base:
        raise SystemExit(f"{src} has no claims")
    by_article: dict[str, list[tuple]] = {}
    for row in base:
        by_article.setdefault(row[0], []).append(row)
    Store(dest).close()  # the schema, through the migrations
    c = sqlite3.connect(dest)
    c.execute("PRAGMA journal_mode=OFF")
    c.execute("PRAGMA synchronous=OFF")
    copies = -(-n_claims // len(base))
    done = 0
    t0 = time.perf_counter()
    for copy in range(copies):
        a_rows, c_rows, f_rows = [], [], []
        for aid, claims in by_article.items():
            if done >= n_claims:
                break
            title, published, url, title_folded = arts[aid]
            new_id = f"{aid}-{copy}"
            year = published[:4] if published else str(rng.randint(2013, 2024))
            pub = published or (f"{year}-{rng.randint(1, 12):02d}-15" if copy % 2 else None)
            prov = rng.choice(PROVINCES)
            a_rows.append(
                (new_id, url, title, pub, "bench", "jsonl", "", 0, title_folded, "", "h", "f",
                 0, len(claims), 0, "[]", "{}", "bench")
            )  # fmt: skip
            for r in claims[: n_claims - done]:
                factor = rng.uniform(0.5, 1.5)
                value = round(r[5] * factor, 2)
                rowid = done + 1
                c_rows.append(
                    (rowid, f"{new_id}:{r[1]}-{r[2]}", new_id, r[1], r[2], r[3], r[4], value,
                     r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15], r[16],
                     prov[0], prov[1], int(year) if pub else r[17], "published" if pub else "period",
                     "bench", "bench")
                )  # fmt: skip
                f_rows.append((rowid, r[18] or fold(r[4]), title_folded or ""))
                done += 1
        c.executemany(
            "INSERT INTO articles (id, url, title, published, source, source_format, text, "
            "body_offset, title_folded, text_folded, content_hash, fingerprint, n_sentences, "
            "n_claims, n_tags, stages, stage_versions, run_id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            a_rows,
        )
        c.executemany(
            'INSERT INTO claims (rowid, id, article_id, start, "end", text, sentence, value, '
            "value_max, denominator, measure, status, qualifier, unit, subject, period, "
            "organisation, organisation_id, location, province_id, province_new_id, year, "
            "year_source, extractor_version, run_id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            c_rows,
        )
        c.executemany(
            "INSERT INTO claims_fts (rowid, sentence_folded, title_folded) VALUES (?,?,?)",
            f_rows,
        )
        c.commit()
        if done >= n_claims:
            break
    c.execute("INSERT INTO claims_fts(claims_fts) VALUES ('optimize')")
    c.commit()
    c.execute("ANALYZE")
    c.close()
    print(f"built {done:,} claims from {len(base):,} real ones in {time.perf_counter() - t0:.0f} s")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench(db: Path, repeat: int) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    size = db.stat().st_size / 1e6
    print(f"database: {db} ({n:,} claims, {size:,.0f} MB)")
    for _, q, f in QUERIES:  # warm the page cache once
        search(conn, q, f, limit=20)
    times: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    for _ in range(repeat):
        for kind, q, f in QUERIES:
            t = time.perf_counter()
            rows = search(conn, q, f, limit=20)
            times.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
            times.setdefault(f"{kind}: {q or f}", []).append(times[kind][-1])
            hits[f"{kind}: {q or f}"] = len(rows)
    every = [t for k, v in times.items() if ":" not in k for t in v]
    print(f"\nall {len(every)} searches: median {statistics.median(every):.1f} ms, "
          f"p95 {pct(every, 95):.1f} ms, max {max(every):.1f} ms")  # fmt: skip
    for kind in dict.fromkeys(k for k, _, _ in QUERIES):
        v = times[kind]
        print(f"  {kind:13s} median {statistics.median(v):7.1f} ms  p95 {pct(v, 95):7.1f} ms")
    print("\nper query (median ms, rows returned):")
    for kind, q, f in QUERIES:
        key = f"{kind}: {q or f}"
        print(f"  {statistics.median(times[key]):7.1f}  {hits[key]:3d}  {key}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source-db", help="database with real claims (pipeline batch output)")
    ap.add_argument("--bench-db", help="reuse (or build at) this path")
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.bench_db) if args.bench_db else Path(tmp) / "bench.sqlite"
        if not db.exists():
            build(source_db(args.source_db, Path(tmp)), db, args.claims)
        bench(db, args.repeat)


if __name__ == "__main__":
    main()
