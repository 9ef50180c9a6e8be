"""Making a channel (name, kind, members, sensitivity) and opening a direct channel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.messaging import ChannelKind
from missiondesk.services.channels import KIND_LABELS, ChannelService
from missiondesk.services.people import PeopleService, PersonEntry
from missiondesk.ui.feedback import BusyIndicator, InlineError
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import muted_label

CREATABLE = (ChannelKind.OUTPOST, ChannelKind.ROLE, ChannelKind.AD_HOC, ChannelKind.MISSION)


def _person_item(entry: PersonEntry) -> QListWidgetItem:
    extra = " · ".join(x for x in (entry.person.name, entry.person.outpost) if x)
    item = QListWidgetItem(f"{entry.label}    {extra}" if extra != entry.label else entry.label)
    item.setData(Qt.ItemDataRole.UserRole, entry.id)
    return item


NO_ONE_YET = (
    "No one else is known on this laptop yet: people appear here once their laptops have "
    "synced with it (or are on the roster)."
)


class NewChannelDialog(QDialog):
    created = Signal(str)  # channel id

    def __init__(
        self,
        channels: ChannelService,
        people: PeopleService,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._channels = channels
        self._tasks = tasks
        self.setWindowTitle("New channel")
        self.setMinimumWidth(480)
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(80)
        self.name_edit.setPlaceholderText("e.g. ops-north, medics, convoy-kilo")
        self.kind_box = QComboBox(self)
        for kind in CREATABLE:
            self.kind_box.addItem(KIND_LABELS[kind], kind)
        self.description_edit = QLineEdit(self)
        self.description_edit.setMaxLength(500)
        self.sensitivity_box = QComboBox(self)
        for level in Sensitivity:
            self.sensitivity_box.addItem(level.label.title(), level)
        self.everyone = QCheckBox("Everyone in the mission", self)
        self.everyone.setChecked(True)
        self.members = QListWidget(self)
        self.members.setAccessibleName("Members")
        self.members.setEnabled(False)
        self.everyone.toggled.connect(lambda on: self.members.setEnabled(not on))
        note = muted_label(
            "Members are who the channel addresses and who is asked to acknowledge FLASH and "
            "IMMEDIATE messages. Every laptop of the mission still holds the channel, encrypted.",
            self,
        )
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Kind:", self.kind_box)
        form.addRow("&Description:", self.description_edit)
        form.addRow("&Sensitivity:", self.sensitivity_box)
        form.addRow("Members:", self.everyone)
        form.addRow("", self.members)
        self.error = InlineError(self)
        self.busy = BusyIndicator(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button: QPushButton = buttons.addButton(
            "Create channel", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setDefault(True)
        buttons.accepted.connect(self._on_create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(buttons)
        self.name_edit.setFocus()
        tasks.run("list people", people.others, self._on_people)

    @Slot(object)
    def _on_people(self, entries: list[PersonEntry]) -> None:
        for entry in entries:
            item = _person_item(entry)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.members.addItem(item)
        if not entries:  # said before Create is pressed, not after
            empty = QListWidgetItem(NO_ONE_YET)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.members.addItem(empty)

    def chosen_members(self) -> tuple[str, ...]:
        if self.everyone.isChecked():
            return ()
        return tuple(
            str(self.members.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.members.count())
            if self.members.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable
            and self.members.item(i).checkState() == Qt.CheckState.Checked
        )

    @Slot()
    def _on_create(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.error.show_message("Give the channel a name.")
            self.name_edit.setFocus()
            return
        members = self.chosen_members()
        if not self.everyone.isChecked() and not members:
            self.error.show_message("Choose at least one member, or everyone in the mission.")
            return
        kind = ChannelKind(self.kind_box.currentData())
        description = self.description_edit.text().strip()
        sensitivity = Sensitivity(self.sensitivity_box.currentData())
        self.create_button.setEnabled(False)
        self.busy.start("Creating the channel…")
        self._tasks.run(
            "create channel",
            lambda: self._channels.create(name, kind, description, sensitivity, members),
            self._on_created,
            self._on_failed,
        )

    @Slot(object)
    def _on_created(self, channel_id: str) -> None:
        self.busy.stop()
        self.created.emit(channel_id)
        self.accept()

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self.busy.stop()
        self.create_button.setEnabled(True)
        self.error.show_message(failure.message)
        self.name_edit.setFocus()


class DirectMessageDialog(QDialog):
    """Pick a person; their direct channel with this officer opens (made if needed)."""

    opened = Signal(str)  # channel id

    def __init__(
        self,
        channels: ChannelService,
        people: PeopleService,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._channels = channels
        self._tasks = tasks
        self.setWindowTitle("Direct message")
        self.setMinimumWidth(420)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Type a callsign or name")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.people = QListWidget(self)
        self.people.setAccessibleName("People")
        self.people.itemActivated.connect(lambda _item: self._on_open())
        self.empty = QLabel(
            "Nobody else is known on this laptop yet: people appear after the first sync.",
            self,
        )
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.error = InlineError(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.open_button: QPushButton = buttons.addButton(
            "Open", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setDefault(True)
        buttons.accepted.connect(self._on_open)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.people, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.filter_edit.setFocus()
        tasks.run("list people", people.others, self._on_people)

    @Slot(object)
    def _on_people(self, entries: list[PersonEntry]) -> None:
        for entry in entries:
            self.people.addItem(_person_item(entry))
        self.empty.setVisible(self.people.count() == 0)
        if self.people.count():
            self.people.setCurrentRow(0)

    @Slot(str)
    def _on_filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        first = -1
        for row in range(self.people.count()):
            item = self.people.item(row)
            hidden = bool(wanted) and wanted not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first < 0:
                first = row
        if first >= 0:
            self.people.setCurrentRow(first)

    @Slot()
    def _on_open(self) -> None:
        item = self.people.currentItem()
        if item is None or item.isHidden():
            self.error.show_message("Choose a person first.")
            return
        person_id = str(item.data(Qt.ItemDataRole.UserRole))
        self.open_button.setEnabled(False)
        self._tasks.run(
            "open direct channel",
            lambda: self._channels.direct(person_id),
            self._on_opened,
            self._on_failed,
        )

    @Slot(object)
    def _on_opened(self, channel_id: str) -> None:
        self.opened.emit(channel_id)
        self.accept()

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self.open_button.setEnabled(True)
        self.error.show_message(failure.message)
