"""The data types that cross every stage boundary.

All are frozen, slotted dataclasses (see docs/schema.md). Stages never pass dicts to
each other; storage maps these to rows in ``pipeline.store.rows``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RawPage:
    """One fetched (or archived) HTTP response."""

    url: str
    final_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: str  # ISO 8601, UTC
    warc_file: str | None = None
    warc_record_id: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One article, normalised once.

    ``text`` is what the NLP sees: ``title + "\\n\\n" + body`` (``body`` alone when there is
    no title), after NFC and the length-keeping normalisation of
    ``pipeline.text.normalize``. ``raw_text`` is the same text after NFC only; both have
    the same length, so an offset into one is an offset into the other. ``body_offset``
    is where the body starts inside ``text``.
    """

    id: str
    text: str
    raw_text: str
    title: str | None
    body_offset: int
    url: str | None = None
    canonical_url: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    published_at: str | None = None  # ISO datetime with time zone, when known
    author: str | None = None
    outlet: str | None = None
    byline: str | None = None
    source: str = "-"  # where it was read: path[:line] or URL
    source_format: str = "jsonl"  # jsonl | txt | html | warc | stdin
    fetched_at: str | None = None
    warc_file: str | None = None
    warc_record_id: str | None = None
    content_hash: str = ""  # sha1 of text (hex)

    @property
    def body(self) -> str:
        return self.text[self.body_offset :]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of ``Article.text``: ``text == article.text[start:end]``."""

    article_id: str
    index: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Claim:
    """One numeric claim, fields as in shared/docs/claims.md."""

    article_id: str
    sentence: str
    text: str
    start: int
    end: int
    value: float
    measure: str  # count | percent | ratio | money | quantity
    status: str  # reported | target
    qualifier: str  # exact | more_than | at_least | about | nearly | less_than | exceeding
    value_max: float | None = None
    denominator: float | None = None
    unit: str | None = None
    subject: str | None = None
    period: str | None = None
    organisation: str | None = None
    organisation_id: str | None = None
    location: str | None = None
    province_id: str | None = None  # province before the 2025 merger (63 units)
    province_new_id: str | None = None  # province from 2025-07-01 (34 units)
    speaker: str | None = None
    sentence_start: int = 0
    sentence_end: int = 0

    @property
    def id(self) -> str:
        return f"{self.article_id}:{self.start}-{self.end}"


@dataclass(frozen=True, slots=True)
class CampaignTag:
    """A campaign or movement that an article reports (shared/docs/campaigns.md)."""

    article_id: str
    campaign_id: str
    mode: str  # explicit | implicit
    score: float
    evidence: str | None = None
    start: int | None = None  # offsets of evidence in Article.text (explicit tags)
    end: int | None = None
    paragraph: int | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """One input or article that could not be processed; recorded, never fatal."""

    source: str  # path[:line] or URL
    stage: str  # read | normalise | nlp | claims | campaigns | store | ...
    error_type: str
    message: str
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Everything the NLP stages produced for one article."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    claims: tuple[Claim, ...] = ()
    tags: tuple[CampaignTag, ...] = ()
    stages: tuple[str, ...] = field(default=())  # names of the stages that ran
