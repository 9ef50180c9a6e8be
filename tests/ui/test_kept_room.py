"""The room the Messages page keeps for the compose box and the reading pane before they are
built fits the real ones, at several font sizes (ui/messages/kept_room.py)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.services.messaging import MessageView
from missiondesk.ui.messages.compose import ComposeBox
from missiondesk.ui.messages.kept_room import compose_height, compose_min_width, reading_min_height
from missiondesk.ui.messages.reading_pane import ReadingPane

POINTS = [8, 10, 11, 14, 20]


def holder_at(qtbot, points: int) -> QWidget:
    holder = QWidget()
    qtbot.addWidget(holder)
    font = QFont(holder.font())
    font.setPointSize(points)
    holder.setFont(font)
    return holder


@pytest.mark.parametrize("points", POINTS)
def test_the_kept_room_fits_the_compose_box(qtbot, points: int):
    holder = holder_at(qtbot, points)
    box = ComposeBox(holder)
    box.resize(1000, box.sizeHint().height())
    assert not box.two_rows
    assert box.sizeHint().height() == compose_height(holder)  # nothing below it moves
    narrowest = box.minimumSizeHint().width()
    assert narrowest <= compose_min_width(holder) <= narrowest + 16  # the window never widens


@pytest.mark.parametrize("points", POINTS)
def test_the_kept_room_fits_the_reading_pane_with_a_flash_shown(qtbot, points: int):
    holder = holder_at(qtbot, points)
    pane = ReadingPane(holder)
    pane.resize(900, 400)
    view = MessageView(
        id="m1", channel_id="c1", channel="general", author="p1", author_name="BRAVO-2",
        hlc=1_790_000_000_000 << 16, precedence=Precedence.FLASH,
        sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL, text="Contact at grid 4",
        awaiting=("p2",),
    )  # fmt: skip
    pane.show_message(view)
    pane.layout().activate()
    smallest = pane.minimumSizeHint().height()
    assert smallest <= reading_min_height(holder) <= smallest + 12  # the table stays put
