"""Personnel protection across laptops through real sync (`sync serve` processes and `sync now`
over TCP/TLS): a headcount started by the duty officer is completed from two other laptops, one
of them also marking a colleague as warden, and every laptop shows the same roll-up; a missed
check-in escalated on two laptops apart leaves one alert per step everywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from missiondesk.domain.records.headcount import PersonStatus
from missiondesk.domain.records.people import Role
from tests.driven_clock import DrivenWall

from .nodes import make_mission, open_node, pair


def status_everywhere(paths, headcount_id):
    """The headcount's view on each laptop, and how many mark records each holds."""
    views, marks = [], []
    for path in paths:
        session = open_node(path)
        try:
            views.append(session.headcount.status(headcount_id))
            marks.append(session.vault.reads.count("headcount_mark"))
        finally:
            session.close()
    return views, marks


def test_a_headcount_from_the_duty_officer_is_completed_from_two_other_laptops(tmp_path):
    hq, duty, charlie = make_mission(tmp_path, 3, roles={1: Role.DUTY_OFFICER})
    for path in (duty, charlie, duty):  # everyone learns everyone (people, devices)
        assert pair(path, hq)["returncode"] == 0
    session = open_node(duty)
    try:
        headcount = session.headcount.start("Shelling near Camp Alpha")
        session.headcount.mark(headcount, "BRAVO-2", "safe")
    finally:
        session.close()
    for path in (duty, charlie):
        pair(path, hq)
    session = open_node(hq)
    try:
        session.headcount.mark(headcount, "HQ-1", "safe")
    finally:
        session.close()
    session = open_node(charlie)  # apart from HQ: needs help, and vouches for HQ-1 as warden
    try:
        session.headcount.mark(headcount, "CHARLIE-3", "needs_help", note="shrapnel, leg")
        session.headcount.mark(headcount, "HQ-1", "safe")
    finally:
        session.close()
    for path in (charlie, duty, charlie):
        assert pair(path, hq)["returncode"] == 0

    views, marks = status_everywhere((hq, duty, charlie), headcount)
    rollups = [v.mission for v in views]
    assert rollups[0] == rollups[1] == rollups[2]
    mission = rollups[0]
    assert (mission.safe, mission.needs_help, mission.unaccounted) == (2, 1, 0)
    assert mission.accounted_at is not None  # the time the last person was accounted for
    statuses = {line.label: line.status for line in views[0].people}
    assert statuses == {
        "HQ-1": PersonStatus.SAFE,
        "BRAVO-2": PersonStatus.SAFE,
        "CHARLIE-3": PersonStatus.NEEDS_HELP,
    }
    assert marks == [3, 3, 3]  # HQ-1 marked on two laptops: one record


def test_a_missed_check_in_escalated_on_two_laptops_apart_is_one_alert_per_step(tmp_path):
    start = (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    wall = DrivenWall(start)
    hq, bravo = make_mission(tmp_path, 2, wall=wall)
    pair(bravo, hq)
    session = open_node(hq)
    try:
        session.movements.plan(
            "Resupply OP North", ["BRAVO-2"], ["Camp Alpha", "OP North"],
            depart=start, eta=start + timedelta(hours=4), interval=60,
        )  # fmt: skip
    finally:
        session.close()
    pair(bravo, hq)
    # Both laptops are cut off and both see the check-in missed (each from its own clock).
    for path in (hq, bravo):
        session = open_node(path)
        try:
            for minutes in (60, 90, 120):
                session.watch.tick(start + timedelta(minutes=minutes))
        finally:
            session.close()
    assert pair(bravo, hq)["returncode"] == 0
    for path in (hq, bravo):
        session = open_node(path)
        try:
            steps = sorted(a.alert.step.value for a in session.alerts.list())
            conflicts = session.conflicts.list()
        finally:
            session.close()
        assert steps == ["alarm", "flash", "warning"]
        assert conflicts == []
