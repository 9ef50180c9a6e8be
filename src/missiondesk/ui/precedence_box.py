"""The precedence picker: FLASH, IMMEDIATE, PRIORITY, ROUTINE, each in its colour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from missiondesk.domain.markings import Precedence
from missiondesk.ui.theme import PRECEDENCE_COLOURS


class PrecedenceBox(QComboBox):
    """`precedence` is the one chosen, `select()` chooses one (type-ahead works: F, I, P, R)."""

    def __init__(
        self, parent: QWidget | None = None, selected: Precedence = Precedence.ROUTINE
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Precedence")
        for precedence in Precedence:
            self.addItem(precedence.value.upper(), precedence)
            colour = PRECEDENCE_COLOURS.get(precedence)
            if colour is not None:
                self.setItemData(self.count() - 1, colour, Qt.ItemDataRole.ForegroundRole)
        self.select(selected)

    @property
    def precedence(self) -> Precedence:
        # Qt hands item data back as a plain str: the enum is rebuilt from it
        return Precedence(self.currentData() or Precedence.ROUTINE)

    def select(self, precedence: Precedence) -> None:
        self.setCurrentIndex(list(Precedence).index(precedence))
