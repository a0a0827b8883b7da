"""Hostile inputs through the readers, ``pipeline batch`` and ``pipeline extract``.

Every input gives articles (with sound claims) or one clear failure row; nothing crashes,
the run goes on past each bad input and exits 1 with the good articles stored.
"""

from __future__ import annotations

import collections
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.extract.charset import encode_legacy
from pipeline.io.readers import read_articles
from pipeline.types import Article, Failure
from tests.batch.conftest import table_content
from tests.faults.nasty import EXPECT, MESSAGE_WORDS, SENTENCE, build

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 300


@pytest.fixture(scope="module")
def nasty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("nasty") / "corpus")


def _name(source: str) -> str:
    """The file name of a failure/article source (``path``, ``path:line``, ``path#record``)."""
    name = Path(source).name.split("#")[0]
    head, _, line = name.rpartition(":")
    return head if head and line.isdigit() else name


def _pipeline(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        timeout=TIMEOUT,
    )


def _check_failure(error_type: str, message: str) -> None:
    assert message and "Traceback" not in message
    assert MESSAGE_WORDS[error_type] in message, (error_type, message)


def test_every_input_is_listed(nasty: Path) -> None:
    assert sorted(p.name for p in nasty.iterdir()) == sorted(EXPECT)


def test_readers_give_articles_or_clear_failures(nasty: Path) -> None:
    by_file: dict[str, list[Article | Failure]] = collections.defaultdict(list)
    for item in read_articles([nasty]):
        by_file[_name(item.source)].append(item)
    for name, spec in EXPECT.items():
        items = by_file.get(name, [])
        articles = [i for i in items if isinstance(i, Article)]
        failures = [i for i in items if isinstance(i, Failure)]
        for f in failures:
            _check_failure(f.error_type, f.message)
        if spec is None:
            assert len(items) == 1, (name, items)
            continue
        assert len(articles) == spec[0], (name, items)
        assert sorted(f.error_type for f in failures) == sorted(spec[1]), (name, failures)
        for a in articles:
            assert a.text.strip() and len(a.text) == len(a.raw_text)
            assert "\r" not in a.raw_text and "\ufffd" not in a.raw_text


DECODED = (
    "nfd.txt",
    "utf16-bom.txt",
    "utf16-nobom.txt",
    "utf16-be-nobom.txt",
    "tcvn3-meta.html",
    "tcvn3-nometa.html",
    "vni-meta.html",
    "vni-nometa.html",
    "tcvn3.txt",
    "vni.txt",
    "windows-1258.txt",
    "crlf.txt",
)


def test_decoded_inputs_keep_their_words(nasty: Path) -> None:
    """UTF-16, NFD, TCVN3, VNI and Windows-1258 pages and texts come out as the same NFC
    Vietnamese."""
    for name in DECODED:
        (item,) = read_articles([nasty / name])
        assert isinstance(item, Article), (name, item)
        assert SENTENCE in item.raw_text, name


def test_menu_only_page_is_no_article(nasty: Path) -> None:
    (item,) = read_articles([nasty / "menu-only.html"])
    assert isinstance(item, Failure) and item.error_type == "ExtractionError"
    assert "page is navigation only: 40 of its 40 text blocks are links" in item.message


def test_truncated_warcs_are_failure_rows(nasty: Path) -> None:
    """A WARC torn inside its first record says so ("truncated WARC, 0 records"); one torn
    after a complete record gives that record's article and says the rest is lost."""
    (item,) = read_articles([nasty / "truncated.warc.gz"])
    assert isinstance(item, Failure) and item.error_type == "TruncatedWARC"
    assert item.message.startswith("truncated WARC, 0 records: ")
    (item,) = read_articles([nasty / "truncated.warc"])  # warcio crashed on this header
    assert isinstance(item, Failure) and ", 0 records: " in item.message
    article, failure = read_articles([nasty / "truncated-tail.warc.gz"])
    assert isinstance(article, Article) and SENTENCE in article.raw_text
    assert isinstance(failure, Failure) and failure.message.startswith("truncated WARC, 1 record:")


def _expected_counts() -> tuple[int, collections.Counter[str]]:
    n_articles = 0
    fails: collections.Counter[str] = collections.Counter()
    for spec in EXPECT.values():
        if spec is not None:
            n_articles += spec[0]
            fails.update(spec[1])
    return n_articles, fails


@pytest.mark.slow
def test_batch_stores_good_articles_and_failure_rows(nasty: Path, tmp_path: Path) -> None:
    db = tmp_path / "nasty.sqlite"
    proc = _pipeline("batch", str(nasty), "--db", str(db), "--workers", "2", "--no-progress")
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    conn = sqlite3.connect(db)
    articles = conn.execute("SELECT source, text FROM articles").fetchall()
    failures = conn.execute("SELECT source, stage, error_type, message FROM failures").fetchall()
    status = conn.execute("SELECT status, failures FROM runs").fetchall()
    n_articles, expected_fails = _expected_counts()
    flexible = {n for n, spec in EXPECT.items() if spec is None}
    got_fails = collections.Counter(t for s, _, t, _ in failures if _name(s) not in flexible)
    assert got_fails == expected_fails
    for _source, _stage, error_type, message in failures:
        _check_failure(error_type, message)
    stored = [s for s, _ in articles if _name(s) not in flexible]
    assert len(stored) == n_articles
    assert len(articles) + len(failures) == n_articles + sum(expected_fails.values()) + len(
        flexible
    )
    assert status == [("finished", len(failures))]
    # every claim is where it says it is
    rows = conn.execute(
        "SELECT a.text, c.start, c.end, c.text, c.sentence, c.value FROM claims c "
        "JOIN articles a ON a.id = c.article_id"
    ).fetchall()
    assert len(rows) > 100
    for text, start, end, ctext, sentence, value in rows:
        assert text[start:end] == ctext and ctext in sentence
        assert value == value and abs(value) != float("inf")
    # the decoded inputs gave the same claim as the plain sentence
    decoded = conn.execute(
        "SELECT DISTINCT a.source FROM claims c JOIN articles a ON a.id = c.article_id "
        "WHERE c.value = 3400 AND c.unit = 'hội viên' AND c.qualifier = 'more_than'"
    ).fetchall()
    assert set(DECODED) <= {_name(s) for (s,) in decoded}
    conn.close()
    # a second run over the same inputs: same rows, same failures, nothing redone
    before = table_content(db)
    again = _pipeline("batch", str(nasty), "--db", str(db), "--workers", "1", "--json")
    assert again.returncode == 1, again.stderr.decode()
    summary = json.loads(again.stdout)
    assert summary["articles_processed"] == 0
    assert summary["articles_skipped"] == len(articles)
    assert table_content(db) == before


def _no_constant(name: str) -> None:
    raise AssertionError(f"{name} in pipeline extract output")


@pytest.mark.slow
def test_extract_prints_claims_and_clear_errors(nasty: Path) -> None:
    proc = _pipeline("extract", str(nasty), "--format", "jsonl")
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    n_claims = 0
    for line in proc.stdout.decode().splitlines():
        record = json.loads(line, parse_constant=_no_constant)  # NaN, Infinity: not JSON
        assert record["text"] in record["sentence"]
        n_claims += 1
    assert n_claims > 100
    _, expected_fails = _expected_counts()
    for error_type, count in expected_fails.items():
        assert err.count(f": {error_type}: ") >= count, error_type
    # stderr holds our failure lines (source: ErrorType: message) and nothing else
    noise = [line for line in err.splitlines() if not _OUR_LINE.match(line)]
    assert noise == [], noise[:10]


_OUR_LINE = re.compile(r"^\S.*?: \w+: \S")


def test_extract_stderr_has_no_library_logs(nasty: Path) -> None:
    """trafilatura logs "parsed tree length: 1 ...", "empty HTML tree", "discarding data" at
    ERROR level on a page like this; the user sees one line, ours."""
    proc = _pipeline("extract", str(nasty / "binary.html"))
    lines = proc.stderr.decode().splitlines()
    assert proc.returncode == 3
    assert len(lines) == 1 and ": ExtractionError: no article body found" in lines[0], lines


def test_extract_stdin_invalid_utf8_and_empty() -> None:
    bad = _pipeline("extract", "-", stdin=b"Ti\xc3\x28u \xff\n\nC\xf3 5 h\xf4i vi\xean.")
    assert bad.returncode == 3 and "not valid UTF-8" in bad.stderr.decode()
    empty = _pipeline("extract", "-", stdin=b"\xef\xbb\xbf  \r\n\t")
    assert empty.returncode == 3 and "empty article" in empty.stderr.decode()
    text = "Tiêu đề\n\nHội Liên hiệp Phụ nữ tỉnh có 1.200 hội viên."
    for data in (text.encode("utf-16"), encode_legacy(text, "tcvn3"), encode_legacy(text, "vni")):
        proc = _pipeline("extract", "-", stdin=data)
        assert proc.returncode == 0, proc.stderr.decode()
        (claim,) = [json.loads(line) for line in proc.stdout.decode().splitlines()]
        assert claim["value"] == 1200 and claim["unit"] == "hội viên"


_RSS = (
    "import resource, sys\n"
    "from pipeline.cli.main import cli\n"
    "try:\n"
    "    cli(sys.argv[1:])\n"
    "finally:\n"
    "    print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def _max_rss_kb(*args: str) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-c", _RSS, *args], cwd=REPO, capture_output=True, timeout=TIMEOUT
    )
    err = proc.stderr.decode()
    return int(err.rsplit("maxrss", 1)[1].split()[0]), err


@pytest.mark.slow
def test_20mb_article_is_too_large_in_bounded_memory(nasty: Path) -> None:
    small, _ = _max_rss_kb("extract", str(nasty / "crlf.txt"))
    big, err = _max_rss_kb("extract", str(nasty / "big-20mb.txt"), str(nasty / "crlf.txt"))
    assert "too_large: article too large: 20,971,649 characters > limit 2,000,000" in err
    # the file is 28 MB of UTF-8: reading it must not cost more than a few copies of it
    assert big - small < 250_000, (small, big)
