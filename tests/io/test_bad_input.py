"""Bad input gets a clear message and a failure, and the stream goes on."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.io.readers import read_articles
from pipeline.types import Article, Failure


def _items(*paths: Path | str) -> list[Article | Failure]:
    return list(read_articles(list(paths)))


def test_broken_jsonl_lines_fail_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [
        json.dumps({"id": "ok1", "title": "A", "text": "Có 5 hội viên."}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "notext", "title": "B"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "empty", "title": "", "text": "   "}),
        "",
        json.dumps({"id": "ok2", "text": "Có 7 chi hội."}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _items(path)
    ok = [i.id for i in items if isinstance(i, Article)]
    failures = {i.source.rsplit(":", 1)[1]: i for i in items if isinstance(i, Failure)}
    assert ok == ["ok1", "ok2"]
    assert failures["2"].error_type == "JSONDecodeError"
    assert "no 'text'" in failures["3"].message
    assert failures["4"].error_type == "BadRecord"
    assert failures["5"].error_type == "EmptyArticle"


def test_empty_binary_and_invalid_utf8_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin.txt").write_bytes("Tiêu đề\nCó 5 người.".encode() + b" \xc3\x28 x")
    (tmp_path / "good.txt").write_text("Tiêu đề\nCó 5 hội viên.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored: not an article file", encoding="utf-8")
    items = _items(tmp_path)
    by_name = {Path(i.source).name: i for i in items}
    assert isinstance(by_name["good.txt"], Article)
    assert isinstance(by_name["empty.txt"], Failure) and "empty" in by_name["empty.txt"].message
    assert isinstance(by_name["binary.txt"], Failure)
    assert by_name["binary.txt"].error_type == "BinaryFile"
    assert isinstance(by_name["latin.txt"], Failure)
    assert "UTF-8" in by_name["latin.txt"].message
    assert "notes.md" not in by_name


def test_utf16_with_and_without_bom(tmp_path: Path) -> None:
    text = "Tiêu đề\nHội có 1.200 hội viên."
    (tmp_path / "bom.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "nobom.txt").write_bytes(text.encode("utf-16-le"))
    items = _items(tmp_path / "bom.txt", tmp_path / "nobom.txt")
    assert all(isinstance(i, Article) and i.body == "Hội có 1.200 hội viên." for i in items)


def test_unreadable_file_in_a_directory(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Tiêu đề\nCó 5 hội viên.", encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "does-not-exist")
    (tmp_path / "dir.txt").mkdir()  # a directory named like an article file
    items = _items(tmp_path)
    assert sum(isinstance(i, Article) for i in items) == 1
    failures = [i for i in items if isinstance(i, Failure)]
    assert {Path(f.source).name for f in failures} == {"dangling.txt"}
    assert "cannot read" in failures[0].message


def test_missing_and_unsupported_paths(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    items = _items(tmp_path / "nope.jsonl", tmp_path / "x.pdf")
    assert [type(i).__name__ for i in items] == ["Failure", "Failure"]
    assert items[0].error_type == "FileNotFoundError"  # type: ignore[union-attr]
    assert "unsupported file type" in items[1].message  # type: ignore[union-attr]


def test_too_large_article_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": "a " * 6000}) + "\n", encoding="utf-8")
    (item,) = list(read_articles([path], max_chars=10_000))
    assert isinstance(item, Failure) and item.error_type == "too_large"
    assert "--max-chars" in item.message


def test_nfd_input_is_composed(tmp_path: Path) -> None:
    path = tmp_path / "nfd.jsonl"
    nfd = "Ho\u0300a Bi\u0300nh co\u0301 3.400 ngu\u031bo\u031b\u0300i"
    path.write_text(json.dumps({"id": "n", "text": nfd}) + "\n", encoding="utf-8")
    (item,) = list(read_articles([path]))
    assert isinstance(item, Article)
    assert item.text == "Hòa Bình có 3.400 người" == item.raw_text
