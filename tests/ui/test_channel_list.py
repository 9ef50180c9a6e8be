"""The channel list's rows: a long name stops short of its unread pill.

A row is as wide as the list, or as its name when that is wider (the list then scrolls
sideways), with room for a pill of up to three characters: the widest pill ("999+") is where
the name must give way."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QListView

from missiondesk.domain.cards import ChannelCard
from missiondesk.services.channels import ChannelView
from missiondesk.ui.messages.channel_list import ChannelDelegate, ChannelListModel


def row_image(qtbot, name: str, unread: int) -> tuple[QImage, QListView]:
    view = QListView()
    qtbot.addWidget(view)
    model = ChannelListModel(view)
    view.setModel(model)
    view.setItemDelegate(ChannelDelegate(view))
    model.set_channels([ChannelView("c1", ChannelCard(name), name, unread, 0, ())])
    view.resize(400, 120)
    view.show()
    qtbot.waitExposed(view)
    bar = view.horizontalScrollBar()
    bar.setValue(bar.maximum())  # the row's end, and its pill, on screen
    return view.viewport().grab().toImage(), view


def inked(image: QImage, left: int, right: int, top: int, bottom: int) -> int:
    """Pixels darker than the list's background in the box."""
    background = QColor(image.pixel(QPoint(image.width() - 2, image.height() - 2)))
    return sum(
        1
        for x in range(left, right)
        for y in range(top, bottom)
        if QColor(image.pixel(x, y)).lightness() < background.lightness() - 60
    )


def test_a_long_name_is_cut_short_of_the_unread_pill(qtbot):
    image, view = row_image(qtbot, "W" * 40, 5000)
    rect = view.visualRect(view.model().index(0, 0))
    metrics = view.fontMetrics()
    pill_left = rect.right() - max(metrics.horizontalAdvance("999+") + 12, metrics.height() + 4) - 6
    gap = (pill_left - 9, pill_left - 1)  # between the cut name and the pill: nothing drawn
    assert inked(image, *gap, rect.top(), rect.bottom()) == 0
    assert inked(image, rect.left() + 4, rect.left() + 60, rect.top(), rect.bottom()) > 0


def test_without_unread_the_whole_name_is_drawn(qtbot):
    image, view = row_image(qtbot, "W" * 40, 0)
    rect = view.visualRect(view.model().index(0, 0))
    name_end = rect.left() + view.fontMetrics().horizontalAdvance("# " + "W" * 40)
    assert inked(image, name_end - 12, name_end, rect.top(), rect.bottom()) > 0
