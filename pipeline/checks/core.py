"""All checks over a set of claims: within each article, then across articles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from pipeline.checks.across import cross_article, series
from pipeline.checks.model import ArticleMeta, CheckRow
from pipeline.checks.plausibility import plausibility
from pipeline.checks.within import within_article
from pipeline.types import Claim


def compute_checks(
    claims: Sequence[Claim],
    articles: Mapping[str, ArticleMeta] | None = None,
    *,
    across: bool = True,
) -> list[CheckRow]:
    """Every check the claims support, in a stable order (article, then kind).

    ``articles`` gives each article's text and date (offsets of claims point into the
    text); without it, checks that need the text around the claims are fewer.
    """
    articles = articles or {}
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_article[c.article_id].append(c)
    out: list[CheckRow] = []
    for aid in sorted(by_article):
        out.extend(within_article(by_article[aid], articles.get(aid)))
        out.extend(plausibility(by_article[aid], articles.get(aid)))
    if across:
        out.extend(cross_article(claims, articles))
        out.extend(series(claims, articles))
    seen: set[str] = set()
    unique = []
    for r in out:
        if r.id not in seen:
            seen.add(r.id)
            unique.append(r)
    return unique
