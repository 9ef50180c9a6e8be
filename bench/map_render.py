"""The Map section with 10,000 incidents: its first display, and a frame while panning.

Subject 1, first display: a new `MapPage` (PySide6 on the offscreen platform, 1200x800) over
a real vault of `--incidents` incidents written through the one road (`_incidents_common.fill`,
four 100 km MGRS squares around 33.3 N 44.4 E), from `page.show()` (which builds the MapView
and its basemap items) until the markers read on the vault thread are set and the map has
been painted with them (a synchronous repaint once `markers_shown` has fired). The GUI thread
waits in a real `QEventLoop` meanwhile. The first page of the process also reads the basemap
file; it is reported apart (pyqtgraph is imported before, as the Incidents chart has it loaded
in the app).

Subject 2, panning: on that page's map, fitted to the incidents (all 10,000 on screen, the
worst case for markers) and at zoom 6, the view is moved by 1/20 of its width per step and
grabbed (the widget's own paint: basemap, place names, markers, scale bar) into an offscreen
pixmap; the frame time is that grab.

Baselines, interleaved in the same run: (1) a bare MapView with the basemap only, shown and
painted (what the incidents add to the first display); (2) the same pan steps with the
markers hidden (the basemap alone).

Targets: first display <= 500 ms (median of `--rounds` new pages); a frame while panning
<= 16 ms (median of `--steps` steps).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import Check, header, median, parser, quiet_gc, report, spread, write_checks
from _incidents_common import fill, new_vault

NAME = "map_render"
FIRST_TARGET_MS = 500.0
FRAME_TARGET_MS = 16.0
SIZE = (1200, 800)


def main(argv: list[str] | None = None) -> int:
    p = parser("the map with 10,000 incidents: first display and frames while panning")
    p.add_argument("--incidents", type=int, default=None, help="incidents (10,000)")
    p.add_argument("--rounds", type=int, default=None, help="first displays (7)")
    p.add_argument("--steps", type=int, default=None, help="pan steps (200)")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    count = args.incidents or (2_000 if quick else 10_000)
    rounds = args.rounds or (3 if quick else 7)
    steps = args.steps or (40 if quick else 200)
    header(f"Map: {count:,} incidents over the basemap", quick)

    import pyqtgraph  # noqa: F401 - loaded in the app by the Incidents chart already
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from missiondesk.services.basemap import world_basemap
    from missiondesk.ui.changes import ChangeRelay
    from missiondesk.ui.map.page import MapPage
    from missiondesk.ui.map.view import MapView
    from missiondesk.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    first_ms: list[float] = []
    bare_ms: list[float] = []
    frames: dict[str, list[float]] = {"with markers": [], "basemap alone": []}
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        session = new_vault(Path(tmp))
        tasks = TaskRunner()
        relay = ChangeRelay(session.changes)
        try:
            spent = time.perf_counter()
            fill(session, count)
            print(f"  filled {count:,} incidents through the road in "
                  f"{time.perf_counter() - spent:.1f} s", flush=True)  # fmt: skip

            def first_display() -> tuple[float, MapPage]:
                page = MapPage(session, tasks, relay)
                page.resize(*SIZE)
                loop = QEventLoop()
                page.markers_shown.connect(lambda _n: loop.quit())
                with quiet_gc():
                    start = time.perf_counter()
                    page.show()
                    loop.exec()
                    assert page.view is not None
                    page.view.viewport().repaint()
                    took = time.perf_counter() - start
                assert page.marker_count > 0.9 * count, page.marker_count
                return took, page

            def bare_display() -> float:
                with quiet_gc():
                    start = time.perf_counter()
                    view = MapView()
                    view.resize(*SIZE)
                    view.set_basemap(world_basemap())
                    view.show()
                    view.fit_world()
                    view.viewport().repaint()
                    took = time.perf_counter() - start
                view.hide()  # not close(): pyqtgraph's GraphicsView.close() crashed here
                view.deleteLater()
                return took

            cold, page = first_display()
            print(f"  first map page of the process (basemap file read): {cold * 1000:.1f} ms")
            page.clear()
            page.close()
            page.deleteLater()
            for r in range(rounds):
                order = ("page", "bare") if r % 2 == 0 else ("bare", "page")
                for which in order:
                    if which == "page":
                        took, page = first_display()
                        first_ms.append(took * 1000)
                        if r < rounds - 1:
                            page.clear()
                            page.close()
                            page.deleteLater()
                    else:
                        bare_ms.append(bare_display() * 1000)
                app.processEvents()
                print(f"  round {r + 1}/{rounds}: map page {first_ms[-1]:.1f} ms, "
                      f"basemap alone {bare_ms[-1]:.1f} ms", flush=True)  # fmt: skip

            view = page.view
            assert view is not None
            visible = view.marker_ids
            view.show_place(33.4, 44.6, 6.0)
            step = SIZE[0] / 20 * view.projected_per_pixel()
            view.grab()
            for i in range(steps):
                name = list(frames)[i % 2]
                view.markers.setVisible(name == "with markers")
                direction = 1 if (i // 20) % 2 == 0 else -1
                view.box.translateBy(x=direction * step)
                with quiet_gc():
                    start = time.perf_counter()
                    view.grab()
                    frames[name].append(time.perf_counter() - start)
            view.markers.setVisible(True)
            on_screen = len(visible)
            page.clear()
        finally:
            relay.stop()
            tasks.wait_for_done()
            tasks.shutdown()
            session.close()

    first, bare = median(first_ms), median(bare_ms)
    with_markers = median(frames["with markers"]) * 1000
    basemap_only = median(frames["basemap alone"]) * 1000
    print(f"\nresults ({SIZE[0]}x{SIZE[1]}, {on_screen:,} markers)")
    print(f"  first display, map page   {first:.1f} ms  (median of {rounds})")
    print(f"  first display, basemap    {bare:.1f} ms  ({first / bare:.1f}x)")
    print(f"  pan frame, with markers   {spread(frames['with markers'])}")
    print(f"  pan frame, basemap alone  {spread(frames['basemap alone'])}  "
          f"({with_markers / basemap_only:.2f}x)")  # fmt: skip
    checks = [
        Check(NAME, f"first display of the map with {on_screen:,} incidents", first,
              FIRST_TARGET_MS, "<=", "ms",
              f"basemap alone {bare:.1f} ms ({first / bare:.1f}x); first of the process "
              f"{cold * 1000:.1f} ms"),
        Check(NAME, f"frame while panning, {on_screen:,} markers on screen", with_markers,
              FRAME_TARGET_MS, "<=", "ms",
              f"basemap alone {basemap_only:.2f} ms ({with_markers / basemap_only:.2f}x)"),
    ]  # fmt: skip
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
