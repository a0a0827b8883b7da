"""Body-extraction figures: real Vietnamese pages, qdnd fragments, trafilatura's eval set.

Usage:  .venv/bin/python benchmarks/extraction.py [--shared ../shared] [--limit N]

Prints
1. expectations.jsonl (7 Vietnamese article pages): `with` strings found, `without`
   strings leaked, titles / dates / authors matching; and whether the homepage is refused;
2. the 27 qdnd article-body fragments against their corpus records (token F1, and the
   share of the record's body paragraphs found verbatim in the extracted body);
3. trafilatura-eval (../shared/peer-tests/trafilatura-eval): precision / recall / F1 /
   accuracy over `with`/`without` segments, upstream scoring, for ``extract_page`` and for
   trafilatura's own ``extract`` with default settings, plus the time each took;
4. legacy-charset detection on every target article encoded in TCVN3 / VNI / Windows-1258
   (labelled ISO-8859-1), and false alarms on the European eval pages in Windows-1252;
5. near-duplicate links over target + background (5,499 articles) and the time taken.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path

import trafilatura

from pipeline.extract.charset import decode_html, encode_legacy
from pipeline.extract.dedup import NearDuplicateIndex
from pipeline.extract.html import ExtractionError, extract_page
from pipeline.extract.legacy import LEGACY_ENCODINGS
from pipeline.extract.metadata import parse_vietnamese_datetime

REPO = Path(__file__).resolve().parents[1]


def ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def vietnamese_pages(html_dir: Path) -> None:
    found = total_with = leaked = total_without = titles = dates = authors = pages = 0
    for line in (html_dir / "expectations.jsonl").open(encoding="utf-8"):
        exp = json.loads(line)
        page = extract_page((html_dir / exp["file"]).read_bytes(), url=exp["url"])
        body = ws(page.body)
        pages += 1
        found += sum(ws(s) in body for s in exp["with"])
        total_with += len(exp["with"])
        leaked += sum(ws(s) in body for s in exp["without"])
        total_without += len(exp["without"])
        titles += page.title == exp["title"]
        want = parse_vietnamese_datetime(exp["published"])
        dates += want is not None and page.published == want.date().isoformat()
        authors += page.author == exp["author"]
    print("1. Vietnamese article pages (expectations.jsonl)")
    print(f"   with strings found     {found}/{total_with}")
    print(f"   without strings leaked {leaked}/{total_without}")
    print(f"   titles {titles}/{pages}  dates {dates}/{pages}  authors {authors}/{pages}")
    for line in (html_dir / "index.jsonl").open(encoding="utf-8"):
        item = json.loads(line)
        if item["kind"] == "homepage":
            try:
                extract_page((html_dir / item["file"]).read_bytes(), url=item["url"])
                print(f"   homepage {item['file']}: NOT refused")
            except ExtractionError as exc:
                print(f"   homepage {item['file']}: refused ({exc})")


def _tokens(text: str) -> collections.Counter[str]:
    return collections.Counter(re.findall(r"\w+", text.lower()))


def token_f1(got: str, want: str) -> float:
    a, b = _tokens(got), _tokens(want)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * p * r / (p + r)


def qdnd_fragments(corpus: Path) -> None:
    wanted = {}
    for line in (corpus / "html" / "index.jsonl").open(encoding="utf-8"):
        item = json.loads(line)
        if item["kind"] == "article_body_fragment" and item["corpus_id"]:
            wanted[item["corpus_id"]] = item["file"]
    records = {}
    for line in (corpus / "background.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        if rec["id"] in wanted:
            records[rec["id"]] = rec["text"]
    f1s, paras_found, paras_total, errors = [], 0, 0, 0
    for cid, name in sorted(wanted.items(), key=lambda kv: kv[1]):
        try:
            body = extract_page((corpus / "html" / name).read_bytes()).body
        except ExtractionError:
            errors += 1
            f1s.append(0.0)
            continue
        ref = records[cid]
        f1s.append(token_f1(body, ref))
        # the record's first paragraph is the summary, which the fragment does not hold
        for para in [ws(p) for p in ref.split("\n\n")[1:] if p.strip()]:
            paras_total += 1
            paras_found += para in ws(body)
    print(f"2. qdnd article-body fragments vs corpus records ({len(wanted)})")
    print(f"   token F1 mean {sum(f1s) / len(f1s):.3f}  min {min(f1s):.3f}  errors {errors}")
    print(f"   record body paragraphs found verbatim {paras_found}/{paras_total}")


def _score(text: str, item: dict[str, list[str]]) -> tuple[int, int, int, int]:
    text = ws(text)
    tp = sum(ws(s) in text for s in item["with"])
    fp = sum(ws(s) in text for s in item["without"])
    return tp, len(item["with"]) - tp, fp, len(item["without"]) - fp


def _report(name: str, c: list[int], seconds: float) -> None:
    tp, fn, fp, tn = c
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    acc = (tp + tn) / (tp + fn + fp + tn)
    print(f"   {name:<28} P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  acc {acc:.3f}  ({seconds:.1f} s)")


def trafilatura_eval(folder: Path, limit: int | None) -> None:
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    items = list(data.items())[:limit]
    ours, theirs = [0, 0, 0, 0], [0, 0, 0, 0]
    t_ours = t_theirs = 0.0
    refused = 0
    for url, item in items:
        raw = (folder / item["file"]).read_bytes()
        start = time.perf_counter()
        try:
            text = extract_page(raw, url=url).body
        except ExtractionError:
            text, refused = "", refused + 1
        t_ours += time.perf_counter() - start
        start = time.perf_counter()
        baseline = trafilatura.extract(raw, url=url, include_comments=False) or ""
        t_theirs += time.perf_counter() - start
        ours = [a + b for a, b in zip(ours, _score(text, item), strict=True)]
        theirs = [a + b for a, b in zip(theirs, _score(baseline, item), strict=True)]
    print(f"3. trafilatura-eval ({len(items)} pages, upstream segment scoring)")
    _report("extract_page", ours, t_ours)
    _report("trafilatura.extract default", theirs, t_theirs)
    print(f"   extract_page refused {refused} pages (counted as empty text)")


def legacy_detection(corpus: Path, eval_folder: Path) -> None:
    """Encode every target article in each legacy encoding; decode with no label."""
    letters = {chr(c) for c in range(0x80, 0x2000)}
    texts = []
    for line in (corpus / "target.jsonl").open(encoding="utf-8"):
        text = json.loads(line)["text"][:1500]
        texts.append("".join(c for c in text if c.isascii() or c in letters))
    print(f"4. legacy charset detection, {len(texts)} target articles (first 1,500 chars)")
    for enc in LEGACY_ENCODINGS:
        right = skipped = 0
        start = time.perf_counter()
        for text in texts:
            try:
                data = encode_legacy(text, enc)
            except ValueError:  # a character the encoding lacks (typographic quotes in TCVN3)
                skipped += 1
                continue
            right += decode_html(data, "text/html; charset=iso-8859-1") == (text, enc)
        took = time.perf_counter() - start
        print(
            f"   {enc:<13} detected and decoded exactly {right}/{len(texts) - skipped}"
            f"  ({skipped} not encodable; {took:.1f} s)"
        )
    data = json.loads((eval_folder / "evaldata.json").read_text(encoding="utf-8"))
    western = wrong = 0
    for item in data.values():
        text, _ = decode_html((eval_folder / item["file"]).read_bytes())
        try:
            raw = text.encode("cp1252")
        except UnicodeEncodeError:
            continue
        if raw.isascii():
            continue
        western += 1
        wrong += decode_html(raw)[1] in LEGACY_ENCODINGS
    print(f"   European pages re-encoded as Windows-1252, taken for Vietnamese: {wrong}/{western}")


def dedup(corpus: Path) -> None:
    index = NearDuplicateIndex()
    pairs = 0
    start = time.perf_counter()
    n = 0
    for name in ("target.jsonl", "background.jsonl"):
        for line in (corpus / name).open(encoding="utf-8"):
            rec = json.loads(line)
            pairs += len(index.add(rec["id"], rec["text"]))
            n += 1
    took = time.perf_counter() - start
    print(f"5. near-duplicates over the corpus: {n} articles, {pairs} links, {took:.1f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--limit", type=int, default=None, help="first N trafilatura-eval pages")
    args = ap.parse_args(argv)
    corpus = args.shared / "corpora" / "real"
    if not corpus.exists():
        print(f"needs {corpus}", file=sys.stderr)
        return 2
    vietnamese_pages(corpus / "html")
    qdnd_fragments(corpus)
    trafilatura_eval(args.shared / "peer-tests" / "trafilatura-eval", args.limit)
    legacy_detection(corpus, args.shared / "peer-tests" / "trafilatura-eval")
    dedup(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
