"""The records of the checks stage: what a check says, and what it needs of an article."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

CHECKER_VERSION = "checks-2"  # 2: plausibility

# kind -> one line of what it checks (docs/checks.md has the rules)
KINDS = {
    "percent_of_whole": "a part and a whole against the percentage stated beside them",
    "part_of_whole": "a part ('trong đó') is not larger than its whole",
    "parts_sum": "listed parts add up to the stated total",
    "target_vs_achieved": "what was achieved against the target for the same period",
    "restatement": "a figure of the title against the same figure in the body",
    "cross_article": "the same measure in different articles: agree or conflict",
    "series": "the same measure for the same organisation over several years",
    "plausibility": "a count, sum or share beyond belief (more people than live on Earth...)",
}


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What the checks need of an article besides its claims."""

    id: str
    text: str = ""  # Article.text (title + blank line + body); offsets of claims point in it
    published: str | None = None  # ISO date
    outlet: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One check: the claims it relates, the stated and computed figures, the verdict.

    ``claim_ids`` and ``roles`` run in parallel (``part``, ``whole``, ``percent``,
    ``target``, ``achieved``, ``stated_excess``, ``member``...). ``stated`` quotes the
    article; ``computed`` shows the arithmetic. ``assumption`` is set when the arithmetic
    rests on something the article does not say next to the figures.
    """

    id: str
    kind: str
    verdict: str  # consistent | inconsistent | cannot_tell | implausible (plausibility)
    claim_ids: tuple[str, ...]
    roles: tuple[str, ...]
    article_ids: tuple[str, ...]
    stated: str
    computed: str
    explanation_vi: str
    explanation_en: str
    stated_value: float | None = None
    computed_value: float | None = None
    assumption: str | None = None
    checker_version: str = CHECKER_VERSION

    def record(self) -> dict[str, Any]:
        """A JSON-ready dict.

        >>> r = make_check("series", "cannot_tell", [("a:1-2", "member")], "", "", "", "")
        >>> r.record()["claim_ids"], r.record()["article_ids"]
        (['a:1-2'], ['a'])
        """
        out = asdict(self)
        for k in ("claim_ids", "roles", "article_ids"):
            out[k] = list(out[k])
        return out


def check_id(kind: str, claim_ids: list[str] | tuple[str, ...]) -> str:
    """A stable id: the same kind over the same claims is the same check.

    >>> check_id("x", ["b", "a"]) == check_id("x", ["a", "b"])
    True
    """
    key = json.dumps([kind, sorted(claim_ids)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def make_check(
    kind: str,
    verdict: str,
    members: list[tuple[str, str]],
    stated: str,
    computed: str,
    explanation_vi: str,
    explanation_en: str,
    *,
    stated_value: float | None = None,
    computed_value: float | None = None,
    assumption: str | None = None,
) -> CheckRow:
    """Build a CheckRow from ``(claim_id, role)`` pairs; article ids come from claim ids."""
    ids = tuple(c for c, _ in members)
    articles = tuple(dict.fromkeys(c.rsplit(":", 1)[0] for c in ids))
    return CheckRow(
        id=check_id(kind, ids),
        kind=kind,
        verdict=verdict,
        claim_ids=ids,
        roles=tuple(r for _, r in members),
        article_ids=articles,
        stated=stated,
        computed=computed,
        explanation_vi=explanation_vi,
        explanation_en=explanation_en,
        stated_value=stated_value,
        computed_value=computed_value,
        assumption=assumption,
    )
