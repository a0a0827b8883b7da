"""The rows a worker prepares (``rows.prepare`` + ``rows.expand_rows``) are the rows of the
per-row builders (``article_row``, ``claim_row``, ``tag_row``, and the sentence rows the
store built before, kept here as the oracle)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.store import rows
from pipeline.store.sqlite import fingerprint
from pipeline.text.normalize import fold
from pipeline.types import Article, ArticleResult, CampaignTag, Claim, Sentence

TEXT = "Hoà Bình\n\nCó\u00a03.400 người. Năm 2019 có 5 hộ."


def _sentence_row(
    s: Sentence, raw_text: str, run_id: str, text_folded: str | None = None
) -> dict[str, Any]:
    """The row of one sentence, as the store built it before rows were prepared in the
    workers (this test's oracle); ``text_folded``: ``fold(s.text)`` when already known."""
    return {
        "id": f"{s.article_id}:{s.start}-{s.end}",
        "article_id": s.article_id,
        "idx": s.index,
        "paragraph": s.paragraph,
        "start": s.start,
        "end": s.end,
        "text": raw_text[s.start : s.end],
        "text_folded": fold(s.text) if text_folded is None else text_folded,
        "run_id": run_id,
    }


def _sentence_rows(
    a: Article, sentences: Sequence[Sentence], run_id: str, folded: str
) -> list[dict[str, Any]]:
    """The rows of an article's sentences; ``folded`` is ``fold(a.text)``, sliced for each
    sentence that is a slice of ``a.text`` (``fold`` maps one character to one)."""
    text = a.text
    out = []
    for s in sentences:
        own = folded[s.start : s.end] if text[s.start : s.end] == s.text else None
        out.append(_sentence_row(s, a.raw_text, run_id, own))
    return out


def _result() -> ArticleResult:
    raw = TEXT
    text = raw.replace("\u00a0", " ").replace("Hoà", "Hòa")
    a = Article(
        id="a1",
        text=text,
        raw_text=raw,
        title="Hòa Bình",
        body_offset=10,
        url="http://x/a1",
        published="2022-01-06",
        source="f.jsonl:1",
        content_hash="abc",
    )
    s1 = Sentence("a1", 0, 1, 10, 26, text[10:26])
    s2 = Sentence("a1", 1, 1, 27, len(text), "not a slice")  # folded on its own
    claim = Claim("a1", s1.text, "3.400 người", 13, 24, 3400.0, "count", "reported", "exact",
                  sentence_start=10, sentence_end=26)  # fmt: skip
    tags = (
        CampaignTag("a1", "c1", "implicit", 0.5),
        CampaignTag("a1", "c1", "explicit", 0.2, "ev", 0, 3, 0),
        CampaignTag("a1", "c2", "implicit", 0.7),
    )
    return ArticleResult(a, (s1, s2), (claim,), tags, ("claims", "campaigns"))


def test_columns_are_the_keys_of_the_row_builders() -> None:
    res = _result()
    a = res.article
    assert tuple(rows.article_row(a, res, "fp", {}, "r")) == rows.ARTICLE_COLUMNS
    assert tuple(_sentence_row(res.sentences[0], a.raw_text, "r")) == rows.SENTENCE_COLUMNS
    assert tuple(rows.claim_row(res.claims[0], a, "v", "r")) == rows.CLAIM_COLUMNS
    assert tuple(rows.tag_row(res.tags[0], "v", "r")) == rows.TAG_COLUMNS


def test_prepared_rows_equal_the_row_builders() -> None:
    res = _result()
    a = res.article
    versions = {"vn_claims": "c9", "vn_campaigns": "t9"}
    p = rows.prepare(res, versions, "run")
    assert p.counts() == (2, 1, 3)
    arow, srows = rows.expand_rows(p, a.raw_text, "run")
    folded = fold(a.text)
    fp = fingerprint(a.content_hash, versions)
    assert arow == tuple(rows.article_row(a, res, fp, versions, "run", folded).values())
    assert srows == [tuple(r.values()) for r in _sentence_rows(a, res.sentences, "run", folded)]
    assert srows[1][7] == fold("not a slice")
    assert p.claims == (tuple(rows.claim_row(res.claims[0], a, "c9", "run").values()),)
    best = rows.one_per_campaign(res.tags)
    assert [t[2] for t in p.tags] == ["c1", "c2"] and best[0].mode == "explicit"
    assert p.tags == tuple(tuple(rows.tag_row(t, "t9", "run").values()) for t in best)
