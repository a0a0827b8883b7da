"""The rows a worker prepares (``rows.prepare`` + ``rows.expand_rows``) are the rows of the
per-row builders (``article_row``, ``sentence_rows``, ``claim_row``, ``tag_row``)."""

from __future__ import annotations

from pipeline.store import rows
from pipeline.store.sqlite import fingerprint
from pipeline.text.normalize import fold
from pipeline.types import Article, ArticleResult, CampaignTag, Claim, Sentence

TEXT = "Hoà Bình\n\nCó\u00a03.400 người. Năm 2019 có 5 hộ."


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
    assert tuple(rows.sentence_row(res.sentences[0], a.raw_text, "r")) == rows.SENTENCE_COLUMNS
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
    assert srows == [tuple(r.values()) for r in rows.sentence_rows(a, res.sentences, "run", folded)]
    assert srows[1][7] == fold("not a slice")
    assert p.claims == (tuple(rows.claim_row(res.claims[0], a, "c9", "run").values()),)
    best = rows.one_per_campaign(res.tags)
    assert [t[2] for t in p.tags] == ["c1", "c2"] and best[0].mode == "explicit"
    assert p.tags == tuple(tuple(rows.tag_row(t, "t9", "run").values()) for t in best)
