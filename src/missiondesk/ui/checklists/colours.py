"""The colours of checklist statuses (TAK ExCheck), for rows and item states."""

from __future__ import annotations

from PySide6.QtGui import QColor

from missiondesk.domain.records.checklists import ItemStatus

_LIGHT = {
    ItemStatus.PENDING: QColor("#e8eaed"),
    ItemStatus.COMPLETE: QColor("#d7f0db"),
    ItemStatus.COMPLETE_LATE: QColor("#fff1c2"),
    ItemStatus.LATE: QColor("#fbd9d6"),
}


def status_colour(status: ItemStatus) -> QColor:
    """The background of a row or cell that shows `status`."""
    return _LIGHT[status]
