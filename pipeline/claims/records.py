"""Claims as plain records (JSON-ready dicts with every field of claims.md, plus ids)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pipeline.types import Claim


def _number(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def claim_record(claim: Claim) -> dict[str, Any]:
    """Every field of a claim, with ``id`` first and whole numbers written as integers.

    >>> from pipeline.types import Claim
    >>> r = claim_record(Claim("a", "Có 5 hộ.", "5 hộ", 3, 7, 5.0, "count", "reported", "exact"))
    >>> r["id"], r["value"], r["measure"]
    ('a:3-7', 5, 'count')
    """
    rec = {"id": claim.id, **asdict(claim)}
    for key in ("value", "value_max", "denominator"):
        rec[key] = _number(rec[key])
    return rec
