"""Checklist templates: the default library, the mission's own templates and their versions.

A template is a family of versions (`key`). Editing one writes a new record, the next version,
with a deterministic id (`template_entity_id`): the old version stays, so a checklist started
from it keeps it. Installing the library twice, or on two laptops, writes the same records.
Templates are records, so they sync: a mission distributes its templates by editing them.

In a mission, only the laptop holding the mission authority key, a commander or a security
officer may edit templates; in a vault with no mission its officer may. Anyone but an observer
may install the default library (it is the same everywhere).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from missiondesk.domain.checklist_library import TEMPLATE_ID_PREFIX, library, template_entity_id
from missiondesk.domain.errors import AccessDenied, InvalidInput
from missiondesk.domain.records.checklists import ChecklistTemplate
from missiondesk.domain.records.people import Role
from missiondesk.services.checklist_views import InstallResult, TemplateView
from missiondesk.services.mission import MissionService
from missiondesk.services.records import RecordService, explain
from missiondesk.store.vault import Vault

EDITORS = frozenset({Role.COMMANDER, Role.SECURITY_OFFICER})


class TemplateService:
    def __init__(self, vault: Vault, records: RecordService, mission: MissionService) -> None:
        self._vault = vault
        self._records = records
        self._mission = mission

    # -- roles --------------------------------------------------------------------------------

    def my_role(self) -> Role | None:
        """This laptop's role; None in a vault with no mission. AccessDenied when a mission
        member's certificate is missing, revoked or expired."""
        membership = self._mission.my_membership()
        if membership is None and self._mission.info() is not None:
            raise AccessDenied("This laptop's membership certificate has not arrived yet.")
        return membership.role if membership else None

    def require_worker(self) -> None:
        """Anyone but an observer may start and work checklists."""
        role = self.my_role()
        if role is Role.OBSERVER:
            raise AccessDenied("An observer cannot start or work checklists.")

    def _require_editor(self) -> None:
        role = self.my_role()
        if role is None or role in EDITORS or self._mission.is_authority():
            return
        raise AccessDenied(
            "Only the mission authority's laptop, a commander or a security officer can edit "
            "checklist templates."
        )

    # -- reading ------------------------------------------------------------------------------

    def _all(self) -> list[tuple[str, ChecklistTemplate]]:
        return [
            (stored.id, template)
            for stored, template in self._records.list(ChecklistTemplate, limit=100_000)
        ]

    def list(self) -> list[TemplateView]:
        """The latest version of every template, by name."""
        families: dict[str, list[tuple[str, ChecklistTemplate]]] = {}
        for entity_id, template in self._all():
            families.setdefault(template.key, []).append((entity_id, template))
        views = []
        for versions in families.values():
            # Two edits made apart to the same version are both kept; the later id wins.
            entity_id, latest = max(versions, key=lambda v: (v[1].version, v[0]))
            numbers = tuple(sorted({t.version for _, t in versions}))
            views.append(TemplateView(entity_id, latest, numbers))
        return sorted(views, key=lambda v: v.template.name.casefold())

    def get(self, text: str) -> TemplateView:
        """A template by its key, its name (any case), its version id, or `key@N` (a version)."""
        wanted = text.strip()
        key, _, number = wanted.partition("@")
        if wanted.startswith(TEMPLATE_ID_PREFIX):
            for entity_id, template in self._all():
                if entity_id == wanted:
                    return TemplateView(entity_id, template, (template.version,))
        views = self.list()
        for view in views:
            if key.casefold() in (view.template.key, view.template.name.casefold()):
                if not number:
                    return view
                return self._version(view, number)
        known = ", ".join(v.template.key for v in views) or "none yet (install the library)"
        raise InvalidInput(f"There is no checklist template '{text}'. Templates: {known}.")

    def _version(self, view: TemplateView, number: str) -> TemplateView:
        if not number.isdigit():
            raise InvalidInput("A template version is a whole number, as in radio-check@2.")
        found = [
            (entity_id, template)
            for entity_id, template in self._all()
            if template.key == view.template.key and template.version == int(number)
        ]
        if not found:
            versions = ", ".join(str(v) for v in view.versions)
            raise InvalidInput(
                f"Template {view.template.key} has no version {number} (versions: {versions})."
            )
        entity_id, template = max(found, key=lambda v: v[0])
        return TemplateView(entity_id, template, view.versions)

    # -- writing ------------------------------------------------------------------------------

    def install_library(self) -> InstallResult:
        """Add the default templates this vault lacks (idempotent: same ids everywhere)."""
        self.require_worker()
        added, present, changes = [], [], []
        for template in library():
            entity_id = template_entity_id(template)
            stored = self._vault.reads.get(entity_id)
            if stored is not None and not stored.deleted:
                present.append(template.name)
                continue
            fields = template.model_dump(mode="json")
            changes.append(self._records.create_change(ChecklistTemplate, fields, entity_id)[1])
            added.append(template.name)
        if changes:
            self._records.submit(changes)
        return InstallResult(tuple(added), tuple(present))

    def save(self, values: dict[str, Any]) -> TemplateView:
        """A new template, or the next version of the one with the same key. `values` are the
        template's fields (key, name, description, sections); a version number given is
        ignored. Saving what the latest version already holds changes nothing."""
        self._require_editor()
        given = {k: v for k, v in values.items() if k != "version"}
        key = str(given.get("key", ""))
        latest = next((v for v in self.list() if v.template.key == key), None)
        version = latest.template.version + 1 if latest else 1
        try:
            template = ChecklistTemplate.model_validate({**given, "version": version})
        except ValidationError as exc:
            raise explain(exc, "checklist template") from None
        if latest is not None:
            same = latest.template.model_dump(exclude={"version"})
            if template.model_dump(exclude={"version"}) == same:
                return latest
        entity_id, change = self._records.create_change(
            ChecklistTemplate, template.model_dump(mode="json"), template_entity_id(template)
        )
        self._records.submit([change])
        versions = (*(latest.versions if latest else ()), version)
        return TemplateView(entity_id, template, versions)
