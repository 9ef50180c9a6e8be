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


@pytest.mark.parametrize(
    "text",
    ["0001-01-01T00:00Z", "1999-12-31T23:59Z", "2100-01-01T00:00Z", "9999-12-31T23:00-05:00"],
)
def test_dates_a_dtg_cannot_show_unambiguously_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_dtg(text)


def test_the_years_a_dtg_shows_are_accepted():
    assert parse_dtg("2000-01-01T00:00Z").year == 2000
    assert parse_dtg("312359Z DEC 99").year == 2099
