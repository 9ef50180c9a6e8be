"""Finding peers on the local network with mDNS (zeroconf), where the mission allows it.

A serving node announces `_missiondesk._tcp` with its port and a tag derived from the mission
id (a hash, so the broadcast does not name the mission). Discovery only proposes addresses:
every session still authenticates with the mission's certificates.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

SERVICE = "_missiondesk._tcp.local."


def mission_tag(mission_id: str) -> str:
    return hashlib.sha256(f"missiondesk/mdns/{mission_id}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class FoundPeer:
    device: str
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def _addresses(host: str) -> list[bytes]:
    if host not in ("0.0.0.0", ""):  # noqa: S104 - comparing, not binding
        return [socket.inet_aton(socket.gethostbyname(host))]
    import ifaddr

    found = [
        socket.inet_aton(ip.ip)
        for adapter in ifaddr.get_adapters()
        for ip in adapter.ips
        if isinstance(ip.ip, str)
    ]
    return found or [socket.inet_aton("127.0.0.1")]


@contextmanager
def announced(mission_id: str, device_id: str, host: str, port: int) -> Iterator[None]:
    """Announce this node while the block runs."""
    from zeroconf import IPVersion, ServiceInfo, Zeroconf

    zc = Zeroconf(ip_version=IPVersion.V4Only)
    info = ServiceInfo(
        SERVICE,
        f"{device_id[:16]}.{SERVICE}",
        addresses=_addresses(host),
        port=port,
        properties={"m": mission_tag(mission_id), "d": device_id},
    )
    try:
        zc.register_service(info)
        yield
    finally:
        zc.unregister_service(info)
        zc.close()


def discover(mission_id: str, own_device: str, seconds: float = 3.0) -> list[FoundPeer]:
    """Peers of this mission that announce themselves on the LAN within `seconds`."""
    from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf

    tag = mission_tag(mission_id).encode()
    zc = Zeroconf(ip_version=IPVersion.V4Only)
    names: set[str] = set()
    lock = threading.Lock()

    def changed(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        del zeroconf, service_type
        if state_change is ServiceStateChange.Added:
            with lock:
                names.add(name)

    browser = ServiceBrowser(zc, SERVICE, handlers=[changed])
    try:
        time.sleep(seconds)
        peers: list[FoundPeer] = []
        with lock:
            wanted = sorted(names)
        for name in wanted:
            info = zc.get_service_info(SERVICE, name, timeout=1500)
            if info is None or info.properties.get(b"m") != tag or not info.port:
                continue
            device = (info.properties.get(b"d") or b"").decode(errors="replace")
            if device == own_device:
                continue
            for address in info.parsed_addresses():
                peers.append(FoundPeer(device, address, info.port))
                break
        return peers
    finally:
        browser.cancel()
        zc.close()
