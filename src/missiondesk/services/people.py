"""Who is who: this device's person, the people of the mission and the devices they use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from missiondesk.domain.cards import DeviceCard, PersonCard
from missiondesk.domain.ids import fingerprint
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.services.records import RecordService
from missiondesk.store.reads import StoredRecord
from missiondesk.store.vault import Vault


class PersonEntry(NamedTuple):
    id: str
    person: PersonCard
    devices: frozenset[str]

    @property
    def label(self) -> str:
        """What the screens call this person: the callsign, else the name."""
        return self.person.callsign or self.person.name


def one_person_records(
    callsigns: Iterable[tuple[str, str]], owners: Mapping[str, str]
) -> dict[str, str]:
    """Laptops' own person records -> the roster keeper's record of the same person.

    `callsigns`: (person id, callsign) of every person record; `owners`: device id -> the
    person its registration names. A roster keeper puts BRAVO-2 on the roster before BRAVO-2's
    laptop joins; that laptop made its own record at `init`, with the same callsign. After a
    sync both are there: without this, BRAVO-2 is ambiguous to every command, a headcount
    counts the second as unaccounted, and what is addressed to BRAVO-2 (alerts, a channel's
    members) misses BRAVO-2's laptop. Paired only when the callsign (in any case) has exactly
    one record a device names and one no device names."""
    own = set(owners.values())
    by_callsign: dict[str, tuple[list[str], list[str]]] = {}
    for person_id, callsign in callsigns:
        if callsign.strip():
            mine, kept = by_callsign.setdefault(callsign.strip().casefold(), ([], []))
            (mine if person_id in own else kept).append(person_id)
    return {
        mine[0]: kept[0] for mine, kept in by_callsign.values() if len(mine) == 1 and len(kept) == 1
    }


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
        """Every person this vault knows, with the devices registered to them, by label (a
        laptop's own record that the roster has too is listed once: `one_person_records`)."""
        people, owners, aliases = self._people_and_aliases()
        devices: dict[str, set[str]] = {}
        for device_id, person_id in owners.items():
            devices.setdefault(aliases.get(person_id, person_id), set()).add(device_id)
        entries = [
            PersonEntry(stored.id, person, frozenset(devices.get(stored.id, ())))
            for stored, person in people
            if stored.id not in aliases
        ]
        return sorted(entries, key=lambda e: e.label.casefold())

    def _people_and_aliases(
        self,
    ) -> tuple[list[tuple[StoredRecord, PersonCard]], dict[str, str], dict[str, str]]:
        """The person cards, the device owners and `one_person_records` of them: one read."""
        owners = self.device_owners()
        people = self._records.cards("person", PersonCard.from_doc)
        return people, owners, one_person_records(((s.id, p.callsign) for s, p in people), owners)

    def device_owners(self) -> dict[str, str]:
        """Device id -> the person record its own registration names."""
        return {
            stored.id: device.person
            for stored, device in self._records.cards("device", DeviceCard.from_doc)
            if device.person
        }

    def my_ids(self) -> frozenset[str]:
        """This officer's person record, and the roster's record of them if there is one:
        what is addressed to either is addressed to this officer."""
        me = self.person_id
        return frozenset(x for x in (me, self._people_and_aliases()[2].get(me, "")) if x)

    def one_person(self) -> dict[str, str]:
        """Laptops' own person records -> the roster's record of the same person
        (`one_person_records`)."""
        return self._people_and_aliases()[2]

    def my_roster_id(self) -> str:
        """The record this officer is known by: the roster keeper's record of them if there is
        one (`one_person_records`), else their own ("" before it exists)."""
        me = self.person_id
        return self._people_and_aliases()[2].get(me, me)

    def others(self) -> list[PersonEntry]:
        """The directory without this officer (by either of their records: `my_ids`)."""
        mine = self.my_ids()
        return [e for e in self.directory() if e.id not in mine]

    def all_labels(self) -> dict[str, str]:
        """Person id -> callsign (else name) of everyone this vault has known: people taken off
        the roster too, whose channels, messages and movements still name them."""
        labels: dict[str, str] = {}
        for stored in self._vault.reads.of_type("person", limit=100_000, include_deleted=True):
            label = stored.doc.get("callsign") or stored.doc.get("name")
            if isinstance(label, str) and label:
                labels[stored.id] = label
        return labels

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
