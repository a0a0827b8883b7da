"""Pure mappers from the stage dataclasses to table rows (no SQL, no spaCy)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from pipeline.text.normalize import fold
from pipeline.types import Article, ArticleResult, CampaignTag, Claim, Failure

ARTICLE_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "title",
    "published",
    "published_at",
    "author",
    "outlet",
    "byline",
    "source",
    "source_format",
    "fetched_at",
    "warc_file",
    "warc_record_id",
    "text",
    "body_offset",
    "title_folded",
    "text_folded",
    "content_hash",
    "fingerprint",
    "n_sentences",
    "n_claims",
    "n_tags",
    "stages",
    "stage_versions",
    "run_id",
)
SENTENCE_COLUMNS = (
    "id",
    "article_id",
    "idx",
    "paragraph",
    "start",
    "end",
    "text",
    "text_folded",
    "run_id",
)
CLAIM_COLUMNS = (
    "id",
    "article_id",
    "sentence_id",
    "start",
    "end",
    "text",
    "sentence",
    "value",
    "value_max",
    "denominator",
    "measure",
    "status",
    "qualifier",
    "unit",
    "subject",
    "period",
    "organisation",
    "organisation_id",
    "location",
    "province_id",
    "province_new_id",
    "speaker",
    "year",
    "year_source",
    "extractor_version",
    "run_id",
)
TAG_COLUMNS = (
    "id",
    "article_id",
    "campaign_id",
    "mode",
    "score",
    "evidence",
    "start",
    "end",
    "paragraph",
    "tagger_version",
    "run_id",
)
# where the article's text (``raw_text``), its folded text and its counts sit in a row
A_TEXT = ARTICLE_COLUMNS.index("text")
A_FOLDED = ARTICLE_COLUMNS.index("text_folded")
A_COUNTS = slice(ARTICLE_COLUMNS.index("n_sentences"), ARTICLE_COLUMNS.index("n_tags") + 1)

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def claim_year(
    published: str | None, period: str | None, sentence: str
) -> tuple[int | None, str | None]:
    """The year a claim is about, and where it came from: the article's published date, else
    the last year named in its period, else in its sentence.

    >>> claim_year("2022-01-06", "nhiệm kỳ 2016 – 2021", "")
    (2022, 'published')
    >>> claim_year(None, "nhiệm kỳ 2016 – 2021", "")
    (2021, 'period')
    >>> claim_year(None, None, "Năm 2019, có 5 người.")
    (2019, 'text')
    >>> claim_year(None, "hằng năm", "Có 5 người.")
    (None, None)
    """
    if published and _YEAR.match(published[:4]):
        return int(published[:4]), "published"
    for value, source in ((period, "period"), (sentence, "text")):
        years = _YEAR.findall(value or "")
        if years:
            return int(years[-1]), source
    return None, None


def failure_id(f: Failure) -> str:
    """Stable id of a failure: the same input failing the same way is one row.

    >>> failure_id(Failure("a.jsonl:3", "read", "JSONDecodeError", "x")) == failure_id(
    ...     Failure("a.jsonl:3", "read", "JSONDecodeError", "other message"))
    True
    """
    key = f"{f.source}\x1f{f.stage}\x1f{f.error_type}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def article_row(
    a: Article,
    result: ArticleResult,
    fingerprint: str,
    versions: dict[str, str],
    run_id: str,
    text_folded: str | None = None,
) -> dict[str, Any]:
    """``text_folded``: ``fold(a.text)`` when the caller already has it (keys in the order
    of :data:`ARTICLE_COLUMNS`)."""
    return {
        "id": a.id,
        "url": a.url,
        "canonical_url": a.canonical_url,
        "title": a.title,
        "published": a.published,
        "published_at": a.published_at,
        "author": a.author,
        "outlet": a.outlet,
        "byline": a.byline,
        "source": a.source,
        "source_format": a.source_format,
        "fetched_at": a.fetched_at,
        "warc_file": a.warc_file,
        "warc_record_id": a.warc_record_id,
        "text": a.raw_text,
        "body_offset": a.body_offset,
        "title_folded": fold(a.title) if a.title else None,
        "text_folded": fold(a.text) if text_folded is None else text_folded,
        "content_hash": a.content_hash,
        "fingerprint": fingerprint,
        "n_sentences": len(result.sentences),
        "n_claims": len(result.claims),
        "n_tags": len(result.tags),
        "stages": json.dumps(list(result.stages)),
        "stage_versions": json.dumps(versions, sort_keys=True),
        "run_id": run_id,
    }


def claim_row(c: Claim, a: Article, version: str, run_id: str) -> dict[str, Any]:
    year, year_source = claim_year(a.published, c.period, c.sentence)
    sentence_id = f"{c.article_id}:{c.sentence_start}-{c.sentence_end}" if c.sentence_end else None
    return {
        "id": c.id,
        "article_id": c.article_id,
        "sentence_id": sentence_id,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "sentence": c.sentence,
        "value": c.value,
        "value_max": c.value_max,
        "denominator": c.denominator,
        "measure": c.measure,
        "status": c.status,
        "qualifier": c.qualifier,
        "unit": c.unit,
        "subject": c.subject,
        "period": c.period,
        "organisation": c.organisation,
        "organisation_id": c.organisation_id,
        "location": c.location,
        "province_id": c.province_id,
        "province_new_id": c.province_new_id,
        "speaker": c.speaker,
        "year": year,
        "year_source": year_source,
        "extractor_version": version,
        "run_id": run_id,
    }


def tag_row(t: CampaignTag, version: str, run_id: str) -> dict[str, Any]:
    return {
        "id": f"{t.article_id}:{t.campaign_id}",
        "article_id": t.article_id,
        "campaign_id": t.campaign_id,
        "mode": t.mode,
        "score": t.score,
        "evidence": t.evidence,
        "start": t.start,
        "end": t.end,
        "paragraph": t.paragraph,
        "tagger_version": version,
        "run_id": run_id,
    }


def failure_row(f: Failure, run_id: str, now: str) -> dict[str, Any]:
    return {
        "id": failure_id(f),
        "source": f.source,
        "article_id": f.article_id,
        "stage": f.stage,
        "error_type": f.error_type,
        "message": f.message,
        "run_id": run_id,
        "created_at": now,
    }


class Prepared(NamedTuple):
    """An article's rows, ready for the database, built where its stages ran (a worker):
    the writer only adds what it already holds, so that what crosses between processes
    carries no second copy of the text.

    ``article``: the values of :data:`ARTICLE_COLUMNS` with ``None`` for ``text`` (the
    writer puts the article's ``raw_text`` there); ``sentences``: ``(idx, paragraph,
    start, end, folded)`` per sentence, ``folded`` ``None`` when it is the slice of the
    article's folded text (always, but for a sentence that is not a slice of the text);
    ``claims`` and ``tags``: the values of :data:`CLAIM_COLUMNS` and :data:`TAG_COLUMNS`
    (one tag per campaign)."""

    id: str
    source: str
    article: tuple[Any, ...]
    sentences: tuple[tuple[int, int, int, int, str | None], ...]
    claims: tuple[tuple[Any, ...], ...]
    tags: tuple[tuple[Any, ...], ...]

    def counts(self) -> tuple[int, int, int]:
        """(sentences, claims, tags) as the stages found them (tags before one per campaign)."""
        n_sentences, n_claims, n_tags = self.article[A_COUNTS]
        return n_sentences, n_claims, n_tags


def prepare(result: ArticleResult, versions: dict[str, str], run_id: str) -> Prepared:
    """The rows of one article's results (see :class:`Prepared` and :func:`expand_rows`)."""
    from pipeline.store.sqlite import fingerprint  # the store imports this module

    a = result.article
    text = a.text
    folded = fold(text)
    arow = article_row(a, result, fingerprint(a.content_hash, versions), versions, run_id, folded)
    arow["text"] = None
    sentences = tuple(
        (
            s.index,
            s.paragraph,
            s.start,
            s.end,
            None if text[s.start : s.end] == s.text else fold(s.text),
        )
        for s in result.sentences
    )
    claims_version = versions.get("vn_claims", "")
    tags_version = versions.get("vn_campaigns", "")
    return Prepared(
        a.id,
        a.source,
        tuple(arow.values()),
        sentences,
        tuple(tuple(claim_row(c, a, claims_version, run_id).values()) for c in result.claims),
        tuple(
            tuple(tag_row(t, tags_version, run_id).values()) for t in one_per_campaign(result.tags)
        ),
    )


def expand_rows(
    p: Prepared, raw_text: str, run_id: str
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """The article row and sentence rows of ``p``, with the article's ``raw_text`` put back."""
    arow = list(p.article)
    arow[A_TEXT] = raw_text
    folded = arow[A_FOLDED]
    aid = p.id
    sents = [
        (
            f"{aid}:{start}-{end}",
            aid,
            idx,
            para,
            start,
            end,
            raw_text[start:end],
            folded[start:end] if own is None else own,
            run_id,
        )
        for idx, para, start, end, own in p.sentences
    ]
    return tuple(arow), sents


def one_per_campaign(tags: Sequence[CampaignTag]) -> list[CampaignTag]:
    """The best tag of each campaign (explicit first, then the higher score)."""
    best: dict[str, CampaignTag] = {}
    for t in tags:
        cur = best.get(t.campaign_id)
        rank = (t.mode == "explicit", t.score)
        if cur is None or rank > (cur.mode == "explicit", cur.score):
            best[t.campaign_id] = t
    return list(best.values())
