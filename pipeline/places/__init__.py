"""Places: Vietnam's provinces before and after the 2025 merger, and lookups in text."""

from pipeline.places.provinces import (
    Province,
    ProvinceMatch,
    find_provinces,
    province,
    province_ids,
    provinces,
    strip_accents,
)

__all__ = [
    "Province",
    "ProvinceMatch",
    "find_provinces",
    "province",
    "province_ids",
    "provinces",
    "strip_accents",
]
