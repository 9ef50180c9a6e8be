import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missiondesk.domain.changeset import Origin
from missiondesk.store.errors import ChainError, Equivocation
from tests.opfactory import Author, bare_vault, state_of

INCIDENT = "01a20105-0000-7000-8000-000000000001"


def scenario() -> list[list]:
    """Three devices editing the same records concurrently; per-author chains."""
    a, b, c = Author(), Author(), Author()
    chains = [[a.register(1)], [b.register(1)], [c.register(1)]]
    chains[0] += [
        # the same well-known record created on two laptops with the same values
        a.set("channel", "channel-general", 7, "create", name="general", kind="mission"),
        a.set("incident", INCIDENT, 10, "create", title="Shots", severity=2, category="fire"),
        a.set("incident", INCIDENT, 30, title="Shots fired"),
        a.set("message", "m1", 11, "create", channel="ch", text="first", precedence="flash"),
    ]
    chains[1] += [
        b.set("channel", "channel-general", 3, "create", name="general", kind="mission"),
        b.set("incident", INCIDENT, 20, severity=4),
        b.set("incident", INCIDENT, 25, title="Gunfire"),
        b.op("message.ack", "m1", {}, 40),
    ]
    chains[2] += [
        c.set("incident", INCIDENT, 20, severity=5),  # same hlc as b: author id breaks the tie
        c.op("incident.delete", "i2", {}, 5),  # a tombstone before the record exists
        c.set("incident", "i2", 6, "create", title="Later"),
    ]
    return chains


def interleave(chains: list[list], rng: random.Random) -> list:
    """A random merge of the chains that keeps each author's own order."""
    queues = [list(ch) for ch in chains]
    out = []
    while any(queues):
        q = rng.choice([q for q in queues if q])
        out.append(q.pop(0))
    return out


def test_apply_twice_changes_nothing(tmp_path):
    vault = bare_vault(tmp_path / "v")
    ops = list(itertools.chain(*scenario()))
    first = vault.apply(ops, Origin.PEER)
    before = state_of(vault)
    again = vault.apply(ops, Origin.PEER)
    assert len(first.applied) == len(ops) and first.duplicates == 0
    assert again.is_empty and again.duplicates == len(ops)
    assert state_of(vault) == before
    assert vault.oplog.count() == len(ops)
    vault.close()


def test_any_order_across_authors_gives_the_same_state(tmp_path):
    chains = scenario()
    states = []
    for i, order in enumerate(itertools.permutations(range(3))):
        vault = bare_vault(tmp_path / f"v{i}")
        for author_index in order:  # one author's whole chain at a time
            vault.apply(chains[author_index], Origin.PEER)
        states.append(state_of(vault))
        vault.close()
    assert all(s == states[0] for s in states)


def test_last_writer_wins_per_field_by_hlc_then_author(tmp_path):
    chains = scenario()
    vault = bare_vault(tmp_path / "v")
    for chain in chains:
        vault.apply(chain, Origin.PEER)
    doc = vault.reads.get(INCIDENT).doc
    assert doc["title"] == "Shots fired"  # a's hlc 30 beats b's 25
    b_id, c_id = chains[1][0].op.author, chains[2][0].op.author
    assert doc["severity"] == (4 if b_id > c_id else 5)  # tie at hlc 20: larger author id wins
    assert doc["category"] == "fire"  # untouched fields survive others' edits
    assert vault.reads.get("i2").deleted  # the tombstone wins even though it arrived first
    assert vault.reads.acknowledgements("m1") == {b_id: 40}
    vault.close()


def test_search_index_follows_the_merged_record(tmp_path):
    vault = bare_vault(tmp_path / "v")
    for chain in scenario():
        vault.apply(chain, Origin.PEER)
    assert [h.id for h in vault.reads.search("fired")] == [INCIDENT]
    assert vault.reads.search("gunfire") == []  # the losing title is not indexed
    assert vault.reads.search("later") == []  # deleted records leave the index
    assert [h.id for h in vault.reads.search("first")] == ["m1"]
    vault.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32), dupes=st.integers(0, 5))
def test_random_interleavings_and_duplicates_converge(tmp_path_factory, seed, dupes):
    rng = random.Random(seed)
    chains = scenario()
    reference = bare_vault(tmp_path_factory.mktemp("ref"))
    for chain in chains:
        reference.apply(chain, Origin.PEER)
    expected = state_of(reference)
    reference.close()
    ops = interleave(chains, rng)
    for _ in range(dupes):  # replay a random prefix: already-applied ops arrive again
        k = rng.randrange(len(ops))
        ops = ops[: k + 1] + ops[: rng.randrange(k + 1) + 1] + ops[k + 1 :]
    vault = bare_vault(tmp_path_factory.mktemp("v"))
    for op in ops:
        vault.apply([op], Origin.PEER)
    assert state_of(vault) == expected
    vault.close()


def test_gap_in_an_authors_chain_is_refused_and_changes_nothing(tmp_path):
    a = Author()
    ops = [
        a.register(),
        a.set("channel", "c1", 2, "create", name="ops"),
        a.set("channel", "c1", 3, name="ops-2"),
    ]
    vault = bare_vault(tmp_path / "v")
    vault.apply(ops[:1], Origin.PEER)
    with pytest.raises(ChainError, match="arrived before"):
        vault.apply([ops[2]], Origin.PEER)
    assert vault.oplog.count() == 1 and vault.reads.get("c1") is None
    vault.close()


def test_broken_link_is_refused(tmp_path):
    a = Author()
    first = a.register()
    a.prev = "0" * 64  # the next op names a predecessor that is not the stored one
    bad = a.set("channel", "c1", 2, "create", name="ops")
    vault = bare_vault(tmp_path / "v")
    vault.apply([first], Origin.PEER)
    with pytest.raises(ChainError, match="does not follow"):
        vault.apply([bad], Origin.PEER)
    vault.close()


def test_equivocation_is_refused_and_flagged(tmp_path):
    a = Author()
    first = a.register()
    one = a.set("channel", "c1", 2, "create", name="ops")
    a.seq, a.prev = 1, first.op_id.hex()  # a cloned laptop signs another op 2
    clone = a.set("channel", "c2", 2, "create", name="other")
    vault = bare_vault(tmp_path / "v")
    vault.apply([first, one], Origin.PEER)
    with pytest.raises(Equivocation, match="cloned"):
        vault.apply([clone], Origin.PEER)
    assert vault.reads.get("c2") is None
    assert [f[0] for f in vault.flags()] == ["equivocation"]
    vault.close()


def test_a_batch_with_a_bad_op_is_applied_all_or_nothing(tmp_path):
    a = Author()
    good = [a.register(), a.set("channel", "c1", 2, "create", name="ops")]
    a.seq += 1  # skip a sequence number
    gap = a.set("channel", "c3", 4, "create", name="x")
    vault = bare_vault(tmp_path / "v")
    with pytest.raises(ChainError):
        vault.apply([*good, gap], Origin.PEER)
    assert vault.oplog.count() == 0
    vault.close()
