"""Shared by the incident benchmarks: a vault filled with incidents through the one road.

Incidents are written as `incident.create` operations by `session.writer.submit_many`, 1,000 a
transaction (signed, folded, projected into `incident_rows` and indexed for search, as the app
writes them), with documents shaped as `Incident(...).model_dump(mode="json")`: a year of
occurrences, the default categories, severities 1-5, every status, points in four 100 km MGRS
squares around 33.3 N 44.4 E (and a few without a location), casualties on one in five, and a
narrative of 8-20 words.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import WORDS
from missiondesk.crypto.keywrap import KdfParams
from missiondesk.domain.coordinates import Location, to_mgrs
from missiondesk.domain.ids import uuid7
from missiondesk.domain.records.incidents import DEFAULT_CATEGORIES, Incident
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault

PASSPHRASE = "correct horse battery staple"
SETUP_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)  # setup speed; not measured
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
STATUSES = ("draft", "submitted", "submitted", "verified", "verified", "verified", "closed")


def new_vault(folder: Path) -> Session:
    return create_vault(
        folder / "vault", PASSPHRASE, name="Bench Officer", callsign="BENCH-1", kdf=SETUP_KDF
    )


def _points(rng: random.Random, count: int) -> list[dict[str, Any]]:
    points = []
    for _ in range(count):
        lat, lon = 32.6 + rng.random() * 1.6, 43.8 + rng.random() * 1.6
        points.append(
            Location(lat=round(lat, 6), lon=round(lon, 6), mgrs=to_mgrs(lat, lon)).model_dump()
        )
    return points


def fill(session: Session, count: int, seed: int = 11, days: int = 365) -> None:
    rng = random.Random(seed)
    template = Incident(
        title="x", category="other", severity=1, occurred=YEAR_START, reported=YEAR_START
    ).model_dump(mode="json")
    points = _points(rng, 2_000)
    categories = list(DEFAULT_CATEGORIES)
    batch: list[tuple[str, str, dict[str, Any]]] = []
    for i in range(count):
        occurred = YEAR_START + timedelta(seconds=rng.randrange(days * 86_400))
        doc = dict(template)
        doc.update(
            title=" ".join(rng.choices(WORDS, k=rng.randint(3, 7))).capitalize(),
            category=rng.choice(categories),
            severity=rng.choices((1, 2, 3, 4, 5), (30, 30, 20, 12, 8))[0],
            occurred=occurred.isoformat().replace("+00:00", "Z"),
            reported=(occurred + timedelta(minutes=rng.randint(5, 600)))
            .isoformat()
            .replace("+00:00", "Z"),
            status=rng.choice(STATUSES),
            location=rng.choice(points) if rng.random() > 0.02 else None,
            narrative=" ".join(rng.choices(WORDS, k=rng.randint(8, 20))),
            reporting_officer="BENCH-1",
        )
        if rng.random() < 0.2:
            doc["casualties"] = {
                "killed": {"civilians": rng.randint(0, 2), "un_personnel": 0,
                           "national_forces": rng.randint(0, 1), "others": 0},
                "injured": {"civilians": rng.randint(0, 4), "un_personnel": rng.randint(0, 1),
                            "national_forces": 0, "others": 0},
                "missing": {"civilians": 0, "un_personnel": 0, "national_forces": 0,
                            "others": rng.randint(0, 1)},
            }  # fmt: skip
        batch.append(("incident.create", uuid7(), {"fields": doc}))
        if len(batch) == 1_000 or i == count - 1:
            session.writer.submit_many(batch)
            batch = []
