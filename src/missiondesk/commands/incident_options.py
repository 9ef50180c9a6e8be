"""Options shared by the incident and report commands: an incident's fields, and filters."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from missiondesk.commands import arguments
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.record_enums import (
    CASUALTY_GROUPS,
    CASUALTY_KINDS,
    MAX_CASUALTIES,
    IncidentStatus,
    SortKey,
)

if TYPE_CHECKING:  # the models and services load with the command: the parser stays light
    from missiondesk.domain.incident_filter import BoundingBox, IncidentFilter
    from missiondesk.services.attachments import NewAttachment
    from missiondesk.services.session import Session

GROUP_ALIASES = {
    "civ": "civilians", "civilian": "civilians", "civilians": "civilians",
    "un": "un_personnel", "un_personnel": "un_personnel",
    "nf": "national_forces", "national": "national_forces",
    "national_forces": "national_forces",
    "oth": "others", "other": "others", "others": "others",
}  # fmt: skip
FIELD_OPTIONS = {  # option dest -> incident field (text fields that pass through as typed)
    "title": "title",
    "category": "category",
    "location": "location",
    "place": "place",
    "description": "narrative",
    "perpetrators": "perpetrators",
    "action_taken": "action_taken",
    "assessment": "assessment",
    "source": "source",
    "admiralty": "admiralty",
}


def casualty_counts(text: str) -> dict[str, int]:
    """``civilians=2,un=1`` (groups: civilians/civ, un_personnel/un, national_forces/nf,
    others/oth) as counts per group."""
    counts: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        name, _, number = part.partition("=")
        group = GROUP_ALIASES.get(name.strip().lower())
        if group is None or not number.strip().isdecimal():
            raise InvalidInput(
                f"'{text}' is not a casualty count; write e.g. civilians=2,un=1,nf=0,others=0 "
                "(groups: civilians, un, nf, others)."
            )
        if int(number) > MAX_CASUALTIES:
            raise InvalidInput(f"{number.strip()} {group} is too many: at most {MAX_CASUALTIES:,}.")
        counts[group] = int(number)
    return counts


def incident_status(text: str) -> IncidentStatus:
    try:
        return IncidentStatus(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"'{text}' is not a status; use draft, submitted, verified or closed."
        ) from None


def severities(text: str) -> list[int]:
    """``3``, or a range ``3-5``."""
    low, _, high = text.partition("-")
    first = arguments.severity(low)
    last = arguments.severity(high) if high else first
    if last < first:
        raise InvalidInput(f"'{text}' is not a severity range; write it low-high, e.g. 3-5.")
    return list(range(first, last + 1))


def sort_key(text: str) -> SortKey:
    try:
        return SortKey(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"'{text}' is not a sort order; use " + ", ".join(k.value for k in SortKey) + "."
        ) from None


def add_field_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--title", required=required)
    p.add_argument(
        "--category", required=required, help="a category of the mission by name or label"
    )
    # Severity, times and sensitivity are checked by the service with the other fields, so a
    # command with several wrong values is told of them all at once.
    p.add_argument("--severity", required=required, help="1 (low) to 5")
    p.add_argument("--location", help="MGRS (36S XA 12345 67890), lat,lon or DMS")
    p.add_argument("--place", help="place name")
    p.add_argument("--description", "--narrative", dest="description", help="what happened")
    p.add_argument("--occurred", help="when, as a DTG (221530Z NOV 26)")
    p.add_argument("--reported", help="when it was reported (default now)")
    p.add_argument("--perpetrators")
    p.add_argument("--action-taken", dest="action_taken")
    p.add_argument("--assessment")
    p.add_argument("--source", help="who or what the information comes from")
    p.add_argument("--admiralty", help="source evaluation: reliability A-F + credibility 1-6, B2")
    for kind in CASUALTY_KINDS:
        p.add_argument(
            f"--{kind}",
            type=casualty_counts,
            metavar="GROUP=N,...",
            help=f"{kind} by group: civilians, un, nf (national forces), others",
        )
    p.add_argument("--related", action="append", default=[], metavar="INCIDENT",
                   help="a related incident (repeat)")  # fmt: skip
    p.add_argument("--attach", action="append", default=[], type=Path, metavar="FILE",
                   help="attach a file (repeat); kept encrypted in the vault")  # fmt: skip
    p.add_argument("--sensitivity", help="unclassified, confidential or strictly_confidential")


def field_values(
    args: argparse.Namespace, session: Session, current: dict[str, Any] | None
) -> dict[str, Any]:
    """The fields the options give (only those given), in the form the service takes."""
    values: dict[str, Any] = {}
    for option, name in FIELD_OPTIONS.items():
        value = getattr(args, option, None)
        if value is not None:
            values[name] = value
    for name in ("severity", "occurred", "reported", "sensitivity"):
        if getattr(args, name, None) is not None:
            values[name] = getattr(args, name)
    if args.related:
        values["related"] = [session.incidents.resolve_id(r) for r in args.related]
    given = {k: getattr(args, k) for k in CASUALTY_KINDS if getattr(args, k) is not None}
    if given:
        casualties = dict((current or {}).get("casualties") or {})
        for kind, counts in given.items():
            casualties[kind] = {g: counts.get(g, 0) for g in CASUALTY_GROUPS}
        values["casualties"] = casualties
    return values


def files(args: argparse.Namespace) -> list[NewAttachment]:
    from missiondesk.services.attachments import NewAttachment

    return [NewAttachment.read(path) for path in args.attach]


def add_filter_options(p: argparse.ArgumentParser, *, period_required: bool = False) -> None:
    g = p.add_argument_group("filters")
    g.add_argument("--from", dest="start", type=arguments.dtg, required=period_required,
                   metavar="DTG", help="occurred at or after (DTG or ISO 8601)")  # fmt: skip
    g.add_argument("--to", dest="end", type=arguments.dtg, required=period_required,
                   metavar="DTG", help="occurred before")  # fmt: skip
    g.add_argument("--area", type=_area, metavar="S,W,N,E",
                   help="bounding box in decimal degrees")  # fmt: skip
    g.add_argument("--grid", metavar="MGRS", help="an MGRS grid square: 38S, 38SMB, 38SMB4436")


def _area(text: str) -> BoundingBox:
    from missiondesk.domain.incident_filter import BoundingBox

    return BoundingBox.parse(text)


def add_list_filter_options(p: argparse.ArgumentParser) -> None:
    add_filter_options(p)
    g = p.add_argument_group("more filters and order")
    g.add_argument("--category", action="append", default=[], help="a category (repeat)")
    g.add_argument("--severity", action="append", default=[], type=severities,
                   help="a severity or a range like 3-5 (repeat)")  # fmt: skip
    g.add_argument("--status", action="append", default=[], type=incident_status,
                   help="draft, submitted, verified or closed (repeat)")  # fmt: skip
    g.add_argument("--text", help="words to find (full-text search)")
    g.add_argument("--sort", type=sort_key, help="occurred (default), reported, severity, "
                   "category, status or title")  # fmt: skip
    g.add_argument("--asc", action="store_true", help="oldest / lowest first")
    g.add_argument("--filter", dest="saved", metavar="NAME", help="start from a saved filter")


def filter_from(args: argparse.Namespace, session: Session) -> IncidentFilter:
    """A filter from the options, on top of a saved one if --filter names it."""
    from missiondesk.domain.incident_filter import IncidentFilter
    from missiondesk.services.records import validate_model

    base = session.incidents.saved_filter(args.saved) if getattr(args, "saved", None) else None
    values: dict[str, Any] = base.model_dump() if base else {}
    if args.start is not None:
        values["occurred_from"] = args.start
    if args.end is not None:
        values["occurred_to"] = args.end
    if args.area is not None:
        values["area"] = args.area
    if args.grid:
        values["grid"] = args.grid
    if getattr(args, "category", None):
        values["categories"] = tuple(session.incidents.taxonomy.resolve(c) for c in args.category)
    if getattr(args, "severity", None):
        values["severities"] = tuple(s for group in args.severity for s in group)
    if getattr(args, "status", None):
        values["statuses"] = tuple(args.status)
    if getattr(args, "text", None):
        values["text"] = args.text
    if getattr(args, "sort", None) is not None:
        values["sort"] = args.sort
    if getattr(args, "asc", False):
        values["descending"] = False
    return validate_model(IncidentFilter, values, "filter")
