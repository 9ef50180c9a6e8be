"""Identifiers: UUID forms written without the stdlib's uuid module, as it writes them."""

from __future__ import annotations

import os
import uuid

import pytest

from missiondesk.domain.ids import derived_id, uuid7, uuid_text


@pytest.mark.parametrize("value", [0, 1, (1 << 128) - 1, 0x0123456789ABCDEF0123456789ABCDEF])
def test_the_canonical_form_is_the_stdlibs(value: int):
    assert uuid_text(value) == str(uuid.UUID(int=value))


def test_random_values_read_back_as_the_same_uuid():
    for _ in range(200):
        value = int.from_bytes(os.urandom(16), "big")
        assert uuid.UUID(uuid_text(value)).int == value


def test_uuid7_is_version_7_and_time_ordered():
    first, second = uuid7(now_ms=1_700_000_000_000), uuid7(now_ms=1_700_000_000_001)
    parsed = uuid.UUID(first)
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert first < second
    assert int(first.replace("-", "")[:12], 16) == 1_700_000_000_000


def test_a_derived_id_is_version_8_and_a_function_of_its_parts():
    one = derived_id("alert", "missed", "p1")
    assert one == derived_id("alert", "missed", "p1") != derived_id("alert", "missed", "p2")
    parsed = uuid.UUID(one)
    assert parsed.version == 8 and parsed.variant == uuid.RFC_4122
