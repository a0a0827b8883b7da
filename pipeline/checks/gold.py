"""Claims from the hand-annotated gold files, placed in their articles' text.

The gold records have the fields of a Claim but no offsets; this finds each claim's
sentence and span in ``title + "\\n\\n" + text`` (NFC), so the checks see them exactly as
they see the extractor's claims.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from pipeline.checks.model import ArticleMeta
from pipeline.types import Claim

_FIELDS = (
    "value_max",
    "denominator",
    "unit",
    "subject",
    "period",
    "organisation",
    "location",
    "speaker",
)


def article_text(record: dict[str, Any]) -> str:
    """The text claims point into.

    >>> article_text({"title": "T", "text": "Body"})
    'T\\n\\nBody'
    """
    body = unicodedata.normalize("NFC", record.get("text") or "")
    title = record.get("title")
    return unicodedata.normalize("NFC", title) + "\n\n" + body if title else body


def _find(haystack: str, needle: str, start: int = 0) -> tuple[int, int] | None:
    """Find ``needle`` from ``start``, letting any run of white space match any other.

    >>> _find("có  5.015\\xa0quần chúng", "5.015 quần chúng")
    (4, 20)
    """
    i = haystack.find(needle, start)
    if i >= 0:
        return i, i + len(needle)
    pattern = r"\s+".join(re.escape(w) for w in needle.split())
    m = re.compile(pattern).search(haystack, start) if pattern else None
    return (m.start(), m.end()) if m else None


def place_claims(text: str, records: list[dict[str, Any]]) -> list[Claim]:
    """Gold claim records of one article as Claims with offsets into ``text``."""
    out = []
    used: set[tuple[int, int]] = set()
    for r in records:
        sentence = unicodedata.normalize("NFC", r["sentence"])
        span = unicodedata.normalize("NFC", r["text"])
        s = _find(text, sentence)
        if s is None:
            continue
        pos = s[0]
        found = None
        while True:
            hit = _find(text[: s[1]], span, pos)
            if hit is None:
                break
            if hit not in used:
                found = hit
                break
            pos = hit[0] + 1
        if found is None:
            continue
        used.add(found)
        out.append(
            Claim(
                article_id=r["article_id"],
                sentence=text[s[0] : s[1]],
                text=text[found[0] : found[1]],
                start=found[0],
                end=found[1],
                value=float(r["value"]),
                measure=r["measure"],
                status=r["status"],
                qualifier=r["qualifier"],
                sentence_start=s[0],
                sentence_end=s[1],
                **{k: r.get(k) for k in _FIELDS},
            )
        )
    return out


def load_gold(gold_dir: Path) -> tuple[dict[str, ArticleMeta], list[Claim]]:
    """Articles and placed claims of a gold folder (``articles.jsonl``, ``claims.jsonl``)."""
    metas: dict[str, ArticleMeta] = {}
    with (gold_dir / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            metas[rec["id"]] = ArticleMeta(
                rec["id"],
                article_text(rec),
                rec.get("published"),
                rec.get("outlet"),
                unicodedata.normalize("NFC", rec["title"]) if rec.get("title") else None,
            )
    by_article: dict[str, list[dict[str, Any]]] = {}
    with (gold_dir / "claims.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            by_article.setdefault(rec["article_id"], []).append(rec)
    claims: list[Claim] = []
    for aid, records in by_article.items():
        if aid in metas:
            claims.extend(place_claims(metas[aid].text, records))
    return metas, claims
