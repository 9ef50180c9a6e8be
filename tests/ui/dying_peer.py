"""A member's laptop that dies in the middle of a sync: it answers like an honest node, sends
one frame of its operations, starts the next frame and the process exits at once (no DONE, no
TLS close), as when a battery dies or a generator stops.

    python -m tests.ui.dying_peer VAULT     prints "port N", serves one session, exits
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from missiondesk.sync.session import PROTOCOL
from missiondesk.sync.tls import TlsMaterial, server_context
from missiondesk.sync.wire import FrameType, OpsEncoder, encode_frame, json_frame, read_frame
from tests.sync.nodes import open_node


async def serve_once(
    material: TlsMaterial, device: str, mission: str, ops: list[tuple[bytes, bytes]]
) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_frame(reader, 30)  # the peer's HELLO
        hello = {"proto": PROTOCOL, "mission": mission, "device": device, "heads": "x" * 64}
        writer.write(json_frame(FrameType.HELLO, {**hello, "trust": "y" * 64, "ops": len(ops)}))
        frame = await read_frame(reader, 30)
        if frame.type is FrameType.TRUST:
            frame = await read_frame(reader, 30)
        assert frame.type is FrameType.HEADS
        writer.write(json_frame(FrameType.HEADS, frame.json()))  # it lacks nothing
        while (await read_frame(reader, 30)).type is not FrameType.DONE:
            pass
        writer.write(encode_frame(FrameType.OPS, OpsEncoder().encode(ops)))
        writer.write(b"\x00\x00\x10")  # the first bytes of the next frame, and then nothing
        await writer.drain()
        await asyncio.sleep(0.3)
        os._exit(3)

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_context(material))
    print("port", server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def main(path: Path) -> None:
    session = open_node(path)
    try:
        key, cert, ca, _ = session.mission.tls_material()
        device, mission = session.device_id, session.mission.require().id
        head = session.vault.oplog.head(device)
        assert head is not None
        ops = session.vault.oplog.read_range(device, 1, head[0])
    finally:
        session.close()
    asyncio.run(serve_once(TlsMaterial(key, cert, ca), device, mission, ops))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
