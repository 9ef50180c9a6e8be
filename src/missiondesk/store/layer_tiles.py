"""The tiles of MBTiles layers, kept in the vault (encrypted with it) by (layer, z, x, y).

Rows are XYZ (row 0 at the north), converted from MBTiles' TMS rows on import. They are
written in the transaction that stores the layer's record and are not operations: they stay
in the vault that imported them (see docs/map.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from missiondesk.store.connection import Connection

SCHEMA = """
CREATE TABLE layer_tiles (
    layer TEXT NOT NULL,
    z INTEGER NOT NULL,
    x INTEGER NOT NULL,
    y INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (layer, z, x, y)
) WITHOUT ROWID
"""


def write_tiles(conn: Connection, layer: str, tiles: Iterable[tuple[int, int, int, bytes]]) -> int:
    """Store `tiles` (z, x, y in XYZ rows, data) of `layer`; how many were written."""
    cur = conn.executemany(
        "INSERT OR REPLACE INTO layer_tiles (layer, z, x, y, data) VALUES (?, ?, ?, ?, ?)",
        ((layer, z, x, y, bytearray(data)) for z, x, y, data in tiles),
    )
    return cur.rowcount


def remove_tiles(conn: Connection, layer: str) -> int:
    return conn.execute("DELETE FROM layer_tiles WHERE layer = ?", (layer,)).rowcount


def read_tile(conn: Connection, layer: str, z: int, x: int, y: int) -> bytes | None:
    row = conn.execute(
        "SELECT data FROM layer_tiles WHERE layer = ? AND z = ? AND x = ? AND y = ?",
        (layer, z, x, y),
    ).fetchone()
    return bytes(row[0]) if row else None


def has_tiles(conn: Connection, layer: str) -> bool:
    """Whether this vault holds tiles of `layer` (one index probe, whatever the package's size)."""
    row = conn.execute("SELECT 1 FROM layer_tiles WHERE layer = ? LIMIT 1", (layer,)).fetchone()
    return row is not None


def tile_count(conn: Connection, layer: str) -> int:
    row = conn.execute("SELECT count(*) FROM layer_tiles WHERE layer = ?", (layer,)).fetchone()
    return int(row[0])


def iter_tiles(conn: Connection, layer: str) -> Iterator[tuple[int, int, int, bytes]]:
    """Every tile of `layer` (z, x, y in XYZ rows, data), in key order."""
    cur = conn.execute(
        "SELECT z, x, y, data FROM layer_tiles WHERE layer = ? ORDER BY z, x, y", (layer,)
    )
    for z, x, y, data in cur:
        yield int(z), int(x), int(y), bytes(data)
