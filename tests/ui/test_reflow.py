"""A reflowing row lays its parts side by side when the width holds them and stacks them when
it does not, and asks only for its widest part; the main window, every section built, fits a
screen of 1280 points at 150 % (853 points wide) with the compose box's rows stacked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from missiondesk.services.session import Session
from missiondesk.services.settings_file import SettingsStore
from missiondesk.ui.main_window import SECTIONS, MainWindow
from missiondesk.ui.reflow import Reflowing
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.window_options import WindowOptions

from .conftest import show_and_activate


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
