"""Checklists through the services on real vaults: the default library (idempotent on two
laptops), template versions, typed values and evidence, ExCheck statuses driven by the vault's
clock, ticks made apart that merge per item, the compliance counts, the checklists that turned
late, and the migration that adds the projection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from missiondesk.domain.checklist_library import library
from missiondesk.domain.errors import AccessDenied, InvalidFields, InvalidInput
from missiondesk.domain.records.checklists import ChecklistTemplate, ItemStatus
from missiondesk.domain.records.people import Role
from missiondesk.services.attachments import NewAttachment
from missiondesk.services.vault_access import create_vault, unlock_vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.driven_clock import DrivenWall
from tests.opfactory import share

S = ItemStatus
T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
JPEG = NewAttachment.of("gate.jpg", b"\xff\xd8\xff" + b"p" * 300)


@pytest.fixture
def wall():
    return DrivenWall(T0)


@pytest.fixture
def desk(tmp_path, wall):
    """A vault whose clock the test drives, with the library installed."""
    s = create_vault(
        tmp_path / "desk", PASSPHRASE, name="Anna Berg", callsign="ALPHA-1", kdf=FAST_KDF,
        wall=wall,
    )  # fmt: skip
    s.checklists.templates.install_library()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def other_desk(tmp_path, wall):
    s = create_vault(
        tmp_path / "other", PASSPHRASE, name="Ben Okafor", callsign="BRAVO-2", kdf=FAST_KDF,
        wall=wall,
    )  # fmt: skip
    try:
        yield s
    finally:
        s.close()


def radio_check(session, **more):
    values = {"assignee": "BRAVO team", "outpost": "OP North", "due": T0 + timedelta(hours=2)}
    return session.checklists.start("radio-check", **{**values, **more})


def work_radio_check(session, checklist):
    c = session.checklists
    c.tick(checklist, "hf", value="5 BY 5")
    c.tick(checklist, "vhf")
    c.tick(checklist, "battery", value="80")
    c.tick(checklist, "satphone", note="0630Z, radio room answered")
    return c.tick(checklist, "log", sign_off="Capt. Mensah")


# -- the library and templates ------------------------------------------------------------------


def test_the_library_has_six_realistic_templates_some_asking_evidence():
    templates = {t.key: t for t in library()}
    assert set(templates) == {
        "convoy-predeparture", "residential-security", "radio-check", "medical-kit",
        "hibernation-readiness", "relocation-readiness",
    }  # fmt: skip
    evidence = {i.evidence.value for t in templates.values() for i in t.items()}
    types = {i.type.value for t in templates.values() for i in t.items()}
    assert {"note", "photo", "sign_off"} <= evidence
    assert types == {"yes_no", "text", "number", "datetime", "choice", "photo", "sign_off"}


def test_installing_the_library_twice_or_on_two_laptops_makes_no_copies(desk, other_desk):
    again = desk.checklists.templates.install_library()
    assert again.added == () and len(again.present) == 6
    other_desk.checklists.templates.install_library()
    share(other_desk, desk)
    share(desk, other_desk)
    for s in (desk, other_desk):
        views = s.checklists.templates.list()
        assert len(views) == 6 and len(s.records.list(ChecklistTemplate)) == 6
        assert all(v.versions == (1,) for v in views)
    assert [v.id for v in desk.checklists.templates.list()] == [
        v.id for v in other_desk.checklists.templates.list()
    ]
    assert desk.conflicts.list() == []


def test_editing_a_template_makes_a_version_and_checklists_keep_theirs(desk, other_desk):
    templates = desk.checklists.templates
    first = radio_check(desk)
    v1 = templates.get("Radio check")
    edited = v1.template.model_dump(mode="json")
    edited["sections"][0]["items"].append({"key": "antenna", "label": "Antenna mast secured"})
    v2 = templates.save(edited)
    assert v2.template.version == 2 and v2.id != v1.id and v2.versions == (1, 2)
    assert templates.save(edited).id == v2.id  # nothing changed: no version 3
    second = radio_check(desk)
    old, new = desk.checklists.detail(first), desk.checklists.detail(second)
    assert (old.checklist.template_version, len(old.items)) == (1, 5)
    assert (new.checklist.template_version, len(new.items)) == (2, 6)
    assert old.checklist.template == v1.id
    assert templates.get("radio-check@1").id == v1.id
    with pytest.raises(InvalidInput, match="no version 7"):
        templates.get("radio-check@7")
    # versions are records: they reach the other laptop, and it starts the latest
    share(desk, other_desk)
    assert other_desk.checklists.templates.get("radio-check").template.version == 2
    assert other_desk.checklists.detail(first).checklist.template_version == 1


def test_a_template_that_does_not_hold_together_is_refused_naming_the_fields(desk):
    with pytest.raises(InvalidFields) as caught:
        desk.checklists.templates.save(
            {
                "key": "Bad Key",
                "name": "",
                "sections": [
                    {
                        "title": "Stuff",
                        "items": [
                            {"key": "a", "label": "Pick", "type": "choice", "choices": ["x"]},
                            {"key": "a", "label": "Count", "type": "number", "minimum": 9,
                             "maximum": 1},
                        ],
                    }
                ],
            }
        )  # fmt: skip
    fields = caught.value.fields()
    assert "key" in fields and "name" in fields
    assert "at least two choices" in fields["sections.0.items.0"]
    assert "minimum is not above the maximum" in fields["sections.0.items.1"]
    with pytest.raises(InvalidInput, match="no checklist template 'patrol'"):
        desk.checklists.start("patrol", assignee="X", due=T0)


def test_only_editors_change_templates_in_a_mission(desk, other_desk):
    desk.mission.create("UNMISS Sector East")
    request, _ = other_desk.mission.request_enrollment()
    approval, _ = desk.mission.approve(request, role=Role.OFFICER)
    other_desk.mission.accept(approval)
    share(desk, other_desk)
    template = other_desk.checklists.templates.get("radio-check").template
    with pytest.raises(AccessDenied, match="commander or a security officer"):
        other_desk.checklists.templates.save(template.model_dump(mode="json") | {"name": "RC"})
    assert desk.checklists.templates.save(template.model_dump(mode="json") | {"name": "RC"})
    # the officer still starts and works checklists
    checklist = radio_check(other_desk)
    assert other_desk.checklists.tick(checklist, "vhf").status is S.COMPLETE


# -- typed values and evidence ------------------------------------------------------------------


def test_values_are_checked_by_item_type_with_clear_messages(desk):
    c = desk.checklists
    convoy = c.start("convoy-predeparture", assignee="ALPHA-1", due=T0 + timedelta(hours=3))
    refusals = {
        ("fuel", "lots"): "a number is expected in %",
        ("fuel", "140"): "at most 100 %",
        ("manifest", "0"): "at least 1 persons",
        ("checkpoints", "every 5 min"): "one of: every 30 min, every 60 min, at each checkpoint",
        ("departure", "tomorrow"): "date-time group like 221530Z NOV 26",
        ("tyres-spare", "maybe"): "answer yes or no",
        ("clearance", "  "): "a value is needed (text)",
        ("manifest", "1,000"): "could be thousands or a decimal comma",  # never taken as 1
    }
    for (key, typed), words in refusals.items():
        with pytest.raises(InvalidFields) as caught:
            c.tick(convoy, key, value=typed)
        assert caught.value.fields()["value"] == words or words in caught.value.fields()["value"]
        assert typed.strip() not in str(caught.value) or typed.strip() in words
        assert caught.value.kind == 4
    assert c.tick(convoy, "fuel", value="75,5 %").value == "75.5"
    assert c.tick(convoy, "manifest", value="12 PERSONS").value == "12"  # the unit in any case
    assert c.tick(convoy, "checkpoints", value="EVERY 60 MIN").value == "every 60 min"
    departure = c.tick(convoy, "departure", value="220930Z NOV 26")
    assert departure.value == "2026-11-22T09:30:00+00:00" and departure.shown_value == (
        "220930Z NOV 26"
    )
    assert c.tick(convoy, "tyres-spare", value="n").value == "no"  # answered: done, with a no
    with pytest.raises(InvalidInput, match="no item 'brakes'"):
        c.tick(convoy, "brakes")
    assert all(i.status is S.PENDING for i in c.detail(convoy).items if not i.ticked)


def test_items_that_ask_for_evidence_count_only_with_it(desk):
    c = desk.checklists
    convoy = c.start("convoy-predeparture", assignee="ALPHA-1", due=T0 + timedelta(hours=3))
    with pytest.raises(InvalidFields) as caught:
        c.tick(convoy, "route-brief")
    assert caught.value.fields() == {"note": "this item asks for a note as evidence"}
    with pytest.raises(InvalidFields, match="photo: this item asks for a photo"):
        c.tick(convoy, "markings")
    with pytest.raises(InvalidFields, match="sign_off: this item asks for a sign-off"):
        c.tick(convoy, "leader")
    with pytest.raises(InvalidFields, match="photo: is not a picture"):
        c.tick(convoy, "markings", photo=NewAttachment.of("notes.txt", b"plain words"))
    assert c.detail(convoy).done == 0  # nothing refused was written
    brief = c.tick(convoy, "route-brief", note="All six drivers, MSR 2 and the alternate")
    marks = c.tick(convoy, "markings", photo=JPEG)
    leader = c.tick(convoy, "leader", sign_off="Maj. Okafor")
    assert brief.status is marks.status is leader.status is S.COMPLETE
    assert (leader.sign_off, leader.completed_by, leader.completed_at) == (
        "Maj. Okafor", "ALPHA-1", T0,
    )  # fmt: skip
    # the photo is kept encrypted in the vault and reads back checked
    assert marks.photo is not None and marks.photo.is_image
    info, data = desk.attachments.content(marks.photo.id)
    assert data == JPEG.data and info.name == "gate.jpg"
    # ticking again changes what is given and keeps when it was done
    again = c.tick(convoy, "route-brief", note="Six drivers and the medic")
    assert again.note == "Six drivers and the medic" and again.completed_at == T0
    undone = c.untick(convoy, "leader")
    assert undone.status is S.PENDING and undone.sign_off == "Maj. Okafor"


# -- statuses and the clock ---------------------------------------------------------------------


def test_statuses_follow_excheck_as_the_clock_passes_the_due_time(desk, wall):
    c = desk.checklists
    checklist = radio_check(desk)
    assert c.detail(checklist).status is S.PENDING
    wall.advance(minutes=30)
    c.tick(checklist, "hf", value="4 by 4")
    wall.advance(minutes=89, seconds=59)
    assert c.detail(checklist).status is S.PENDING
    wall.advance(seconds=1)  # the due time: open items turn Late, the done one stays Complete
    detail = c.detail(checklist)
    assert detail.status is S.LATE
    assert [i.status for i in detail.items] == [S.COMPLETE, S.LATE, S.LATE, S.LATE, S.LATE]
    wall.advance(minutes=10)
    work_radio_check(desk, checklist)
    detail = c.detail(checklist)
    assert detail.status is S.COMPLETE_LATE
    assert detail.item("hf").status is S.COMPLETE
    assert detail.item("log").status is S.COMPLETE_LATE
    on_time = radio_check(desk, due=wall.now + timedelta(hours=1))
    work_radio_check(desk, on_time)
    assert c.detail(on_time).status is S.COMPLETE
    # the list reads the same statuses from the projection
    statuses = {line.id: line.status for line in c.lines()}
    assert statuses == {checklist: S.COMPLETE_LATE, on_time: S.COMPLETE}


def test_an_item_with_its_own_due_time_turns_late_before_the_checklist(desk, wall):
    c = desk.checklists
    hibernate = c.start("hibernation-readiness", assignee="Team Sierra", outpost="OP North",
                        due=T0 + timedelta(hours=12))  # fmt: skip
    headcount = c.detail(hibernate).item("headcount")
    assert headcount.due == T0 + timedelta(minutes=60)
    wall.advance(minutes=60)
    detail = c.detail(hibernate)
    assert detail.item("headcount").status is S.LATE and detail.status is S.LATE
    assert detail.item("water").status is S.PENDING
    assert [x.id for x in c.turned_late(T0, wall.now)] == [hibernate]
    c.tick(hibernate, "headcount", value="14")
    assert c.detail(hibernate).status is S.PENDING  # nothing else is due yet
    assert c.turned_late(T0, wall.now) == []


def test_start_checks_its_fields(desk):
    c = desk.checklists
    with pytest.raises(InvalidFields) as caught:
        c.start("radio-check", assignee=" ", due="soon")
    assert set(caught.value.fields()) == {"due"}
    with pytest.raises(InvalidFields) as caught:
        c.start("radio-check", assignee="", due=T0 - timedelta(hours=1))
    fields = caught.value.fields()
    assert set(fields) == {"assignee", "due"} and fields["due"] == "is before the start"
    assert str(caught.value).count("before the start") == 1  # said once, not garbled twice
    assert str(caught.value) == "Invalid checklist: due: is before the start; assignee: is required"


# -- merging ticks made apart -------------------------------------------------------------------


def test_ticks_made_apart_on_two_laptops_merge_per_item(desk, other_desk, wall):
    checklist = radio_check(desk)
    share(desk, other_desk)
    desk.checklists.tick(checklist, "hf", value="5 by 5")
    desk.checklists.tick(checklist, "satphone", note="0630Z, radio room answered")
    wall.advance(minutes=5)
    other_desk.checklists.tick(checklist, "vhf")
    other_desk.checklists.tick(checklist, "battery", value="60")
    other_desk.checklists.tick(checklist, "hf", value="3 by 3")  # the same item, later
    other_desk.checklists.tick(checklist, "log", sign_off="Capt. Mensah")
    share(desk, other_desk)
    share(other_desk, desk)
    mine, theirs = (s.checklists.detail(checklist).as_json() for s in (desk, other_desk))
    assert mine == theirs
    items = {i["key"]: i for i in mine["items"]}
    assert items["hf"]["value"] == "3 by 3" and items["hf"]["completed_by"] == "BRAVO-2"
    assert items["satphone"]["completed_by"] == "ALPHA-1"
    assert mine["status"] == "complete" and mine["done"] == 5
    # the same field set on both is listed for review, on both laptops
    conflicts = [c.field for c in desk.conflicts.list()]
    assert "value" in conflicts
    assert [c.id for c in other_desk.conflicts.list()] == [c.id for c in desk.conflicts.list()]
    # the projections agree
    assert desk.checklists.lines() == other_desk.checklists.lines()


def test_evidence_added_on_another_laptop_completes_the_item(desk, other_desk):
    checklist = desk.checklists.start(
        "medical-kit", assignee="Medic", outpost="OP South", due=T0 + timedelta(days=1)
    )
    share(desk, other_desk)
    desk.checklists.tick(checklist, "kit-photo", photo=JPEG)
    other_desk.checklists.tick(checklist, "medic", sign_off="Dr. Aziz")
    share(desk, other_desk)
    share(other_desk, desk)
    for s in (desk, other_desk):
        detail = s.checklists.detail(checklist)
        assert detail.item("kit-photo").status is S.COMPLETE
        assert detail.item("kit-photo").photo is not None
        assert detail.item("medic").sign_off == "Dr. Aziz"


def test_items_arriving_before_their_checklist_are_counted_when_it_arrives(desk, other_desk):
    checklist = radio_check(desk)
    work_radio_check(desk, checklist)
    share(desk, other_desk)  # every op at once; the projection follows whatever the order
    assert other_desk.checklists.lines()[0].done == 5
    assert other_desk.checklists.detail(checklist).status is S.COMPLETE


# -- compliance and what turned late --------------------------------------------------------------


def test_compliance_per_outpost_and_template(desk, wall):
    c = desk.checklists
    done = radio_check(desk)
    work_radio_check(desk, done)
    late = radio_check(desk, due=T0 + timedelta(minutes=30))
    pending = radio_check(desk, outpost="OP South")
    done_late = radio_check(desk, outpost="OP South", due=T0 + timedelta(minutes=10))
    c.start("medical-kit", assignee="Medic", outpost="OP South", due=T0 + timedelta(days=2))
    wall.advance(minutes=40)
    work_radio_check(desk, done_late)
    rows = {(r.outpost, r.template): r for r in c.compliance()}
    north = rows[("OP North", "radio-check")]
    south = rows[("OP South", "radio-check")]
    assert (north.complete, north.complete_late, north.late, north.pending) == (1, 0, 1, 0)
    assert (south.complete, south.complete_late, south.late, south.pending) == (0, 1, 0, 1)
    assert rows[("OP South", "medical-kit")].pending == 1
    assert north.template_name == "Radio check" and len(rows) == 3
    assert {x.id for x in c.lines(status=S.LATE)} == {late}
    assert {x.id for x in c.lines(outpost="OP South", template="radio-check")} == {
        pending, done_late,
    }  # fmt: skip
    # an outpost as the roster takes it: in any case
    assert {x.id for x in c.lines(outpost="op south", template="radio-check")} == {
        pending, done_late,
    }  # fmt: skip


def test_turned_late_lists_what_passed_its_due_time_in_the_span(desk, wall):
    c = desk.checklists
    at = {
        m: radio_check(desk, due=T0 + timedelta(minutes=m), title=f"RC {m}") for m in (10, 20, 30)
    }
    finished = radio_check(desk, due=T0 + timedelta(minutes=15))
    work_radio_check(desk, finished)
    since, now = T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)
    late = c.turned_late(since, now)
    assert [x.id for x in late] == [at[20]]  # (since, now]: 10 is out, 20 is in
    assert (late[0].title, late[0].assignee, late[0].outpost) == ("RC 20", "BRAVO team",
                                                                  "OP North")  # fmt: skip
    assert late[0].late_at == now
    assert [x.id for x in c.turned_late(T0, T0 + timedelta(hours=1))] == [at[10], at[20], at[30]]
    # the query walks one range of the index on the due time of open items
    plan = desk.vault.conn.execute(
        "EXPLAIN QUERY PLAN SELECT entity FROM checklist_rows WHERE late_at > ? AND late_at <= ?",
        (1, 2),
    ).fetchall()
    assert "checklist_rows_by_late_at" in " ".join(str(tuple(r)) for r in plan)


def test_a_deleted_checklist_leaves_the_list_and_the_counts(desk):
    checklist = radio_check(desk)
    desk.checklists.delete(checklist)
    assert desk.checklists.lines() == [] and desk.checklists.compliance() == []
    with pytest.raises(InvalidInput, match="no checklist"):
        desk.checklists.detail(checklist)


def test_ids_resolve_from_their_first_characters(desk):
    checklist = radio_check(desk)
    assert desk.checklists.resolve_id(checklist[:12].upper()) == checklist
    with pytest.raises(InvalidInput, match="at least the first 4"):
        desk.checklists.resolve_id("ab")


def test_an_observer_cannot_work_checklists(desk, other_desk):
    desk.mission.create("UNMISS Sector East")
    request, _ = other_desk.mission.request_enrollment()
    approval, _ = desk.mission.approve(request, role=Role.OBSERVER)
    other_desk.mission.accept(approval)
    checklist = radio_check(desk)
    share(desk, other_desk)
    with pytest.raises(AccessDenied, match="observer"):
        other_desk.checklists.tick(checklist, "vhf")
    assert other_desk.checklists.detail(checklist).status is S.PENDING  # reading is fine


# -- schema migration -----------------------------------------------------------------------------


def test_migration_8_projects_the_checklists_already_there(tmp_path, wall):
    path = tmp_path / "v7"
    old = create_vault(path, PASSPHRASE, name="Anna", callsign="A-1", kdf=FAST_KDF,
                       schema_target=7, wall=wall)  # fmt: skip
    old.checklists.templates.install_library()
    checklist = radio_check(old)
    work_radio_check(old, checklist)
    assert old.checklists.lines() == []  # no projection before migration 8
    old.close()
    again = unlock_vault(path, PASSPHRASE, wall=wall)
    try:
        assert again.vault.schema_version >= 8 and again.vault.migration_backup is not None
        [line] = again.checklists.lines()
        assert (line.id, line.done, line.total, line.status) == (checklist, 5, 5, S.COMPLETE)
    finally:
        again.close()


def test_a_refused_item_is_the_problem_not_the_section_it_leaves_empty():
    from missiondesk.services.records import validate

    bad_item = {"key": "a", "label": "A", "type": "choice", "choices": ["only one"]}
    with pytest.raises(InvalidFields) as refused:
        validate(
            ChecklistTemplate,
            {"key": "radio", "name": "Radio", "version": 1,
             "sections": [{"title": "S", "items": [bad_item]}]},
        )  # fmt: skip
    assert set(refused.value.fields()) == {"sections.0.items.0"}
    assert "at least two choices" in str(refused.value)
    with pytest.raises(InvalidFields) as empty:  # an empty list given is still said
        validate(ChecklistTemplate, {"key": "radio", "name": "Radio", "version": 1, "sections": []})
    assert set(empty.value.fields()) == {"sections"}
