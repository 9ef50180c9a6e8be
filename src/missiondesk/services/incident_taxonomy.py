"""The mission's incident categories: a record that syncs, with the field guide's defaults.

The taxonomy is one record (`incident_taxonomy`, entity `incident-taxonomy`) that every laptop
of the mission receives. Until someone changes it, the defaults apply. In a mission, only the
laptop holding the mission authority key or a commander may change it; in a vault with no
mission, its officer may. A category taken out of use is *retired*: incidents that carry it keep
it and show its label, but new incidents and edits cannot choose it.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from missiondesk.domain.errors import AccessDenied, InvalidInput
from missiondesk.domain.records.incidents import (
    CATEGORY_SLUG,
    DEFAULT_CATEGORIES,
    TAXONOMY_ENTITY,
    IncidentTaxonomy,
)
from missiondesk.domain.records.people import Role
from missiondesk.services.records import RecordService, explain
from missiondesk.store.vault import Vault

DEFAULT_TAXONOMY = IncidentTaxonomy(categories=dict(DEFAULT_CATEGORIES))


def slug_of(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.strip().casefold()).strip("_")


class TaxonomyService:
    def __init__(self, vault: Vault, records: RecordService) -> None:
        self._vault = vault
        self._records = records

    def current(self) -> IncidentTaxonomy:
        stored = self._vault.reads.get(TAXONOMY_ENTITY)
        if stored is None or stored.deleted or stored.type != "incident_taxonomy":
            return DEFAULT_TAXONOMY
        try:
            return IncidentTaxonomy.model_validate(stored.doc)
        except ValidationError:  # a partial record (an update before its create): defaults
            return DEFAULT_TAXONOMY

    def label(self, slug: str) -> str:
        """A category's label, retired ones included; the slug itself if unknown."""
        taxonomy = self.current()
        return taxonomy.categories.get(slug) or taxonomy.retired.get(slug) or slug

    def labels(self) -> dict[str, str]:
        """Every label known, current and retired: for showing old incidents."""
        taxonomy = self.current()
        return {**taxonomy.retired, **taxonomy.categories}

    def resolve(self, text: str) -> str:
        """A category in use, by slug or label in any case; the message lists the ones there are."""
        taxonomy = self.current()
        wanted = slug_of(text.replace("-", "_"))
        for slug, label in taxonomy.categories.items():
            if wanted in (slug, slug_of(label)):
                return slug
        if wanted in taxonomy.retired:
            raise InvalidInput(f"'{text}' is a retired incident category; choose one in use.")
        raise InvalidInput(
            f"'{text}' is not an incident category of this mission. Categories: "
            + ", ".join(taxonomy.categories)
            + "."
        )

    # -- changes ------------------------------------------------------------------------------

    def _may_change(self, role: Role | None, is_authority: bool, in_mission: bool) -> None:
        if in_mission and not is_authority and role is not Role.COMMANDER:
            raise AccessDenied(
                "Only the mission authority's laptop or a commander can change the categories."
            )

    def _write(self, taxonomy: IncidentTaxonomy) -> IncidentTaxonomy:
        fields = taxonomy.model_dump(mode="json")
        if self._vault.reads.get(TAXONOMY_ENTITY) is None:
            _, change = self._records.create_change(IncidentTaxonomy, fields, TAXONOMY_ENTITY)
            self._records.submit([change])
        else:
            update = self._records.update_change(IncidentTaxonomy, TAXONOMY_ENTITY, fields)
            if update is not None:
                self._records.submit([update])
        return self.current()

    def add(
        self, slug: str, label: str, *, role: Role | None, is_authority: bool, in_mission: bool
    ) -> IncidentTaxonomy:
        """Add a category (or bring a retired one back, with a new label if given)."""
        self._may_change(role, is_authority, in_mission)
        slug = slug.strip()
        if not re.match(CATEGORY_SLUG, slug):
            raise InvalidInput(
                f"'{slug}' is not a category short name: lower-case letters, digits and _, "
                "starting with a letter (e.g. cattle_raid)."
            )
        current = self.current()
        if slug in current.categories:
            raise InvalidInput(f"The category '{slug}' exists already.")
        retired = {k: v for k, v in current.retired.items() if k != slug}
        try:
            taxonomy = IncidentTaxonomy(
                categories={**current.categories, slug: label.strip()}, retired=retired
            )
        except ValidationError as exc:
            raise explain(exc, "category") from None
        return self._write(taxonomy)

    def retire(
        self, slug: str, *, role: Role | None, is_authority: bool, in_mission: bool
    ) -> IncidentTaxonomy:
        self._may_change(role, is_authority, in_mission)
        current = self.current()
        if slug not in current.categories:
            raise InvalidInput(f"'{slug}' is not a category in use.")
        if len(current.categories) == 1:
            raise InvalidInput("The last category cannot be retired.")
        categories = {k: v for k, v in current.categories.items() if k != slug}
        retired = {**current.retired, slug: current.categories[slug]}
        return self._write(IncidentTaxonomy(categories=categories, retired=retired))
