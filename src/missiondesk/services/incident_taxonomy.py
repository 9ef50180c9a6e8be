"""The mission's incident categories: a record that syncs, with the field guide's defaults.

The taxonomy is one record (`incident_taxonomy`, entity `incident-taxonomy`) that every laptop
of the mission receives. Until someone changes it, the defaults apply. In a mission, only the
laptop holding the mission authority key or a commander may change it; in a vault with no
mission, its officer may. A category taken out of use is *retired*: incidents that carry it keep
it and show its label, but new incidents and edits cannot choose it. The order of the list is
the order in which the form offers them.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from missiondesk.domain.errors import AccessDenied, InvalidInput
from missiondesk.domain.records.incidents import (
    CATEGORY_SLUG,
    DEFAULT_CATEGORIES,
    TAXONOMY_ENTITY,
    Category,
    IncidentTaxonomy,
)
from missiondesk.domain.records.people import Role
from missiondesk.services.records import RecordService, explain
from missiondesk.store.vault import Vault

DEFAULT_TAXONOMY = IncidentTaxonomy.of(DEFAULT_CATEGORIES)


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
        return self.current().labels().get(slug, slug)

    def labels(self) -> dict[str, str]:
        """Every label known, in use and retired: for showing old incidents."""
        return self.current().labels()

    def resolve(self, text: str) -> str:
        """A category in use, by slug or label in any case; the message lists the ones there are."""
        taxonomy = self.current()
        wanted = slug_of(text.replace("-", "_"))
        for category in taxonomy.categories:
            if wanted in (category.slug, slug_of(category.label)):
                if category.retired:
                    raise InvalidInput(
                        f"'{text}' is a retired incident category; choose one in use."
                    )
                return category.slug
        raise InvalidInput(
            f"'{text}' is not an incident category of this mission. Categories: "
            + ", ".join(taxonomy.in_use())
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
        """Add a category at the end (or bring a retired one back, with the label given)."""
        self._may_change(role, is_authority, in_mission)
        slug = slug.strip()
        if not re.match(CATEGORY_SLUG, slug):
            raise InvalidInput(
                f"'{slug}' is not a category short name: lower-case letters, digits and _, "
                "starting with a letter (e.g. cattle_raid)."
            )
        current = self.current()
        if slug in current.in_use():
            raise InvalidInput(f"The category '{slug}' exists already.")
        named = label.strip().casefold()
        for other, shown in current.in_use().items():
            if shown.strip().casefold() == named:  # a label picks its category when typed
                raise InvalidInput(f"The label '{label.strip()}' is {other}'s already.")
        kept = tuple(c for c in current.categories if c.slug != slug)
        try:
            taxonomy = IncidentTaxonomy(categories=(*kept, Category(slug=slug, label=label)))
        except ValidationError as exc:
            raise explain(exc, "category") from None
        return self._write(taxonomy)

    def retire(
        self, slug: str, *, role: Role | None, is_authority: bool, in_mission: bool
    ) -> IncidentTaxonomy:
        self._may_change(role, is_authority, in_mission)
        current = self.current()
        if slug not in current.in_use():
            raise InvalidInput(f"'{slug}' is not a category in use.")
        if len(current.in_use()) == 1:
            raise InvalidInput("The last category in use cannot be retired.")
        categories = tuple(
            c.model_copy(update={"retired": True}) if c.slug == slug else c
            for c in current.categories
        )
        return self._write(IncidentTaxonomy(categories=categories))
