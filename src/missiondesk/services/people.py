"""Who is who: this device's person, and the callsign behind every author id."""

from __future__ import annotations

from missiondesk.domain.ids import fingerprint
from missiondesk.domain.records.people import Person
from missiondesk.services.records import RecordService
from missiondesk.store.vault import Vault


class PeopleService:
    def __init__(self, vault: Vault, records: RecordService, device_id: str) -> None:
        self._vault = vault
        self._records = records
        self.device_id = device_id
        self._names: dict[str, str] = {}

    @property
    def person_id(self) -> str:
        return self._vault.get_meta("person_id") or ""

    def me(self) -> Person | None:
        pid = self.person_id
        return self._records.get(Person, pid) if pid else None

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
