"""Near-duplicate linking: syndicated copies made at test time from the real pages."""

from __future__ import annotations

import html as htmllib
import json
from pathlib import Path

import pytest

from pipeline.extract.dedup import NearDuplicateIndex, containment, shingles
from pipeline.extract.html import Extracted, extract_page


@pytest.fixture(scope="module")
def originals(real_corpus: Path) -> dict[str, Extracted]:
    html = real_corpus / "html"
    out = {}
    for line in (html / "expectations.jsonl").read_text(encoding="utf-8").splitlines():
        exp = json.loads(line)
        out[exp["outlet"]] = extract_page((html / exp["file"]).read_bytes(), url=exp["url"])
    return out


def syndicate(page: Extracted, *, title: str, keep: float, outlet: str) -> bytes:
    """Another outlet's copy: new HTML shell, new title, body trimmed to a share of paragraphs."""
    paras = page.body.split("\n\n")
    paras = paras[: max(2, round(len(paras) * keep))]
    body = "".join(f"<p>{htmllib.escape(p)}</p>" for p in paras)
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><header><nav><a href='/'>{outlet}</a> <a href='/xa-hoi'>Xã hội</a></nav></header>"
        f"<main><article><h1>{htmllib.escape(title)}</h1><div class='content'>{body}"
        f"<p><em>Theo {outlet}</em></p></div></article></main>"
        f"<footer>© {outlet} - Giấy phép số 123/GP-BTTTT</footer></body></html>"
    ).encode()


def test_syndicated_copies_link_and_distinct_articles_do_not(
    originals: dict[str, Extracted],
) -> None:
    index = NearDuplicateIndex()
    for outlet, page in originals.items():
        assert index.add(f"orig:{outlet}", page.body) == [], outlet  # seven distinct articles
    for outlet, page in originals.items():
        full = extract_page(
            syndicate(page, title="Tin tổng hợp: " + (page.title or ""), keep=1.0, outlet="Báo A")
        )
        half = extract_page(
            syndicate(page, title="Nóng: sự việc mới nhất", keep=0.5, outlet="Báo B")
        )
        assert index.add(f"copy-full:{outlet}", full.body) == [f"orig:{outlet}"]
        found = index.add(f"copy-half:{outlet}", half.body)
        assert set(found) == {f"orig:{outlet}", f"copy-full:{outlet}"}, outlet


def test_corpus_articles_are_not_linked_to_each_other(real_corpus: Path) -> None:
    """The first 300 target articles are distinct stories: few or no links among them."""
    index = NearDuplicateIndex()
    links = []
    with (real_corpus / "target.jsonl").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n == 300:
                break
            rec = json.loads(line)
            found = index.add(rec["id"], rec["text"])
            links += [(rec["id"], other) for other in found]
    # any link must be a real copy: nearly all of the shorter text inside the longer
    assert len(links) <= 3, links


def test_short_texts_are_never_linked() -> None:
    index = NearDuplicateIndex()
    index.add("a", "Hội nghị tổng kết năm 2024")
    assert index.add("b", "Hội nghị tổng kết năm 2024") == []


def test_duplicate_id_is_an_error() -> None:
    index = NearDuplicateIndex()
    index.add("a", "một hai ba")
    with pytest.raises(ValueError, match="already"):
        index.add("a", "bốn năm sáu")


def test_query_does_not_insert(originals: dict[str, Extracted]) -> None:
    index = NearDuplicateIndex()
    page = originals["vnexpress"]
    index.add("x", page.body)
    assert index.query(page.body) == ["x"] and len(index) == 1


def test_containment_on_real_text(originals: dict[str, Extracted]) -> None:
    a = shingles(originals["nhandan"].body)
    b = shingles(originals["genk"].body)
    assert containment(a, a) == 1.0 and containment(a, b) < 0.05
