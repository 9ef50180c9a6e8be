"""Errors every layer raises, each with the kind of failure it is.

The kind decides the exit code of the command line and the tone of the message in the desktop
app; the message itself is one plain sentence meant for an officer, never a traceback.
"""

from __future__ import annotations

from enum import IntEnum

from missiondesk.domain.named_tuple import NamedTuple


class ErrorKind(IntEnum):
    """What went wrong, numbered as the command line's exit codes."""

    USAGE = 2
    ACCESS = 3  # wrong passphrase, vault in use by another process, too many attempts
    INVALID = 4  # invalid input, refused data, failed verification
    UNAVAILABLE = 5  # vault missing, unreadable, corrupt, or the disk is full


class MissionDeskError(Exception):
    """A failure with a message fit to show an officer."""

    kind: ErrorKind = ErrorKind.INVALID

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class UsageError(MissionDeskError):
    kind = ErrorKind.USAGE


class AccessDenied(MissionDeskError):
    kind = ErrorKind.ACCESS


class InvalidInput(MissionDeskError):
    kind = ErrorKind.INVALID


class Unavailable(MissionDeskError):
    kind = ErrorKind.UNAVAILABLE


class FieldProblem(NamedTuple):
    """What is wrong with one field: its dotted name (``casualties.killed.civilians``) and why,
    in words that never quote the typed value."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidFields(InvalidInput):
    """Invalid input naming each wrong field, so a form can mark the fields and the command
    line can print one line that names them."""

    def __init__(self, what: str, problems: tuple[FieldProblem, ...]) -> None:
        super().__init__(f"Invalid {what}: " + "; ".join(str(p) for p in problems))
        self.what = what
        self.problems = problems

    def fields(self) -> dict[str, str]:
        """Field -> message (the first problem of each field)."""
        found: dict[str, str] = {}
        for problem in self.problems:
            found.setdefault(problem.field, problem.message)
        return found
