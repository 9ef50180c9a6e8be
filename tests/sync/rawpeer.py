"""A peer that speaks the wire protocol by hand, with a real member's TLS identity: for sending
what an honest node never would (forged, tampered, oversized input)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from missiondesk.sync.session import PROTOCOL
from missiondesk.sync.tls import TlsMaterial, client_context
from missiondesk.sync.wire import Frame, FrameType, ProtocolError, json_frame, read_frame
from tests.sync.nodes import open_node


def material_of(path: Path) -> tuple[TlsMaterial, str, str]:
    session = open_node(path)
    try:
        key, cert, ca, _ = session.mission.tls_material()
        return TlsMaterial(key, cert, ca), session.device_id, session.mission.require().id
    finally:
        session.close()


def hello(device: str, mission: str) -> bytes:
    return json_frame(
        FrameType.HELLO,
        {
            "proto": PROTOCOL,
            "mission": mission,
            "device": device,
            "heads": "x" * 64,
            "trust": "y" * 64,
            "ops": 0,
        },
    )


async def _exchange(
    material: TlsMaterial, port: int, frames: list[bytes], timeout: float
) -> list[Frame]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client_context(material))
    received: list[Frame] = []
    try:
        for frame in frames:
            writer.write(frame)
        await writer.drain()
        while True:
            frame = await read_frame(reader, timeout)
            received.append(frame)
            if frame.type is FrameType.ERROR:
                break
    except (ProtocolError, ConnectionError, OSError):
        pass
    finally:
        writer.close()
    return received


def talk(path: Path, port: int, frames: list[bytes], timeout: float = 10) -> list[Frame]:
    material, _, _ = material_of(path)
    return asyncio.run(_exchange(material, port, frames, timeout))
