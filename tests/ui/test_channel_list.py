"""The channel list's rows: as wide as the list, a long name cut short of its unread pill.

A row never grows past the list with its name (the list would scroll sideways, its pill off
screen), and leaves room for a pill of up to three characters: the widest pill ("999+") is
where the name must give way."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
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


def test_without_unread_a_name_that_fits_is_drawn_whole(qtbot):
    image, view = row_image(qtbot, "W" * 20, 0)
    rect = view.visualRect(view.model().index(0, 0))
    name_end = rect.left() + view.fontMetrics().horizontalAdvance("# " + "W" * 20)
    assert name_end < image.width() - 40
    assert inked(image, name_end - 12, name_end, rect.top(), rect.bottom()) > 0


def test_a_row_is_as_wide_as_the_list_and_its_pill_in_sight(qtbot):
    image, view = row_image(qtbot, "Northern sector logistics and convoy coordination " * 3, 7)
    rect = view.visualRect(view.model().index(0, 0))
    assert view.horizontalScrollBar().maximum() == 0  # nothing to scroll to sideways
    assert rect.left() >= 0
    assert rect.right() < image.width()  # the row ends inside the list...
    assert rect.width() >= image.width() - 4  # ...and spans it
    metrics = view.fontMetrics()
    pill_w = max(metrics.horizontalAdvance("7") + 12, metrics.height() + 4)
    pill_h = metrics.height() + 2
    left, right = rect.right() - pill_w - 6, rect.right() - 6
    top = rect.center().y() - pill_h // 2 + 3  # a line inside the pill, above its white digit
    # the pill's fill across the whole line, where the officer can see it
    assert inked(image, left + pill_h // 2, right - pill_h // 2, top, top + 1) == (
        pill_w - 2 * (pill_h // 2)
    )


def test_a_long_name_without_unread_is_cut_and_given_whole_in_the_tooltip(qtbot):
    name = "Northern sector logistics and convoy coordination " * 3
    image, view = row_image(qtbot, name, 0)
    assert view.horizontalScrollBar().maximum() == 0
    index = view.model().index(0, 0)
    assert view.visualRect(index).right() < image.width()
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0] == "# " + name
