"""incident add/update/status/show/list/export/categories/filters."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.commands.incident_options import (
    add_field_options,
    add_list_filter_options,
    field_values,
    files,
    filter_from,
    incident_status,
)
from missiondesk.commands.terminal_text import one_line
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.record_enums import DEFAULT_CATEGORIES

if TYPE_CHECKING:
    from missiondesk.services.session import Session


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("incident", help="log, change, list and export incidents")
    isub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    ap = isub.add_parser(
        "add",
        help="log an incident (a draft until submitted)",
        epilog="default categories: " + ", ".join(DEFAULT_CATEGORIES),
    )
    add_field_options(ap, required=True)
    ap.add_argument("--submit", action="store_true", help="submit it at once")
    ap.set_defaults(handler=cmd_incident_add)

    up = isub.add_parser("update", help="change fields of a draft or submitted incident")
    up.add_argument("incident", help="the incident's id (or its first characters)")
    add_field_options(up, required=False)
    up.set_defaults(handler=cmd_incident_update)

    sp = isub.add_parser("status", help="move an incident through its workflow")
    sp.add_argument("incident")
    sp.add_argument("--to", required=True, type=incident_status, dest="target",
                    help="submitted, verified, closed, or draft (back for rework)")  # fmt: skip
    sp.add_argument("--reason", default="", help="why (required for a step back)")
    sp.set_defaults(handler=cmd_incident_status)

    shp = isub.add_parser("show", help="one incident in full, with its history")
    shp.add_argument("incident")
    shp.add_argument("--json", action="store_true")
    shp.set_defaults(handler=cmd_incident_show)

    lp = isub.add_parser("list", help="list incidents, filtered and sorted")
    add_list_filter_options(lp)
    lp.add_argument("--limit", type=arguments.positive, default=200)
    lp.add_argument("--offset", type=arguments.count, default=0)
    lp.add_argument("--counts", action="store_true", help="also print the counts by category "
                    "and severity")  # fmt: skip
    lp.add_argument("--save-filter", metavar="NAME", help="keep these filters under a name")
    lp.add_argument("--json", action="store_true", help="machine-readable output")
    lp.set_defaults(handler=cmd_incident_list)

    ep = isub.add_parser("export", help="write incidents to CSV or GeoJSON (audited)")
    ep.add_argument("--format", required=True, choices=("csv", "geojson"), type=str.lower)
    ep.add_argument("--out", required=True, type=arguments.out_file, metavar="FILE")
    ep.add_argument("--hxl", action="store_true", help="CSV: add an HXL hashtag row")
    ep.add_argument("--strip-personal", action="store_true",
                    help="leave out names and free text (see docs/incidents.md)")  # fmt: skip
    add_list_filter_options(ep)
    ep.set_defaults(handler=cmd_incident_export)

    cp = isub.add_parser("categories", help="the mission's incident categories")
    change = cp.add_mutually_exclusive_group()  # one change at a time, never one dropped
    change.add_argument("--add", nargs=2, metavar=("SLUG", "LABEL"), help="add a category")
    change.add_argument("--retire", metavar="SLUG", help="take a category out of use")
    cp.add_argument("--json", action="store_true")
    cp.set_defaults(handler=cmd_incident_categories)

    fp = isub.add_parser("filters", help="saved filters of this laptop")
    fp.add_argument("--delete", metavar="NAME")
    fp.add_argument("--json", action="store_true")
    fp.set_defaults(handler=cmd_incident_filters)


def cmd_incident_add(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        values = field_values(a, session, None)
        values.setdefault("occurred", datetime.now(UTC))
        incident_id = session.incidents.create(values, files(a))
        if a.submit:
            session.incidents.submit(incident_id)
    ctx.out(f"Incident {incident_id} logged ({'submitted' if a.submit else 'draft'}).")
    return 0


def cmd_incident_update(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        incident_id = session.incidents.resolve_id(a.incident)
        current = session.incidents.get(incident_id).fields
        values = field_values(a, session, current)
        if not values and not a.attach:
            ctx.out("Nothing to change: give the fields to set (see --help).")
            return 0
        detail = session.incidents.update(incident_id, values, files(a))
    ctx.out(f"Incident {incident_id} updated ({detail.status.value}).")
    return 0


def cmd_incident_status(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        incident_id = session.incidents.resolve_id(a.incident)
        step = session.incidents.transition(incident_id, a.target, a.reason)
    ctx.out(
        f"Incident {incident_id}: {step.source.value} -> {step.target.value} "
        f"by {step.by} at {format_dtg(step.at)}."
    )
    return 0


def _show_value(value: Any) -> str:
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def cmd_incident_show(ctx: CommandContext) -> int:
    with ctx.session() as session:
        incident_id = session.incidents.resolve_id(ctx.args.incident)
        detail = session.incidents.get(incident_id)
    if ctx.args.json:
        ctx.out_json(detail.as_json())
        return 0
    f = detail.fields
    incident = detail.incident
    ctx.out(f"Incident {detail.id}  [{detail.status.value.upper()}]  "
            f"({str(f.get('sensitivity', 'unclassified')).replace('_', ' ').upper()})")  # fmt: skip
    ctx.out(f"  Title:       {f.get('title', '-')}")
    ctx.out(f"  Category:    {detail.category_label or '-'}")
    ctx.out(f"  Severity:    {f.get('severity', '-')}")
    if incident is not None:
        ctx.out(f"  Occurred:    {format_dtg(incident.occurred)}")
        ctx.out(f"  Reported:    {format_dtg(incident.reported)} by {incident.reporting_officer}")
        loc = incident.location
        where = f"{loc.mgrs or f'{loc.lat}, {loc.lon}'} {loc.place}".strip() if loc else "-"
        ctx.out(f"  Location:    {where}")
        c = incident.casualties
        for kind in ("killed", "injured", "missing"):
            n = getattr(c, kind)
            ctx.out(
                f"  {kind.capitalize() + ':':<12} {n.total} (civilians {n.civilians}, UN "
                f"{n.un_personnel}, national forces {n.national_forces}, others {n.others})"
            )
        if incident.source_reliability:
            code = f"{incident.source_reliability}{incident.source_credibility}"
            ctx.out(f"  Source:      {incident.source} ({code})")
    else:
        ctx.out("  Draft, missing: " + ", ".join(detail.missing))
    for name in ("perpetrators", "narrative", "action_taken", "assessment"):
        if f.get(name):
            ctx.out(f"  {name.replace('_', ' ').capitalize()}: {_show_value(f[name])}")
    for info in detail.attachments:
        ctx.out(f"  Attachment:  {info.name} ({info.mime}, {info.size_text}) id {info.id}")
    for related in f.get("related", ()):
        ctx.out(f"  Related:     {related}")
    ctx.out("  History:" if detail.history else "  History:     none yet (a draft)")
    for t in detail.history:
        role = f", {t.role.value}" if t.role else ""
        reason = f": {t.reason}" if t.reason else ""
        ctx.out(f"    {format_dtg(t.at)}  {t.source.value} -> {t.target.value}  "
                f"by {t.by}{role}{reason}")  # fmt: skip
    if detail.next_steps:
        ctx.out("  Next steps:  " + ", ".join(s.value for s in detail.next_steps))
    return 0


def cmd_incident_list(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        spec = filter_from(a, session)
        if a.save_filter is not None:  # "" is refused there, not ignored
            session.incidents.save_filter(a.save_filter, spec)
        page = session.incidents.page(spec, offset=max(0, a.offset), limit=min(a.limit, 10_000))
        labels = session.incidents.taxonomy.labels()
        records = [_record_json(session, r.id, labels) for r in page.rows] if a.json else []
    if a.json and not a.counts:
        ctx.out_json(records)
        return 0
    if a.json:
        ctx.out_json(
            {
                "total": page.total,
                "offset": page.offset,
                "rows": records,
                "counts": {
                    "by_category": page.counts.category_totals,
                    "by_severity": {str(k): v for k, v in page.counts.severity_totals.items()},
                    "days": [d.isoformat() for d in page.counts.days],
                    "per_day_by_category": page.counts.by_category,
                    "per_day_by_severity": {str(k): v for k, v in page.counts.by_severity.items()},
                    "undated": page.counts.undated,
                },
            }
        )
        return 0
    for r in page.rows:
        when = format_dtg(datetime.fromtimestamp(r.occurred, UTC)) if r.occurred else "-"
        ctx.out(
            f"{when:<15} SEV {r.severity or '-'}  {r.category:<20} {r.mgrs or '-':<20} "
            f"{r.status.value:<9} {one_line(r.title)}  [{r.id}]"
        )
    if not page.rows:
        ctx.out("No incidents." if not page.total else "No incidents on this page.")
    elif page.total > len(page.rows):
        end = page.offset + len(page.rows)
        more = f" (--offset {end} for more)" if end < page.total else ""
        ctx.out(f"{page.offset + 1}-{end} of {page.total} incidents{more}.")
    if a.counts:
        ctx.out("By category: " + ", ".join(
            f"{labels.get(k, k or '(none)')} {v}"
            for k, v in sorted(page.counts.category_totals.items(), key=lambda kv: -kv[1])
        ))  # fmt: skip
        ctx.out("By severity: " + ", ".join(
            f"{k}: {v}" for k, v in sorted(page.counts.severity_totals.items(), reverse=True)
        ))  # fmt: skip
    if a.save_filter is not None:
        ctx.out(f"Filter saved as '{a.save_filter}'.")
    return 0


def _record_json(session: Session, incident_id: str, labels: dict[str, str]) -> dict[str, Any]:
    """Every stored field of an incident, plus its id, DTG of occurrence and category label."""
    from missiondesk.domain.records.incidents import Incident

    data = dict(session.records.stored(Incident, incident_id).doc)
    try:
        data["occurred_dtg"] = format_dtg(datetime.fromisoformat(str(data.get("occurred"))))
    except ValueError:
        data["occurred_dtg"] = None
    data["id"] = incident_id
    data["category_label"] = labels.get(str(data.get("category", "")), data.get("category"))
    data.setdefault("status", "draft")
    return data


def cmd_incident_export(ctx: CommandContext) -> int:
    from missiondesk.services.incident_exports import ExportFormat

    a = ctx.args
    with ctx.session() as session:
        spec = filter_from(a, session)
        result = session.exports.export(
            ExportFormat(a.format), spec, a.out, hxl=a.hxl, strip_personal=a.strip_personal
        )
    stripped = ", personal data left out" if result.stripped else ""
    ctx.out(
        f"Wrote {result.count} incidents to {result.path} ({result.format.value}, "
        f"{result.size} bytes{stripped}). The file is NOT encrypted; it is marked "
        f"{result.sensitivity.label}. The export is recorded in the audit log."
    )
    return 0


def cmd_incident_categories(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        if a.add:
            current = session.incidents.add_category(a.add[0], a.add[1])
        elif a.retire:
            current = session.incidents.retire_category(a.retire)
        else:
            current = session.incidents.taxonomy.current()
    if a.json:
        ctx.out_json(current.model_dump(mode="json"))
        return 0
    for category in current.categories:
        retired = " (retired)" if category.retired else ""
        ctx.out(f"{category.slug:<24} {category.label}{retired}")
    return 0


def cmd_incident_filters(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        if a.delete:
            session.incidents.delete_filter(a.delete)
            ctx.out(f"Filter '{a.delete}' deleted.")
            return 0
        saved = session.incidents.saved_filters()
    if a.json:
        ctx.out_json({name: spec.model_dump(mode="json") for name, spec in saved.items()})
        return 0
    for name, spec in saved.items():
        given = spec.model_dump(mode="json", exclude_defaults=True)
        ctx.out(f"{name}: {given or 'everything'}")
    if not saved:
        ctx.out("No saved filters.")
    return 0
