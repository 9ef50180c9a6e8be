"""Date-time groups as officers write them: ``DDHHMMZ MON YY`` (UTC), e.g. ``221530Z NOV 26``."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from missiondesk.domain.errors import InvalidInput

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DTG_RE = re.compile(r"^\s*(\d{2})(\d{2})(\d{2})[Zz]\s*([A-Za-z]{3})\s*(\d{2}|\d{4})\s*$")


def format_dtg(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return f"{utc:%d%H%M}Z {MONTHS[utc.month - 1]} {utc:%y}"


FIRST_YEAR, LAST_YEAR = 2000, 2099  # what a DTG's two-digit year says without doubt


def parse_dtg(text: str) -> datetime:
    """Parse a DTG, or an ISO 8601 date-time (a zone is required; UTC is assumed for none),
    within the years a DTG shows unambiguously (`FIRST_YEAR`..`LAST_YEAR`)."""
    moment = _parse(text)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InvalidInput(
            f"'{text}' is outside {FIRST_YEAR}-{LAST_YEAR}, the years a date-time group can show"
        )
    return moment


def _parse(text: str) -> datetime:
    match = _DTG_RE.match(text)
    if match:
        day, hour, minute, mon, year = match.groups()
        if mon.upper() not in MONTHS:
            raise InvalidInput(f"'{text}' has an unknown month '{mon}' (use JAN..DEC)")
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
        try:
            return datetime(
                full_year,
                MONTHS.index(mon.upper()) + 1,
                int(day),
                int(hour),
                int(minute),
                tzinfo=UTC,
            )
        except ValueError:
            raise InvalidInput(f"'{text}' is not a real date and time") from None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"'{text}' is not a date-time group; write it like 221530Z NOV 26"
        ) from None
    try:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past the last date Python has
        raise InvalidInput(f"'{text}' is not a real date and time") from None
