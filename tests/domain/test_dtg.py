from datetime import UTC, datetime, timedelta, timezone

import pytest

from missiondesk.domain.dtg import format_dtg, parse_dtg
from missiondesk.domain.errors import InvalidInput


def test_format_matches_the_field_convention():
    assert format_dtg(datetime(2026, 11, 22, 15, 30, tzinfo=UTC)) == "221530Z NOV 26"


def test_local_times_are_converted_to_zulu():
    local = datetime(2026, 11, 22, 18, 30, tzinfo=timezone(timedelta(hours=3)))
    assert format_dtg(local) == "221530Z NOV 26"


@pytest.mark.parametrize("text", ["221530Z NOV 26", "221530znov26", "221530Z Nov 2026"])
def test_parse_accepts_common_spellings(text):
    assert parse_dtg(text) == datetime(2026, 11, 22, 15, 30, tzinfo=UTC)


def test_parse_accepts_iso():
    assert parse_dtg("2026-11-22T15:30:00+00:00") == datetime(2026, 11, 22, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["321530Z NOV 26", "221530Z FOO 26", "yesterday", "2215Z"])
def test_parse_refuses_nonsense_with_a_clear_message(text):
    with pytest.raises(InvalidInput):
        parse_dtg(text)
