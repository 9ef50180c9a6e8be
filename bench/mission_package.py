"""Setting a laptop up from a mission package that carries an MBTiles basemap.

Subject: on a fresh vault, `read_package` (the signature and every file's SHA-256 checked) then
`packages.import_` (the records restated in one signed transaction, the tiles streamed from
the ZIP into the vault, checked again as they go) of a package made by the mission authority:
the six default checklist templates, channels, and one MBTiles layer of `--tiles` tiles of
~6 KB each (~120 MB in the full run).

Baseline, interleaved in the same run: `layer import` of the same MBTiles file into a fresh
vault (the existing road for a basemap: the SQLite file read, each tile checked, written in one
transaction). The package does more (two checksum passes, the ZIP, the records), so the target
is a ratio: the package set-up <= 2x the plain layer import.

Also shown, not judged: the authority's export (tiles read from its vault, the ZIP written and
signed) and the package's size.
"""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
from pathlib import Path

from _common import Check, header, median, parser, report, timed, write_checks
from _incidents_common import new_vault
from missiondesk.domain.records.messaging import ChannelKind
from missiondesk.services.mission_package import read_package

NAME = "mission_package"
TARGET_RATIO = 2.0
PNG = b"\x89PNG\r\n\x1a\n"


def make_mbtiles(path: Path, count: int) -> Path:
    """`count` tiles of ~6 KB (PNG signature + random bytes: incompressible, like real tiles)."""
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB)"
    )
    meta = {"name": "Sector basemap", "format": "png", "bounds": "29,-2,30,-1"}
    conn.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    z, side = 14, 1 << 14
    cells = rng.sample(range(side * side), count)
    conn.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        ((z, c % side, c // side, PNG + os.urandom(5_500 + rng.randrange(1_000))) for c in cells),
    )
    conn.commit()
    conn.close()
    return path


def main(argv: list[str] | None = None) -> int:
    p = parser("a new laptop set up from a mission package, against a plain MBTiles import")
    p.add_argument("--tiles", type=int, default=None)
    p.add_argument("--rounds", type=int, default=None)
    args = p.parse_args(argv)
    quick = args.quick
    count = args.tiles or (400 if quick else 20_000)
    rounds = args.rounds or (1 if quick else 3)
    header(f"mission package: a new laptop with a {count:,}-tile basemap", quick)
    with tempfile.TemporaryDirectory(prefix="md-bench-package-") as tmp:
        root = Path(tmp)
        tiles = make_mbtiles(root / "basemap.mbtiles", count)
        hq = new_vault(root / "hq")
        try:
            hq.mission.create("Sector North")
            hq.channels.create("Ops North", ChannelKind.OUTPOST)
            hq.checklists.templates.install_library()
            hq.layers.import_file(tiles, name="Sector basemap")
            out = root / "north.mission"
            exports = [timed(lambda: hq.packages.export(out)) for _ in range(rounds)]
        finally:
            hq.close()
        size_mb = out.stat().st_size / 1e6
        plain: list[float] = []
        package: list[float] = []
        for i in range(rounds):
            for kind in ("plain", "package") if i % 2 == 0 else ("package", "plain"):
                laptop = new_vault(root / f"{kind}-{i}")
                try:
                    if kind == "plain":
                        plain.append(timed(lambda s=laptop: s.layers.import_file(tiles)))
                    else:
                        package.append(
                            timed(lambda s=laptop: s.packages.import_(read_package(out)))
                        )
                finally:
                    laptop.close()
    ratio = median(package) / median(plain)
    print(f"package: {size_mb:.1f} MB ({count:,} tiles), export {median(exports):.2f} s")
    print(f"layer import (baseline): {median(plain):.2f} s; package set-up {median(package):.2f} s")
    checks = [
        Check(
            NAME,
            "package set-up / layer import",
            ratio,
            TARGET_RATIO,
            "<=",
            "x",
            f"set-up {median(package):.2f} s, layer import {median(plain):.2f} s, "
            f"export {median(exports):.2f} s, {size_mb:.1f} MB",
        )
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
