"""The .txt layout rules (pipeline/io/txt.py) on the seed and on small synthetic files."""

from __future__ import annotations

from pathlib import Path

from pipeline.io.readers import read_articles
from pipeline.io.txt import parse_txt
from pipeline.types import Article


def test_seed_layout(seed_path: Path) -> None:
    layout = parse_txt(seed_path.read_text(encoding="utf-8"))
    assert layout.title == "Lạng Sơn: Giới thiệu hơn 3.400 quần chúng ưu tú được kết nạp Đảng"
    assert layout.published == "2022-01-06"
    assert layout.byline == "Ban TG - CSLP Hội LHPN tỉnh Lạng Sơn"
    assert layout.furniture == ("TÂM ĐIỂM", "CÁC ĐỀ ÁN", "Video")
    assert layout.body.startswith("Trong những năm qua, cùng với các phong trào")
    assert layout.body.endswith("trong đó có hơn 3.400 quần chúng được kết nạp.")
    assert "TÂM ĐIỂM" not in layout.body and "Ban TG" not in layout.body


def test_seed_gets_the_corpus_id(seed_path: Path) -> None:
    (article,) = list(read_articles([seed_path]))
    assert isinstance(article, Article)
    # the shared corpus's rule: sha1 of the NFC body when there is no URL
    assert article.id == "2d17c963106f10c8"
    assert article.text.startswith(article.title + "\n\n")  # type: ignore[operator]
    assert article.published == "2022-01-06"


def test_no_date_no_furniture() -> None:
    layout = parse_txt("Đoàn Thanh niên ra quân\nHơn 200 đoàn viên tham gia dọn vệ sinh.\n")
    assert layout.title == "Đoàn Thanh niên ra quân"
    assert layout.published is None
    assert layout.body == "Hơn 200 đoàn viên tham gia dọn vệ sinh."
    assert layout.byline is None and layout.furniture == ()


def test_short_final_sentence_with_punctuation_is_body() -> None:
    text = "Tiêu đề\n\n12/3/2023\nĐoạn một dài có 5 hội viên.\n\nCảm ơn.\n"
    layout = parse_txt(text)
    assert layout.body.endswith("Cảm ơn.")
    assert layout.published == "2023-03-12"


def test_byline_then_furniture() -> None:
    text = "Tiêu đề\nNội dung có 3 chi hội.\n\nThu Hà\n\nTin liên quan\nVideo\n"
    layout = parse_txt(text)
    assert layout.body == "Nội dung có 3 chi hội."
    assert layout.byline == "Thu Hà"
    assert layout.furniture == ("Tin liên quan", "Video")


def test_front_matter_overrides(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "---\nurl: https://hoilhpn.org.vn/tin/a-1-2.html\ntitle: Tiêu đề thật\n"
        "published: 2024-05-01\noutlet: hoilhpn\n---\nDòng đầu của thân bài có 7 hội viên.\n",
        encoding="utf-8",
    )
    (article,) = list(read_articles([path]))
    assert isinstance(article, Article)
    assert article.title == "Tiêu đề thật"
    assert article.url == "https://hoilhpn.org.vn/tin/a-1-2.html"
    assert article.published == "2024-05-01" and article.outlet == "hoilhpn"
    assert article.body == "Dòng đầu của thân bài có 7 hội viên."


def test_a_date_later_in_the_body_is_body() -> None:
    layout = parse_txt("Tiêu đề\nĐoạn đầu.\n06/01/2022\nĐoạn sau.")
    assert layout.published is None
    assert "06/01/2022" in layout.body


def test_crlf_and_nbsp() -> None:
    layout = parse_txt("Tiêu đề\r\n\r\nCó\u00a03.400 người.\r\n")
    assert layout.body == "Có\u00a03.400 người."
