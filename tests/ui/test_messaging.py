"""Messaging on real widgets over real vaults: compose from the keyboard, FLASH styling,
acknowledgements between two laptops, attachments, search in context, lazy pages, unread
counts, new and direct channels, notifications."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from missiondesk.domain.markings import Precedence
from missiondesk.services.session import Session
from missiondesk.services.settings import Settings, SettingsStore
from missiondesk.ui.main_window import MainWindow, WindowOptions
from missiondesk.ui.messages.attachment_viewer import AttachmentViewer
from missiondesk.ui.messages.channel_dialogs import DirectMessageDialog, NewChannelDialog
from missiondesk.ui.messages.message_model import MessageListModel
from missiondesk.ui.shell.alerts import MessageAlerts
from missiondesk.ui.shell.tray import Tray
from missiondesk.ui.tasks import TaskRunner
from tests.opfactory import deliver, ops_of, share
from tests.services.test_messaging import PNG

from .conftest import on_vault, show_and_activate

M = MessageListModel


class Desk:
    """One officer's laptop: a session, its own vault thread, and its main window."""

    def __init__(self, qtbot, session: Session, tmp: Path, **choosers: object) -> None:
        self.session = session
        self.tasks = TaskRunner()
        options = WindowOptions(settings_store=SettingsStore(tmp), **choosers)  # type: ignore[arg-type]
        self.window = MainWindow(session, self.tasks, options)
        qtbot.addWidget(self.window)
        show_and_activate(qtbot, self.window)
        self.page = self.window.messages_page
        qtbot.waitUntil(lambda: self.page.current_channel is not None, timeout=5000)
        qtbot.waitUntil(lambda: not self.page.model.busy, timeout=5000)

    def do(self, fn):
        """Run `fn` on this laptop's vault thread (see conftest.on_vault)."""
        return on_vault(self.tasks, fn)

    def rows(self) -> list[str]:
        model = self.page.model
        return [model.data(model.index(r, M.TEXT)) for r in range(model.rowCount())]

    def close(self) -> None:
        self.window.close()
        self.tasks.wait_for_done(5000)
        self.tasks.shutdown()
        self.tasks.deleteLater()  # by the event loop, as the app's runner would be


@pytest.fixture
def desks() -> Iterator[list[Desk]]:
    """Windows made with desks_make(); closed at the end of the test."""
    made: list[Desk] = []
    yield made
    for desk in made:
        desk.close()


@pytest.fixture
def me(qtbot, open_session: Session, tmp_path: Path) -> Iterator[Desk]:
    desk = Desk(qtbot, open_session, tmp_path / "settings-me")
    yield desk
    desk.close()


@pytest.fixture
def met(open_session: Session, make_session) -> Session:
    """A second officer's vault that has met this one (each knows the other)."""
    other = make_session()
    share(open_session, other)
    share(other, open_session)
    return other


def test_a_flash_composed_from_the_keyboard_is_sent_and_styled(qtbot, me: Desk):
    compose = me.page.compose
    compose.text_edit.setFocus()
    qtbot.keyClicks(compose.text_edit, "Contact at checkpoint 4, request QRF")
    compose.precedence_box.setFocus()
    qtbot.keyClicks(compose.precedence_box, "F")  # type-ahead picks FLASH
    assert compose.precedence is Precedence.FLASH
    assert compose.send_button.text() == "Send FLASH"
    qtbot.keyClick(compose.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: me.rows() == ["Contact at checkpoint 4, request QRF"], timeout=5000)
    model = me.page.model
    assert model.data(model.index(0, M.PRECEDENCE)) == "FLASH"
    assert model.data(model.index(0, M.TEXT), Qt.ItemDataRole.FontRole).bold()
    assert compose.text_edit.toPlainText() == ""  # ready for the next one
    assert compose.precedence is Precedence.ROUTINE


def test_empty_message_is_refused_in_the_box(qtbot, me: Desk):
    qtbot.mouseClick(me.page.compose.send_button, Qt.MouseButton.LeftButton)
    assert me.page.compose.error.text() == "Write a message or attach a file first."
    assert me.rows() == []
    qtbot.keyClicks(me.page.compose.text_edit, "R")  # the refusal was about the empty box
    assert not me.page.compose.error.isVisible()


def test_acknowledgement_flow_between_two_laptops(
    qtbot, open_session: Session, met: Session, desks
):
    sender = desks_make(desks, qtbot, met)
    receiver = desks_make(desks, qtbot, open_session)
    sender.page.compose.text_edit.setPlainText("All stations report status")
    sender.page.compose.set_precedence(Precedence.IMMEDIATE)
    qtbot.mouseClick(sender.page.compose.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sender.rows() == ["All stations report status"], timeout=5000)
    sent = sender.page.model.message_at(0)
    assert sent.awaiting == ("ALPHA-1",) and sent.status_text == "Queued"

    pass_on(sender, receiver)  # the message reaches the other laptop
    qtbot.waitUntil(lambda: receiver.rows() == ["All stations report status"], timeout=5000)
    model = receiver.page.model
    assert model.data(model.index(0, M.STATUS)) == "Acknowledge"
    receiver.page.table.setCurrentIndex(model.index(0, M.TEXT))
    pane = receiver.page.reading
    assert pane.acknowledge_button.isVisible()
    qtbot.mouseClick(pane.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.data(model.index(0, M.STATUS)) == "Acknowledged", timeout=5000)
    assert not pane.acknowledge_button.isVisible()

    pass_on(receiver, sender)  # the acknowledgement travels back like any operation
    qtbot.waitUntil(
        lambda: sender.page.model.message_at(0).acknowledged_by == ("ALPHA-1",), timeout=5000
    )
    acked = sender.page.model.message_at(0)
    assert acked.awaiting == () and acked.status_text == "Acknowledged 1/1"
    sender.page.table.setCurrentIndex(sender.page.model.index(0, M.TEXT))
    assert "Acknowledged by: ALPHA-1." in sender.page.reading.acks.text()


def pass_on(source: Desk, target: Desk) -> None:
    """What `source` holds reaches `target`, each vault touched on its own thread."""
    ops = source.do(lambda: ops_of(source.session))
    target.do(lambda: deliver(target.session, ops))


def desks_make(desks: list[Desk], qtbot, session: Session, **choosers: object) -> Desk:
    desk = Desk(
        qtbot, session, Path(session.vault.layout.root).parent / f"s{len(desks)}", **choosers
    )
    desks.append(desk)
    return desk


def test_ctrl_k_acknowledges_the_selected_message(qtbot, met: Session, me: Desk):
    met.messaging.send("general", "FLASH traffic", Precedence.FLASH)
    me.do(lambda: share(met, me.session))
    qtbot.waitUntil(lambda: me.rows() == ["FLASH traffic"], timeout=5000)
    me.page.table.setCurrentIndex(me.page.model.index(0, M.TEXT))
    qtbot.keyClick(me.page.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: me.page.model.message_at(0).acked_by_me, timeout=5000)


def test_attachment_round_trip_with_preview_and_save_as(
    qtbot, open_session: Session, met: Session, desks, tmp_path: Path
):
    photo = tmp_path / "bridge.png"
    photo.write_bytes(PNG)
    saved = tmp_path / "exported" / "bridge copy.png"
    saved.parent.mkdir()
    sender = desks_make(desks, qtbot, open_session, choose_files=lambda _parent: [str(photo)])
    receiver = desks_make(desks, qtbot, met, choose_save_path=lambda _parent, _name: str(saved))
    qtbot.mouseClick(sender.page.compose.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(sender.page.compose.attachments) == 1, timeout=5000)
    assert sender.page.compose.attachments[0].name == "bridge.png"
    sender.page.compose.text_edit.setPlainText("Bridge at km 42")
    qtbot.mouseClick(sender.page.compose.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sender.rows() == ["Bridge at km 42"], timeout=5000)
    assert sender.page.compose.attachments == ()
    assert sender.page.model.data(
        sender.page.model.index(0, M.TEXT), Qt.ItemDataRole.DecorationRole
    )

    pass_on(sender, receiver)
    qtbot.waitUntil(lambda: receiver.rows() == ["Bridge at km 42"], timeout=5000)
    receiver.page.table.setCurrentIndex(receiver.page.model.index(0, M.TEXT))
    buttons = receiver.page.reading.attachment_buttons
    assert [b.text().split("  ")[0] for b in buttons] == ["bridge.png"]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(receiver.page.viewers), timeout=5000)
    viewer: AttachmentViewer = receiver.page.viewers[0]
    qtbot.waitUntil(lambda: viewer.preview_kind == "image", timeout=5000)
    shown = viewer.area.widget()
    assert isinstance(shown, QLabel) and not shown.pixmap().isNull()
    qtbot.mouseClick(viewer.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.saved_to == saved, timeout=5000)
    assert saved.read_bytes() == PNG
    assert receiver.do(lambda: met.audit.entries()[-1].event) == "data.exported"
    assert viewer.note.isVisible()
    viewer._choose_path = lambda _parent, _name: str(saved.parent)  # a folder this time
    qtbot.mouseClick(viewer.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(viewer.error.isVisible, timeout=5000)
    assert viewer.error.text() == f"{saved.parent} is a folder; give a file name."
    assert not viewer.note.isVisible()  # the earlier copy's note is not about this try


def test_a_file_chosen_twice_is_attached_once(qtbot, open_session: Session, desks, tmp_path: Path):
    photo = tmp_path / "bridge.png"
    photo.write_bytes(PNG)
    sender = desks_make(desks, qtbot, open_session, choose_files=lambda _parent: [str(photo)])
    compose = sender.page.compose
    qtbot.mouseClick(compose.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(compose.attachments) == 1, timeout=5000)
    qtbot.mouseClick(compose.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(compose.error.isVisible, timeout=5000)
    assert compose.error.text() == "bridge.png is attached already."
    assert [a.name for a in compose.attachments] == ["bridge.png"]


def test_text_attachment_previews_as_text(qtbot, me: Desk, tmp_path: Path):
    from missiondesk.services.attachments import NewAttachment

    me.do(
        lambda: me.session.messaging.send(
            "general", "log", attachments=[NewAttachment.of("log.txt", b"Generator hours: 1432")]
        )
    )
    qtbot.waitUntil(lambda: me.rows() == ["log"], timeout=5000)
    me.page.table.setCurrentIndex(me.page.model.index(0, M.TEXT))
    me.page.reading.attachment_buttons[0].click()
    qtbot.waitUntil(lambda: bool(me.page.viewers), timeout=5000)
    viewer = me.page.viewers[0]
    qtbot.waitUntil(lambda: viewer.preview_kind == "text", timeout=5000)
    text = viewer.area.widget()
    assert isinstance(text, QPlainTextEdit) and text.toPlainText() == "Generator hours: 1432"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x01" * 64, "none"),  # control bytes are no text, though valid UTF-8
        ("تقرير الدورية ".encode() * 400, "text"),  # a character cut at 4096 bytes
        (b"\x1b[31mERROR\x1b[0m generator 2 down\n" * 20, "text"),  # a coloured log
    ],
)
def test_a_file_of_unknown_type_previews_as_text_only_when_it_is_text(
    qtbot, me: Desk, data: bytes, kind: str
):
    from missiondesk.services.attachments import NewAttachment

    me.do(
        lambda: me.session.messaging.send(
            "general", "file", attachments=[NewAttachment.of("capture", data)]
        )
    )
    qtbot.waitUntil(lambda: me.rows() == ["file"], timeout=5000)
    me.page.table.setCurrentIndex(me.page.model.index(0, M.TEXT))
    me.page.reading.attachment_buttons[0].click()
    qtbot.waitUntil(lambda: bool(me.page.viewers), timeout=5000)
    viewer = me.page.viewers[0]
    qtbot.waitUntil(lambda: viewer.preview_kind != "loading", timeout=5000)
    assert viewer.preview_kind == kind


def test_search_opens_a_result_in_context_deep_in_a_channel(qtbot, me: Desk):
    session = me.session

    def fill() -> str:
        north = session.channels.create("ops-north")
        ids = [
            session.messaging.send(
                north, "Convoy Kilo passed checkpoint 7" if i == 20 else f"routine log line {i}"
            )
            for i in range(260)
        ]
        return ids[20]

    target = me.do(fill)
    me.window.open_search()
    dialog = me.window.search_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.query, "kilo checkp")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert "1 message matches" in dialog.summary.text()
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    page = me.page
    qtbot.waitUntil(
        lambda: page.selected_message() is not None and page.selected_message().id == target,
        timeout=5000,
    )
    assert page.current_channel is not None and page.current_channel.title == "ops-north"
    assert page.reading.text.toPlainText() == "Convoy Kilo passed checkpoint 7"
    assert not dialog.isVisible()
    # scrolling up brings the newer messages back, a page at a time, keeping one's place
    for _ in range(10):
        if page.model.at_newest:
            break
        page.table.scrollToTop()
        qtbot.waitUntil(lambda: not page.model.busy, timeout=5000)
        assert page.selected_message().id == target
    assert page.model.at_newest and page.model.rowCount() == 260


def test_search_says_when_nothing_matches(qtbot, me: Desk):
    me.window.open_search()
    dialog = me.window.search_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.query, "nonexistentword")
    qtbot.waitUntil(lambda: "No message contains" in dialog.summary.text(), timeout=5000)
    width = dialog.width()
    dialog.query.setText("x" * 3000)  # pasted by mistake: said, cut, and the window stays
    qtbot.waitUntil(lambda: dialog.summary.text().endswith("…”."), timeout=5000)
    assert dialog.width() == width


def test_a_long_or_right_to_left_channel_name_never_widens_the_window(qtbot, me: Desk):
    long_name = "Northern-sector-logistics-and-convoy-coordination-cell-for-the-rainy-season"
    arabic = "قناة المسعفين"
    for name in (long_name, arabic):
        me.do(lambda n=name: me.session.channels.create(n))
    width = me.window.width()
    channels = me.page.channel_model
    qtbot.waitUntil(lambda: len(channels.channels) == 3, timeout=5000)
    for name in (long_name, arabic):
        row = next(i for i, v in enumerate(channels.channels) if v.title == name)
        me.page.channel_list.setCurrentIndex(channels.index(row))
        qtbot.waitUntil(lambda n=name: me.page.channel_title.text() == "# " + n, timeout=5000)
        assert me.window.width() == width
    row = next(i for i, v in enumerate(channels.channels) if v.title == long_name)
    me.page.channel_list.setCurrentIndex(channels.index(row))
    me.window.resize(100, me.window.height())  # as narrow as it goes: the name is cut...
    qtbot.waitUntil(lambda: me.page.channel_title.toolTip() == "# " + long_name, timeout=5000)
    assert me.page.channel_title.text() == "# " + long_name  # ...and kept whole


def test_a_long_channel_loads_page_by_page_as_one_scrolls(qtbot, me: Desk):
    session = me.session
    channel = me.do(lambda: session.channels.require("general")[0])
    me.do(
        lambda: session.writer.submit_many(
            [
                (
                    "message.create",
                    f"01a00000-0000-7000-8000-{i:012d}",
                    {"fields": {"channel": channel, "text": f"line {i}", "precedence": "routine"}},
                )
                for i in range(250)
            ]
        )
    )
    model = me.page.model
    qtbot.waitUntil(lambda: model.rowCount() == 100, timeout=5000)
    assert model.canFetchMore()
    me.page.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 200, timeout=5000)
    me.page.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 250, timeout=5000)
    qtbot.waitUntil(lambda: not model.canFetchMore(), timeout=5000)
    assert model.message_at(249).text == "line 0"


def test_unread_counts_follow_arrivals_and_clear_when_read(qtbot, met: Session, me: Desk):
    north = me.do(lambda: me.session.channels.create("ops-north"))
    me.do(lambda: share(me.session, met))
    for i in range(3):
        met.messaging.send(north, f"north {i}")
    met.messaging.send(north, "contact", Precedence.FLASH)
    me.do(lambda: share(met, me.session))
    channels = me.page.channel_model
    qtbot.waitUntil(
        lambda: any(v.title == "ops-north" and v.unread == 4 for v in channels.channels),
        timeout=5000,
    )
    north_view = next(v for v in channels.channels if v.title == "ops-north")
    assert north_view.unread_urgent == 1
    nav = me.window.nav.item(0).text()
    assert nav == "Messages  (4)"
    me.page.select_channel(north)
    qtbot.waitUntil(
        lambda: all(v.unread == 0 for v in channels.channels if v.title == "ops-north"),
        timeout=5000,
    )
    qtbot.waitUntil(lambda: me.window.nav.item(0).text() == "Messages", timeout=5000)


def test_new_channel_dialog_with_chosen_members(qtbot, met: Session, me: Desk):
    dialog = NewChannelDialog(me.session.channels, me.session.people, me.tasks, me.window)
    qtbot.addWidget(dialog)
    made: list[str] = []
    dialog.created.connect(made.append)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, "medics")
    dialog.everyone.setChecked(False)
    qtbot.waitUntil(lambda: dialog.members.count() == 1, timeout=5000)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Choose at least one member, or everyone in the mission."
    dialog.members.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(made), timeout=5000)
    channel = me.do(lambda: me.session.channels.require(made[0])[1])
    assert set(channel.members) == {me.session.people.person_id, met.people.person_id}


def test_direct_message_dialog_opens_the_shared_channel(qtbot, met: Session, me: Desk):
    me.page.open_direct()
    dialog = next(w for w in me.page.findChildren(DirectMessageDialog) if w.isVisible())
    qtbot.waitUntil(lambda: dialog.people.count() == 1, timeout=5000)
    qtbot.keyClicks(dialog.filter_edit, "brav")
    qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: me.page.current_channel is not None and me.page.current_channel.is_direct,
        timeout=5000,
    )
    assert me.page.current_channel.title == "BRAVO-2"
    assert me.page.channel_title.text() == "@ BRAVO-2"


def test_flash_from_a_peer_raises_a_notification_without_its_text(
    qtbot, met: Session, me: Desk, drain_events
):
    tray = Tray()
    alerts = MessageAlerts(
        me.window.relay, me.session.messaging, me.tasks, tray, Settings(), me.window
    )
    met.messaging.send("general", "Shots fired at OP North", Precedence.FLASH)
    met.messaging.send("general", "Routine traffic", Precedence.ROUTINE)
    with qtbot.waitSignal(alerts.alerted, timeout=5000):
        me.do(lambda: share(met, me.session))
    assert len(tray.shown) == 1
    title, text = tray.shown[0]
    assert title == "FLASH message from BRAVO-2"
    assert "Shots fired" not in title + text
    alerts.set_settings(Settings(notify_flash=False))
    met.messaging.send("general", "Second flash", Precedence.FLASH)
    me.do(lambda: share(met, me.session))
    drain_events()  # the change reached the alerts
    assert me.tasks.wait_for_done(5000)
    drain_events()  # and what they read came back
    assert len(tray.shown) == 1


def test_direction_controls_cannot_make_a_message_read_otherwise(qtbot, me: Desk):
    """'pay \u202e0011' would show as 'pay 1100': screens show it as it was typed."""
    me.do(lambda: me.session.messaging.send("general", "pay \u202e0011\u202c at the gate"))
    qtbot.waitUntil(lambda: me.rows() == ["pay 0011 at the gate"], timeout=5000)
    me.page.table.selectRow(0)
    qtbot.waitUntil(
        lambda: me.page.reading.text.toPlainText() == "pay 0011 at the gate", timeout=5000
    )


def test_new_channel_pressed_twice_opens_one_dialog(qtbot, me: Desk):
    from PySide6.QtWidgets import QApplication

    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(me.window, Qt.Key.Key_N, both)
    qtbot.keyClick(me.window, Qt.Key.Key_N, both)
    opened = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, NewChannelDialog) and w.isVisible()
    ]
    assert len(opened) == 1
    opened[0].close()


def test_new_channel_says_when_no_one_else_is_known(qtbot, me: Desk):
    from missiondesk.ui.messages.channel_dialogs import NO_ONE_YET

    dialog = NewChannelDialog(me.session.channels, me.session.people, me.tasks, me.window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.everyone.setChecked(False)
    qtbot.waitUntil(lambda: dialog.members.count() == 1, timeout=5000)
    assert dialog.members.item(0).text() == NO_ONE_YET
    assert dialog.chosen_members() == ()  # the note is no member
