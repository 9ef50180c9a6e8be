"""The main window: header, FLASH banner, sections, menus, status bar. It routes; pages work.

Lock closes the session and throws away every widget that shows data; the window is then
spent, and the application shows the unlock dialog (and a fresh window after it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from missiondesk import __version__
from missiondesk.domain.ids import fingerprint
from missiondesk.services.session import Session
from missiondesk.services.settings_file import Theme
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.first_paint import AfterFirstPaint
from missiondesk.ui.icons import icon
from missiondesk.ui.messages.page import FirstScreen, MessagesPage
from missiondesk.ui.shell.flash_banner import FlashBanner
from missiondesk.ui.shell.status_panel import StatusPanel
from missiondesk.ui.sync.controller import SyncController
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.theme import THEME_LABELS
from missiondesk.ui.window_options import WindowOptions

if TYPE_CHECKING:  # built when first opened (a section's page: when first shown)
    from missiondesk.services.settings import Settings
    from missiondesk.ui.checklists.page import ChecklistsPage
    from missiondesk.ui.incidents.page import IncidentsPage
    from missiondesk.ui.map.page import MapPage
    from missiondesk.ui.protection.page import PersonnelPage
    from missiondesk.ui.search_dialog import SearchDialog
    from missiondesk.ui.sync.page import SyncPage

SECTIONS: tuple[str, ...] = ("Messages", "Incidents", "Checklists", "Personnel", "Map", "Sync")
LAZY_SECTIONS = ("Incidents", "Checklists", "Personnel", "Map", "Sync")  # built when first shown
PANIC_ALARM_KEYS = "Ctrl+Shift+P"
PANIC_KEYS = ("Ctrl+Shift+L", "Pause")
FIRST_SCREEN_LATEST_MS = 1000  # what waits for the first paint starts by then at the latest
PAGE_SHORTCUTS = (  # the sections' own keys, listed with the window's in Help > Keyboard shortcuts
    ("Send the message being written", "Ctrl+Enter"),
    ("Incidents: log a new incident", "Ctrl+I"),
    ("Incident window: save the draft / submit", "Ctrl+S / Ctrl+Enter"),
    ("Personnel: plan a movement / check in", "Ctrl+N / Ctrl+K"),
    ("Map: the place box", "Ctrl+G"),
)


class MainWindow(QMainWindow):
    """Shows one unlocked session. Emits `locked` after Lock (`panic` first for a panic lock),
    `closed` after the window closed, `settings_changed` when the officer saved settings,
    `first_screen_shown` once the whole window has painted, its second step too (each step
    waits FIRST_SCREEN_LATEST_MS at most for its paint)."""

    locked = Signal()
    panic = Signal()
    closed = Signal()
    settings_changed = Signal(object)
    first_screen_shown = Signal()

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        options: WindowOptions | None = None,
        parent: QWidget | None = None,
        *,
        first_screen: FirstScreen | None = None,
    ) -> None:
        """`first_screen`: the Messages section's first screen, read by the unlock."""
        super().__init__(parent)
        self._session: Session | None = session
        self._tasks = tasks
        self._options = options or WindowOptions()
        self._relay = ChangeRelay(session.changes, self)
        me = session.people.me()
        name = me.name if me else "Unknown officer"
        callsign = me.callsign if me else ""
        self.setWindowTitle(f"MissionDesk: {name}" + (f" ({callsign})" if callsign else ""))
        self.setWindowIcon(icon("missiondesk"))
        self._fit_to_screen(1280, 800)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)

        self.sync_controller = SyncController(session, tasks, self._options, self)
        self._build_actions()
        self._build_header(name, callsign, fingerprint(session.device_id))

        # -- sections ----------------------------------------------------------------------
        self.nav = QListWidget(self)
        self.nav.setAccessibleName("Sections")
        self.nav.setFixedWidth(self.fontMetrics().horizontalAdvance("Messages  (999+)") + 48)
        self.nav.setStyleSheet(
            "QListWidget { outline: 0; } QListWidget::item { padding: 7px 10px; }"
        )
        self.stack = QStackedWidget(self)
        self.messages_page = MessagesPage(
            session.messaging,
            session.channels,
            session.people,
            session.attachments,
            tasks,
            self._relay,
            choose_files=self._options.choose_files,
            choose_save_path=self._options.choose_save_path,
            first=first_screen,
            parent=self.stack,
        )
        self.messages_page.unread_changed.connect(self._on_unread_changed)
        # Sections built (and read) the first time they are shown; a placeholder until then.
        self._built: dict[str, QWidget] = {}
        self._clear_built: list[Callable[[], None]] = []  # each built page's clear()
        self._placeholders = {title: QWidget(self.stack) for title in LAZY_SECTIONS}
        pages: dict[str, QWidget] = {"Messages": self.messages_page, **self._placeholders}
        for title in SECTIONS:
            self.stack.addWidget(pages[title])
            self.nav.addItem(QListWidgetItem(title))
        self.nav.currentRowChanged.connect(self._on_section_chosen)

        # The banner's and the status bar's first reads, serving left on, and what the app
        # hangs on `first_screen_shown` wait for the window's first paint (the whole window,
        # first screen and all, is painted in one pass): they want the vault's thread (and
        # Python's lock) as the first screen does, and that screen is what the officer is
        # looking at. At the latest they start after FIRST_SCREEN_LATEST_MS. The window itself
        # is watched: asking a scroll area for its viewport would make PySide6 create the
        # Python classes of every widget class (~24 ms; docs/architecture.md).
        self.banner = FlashBanner(session.messaging, tasks, self._relay, self, start=False)
        AfterFirstPaint(self, self._on_first_screen, latest_ms=FIRST_SCREEN_LATEST_MS)
        self.banner.open_requested.connect(self.open_message)
        body = QWidget(self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addLayout(row, 1)
        self.setCentralWidget(body)

        # -- status bar --------------------------------------------------------------------
        self.status_panel = StatusPanel(
            lambda: session.sync.summary(session.people.display_name),
            tasks,
            self._relay,
            self.lock_action,
            self,
            start=False,
        )
        self.sync_controller.state_changed.connect(self.status_panel.set_sync_state)
        self.statusBar().addPermanentWidget(self.status_panel)
        self.statusBar().showMessage("Unlocked. Lock with Ctrl+L.", 15000)
        self.search_dialog: SearchDialog | None = None
        self.nav.setCurrentRow(0)
        self.nav.setFocus()

    # -- building ------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        keys: str | tuple[str, ...] = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        shortcuts = (keys,) if isinstance(keys, str) else keys
        if shortcuts:
            action.setShortcuts([QKeySequence(k) for k in shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.lock_action = self._action(
            "&Lock", self.lock, "Ctrl+L", "Lock (Ctrl+L): close the vault and hide everything"
        )
        self.panic_action = self._action(
            "&Panic lock",
            self.panic_lock,
            PANIC_KEYS,
            "Panic lock (Ctrl+Shift+L): lock at once, clear the clipboard, close every window",
        )
        self.panic_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        # Ctrl+L from any window of the app (Find, Settings, a dialog), as the panic keys
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.new_message_action = self._action("&New message", self._on_new_message, "Ctrl+N")
        self.new_channel_action = self._action(
            "New &channel…", self._on_new_channel, "Ctrl+Shift+N"
        )
        self.direct_action = self._action("&Direct message…", self._on_direct, "Ctrl+D")
        self.settings_action = self._action("&Settings…", self.open_settings, "Ctrl+,")
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        self.find_action = self._action("&Find in messages…", self.open_search, "Ctrl+F")
        self.ack_action = self._action(
            "&Acknowledge", self._on_acknowledge, "Ctrl+K", "Acknowledge the selected message"
        )
        self.attach_action = self._action(
            "A&ttach file…", self._on_attach, "Ctrl+Shift+A", "Attach files to the message"
        )
        self.section_actions = [
            self._action(f"&{i + 1} {title}", partial(self.show_section, title), f"Ctrl+{i + 1}")
            for i, title in enumerate(SECTIONS)
        ]
        self._section_keys = {self.new_message_action: "Ctrl+N", self.ack_action: "Ctrl+K"}
        self.panic_alarm_action = self._action(
            "Raise panic &alarm…",
            self.raise_panic_alarm,
            PANIC_ALARM_KEYS,
            "Raise panic alarm (Ctrl+Shift+P): a FLASH alert to the whole mission with your last"
            " known position, after you confirm",
        )
        self.shortcuts_action = self._action("&Keyboard shortcuts", self._show_shortcuts, "F1")
        self.about_action = self._action("&About MissionDesk", self._show_about)

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for action in (self.new_message_action, self.new_channel_action, self.direct_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.panic_action)
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.find_action)
        message_menu = bar.addMenu("&Message")
        message_menu.addAction(self.ack_action)
        message_menu.addAction(self.attach_action)
        safety_menu = bar.addMenu("&Safety")
        safety_menu.addAction(self.panic_alarm_action)
        safety_menu.addSeparator()
        safety_menu.addAction(self.panic_action)
        go_menu = bar.addMenu("&Go")
        for action in self.section_actions:
            go_menu.addAction(action)
        view_menu = bar.addMenu("&View")
        theme_menu = view_menu.addMenu("&Theme")
        group = QActionGroup(self)
        self.theme_actions: dict[Theme, QAction] = {}
        for theme, label in THEME_LABELS.items():
            action = QAction(label, self, checkable=True)
            action.setChecked(theme is self._options.theme)
            action.triggered.connect(lambda _checked=False, t=theme: self._choose_theme(t))
            group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[theme] = action
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _build_header(self, name: str, callsign: str, device: str) -> None:
        from missiondesk.ui.header import OfficerHeader

        self.header = OfficerHeader(name, callsign, device, self)
        toolbar = QToolBar("Officer", self)
        toolbar.setObjectName("header")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(16, 16))
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(self.header)
        toolbar.addAction(self.lock_action)
        lock_button = toolbar.widgetForAction(self.lock_action)
        lock_button.setObjectName("lockButton")
        lock_button.setStyleSheet(
            "QToolButton { padding: 5px 18px; font-weight: bold; border: 1px solid palette(mid);"
            " border-radius: 4px; margin-right: 8px; }"
        )
        lock_button.setAccessibleName("Lock")
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self._toolbar = toolbar

    def _fit_to_screen(self, width: int, height: int) -> None:
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, int(room.width() * 0.95))
            height = min(height, int(room.height() * 0.9))
        self.resize(width, height)

    # -- routing -------------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self._session is None

    @property
    def session(self) -> Session | None:
        """The session shown; None once locked."""
        return self._session

    @property
    def sections(self) -> tuple[str, ...]:
        return SECTIONS

    @property
    def relay(self) -> ChangeRelay:
        return self._relay

    @property
    def settings(self) -> Settings:
        return self._options.settings

    def show_section(self, title: str) -> None:
        self.nav.setCurrentRow(SECTIONS.index(title))

    def current_section(self) -> str:
        return SECTIONS[self.stack.currentIndex()]

    @property
    def incidents_page(self) -> IncidentsPage:
        """The Incidents section, built (and read) the first time it is wanted."""
        from missiondesk.ui.incidents.page import IncidentsPage

        page = self.section_page("Incidents")
        assert isinstance(page, IncidentsPage)
        return page

    @property
    def checklists_page(self) -> ChecklistsPage:
        from missiondesk.ui.checklists.page import ChecklistsPage

        page = self.section_page("Checklists")
        assert isinstance(page, ChecklistsPage)
        return page

    @property
    def map_page(self) -> MapPage:
        from missiondesk.ui.map.page import MapPage

        page = self.section_page("Map")
        assert isinstance(page, MapPage)
        return page

    @property
    def personnel_page(self) -> PersonnelPage:
        from missiondesk.ui.protection.page import PersonnelPage

        page = self.section_page("Personnel")
        assert isinstance(page, PersonnelPage)
        return page

    @property
    def sync_page(self) -> SyncPage:
        from missiondesk.ui.sync.page import SyncPage

        page = self.section_page("Sync")
        assert isinstance(page, SyncPage)
        return page

    def section_page(self, title: str) -> QWidget:
        """The page of a section built when first shown (LAZY_SECTIONS), built now if need be."""
        built = self._built.get(title)
        if built is not None:
            return built
        if self._session is None:
            raise RuntimeError("the window is locked")
        page, clear = self._build_section(title, self._session)
        self._clear_built.append(clear)
        self.stack.insertWidget(SECTIONS.index(title), page)
        placeholder = self._placeholders.pop(title)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self._built[title] = page
        return page

    def _build_section(self, title: str, session: Session) -> tuple[QWidget, Callable[[], None]]:
        """A section's page and what drops its data at lock."""
        if title == "Incidents":
            from missiondesk.ui.incidents.page import IncidentsPage

            incidents = IncidentsPage(
                session,
                self._tasks,
                self._relay,
                choose_files=self._options.choose_files,
                choose_save_path=self._options.choose_save_path,
                parent=self.stack,
            )
            return incidents, incidents.clear
        if title == "Checklists":
            from missiondesk.ui.checklists.page import ChecklistsPage

            checklists = ChecklistsPage(session, self._tasks, self._relay, parent=self.stack)
            return checklists, checklists.clear
        if title == "Personnel":
            from missiondesk.ui.protection.page import PersonnelPage

            personnel = PersonnelPage(session, self._tasks, self._relay, parent=self.stack)
            return personnel, personnel.clear
        if title == "Sync":
            from missiondesk.ui.sync.page import SyncPage

            sync = SyncPage(
                session, self._tasks, self._relay, self.sync_controller, parent=self.stack
            )
            return sync, sync.clear
        from missiondesk.ui.map.page import MapPage

        world = MapPage(
            session,
            self._tasks,
            self._relay,
            choose_save_path=self._options.choose_save_path,
            parent=self.stack,
        )
        world.incident_opened.connect(self._open_incident)
        return world, world.clear

    @Slot(str)
    def _open_incident(self, incident_id: str) -> None:
        """A marker clicked on the map: the incident in its own window, as from the list."""
        if self._session is not None:
            self.incidents_page.open_incident(incident_id)

    @Slot(int)
    def _on_section_chosen(self, row: int) -> None:
        if row >= 0:
            if SECTIONS[row] in LAZY_SECTIONS and self._session is not None:
                self.section_page(SECTIONS[row])
            self.stack.setCurrentIndex(row)
            self._hand_over_keys(SECTIONS[row])

    def _given_up_keys(self, action: QAction) -> list[QKeySequence]:
        """The keys an action gave up to the section shown (listed all the same)."""
        keys = self._section_keys.get(action)
        return [QKeySequence(keys)] if keys else []

    def _hand_over_keys(self, section: str) -> None:
        """Personnel's board answers Ctrl+N (plan a movement) and Ctrl+K (check in): while it
        is shown, the window's New message and Acknowledge give those keys up (two owners of a
        key make Qt fire neither); their menu items still work."""
        yielding = section == "Personnel"
        for action, keys in self._section_keys.items():
            action.setShortcut(QKeySequence() if yielding else QKeySequence(keys))

    def raise_panic_alarm(self) -> None:
        """Ask to confirm a FLASH panic alert to the whole mission (Personnel, Alerts)."""
        if self._session is None:
            return
        self.show_section("Personnel")
        self.personnel_page.raise_panic()

    @Slot()
    def _on_first_screen(self) -> None:
        """The first paint is done: the banner's first read, and the window's second step (the
        compose box and the reading pane), painted before anything heavier starts."""
        if self._session is not None:
            self.banner.refresh()
            self.messages_page.build_rest()
            self.update()
            AfterFirstPaint(self, self._on_whole_window, latest_ms=FIRST_SCREEN_LATEST_MS)

    @Slot()
    def _on_whole_window(self) -> None:
        """The second step has painted: the status bar's first read (it makes the sync service:
        ~0.1 s on the vault thread, which held the second step's paint back when it ran
        before), the draft kept at the last lock, then the app's settings read."""
        if self._session is not None:
            self.status_panel.refresh()
            self.messages_page.restore_draft(self._session.drafts)  # written when it locked
            self.first_screen_shown.emit()  # the app reads the settings now (pydantic)
            self._options.when_settings(self._on_settings_in_force)

    def _on_settings_in_force(self) -> None:
        """The settings have loaded (after the first screen): the theme they name is ticked,
        and serving that the officer left on starts again."""
        if self._session is not None:
            self.theme_actions[self._options.settings.theme].setChecked(True)
            self.sync_controller.resume_serving()

    @Slot(int, int)
    def _on_unread_changed(self, total: int, urgent: int) -> None:
        item = self.nav.item(SECTIONS.index("Messages"))
        if item is None:
            return
        item.setText(f"Messages  ({total if total < 1000 else '999+'})" if total else "Messages")
        font = QFont(self.nav.font())
        font.setBold(bool(urgent))
        item.setFont(font)

    @Slot(str, str)
    def open_message(self, message_id: str, channel_id: str) -> None:
        self.show_section("Messages")
        self.messages_page.show_message(message_id, channel_id)

    def _on_new_message(self) -> None:
        self.show_section("Messages")
        self.messages_page.focus_compose()

    def _on_new_channel(self) -> None:
        self.show_section("Messages")
        self.messages_page.open_new_channel()

    def _on_direct(self) -> None:
        self.show_section("Messages")
        self.messages_page.open_direct()

    def _on_acknowledge(self) -> None:
        if self.current_section() == "Messages":
            self.messages_page.acknowledge_selected()

    def _on_attach(self) -> None:
        self.show_section("Messages")
        self.messages_page.compose.attach_requested.emit()

    def open_search(self) -> None:
        if self._session is None:
            return
        if self.search_dialog is None:
            from missiondesk.ui.search_dialog import SearchDialog

            self.search_dialog = SearchDialog(self._session.messaging, self._tasks, self)
            self.search_dialog.open_requested.connect(self.open_message)
        self.search_dialog.show()
        self.search_dialog.raise_()
        self.search_dialog.activateWindow()
        self.search_dialog.query.setFocus()
        self.search_dialog.query.selectAll()

    def open_settings(self) -> None:
        store = self._options.settings_store
        if store is None:
            return
        from missiondesk.ui.shell.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self._options.settings, store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_settings_saved)
        dialog.show()

    @Slot(object)
    def _on_settings_saved(self, settings: Settings) -> None:
        self._options.settings = settings
        self.theme_actions[settings.theme].setChecked(True)
        if self._options.apply_theme is not None:
            self._options.apply_theme(settings.theme)
        self.settings_changed.emit(settings)

    def _choose_theme(self, theme: Theme) -> None:
        settings = self._options.settings.model_copy(update={"theme": theme})
        store = self._options.settings_store
        if store is not None:
            try:
                store.save(settings)
            except Exception as exc:  # noqa: BLE001 - the theme still changes for this run
                self.statusBar().showMessage(str(getattr(exc, "message", exc)), 10000)
        self._on_settings_saved(settings)

    def _show_shortcuts(self) -> None:
        rows = [
            (action.text().replace("&", ""), " or ".join(k.toString() for k in keys))
            for action in self.actions()
            if (keys := action.shortcuts() or self._given_up_keys(action))
        ]
        rows += PAGE_SHORTCUTS
        table = "".join(f"<tr><td>{text}</td><td><b>{keys}</b></td></tr>" for text, keys in rows)
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table cellspacing='6'>{table}</table>")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)  # Lock and panic lock work behind it
        box.show()

    def _show_about(self) -> None:
        session = self._session
        device = fingerprint(session.device_id) if session else ""
        folder = str(session.vault.layout.root) if session else ""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle("About MissionDesk")
        box.setIconPixmap(icon("missiondesk").pixmap(48, 48))
        box.setText(
            f"MissionDesk {__version__}\n\nSecure coordination for field missions.\n\n"
            f"Device fingerprint: {device}\nVault: {folder}"
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)  # Lock and panic lock work behind it
        box.show()

    # -- locking -------------------------------------------------------------------------------

    def lock(self) -> None:
        """Close the vault, drop every widget holding data, hide, and emit `locked`."""
        if self._end_session():
            self.hide()
            self.locked.emit()

    def panic_lock(self) -> None:
        """Lock at once; the flow also clears the clipboard and closes every other window."""
        if self._session is None:
            return
        self.panic.emit()
        self.lock()

    def _end_session(self) -> bool:
        session, self._session = self._session, None
        if session is None:
            return False
        self._relay.stop()
        self._options.forget(self._on_settings_in_force)
        self.sync_controller.stop()
        for clear in self._clear_built:  # first: their windows save what was typed
            clear()
        for other in QApplication.topLevelWidgets():  # dialogs of this window: settings, about
            if other is not self and other.isVisible() and self._owns(other):
                other.close()
        for action in self.actions():
            action.setEnabled(False)
        if self.search_dialog is not None:
            self.search_dialog.close()
            self.search_dialog.deleteLater()
            self.search_dialog = None
        self.messages_page.clear(session.drafts)  # the unsent message kept in the vault
        self.banner.clear()
        self.status_panel.clear()
        self.header.clear()
        self.removeToolBar(self._toolbar)
        self._toolbar.deleteLater()  # later: Lock may have been clicked on this very toolbar
        self.menuBar().clear()
        self.statusBar().clearMessage()
        self.statusBar().removeWidget(self.status_panel)
        self.status_panel.deleteLater()
        central = self.takeCentralWidget()
        if central is not None:
            central.deleteLater()
        self.setCentralWidget(QLabel("Locked.", self))
        self.setWindowTitle("MissionDesk: locked")
        # The vault closes on its own thread, after any read or write already under way.
        self._tasks.run("close vault", session.close)
        return True

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        activated = event.type() == QEvent.Type.ActivationChange and self.isActiveWindow()
        page = getattr(self, "messages_page", None)  # None while the window is being built
        if activated and self._session is not None and page is not None:
            page.window_activated()

    def _owns(self, widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parentWidget()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        self._end_session()
        super().closeEvent(event)
        self.closed.emit()
