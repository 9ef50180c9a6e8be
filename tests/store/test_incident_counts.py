"""The chart counts kept by triggers (`incident_counts`, schema 7) answer every filter they can
exactly as grouping the projection's rows does, after creations, edits that move an incident to
another day, category, severity or status, drafts without a time or severity, and deletions;
and the migration that adds them counts the incidents already there."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from missiondesk.domain.incident_filter import CountsBy, IncidentFilter
from missiondesk.domain.records.incidents import Incident, IncidentStatus
from missiondesk.services.vault_access import create_vault, unlock_vault
from missiondesk.store.incident_counts import answerable, whole_days
from missiondesk.store.incident_reads import IncidentReads
from tests.conftest import FAST_KDF, PASSPHRASE

START = datetime(2026, 3, 1, tzinfo=UTC)
CATEGORIES = ("armed_clash", "crime", "civil_unrest", "natural_hazard")


def by_rows(session, spec, by=None):
    """The counts of `spec` grouped from the rows, never from incident_counts."""
    rows = IncidentReads(session.vault.conn, enabled=True, search=True, summary=False)
    return rows.counts(spec, by)


def same(found, expected):
    def norm(raw):
        return sorted(
            (r[0] is None, r[0] or 0, r[1] or "", *(int(v or 0) for v in r[2:])) for r in raw
        )

    return norm(found) == norm(expected)


def filters(rng):
    yield IncidentFilter()
    yield IncidentFilter(severities=(4, 5))
    yield IncidentFilter(statuses=(IncidentStatus.SUBMITTED, IncidentStatus.CLOSED))
    yield IncidentFilter(categories=("crime", "natural_hazard"), severities=(1,))
    for _ in range(30):  # periods that start and end anywhere in a day, or on midnight
        start = START + timedelta(minutes=rng.randrange(0, 20 * 24 * 60))
        if rng.random() < 0.3:
            start = start.replace(hour=0, minute=0)
        end = start + timedelta(minutes=rng.choice((30, 600, 1440, 4000, 20_000)))
        yield IncidentFilter(
            occurred_from=start if rng.random() < 0.8 else None,
            occurred_to=end if rng.random() < 0.8 else None,
            severities=tuple(sorted(rng.sample(range(1, 6), rng.randint(0, 3)))),
            statuses=tuple(rng.sample(list(IncidentStatus), rng.randint(0, 2))),
            categories=tuple(rng.sample(CATEGORIES, rng.randint(0, 2))),
        )


def log_and_edit(session, rng):
    """120 incidents (every tenth a draft with no time or severity), then edits that move some
    in time, category and severity, submissions, and 15 deletions; (ids, deleted)."""
    ids = []
    for i in range(120):
        fields = {
            "title": f"Incident {i}",
            "category": rng.choice(CATEGORIES),
            "severity": rng.randint(1, 5),
            "occurred": START + timedelta(minutes=rng.randrange(0, 20 * 24 * 60)),
            "location": "38S MB 44845 36965",
        }
        if i % 10 == 0:  # a draft with no time and no severity yet
            ids.append(session.incidents.save_draft({"title": f"Draft {i}"}))
        else:
            ids.append(session.incidents.create(fields))
    for incident_id in rng.sample(ids[1:], 40):  # moved in time, category, severity
        if incident_id in ids[::10]:
            continue
        session.incidents.update(
            incident_id,
            {
                "category": rng.choice(CATEGORIES),
                "severity": rng.randint(1, 5),
                "occurred": START + timedelta(minutes=rng.randrange(0, 20 * 24 * 60)),
            },
        )
    for incident_id in ids[1:40]:
        if incident_id not in ids[::10]:
            session.incidents.submit(incident_id)
    deleted = set(rng.sample(ids, 15))
    for incident_id in deleted:
        session.records.delete(Incident, incident_id)
    return ids, deleted


def test_kept_counts_equal_the_rows_grouped_after_every_kind_of_change(session):
    rng = random.Random(7)
    ids, deleted = log_and_edit(session, rng)

    reads = session.vault.incidents
    checked = 0
    for spec in filters(rng):
        assert answerable(spec)
        for by in (None, CountsBy.CATEGORY, CountsBy.SEVERITY):
            assert same(reads.counts(spec, by), by_rows(session, spec, by)), (spec, by)
        checked += 1
    assert checked == 34
    everything = session.incidents.page(IncidentFilter())
    drafts_left = len(set(ids[::10]) - deleted)
    assert everything.total == 105 and everything.counts.undated == drafts_left > 0
    for by in CountsBy:  # one series only: the same total, the other series left empty
        one = session.incidents.page(IncidentFilter(), counts_by=by).counts
        assert one.total == 105 and one.undated == drafts_left
        if by is CountsBy.CATEGORY:
            assert one.by_category == everything.counts.by_category and not one.by_severity
        else:
            assert one.by_severity == everything.counts.by_severity and not one.by_category


def test_filters_the_kept_counts_cannot_answer_group_the_rows(session):
    assert not answerable(IncidentFilter(text="convoy"))
    assert not answerable(IncidentFilter(grid="38SMB"))
    session.incidents.create(
        {
            "title": "Convoy stopped",
            "category": "crime",
            "severity": 2,
            "occurred": START,
            "location": "38S MB 44845 36965",
            "narrative": "convoy stopped at the bridge",
        }
    )
    session.incidents.create(
        {"title": "Market fight", "category": "crime", "severity": 3, "occurred": START}
    )
    assert session.incidents.page(IncidentFilter(text="convoy")).total == 1
    assert session.incidents.page(IncidentFilter()).total == 2


def test_whole_days_and_the_partial_days_at_the_edges():
    day = 86_400
    assert whole_days(None, None) == (None, None, [])
    assert whole_days(10 * day, 12 * day) == (10, 11, [])  # midnight to midnight: no edges
    assert whole_days(10 * day + 5, 12 * day + 7) == (11, 11, [10, 12])
    assert whole_days(10 * day + 5, 10 * day + 9) == (11, 9, [10])  # inside one day
    assert whole_days(10 * day + 9, 10 * day + 5) == (11, 9, [])  # an empty period


def test_migration_7_counts_the_incidents_already_there(tmp_path):
    path = tmp_path / "v6"
    old = create_vault(path, PASSPHRASE, name="Anna", callsign="A-1", kdf=FAST_KDF, schema_target=6)
    for n, category in enumerate(("crime", "crime", "civil_unrest")):
        old.incidents.create(
            {"title": f"Incident {n}", "category": category, "severity": n + 1, "occurred": START}
        )
    old.incidents.save_draft({"title": "Undated draft"})
    old.close()
    again = unlock_vault(path, PASSPHRASE)
    try:
        assert again.vault.schema_version >= 7
        assert len(list((path / "backups").glob("vault-v6-*.db"))) == 1
        counts = again.incidents.page(IncidentFilter()).counts
        assert counts.category_totals == {"crime": 2, "civil_unrest": 1, "": 1}
        assert counts.severity_totals == {1: 1, 2: 1, 3: 1} and counts.undated == 1
        spec = IncidentFilter(severities=(2, 3))
        assert same(again.vault.incidents.counts(spec), by_rows(again, spec))
    finally:
        again.close()
