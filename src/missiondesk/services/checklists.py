"""Checklists: starting one from a template, ticking its items with their values and evidence,
its status now, the list, the compliance counts and the checklists that turned late.

Every change is an operation through the one road. The state of each item is its own record
(id derived from the checklist and the item key), and a tick sends only the fields it sets, so
ticks of different items, or of different fields of one item, made on two laptops while apart
all survive the merge; the same field set on both is won by the later write (and listed as a
conflict to review). Statuses are computed from the items and the clock (`now`, from the
session's wall clock unless given), see `domain/checklist_state.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from missiondesk.domain.checklist_state import (
    Progress,
    completed_at,
    item_due,
    item_status,
    missing_evidence,
    progress,
)
from missiondesk.domain.checklist_values import describe, parse_value
from missiondesk.domain.dtg import parse_dtg
from missiondesk.domain.errors import FieldProblem, InvalidFields, InvalidInput
from missiondesk.domain.hlc import wall_clock_ms
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.checklists import (
    Checklist,
    ChecklistItem,
    ItemStatus,
    ItemType,
    TemplateItem,
    item_entity_id,
)
from missiondesk.services.attachments import AttachmentService, NewAttachment
from missiondesk.services.checklist_templates import TemplateService
from missiondesk.services.checklist_views import (
    ChecklistDetail,
    ChecklistLine,
    ComplianceRow,
    ItemView,
    LateChecklist,
)
from missiondesk.services.people import PeopleService
from missiondesk.services.records import RecordService, problems_of
from missiondesk.services.writer import Change
from missiondesk.store.checklist_reads import ChecklistRowData
from missiondesk.store.vault import Vault

_EVIDENCE_WORDS = {
    "note": "this item asks for a note as evidence",
    "photo": "this item asks for a photo as evidence",
    "sign_off": "this item asks for a sign-off by a named person",
}


def _moment(value: datetime | str, field: str) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        return parse_dtg(value)
    except InvalidInput:
        raise InvalidFields(
            "checklist",
            (FieldProblem(field, "a date-time group like 221530Z NOV 26 (or ISO 8601)"),),
        ) from None


def _at(seconds: int | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


def _given(
    spec: TemplateItem, value: str | None, note: str | None, sign_off: str | None
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The typed fields of a tick, each checked: (fields, problems)."""
    problems: list[FieldProblem] = []
    fields: dict[str, Any] = {}
    if value is not None:
        try:
            fields["value"] = parse_value(spec, value)
        except InvalidInput as exc:
            problems.append(FieldProblem("value", exc.message))
    if note is not None:
        if len(note.strip()) > 5000:
            problems.append(FieldProblem("note", "at most 5000 characters"))
        fields["note"] = note.strip()
    if sign_off is not None:
        if len(sign_off.strip()) > 120:
            problems.append(FieldProblem("sign_off", "a name of at most 120 characters"))
        fields["sign_off"] = sign_off.strip()
    return fields, problems


def _status_of(row: ChecklistRowData, now: datetime) -> ItemStatus:
    return Progress(row.total, row.done, row.done_late, _at(row.late_at), None).status(now)


class ChecklistService:
    def __init__(
        self,
        vault: Vault,
        records: RecordService,
        people: PeopleService,
        attachments: AttachmentService,
        templates: TemplateService,
        wall: Callable[[], int] = wall_clock_ms,
    ) -> None:
        self._vault = vault
        self._records = records
        self._people = people
        self._attachments = attachments
        self.templates = templates
        self._wall = wall

    def now(self) -> datetime:
        """The vault's clock (the session's wall clock), to the second."""
        return datetime.fromtimestamp(self._wall() // 1000, UTC)

    # -- starting -------------------------------------------------------------------------------

    def start(
        self,
        template: str,
        *,
        assignee: str,
        due: datetime | str,
        outpost: str | None = None,
        title: str | None = None,
        started: datetime | str | None = None,
        sensitivity: Sensitivity | None = None,
    ) -> str:
        """Start a checklist from a template's latest version (or `key@N`), assigned to a
        person, team or outpost, due at `due`. Returns its id."""
        self.templates.require_worker()
        view = self.templates.get(template)
        begin = _moment(started, "started") if started is not None else self.now()
        if outpost is None:
            me = self._people.me()
            outpost = me.outpost if me else ""
        due_at = _moment(due, "due")
        values: dict[str, Any] = {
            "template": view.id,
            "template_key": view.template.key,
            "template_version": view.template.version,
            "template_name": view.template.name,
            "title": (title or "").strip() or view.template.name,
            "assignee": assignee,
            "outpost": outpost,
            "started": begin,
            "due": due_at,
            "sections": view.template.sections,
            "sensitivity": sensitivity or view.template.sensitivity,
        }
        problems = [FieldProblem("due", "is before the start")] if due_at < begin else []
        try:
            checklist = Checklist.model_validate(values)
        except ValidationError as exc:
            said = {p.field for p in problems}  # the due time's order is said above already
            problems.extend(p for p in problems_of(exc) if p.field and p.field not in said)
        if problems:
            raise InvalidFields("checklist", tuple(problems))
        checklist_id, change = self._records.create_change(
            Checklist, checklist.model_dump(mode="json")
        )
        self._records.submit([change])
        return checklist_id

    def delete(self, checklist_id: str) -> None:
        self.templates.require_worker()
        self._records.delete(Checklist, checklist_id)

    # -- working ----------------------------------------------------------------------------

    def _spec(self, checklist: Checklist, key: str) -> tuple[str, TemplateItem]:
        wanted = key.strip().lower()
        for section in checklist.sections:
            for item in section.items:
                if item.key == wanted:
                    return section.title, item
        keys = ", ".join(item.key for item in checklist.items())
        raise InvalidInput(f"This checklist has no item '{key}'. Its items: {keys}.")

    def tick(
        self,
        checklist_id: str,
        key: str,
        *,
        value: str | None = None,
        note: str | None = None,
        photo: NewAttachment | None = None,
        sign_off: str | None = None,
        now: datetime | None = None,
    ) -> ItemView:
        """Mark an item done with its value and the evidence it asks for (a note, a photo kept
        encrypted in the vault, a sign-off by a named person), all checked first and every
        problem reported at once. Ticking an item again changes what is given and keeps the
        time it was first done. A yes/no item ticked without a value is answered yes."""
        self.templates.require_worker()
        checklist = self._records.get(Checklist, checklist_id)
        _, spec = self._spec(checklist, key)
        entity = item_entity_id(checklist_id, spec.key)
        stored = self._vault.reads.get(entity)
        current = stored.doc if stored is not None and not stored.deleted else {}
        if value is None and spec.type is ItemType.YES_NO and not current.get("value"):
            value = "yes"
        fields, problems = _given(spec, value, note, sign_off)
        changes: list[Change] = []
        if photo is not None:
            if not photo.mime.startswith("image/"):
                problems.append(
                    FieldProblem("photo", "is not a picture (PNG, JPEG, GIF, BMP or WebP)")
                )
            else:
                photo_id, change = self._attachments.change_for(photo, checklist.sensitivity)
                changes.append(change)
                fields["photo"] = photo_id
        if not problems:
            for lacking in missing_evidence(spec, {**current, **fields}):
                words = _EVIDENCE_WORDS.get(lacking, f"a value is needed ({describe(spec)})")
                problems.append(FieldProblem(lacking, words))
        if problems:
            label = spec.label if len(spec.label) <= 60 else spec.label[:59] + "…"
            raise InvalidFields(f"tick of item {spec.key} ({label})", tuple(problems))
        moment = now or self.now()
        if current.get("done") is not True or not current.get("completed_at"):
            fields.update(
                done=True,
                completed_at=moment.isoformat(),
                completed_by=self._people.my_label(),
            )
        self._write(checklist_id, checklist, spec, fields, changes)
        return self.detail(checklist_id, now=moment).item(spec.key)

    def untick(self, checklist_id: str, key: str) -> ItemView:
        """Take a tick back (a mistake): the item is not done; its value and evidence stay."""
        self.templates.require_worker()
        checklist = self._records.get(Checklist, checklist_id)
        _, spec = self._spec(checklist, key)
        entity = item_entity_id(checklist_id, spec.key)
        stored = self._vault.reads.get(entity)
        if stored is not None and stored.doc.get("done") is True:
            fields = {"done": False, "completed_at": None, "completed_by": ""}
            self._write(checklist_id, checklist, spec, fields, [])
        return self.detail(checklist_id).item(spec.key)

    def _write(
        self,
        checklist_id: str,
        checklist: Checklist,
        spec: TemplateItem,
        fields: dict[str, Any],
        changes: list[Change],
    ) -> None:
        """Only the fields set are sent, so writes made apart to other fields survive."""
        entity = item_entity_id(checklist_id, spec.key)
        stored = self._vault.reads.get(entity)
        if stored is not None:
            update = self._records.update_change(ChecklistItem, entity, fields)
            if update is not None:
                changes.append(update)
        else:
            new = {
                "checklist": checklist_id,
                "key": spec.key,
                "sensitivity": checklist.sensitivity.value,
                **fields,
            }
            changes.append(self._records.create_change(ChecklistItem, new, entity)[1])
        if changes:
            self._records.submit(changes)

    # -- reading ------------------------------------------------------------------------------

    def resolve_id(self, text: str) -> str:
        """A checklist's id from the id or its first characters (unique among checklists)."""
        wanted = text.strip().lower()
        if len(wanted) < 4:
            raise InvalidInput("Give at least the first 4 characters of the checklist id.")
        found = self._vault.checklists.ids_with_prefix(wanted)
        if len(found) == 1:
            return found[0]
        if not found:
            raise InvalidInput(f"There is no checklist with id {text}.")
        raise InvalidInput(f"Several checklists have ids starting with {text}; give more of it.")

    def detail(self, checklist_id: str, *, now: datetime | None = None) -> ChecklistDetail:
        """One checklist with every item: its value, evidence, who did it when, status now."""
        checklist = self._records.get(Checklist, checklist_id)
        moment = now or self.now()
        items = checklist.items()
        states: dict[str, dict[str, Any]] = {}
        for item in items:
            stored = self._vault.reads.get(item_entity_id(checklist_id, item.key))
            if stored is not None and not stored.deleted:
                states[item.key] = stored.doc
        views = []
        for section in checklist.sections:
            for item in section.items:
                views.append(self._item_view(section.title, item, checklist, states, moment))
        summary = progress(items, states, checklist.started, checklist.due)
        return ChecklistDetail(
            checklist_id, checklist, summary.status(moment), tuple(views), moment
        )

    def _item_view(
        self,
        section: str,
        item: TemplateItem,
        checklist: Checklist,
        states: dict[str, dict[str, Any]],
        now: datetime,
    ) -> ItemView:
        state = states.get(item.key, {})
        due = item_due(item, checklist.started, checklist.due)
        done_at = completed_at(item, state)
        photo_id = str(state.get("photo", ""))
        photos = self._attachments.info([photo_id]) if photo_id else []
        ticked = state.get("done") is True
        return ItemView(
            section=section,
            spec=item,
            due=due,
            status=item_status(done_at, due, now),
            ticked=ticked,
            value=str(state.get("value", "")),
            note=str(state.get("note", "")),
            photo=photos[0] if photos else None,
            photo_id=photo_id,
            sign_off=str(state.get("sign_off", "")),
            completed_at=done_at if done_at else None,
            completed_by=str(state.get("completed_by", "")) if ticked else "",
            missing=missing_evidence(item, state),
        )

    def lines(
        self,
        *,
        outpost: str | None = None,
        template: str | None = None,
        status: ItemStatus | None = None,
        now: datetime | None = None,
    ) -> list[ChecklistLine]:
        """Checklists soonest due first, with their status now (from the projection)."""
        moment = now or self.now()
        key = self.templates.get(template).template.key if template else None
        found = []
        for row in self._vault.checklists.rows(outpost=outpost, template=key):
            line_status = _status_of(row, moment)
            if status is None or line_status is status:
                found.append(ChecklistLine.of(row, line_status))
        return found

    def compliance(self, *, now: datetime | None = None) -> list[ComplianceRow]:
        """Per outpost and template: how many checklists are complete, complete late, late
        and pending now."""
        moment = int((now or self.now()).timestamp())
        return [
            ComplianceRow(
                c.outpost, c.template, c.template_name, c.complete, c.complete_late, c.late,
                c.pending,
            )
            for c in self._vault.checklists.compliance(moment)
        ]  # fmt: skip

    def turned_late(self, since: datetime, now: datetime | None = None) -> list[LateChecklist]:
        """Checklists not complete whose earliest open item fell due in (since, now]: what a
        timer asks every few seconds (one range of an index, whatever the number of
        checklists)."""
        moment = now or self.now()
        rows = self._vault.checklists.turned_late(int(since.timestamp()), int(moment.timestamp()))
        return [
            LateChecklist(r.id, r.title, r.assignee, r.outpost, datetime.fromtimestamp(
                r.late_at or 0, UTC))
            for r in rows
        ]  # fmt: skip
