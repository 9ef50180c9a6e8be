"""The Sync section on real widgets over real vaults: creating a mission, enrollment by files
between two laptops, revoking, bundles with a dry run first, and conflict review."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.incidents import Incident
from missiondesk.domain.records.messaging import ChannelKind
from missiondesk.domain.records.people import Role
from missiondesk.domain.trust import MemberStatus
from missiondesk.services.session import Session
from missiondesk.ui.sync.members import MembersModel

from .sync_helpers import (
    mission,
    mission_template,
    on_vault,
    open_node,
    open_screen,
    screens,
    share,
)

__all__ = ["mission", "mission_template", "screens"]  # fixtures


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cell(model, row: int, column: int) -> str:
    return model.data(model.index(row, column))


def test_a_mission_is_created_from_the_page(qtbot, screens, open_session: Session, tmp_path):
    screen = open_screen(qtbot, screens, open_session, tmp_path / "settings")
    page = screen.page
    assert page.body.currentWidget() is not page.inside  # not in a mission: create or join
    assert page.outside.isVisible() and page.outside.join_button.isVisible()
    click(qtbot, page.outside.create_button)
    dialog = page.outside.create_dialog
    assert dialog is not None
    click(qtbot, dialog.create_button)  # no name yet: refused inline
    assert dialog.error.text() == "Enter the mission's name."
    qtbot.keyClicks(dialog.name_edit, "Sector North")
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: page.body.currentWidget() is page.inside, timeout=10_000)
    assert "Mission Sector North" in page.subtitle.text()
    assert "Comms officer, mission authority" in page.subtitle.text()
    members = page.members.model
    assert members.rowCount() == 1
    assert cell(members, 0, MembersModel.ROLE) == "Comms officer · authority"
    assert cell(members, 0, MembersModel.DEVICE).endswith("(this laptop)")
    assert page.members.approve_button.isVisible()
    assert page.peers.body.currentWidget() is page.peers.empty_note  # no peer met yet
    assert page.conflicts.count == 0


def test_enrollment_round_trip_through_files_between_two_pages(
    qtbot, screens, mission, open_session: Session, tmp_path
):
    newcomer = open_screen(qtbot, screens, open_session, tmp_path / "settings-a")
    authority = open_screen(qtbot, screens, open_node(mission[0]), tmp_path / "settings-hq")
    request, approval = tmp_path / "stick" / "join.json", tmp_path / "stick" / "approval.json"
    request.parent.mkdir()

    outside = newcomer.page.outside
    newcomer.answers.paths.append(str(request))
    click(qtbot, outside.join_button)
    qtbot.waitUntil(outside.code.isVisible, timeout=10_000)
    assert newcomer.answers.asked[-1] == ("Save the join request", "join-ALPHA-1.json")
    code = outside.code.text().removeprefix("Your code: ")
    assert request.exists() and "the mission authority" in outside.join_result.text()

    members = authority.page.members
    authority.answers.paths.append(str(request))
    click(qtbot, members.approve_button)
    qtbot.waitUntil(lambda: members.approve_dialog is not None, timeout=10_000)
    dialog = members.approve_dialog
    assert dialog.code.text() == f"Code: {code}"  # the same code on both screens
    assert dialog.request.name == "Anna Berg"
    assert not dialog.already.isVisible()  # not a member yet
    dialog.choose_role(Role.DUTY_OFFICER)
    authority.answers.paths.append(str(approval))
    click(qtbot, dialog.approve_button)
    qtbot.waitUntil(
        lambda: "Approved ALPHA-1 as duty officer" in members.result.text(), timeout=10_000
    )
    qtbot.waitUntil(lambda: members.model.rowCount() == 3, timeout=10_000)
    qtbot.waitUntil(lambda: members.approve_dialog is None, timeout=10_000)
    authority.answers.paths.append(str(request))  # the same request opened a second time
    click(qtbot, members.approve_button)
    qtbot.waitUntil(lambda: members.approve_dialog is not None, timeout=10_000)
    again = members.approve_dialog
    assert again.already.isVisible()
    assert again.already.text().startswith(
        "This device is already a member (duty officer, active). A new approval replaces"
    )
    again.reject()
    qtbot.waitUntil(lambda: members.approve_dialog is None, timeout=10_000)
    assert json.loads(approval.read_text())["join_approval"]["mission"]["name"] == "Sector North"

    newcomer.answers.paths.append(str(approval))
    click(qtbot, outside.accept_button)
    page = newcomer.page
    qtbot.waitUntil(lambda: page.body.currentWidget() is page.inside, timeout=10_000)
    assert page.subtitle.text().startswith("Mission Sector North · this laptop: Duty officer")
    callsigns = {
        page.members.model.member_at(r).membership.callsign
        for r in range(page.members.model.rowCount())
    }
    assert callsigns == {"ALPHA-1", "BRAVO-2", "HQ-1"}
    assert not page.members.approve_button.isVisible()  # only the authority approves

    # The authority revokes the newcomer, after confirming.
    assert members.select_member("ALPHA-1")
    authority.answers.confirmations += [False, True]
    click(qtbot, members.revoke_button)  # answered "no": nothing happens
    assert "revoked" not in members.result.text()
    click(qtbot, members.revoke_button)
    qtbot.waitUntil(
        lambda: "ALPHA-1 (Anna Berg) is revoked" in members.result.text(), timeout=10_000
    )

    def status_of(callsign: str) -> MemberStatus:
        rows = (members.model.member_at(r) for r in range(members.model.rowCount()))
        return next(v.status for v in rows if v.membership.callsign == callsign)

    qtbot.waitUntil(lambda: status_of("ALPHA-1") is MemberStatus.REVOKED, timeout=10_000)


def test_a_tampered_approval_is_refused_in_one_sentence(
    qtbot, screens, open_session: Session, tmp_path
):
    screen = open_screen(qtbot, screens, open_session, tmp_path / "settings")
    bad = tmp_path / "approval.json"
    bad.write_text('{"join_approval": {"mission": {}}}')
    screen.answers.paths.append(str(bad))
    outside = screen.page.outside
    click(qtbot, outside.accept_button)
    qtbot.waitUntil(outside.result.isVisible, timeout=10_000)
    assert outside.result.failed
    assert outside.result.text() == "This is not a MissionDesk enrollment approval file."
    assert screen.page.body.currentWidget() is not screen.page.inside


def test_a_mission_package_is_imported_from_the_page_then_the_laptop_joins(
    qtbot, screens, mission, open_session: Session, tmp_path
):
    hq = open_node(mission[0])
    try:
        hq.channels.create("Ops North", ChannelKind.OUTPOST)
        package = hq.packages.export(tmp_path / "north.mission").package
    finally:
        hq.close()
    newcomer = open_screen(qtbot, screens, open_session, tmp_path / "settings-a")
    outside = newcomer.page.outside
    assert "import it before you write the join request" in outside.package_note.text()
    newcomer.answers.paths.append(str(package.path))
    click(qtbot, outside.package_button)
    qtbot.waitUntil(outside.result.isVisible, timeout=10_000)
    assert not outside.result.failed, outside.result.text()
    assert outside.result.text() == (
        "Set up from north.mission: 2 channels. Write the join request now."
    )
    code = package.mission.code
    qtbot.waitUntil(lambda: code in outside.package_note.text(), timeout=10_000)
    assert outside.package_note.text().startswith("Set up for the mission Sector North")
    names = on_vault(qtbot, newcomer, lambda: {c.name for _, c in open_session.channels.all()})
    assert names == {"general", "Ops North"}
    assert newcomer.page.body.currentWidget() is not newcomer.page.inside  # not a member yet

    click(qtbot, outside.create_button)  # a laptop set up for a mission does not create one
    dialog = outside.create_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.name_edit, "Sector South")
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(
        lambda: "set up for the mission Sector North" in dialog.error.text(), timeout=10_000
    )


def test_bundle_export_then_dry_run_then_import(qtbot, screens, mission, tmp_path):
    hq = open_screen(qtbot, screens, open_node(mission[0]), tmp_path / "settings-hq")
    bravo = open_screen(qtbot, screens, open_node(mission[1]), tmp_path / "settings-b")
    on_vault(
        qtbot,
        hq,
        lambda: hq.session.messaging.send("general", "Convoy Kilo departs 0600", Precedence.FLASH),
    )
    bundle = tmp_path / "stick" / "to-bravo.mdbundle"
    bundle.parent.mkdir()

    panel = hq.page.bundles
    click(qtbot, panel.export_button)
    dialog = panel.export_dialog
    assert dialog is not None and dialog.members.count() == 1  # BRAVO-2: everyone but me
    hq.answers.paths.append(str(bundle))
    click(qtbot, dialog.ok_button)  # for everyone in the mission
    qtbot.waitUntil(lambda: "Bundle written to" in panel.result.text(), timeout=10_000)
    assert "for BRAVO-2" in panel.result.text()
    assert hq.answers.asked[-1][1].startswith("bundle-HQ-1-")

    target = bravo.page.bundles
    bravo.answers.paths.append(str(bundle))
    click(qtbot, target.import_button)
    qtbot.waitUntil(lambda: target.preview_dialog is not None, timeout=10_000)
    preview = target.preview_dialog.text.text()
    assert "to-bravo.mdbundle would add" in preview and "from HQ-1" in preview
    assert "1 message" in preview
    texts = lambda: [m.text for m in bravo.session.messaging.list()]  # noqa: E731
    assert "Convoy Kilo departs 0600" not in on_vault(qtbot, bravo, texts)  # a dry run
    click(qtbot, target.preview_dialog.import_button)
    qtbot.waitUntil(lambda: target.result.text().startswith("Imported"), timeout=10_000)
    assert "from HQ-1" in target.result.text()
    assert "Convoy Kilo departs 0600" in on_vault(qtbot, bravo, texts)
    qtbot.waitUntil(lambda: bravo.page.peers.model.rowCount() == 1, timeout=10_000)
    assert bravo.page.peers.model.peer_at(0).label == "HQ-1"  # the bundle counts as a meeting

    bravo.answers.paths.append(str(bundle))  # the same bundle again: refused, nothing changes
    click(qtbot, target.import_button)
    qtbot.waitUntil(lambda: target.result.failed, timeout=10_000)
    assert "already imported" in target.result.text()


def test_conflict_review_keeps_the_other_value_as_an_operation(qtbot, screens, mission, tmp_path):
    hq = open_screen(qtbot, screens, open_node(mission[0]), tmp_path / "settings-hq")
    bravo = open_node(mission[1])
    try:
        incident = on_vault(
            qtbot,
            hq,
            lambda: hq.session.incidents.add(
                title="Bridge at Km 12", category="natural_hazard", severity=2
            ),
        )
        on_vault(qtbot, hq, lambda: share(hq.session, bravo))
        bravo.records.update(Incident, incident, {"title": "Bridge at Km 12 passable"})
        on_vault(
            qtbot,
            hq,
            lambda: hq.session.records.update(
                Incident, incident, {"title": "Bridge at Km 12 collapsed"}
            ),
        )
        on_vault(qtbot, hq, lambda: share(bravo, hq.session))  # the laptops meet again
    finally:
        bravo.close()
    page = hq.page
    qtbot.waitUntil(lambda: page.conflicts.count == 1, timeout=10_000)
    assert page.conflicts.title() == "Conflicts (1)"
    click(qtbot, page.conflicts.review_button)
    dialog = page.review_dialog
    assert dialog is not None
    shown, other = dialog.current_value.toPlainText(), dialog.other_value.toPlainText()
    assert {shown, other} == {"Bridge at Km 12 collapsed", "Bridge at Km 12 passable"}
    assert "Title" in dialog.title.text()
    ops_before = on_vault(qtbot, hq, hq.session.vault.oplog.count)
    click(qtbot, dialog.keep_other)
    qtbot.waitUntil(lambda: page.conflicts.count == 0, timeout=10_000)
    assert "Nothing left to review." in dialog.outcome.text()
    title = on_vault(qtbot, hq, lambda: hq.session.records.get(Incident, incident).title)
    assert title == other
    assert on_vault(qtbot, hq, hq.session.vault.oplog.count) == ops_before + 1

    def newest_of_mine() -> bytes:
        oplog, me = hq.session.vault.oplog, hq.session.device_id
        head = oplog.head(me)
        assert head is not None
        return oplog.read_range(me, head[0], head[0])[0][0]

    op = json.loads(on_vault(qtbot, hq, newest_of_mine))
    assert op["kind"] == "incident.update" and op["author"] == hq.session.device_id
    assert op["body"]["resolves"]["title"]  # a resolution that syncs like any operation


def test_bundle_export_for_chosen_members_needs_one_ticked(qtbot, screens, mission, tmp_path):
    hq = open_screen(qtbot, screens, open_node(mission[0]), tmp_path / "settings-hq")
    panel = hq.page.bundles
    click(qtbot, panel.export_button)
    dialog = panel.export_dialog
    assert dialog is not None
    dialog.some.setChecked(True)
    click(qtbot, dialog.ok_button)
    assert dialog.error.text() == "Tick at least one member, or choose everyone."
    dialog.check("BRAVO-2")
    hq.answers.paths.append("")  # the officer cancels the save dialog: nothing happens
    click(qtbot, dialog.ok_button)
    assert not panel.busy.isVisible() and not panel.result.isVisible()


def test_find_peers_is_off_with_a_reason_when_the_mission_forbids_discovery(
    qtbot, screens, mission, tmp_path
):
    hq = open_screen(qtbot, screens, open_node(mission[0]), tmp_path / "settings-hq")
    peers = hq.page.peers
    assert peers.find_button.isEnabled()
    on_vault(qtbot, hq, lambda: hq.session.mission.set_discovery(False))
    qtbot.waitUntil(lambda: not peers.find_button.isEnabled(), timeout=10_000)
    assert peers.find_note.isVisible()
    assert "switched finding peers on the LAN off" in peers.find_note.text()
    assert "type the peer's address" in peers.find_note.text()
