"""Passphrases typed at the prompt: two that differ change nothing and are invalid input."""

from __future__ import annotations


def test_two_typed_passphrases_that_differ_are_invalid_input(monkeypatch):
    import getpass
    import sys

    import pytest

    from missiondesk.commands.context import read_passphrase
    from missiondesk.domain.errors import ErrorKind, InvalidInput

    typed = iter(["first passphrase 1", "first passphrase 2"])
    monkeypatch.delenv("MISSIONDESK_TEST_PASS", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda _prompt: next(typed))
    with pytest.raises(InvalidInput, match="differ; nothing was changed") as refused:
        read_passphrase("MISSIONDESK_TEST_PASS", "New: ", confirm=True)
    assert refused.value.kind is ErrorKind.INVALID  # exit 4, not a usage error
