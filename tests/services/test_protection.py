"""Personnel protection through the services on real vaults: the roster and its Strictly
Confidential emergency details, movements and check-ins, the escalation of a missed check-in
step by step as the clock is driven (never slept), deterministic alerts that merge across
laptops, headcounts completed from several laptops through exchanged operations, the panic
alarm, the watch's plug-in watchers, and the migration that adds the projections."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest

from missiondesk.domain.errors import AccessDenied, InvalidFields, InvalidInput
from missiondesk.domain.escalation import State
from missiondesk.domain.kinds import FLASH, IMMEDIATE, urgency
from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.domain.records.alerts import AlertStep, Audience
from missiondesk.domain.records.headcount import PersonStatus
from missiondesk.domain.records.people import Role
from missiondesk.services.movements import alert_id
from missiondesk.services.vault_access import create_vault, unlock_vault
from missiondesk.store.protection_reads import DUE_SELECT
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.driven_clock import DrivenWall
from tests.opfactory import share

MINUTE = 60_000
START = (datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=1)).replace(minute=0)


def t(minutes: float) -> datetime:
    """START + `minutes` (the clock does not move)."""
    return START + timedelta(minutes=minutes)


@pytest.fixture
def wall():
    return DrivenWall(START)


@pytest.fixture
def desk(tmp_path, wall):
    s = create_vault(
        tmp_path / "desk", PASSPHRASE, name="Anna Berg", callsign="ALPHA-1", kdf=FAST_KDF, wall=wall
    )
    yield s
    s.close()


def roster_of(session):
    r = session.roster
    r.add("Ben Okafor", callsign="BRAVO-2", unit="Team Kilo", outpost="OP North")
    r.add("Chen Li", callsign="CHARLIE-3", unit="Team Kilo", outpost="OP North")
    r.add("Dana Moss", callsign="DELTA-4", unit="Log Coy", outpost="Camp Alpha")


def plan(session, wall, **more):
    values = {
        "title": "Resupply run to OP North",
        "people": ["BRAVO-2", "charlie-3"],
        "route": ["Camp Alpha=38S MB 44845 36965", "Checkpoint 4", "OP North=33.31, 44.36"],
        "depart": t(0),
        "eta": t(240),
        "interval": 60,
        "vehicles": ["UN-1234 Land Cruiser"],
        **more,
    }
    return session.movements.plan(**values)


def tick(session, wall, minutes):
    return session.watch.tick(wall.at(minutes)).found["movements"]


# -- roster --


def test_roster_keeps_emergency_details_apart_and_strictly_confidential(desk):
    device = desk.device_id
    person = desk.roster.add(
        "Ben Okafor",
        callsign="BRAVO-2",
        role=Role.DUTY_OFFICER,
        unit="Team Kilo",
        outpost="OP North",
        devices=[device],
        emergency={"next_of_kin": "Ada Okafor", "blood_group": "O+", "medical_notes": "asthma"},
    )
    card = desk.roster.card(person)
    assert card.entry.person.sensitivity is Sensitivity.UNCLASSIFIED
    assert card.emergency is not None and card.emergency.blood_group == "O+"
    assert card.emergency.sensitivity is Sensitivity.STRICTLY_CONFIDENTIAL
    assert card.entry.devices == (device,) and card.entry.outpost == "OP North"
    assert "emergency" not in str(card.entry.as_json()) and "Ada" not in str(card.entry.as_json())
    desk.roster.set_emergency(person, {"allergies": "penicillin"})
    assert desk.roster.card(person).emergency.next_of_kin == "Ada Okafor"  # merged, not replaced
    assert [e.label for e in desk.roster.entries(["op north"])] == ["BRAVO-2"]
    assert desk.roster.resolve("bravo-2") == desk.roster.resolve("Ben Okafor") == person
    with pytest.raises(InvalidFields, match="callsign: is already on the roster"):
        desk.roster.add("Someone else", callsign="bravo-2")
    with pytest.raises(InvalidFields, match="devices: a device id is 32 hex digits"):
        desk.roster.add("Eve", devices=["laptop-7"])
    typed = desk.roster.add("Fay", devices=[f" {device.upper()} "])  # as copied off a screen
    assert desk.roster.entry(typed).devices == (device,)
    with pytest.raises(InvalidFields, match="blood_group"):
        desk.roster.set_emergency(person, {"blood_group": "Q"})
    with pytest.raises(InvalidInput, match="no field shoe_size"):
        desk.roster.set_emergency(person, {"shoe_size": "44"})
    with pytest.raises(InvalidInput, match="No one on the roster is called 'ZULU'"):
        desk.roster.resolve("ZULU")


# -- movements and check-ins --


def test_planning_refuses_bad_input_naming_each_field(desk, wall):
    roster_of(desk)
    with pytest.raises(InvalidFields) as caught:
        plan(desk, wall, people=["BRAVO-2", "ZULU-9"], route=["Camp=behind the hill", "OP"])
    assert set(caught.value.fields()) == {"people.1", "route.0"}
    assert "not a location" in caught.value.fields()["route.0"]
    with pytest.raises(InvalidFields) as caught:
        plan(desk, wall, eta=t(-10), interval=0, route=["Camp Alpha"])
    assert {"route", "interval"} <= set(caught.value.fields())
    with pytest.raises(InvalidFields, match="eta: must come after the departure"):
        plan(desk, wall, eta=t(-10))
    with pytest.raises(InvalidFields, match="warning comes before the alarm"):
        plan(desk, wall, alarm=50, flash=20)


def test_a_check_in_is_one_call_and_moves_the_next_due_time(desk, wall):
    roster_of(desk)
    movement = plan(desk, wall)
    view = desk.movements.get(movement)
    assert view.state is State.ON_TIME and view.next_due == t(60)
    assert view.people == ("BRAVO-2", "CHARLIE-3")
    twice = plan(desk, wall, people=["BRAVO-2", "bravo-2", "Ben Okafor"])
    assert desk.movements.get(twice).people == ("BRAVO-2",)  # named three times, moves once
    desk.movements.cancel(twice)
    assert [w.name for w in view.movement.route] == ["Camp Alpha", "Checkpoint 4", "OP North"]
    assert view.movement.route[0].location.mgrs.startswith("38S MB")
    assert view.movement.escalation.minutes == (0, 30, 60)  # the defaults
    wall.at(45)
    result = desk.movements.check_in(movement, position="38S MB 45000 37000", note="CP 4 passed")
    assert result.next_due == t(105)
    view = desk.movements.get(movement)
    assert view.last_checkin == t(45) and view.last_position.mgrs.startswith("38S MB")
    with pytest.raises(InvalidFields, match="position"):
        desk.movements.check_in(movement, position="the big tree")
    with pytest.raises(InvalidFields, match="at: is in the future"):
        desk.movements.check_in(movement, at=t(45) + timedelta(hours=2))
    with pytest.raises(InvalidFields, match=r"at: is before the departure \("):
        desk.movements.check_in(movement, at=t(-60))
    assert [m.id for m in desk.movements.active()] == [movement]
    desk.movements.arrive(movement, position="33.31, 44.36")
    view = desk.movements.get(movement)
    assert view.state is State.ARRIVED and view.movement.arrived == t(45)
    assert desk.movements.active() == []
    with pytest.raises(InvalidInput, match="is arrived; it takes no check-in"):
        desk.movements.check_in(movement)
    assert tick(desk, wall, 10_000) == ()  # closed: nothing escalates


def test_a_movement_checking_in_past_its_eta_says_so_and_raises_no_alert(desk, wall):
    """The ETA passing is shown (PAST ETA), not escalated; a missed check-in still comes first."""
    roster_of(desk)
    movement = plan(desk, wall, eta=t(90), interval=60)
    wall.at(55)
    desk.movements.check_in(movement)  # next due at 115
    wall.at(89)
    assert desk.movements.get(movement).state is State.ON_TIME
    wall.at(100)
    assert desk.movements.get(movement).state is State.PAST_ETA
    assert tick(desk, wall, 100) == ()
    wall.at(115)
    assert desk.movements.get(movement).state is State.DUE  # the missed check-in comes first
    desk.movements.arrive(movement)
    assert desk.movements.get(movement).state is State.ARRIVED


def test_a_planner_revises_the_eta_and_the_interval_and_the_watch_follows(desk, wall):
    """A patrol held up: a later ETA ends PAST ETA; a longer interval moves the next check-in
    (an interval after the last one) and brings the default steps for it; nothing escalates
    at the old due time. Steps set by hand are kept."""
    roster_of(desk)
    movement = plan(desk, wall, eta=t(90), interval=60)
    wall.at(30)
    desk.movements.check_in(movement)  # due at 90
    wall.at(100)
    assert desk.movements.get(movement).state is State.DUE
    view = desk.movements.revise(movement, eta=t(300), interval=120)
    assert view.movement.eta == t(300) and view.movement.interval == 120
    assert view.movement.escalation.minutes == (0, 60, 120)  # the defaults for 120 min
    assert view.next_due == t(150) and view.state is State.ON_TIME
    assert tick(desk, wall, 100) == ()  # the old due time raises nothing now
    assert [a.alert.step for a in tick(desk, wall, 150)] == [AlertStep.WARNING]
    with pytest.raises(InvalidFields, match="eta: must come after the departure"):
        desk.movements.revise(movement, eta=t(-30))
    with pytest.raises(InvalidFields, match="interval"):
        desk.movements.revise(movement, interval=0)
    with pytest.raises(InvalidInput, match="Give a new ETA or a new check-in interval"):
        desk.movements.revise(movement)
    assert desk.movements.get(movement).movement.interval == 120  # the refusals changed nothing

    custom = plan(desk, wall, interval=60, warning=5, alarm=20, flash=40)
    assert desk.movements.revise(custom, interval=30).movement.escalation.minutes == (5, 20, 40)
    desk.movements.cancel(custom)
    with pytest.raises(InvalidInput, match="is cancelled"):
        desk.movements.revise(custom, eta=t(500))


# -- escalation --


def test_a_missed_check_in_escalates_warning_alarm_flash_in_order(desk, wall):
    roster_of(desk)
    movement = plan(desk, wall)
    assert tick(desk, wall, 59) == ()
    (warning,) = tick(desk, wall, 60)
    assert (warning.alert.step, warning.alert.audience) == (AlertStep.WARNING, Audience.TRAVELLER)
    assert warning.alert.precedence is Precedence.PRIORITY and warning.people == (
        "BRAVO-2",
        "CHARLIE-3",
    )
    assert warning.alert.due == t(60) and "check in now" in warning.alert.text
    assert desk.movements.get(movement).state is State.WARNING
    assert tick(desk, wall, 89) == ()  # each step once
    (alarm,) = tick(desk, wall, 90)
    assert (alarm.alert.step, alarm.alert.audience) == (AlertStep.ALARM, Audience.DUTY_OFFICER)
    assert desk.movements.get(movement).state is State.ALARM
    (flash,) = tick(desk, wall, 120)
    assert (flash.alert.step, flash.alert.precedence) == (AlertStep.FLASH, Precedence.FLASH)
    assert flash.alert.audience is Audience.MISSION
    assert desk.movements.get(movement).state is State.FLASH
    assert tick(desk, wall, 500) == ()  # every step raised: the movement leaves the index
    assert desk.vault.protection.due(wall.ms) == []
    assert [a.alert.step for a in desk.alerts.list()] == [
        AlertStep.FLASH,
        AlertStep.ALARM,
        AlertStep.WARNING,
    ]
    # the alert operations go first on any link: FLASH for the last step, IMMEDIATE before it
    rows = desk.vault.conn.execute(
        "SELECT entity, urgency FROM ops WHERE kind = 'alert.create'"
    ).fetchall()
    assert dict(rows) == {warning.id: IMMEDIATE, alarm.id: IMMEDIATE, flash.id: FLASH}


def test_a_late_tick_raises_every_due_step_at_once_in_order(desk, wall):
    roster_of(desk)
    movement = plan(desk, wall, interval=20, warning=5, alarm=10, flash=15)
    found = tick(desk, wall, 200)  # the laptop was asleep
    assert [a.alert.step for a in found] == [AlertStep.WARNING, AlertStep.ALARM, AlertStep.FLASH]
    assert [a.alert.raised for a in found] == [t(25), t(30), t(35)]
    assert [a.id for a in found] == [
        alert_id(movement, int(t(20).timestamp() * 1000), s)
        for s in (AlertStep.WARNING, AlertStep.ALARM, AlertStep.FLASH)
    ]


def test_a_check_in_or_arrival_after_a_step_stops_further_steps(desk, wall):
    roster_of(desk)
    movement = plan(desk, wall)
    assert [a.alert.step for a in tick(desk, wall, 61)] == [AlertStep.WARNING]
    wall.at(70)
    desk.movements.check_in(movement)  # late, but alive
    assert desk.movements.get(movement).state is State.ON_TIME
    assert tick(desk, wall, 125) == ()  # no alarm for the check-in that was missed
    # the next check-in (due at 130) is missed: the steps start again from the warning
    (again,) = tick(desk, wall, 130)
    assert again.alert.step is AlertStep.WARNING and again.alert.due == t(130)
    wall.at(140)
    desk.movements.arrive(movement)
    assert tick(desk, wall, 1000) == ()
    opened = desk.alerts.list(open_only=True)
    assert len(opened) == 2
    acked = desk.alerts.acknowledge(opened[0].id)
    assert acked.alert.acknowledged == t(1000) and acked.alert.acknowledged_by == "ALPHA-1"
    assert desk.alerts.acknowledge(opened[0].id).alert.acknowledged == t(1000)  # once
    assert [a.id for a in desk.alerts.list(open_only=True)] == [opened[1].id]


def test_two_laptops_escalating_the_same_movement_write_one_record(desk, make_session, wall):
    other = create_vault(
        desk.vault.layout.root.parent / "other",
        PASSPHRASE,
        name="Ben Okafor",
        callsign="BRAVO-2",
        kdf=FAST_KDF,
        wall=wall,
    )
    try:
        roster_of(desk)
        movement = plan(desk, wall)
        share(desk, other)
        mine = tick(desk, wall, 95)
        theirs = tick(other, wall, 95)
        assert [a.id for a in mine] == [a.id for a in theirs] and len(mine) == 2
        share(desk, other)
        share(other, desk)
        for s in (desk, other):
            alerts = s.alerts.list()
            assert sorted(a.id for a in alerts) == sorted(a.id for a in mine)
            assert s.conflicts.list() == []  # the same fields: nothing to review
            assert s.movements.get(movement).state is State.ALARM
        # a check-in made on the other laptop, received before this one ticks, stops it
        wall.at(100)
        other.movements.check_in(movement)
        share(other, desk)
        assert tick(desk, wall, 119) == () and tick(desk, wall, 125) == ()
    finally:
        other.close()


def test_the_watch_finds_due_movements_with_one_indexed_query(desk, wall):
    plan_rows = desk.vault.conn.execute(f"EXPLAIN QUERY PLAN {DUE_SELECT}", (0, 10)).fetchall()
    assert any("movement_watch_due" in str(r[-1]) for r in plan_rows), plan_rows


def test_watchers_plug_in_and_a_failing_one_stops_no_other(desk, wall):
    roster_of(desk)
    plan(desk, wall)
    calls = []

    def late_checklists(since, now):
        calls.append((since, now))
        return ["radio check of OP North"]

    def broken(since, now):
        raise InvalidInput("The checklist store is busy.")

    desk.watch.add("checklists", late_checklists)
    desk.watch.add("broken", broken)
    first = desk.watch.tick(wall.at(60))
    second = desk.watch.tick(wall.at(61))
    assert desk.watch.names == ("movements", "checklists", "broken")
    assert [a.alert.step for a in first.found["movements"]] == [AlertStep.WARNING]
    assert first.found["checklists"] == ("radio check of OP North",)
    assert first.errors == {"broken": "The checklist store is busy."} and first.total == 2
    assert calls == [(t(60) - timedelta(hours=24), t(60)), (t(60), t(61))]
    assert second.found["movements"] == ()


# -- urgency --


def test_protection_operations_sync_before_routine_traffic():
    assert urgency("alert.create", {"fields": {"precedence": "flash"}}) == FLASH
    assert urgency("alert.create", {"fields": {"precedence": "priority"}}) == IMMEDIATE
    assert urgency("alert.update", {"fields": {"acknowledged": "x"}}) == IMMEDIATE
    assert urgency("headcount.create", {"fields": {}}) == FLASH
    assert urgency("headcount_mark.update", {"fields": {}}) == IMMEDIATE
    assert urgency("movement_checkin.create", {"fields": {}}) == IMMEDIATE
    assert urgency("movement.update", {"fields": {"status": "arrived"}}) == IMMEDIATE
    assert urgency("movement.create", {"fields": {"status": "active"}}) > IMMEDIATE


# -- panic --


def test_panic_raises_a_flash_alert_with_the_last_known_position(desk, wall):
    roster_of(desk)
    movement = plan(desk, wall)
    wall.at(30)
    desk.movements.check_in(movement, position="38S MB 45000 37000")
    wall.at(40)
    desk.movements.check_in(movement)  # no position: the earlier one stays the last known
    wall.at(50)
    panic = desk.alerts.panic("BRAVO-2", note="vehicle stopped at a roadblock")
    assert panic.alert.step is AlertStep.PANIC and panic.alert.precedence is Precedence.FLASH
    assert panic.alert.position.mgrs.startswith("38S MB 45000 37000"[:9])
    assert panic.alert.text == "PANIC BRAVO-2: vehicle stopped at a roadblock"
    assert panic.alert.raised == t(50) and panic.people == ("BRAVO-2",)
    mine = desk.alerts.panic(position="33.31, 44.36")  # this officer, at a given position
    assert mine.people == ("ALPHA-1",) and mine.alert.position.lat == pytest.approx(33.31)
    assert desk.alerts.panic("DELTA-4").alert.position is None  # never checked in
    level = desk.vault.conn.execute(
        "SELECT urgency FROM ops WHERE entity = ?", (panic.id,)
    ).fetchone()[0]
    assert level == FLASH


# -- headcount --


def enroll(authority, member, role):
    request, _ = member.mission.request_enrollment()
    approval, _ = authority.mission.approve(request, role=role)
    member.mission.accept(approval)


def test_a_headcount_started_on_one_laptop_is_completed_from_two_others(tmp_path, wall):
    made = []

    def vault(name, callsign):
        s = create_vault(
            tmp_path / callsign, PASSPHRASE, name=name, callsign=callsign, kdf=FAST_KDF, wall=wall
        )
        made.append(s)
        return s

    try:
        hq = vault("Chief", "HQ-1")
        hq.mission.create("Sector North", role=Role.COMMANDER)
        duty, north, camp = vault("Ops", "OPS-JOC"), vault("Ben", "BRAVO-2"), vault("Dana", "D-4")
        enroll(hq, duty, Role.DUTY_OFFICER)
        enroll(hq, north, Role.OFFICER)
        enroll(hq, camp, Role.OFFICER)
        hq.roster.add("Chen Li", callsign="CHARLIE-3", outpost="OP North")
        hq.roster.add("Eli Ward", callsign="ECHO-5", outpost="OP North")
        hq.roster.add("Fay Moss", callsign="FOX-6", outpost="Camp Alpha")
        hq.roster.add("Gus Lee", callsign="GOLF-7", outpost="Camp Alpha")
        for s in (duty, north, camp):
            share(hq, s)
        with pytest.raises(AccessDenied, match="officer cannot start a headcount"):
            north.headcount.start()
        with pytest.raises(InvalidFields, match="no one on the roster is at OP South"):
            duty.headcount.start(outposts=["OP South"])
        wall.at(0)
        headcount = duty.headcount.start("Shelling near OP North", ["op north", "Camp Alpha"])
        view = duty.headcount.status(headcount)
        assert view.mission.total == 4 and view.mission.unaccounted == 4
        assert view.mission.accounted_at is None
        for s in (north, camp):
            share(duty, s)
        # the wardens mark their people from their own laptops, apart from each other
        wall.at(5)
        north.headcount.mark(headcount, "CHARLIE-3", "safe")
        wall.at(7)
        north.headcount.mark(headcount, "ECHO-5", PersonStatus.NEEDS_HELP, note="shrapnel, leg")
        wall.at(6)
        camp.headcount.mark(headcount, "FOX-6", "safe")
        wall.at(9)
        camp.headcount.mark(headcount, "GOLF-7", "ok")
        # FOX-6 is marked from the north laptop too (unaware): one record, the later write wins
        wall.at(8)
        north.headcount.mark(headcount, "FOX-6", "safe", note="seen at the gate")
        with pytest.raises(InvalidFields, match="status: use safe, needs_help or unaccounted"):
            north.headcount.mark(headcount, "FOX-6", "fine")
        for s in (north, camp):
            share(s, duty)
        view = duty.headcount.status(headcount)
        by = {r.name: r for r in view.outposts}
        assert (by["OP North"].safe, by["OP North"].needs_help, by["OP North"].unaccounted) == (
            1,
            1,
            0,
        )
        assert by["OP North"].accounted_at == t(7)
        assert (by["Camp Alpha"].safe, by["Camp Alpha"].accounted_at) == (2, t(9))
        assert view.mission.unaccounted == 0 and view.mission.accounted_at == t(9)
        fox = next(p for p in view.people if p.label == "FOX-6")
        assert (fox.note, fox.marked_by) == ("seen at the gate", "BRAVO-2")
        marks = duty.vault.conn.execute(
            "SELECT count(*) FROM entities WHERE type = 'headcount_mark'"
        ).fetchone()[0]
        assert marks == 4  # FOX-6 marked twice, on two laptops: one record
        level = duty.vault.conn.execute(
            "SELECT urgency FROM ops WHERE entity = ?", (headcount,)
        ).fetchone()[0]
        assert level == FLASH
        with pytest.raises(AccessDenied, match="officer cannot close a headcount"):
            north.headcount.close(headcount)
        closed = duty.headcount.close(headcount)
        assert closed.headcount.status.value == "closed" and duty.headcount.current() is None
        with pytest.raises(InvalidInput, match="closed"):
            duty.headcount.mark(headcount, "FOX-6", "safe")
    finally:
        for s in made:
            s.close()


# -- schema migration --


def test_migration_9_adds_the_protection_projections(tmp_path):
    path = tmp_path / "v7"
    old = create_vault(path, PASSPHRASE, name="Anna", callsign="A-1", kdf=FAST_KDF, schema_target=7)
    old.close()
    again = unlock_vault(path, PASSPHRASE)
    try:
        assert again.vault.schema_version >= 9
        assert len(list((path / "backups").glob("vault-v7-*.db"))) == 1
        again.roster.add("Ben", callsign="B-2")
        wall_now = datetime.now(UTC)
        movement = again.movements.plan(
            "Patrol", ["B-2"], ["Gate", "Ridge"], eta=wall_now + timedelta(hours=2), interval=30
        )
        assert again.movements.get(movement).state is State.ON_TIME
    finally:
        again.close()
    shutil.rmtree(path)


def test_a_movement_s_detail_and_who_may_start_a_headcount(desk, wall, tmp_path):
    roster_of(desk)
    movement = plan(desk, wall)
    wall.at(30)
    desk.movements.check_in(movement, position="33.31, 44.36", note="at checkpoint 4")
    tick(desk, wall, 120)  # the check-in due at 90 was missed: warning, alarm
    detail = desk.movements.detail(movement)
    assert [c.note for c in detail.checkins] == ["at checkpoint 4"]
    assert detail.checkins[0].position is not None
    assert [a.alert.step for a in detail.alerts] == [AlertStep.WARNING, AlertStep.ALARM]
    assert detail.view.people == ("BRAVO-2", "CHARLIE-3")
    # no mission: this laptop's officer may do everything and reads everything
    assert desk.protection_access.refusal(frozenset({Role.COMMANDER}), "start") is None
    assert desk.protection_access.clearance() is None
    officer = create_vault(
        tmp_path / "officer", PASSPHRASE, name="Ben", callsign="B-2", kdf=FAST_KDF, wall=wall
    )
    try:
        officer.mission.create("Sector North", role=Role.OFFICER)
        refusal = officer.protection_access.refusal(
            frozenset({Role.COMMANDER}), "start a headcount"
        )
        assert refusal == "An officer cannot start a headcount; ask a commander."
        assert officer.protection_access.clearance() is Sensitivity.STRICTLY_CONFIDENTIAL
        with pytest.raises(AccessDenied, match="An officer cannot start a headcount"):
            officer.headcount.start()
    finally:
        officer.close()


def test_the_direct_channel_of_a_paired_person_is_one_channel_on_both_laptops(desk, wall):
    """BRAVO-2's laptop and HQ each open the direct channel of the two: one channel (not one
    per pairing of their records), and BRAVO-2's laptop never offers him himself."""
    bravo = create_vault(
        desk.vault.layout.root.parent / "bravo",
        PASSPHRASE,
        name="Ben Okafor",
        callsign="BRAVO-2",
        kdf=FAST_KDF,
        wall=wall,
    )
    try:
        roster_of(desk)
        rostered = desk.roster.resolve("BRAVO-2")
        share(desk, bravo)
        share(bravo, desk)
        assert rostered not in [e.id for e in bravo.people.others()]  # himself, by the roster
        assert desk.people.person_id in [e.id for e in bravo.people.others()]
        with pytest.raises(InvalidInput, match="needs another person"):
            bravo.channels.direct(rostered)
        from_hq = desk.channels.direct(rostered)
        from_bravo = bravo.channels.direct(desk.people.person_id)
        assert from_hq == from_bravo
        share(desk, bravo)
        share(bravo, desk)
        for laptop in (desk, bravo):
            directs = [v for v in laptop.channels.overview() if v.kind.value == "direct"]
            assert [v.id for v in directs] == [from_hq], laptop
    finally:
        bravo.close()


def test_a_direct_channel_opened_before_the_pairing_stays_the_one_used(desk, wall):
    """BRAVO-2 wrote to HQ before the roster reached his laptop: after the sync, HQ opening
    his direct channel from the roster gets that channel, with its messages."""
    bravo = create_vault(
        desk.vault.layout.root.parent / "bravo",
        PASSPHRASE,
        name="Ben Okafor",
        callsign="BRAVO-2",
        kdf=FAST_KDF,
        wall=wall,
    )
    try:
        share(desk, bravo)
        earlier = bravo.channels.direct(desk.people.person_id)  # no roster yet
        bravo.messaging.send(earlier, "At OP North, comms check", Precedence.ROUTINE)
        roster_of(desk)
        share(bravo, desk)
        share(desk, bravo)
        assert desk.channels.direct(desk.roster.resolve("BRAVO-2")) == earlier
        assert bravo.channels.direct(desk.people.person_id) == earlier
    finally:
        bravo.close()


def test_a_laptop_s_own_record_and_the_roster_s_are_one_person_after_a_sync(desk, wall):
    """HQ put BRAVO-2 on the roster; BRAVO-2's laptop made its own record at init. After a
    sync: one BRAVO-2 on both laptops, found by callsign, counted once, alerted and panicking
    as the roster's BRAVO-2 (whose movement gives the last position)."""
    bravo = create_vault(
        desk.vault.layout.root.parent / "bravo",
        PASSPHRASE,
        name="Ben Okafor",
        callsign="bravo-2",  # typed in another case on his own laptop
        kdf=FAST_KDF,
        wall=wall,
    )
    try:
        roster_of(desk)
        rostered = desk.roster.resolve("BRAVO-2")
        movement = plan(desk, wall)
        wall.at(30)
        desk.movements.check_in(movement, position="38S MB 45000 37000")
        share(desk, bravo)
        share(bravo, desk)
        for laptop in (desk, bravo):
            found = [e for e in laptop.roster.entries() if e.label.casefold() == "bravo-2"]
            assert [e.id for e in found] == [rostered], laptop
            assert bravo.device_id in found[0].devices  # his laptop, on the roster's record
            assert laptop.roster.resolve("BRAVO-2") == rostered
            assert laptop.roster.resolve(bravo.people.person_id) == rostered
        medics = desk.channels.create("medics", members=[rostered])  # made for the roster's
        share(desk, bravo)
        assert medics in [v.id for v in bravo.channels.overview()]  # ...reaches his laptop
        assert [e.id for e in bravo.people.directory() if e.label.casefold() == "bravo-2"] == [
            rostered
        ]
        headcount = desk.headcount.start("Shelling", outposts=["OP North"])
        assert sum(1 for p in desk.headcount.status(headcount).people if p.person == rostered) == 1
        assert len(desk.headcount.status(headcount).people) == 2  # BRAVO-2 and CHARLIE-3
        raised = tick(bravo, wall, 95)  # his check-in at 30 was due again at 90
        warning = tuple(a for a in raised if a.alert.step is AlertStep.WARNING)
        assert warning and bravo.alerts.meant_for_me(warning) == warning  # the traveller: him
        panic = bravo.alerts.panic()  # from his own laptop, for himself
        assert panic.alert.people == (rostered,)
        assert panic.alert.position is not None  # his movement's last check-in
    finally:
        bravo.close()


def test_a_person_who_left_is_taken_off_the_roster_and_past_records_still_name_them(desk, wall):
    """Off the roster with their emergency details and their laptop's own record (one person
    after a sync); refused while on a movement under way and for this laptop's officer; new
    headcounts leave them out, the movement they were on still names them, and the removal
    syncs to another laptop."""
    bravo = create_vault(
        desk.vault.layout.root.parent / "bravo",
        PASSPHRASE, name="Ben Okafor", callsign="BRAVO-2", kdf=FAST_KDF, wall=wall,
    )  # fmt: skip
    try:
        roster_of(desk)
        rostered = desk.roster.resolve("BRAVO-2")
        desk.roster.set_emergency(rostered, {"blood_group": "O+"})
        share(bravo, desk)  # his laptop's own record of him arrives: paired with the roster's
        movement = plan(desk, wall)  # BRAVO-2 and CHARLIE-3
        with pytest.raises(InvalidInput, match="BRAVO-2 is on the movement 'Resupply run"):
            desk.roster.remove(rostered)
        with pytest.raises(InvalidInput, match="officer of this laptop"):
            desk.roster.remove(desk.roster.resolve("ALPHA-1"))
        desk.movements.arrive(movement)
        shelling = desk.headcount.start("Shelling", outposts=["OP North"])
        with pytest.raises(InvalidInput, match="unaccounted for in the open headcount 'Shelling'"):
            desk.roster.remove(rostered)
        desk.headcount.mark(shelling, "BRAVO-2", "safe")  # accounted for: he may leave
        direct = desk.channels.direct(rostered)

        assert desk.roster.remove(rostered).label == "BRAVO-2"

        assert "BRAVO-2" not in [e.label for e in desk.roster.entries()]
        with pytest.raises(InvalidInput, match="No one on the roster is called 'BRAVO-2'"):
            desk.roster.resolve("BRAVO-2")
        for record in (rostered, bravo.people.person_id):
            assert desk.vault.reads.get(record).deleted
        from missiondesk.services.roster import emergency_id

        assert desk.vault.reads.get(emergency_id(rostered)).deleted
        assert desk.movements.get(movement).people == ("BRAVO-2", "CHARLIE-3")  # still named
        titles = {v.id: v.title for v in desk.channels.overview()}
        assert titles[direct] == "BRAVO-2"  # the direct channel with him too, not "?"
        desk.headcount.close(shelling)
        headcount = desk.headcount.start("Fire", outposts=["OP North"])
        assert [p.label for p in desk.headcount.status(headcount).people] == ["CHARLIE-3"]
        with pytest.raises(InvalidInput, match="There is no person"):
            desk.roster.remove(rostered)

        other = create_vault(
            desk.vault.layout.root.parent / "other",
            PASSPHRASE, name="Eve Park", callsign="ECHO-5", kdf=FAST_KDF, wall=wall,
        )  # fmt: skip
        try:
            share(desk, other)
            assert "BRAVO-2" not in [e.label for e in other.roster.entries()]
            assert "CHARLIE-3" in [e.label for e in other.roster.entries()]
        finally:
            other.close()
    finally:
        bravo.close()
