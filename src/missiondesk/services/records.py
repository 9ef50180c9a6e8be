"""Create, update, delete and read any record type through the one road, validated first.

Reads that only show records use cards (`cards`, domain/cards.py); pydantic loads with the
first model validated or written, not with this module (the first screen needs none of it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from missiondesk.domain.changeset import ChangeSet, Origin
from missiondesk.domain.errors import FieldProblem, InvalidFields, InvalidInput
from missiondesk.domain.ids import uuid7
from missiondesk.domain.kinds import APPEND_ONLY, RECORD_TYPES
from missiondesk.services.writer import Change, OperationWriter
from missiondesk.store.reads import StoredRecord
from missiondesk.store.vault import Vault

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from missiondesk.domain.records.base import Record

R = TypeVar("R", bound="Record")
M = TypeVar("M", bound="BaseModel")
C = TypeVar("C")


def type_name(model: type[Record]) -> str:
    return RECORD_TYPES.type_of(model)


# A model's own check (across fields) names the field at fault as "eta: must come after ...".
_NAMES_ITS_FIELD = re.compile(r"^([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*): (.+)$", re.DOTALL)


def plain_words(error: Any) -> str:
    """What a validator's refusal means, in words for an officer (not "string should have at
    least 1 character"); "" for the refusals written by the models themselves."""
    kind, ctx = error["type"], error.get("ctx") or {}
    least, most = ctx.get("min_length"), ctx.get("max_length")
    if kind == "missing" or (kind == "string_too_short" and least == 1):
        return "is required"
    words = {
        "string_too_short": f"needs at least {least} characters",
        "string_too_long": f"may have at most {most:,} characters" if most else "",
        "too_short": "needs at least one" if least == 1 else f"needs at least {least}",
        "too_long": f"may have at most {most}",
        "greater_than_equal": f"must be at least {ctx.get('ge')}",
        "greater_than": f"must be more than {ctx.get('gt')}",
        "less_than_equal": f"must be at most {ctx.get('le')}",
        "less_than": f"must be less than {ctx.get('lt')}",
        "int_parsing": "must be a whole number",
        "int_type": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_parsing": "must be a number",
        "float_type": "must be a number",
        "bool_parsing": "must be yes or no",
        "string_pattern_mismatch": "is not in the form expected",
        "extra_forbidden": "is not a field this record has",
        "enum": f"must be one of {ctx.get('expected')}",
        "literal_error": f"must be one of {ctx.get('expected')}",
        "datetime_parsing": "is not a date and time",
        "datetime_type": "is not a date and time",
    }
    return words.get(kind, "")


def problems_of(exc: ValidationError) -> list[FieldProblem]:
    """One problem per pydantic error, naming the field; never echoes the typed value."""
    problems = []
    errors = exc.errors(include_input=False, include_url=False)
    failed_inside = [tuple(e["loc"]) for e in errors if e["type"] != "too_short"]
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "too_short" and any(
            len(inner) > len(loc) and inner[: len(loc)] == loc for inner in failed_inside
        ):
            continue  # a list left short by its own refused members: they are the problem
        where = ".".join(str(p) for p in loc)
        message = plain_words(error) or error["msg"].removeprefix("Value error, ")
        if not where and (named := _NAMES_ITS_FIELD.match(message)):
            where, message = named.groups()  # a check across fields that names the one at fault
        problems.append(FieldProblem(where, message[:1].lower() + message[1:]))
    return problems


def explain(exc: ValidationError, what: str) -> InvalidFields:
    """One readable sentence per problem, naming the field; never echoes the typed value."""
    return InvalidFields(what, tuple(problems_of(exc)))


def validate(model: type[R], fields: dict[str, Any]) -> R:
    from pydantic import ValidationError

    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise explain(exc, type_name(model).replace("_", " ")) from None


def validate_model(model: type[M], fields: dict[str, Any], what: str) -> M:
    """Any model (a filter, a request), with the same field-naming errors as records."""
    from pydantic import ValidationError

    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise explain(exc, what) from None


class RecordService:
    def __init__(self, vault: Vault, writer: OperationWriter) -> None:
        self._vault = vault
        self._writer = writer

    def create(
        self, record: Record, entity_id: str | None = None, extra: dict[str, Any] | None = None
    ) -> tuple[str, ChangeSet]:
        name = type_name(type(record))
        entity = entity_id or uuid7()
        body: dict[str, Any] = {"fields": record.model_dump(mode="json")}
        if extra:
            body.update(extra)
        return entity, self._writer.submit(f"{name}.create", entity, body)

    def update(self, model: type[R], entity_id: str, changes: dict[str, Any]) -> ChangeSet:
        """Change some fields; the merged record must still be valid. Sends only what changed."""
        name = type_name(model)
        if name in APPEND_ONLY:
            raise InvalidInput(f"A {name} cannot be changed once made; add a new one instead.")
        stored = self.stored(model, entity_id)
        merged = validate(model, {**stored.doc, **changes}).model_dump(mode="json")
        fields = {k: merged[k] for k in changes if merged.get(k) != stored.doc.get(k)}
        if not fields:
            return ChangeSet(Origin.LOCAL)
        return self._writer.submit(f"{name}.update", entity_id, self._body(stored, fields))

    def submit(self, changes: list[Change]) -> ChangeSet:
        """Sign and apply prepared changes in one transaction."""
        return self._writer.submit_many(changes)

    def create_change(
        self, model: type[Record], fields: dict[str, Any], entity_id: str | None = None
    ) -> tuple[str, Change]:
        """The operation that creates a record from fields the caller has validated (JSON
        values; a draft may lack required ones), to submit with others in one transaction."""
        entity = entity_id or uuid7()
        return entity, (f"{type_name(model)}.create", entity, {"fields": fields})

    def update_change(
        self,
        model: type[Record],
        entity_id: str,
        fields: dict[str, Any],
        extra: dict[str, Any] | None = None,
    ) -> Change | None:
        """The operation that sets fields the caller has validated (JSON values), naming the
        base of each; only fields that differ are sent. None when nothing would change and no
        `extra` (e.g. a status change's transition) asks for an operation anyway."""
        stored = self.stored(model, entity_id)
        changed = {k: v for k, v in fields.items() if stored.doc.get(k) != v}
        if not changed and not extra:
            return None
        body = self._body(stored, changed)
        body.update(extra or {})
        return f"{type_name(model)}.update", entity_id, body

    @staticmethod
    def _body(
        stored: StoredRecord,
        fields: dict[str, Any],
        resolves: dict[str, list[list[Any]]] | None = None,
    ) -> dict[str, Any]:
        """An update names, per field, the clock of the value its author saw (its base): that
        is how a concurrent edit that loses is told apart from one that was seen and replaced."""
        clocks = stored.clocks or {}
        body: dict[str, Any] = {
            "fields": fields,
            "base": {k: clocks[k] for k in fields if k in clocks},
        }
        if resolves:
            body["resolves"] = resolves
        return body

    def resolve(
        self, model: type[R], entity_id: str, field: str, value: Any, losers: list[list[Any]]
    ) -> ChangeSet:
        """Settle a conflict: set the chosen value and mark the listed losing writes resolved."""
        name = type_name(model)
        stored = self.stored(model, entity_id)
        merged = validate(model, {**stored.doc, field: value}).model_dump(mode="json")
        body = self._body(stored, {field: merged[field]}, {field: losers})
        return self._writer.submit(f"{name}.update", entity_id, body)

    def delete(self, model: type[Record], entity_id: str) -> ChangeSet:
        return self.submit([self.delete_change(model, entity_id)])

    def delete_change(self, model: type[Record], entity_id: str) -> Change:
        """The tombstone of a stored record, to submit with others in one transaction."""
        self.stored(model, entity_id)
        return (f"{type_name(model)}.delete", entity_id, {})

    def stored(self, model: type[Record], entity_id: str) -> StoredRecord:
        name = type_name(model)
        stored = self._vault.reads.get(entity_id)
        if stored is None or stored.type != name or stored.deleted:
            raise InvalidInput(f"There is no {name.replace('_', ' ')} with id {entity_id}.")
        return stored

    def get(self, model: type[R], entity_id: str) -> R:
        return validate(model, self.stored(model, entity_id).doc)

    def card(
        self, kind: str, entity_id: str, card: Callable[[dict[str, Any]], C | None]
    ) -> C | None:
        """One record of type `kind` as a card (domain/cards.py); None if there is none, it is
        deleted or partial."""
        stored = self._vault.reads.get(entity_id) if entity_id else None
        if stored is None or stored.type != kind or stored.deleted:
            return None
        return card(stored.doc)

    def cards(
        self, kind: str, card: Callable[[dict[str, Any]], C | None], limit: int = 10_000
    ) -> list[tuple[StoredRecord, C]]:
        """Records of one type as cards (domain/cards.py), oldest first, for reads that only
        show them; partial ones are left out, as by `list`."""
        result = []
        for stored in self._vault.reads.of_type(kind, limit=limit):
            found = card(stored.doc)
            if found is not None:
                result.append((stored, found))
        return result

    def list(self, model: type[R], limit: int = 10_000) -> list[tuple[StoredRecord, R]]:
        """Records of one type, oldest first; partial ones (an update that arrived before its
        create) are left out until they are complete."""
        from pydantic import ValidationError

        result = []
        for stored in self._vault.reads.of_type(type_name(model), limit=limit):
            try:
                result.append((stored, model.model_validate(stored.doc)))
            except ValidationError:
                continue
        return result
