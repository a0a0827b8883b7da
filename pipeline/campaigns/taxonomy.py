"""The campaign taxonomy: data in ``taxonomy.yaml`` (built from the shared reference).

>>> tax = load_taxonomy()
>>> tax["thanh_nien_tinh_nguyen"].kind
'phong_trao'
>>> "Mùa hè xanh" in tax["thanh_nien_tinh_nguyen"].aliases
True
>>> len(tax.version)
12
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

# libyaml's parser when PyYAML was built with it (several times faster); the same safe
# constructor either way
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Campaign:
    """One campaign, movement, project, programme or local model."""

    id: str
    name: str
    kind: str  # phong_trao | cuoc_van_dong | de_an | chuong_trinh | mo_hinh
    aliases: tuple[str, ...]  # the name first; matched as explicit mentions
    key_phrases: tuple[str, ...] = ()  # pieces of a name; matched as explicit mentions
    cues: tuple[str, ...] = ()  # descriptive phrases; never matched
    name_only: tuple[str, ...] = ()  # aliases matched only when written as a name
    name_en: str | None = None
    organisations: tuple[str, ...] = ()
    period: str | None = None
    start_year: int | None = None
    end_year: int | str | None = None
    parent: str | None = None
    confidence: str | None = None


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """All campaigns, in file order, and the hash of the data they came from."""

    campaigns: tuple[Campaign, ...]
    version: str  # first 12 hex digits of the sha1 of the taxonomy file

    def __getitem__(self, campaign_id: str) -> Campaign:
        for c in self.campaigns:
            if c.id == campaign_id:
                return c
        raise KeyError(campaign_id)

    def __iter__(self) -> Iterator[Campaign]:
        return iter(self.campaigns)

    def __len__(self) -> int:
        return len(self.campaigns)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.campaigns)


def parse_taxonomy(text: str) -> Taxonomy:
    """Parse taxonomy YAML text.

    >>> t = parse_taxonomy("campaigns: [{id: a, name: Mùa hè xanh, kind: phong_trao}]")
    >>> t["a"].aliases
    ('Mùa hè xanh',)
    """
    data = yaml.load(text, Loader=_LOADER) or {}
    out = []
    for row in data.get("campaigns") or []:
        aliases = [a for a in row.get("aliases") or [] if a]
        if row["name"] not in aliases:
            aliases.insert(0, row["name"])
        out.append(
            Campaign(
                id=row["id"],
                name=row["name"],
                kind=row["kind"],
                aliases=tuple(aliases),
                key_phrases=tuple(row.get("key_phrases") or ()),
                cues=tuple(row.get("cues") or ()),
                name_only=tuple(row.get("name_only") or ()),
                name_en=row.get("name_en"),
                organisations=tuple(row.get("organisations") or ()),
                period=row.get("period"),
                start_year=row.get("start_year"),
                end_year=row.get("end_year"),
                parent=row.get("parent"),
                confidence=row.get("confidence"),
            )
        )
    version = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return Taxonomy(tuple(out), version)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load the bundled taxonomy, or the one at ``path``."""
    if path is None:
        text = resources.files("pipeline.campaigns").joinpath("taxonomy.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return parse_taxonomy(text)
