"""Organisations: mass organisations and bodies, their written forms, and lookups in text."""

from pipeline.orgs.organisations import (
    Organisation,
    OrgMatch,
    find_organisations,
    organisation_id,
    organisations,
)

__all__ = ["OrgMatch", "Organisation", "find_organisations", "organisation_id", "organisations"]
