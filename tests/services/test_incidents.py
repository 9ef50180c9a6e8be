"""Incidents through the services on real vaults: drafts and per-field validation, the workflow
by role with its history, merging edits made apart, the filtered list and its counts,
categories of the mission, saved filters, and the schema migration that adds the projection."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest

from missiondesk.domain.errors import AccessDenied, InvalidFields, InvalidInput
from missiondesk.domain.incident_filter import BoundingBox, IncidentFilter, SortKey, grid_key
from missiondesk.domain.records.incidents import Incident, IncidentStatus
from missiondesk.domain.records.people import Role
from missiondesk.services.vault_access import create_vault, unlock_vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.opfactory import share

S = IncidentStatus
NOW = datetime.now(UTC).replace(microsecond=0)


def enroll(authority, member, role):
    request, _ = member.mission.request_enrollment()
    approval, _ = authority.mission.approve(request, role=role)
    member.mission.accept(approval)


def complete(session, **more):
    fields = {
        "title": "Shots fired near checkpoint 4",
        "category": "small_arms_fire",
        "severity": 3,
        "occurred": NOW - timedelta(hours=2),
        "location": "38S MB 44845 36965",
        "place": "Checkpoint 4",
        **more,
    }
    return session.incidents.create(fields)


# -- drafts and validation ------------------------------------------------------------------


def test_a_draft_may_be_partial_but_each_given_field_is_checked(session):
    draft = session.incidents.save_draft({"title": "Crowd forming at the market"})
    detail = session.incidents.get(draft)
    assert detail.status is S.DRAFT and detail.incident is None
    assert set(detail.missing) == {"category", "severity", "occurred"}
    assert detail.fields["reporting_officer"] == "ALPHA-1"
    with pytest.raises(InvalidFields) as caught:
        session.incidents.save_draft(
            {
                "severity": 9,
                "location": "behind the hill",
                "admiralty": "Z9",
                "category": "parade",
                "casualties": {"killed": {"civilians": -1}},
                "occurred": "yesterday",
            },
            draft,
        )
    problems = caught.value.fields()
    assert set(problems) == {
        "severity",
        "location",
        "admiralty",
        "category",
        "casualties.killed.civilians",
        "occurred",
    }
    assert "1 (low) to 5" in problems["severity"]
    assert "not a location" in problems["location"]
    assert "A-F" in problems["admiralty"]
    assert "not an incident category" in problems["category"]
    assert "must be at least 0" in problems["casualties.killed.civilians"]  # in plain words
    assert "date-time group" in problems["occurred"]
    assert str(caught.value).startswith("Invalid incident: ")
    assert caught.value.kind == 4
    # nothing of the refused values was saved; a later good save goes through
    session.incidents.save_draft({"severity": 4, "admiralty": "b2"}, draft)
    fields = session.incidents.get(draft).fields
    assert (fields["severity"], fields["source_reliability"], fields["source_credibility"]) == (
        4,
        "B",
        2,
    )


def test_submitting_needs_a_complete_report(session):
    draft = session.incidents.save_draft({"title": "Unexploded shell near the school"})
    with pytest.raises(InvalidFields) as caught:
        session.incidents.submit(draft)
    assert set(caught.value.fields()) == {"category", "severity", "occurred"}
    session.incidents.save_draft(
        {"category": "IED / mine / UXO", "severity": 4, "occurred": "011030Z DEC 26"}, draft
    )
    future = session.incidents.save_draft(
        {"title": "x", "category": "fire", "severity": 1, "occurred": NOW + timedelta(days=2)}
    )
    with pytest.raises(InvalidFields, match="occurred: is in the future"):
        session.incidents.submit(future)
    half = session.incidents.save_draft(
        {
            "title": "y",
            "category": "fire",
            "severity": 1,
            "occurred": NOW,
            "source_reliability": "B",
        }
    )
    with pytest.raises(InvalidFields) as caught:
        session.incidents.submit(half)
    assert list(caught.value.fields()) == ["source_credibility"]
    step = session.incidents.submit(draft)
    assert (step.source, step.target, step.by) == (S.DRAFT, S.SUBMITTED, "ALPHA-1")


def test_place_needs_a_location_and_attachments_are_stored_encrypted(session):
    from missiondesk.services.attachments import NewAttachment

    with pytest.raises(InvalidFields) as caught:
        session.incidents.save_draft({"title": "t", "place": "Km 8"})
    assert list(caught.value.fields()) == ["place"]
    photo = NewAttachment.of("crater.png", b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    incident = complete(session)
    session.incidents.update(incident, {"narrative": "Crater 2 m wide"}, [photo])
    detail = session.incidents.get(incident)
    assert [a.name for a in detail.attachments] == ["crater.png"]
    assert session.attachments.content(detail.attachments[0].id)[1] == photo.data


# -- workflow, roles and history --------------------------------------------------------------


def test_workflow_without_a_mission_and_its_history(session):
    incident = complete(session)
    for target in (S.SUBMITTED, S.VERIFIED):
        session.incidents.transition(incident, target)
    with pytest.raises(InvalidInput, match="locked"):
        session.incidents.update(incident, {"severity": 5})
    with pytest.raises(InvalidFields) as caught:
        session.incidents.transition(incident, S.DRAFT)
    assert list(caught.value.fields()) == ["reason"]
    session.incidents.transition(incident, S.DRAFT, "Casualty figures to be confirmed")
    session.incidents.update(incident, {"casualties": {"killed": {"civilians": 2}}})
    session.incidents.submit(incident)
    session.incidents.verify(incident)
    session.incidents.close(incident)
    with pytest.raises(InvalidInput, match="cannot become submitted"):
        session.incidents.transition(incident, S.SUBMITTED)
    history = session.incidents.get(incident).history
    assert [(t.source, t.target) for t in history] == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.VERIFIED),
        (S.VERIFIED, S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.VERIFIED),
        (S.VERIFIED, S.CLOSED),
    ]
    assert history[2].reason == "Casualty figures to be confirmed"
    assert {t.by for t in history} == {"ALPHA-1"} and {t.role for t in history} == {None}
    assert [t.at for t in history] == sorted(t.at for t in history)
    assert session.incidents.get(incident).next_steps == (S.VERIFIED,)  # reopen


def test_who_may_verify_and_close_follows_the_role_and_steps_sync(tmp_path):
    hq = create_vault(tmp_path / "hq", PASSPHRASE, name="Chief", callsign="HQ-1", kdf=FAST_KDF)
    hq.mission.create("Sector North", role=Role.COMMANDER)
    made = [hq]
    try:
        roles = {"BRAVO-2": Role.OFFICER, "OPS-JOC": Role.DUTY_OFFICER, "OBS-9": Role.OBSERVER}
        people = {}
        for callsign, role in roles.items():
            s = create_vault(
                tmp_path / callsign, PASSPHRASE, name=callsign, callsign=callsign, kdf=FAST_KDF
            )
            made.append(s)
            enroll(hq, s, role)
            people[callsign] = s
        officer, duty, observer = people["BRAVO-2"], people["OPS-JOC"], people["OBS-9"]
        share(hq, officer)
        incident = complete(officer)
        officer.incidents.submit(incident)
        with pytest.raises(AccessDenied, match="cannot verify"):
            officer.incidents.verify(incident)
        assert officer.incidents.get(incident).status is S.SUBMITTED
        for s in (duty, observer, hq):
            share(officer, s)
        with pytest.raises(AccessDenied, match="cannot log or edit"):
            complete(observer)
        with pytest.raises(AccessDenied):
            observer.incidents.verify(incident)
        duty.incidents.verify(incident)
        with pytest.raises(AccessDenied, match="commander or security officer"):
            duty.incidents.close(incident)
        share(duty, hq)
        hq.incidents.close(incident)
        share(hq, officer)
        detail = officer.incidents.get(incident)
        assert detail.status is S.CLOSED and detail.next_steps == ()
        assert [(t.target, t.by, t.role) for t in detail.history] == [
            (S.SUBMITTED, "BRAVO-2", Role.OFFICER),
            (S.VERIFIED, "OPS-JOC", Role.DUTY_OFFICER),
            (S.CLOSED, "HQ-1", Role.COMMANDER),
        ]
    finally:
        for s in made:
            s.close()


# -- merging edits made apart ------------------------------------------------------------------


def test_edits_on_two_laptops_merge_per_field_and_a_real_conflict_shows_both(session, make_session):
    other = make_session()
    share(session, other)
    incident = complete(session)
    share(session, other)
    session.incidents.update(incident, {"severity": 4, "narrative": "Two bursts from the ridge"})
    other.incidents.update(
        incident, {"severity": 5, "assessment": "Likely to recur", "perpetrators": "Two men"}
    )
    share(session, other)
    share(other, session)
    mine = session.incidents.get(incident).fields
    theirs = other.incidents.get(incident).fields
    assert mine == theirs
    assert mine["narrative"] == "Two bursts from the ridge"
    assert mine["assessment"] == "Likely to recur" and mine["perpetrators"] == "Two men"
    conflicts = [c for c in session.conflicts.list() if c.entity == incident]
    assert [(c.field, {c.current, c.other}) for c in conflicts] == [("severity", {4, 5})]
    assert [c.id for c in other.conflicts.list()] == [c.id for c in conflicts]
    # the projection follows the merged record on both laptops
    rows = [s.incidents.page(IncidentFilter()).rows for s in (session, other)]
    assert rows[0] == rows[1] and rows[0][0].severity == mine["severity"]
    kept = session.conflicts.resolve(conflicts[0].id, "other")
    assert session.records.get(Incident, incident).severity == kept.other
    assert session.incidents.page(IncidentFilter(severities=(kept.other,))).total == 1


def test_status_changes_made_apart_keep_both_steps_in_the_history(session, make_session):
    other = make_session()
    share(session, other)
    incident = complete(session)
    session.incidents.submit(incident)
    share(session, other)
    session.incidents.verify(incident)
    other.incidents.transition(incident, S.DRAFT, "Wrong grid")
    share(session, other)
    share(other, session)
    histories = [[t.target for t in s.incidents.get(incident).history] for s in (session, other)]
    assert histories[0] == histories[1]
    assert sorted(histories[0][1:]) == sorted([S.VERIFIED, S.DRAFT])
    statuses = {s.incidents.get(incident).status for s in (session, other)}
    assert len(statuses) == 1  # the later step wins on both laptops
    assert any(c.field == "status" for c in session.conflicts.list())


# -- the list: filters, sorting, counts ---------------------------------------------------------


@pytest.fixture
def logged(session):
    """Six incidents over three days in two areas."""
    base = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
    specs = [
        (
            "Convoy ambushed",
            "armed_clash",
            5,
            0,
            "38S MB 44845 36965",
            {"killed": {"un_personnel": 1}},
        ),
        (
            "Shelling of the camp",
            "indirect_fire",
            4,
            1,
            "38S MB 41000 33000",
            {"injured": {"civilians": 3}},
        ),
        ("Roadblock on MSR Amber", "movement_restriction", 2, 1, "33.31,44.36", {}),
        ("Market robbery", "crime", 1, 26, "38S MC 10000 20000", {}),
        ("Second ambush", "armed_clash", 4, 27, "38S MB 44000 36000", {"killed": {"civilians": 2}}),
        ("Bridge flooded", "natural_hazard", 3, 50, "9.3010, 32.1902", {"missing": {"others": 1}}),
    ]
    ids = {}
    for title, category, severity, hours, where, casualties in specs:
        ids[title] = session.incidents.create(
            {
                "title": title,
                "category": category,
                "severity": severity,
                "occurred": base + timedelta(hours=hours),
                "location": where,
                "casualties": casualties,
                "narrative": f"{title} reported by the patrol",
            }
        )
    session.incidents.submit(ids["Convoy ambushed"])
    return ids


def titles(page):
    return [r.title for r in page.rows]


def test_filters_narrow_the_list_and_the_counts(session, logged):
    everything = session.incidents.page(IncidentFilter())
    assert everything.total == 6
    assert titles(everything)[0] == "Bridge flooded"  # newest occurrence first
    day1 = IncidentFilter(
        occurred_from=datetime(2026, 11, 20, tzinfo=UTC),
        occurred_to=datetime(2026, 11, 21, tzinfo=UTC),
    )
    assert sorted(titles(session.incidents.page(day1))) == [
        "Convoy ambushed",
        "Roadblock on MSR Amber",
        "Shelling of the camp",
    ]
    clashes = session.incidents.page(IncidentFilter(categories=("armed_clash",)))
    assert titles(clashes) == ["Second ambush", "Convoy ambushed"]
    severe = session.incidents.page(IncidentFilter(severities=(4, 5)))
    assert severe.total == 3 and severe.counts.severity_totals == {4: 2, 5: 1}
    submitted = session.incidents.page(IncidentFilter(statuses=(S.SUBMITTED,)))
    assert titles(submitted) == ["Convoy ambushed"]
    square = session.incidents.page(IncidentFilter(grid="38S MB"))
    assert sorted(titles(square)) == [
        "Convoy ambushed",
        "Roadblock on MSR Amber",
        "Second ambush",
        "Shelling of the camp",
    ]
    ten_km = session.incidents.page(IncidentFilter(grid="38SMB43"))
    assert sorted(titles(ten_km)) == ["Convoy ambushed", "Second ambush", "Shelling of the camp"]
    one_km = session.incidents.page(IncidentFilter(grid="38S MB 44 36"))
    assert sorted(titles(one_km)) == ["Convoy ambushed", "Second ambush"]
    box = session.incidents.page(
        IncidentFilter(area=BoundingBox(south=9.0, west=32.0, north=9.5, east=32.5))
    )
    assert titles(box) == ["Bridge flooded"]
    words = session.incidents.page(IncidentFilter(text="ambush"))
    assert sorted(titles(words)) == ["Convoy ambushed", "Second ambush"]
    both = session.incidents.page(IncidentFilter(text="patrol", severities=(4,), grid="38SMB"))
    assert sorted(titles(both)) == ["Second ambush", "Shelling of the camp"]
    assert session.incidents.page(IncidentFilter(text='" OR (')).total == 0


def test_sorting_paging_and_chart_counts(session, logged):
    by_severity = session.incidents.page(IncidentFilter(sort=SortKey.SEVERITY))
    assert [r.severity for r in by_severity.rows] == [5, 4, 4, 3, 2, 1]
    by_title = session.incidents.page(IncidentFilter(sort=SortKey.TITLE, descending=False))
    assert titles(by_title)[0] == "Bridge flooded"
    first = session.incidents.page(IncidentFilter(), offset=0, limit=4)
    rest = session.incidents.page(IncidentFilter(), offset=4, limit=4)
    assert len(first.rows) == 4 and len(rest.rows) == 2 and first.total == rest.total == 6
    counts = session.incidents.page(IncidentFilter()).counts
    assert [d.isoformat() for d in counts.days] == ["2026-11-20", "2026-11-21", "2026-11-22"]
    assert counts.by_category["armed_clash"] == (1, 1, 0)
    assert counts.by_category["natural_hazard"] == (0, 0, 1)
    assert counts.by_severity[4] == (1, 1, 0)
    assert counts.category_totals == {
        "armed_clash": 2,
        "indirect_fire": 1,
        "movement_restriction": 1,
        "crime": 1,
        "natural_hazard": 1,
    }
    assert sum(counts.severity_totals.values()) == counts.total == 6
    row = next(r for r in first.rows + rest.rows if r.title == "Convoy ambushed")
    assert (row.killed, row.injured, row.mgrs) == (1, 0, "38S MB 44845 36965")
    assert row.grid == grid_key("38S MB 44845 36965") == "38SMB4346894655"


def test_saved_filters_are_kept_in_the_vault(session, vault_dir, logged):
    spec = IncidentFilter(categories=("armed_clash",), severities=(5,), grid="38SMB")
    session.incidents.save_filter("Clashes north", spec)
    session.close()
    again = unlock_vault(vault_dir, PASSPHRASE)
    try:
        assert again.incidents.saved_filters() == {"Clashes north": spec}
        assert titles(again.incidents.page(again.incidents.saved_filter("Clashes north"))) == [
            "Convoy ambushed"
        ]
        again.incidents.delete_filter("Clashes north")
        with pytest.raises(InvalidInput, match="no saved filter"):
            again.incidents.saved_filter("Clashes north")
    finally:
        again.close()


def test_positions_are_the_located_incidents_newest_first(session, logged):
    session.incidents.save_draft({"title": "Draft with no place yet"})
    positions = session.incidents.positions()
    located = [r for r in session.incidents.rows(IncidentFilter()) if r.lat is not None]
    assert [p.id for p in positions] == [r.id for r in located]  # the list's order
    assert len(positions) == len(logged) and "Draft with no place yet" not in {
        r.title for r in located
    }
    first = located[0]
    assert (positions[0].lat, positions[0].lon, positions[0].category) == (
        first.lat, first.lon, first.category,
    )  # fmt: skip
    assert positions[0].severity == first.severity
    assert session.incidents.positions(limit=2) == positions[:2]


def test_deleted_incidents_leave_the_list(session, logged):
    session.records.delete(Incident, logged["Market robbery"])
    assert "Market robbery" not in titles(session.incidents.page(IncidentFilter()))
    assert session.incidents.page(IncidentFilter()).total == 5


# -- the mission's categories ---------------------------------------------------------------------


def test_categories_are_the_missions_and_sync(tmp_path):
    hq = create_vault(tmp_path / "hq", PASSPHRASE, name="Chief", callsign="HQ-1", kdf=FAST_KDF)
    member = create_vault(tmp_path / "b", PASSPHRASE, name="Ben", callsign="BRAVO-2", kdf=FAST_KDF)
    try:
        hq.mission.create("Sector North")
        enroll(hq, member, Role.OFFICER)
        hq.incidents.add_category("cattle_raid", "Cattle raid")
        hq.incidents.retire_category("airspace_violation")
        share(hq, member)
        offered = member.incidents.categories()
        assert list(offered)[-1] == "cattle_raid" and "airspace_violation" not in offered
        raid = complete(member, category="Cattle raid")
        assert member.incidents.get(raid).category_label == "Cattle raid"
        with pytest.raises(InvalidFields, match="retired"):
            complete(member, category="airspace_violation")
        with pytest.raises(AccessDenied, match="mission authority"):
            member.incidents.add_category("goats", "Goats")
        assert member.incidents.taxonomy.label("airspace_violation") == "Airspace violation"
    finally:
        hq.close()
        member.close()


# -- schema migration -----------------------------------------------------------------------------


def test_migration_6_projects_the_incidents_already_there(tmp_path):
    path = tmp_path / "v5"
    old = create_vault(path, PASSPHRASE, name="Anna", callsign="A-1", kdf=FAST_KDF, schema_target=5)
    old.incidents.add(
        title="Roadblock", category="crime", severity=2, location="38S MB 44845 36965"
    )
    assert old.incidents.page(IncidentFilter()).total == 0  # no projection before 6
    old.close()
    again = unlock_vault(path, PASSPHRASE)
    try:
        assert again.vault.schema_version >= 6
        assert len(list((path / "backups").glob("vault-v5-*.db"))) == 1
        page = again.incidents.page(IncidentFilter(grid="38SMB"))
        assert titles(page) == ["Roadblock"] and page.counts.category_totals == {"crime": 1}
    finally:
        again.close()
    shutil.rmtree(path)
