"""Taking in one author's run of operations from a peer or a bundle: drop what is already held,
detect a fork (a cloned laptop), admit, and commit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from missiondesk.domain.operation import SignedOperation
from missiondesk.sync.admission import admit
from missiondesk.sync.replica import Replica


@dataclass
class Intake:
    received: int = 0
    refused: int = 0
    reasons: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    stopped: set[str] = field(default_factory=set)  # authors whose later ops cannot follow

    def add(self, other: Intake) -> None:
        self.received += other.received
        self.refused += other.refused
        self.reasons += other.reasons
        self.held += other.held
        self.kinds.update(other.kinds)
        self.stopped |= other.stopped


def _fork(replica: Replica, author: str, seq: int) -> Intake:
    replica.hold(author, "equivocation", f"two different operations {seq}")
    return Intake(
        held=[author],
        stopped={author},
        reasons=[f"device {author[:8]} signed two different operations {seq}"],
    )


def take_run(replica: Replica, run: list[SignedOperation]) -> Intake:
    """Verify, admit and commit one author's run; raises ProtocolError on tampering."""
    author = run[0].op.author
    head = replica.head(author)
    if head is not None:  # drop what we already hold (another peer may have brought it)
        seen = [s for s in run if s.op.seq <= head[0]]
        for signed in seen:
            if replica.op_id_at(author, signed.op.seq) != signed.op_id:
                return _fork(replica, author, signed.op.seq)
        run = run[len(seen) :]
        if not run:
            return Intake()
        if run[0].op.seq == head[0] + 1 and run[0].op.prev != head[1].hex():
            return _fork(replica, author, head[0])
    verdict = admit(run, head, replica.trust, replica.too_far_ahead)
    result = Intake()
    if verdict.accepted:
        replica.apply(verdict.accepted)
        result.received = len(verdict.accepted)
        result.kinds.update(s.op.kind for s in verdict.accepted)
    if verdict.refused:
        result.refused = verdict.refused
        result.reasons.append(verdict.reason)
        result.stopped.add(author)
    if verdict.hold:
        replica.hold(author, verdict.hold, verdict.reason)
        result.held.append(author)
    return result


def take_all(replica: Replica, ops: list[SignedOperation]) -> Intake:
    """Runs of every author in a batch, each in its own chain order."""
    runs: dict[str, list[SignedOperation]] = {}
    for signed in ops:
        runs.setdefault(signed.op.author, []).append(signed)
    total = Intake()
    for run in runs.values():
        total.add(take_run(replica, run))
    return total
