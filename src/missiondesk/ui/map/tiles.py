"""Decoded map tiles kept in memory: an LRU cache of QImages by (layer, z, x, y).

Tiles are read from the vault and decoded on the vault thread, and never written anywhere:
the cache is the only copy outside the vault, and it goes with the map at lock."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtGui import QImage

TileKey = tuple[str, int, int, int]  # layer id, z, x, y (XYZ rows)
CACHE_TILES = 512  # 256x256 ARGB: 128 MB at most


def decode_tile(data: bytes | None) -> QImage | None:
    """A PNG or JPEG tile as an image; None for no tile or one Qt cannot read."""
    if not data:
        return None
    image = QImage.fromData(data)
    return None if image.isNull() else image


class TileCache:
    """Least recently used first out. A key known to have no tile is kept too (as None), so
    it is not asked for again."""

    def __init__(self, capacity: int = CACHE_TILES) -> None:
        self._capacity = capacity
        self._images: OrderedDict[TileKey, QImage | None] = OrderedDict()

    def __contains__(self, key: TileKey) -> bool:
        return key in self._images

    def __len__(self) -> int:
        return len(self._images)

    def get(self, key: TileKey) -> QImage | None:
        image = self._images.get(key)
        if key in self._images:
            self._images.move_to_end(key)
        return image

    def put(self, key: TileKey, image: QImage | None) -> None:
        self._images[key] = image
        self._images.move_to_end(key)
        while len(self._images) > self._capacity:
            self._images.popitem(last=False)

    def drop_layer(self, layer: str) -> None:
        for key in [k for k in self._images if k[0] == layer]:
            del self._images[key]

    def clear(self) -> None:
        self._images.clear()
