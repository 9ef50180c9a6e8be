"""The channel-opening measurements, in a fresh process, for bench/desk_channel.py.

    python bench/_desk_channel_child.py VAULT_DIR PASSPHRASE BIG_ID SMALL_ID ROUNDS PAGES

Unlocks the vault, opens the main window as AppFlow does (`MainWindow(session, tasks,
options)`, shown) and waits for its first channel (the mission-wide one) to paint. Then, in
rounds, selects the big channel and then the small one in the channel list (so each open
follows one of the other channel; the big one's first open is cold for SQLCipher's page cache),
each timed from the selection until the message table has painted rows of that channel.
Between opens, on the vault's thread (as the model's own reads run), it times the newest page:
the SQL alone, the store's rows (`vault.messages.older`) and the views
(`MessagingService.older`), for both channels. Finally it scrolls the big channel down PAGES
pages (each timed from the scroll to the paint of the new rows) and reads the resident memory.

Prints one JSON line (``RESULT {...}``): seconds and MiB.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEADLINE_MS = 600_000  # the parent's timeout is longer: a hang ends here, with a message


def rss_mib() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MiB."""
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def main(argv: list[str]) -> int:
    vault_dir, passphrase, big, small = argv[:4]
    rounds, pages = int(argv[4]), int(argv[5])
    result: dict[str, Any] = {"rss": {}}
    result["rss"]["start"] = rss_mib()[0]

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from missiondesk.services.settings import SettingsStore
    from missiondesk.services.vault_access import unlock_vault
    from missiondesk.ui.main_window import MainWindow, WindowOptions
    from missiondesk.ui.tasks import TaskRunner

    app = QApplication(sys.argv)
    result["rss"]["imports"] = rss_mib()[0]
    session = unlock_vault(vault_dir, passphrase)
    result["rss"]["unlocked"] = rss_mib()[0]
    tasks = TaskRunner()
    settings = Path(vault_dir).parent / "bench-settings"
    window = MainWindow(session, tasks, WindowOptions(settings_store=SettingsStore(settings)))
    window.resize(1280, 800)
    page = window.messages_page
    model, table = page.model, page.table

    class PaintWatch(QObject):
        """Calls `then` once the table has painted rows of `channel` (after that paint)."""

        def __init__(self) -> None:
            super().__init__()
            self.channel: str | None = None
            self.rows = 0
            self.then: Callable[[], None] | None = None

        def expect(self, channel: str, rows: int, then: Callable[[], None]) -> None:
            self.channel, self.rows, self.then = channel, rows, then

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and self.then is not None
                and model.channel == self.channel
                and model.rowCount() >= self.rows
            ):
                then, self.then = self.then, None
                QTimer.singleShot(0, then)
            return False

    watch = PaintWatch()
    table.viewport().installEventFilter(watch)
    steps: list[Callable[[], None]] = []
    opens: dict[str, list[float]] = {"big": [], "small": []}
    reads: dict[str, dict[str, list[float]]] = {
        k: {"sql": [], "rows": [], "views": []} for k in ("big", "small")
    }
    scrolls: list[float] = []
    ids = {"big": big, "small": small}

    def next_step() -> None:
        if steps:
            steps.pop(0)()
        else:
            app.quit()

    def open_timed(which: str) -> None:
        channel = ids[which]
        began = time.monotonic()

        def done() -> None:
            opens[which].append(time.monotonic() - began)
            next_step()

        watch.expect(channel, 1, done)
        if not page.select_channel(channel):
            raise SystemExit(f"channel {which} is not in the list")

    def reads_timed(which: str) -> None:
        channel = ids[which]
        vault, messaging = session.vault, session.messaging

        def work() -> None:  # on the vault's thread, as the model's reads
            sql = (
                "SELECT e.id, e.type, e.doc, e.clocks, e.created_hlc, e.updated_hlc, e.deleted,"
                " m.hlc, m.entity, m.precedence FROM messages m JOIN entities e"
                " ON e.rowid = m.entity WHERE m.channel = ? ORDER BY m.hlc DESC, m.entity DESC"
                " LIMIT 100"
            )
            for name, fn in (
                ("sql", lambda: vault.conn.execute(sql, (channel,)).fetchall()),
                ("rows", lambda: vault.messages.older(channel, None, 100)),
                ("views", lambda: messaging.older(channel, None, 100)),
            ):
                began = time.perf_counter()
                fn()
                reads[which][name].append(time.perf_counter() - began)

        tasks.run("bench reads", work, lambda _none: next_step())

    def scroll_timed() -> None:
        held = model.rowCount()
        began = time.monotonic()

        def done() -> None:
            scrolls.append(time.monotonic() - began)
            next_step()

        watch.expect(big, held + 1, done)
        bar = table.verticalScrollBar()
        bar.setValue(bar.maximum())
        if not model.busy and model.canFetchMore():  # the view asks for more at the end
            model.fetchMore()

    def held() -> None:  # before the app quits: quitting closes the window, which locks
        result["rows_held"] = model.rowCount()
        result["rss"]["scrolled"], result["rss"]["peak"] = rss_mib()

    def first_shown() -> None:
        result["rss"]["window"] = rss_mib()[0]
        for _ in range(rounds):  # each open follows one of the other channel
            for which in ("big", "small"):
                steps.append(lambda w=which: open_timed(w))
                steps.append(lambda w=which: reads_timed(w))
        steps.append(lambda: open_timed("big"))
        steps.extend([scroll_timed] * pages)
        steps.append(lambda: QTimer.singleShot(300, next_step))  # let late tasks settle
        steps.append(lambda: (held(), next_step()))
        next_step()

    initial = time.monotonic()

    def window_ready() -> None:
        result["first_window_open"] = time.monotonic() - initial
        first_shown()

    # the window opens the first channel of the list (the mission-wide one) by itself
    watch.expect(ids["small"], 1, window_ready)
    window.show()
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(lambda: (print("timed out", file=sys.stderr), app.exit(3)))
    deadline.start(DEADLINE_MS)
    code = app.exec()
    if code != 0:
        return code
    result["opens"], result["reads"], result["scrolls"] = opens, reads, scrolls
    window.close()
    tasks.wait_for_done()
    tasks.shutdown()
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
