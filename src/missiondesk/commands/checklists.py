"""checklist library/templates/template/template-save/list/start/tick/untick/status/compliance/
late/delete."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidInput

if TYPE_CHECKING:  # loaded by the command that uses them: building the parser stays light
    from missiondesk.domain.records.checklists import ItemStatus
    from missiondesk.services.checklist_views import ChecklistDetail


def _status(text: str) -> ItemStatus:
    from missiondesk.domain.records.checklists import ItemStatus

    wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return ItemStatus(wanted)
    except ValueError:
        raise InvalidInput(
            f"'{text}' is not a checklist status; use pending, complete, complete_late or late."
        ) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("checklist", help="checklist templates, checklists and their items")
    csub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    _register_templates(csub)
    _register_work(csub)


def _register_templates(csub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lib = csub.add_parser("library", help="install the default templates (idempotent)")
    lib.set_defaults(handler=cmd_library)

    tp = csub.add_parser("templates", help="the templates of this vault (latest versions)")
    tp.add_argument("--json", action="store_true")
    tp.set_defaults(handler=cmd_templates)

    sp = csub.add_parser("template", help="one template in full (its JSON can be edited and "
                         "saved back with template-save)")  # fmt: skip
    sp.add_argument("template", help="key, name, or key@VERSION")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(handler=cmd_template)

    save = csub.add_parser("template-save", help="save a template from a JSON file: a new "
                           "template, or the next version of the one with its key")  # fmt: skip
    save.add_argument("file", type=Path)
    save.set_defaults(handler=cmd_template_save)


def _register_work(csub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lp = csub.add_parser("list", help="checklists (and/or templates), soonest due first")
    lp.add_argument("--templates", action="store_true", help="list the templates too")
    lp.add_argument("--only-templates", action="store_true", help="list only the templates")
    lp.add_argument("--outpost")
    lp.add_argument("--template", help="only checklists of this template")
    lp.add_argument("--status", type=_status, help="pending, complete, complete_late or late")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(handler=cmd_list)

    st = csub.add_parser("start", help="start a checklist from a template")
    st.add_argument("template", help="key, name, or key@VERSION")
    st.add_argument("--assignee", required=True, help="a person, team or callsign")
    st.add_argument("--outpost", help="default: this officer's outpost")
    st.add_argument("--due", required=True, type=arguments.dtg, metavar="DTG")
    st.add_argument("--title", help="default: the template's name")
    st.add_argument("--sensitivity", type=arguments.sensitivity)
    st.set_defaults(handler=cmd_start)

    tk = csub.add_parser("tick", help="mark an item done, with its value and evidence")
    tk.add_argument("checklist", help="the checklist's id (or its first characters)")
    tk.add_argument("item", help="the item's key (see status)")
    tk.add_argument("--value", help="the item's answer: yes/no, text, a number, a DTG, a choice")
    tk.add_argument("--note", help="a note (evidence where the item asks for one)")
    tk.add_argument("--photo", type=Path, metavar="FILE", help="a photo, kept in the vault")
    tk.add_argument("--sign-off", metavar="NAME", help="the name of who signs it off")
    tk.add_argument("--json", action="store_true")
    tk.set_defaults(handler=cmd_tick)

    ut = csub.add_parser("untick", help="take a tick back (its value and evidence stay)")
    ut.add_argument("checklist")
    ut.add_argument("item")
    ut.set_defaults(handler=cmd_untick)

    ss = csub.add_parser("status", help="one checklist with every item's state")
    ss.add_argument("checklist")
    ss.add_argument("--json", action="store_true")
    ss.set_defaults(handler=cmd_status)

    cp = csub.add_parser("compliance", help="per outpost and template: complete, late, pending")
    cp.add_argument("--json", action="store_true")
    cp.set_defaults(handler=cmd_compliance)

    la = csub.add_parser("late", help="checklists that turned late since a time")
    la.add_argument("--since", required=True, type=arguments.dtg, metavar="DTG")
    la.add_argument("--json", action="store_true")
    la.set_defaults(handler=cmd_late)

    dp = csub.add_parser("delete", help="remove a checklist started by mistake")
    dp.add_argument("checklist")
    dp.set_defaults(handler=cmd_delete)


def cmd_library(ctx: CommandContext) -> int:
    with ctx.session() as session:
        result = session.checklists.templates.install_library()
    if result.added:
        ctx.out(f"Installed {len(result.added)} templates: " + ", ".join(result.added) + ".")
    else:
        ctx.out("The default templates are already installed.")
    return 0


def cmd_templates(ctx: CommandContext) -> int:
    with ctx.session() as session:
        views = session.checklists.templates.list()
    if ctx.args.json:
        ctx.out_json([v.as_json() for v in views])
        return 0
    if not views:
        ctx.out("No templates yet: `missiondesk checklist library` installs the defaults.")
    for v in views:
        ctx.out(f"{v.template.key:<24} v{v.template.version:<3} {v.item_count:>3} items  "
                f"{v.template.name}")  # fmt: skip
    return 0


def cmd_template(ctx: CommandContext) -> int:
    with ctx.session() as session:
        view = session.checklists.templates.get(ctx.args.template)
    if ctx.args.json:
        ctx.out_json(view.as_json(full=True)["template"])
        return 0
    from missiondesk.domain.checklist_values import describe

    t = view.template
    ctx.out(f"{t.name}  ({t.key}, version {t.version}; versions here: "
            f"{', '.join(map(str, view.versions))})")  # fmt: skip
    if t.description:
        ctx.out(f"  {t.description}")
    for section in t.sections:
        ctx.out(f"\n  {section.title}")
        for item in section.items:
            extra = f"; evidence: {item.evidence.value}" if item.evidence.value != "none" else ""
            ctx.out(f"    {item.key:<16} {item.label}  [{describe(item)}{extra}]")
    return 0


def cmd_template_save(ctx: CommandContext) -> int:
    path: Path = ctx.args.file
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path.name} cannot be read ({type(exc).__name__}).") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path.name} is not JSON (line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise InvalidInput(f"{path.name} is nested deeper than any template.") from None
    if not isinstance(values, dict):
        raise InvalidInput(f"{path.name} holds no template (a JSON object is expected).")
    with ctx.session() as session:
        view = session.checklists.templates.save(values)
    ctx.out(f"Template {view.template.key} is at version {view.template.version} ({view.id}).")
    return 0


def cmd_list(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        templates = session.checklists.templates.list() if a.templates or a.only_templates else None
        lines = (
            None
            if a.only_templates
            else session.checklists.lines(outpost=a.outpost, template=a.template, status=a.status)
        )
    if a.json:
        result: dict[str, Any] = {}
        if templates is not None:
            result["templates"] = [v.as_json() for v in templates]
        if lines is not None:
            result["checklists"] = [line.as_json() for line in lines]
        ctx.out_json(result)
        return 0
    if templates is not None:
        ctx.out("Templates:")
        for v in templates:
            ctx.out(f"  {v.template.key:<24} v{v.template.version:<3} {v.template.name}")
    if lines is not None:
        if templates is not None:
            ctx.out("Checklists:")
        if not lines:
            ctx.out("  No checklists." if templates is not None else "No checklists.")
        for line in lines:
            ctx.out(f"{line.id}  {line.status.label:<15} {line.done:>3}/{line.total:<3} "
                    f"due {format_dtg(line.due)}  {line.title} — {line.assignee}"
                    f"{' @ ' + line.outpost if line.outpost else ''}")  # fmt: skip
    return 0


def cmd_start(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        checklist_id = session.checklists.start(
            a.template,
            assignee=a.assignee,
            outpost=a.outpost,
            due=a.due,
            title=a.title,
            sensitivity=a.sensitivity,
        )
    ctx.out(f"Checklist {checklist_id} started, due {format_dtg(a.due)}.")
    return 0


def cmd_tick(ctx: CommandContext) -> int:
    from missiondesk.services.attachments import NewAttachment

    a = ctx.args
    photo = NewAttachment.read(a.photo) if a.photo is not None else None
    with ctx.session() as session:
        checklist_id = session.checklists.resolve_id(a.checklist)
        view = session.checklists.tick(
            checklist_id, a.item, value=a.value, note=a.note, photo=photo, sign_off=a.sign_off
        )
    if a.json:
        ctx.out_json(view.as_json())
        return 0
    value = f" = {view.shown_value}" if view.shown_value else ""
    ctx.out(f"{view.key}{value}: {view.status.label}.")
    return 0


def cmd_untick(ctx: CommandContext) -> int:
    with ctx.session() as session:
        checklist_id = session.checklists.resolve_id(ctx.args.checklist)
        view = session.checklists.untick(checklist_id, ctx.args.item)
    ctx.out(f"{view.key}: {view.status.label} (not ticked).")
    return 0


def _print_detail(ctx: CommandContext, detail: ChecklistDetail) -> None:
    c = detail.checklist
    ctx.out(f"Checklist {detail.id}  [{detail.status.label.upper()}]  "
            f"({c.sensitivity.label})")  # fmt: skip
    ctx.out(f"  {c.title}  ({c.template_name}, version {c.template_version})")
    ctx.out(f"  Assigned to {c.assignee}{' at ' + c.outpost if c.outpost else ''}; "
            f"started {format_dtg(c.started)}, due {format_dtg(c.due)}; "
            f"{detail.done} of {len(detail.items)} done")  # fmt: skip
    section = None
    for item in detail.items:
        if item.section != section:
            section = item.section
            ctx.out(f"\n  {section}")
        mark = "x" if item.completed_at else " "
        ctx.out(f"  [{mark}] {item.key:<16} {item.spec.label}  — {item.status.label}")
        said = []
        if item.shown_value:
            said.append(item.shown_value)
        if item.note:
            said.append(f"note: {item.note}")
        if item.photo_id:
            said.append(f"photo: {item.photo.name if item.photo else 'not arrived yet'}")
        if item.sign_off:
            said.append(f"signed off by {item.sign_off}")
        if item.completed_at:
            said.append(f"by {item.completed_by} at {format_dtg(item.completed_at)}")
        elif item.ticked and item.missing:
            said.append("ticked, lacks " + ", ".join(item.missing))
        else:
            said.append(f"due {format_dtg(item.due)}")
        ctx.out("        " + "; ".join(said))


def cmd_status(ctx: CommandContext) -> int:
    with ctx.session() as session:
        checklist_id = session.checklists.resolve_id(ctx.args.checklist)
        detail = session.checklists.detail(checklist_id)
    if ctx.args.json:
        ctx.out_json(detail.as_json())
    else:
        _print_detail(ctx, detail)
    return 0


def cmd_compliance(ctx: CommandContext) -> int:
    with ctx.session() as session:
        rows = session.checklists.compliance()
    if ctx.args.json:
        ctx.out_json([r.as_json() for r in rows])
        return 0
    if not rows:
        ctx.out("No checklists.")
        return 0
    ctx.out(f"{'Outpost':<20} {'Template':<34} {'Done':>5} {'Late':>5} {'Done late':>9} "
            f"{'Pending':>7}")  # fmt: skip
    for r in rows:
        ctx.out(f"{(r.outpost or '-')[:20]:<20} {r.template_name[:34]:<34} {r.complete:>5} "
                f"{r.late:>5} {r.complete_late:>9} {r.pending:>7}")  # fmt: skip
    return 0


def cmd_late(ctx: CommandContext) -> int:
    with ctx.session() as session:
        late = session.checklists.turned_late(ctx.args.since)
    if ctx.args.json:
        ctx.out_json([x.as_json() for x in late])
        return 0
    if not late:
        ctx.out(f"No checklist turned late since {format_dtg(ctx.args.since)}.")
    for x in late:
        where = f" @ {x.outpost}" if x.outpost else ""
        ctx.out(f"{x.id}  late since {format_dtg(x.late_at)}  {x.title} — {x.assignee}{where}")
    return 0


def cmd_delete(ctx: CommandContext) -> int:
    with ctx.session() as session:
        checklist_id = session.checklists.resolve_id(ctx.args.checklist)
        session.checklists.delete(checklist_id)
    ctx.out(f"Checklist {checklist_id} deleted.")
    return 0
