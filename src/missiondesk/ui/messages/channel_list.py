"""The channel list: mission-wide first, then outposts, roles, ad hoc and direct channels, each
with its unread count (red when FLASH or IMMEDIATE traffic is among the unread)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from missiondesk.domain.markings import Precedence
from missiondesk.domain.record_enums import ChannelKind
from missiondesk.services.channels import KIND_LABELS, ChannelView
from missiondesk.ui.theme import PRECEDENCE_COLOURS, muted

Index = QModelIndex | QPersistentModelIndex
ChannelRole = Qt.ItemDataRole.UserRole + 1
_PREFIX = {ChannelKind.DIRECT: "@ "}
_TEXT_MARGINS = 8  # Fusion's margins either side of an item's text, with room to spare
ROW_MIN_WIDTH = 1  # what a row asks for across: the list gives every row its own width


class ChannelListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ChannelView] = []

    def set_channels(self, rows: list[ChannelView]) -> None:
        """Replace the rows, keeping rows that did not move (so the selection stays put)."""
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def channel_at(self, row: int) -> ChannelView:
        return self._rows[row]

    def row_of(self, channel_id: str) -> int:
        for row, view in enumerate(self._rows):
            if view.id == channel_id:
                return row
        return -1

    @property
    def channels(self) -> list[ChannelView]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        view = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _PREFIX.get(view.kind, "# ") + view.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            unread = f", {view.unread_text} unread" if view.unread else ""
            return f"{KIND_LABELS[view.kind]} channel {view.title}{unread}"
        if role == Qt.ItemDataRole.ToolTipRole:  # the name first: a long one is cut in the row
            about = view.channel.description or KIND_LABELS[view.kind]
            members = ", ".join(view.members) if view.members else "everyone in the mission"
            name = _PREFIX.get(view.kind, "# ") + view.title
            return f"{name}\n{about}\nMembers: {members}\n{view.channel.sensitivity.label}"
        if role == Qt.ItemDataRole.FontRole and view.unread:
            font = QFont()
            font.setBold(True)
            return font
        if role == ChannelRole:
            return view
        return None


class ChannelDelegate(QStyledItemDelegate):
    """Draws the channel's name and, on the right, a pill with its unread count.

    A row is as wide as the list, never wider: a long name is cut (its tooltip gives it whole)
    and the pill stays in sight. A row as wide as its name made the list scroll sideways, with
    the pill off screen at the row's end.

    Qt's own item drawing paints the whole row (the selection band spans it) with the name
    shortened to stop short of the pill; the pill is drawn over it. No QStyle call from Python:
    the first one makes PySide6 build QStyle's class and enums (~13 ms) before the first paint.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name_room: int | None = None  # while a row with a pill paints: the name's width

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        view: ChannelView | None = index.data(ChannelRole)
        if view is None or not view.unread:
            super().paint(painter, option, index)
            return
        text = view.unread_text
        metrics = option.fontMetrics
        pill_w = max(metrics.horizontalAdvance(text) + 12, metrics.height() + 4)
        pill_h = metrics.height() + 2
        rect = QRect(option.rect)
        self._name_room = rect.width() - (pill_w + 10) - _TEXT_MARGINS
        try:
            super().paint(painter, option, index)
        finally:
            self._name_room = None
        pill = QRect(rect.right() - pill_w - 6, rect.center().y() - pill_h // 2 + 1, pill_w, pill_h)
        fill = PRECEDENCE_COLOURS[Precedence.FLASH] if view.unread_urgent else muted()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(pill, pill_h / 2, pill_h / 2)
        painter.setPen(QColor("#ffffff"))
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        if self._name_room is not None:
            option.text = option.fontMetrics.elidedText(
                option.text, Qt.TextElideMode.ElideRight, max(self._name_room, 0)
            )

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """The row's height; its width is the list's (a list view widens rows to fit it), so a
        name's width never asks for more."""
        size = super().sizeHint(option, index)
        return QSize(ROW_MIN_WIDTH, max(size.height(), option.fontMetrics.height() + 12))
