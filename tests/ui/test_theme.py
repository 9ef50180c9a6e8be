"""The themes: Fusion everywhere, its light palette written out, the app's own marks on it."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyleFactory

from missiondesk.ui.theme import MUTED, fusion_light_palette, light_palette
from tests.fresh_python import run_fresh

GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)
ROLES = [r for r in QPalette.ColorRole if r not in (QPalette.ColorRole.NoRole,
                                                   QPalette.ColorRole.NColorRoles)]  # fmt: skip


def colours(palette: QPalette) -> dict[tuple[str, str], str]:
    return {
        (g.name, r.name): palette.color(g, r).name(QColor.NameFormat.HexArgb)
        for g in GROUPS
        for r in ROLES
    }


def test_the_written_out_palette_is_fusions_own_light_one(qapp):
    """The light palette is written out (Fusion gives its dark one on a dark desktop, and asking
    for it costs the start ~13 ms); it must stay what Fusion draws with."""
    fusion = QStyleFactory.create("Fusion").standardPalette()
    assert colours(fusion_light_palette()) == colours(fusion)


def test_the_light_theme_marks_only_the_apps_own_roles(qapp):
    ours, fusion = colours(light_palette()), colours(fusion_light_palette())
    changed = {role for (_group, role), colour in ours.items() if fusion[(_group, role)] != colour}
    assert changed == {"PlaceholderText", "Highlight"}
    assert light_palette().color(QPalette.ColorRole.PlaceholderText) == MUTED


def test_the_app_starts_in_fusion_whatever_the_desktop_asks():
    """QApplication gets Fusion from its arguments (the first theme does not set it again): a
    desktop's QT_STYLE_OVERRIDE does not change how the app draws."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from missiondesk.ui.theme import style_arguments\n"
        "app = QApplication(style_arguments(['missiondesk']))\n"
        "print(app.style().name())\n"
    )
    assert run_fresh(code, env={"QT_STYLE_OVERRIDE": "Windows"}).strip() == "fusion"
