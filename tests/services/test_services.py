import pytest

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.domain.records.incidents import Incident
from missiondesk.domain.records.messaging import Channel


def test_new_vault_has_a_device_person_and_general_channel(session):
    assert [c.name for _, c in session.messaging.channels()] == ["general"]
    assert session.people.me().name == "Anna Berg"
    assert session.people.display_name(session.device_id) == "ALPHA-1"
    assert session.verify_operations().ok


def test_send_and_list_messages_with_precedence(session):
    session.messaging.create_channel("ops-north", description="Northern sector")
    session.messaging.send(
        "ops-north", "Contact at grid 38S MB 448 369", Precedence.FLASH, Sensitivity.CONFIDENTIAL
    )
    session.messaging.send("general", "Morning brief at 0800")
    north = session.messaging.list("ops-north")
    assert [(m.text, m.precedence, m.author_name) for m in north] == [
        ("Contact at grid 38S MB 448 369", Precedence.FLASH, "ALPHA-1")
    ]
    assert north[0].sensitivity is Sensitivity.CONFIDENTIAL
    assert [m.channel for m in session.messaging.list()] == ["ops-north", "general"]


def test_unknown_channel_and_empty_text_are_refused(session):
    with pytest.raises(InvalidInput, match="no channel 'nope'"):
        session.messaging.send("nope", "hello")
    with pytest.raises(InvalidInput, match="text"):
        session.messaging.send("general", "   ")
    with pytest.raises(InvalidInput, match="already exists"):
        session.messaging.create_channel("General")


def test_acknowledgement_is_an_operation(session):
    message_id = session.messaging.send("general", "Report in", Precedence.FLASH)
    session.messaging.acknowledge(message_id)
    assert session.messaging.list()[0].acknowledged_by == ("ALPHA-1",)
    with pytest.raises(InvalidInput):
        session.messaging.acknowledge("01a20105-0000-7000-8000-00000000dead")


def test_messages_page_backwards(session):
    for i in range(30):
        session.messaging.send("general", f"message {i}")
    page = session.messaging.list("general", limit=10)
    assert [m.text for m in page] == [f"message {i}" for i in range(20, 30)]
    older = session.messaging.list("general", limit=10, before_hlc=page[0].hlc)
    assert [m.text for m in older] == [f"message {i}" for i in range(10, 20)]


def test_incident_add_validates_and_lists_newest_first(session):
    first = session.incidents.add(
        title="Roadblock",
        category="Movement restriction / checkpoint denial",
        severity=2,
        location="38S MB 44845 36965",
        place="Route Kilo",
    )
    second = session.incidents.add(title="Shelling", category="indirect_fire", severity=4)
    listed = session.incidents.list()
    assert [v.id for v in listed] == [second, first]
    roadblock = listed[1].incident
    assert roadblock.category == "movement_restriction"
    assert roadblock.location.place == "Route Kilo"
    assert roadblock.reporting_officer == "ALPHA-1"
    with pytest.raises(InvalidInput, match="severity"):
        session.incidents.add(title="x", category="fire", severity=7)
    with pytest.raises(InvalidInput, match="not an incident category"):
        session.incidents.add(title="x", category="picnic", severity=1)


def test_validation_errors_never_echo_the_typed_value(session):
    secret = "SECRET-NARRATIVE-" + "x" * 60_000
    with pytest.raises(InvalidInput) as caught:
        session.incidents.add(title="t", category="fire", severity=1, description=secret)
    assert "SECRET" not in str(caught.value)
    assert "narrative" in str(caught.value)


def test_update_merges_and_sends_only_changed_fields(session):
    incident_id = session.incidents.add(title="Roadblock", category="crime", severity=2)
    before = session.vault.oplog.count()
    session.records.update(Incident, incident_id, {"severity": 3, "title": "Roadblock"})
    assert session.records.get(Incident, incident_id).severity == 3
    last = list(session.vault.oplog.iter_ops(session.device_id))[-1]
    assert session.vault.oplog.count() == before + 1
    assert b'"title"' not in last.payload  # unchanged field not re-sent
    with pytest.raises(InvalidInput, match="severity"):
        session.records.update(Incident, incident_id, {"severity": 0})


def test_delete_is_a_tombstone_that_hides_the_record(session):
    channel_id = session.messaging.create_channel("temp")
    session.records.delete(Channel, channel_id)
    assert "temp" not in [c.name for _, c in session.messaging.channels()]
    assert session.vault.reads.get(channel_id).deleted
    with pytest.raises(InvalidInput):
        session.records.get(Channel, channel_id)


def test_search_finds_messages_and_incidents_in_context(session):
    session.messaging.send("general", "Fuel resupply delayed at Camp Tango")
    session.incidents.add(
        title="Fuel theft",
        category="crime",
        severity=2,
        description="Two jerrycans taken from the depot",
    )
    results = session.search.search("fuel")
    assert {r.type for r in results} == {"message", "incident"}
    message = next(r for r in results if r.type == "message")
    assert message.title == "#general" and "[Fuel]" in message.snippet
    assert session.search.search("jerryc")[0].title == "Fuel theft"  # prefix of the last word
    assert session.search.search('"unbalanced AND (') == []  # never FTS syntax errors


def test_change_feed_reports_what_changed(session):
    seen = []
    session.changes.subscribe(seen.append)
    message_id = session.messaging.send("general", "hello")
    assert seen[-1].ids_of("message") == {message_id}


def test_operations_stay_in_order_when_the_wall_clock_jumps_back(session, vault_dir):
    from missiondesk.services.vault_access import unlock_vault
    from tests.conftest import PASSPHRASE

    session.messaging.send("general", "before the jump")
    newest = session.vault.oplog.max_hlc()
    session.close()
    again = unlock_vault(vault_dir, PASSPHRASE, wall=lambda: 1_000)  # the clock now says 1970
    try:
        again.messaging.send("general", "after the jump")
        stamps = [op.hlc for op in again.vault.oplog.iter_ops(again.device_id)]
        assert stamps == sorted(stamps) and stamps[-1] > newest
        assert [m.text for m in again.messaging.list()] == ["before the jump", "after the jump"]
    finally:
        again.close()


@pytest.mark.parametrize("chunk", [100, 2])
def test_waiting_for_my_ack_is_others_urgent_traffic_addressed_to_me(
    session, make_session, monkeypatch, chunk
):
    monkeypatch.setattr("missiondesk.services.messaging.URGENT_CHUNK", chunk)
    from missiondesk.domain.changeset import Origin
    from missiondesk.domain.operation import SignedOperation
    from missiondesk.services.messaging import URGENT_SCAN

    def ops_of(s):
        return [
            SignedOperation.from_parts(o.payload, o.signature) for o in s.vault.oplog.iter_ops()
        ]

    other = make_session()
    other.vault.apply(ops_of(session), Origin.PEER)  # learns the general channel and me
    private = other.channels.create("bravo-only", members=(other.people.person_id,))
    for i in range(3):
        other.messaging.send("general", f"flash {i}", Precedence.FLASH)
    other.messaging.send("general", "routine", Precedence.ROUTINE)
    other.messaging.send(private, "not for me", Precedence.IMMEDIATE)
    session.messaging.send("general", "my own flash", Precedence.FLASH)
    session.vault.apply(ops_of(other), Origin.PEER)

    waiting = session.messaging.waiting_for_my_ack()
    assert [v.text for v in waiting] == ["flash 2", "flash 1", "flash 0"]
    assert all(v.needs_my_ack for v in waiting)
    assert [v.text for v in session.messaging.waiting_for_my_ack(limit=2)] == ["flash 2", "flash 1"]
    # the same as views of every unacknowledged urgent row, filtered afterwards
    rows = session.vault.messages.unacknowledged_urgent(session.device_id, URGENT_SCAN)
    every = [v for v in session.messaging._views(rows) if v.needs_my_ack]
    assert waiting == every
    session.messaging.acknowledge(waiting[0].id)
    assert [v.text for v in session.messaging.waiting_for_my_ack()] == ["flash 1", "flash 0"]


def test_refusals_are_in_plain_words_not_the_validator_s():
    from missiondesk.domain.errors import InvalidFields
    from missiondesk.domain.records.people import Person
    from missiondesk.services.records import validate

    with pytest.raises(InvalidFields) as empty:
        validate(Person, {"name": "  "})
    assert str(empty.value) == "Invalid person: name: is required"
    with pytest.raises(InvalidFields) as long:
        validate(Person, {"name": "N" * 5000, "devices": ["a"] * 21, "role": "general"})
    said = long.value.fields()
    assert said["name"] == "may have at most 120 characters"
    assert said["devices"] == "may have at most 20"
    assert said["role"].startswith("must be one of 'officer'")
    assert "should" not in str(long.value)
