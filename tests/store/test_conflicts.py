"""Conflicts are the same on every replica, whatever the order in which writes arrive."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missiondesk.domain.changeset import Origin
from tests.opfactory import Author, bare_vault

ENTITY = "01a20105-0000-7000-8000-0000000000aa"


def update(author: Author, hlc: int, base, **fields):
    base_map = {k: list(base) for k in fields} if base else {}
    return author.op("incident.update", ENTITY, {"fields": fields, "base": base_map}, hlc)


def scenario():
    """A creates; B and C edit the severity concurrently (both saw A's); A then edits again
    having seen B's edit. C's edit was never seen: it is the one conflict. D resolves it."""
    a, b, c, d = Author(), Author(), Author(), Author()
    chains = [[a.register(1)], [b.register(1)], [c.register(1)], [d.register(1)]]
    c0 = (10, a.id)
    chains[0].append(
        a.op("incident.create", ENTITY, {"fields": {"title": "Roadblock", "severity": 2}}, 10)
    )
    chains[1].append(update(b, 20, c0, severity=3))
    chains[2].append(update(c, 25, c0, severity=5))
    chains[0].append(update(a, 30, (20, b.id), severity=4))
    return chains, (a, b, c, d)


def interleave(chains, rng):
    queues = [list(ch) for ch in chains]
    out = []
    while any(queues):
        q = rng.choice([q for q in queues if q])
        out.append(q.pop(0))
    return out


def conflicts(vault):
    return sorted((c.entity, c.field, c.loser, c.value) for c in vault.conflicts.all())


def test_the_concurrent_edit_that_lost_is_the_one_conflict(tmp_path):
    chains, (a, b, c, d) = scenario()
    vault = bare_vault(tmp_path / "v")
    for chain in chains:
        vault.apply(chain, Origin.PEER)
    assert vault.reads.get(ENTITY).doc["severity"] == 4
    assert conflicts(vault) == [(ENTITY, "severity", (25, c.id), 5)]
    vault.close()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32), resolve=st.booleans())
def test_same_conflicts_in_any_order(tmp_path_factory, seed, resolve):
    chains, (a, b, c, d) = scenario()
    if resolve:  # D settles it (keeping the current value), perhaps before C's edit arrives
        chains[3].append(
            d.op(
                "incident.update",
                ENTITY,
                {
                    "fields": {"severity": 4},
                    "base": {"severity": [30, a.id]},
                    "resolves": {"severity": [[25, c.id]]},
                },
                40,
            )
        )
    reference = bare_vault(tmp_path_factory.mktemp("ref"))
    for chain in chains:
        reference.apply(chain, Origin.PEER)
    expected = conflicts(reference)
    assert expected == ([] if resolve else [(ENTITY, "severity", (25, c.id), 5)])
    reference.close()
    vault = bare_vault(tmp_path_factory.mktemp("v"))
    for op in interleave(chains, random.Random(seed)):
        vault.apply([op], Origin.PEER)
    assert conflicts(vault) == expected
    vault.close()


def test_an_edit_made_after_seeing_the_other_is_no_conflict(tmp_path):
    a, b = Author(), Author()
    ops_a = [a.register(1), a.op("incident.create", ENTITY, {"fields": {"title": "x"}}, 10)]
    ops_b = [b.register(1), update(b, 20, (10, a.id), title="y")]
    vault = bare_vault(tmp_path / "v")
    vault.apply(ops_b, Origin.PEER)  # the later edit arrives first
    vault.apply(ops_a, Origin.PEER)
    assert conflicts(vault) == []
    assert vault.reads.get(ENTITY).doc["title"] == "y"
    vault.close()
