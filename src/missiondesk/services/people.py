"""Who is who: this device's person, the people of the mission and the devices they use."""

from __future__ import annotations

from typing import NamedTuple

from missiondesk.domain.cards import DeviceCard, PersonCard
from missiondesk.domain.ids import fingerprint
from missiondesk.services.records import RecordService
from missiondesk.store.vault import Vault


class PersonEntry(NamedTuple):
    id: str
    person: PersonCard
    devices: frozenset[str]

    @property
    def label(self) -> str:
        """What the screens call this person: the callsign, else the name."""
        return self.person.callsign or self.person.name


class PeopleService:
    def __init__(self, vault: Vault, records: RecordService, device_id: str) -> None:
        self._vault = vault
        self._records = records
        self.device_id = device_id
        self._names: dict[str, str] = {}

    @property
    def person_id(self) -> str:
        return self._vault.get_meta("person_id") or ""

    def me(self) -> PersonCard | None:
        """This officer's person record (None before it exists or while it is partial)."""
        return self._records.card("person", self.person_id, PersonCard.from_doc)

    def my_label(self) -> str:
        """What this officer signs reports, ticks and marks with: the callsign, else the name
        ("" before the person record exists)."""
        me = self.me()
        return (me.callsign or me.name) if me else ""

    def directory(self) -> list[PersonEntry]:
        """Every person this vault knows, with the devices registered to them, by label."""
        devices: dict[str, set[str]] = {}
        for stored, device in self._records.cards("device", DeviceCard.from_doc):
            devices.setdefault(device.person, set()).add(stored.id)
        entries = [
            PersonEntry(stored.id, person, frozenset(devices.get(stored.id, ())))
            for stored, person in self._records.cards("person", PersonCard.from_doc)
        ]
        return sorted(entries, key=lambda e: e.label.casefold())

    def others(self) -> list[PersonEntry]:
        """The directory without this officer."""
        me = self.person_id
        return [e for e in self.directory() if e.id != me]

    def display_name(self, device_id: str) -> str:
        """Callsign (or name) of the person using a device; its fingerprint if unknown."""
        if device_id in self._names:
            return self._names[device_id]
        name = fingerprint(device_id)
        device = self._vault.reads.get(device_id)
        if device is not None and device.type == "device":
            person = self._vault.reads.get(str(device.doc.get("person", "")))
            if person is not None and person.type == "person":
                name = str(person.doc.get("callsign") or person.doc.get("name") or name)
            self._names[device_id] = name
        return name
