"""WARC archive: round trip, truncated tails (a killed crawl), and non-WARC input."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from pipeline.scrape.archive import WarcArchive, iter_warc_pages


def _write(tmp_path: Path, n: int = 3) -> Path:
    with WarcArchive(tmp_path, prefix="t") as w:
        for i in range(n):
            w.write_response(
                f"http://127.0.0.1/{i}.html",
                200 if i else 301,
                (("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")),
                os.urandom(2000),
                request_headers=(("User-Agent", "test"),),
                truncated=(i == 2),
            )
    return w.path


def test_round_trip_keeps_status_headers_body_and_ids(tmp_path: Path) -> None:
    path = _write(tmp_path)
    pages = list(iter_warc_pages(path))
    assert [p.url for p in pages] == [f"http://127.0.0.1/{i}.html" for i in range(3)]
    assert [p.status for p in pages] == [301, 200, 200]
    assert all(len(p.body) == 2000 for p in pages)
    assert all(p.warc_file == str(path) for p in pages)
    assert len({p.warc_record_id for p in pages}) == 3
    assert all(p.warc_record_id.startswith("<urn:uuid:") for p in pages)
    # decoded body is stored, so the encoding header must not claim gzip
    headers = dict(pages[1].headers)
    assert "Content-Encoding" not in headers
    assert headers["Content-Length"] == "2000"
    assert pages[0].fetched_at.endswith("Z")


@pytest.mark.parametrize("cut", [40, 400, 1900])
def test_truncated_tail_yields_every_complete_record(tmp_path: Path, cut: int) -> None:
    data = _write(tmp_path).read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[: len(data) - cut])
    pages = list(iter_warc_pages(broken))
    assert [p.url for p in pages] == ["http://127.0.0.1/0.html", "http://127.0.0.1/1.html"]


def test_uncompressed_warc_reads_too(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    plain.write_bytes(gzip.decompress(_write(tmp_path).read_bytes()))
    assert len(list(iter_warc_pages(plain))) == 3


def test_not_a_warc_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.warc"
    bad.write_bytes(b"<html>not an archive</html>")
    with pytest.raises(ValueError, match="not a WARC file"):
        list(iter_warc_pages(bad))


@pytest.mark.parametrize("cut", [0, 1, 12])
def test_a_warc_torn_before_its_first_record_has_no_pages(tmp_path: Path, cut: int) -> None:
    """A crawl killed right after opening its WARC leaves an empty or cut file: no pages, no error."""
    torn = tmp_path / "torn.warc.gz"
    torn.write_bytes(_write(tmp_path).read_bytes()[:cut])
    assert list(iter_warc_pages(torn)) == []
