"""The nasty-input corpus: the small files of tests/fixtures/nasty/ plus the ones made at test
time (binary, legacy encodings, deep HTML, the 20 MB article, the 5 MB JSONL line, junk WARC).

``EXPECT`` says what each input must become: ``("article", n)`` n articles, or
``("failure", error_type, words)`` one clear failure whose message has those words.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import shutil
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.extract.charset import encode_legacy
from pipeline.extract.legacy import LEGACY_ENCODINGS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nasty"

SENTENCE = (
    "Năm 2023, Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn kết nạp hơn 3.400 hội viên mới, chiếm 43% số "
    "phụ nữ trong độ tuổi. Toàn tỉnh có 1.250 chi hội với 12 tỷ đồng quỹ tín dụng."
)
TITLE = "Hội Phụ nữ Lạng Sơn kết nạp hội viên mới"
PARAGRAPHS = (
    "Chiều 15/3, tại thành phố Lạng Sơn, Hội Liên hiệp Phụ nữ tỉnh tổ chức hội nghị tổng kết "
    "công tác hội năm 2023 và triển khai nhiệm vụ năm 2024.",
    "Theo báo cáo, các cấp hội đã vận động 620 hộ gia đình đăng ký xây dựng gia đình 5 không "
    "3 sạch và hỗ trợ 85 phụ nữ khởi nghiệp với tổng số vốn 2,5 tỷ đồng.",
)
BIG_CHARS = 20 * 1024 * 1024


def page(title: str, body: str, charset: str | None) -> str:
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if charset
        else ""
    )
    paras = "".join(f"<p>{line}</p>" for line in (body, *PARAGRAPHS))
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body>"
        f"<header><a href='/'>Trang chủ</a></header><article><h1>{title}</h1>{paras}</article>"
        "<footer>Bản quyền</footer></body></html>"
    )


def warc_response(url: str, html: bytes) -> bytes:
    """One gzipped WARC response record (as the scraper writes them)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=http)
    writer.write_record(record)
    return buf.getvalue()


def build(root: Path) -> Path:
    """Write the whole corpus into ``root`` (a directory) and return it."""
    root.mkdir(parents=True, exist_ok=True)
    for f in FIXTURES.iterdir():
        if f.name != ".gitattributes":
            shutil.copyfile(f, root / f.name)
    rng = random.Random(9)
    (root / "binary.txt").write_bytes(bytes(rng.randrange(256) for _ in range(20_000)))
    (root / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(20_000))
    (root / "pdf.jsonl").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + rng.randbytes(3000))
    for enc in ("tcvn3", "vni"):
        for charset, name in ((enc.upper(), "meta"), (None, "nometa")):
            html = page(
                TITLE, f"{SENTENCE} Trang {enc} {'có' if charset else 'không'} khai báo.", charset
            )
            (root / f"{enc}-{name}.html").write_bytes(encode_legacy(html, enc))
    for legacy in LEGACY_ENCODINGS:  # the texts differ: the same text is the same article id
        text = f"{TITLE}\n\n{SENTENCE} Tệp văn bản {legacy}.\n"
        (root / f"{legacy}.txt").write_bytes(encode_legacy(text, legacy))
    # Western European text in Windows-1252: not UTF-8 and not Vietnamese, so refused
    western = "Grüße aus München\n\nDer Verein zählt 3.400 Mitglieder, über 43 % mehr.\n"
    (root / "cp1252-western.txt").write_bytes(western.encode("cp1252"))
    deep = "<div>" * 5000 + f"<p>{SENTENCE}</p>" * 3 + "</div>" * 5000
    (root / "deep-nesting.html").write_text(page(TITLE, deep, "utf-8"), encoding="utf-8")
    unclosed = "<div><span><b><i>" * 3000 + SENTENCE * 3
    (root / "unclosed.html").write_text(page(TITLE, unclosed, None), encoding="utf-8")
    # 20 MB: a too_large failure, read without holding several copies
    big = (SENTENCE + " ") * (BIG_CHARS // (len(SENTENCE) + 1) + 1)
    (root / "big-20mb.txt").write_text(f"{TITLE}\n\n{big}", encoding="utf-8")
    with (root / "big-20mb.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "big", "title": TITLE, "text": big}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": "after-big", "title": TITLE, "text": SENTENCE}) + "\n")
    # a 5 MB line whose article is small (the bulk is an extra field), and one whose text is
    # 5 MB of ASCII digits and spaces (over the 2,000,000-character limit)
    with (root / "line-5mb.jsonl").open("w", encoding="utf-8") as fh:
        extra = "x" * (5 * 1024 * 1024)
        fh.write(json.dumps({"id": "fat-line", "title": TITLE, "text": SENTENCE, "html": extra}))
        fh.write("\n")
        fh.write(json.dumps({"id": "long-text", "text": "12 " * (5 * 1024 * 1024 // 3)}) + "\n")
    (root / "garbage.warc").write_bytes(b"not a warc at all\r\n" + rng.randbytes(500))
    (root / "garbage.warc.gz").write_bytes(rng.randbytes(500))
    (root / "truncated.warc.gz").write_bytes(gzip.compress(b"WARC/1.1\r\nWARC-Type: resp")[:-8])
    (root / "truncated.warc").write_bytes(b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Tar")
    # one complete article record, then a crawl killed inside the next one
    whole = warc_response("https://hoiphunu.vn/a.html", page(TITLE, SENTENCE, "utf-8").encode())
    torn = warc_response("https://hoiphunu.vn/b.html", page(TITLE, SENTENCE, None).encode())
    (root / "truncated-tail.warc.gz").write_bytes(whole + torn[: len(torn) // 2])
    return root


# file name -> (articles, failure error types); None: either outcome is right as long as it is
# an article or one clear failure (extraction of hostile markup is best effort)
EXPECT: dict[str, tuple[int, tuple[str, ...]] | None] = {
    "absurd-numbers.txt": (1, ()),
    "bom.jsonl": (2, ()),
    "crlf.jsonl": (3, ()),
    "crlf.txt": (1, ()),
    "emoji.txt": (1, ()),
    "empty.txt": (0, ("EmptyArticle",)),
    "invalid-utf8.txt": (0, ("UnicodeDecodeError",)),
    "menu-only.html": (0, ("ExtractionError",)),
    "mixed-separators.txt": (1, ()),
    "nfd.txt": (1, ()),
    "no-sentence-ends.txt": (1, ()),
    "odd-records.jsonl": (
        6,
        ("BadUnicode", "UnicodeDecodeError", "BadRecord", "JSONTooDeep", "JSONDecodeError"),
    ),
    "utf16-be-nobom.txt": (1, ()),
    "utf16-bom.txt": (1, ()),
    "utf16-nobom.txt": (1, ()),
    "whitespace-only.txt": (0, ("EmptyArticle",)),
    "zero-width-bidi.txt": (1, ()),
    "zero-width-only.txt": (0, ("EmptyArticle",)),
    "binary.txt": (0, ("BinaryFile",)),
    "binary.html": (0, ("ExtractionError",)),
    "pdf.jsonl": (0, ("JSONDecodeError",) + ("UnicodeDecodeError",) * 18),
    "tcvn3-meta.html": (1, ()),
    "tcvn3-nometa.html": (1, ()),
    "vni-meta.html": (1, ()),
    "vni-nometa.html": (1, ()),
    "tcvn3.txt": (1, ()),
    "vni.txt": (1, ()),
    "windows-1258.txt": (1, ()),
    "cp1252-western.txt": (0, ("UnicodeDecodeError",)),
    "deep-nesting.html": None,
    "unclosed.html": None,
    "big-20mb.txt": (0, ("too_large",)),
    "big-20mb.jsonl": (1, ("too_large",)),
    "line-5mb.jsonl": (1, ("too_large",)),
    "garbage.warc": (0, ("ValueError",)),
    "garbage.warc.gz": (0, ("ValueError",)),
    "truncated.warc.gz": (0, ("TruncatedWARC",)),
    "truncated.warc": (0, ("TruncatedWARC",)),
    "truncated-tail.warc.gz": (1, ("TruncatedWARC",)),
}

# words a failure message of each type must hold, so that it says what is wrong
MESSAGE_WORDS = {
    "EmptyArticle": "empty article",
    "UnicodeDecodeError": "UTF-8",
    "BinaryFile": "binary file",
    "ExtractionError": "page",
    "too_large": "--max-chars",
    "ValueError": "not a WARC",
    "BadUnicode": "surrogate",
    "BadRecord": "'text'",
    "JSONTooDeep": "nested too deeply",
    "JSONDecodeError": "not JSON",
    "TruncatedWARC": "WARC, ",  # "truncated WARC, 0 records: ...", "truncated or corrupt WARC, ..."
}
