"""A reflowing row lays its parts side by side when the width holds them and stacks them when
it does not, and asks only for its widest part; a flow layout wraps its items as text does;
the main window, every section built, fits a screen of 1280 points at 150 % (853 points wide)
with the compose box's rows stacked, and a message with many long-named files does not widen
it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from missiondesk.services.attachments import short_name
from missiondesk.services.session import Session
from missiondesk.services.settings_file import SettingsStore
from missiondesk.ui.flow_layout import FlowLayout
from missiondesk.ui.main_window import SECTIONS, MainWindow
from missiondesk.ui.messages.message_model import MessageListModel
from missiondesk.ui.reflow import Reflowing
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.window_options import WindowOptions

from .conftest import on_vault, show_and_activate


def test_parts_side_by_side_when_they_fit_and_stacked_when_not(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    row = Reflowing(holder, spacing=10)
    first, second = QPushButton("First part"), QPushButton("Second part")
    for button in (first, second):
        button.setMinimumWidth(200)
        row.add_widget(button)
    QVBoxLayout(holder).addWidget(row)
    assert row.minimumSizeHint().width() == 200  # the widest part, not the sum
    assert row.side_by_side_width() == 410

    holder.resize(600, 200)
    show_and_activate(qtbot, holder)
    qtbot.waitUntil(lambda: row.width() >= 410, timeout=5000)
    assert not row.stacked
    assert first.y() == second.y() and second.x() > first.x()

    holder.resize(300, 200)
    qtbot.waitUntil(lambda: row.stacked, timeout=5000)
    qtbot.waitUntil(lambda: second.y() > first.y(), timeout=5000)
    assert first.x() == second.x()
    assert row.height() >= first.height() + second.height()

    holder.resize(600, 200)
    qtbot.waitUntil(lambda: not row.stacked, timeout=5000)


def test_the_window_with_every_section_fits_a_small_high_dpi_screen(
    qtbot, open_session: Session, tasks: TaskRunner, tmp_path: Path
):
    options = WindowOptions(settings_store=SettingsStore(tmp_path / "settings"))
    window = MainWindow(open_session, tasks, options)
    qtbot.addWidget(window)
    show_and_activate(qtbot, window)
    for title in SECTIONS:
        window.show_section(title)
        qtbot.waitUntil(lambda t=title: window.current_section() == t, timeout=5000)
    window.show_section("Messages")
    assert window.minimumSizeHint().width() <= 853
    compose = window.messages_page.compose
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280, timeout=5000)
    qtbot.waitUntil(lambda: not compose.two_rows, timeout=5000)  # 1280 wide: one row
    window.resize(853, 700)
    qtbot.waitUntil(lambda: window.width() == 853, timeout=5000)
    qtbot.waitUntil(lambda: compose.two_rows, timeout=5000)
    assert compose.send_button.isVisible()
    send = compose.send_button.mapTo(window, compose.send_button.rect().bottomRight())
    assert send.x() <= window.width()  # nothing past the window's edge
    # the unlock's message is read whole beside a status panel as a laptop back from a sync
    # has it (not serving)
    panel, bar = window.status_panel, window.statusBar()
    panel.peers.setText("Last peer: BRAVO-2, just now")
    panel.waiting.setText("321 changes waiting to go out")
    panel.waiting.setVisible(True)
    qtbot.waitUntil(lambda: panel.width() >= panel.sizeHint().width(), timeout=5000)
    message = bar.currentMessage()
    assert message.startswith("Unlocked")
    room = bar.width() - panel.width() - 40  # the grip and the margins
    assert bar.fontMetrics().horizontalAdvance(message) <= room, (message, room)


def test_a_long_file_name_keeps_its_start_and_extension():
    assert short_name("patrol.png") == "patrol.png"
    name = "INCREP-2026-12-01-ambush-near-km-42-on-the-main-supply-route-north-final-v3.pdf"
    short = short_name(name)
    assert len(short) == 40 and short.startswith("INCREP-2026") and short.endswith("v3.pdf")
    assert "…" in short


def test_a_flow_layout_wraps_its_items_and_asks_for_the_widest(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    flow = FlowLayout(holder, spacing=6)
    assert flow.minimumSize() == QSize(0, 0) and flow.heightForWidth(400) == 0  # empty
    buttons = [QPushButton(f"file {i}", holder) for i in range(5)]
    for button in buttons:
        button.setFixedSize(150, 30)
        flow.addWidget(button)
    assert flow.minimumSize().width() == 150
    assert flow.heightForWidth(400) == 3 * 30 + 2 * 6  # two a line
    assert flow.heightForWidth(1000) == 30  # all on one line
    holder.resize(400, 200)
    show_and_activate(qtbot, holder)
    qtbot.waitUntil(lambda: buttons[2].y() > buttons[0].y(), timeout=5000)
    assert buttons[1].y() == buttons[0].y() and buttons[2].x() == buttons[0].x()
    assert buttons[4].y() > buttons[2].y()


def test_many_long_named_files_do_not_widen_the_window(
    qtbot, open_session: Session, tasks: TaskRunner, tmp_path: Path
):
    from missiondesk.services.attachments import NewAttachment

    files = [
        NewAttachment.of(
            f"sector-north-checkpoint-{i}-photograph-taken-at-dawn-by-patrol.txt", b"x"
        )
        for i in range(6)
    ]
    on_vault(tasks, lambda: open_session.messaging.send("general", "Photos", attachments=files))
    options = WindowOptions(settings_store=SettingsStore(tmp_path / "settings"))
    window = MainWindow(open_session, tasks, options)
    qtbot.addWidget(window)
    show_and_activate(qtbot, window)
    page = window.messages_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    page.table.setCurrentIndex(page.model.index(0, MessageListModel.TEXT))
    buttons = page.reading.attachment_buttons
    qtbot.waitUntil(lambda: len(buttons) == 6 and buttons[0].isVisible(), timeout=5000)
    assert window.minimumSizeHint().width() <= 853
    window.resize(853, 700)
    qtbot.waitUntil(lambda: window.width() == 853, timeout=5000)
    qtbot.waitUntil(lambda: buttons[-1].y() > buttons[0].y(), timeout=5000)  # wrapped
    assert all(b.text().startswith("sector-north-checkpoi") for b in buttons)
    assert buttons[0].toolTip().startswith(files[0].name)
