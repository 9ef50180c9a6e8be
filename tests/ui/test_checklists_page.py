"""The Checklists section on real widgets over a real vault whose clock the test drives: an
officer starts a checklist from the keyboard and works it with evidence (a refusal said under
the inputs), the compliance view counts it, and an item turns Late when the clock passes its
due time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from missiondesk.domain.dtg import format_dtg
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.checklists.page import ChecklistsPage
from missiondesk.ui.tasks import TaskRunner
from tests.driven_clock import DrivenWall

from .conftest import FAST_KDF, PASSPHRASE, on_vault, show_and_activate

T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


@pytest.fixture
def wall() -> DrivenWall:
    return DrivenWall(T0)


@pytest.fixture
def desk(tmp_path: Path, wall: DrivenWall) -> Iterator[Session]:
    s = create_vault(tmp_path / "v", PASSPHRASE, name="Anna Berg", callsign="ALPHA-1",
                     kdf=FAST_KDF, wall=wall)  # fmt: skip
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def page(qtbot, desk: Session, tmp_path: Path) -> Iterator[ChecklistsPage]:
    photo = tmp_path / "kit.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"k" * 200)
    tasks = TaskRunner()
    relay = ChangeRelay(desk.changes)
    widget = ChecklistsPage(desk, tasks, relay, choose_photo=lambda _parent: str(photo))
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    show_and_activate(qtbot, widget)
    qtbot.waitUntil(lambda: widget.view is not None, timeout=10_000)
    widget.tasks_for_test = tasks  # type: ignore[attr-defined]
    yield widget
    widget.clear()
    relay.stop()
    assert tasks.wait_for_done(10_000)
    tasks.shutdown()


def start_from_keyboard(qtbot, page: ChecklistsPage, template: str, due: datetime) -> None:
    qtbot.mouseClick(page.library_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.template_box.count() == 6, timeout=10_000)
    page.template_box.setCurrentIndex(page.template_box.findData(template))
    qtbot.keyClicks(page.assignee_edit, "Medic team")
    qtbot.keyClicks(page.outpost_edit, "OP South")
    qtbot.keyClicks(page.due_edit, format_dtg(due))
    qtbot.keyClick(page.due_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.panel.detail is not None, timeout=10_000)


def choose_item(page: ChecklistsPage, key: str) -> None:
    assert page.panel.detail is not None
    keys = [i.key for i in page.panel.detail.items]
    page.panel.items.setCurrentCell(keys.index(key), 0)
    page.panel.items.setFocus()


def test_an_officer_works_a_checklist_with_evidence(qtbot, page, desk):
    assert page.summary.text().startswith("No checklists yet")
    start_from_keyboard(qtbot, page, "medical-kit", T0 + timedelta(days=1))
    panel = page.panel
    assert panel.detail.checklist.title == "Medical kit check"
    assert page.line_statuses() == {"Medical kit check": "Pending"}
    # a number out of its bounds is refused under the inputs, naming the field
    choose_item(page, "tourniquets")
    assert "a number in pcs from 0 to 100" in panel.expects.text()
    qtbot.keyClicks(panel.value_edit, "500")
    qtbot.keyClick(panel.value_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.error.text() != "", timeout=10_000)
    assert "value: at most 100 pcs" in panel.error.text()
    panel.value_edit.clear()
    qtbot.keyClicks(panel.value_edit, "4")
    panel.value_edit.setFocus()
    qtbot.keyClick(panel.value_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.detail.item("tourniquets").status.value == "complete",
                    timeout=10_000)  # fmt: skip
    # a photo item needs its photo; a sign-off item the name
    choose_item(page, "kit-photo")
    qtbot.mouseClick(panel.tick_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "photo: this item asks for a photo" in panel.error.text(),
                    timeout=10_000)  # fmt: skip
    qtbot.mouseClick(panel.photo_button, Qt.MouseButton.LeftButton)
    assert panel.photo_label.text() == "kit.jpg"
    qtbot.mouseClick(panel.tick_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.detail.item("kit-photo").photo is not None, timeout=10_000)
    choose_item(page, "medic")
    qtbot.keyClicks(panel.sign_off_edit, "Dr. Aziz")
    qtbot.mouseClick(panel.tick_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.detail.item("medic").sign_off == "Dr. Aziz", timeout=10_000)
    medic = panel.detail.item("medic")
    assert (medic.completed_by, medic.status.label) == ("ALPHA-1", "Complete")
    assert "3 of 9 done" in panel.heading.text()
    # what was written is in the vault, the photo among the attachments
    detail = on_vault(page.tasks_for_test, lambda: desk.checklists.detail(panel.detail.id))
    assert detail.done == 3 and detail.item("kit-photo").photo.name == "kit.jpg"
    # the compliance view counts it
    page.tabs.setCurrentIndex(1)
    assert page.compliance.rowCount() == 1
    cells = [page.compliance.item(0, c).text() for c in range(6)]
    assert cells == ["OP South", "Medical kit check", "0", "0", "0", "1"]


def test_a_late_item_turns_late_when_the_clock_passes_its_due_time(qtbot, page, wall):
    start_from_keyboard(qtbot, page, "hibernation-readiness", T0 + timedelta(hours=12))
    panel = page.panel
    assert set(panel.status_texts()) == {"Pending"}
    wall.ms += 59 * 60 * 1000  # a minute before the headcount is due
    page.clock.timeout.emit()
    qtbot.waitUntil(lambda: panel.detail.now == T0 + timedelta(minutes=59), timeout=10_000)
    assert panel.detail.item("headcount").status.label == "Pending"
    wall.ms += 60 * 1000  # the headcount's due time: an hour after the start
    page.clock.timeout.emit()
    qtbot.waitUntil(lambda: panel.detail.item("headcount").status.label == "Late",
                    timeout=10_000)  # fmt: skip
    assert page.line_statuses() == {"Hibernation readiness": "Late"}
    assert panel.detail.item("water").status.label == "Pending"
    # done late, it is Complete (late); the checklist is Pending again (nothing else is due)
    choose_item(page, "headcount")
    wall.ms += 5 * 60 * 1000  # done five minutes after it was due
    qtbot.keyClicks(panel.value_edit, "14")
    qtbot.keyClick(panel.value_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.detail.item("headcount").status.label == "Complete (late)",
                    timeout=10_000)  # fmt: skip
    assert page.line_statuses() == {"Hibernation readiness": "Pending"}


def test_starting_without_assignee_and_due_says_both_at_once(qtbot, page):
    qtbot.mouseClick(page.library_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.template_box.count() == 6, timeout=10_000)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.start_error.text() == "Give who it is assigned to and when it is due."
    qtbot.keyClicks(page.assignee_edit, "Medic team")
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.start_error.text() == "Give when it is due."
    assert page.panel.detail is None  # nothing was started


def test_installing_the_library_says_what_it_added_and_then_that_it_is_there(qtbot, page):
    assert not page.library_note.isVisible()
    qtbot.mouseClick(page.library_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.template_box.count() == 6, timeout=10_000)
    assert page.library_note.text().startswith("Installed 6 templates: ")
    assert not page.library_note.isHidden()
    qtbot.mouseClick(page.library_button, Qt.MouseButton.LeftButton)  # again: nothing new
    qtbot.waitUntil(
        lambda: page.library_note.text() == "The default templates are already installed.",
        timeout=10_000,
    )
    assert page.template_box.count() == 6
