"""The roster: the mission's people (name, callsign, role, unit, outpost, devices) and their
emergency details, which are a Strictly Confidential record of their own.

Every change is an operation through the one road, so the roster syncs like any record. The
emergency details of a person have an id derived from the person's: filled in on two laptops,
they merge per field into one record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from missiondesk.domain.errors import FieldProblem, InvalidFields, InvalidInput
from missiondesk.domain.ids import derived_id, is_device_id
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.protection_rules import ROSTER_KEEPERS
from missiondesk.domain.records.headcount import (
    Headcount,
    HeadcountStatus,
    PersonStatus,
    mark_id,
)
from missiondesk.domain.records.movements import Movement, MovementStatus
from missiondesk.domain.records.people import Person, Role
from missiondesk.domain.records.roster import EmergencyDetails
from missiondesk.services.people import PeopleService, one_person_records
from missiondesk.services.protection_access import ProtectionAccess
from missiondesk.services.records import RecordService, validate
from missiondesk.store.vault import Vault

NO_OUTPOST = "(no outpost)"
EMERGENCY_FIELDS = frozenset(
    {"next_of_kin", "next_of_kin_contact", "blood_group", "allergies", "medical_notes"}
)


def emergency_id(person_id: str) -> str:
    return derived_id("emergency", person_id)


def _known_fields(values: Mapping[str, Any]) -> None:
    unknown = set(values) - EMERGENCY_FIELDS - {"sensitivity"}
    if unknown:
        raise InvalidInput(f"Emergency details have no field {', '.join(sorted(unknown))}.")


@dataclass(frozen=True)
class RosterEntry:
    id: str
    person: Person
    devices: tuple[str, ...]  # from the card and from devices that name this person

    @property
    def label(self) -> str:
        """What the screens call this person: the callsign, else the name."""
        return self.person.callsign or self.person.name

    @property
    def outpost(self) -> str:
        return self.person.outpost or NO_OUTPOST

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.person.model_dump(mode="json", exclude={"emergency_contact"}),
            "devices": list(self.devices),
        }


@dataclass(frozen=True)
class RosterCard:
    """One person in full; `emergency` is None when there is none or when this laptop's
    clearance does not cover it (`withheld`)."""

    entry: RosterEntry
    emergency: EmergencyDetails | None
    withheld: bool

    def as_json(self) -> dict[str, Any]:
        emergency = self.emergency.model_dump(mode="json") if self.emergency else None
        return {**self.entry.as_json(), "emergency": emergency, "withheld": self.withheld}


class RosterService:
    def __init__(
        self,
        vault: Vault,
        records: RecordService,
        people: PeopleService,
        access: ProtectionAccess,
    ) -> None:
        self._vault = vault
        self._records = records
        self._people = people
        self._access = access

    # -- reading ------------------------------------------------------------------------------

    def entries(self, outposts: Sequence[str] = ()) -> list[RosterEntry]:
        """Everyone on the roster (those of `outposts`, if given), by outpost then label. A
        laptop's own person record that another record names the same person (`aliases`) is
        not listed: its devices are that record's."""
        return self._read(outposts)[0]

    def _read(self, outposts: Sequence[str] = ()) -> tuple[list[RosterEntry], dict[str, str]]:
        """The entries and `one_person_records` of the people, in one read."""
        people = self._records.list(Person, limit=100_000)
        owners = self._people.device_owners()
        aliases = one_person_records(((s.id, p.callsign) for s, p in people), owners)
        devices: dict[str, set[str]] = {}
        for device_id, person_id in owners.items():
            devices.setdefault(aliases.get(person_id, person_id), set()).add(device_id)
        wanted = {o.casefold() for o in outposts}
        entries = [
            RosterEntry(
                stored.id, person, tuple(sorted(devices.get(stored.id, set()) | {*person.devices}))
            )
            for stored, person in people
            if stored.id not in aliases and (not wanted or person.outpost.casefold() in wanted)
        ]
        entries.sort(key=lambda e: (e.outpost.casefold(), e.label.casefold()))
        return entries, aliases

    def entry(self, person_id: str) -> RosterEntry:
        entries, aliases = self._read()
        person_id = aliases.get(person_id, person_id)  # a laptop's own record: the roster's
        for entry in entries:
            if entry.id == person_id:
                return entry
        raise InvalidInput(f"There is no person with id {person_id} on the roster.")

    def card(self, person_id: str) -> RosterCard:
        entry = self.entry(person_id)
        stored = self._vault.reads.get(emergency_id(person_id))
        if stored is None or stored.type != "emergency_details" or stored.deleted:
            return RosterCard(entry, None, False)
        details = validate(EmergencyDetails, stored.doc)
        if not self._access.may_read(details.sensitivity):
            return RosterCard(entry, None, True)
        return RosterCard(entry, details, False)

    def outposts(self) -> list[str]:
        found = {e.person.outpost for e in self.entries() if e.person.outpost}
        return sorted(found, key=str.casefold)

    def label_map(self) -> dict[str, str]:
        """Person id -> callsign (else name), read once for a list of many (one read of the
        people; `labels` per row would read them all for every row). People taken off the
        roster keep their label: the movements, alerts and headcounts they were in still
        name them."""
        return self._people.all_labels()

    def labels(
        self, person_ids: Sequence[str], known: Mapping[str, str] | None = None
    ) -> tuple[str, ...]:
        """Callsigns (else names) of these people; an id not on the roster shows as itself.
        `known`: a `label_map()` already read."""
        found = self.label_map() if known is None else known
        return tuple(found.get(p, p) for p in person_ids)

    def resolve(self, text: str) -> str:
        """A person's id from their callsign, name, id or its first characters (unique)."""
        wanted = text.strip().casefold()
        if not wanted:
            raise InvalidInput("Name a person by callsign, name or id.")
        entries, aliases = self._read()
        if text.strip() in aliases:
            return aliases[text.strip()]  # a laptop's own record, given by its id: the roster's
        for key in ("id", "callsign", "name"):
            found = [
                e.id
                for e in entries
                if (e.id if key == "id" else getattr(e.person, key)).casefold() == wanted
            ]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise InvalidInput(f"Several people have the {key} '{text}'; give their id.")
        if len(wanted) >= 4:
            found = [e.id for e in entries if e.id.startswith(wanted)]
            if len(found) == 1:
                return found[0]
        known = ", ".join(e.label for e in entries[:10]) or "nobody yet"
        raise InvalidInput(f"No one on the roster is called '{text}' (known: {known}).")

    # -- changes --------------------------------------------------------------------------------

    def add(
        self,
        name: str,
        *,
        callsign: str = "",
        role: Role = Role.OFFICER,
        unit: str = "",
        outpost: str = "",
        devices: Sequence[str] = (),
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
        emergency: Mapping[str, Any] | None = None,
    ) -> str:
        """Put a person on the roster (with their emergency details, in one transaction)."""
        self._access.require(ROSTER_KEEPERS, "change the roster")
        devices = self._check_devices(devices)
        person = validate(
            Person,
            {
                "name": name, "callsign": callsign, "role": role, "unit": unit,
                "outpost": outpost, "devices": devices, "sensitivity": sensitivity,
            },
        )  # fmt: skip
        self._require_free_callsign(person.callsign)
        person_id, change = self._records.create_change(Person, person.model_dump(mode="json"))
        changes = [change]
        if emergency:
            details = self._emergency(person_id, dict(emergency))
            changes.append(
                self._records.create_change(
                    EmergencyDetails, details.model_dump(mode="json"), emergency_id(person_id)
                )[1]
            )
        self._records.submit(changes)
        return person_id

    def update(self, person_id: str, changes: Mapping[str, Any]) -> RosterEntry:
        """Change fields of a person's card (name, callsign, role, unit, outpost, devices,
        sensitivity)."""
        self._access.require(ROSTER_KEEPERS, "change the roster")
        changes = dict(changes)
        self._require_free_callsign(str(changes.get("callsign") or ""), person_id)
        if "devices" in changes:
            changes["devices"] = self._check_devices(tuple(changes["devices"]))
        self._records.update(Person, person_id, changes)
        return self.entry(person_id)

    def remove(self, person_id: str) -> RosterEntry:
        """Take a person off the roster (they left the mission, or were put on it by mistake):
        the card and its emergency details become tombstones that sync, with the laptop's own
        record of the same person (`one_person_records`). New headcounts and movements no
        longer list them; past records still name them. Refused for this laptop's own officer
        and for anyone on a movement under way (arrive or cancel it first). Their laptops stay
        members of the mission until revoked (`members revoke`)."""
        self._access.require(ROSTER_KEEPERS, "change the roster")
        entries, aliases = self._read()
        person_id = aliases.get(person_id, person_id)
        entry = next((e for e in entries if e.id == person_id), None)
        if entry is None:
            raise InvalidInput(f"There is no person with id {person_id} on the roster.")
        records = {person_id} | {own for own, roster in aliases.items() if roster == person_id}
        if records & self._people.my_ids():
            raise InvalidInput(
                f"{entry.label} is the officer of this laptop and cannot be taken off its roster."
            )
        for _stored, movement in self._records.list(Movement, limit=100_000):
            if movement.status is MovementStatus.ACTIVE and records & set(movement.people):
                raise InvalidInput(
                    f"{entry.label} is on the movement '{movement.title}', which is under way; "
                    "record its arrival or cancel it first."
                )
        for counted, headcount in self._records.list(Headcount, limit=100_000):
            if headcount.status is not HeadcountStatus.OPEN:
                continue
            for record in records & set(headcount.people):
                found = self._vault.reads.get(mark_id(counted.id, record))
                status = found.doc.get("status") if found and not found.deleted else None
                if status in (None, PersonStatus.UNACCOUNTED.value):
                    raise InvalidInput(
                        f"{entry.label} is unaccounted for in the open headcount "
                        f"'{headcount.title}'; mark them there, or close it, first."
                    )
        changes = [self._records.delete_change(Person, record) for record in sorted(records)]
        changes += [
            self._records.delete_change(EmergencyDetails, emergency_id(record))
            for record in sorted(records)
            if self._records.card("emergency_details", emergency_id(record), dict) is not None
        ]
        self._records.submit(changes)
        return entry

    def _require_free_callsign(self, callsign: str, person_id: str = "") -> None:
        """A callsign (any case) is one person's: refused when another on the roster has it."""
        wanted = callsign.strip().casefold()
        if wanted and any(
            e.id != person_id and e.person.callsign.casefold() == wanted for e in self.entries()
        ):
            raise InvalidFields("person", (FieldProblem("callsign", "is already on the roster"),))

    def link_device(self, person_id: str, device_id: str) -> RosterEntry:
        device_id = device_id.strip().lower()
        entry = self.entry(person_id)
        if device_id in entry.person.devices:
            return entry
        return self.update(person_id, {"devices": (*entry.person.devices, device_id)})

    def set_emergency(self, person_id: str, values: Mapping[str, Any]) -> EmergencyDetails:
        """Set some emergency details of a person (the record is made the first time)."""
        self._access.require(ROSTER_KEEPERS, "change the roster")
        self.entry(person_id)
        _known_fields(values)
        entity = emergency_id(person_id)
        stored = self._vault.reads.get(entity)
        if stored is None or stored.type != "emergency_details":
            details = self._emergency(person_id, dict(values))
            self._records.create(details, entity)
            return details
        self._records.update(EmergencyDetails, entity, dict(values))
        return self._records.get(EmergencyDetails, entity)

    def _emergency(self, person_id: str, values: dict[str, Any]) -> EmergencyDetails:
        _known_fields(values)
        return validate(EmergencyDetails, {"person": person_id, **values})

    @staticmethod
    def _check_devices(devices: Sequence[str]) -> tuple[str, ...]:
        """The device ids as the app writes them (lower-case hex), or InvalidFields."""
        written = tuple(d.strip().lower() for d in devices)
        if not all(is_device_id(d) for d in written):
            raise InvalidFields(
                "person",
                (FieldProblem("devices", "a device id is 32 hex digits (see 'status')"),),
            )
        return written
