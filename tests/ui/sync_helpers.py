"""Helpers for the Sync section's tests: missions of real vaults copied from one made per run,
a page over a real session, and answers standing in for the file dialogs."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

from missiondesk.domain.changeset import Origin
from missiondesk.domain.operation import SignedOperation
from missiondesk.services.session import Session
from missiondesk.services.settings import Settings, SettingsStore
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.sync.controller import SyncController
from missiondesk.ui.sync.page import SyncPage
from missiondesk.ui.tasks import TaskRunner
from tests.sync.nodes import make_mission, open_node

T = TypeVar("T")


@dataclass
class Answers:
    """Stands in for the file dialogs and confirmations; each call takes the next answer."""

    paths: list[str] = field(default_factory=list)
    confirmations: list[bool] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)  # (caption, suggested name)

    def open(self, _parent: object, caption: str, _filter: str) -> str:
        self.asked.append((caption, ""))
        return self.paths.pop(0) if self.paths else ""

    def save(self, _parent: object, caption: str, suggestion: str, _filter: str) -> str:
        self.asked.append((caption, suggestion))
        return self.paths.pop(0) if self.paths else ""

    def confirm(self, _parent: object, title: str, _text: str, _yes: str) -> bool:
        self.asked.append((title, ""))
        return self.confirmations.pop(0) if self.confirmations else False


@dataclass
class Options:
    """What the controller needs of the window's options (settings and their store)."""

    settings: Settings
    settings_store: SettingsStore | None


@dataclass
class SyncScreen:
    session: Session
    tasks: TaskRunner
    relay: ChangeRelay
    controller: SyncController
    page: SyncPage
    answers: Answers
    options: Options

    def close(self) -> None:
        """In the window's order: stop sync, stop listening, close the vault on its thread."""
        assert self.controller.stop()
        self.page.clear()
        self.relay.stop()
        self.tasks.run("close vault", self.session.close)
        assert self.tasks.wait_for_done(10_000)


@pytest.fixture(scope="session")
def mission_template(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two vaults in one mission (HQ-1 the authority, BRAVO-2 enrolled by file), made once."""
    return make_mission(tmp_path_factory.mktemp("mission-template"), 2)


@pytest.fixture
def mission(mission_template: list[Path], tmp_path: Path) -> list[Path]:
    """A fresh copy of the two-vault mission for this test."""
    copies = []
    for path in mission_template:
        copy = tmp_path / path.name
        shutil.copytree(path, copy)
        copies.append(copy)
    return copies


@pytest.fixture
def screens(qtbot, tmp_path: Path) -> Iterator[list[SyncScreen]]:
    made: list[SyncScreen] = []
    yield made
    for screen in made:
        screen.close()


def open_screen(
    qtbot,
    screens: list[SyncScreen],
    session: Session,
    settings_dir: Path,
    *,
    announce: bool = False,
) -> SyncScreen:
    """A Sync page with its own vault thread over `session`, shown; closed after the test."""
    tasks = TaskRunner()
    relay = ChangeRelay(session.changes)
    store = SettingsStore(settings_dir)
    options = Options(store.load(), store)
    controller = SyncController(session, tasks, options, announce=announce)
    answers = Answers()
    page = SyncPage(
        session,
        tasks,
        relay,
        controller,
        choose_open=answers.open,
        choose_save=answers.save,
        confirm=answers.confirm,
    )
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    screen = SyncScreen(session, tasks, relay, controller, page, answers, options)
    screens.append(screen)
    qtbot.waitUntil(lambda: page.overview is not None, timeout=10_000)
    return screen


def on_vault(qtbot, screen: SyncScreen, fn: Callable[[], T]) -> T:
    """Run `fn` on the screen's vault thread (the one connection is never shared) and wait."""
    results: list[T] = []
    failures: list[object] = []
    screen.tasks.run("test step", fn, results.append, failures.append)
    qtbot.waitUntil(lambda: bool(results or failures), timeout=20_000)
    assert not failures, failures
    return results[0]


def ops_of(session: Session) -> list[SignedOperation]:
    return [
        SignedOperation.from_parts(s.payload, s.signature) for s in session.vault.oplog.iter_ops()
    ]


def share(source: Session, target: Session) -> None:
    """Apply what `source` holds to `target`, as a sync would, and tell target's views."""
    target.changes.publish(target.vault.apply(ops_of(source), Origin.PEER))


__all__ = ["open_node"]
