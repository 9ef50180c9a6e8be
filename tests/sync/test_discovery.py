"""LAN discovery with mDNS: a serving node is found by its mission's peers, and a mission can
forbid it."""

from __future__ import annotations

import json

import pytest

from tests.sync.nodes import Server, cli, make_mission, pair

pytestmark = pytest.mark.slow


def multicast_works() -> bool:
    """mDNS needs multicast on some interface; some sandboxes have none."""
    import socket
    import time

    from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, Zeroconf

    try:
        zc, zc2 = Zeroconf(ip_version=IPVersion.V4Only), Zeroconf(ip_version=IPVersion.V4Only)
    except OSError:
        return False
    found: list[str] = []
    info = ServiceInfo(
        "_mdprobe._tcp.local.",
        "probe._mdprobe._tcp.local.",
        addresses=[socket.inet_aton("127.0.0.1")],
        port=9,
    )
    try:
        zc.register_service(info)
        ServiceBrowser(
            zc2, "_mdprobe._tcp.local.", handlers=[lambda **kw: found.append(kw["name"])]
        )
        deadline = time.monotonic() + 5
        while not found and time.monotonic() < deadline:
            time.sleep(0.1)
        return bool(found)
    finally:
        zc.close()
        zc2.close()


def test_serving_node_is_discovered_and_mission_can_forbid_it(tmp_path):
    if not multicast_works():
        pytest.skip("no multicast on this machine: mDNS cannot work here")
    a, b = make_mission(tmp_path, 2)
    assert pair(b, a)["returncode"] == 0
    with Server(a, announce=True) as server:
        found = json.loads(cli(b, "sync", "discover", "--json").stdout)
        assert server.port in [int(p["address"].rsplit(":", 1)[1]) for p in found]
        done = cli(
            b,
            "sync",
            "now",
            "--peer",
            next(p["address"] for p in found if p["address"].endswith(f":{server.port}")),
        )
        assert done.returncode == 0, done.stderr
    assert cli(a, "mission", "discovery", "off").returncode == 0
    assert pair(b, a)["returncode"] == 0
    refused = cli(b, "sync", "discover")
    assert refused.returncode == 4 and "does not allow" in refused.stderr
    assert cli(b, "mission", "discovery", "on").returncode == 3  # only the authority decides
