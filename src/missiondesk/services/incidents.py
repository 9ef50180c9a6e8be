"""Logging incidents: drafts, complete reports, the workflow and its history, the list.

Every change is an operation through the one road. A *draft* may be partial (the desktop app
autosaves the form through `save_draft`); every field it holds is still checked on its own.
Submitting checks the whole report. Verified and closed reports are locked: a back-step (with a
reason) makes them editable again. Who may take a step follows `domain/incident_workflow.py`.
Validation failures are `InvalidFields`: each problem names its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from missiondesk.domain.coordinates import Location, parse_location
from missiondesk.domain.dtg import parse_dtg
from missiondesk.domain.errors import (
    AccessDenied,
    FieldProblem,
    InvalidFields,
    InvalidInput,
    MissionDeskError,
)
from missiondesk.domain.hlc import to_datetime
from missiondesk.domain.incident_filter import CountsBy, IncidentFilter
from missiondesk.domain.incident_workflow import (
    EDITABLE,
    REPORTERS,
    next_steps,
    role_names,
    step_for,
)
from missiondesk.domain.records.base import Sensitivity
from missiondesk.domain.records.incidents import (
    Incident,
    IncidentStatus,
    IncidentTaxonomy,
)
from missiondesk.domain.records.people import Role
from missiondesk.services.attachments import AttachmentService, NewAttachment
from missiondesk.services.incident_taxonomy import TaxonomyService
from missiondesk.services.incident_views import (
    IncidentCounts,
    IncidentDetail,
    IncidentPage,
    IncidentView,
    TransitionView,
    fold_counts,
)
from missiondesk.services.mission import MissionService
from missiondesk.services.people import PeopleService
from missiondesk.services.records import RecordService, problems_of, validate
from missiondesk.services.writer import Change
from missiondesk.store.incident_reads import IncidentPosition, IncidentRow
from missiondesk.store.vault import Vault

__all__ = [  # the views live in incident_views; callers import them from here too
    "IncidentCounts",
    "IncidentDetail",
    "IncidentPage",
    "IncidentService",
    "IncidentView",
    "TransitionView",
]
FUTURE_SLACK = timedelta(minutes=15)  # clocks of field laptops drift
PAGE = 200
# Fields an officer types; status, reporting officer and attachments are set by the service.
EDITABLE_FIELDS = frozenset(
    {
        "title", "category", "severity", "occurred", "reported", "location", "casualties",
        "perpetrators", "narrative", "action_taken", "assessment", "source",
        "source_reliability", "source_credibility", "related", "sensitivity",
    }
)  # fmt: skip
# Friendly words appended to pydantic's, per field.
RULES = {
    "severity": "a whole number from 1 (low) to 5 (critical)",
    "source_reliability": "Admiralty reliability A (completely reliable) to F (cannot be judged)",
    "source_credibility": "Admiralty credibility 1 (confirmed) to 6 (cannot be judged)",
    "title": "1 to 200 characters",
}
# Stand-ins for required fields a draft has not filled yet, so each given field can be checked
# by the model itself.
_PLACEHOLDERS: dict[str, Any] = {
    "title": "-",
    "category": "other",
    "severity": 1,
    "occurred": "2000-01-01T00:00:00Z",
    "reported": "2000-01-01T00:00:00Z",
}


def status_of(doc: dict[str, Any]) -> IncidentStatus:
    """A stored incident's status; a value this version does not know reads as draft."""
    try:
        return IncidentStatus(doc.get("status", "draft"))
    except ValueError:
        return IncidentStatus.DRAFT


class IncidentService:
    def __init__(
        self,
        vault: Vault,
        records: RecordService,
        people: PeopleService,
        mission: MissionService,
        attachments: AttachmentService,
        taxonomy: TaxonomyService,
    ) -> None:
        self._vault = vault
        self._records = records
        self._people = people
        self._mission = mission
        self._attachments = attachments
        self.taxonomy = taxonomy

    # -- roles --------------------------------------------------------------------------------

    def my_role(self) -> Role | None:
        """This laptop's role in its mission; None in a vault that belongs to no mission (its
        officer may take every step). AccessDenied if a mission member's certificate is missing,
        revoked or expired."""
        membership = self._mission.my_membership()
        if membership is None and self._mission.info() is not None:
            raise AccessDenied("This laptop's membership certificate has not arrived yet.")
        return membership.role if membership else None

    def _require_reporter(self) -> None:
        role = self.my_role()
        if role is not None and role not in REPORTERS:
            raise AccessDenied(f"An {role.value} cannot log or edit incidents.")

    # -- the mission's categories -------------------------------------------------------------

    def categories(self) -> dict[str, str]:
        """The categories in use: slug -> label, in the order to offer them."""
        return self.taxonomy.current().in_use()

    def add_category(self, slug: str, label: str) -> IncidentTaxonomy:
        return self.taxonomy.add(slug, label, **self._taxonomy_rights())

    def retire_category(self, slug: str) -> IncidentTaxonomy:
        return self.taxonomy.retire(slug, **self._taxonomy_rights())

    def _taxonomy_rights(self) -> dict[str, Any]:
        return {
            "role": self.my_role(),
            "is_authority": self._mission.is_authority(),
            "in_mission": self._mission.info() is not None,
        }

    # -- reading ------------------------------------------------------------------------------

    def resolve_id(self, text: str) -> str:
        """An incident's id from the id or its first characters (unique among incidents)."""
        wanted = text.strip().lower()
        if len(wanted) < 4:
            raise InvalidInput("Give at least the first 4 characters of the incident id.")
        found = self._vault.incidents.ids_with_prefix(wanted)
        if len(found) == 1:
            return found[0]
        if not found:
            raise InvalidInput(f"There is no incident with id {text}.")
        raise InvalidInput(f"Several incidents have ids starting with {text}; give more of it.")

    def get(self, incident_id: str) -> IncidentDetail:
        stored = self._records.stored(Incident, incident_id)
        doc = stored.doc
        try:
            incident: Incident | None = Incident.model_validate(doc)
        except ValidationError:
            incident = None
        status = status_of(doc)
        history = tuple(self._history(incident_id))
        try:
            role = self.my_role()
            steps = tuple(s.target for s in next_steps(status, role))
            editable = status in EDITABLE and (role is None or role in REPORTERS)
        except AccessDenied:
            steps, editable = (), False
        attachments = tuple(self._attachments.info(list(doc.get("attachments", ()))))
        return IncidentDetail(
            id=incident_id,
            fields=doc,
            incident=incident,
            status=status,
            category_label=self.taxonomy.label(str(doc.get("category", ""))),
            history=history,
            attachments=attachments,
            next_steps=steps,
            editable=editable,
            missing=tuple(k for k in _PLACEHOLDERS if k not in doc),
        )

    def _history(self, incident_id: str) -> list[TransitionView]:
        return [
            TransitionView(
                t.source,
                t.target,
                t.reason,
                to_datetime(t.hlc),
                self._people.display_name(t.author),
                t.author,
                self._mission.role_of(t.author),
            )
            for t in self._vault.incidents.history(incident_id)
        ]

    def page(
        self,
        spec: IncidentFilter,
        *,
        offset: int = 0,
        limit: int = PAGE,
        counts_by: CountsBy | None = None,
    ) -> IncidentPage:
        """One page of the filtered, sorted list plus the chart counts of the whole filter (both
        series, or the one `counts_by` names: a chart shows one at a time, and a filter on words
        groups half the log for each): two queries over the indexed projection."""
        if offset < 0 or not 0 < limit <= 10_000:
            raise InvalidInput("A page starts at 0 or later and holds 1 to 10,000 rows.")
        reads = self._vault.incidents
        rows = reads.page(spec, offset=offset, limit=limit)
        return IncidentPage(rows, fold_counts(reads.counts(spec, counts_by)), offset, limit)

    def rows(self, spec: IncidentFilter, *, limit: int = 1_000_000) -> list[IncidentRow]:
        """Every row the filter matches, in its order (reports and exports)."""
        return self._vault.incidents.page(spec, offset=0, limit=limit)

    def positions(self, limit: int = 50_000) -> list[IncidentPosition]:
        """Every incident with a position, newest first, as the map draws them."""
        return self._vault.incidents.positions(limit)

    def documents(self, spec: IncidentFilter, *, limit: int) -> list[tuple[str, str]]:
        """(id, stored JSON) of every incident the filter matches, in its order (exports)."""
        return self._vault.incidents.documents(spec, limit=limit)

    def casualty_totals(self, spec: IncidentFilter) -> tuple[int, ...]:
        return self._vault.incidents.casualty_totals(spec)

    # -- saved filters (this laptop only) ------------------------------------------------------

    def save_filter(self, name: str, spec: IncidentFilter) -> None:
        clean = name.strip()
        if not 1 <= len(clean) <= 80:
            raise InvalidInput("A saved filter needs a name of 1 to 80 characters.")
        with self._vault.transaction():
            self._vault.incidents.save_filter(
                clean, spec.model_dump_json(), int(datetime.now(UTC).timestamp())
            )

    def saved_filters(self) -> dict[str, IncidentFilter]:
        found = {}
        for name, text in self._vault.incidents.saved_filters():
            try:
                found[name] = IncidentFilter.model_validate_json(text)
            except ValidationError:
                continue  # saved by a version that filtered differently
        return found

    def saved_filter(self, name: str) -> IncidentFilter:
        saved = self.saved_filters()
        if name not in saved:
            known = ", ".join(saved) or "none yet"
            raise InvalidInput(f"There is no saved filter named '{name}' (saved: {known}).")
        return saved[name]

    def delete_filter(self, name: str) -> None:
        with self._vault.transaction():
            if not self._vault.incidents.delete_filter(name):
                raise InvalidInput(f"There is no saved filter named '{name}'.")

    # -- writing ------------------------------------------------------------------------------

    def add(
        self,
        *,
        title: str,
        category: str,
        severity: int,
        location: str | None = None,
        place: str = "",
        description: str = "",
        occurred: datetime | None = None,
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
        files: Sequence[NewAttachment] = (),
        **more: Any,
    ) -> str:
        """Log a complete incident (as a draft, reported now by this officer): every field is
        checked as at submission."""
        given: dict[str, Any] = {
            "title": title,
            "category": category,
            "severity": severity,
            "occurred": occurred or datetime.now(UTC),
            "narrative": description,
            "sensitivity": sensitivity,
            **more,
        }
        if location:
            given["location"] = location
        if place:
            given["place"] = place
        return self.create(given, files)

    def save_draft(
        self,
        values: dict[str, Any],
        incident_id: str | None = None,
        files: Sequence[NewAttachment] = (),
    ) -> str:
        """Create or change a draft with whatever the form holds: missing fields are fine, every
        given one is checked. Values may be typed text (a DTG, a location in MGRS, decimal
        degrees or DMS, a category label, an Admiralty code like B2 under `admiralty`, a `place`
        name) or the model's own values. Returns the incident id."""
        if incident_id is None:
            return self.create(values, files, complete=False)
        current = self._records.stored(Incident, incident_id).doc
        if current.get("status", "draft") != IncidentStatus.DRAFT.value:
            raise InvalidInput("Only a draft can be saved as a draft; this one was submitted.")
        self.update(incident_id, values, files)
        return incident_id

    def update(
        self, incident_id: str, values: dict[str, Any], files: Sequence[NewAttachment] = ()
    ) -> IncidentDetail:
        """Change fields of a draft or a submitted report (a submitted one must stay complete);
        `files` are attached in the same transaction. Only what changed is sent."""
        self._require_reporter()
        stored = self._records.stored(Incident, incident_id)
        status = status_of(stored.doc)
        if status not in EDITABLE:
            raise InvalidInput(
                f"This incident is {status.value} and locked; send it back to draft (with a "
                "reason) to change it."
            )
        fields = self._checked(values, stored.doc, incident_id)
        changes: list[Change] = []
        if files:
            ids = list(stored.doc.get("attachments", ()))
            for new in files:
                attachment_id, change = self._attachments.change_for(
                    new,
                    Sensitivity.of_stored(
                        fields.get("sensitivity", stored.doc.get("sensitivity", "unclassified"))
                    ),
                )
                changes.append(change)
                ids.append(attachment_id)
            fields["attachments"] = ids
        merged = {**stored.doc, **fields}
        if status is not IncidentStatus.DRAFT:
            self._check_complete(merged, incident_id)
        update = self._records.update_change(Incident, incident_id, fields)
        if update is not None:
            self._records.submit([*changes, update])
        return self.get(incident_id)

    def create(
        self, values: dict[str, Any], files: Sequence[NewAttachment] = (), *, complete: bool = True
    ) -> str:
        """A new incident (a draft, reported now by this officer unless `reported` is given)
        from typed values as `save_draft` takes them; `complete` checks it as at submission."""
        self._require_reporter()
        fields = self._checked({"reported": datetime.now(UTC), **values}, {}, None)
        fields["reporting_officer"] = self._people.my_label()
        fields["status"] = IncidentStatus.DRAFT.value
        if complete:
            fields = self._check_complete(fields, None)
        changes: list[Change] = []
        if files:
            level = Sensitivity(fields.get("sensitivity", Sensitivity.UNCLASSIFIED.value))
            ids = []
            for new in files:
                attachment_id, change = self._attachments.change_for(new, level)
                changes.append(change)
                ids.append(attachment_id)
            fields["attachments"] = ids
        incident_id, create = self._records.create_change(Incident, fields)
        self._records.submit([*changes, create])
        return incident_id

    # -- the workflow --------------------------------------------------------------------------

    def transition(
        self, incident_id: str, target: IncidentStatus | str, reason: str = ""
    ) -> TransitionView:
        """Move an incident one step: the step must exist, this laptop's role must allow it,
        a back-step needs a reason, and submitting needs a complete report."""
        try:
            target = IncidentStatus(target)
        except ValueError:
            raise InvalidInput("A status is draft, submitted, verified or closed.") from None
        stored = self._records.stored(Incident, incident_id)
        source = status_of(stored.doc)
        step = step_for(source, target)
        if step is None:
            open_steps = [s.target.value for s in next_steps(source, None)]
            raise InvalidInput(
                f"An incident that is {source.value} cannot become {target.value}; from "
                f"{source.value} it can become " + " or ".join(open_steps) + "."
            )
        role = self.my_role()
        if role is not None and role not in step.roles:
            raise AccessDenied(
                f"{_article(role.value)} {role.value.replace('_', ' ')} cannot {step.verb} an "
                "incident; that takes a "
                f"{role_names(step.roles)}."
            )
        reason = reason.strip()
        if step.needs_reason and not reason:
            raise InvalidFields(
                "status change",
                (FieldProblem("reason", f"say why the incident is sent to {target.value}"),),
            )
        if len(reason) > 1000:
            raise InvalidFields(
                "status change", (FieldProblem("reason", "at most 1000 characters"),)
            )
        if target is IncidentStatus.SUBMITTED:
            self._check_complete(stored.doc, incident_id)
        transition = {"from": source.value, "to": target.value, "reason": reason}
        update = self._records.update_change(
            Incident, incident_id, {"status": target.value}, {"transition": transition}
        )
        assert update is not None
        self._records.submit([update])
        return self._history(incident_id)[-1]

    def submit(self, incident_id: str) -> TransitionView:
        return self.transition(incident_id, IncidentStatus.SUBMITTED)

    def verify(self, incident_id: str) -> TransitionView:
        return self.transition(incident_id, IncidentStatus.VERIFIED)

    def close(self, incident_id: str) -> TransitionView:
        return self.transition(incident_id, IncidentStatus.CLOSED)

    # -- checking -----------------------------------------------------------------------------

    def _checked(
        self, values: dict[str, Any], current: dict[str, Any], incident_id: str | None
    ) -> dict[str, Any]:
        """The given values as JSON fields, each checked on its own; every problem at once."""
        problems: list[FieldProblem] = []
        fields: dict[str, Any] = {}
        values = dict(values)
        place = values.pop("place", None)
        admiralty = values.pop("admiralty", None)
        for name, value in values.items():
            if name not in EDITABLE_FIELDS:
                problems.append(FieldProblem(name, "is not a field an officer sets"))
                continue
            try:
                fields[name] = self._typed(name, value)
            except MissionDeskError as exc:
                problems.append(FieldProblem(name, exc.message))
        if place is not None:
            self._place(str(place), fields, current, problems)
        if admiralty is not None:
            self._admiralty(str(admiralty), fields, problems)
        if "related" in fields and incident_id in fields["related"]:
            problems.append(FieldProblem("related", "an incident cannot be related to itself"))
        trial = {**_PLACEHOLDERS, **{k: v for k, v in current.items() if k in _PLACEHOLDERS}}
        try:
            checked = Incident.model_validate({**trial, **fields}).model_dump(mode="json")
        except ValidationError as exc:
            for problem in problems_of(exc):
                top = problem.field.split(".")[0]
                if top in fields:
                    rule = RULES.get(top)
                    message = f"{problem.message} ({rule})" if rule else problem.message
                    problems.append(FieldProblem(problem.field, message))
            checked = {}
        if problems:
            raise InvalidFields("incident", tuple(problems))
        return {k: checked[k] for k in fields}

    def _typed(self, name: str, value: Any) -> Any:
        """Typed text as the model's value (DTG, location, category label); others unchanged."""
        if name in ("occurred", "reported") and isinstance(value, str):
            return parse_dtg(value)
        if name == "location" and isinstance(value, str):
            return parse_location(value) if value.strip() else None
        if name == "category" and isinstance(value, str):
            return self.taxonomy.resolve(value)
        if name == "sensitivity" and isinstance(value, str):
            try:
                return Sensitivity.parse(value)
            except ValueError:
                raise InvalidInput(
                    "use unclassified, confidential or strictly_confidential"
                ) from None
        if name == "related" and not isinstance(value, list | tuple):
            raise InvalidInput("a list of incident ids")
        if name == "related":
            for other in value:
                found = self._vault.reads.get(str(other))
                if found is None or found.type != "incident" or found.deleted:
                    raise InvalidInput(f"there is no incident with id {other}")
        return value

    @staticmethod
    def _place(
        place: str, fields: dict[str, Any], current: dict[str, Any], problems: list[FieldProblem]
    ) -> None:
        location = fields.get("location", current.get("location"))
        if isinstance(location, dict):
            location = Location.model_validate(location)
        if location is None:
            if place.strip():
                problems.append(
                    FieldProblem("place", "a place name goes with a location; give the location")
                )
            return
        if len(place) > 200:
            problems.append(FieldProblem("place", "at most 200 characters"))
            return
        fields["location"] = location.model_copy(update={"place": place.strip()})

    @staticmethod
    def _admiralty(code: str, fields: dict[str, Any], problems: list[FieldProblem]) -> None:
        text = code.strip().upper()
        if not text:
            fields["source_reliability"] = None
            fields["source_credibility"] = None
            return
        if len(text) != 2 or text[0] not in "ABCDEF" or text[1] not in "123456":
            problems.append(
                FieldProblem(
                    "admiralty",
                    "an Admiralty code is a reliability letter A-F and a credibility digit 1-6, "
                    "e.g. B2",
                )
            )
            return
        fields["source_reliability"] = text[0]
        fields["source_credibility"] = int(text[1])

    def _check_complete(self, doc: dict[str, Any], incident_id: str | None) -> dict[str, Any]:
        """The whole report, as submission requires it; returns its JSON fields."""
        missing = [FieldProblem(k, "is required") for k in _PLACEHOLDERS if k not in doc]
        if missing:
            raise InvalidFields("incident", tuple(missing))
        incident = validate(Incident, doc)
        problems: list[FieldProblem] = []
        if incident.category not in self.taxonomy.current().in_use():
            problems.append(
                FieldProblem("category", "is not a category in use in this mission (or retired)")
            )
        now = datetime.now(UTC)
        if incident.occurred > now + FUTURE_SLACK:
            problems.append(FieldProblem("occurred", "is in the future"))
        if incident.reported + FUTURE_SLACK < incident.occurred:
            problems.append(FieldProblem("reported", "is before the incident occurred"))
        if (incident.source_reliability is None) != (incident.source_credibility is None):
            problems.append(
                FieldProblem(
                    "source_credibility",
                    "give both Admiralty reliability and credibility (e.g. B2), or neither",
                )
            )
        if problems:
            raise InvalidFields("incident", tuple(problems))
        return incident.model_dump(mode="json")

    def list(self) -> list[IncidentView]:
        """Every complete incident, newest occurrence first (the desktop's first list)."""
        found = [IncidentView(s.id, i) for s, i in self._records.list(Incident, limit=1_000_000)]
        found.sort(key=lambda v: v.incident.occurred, reverse=True)
        return found


def _article(word: str) -> str:
    return "An" if word[:1].lower() in "aeiou" else "A"
