"""TCP transport: a node that serves many peers at once, and a client that syncs with one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import ssl
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import UTC, datetime

from cryptography import x509

from missiondesk.crypto.authority import certificate_facts, certificate_valid_until
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidInput
from missiondesk.sync.replica import Replica
from missiondesk.sync.session import Session, SessionReport
from missiondesk.sync.tls import TlsMaterial, client_context, refused_by_peer, server_context
from missiondesk.sync.wire import FrameType, json_frame

log = logging.getLogger(__name__)
HANDSHAKE_TIMEOUT = 15.0
STOP_GRACE = 5.0  # seconds sessions are given to wind down when the node stops
Reporter = Callable[[SessionReport], None]


_HOST = re.compile(r"[A-Za-z0-9.\-]+|[0-9A-Fa-f:]+")  # a name, an IPv4 or an IPv6 address
_DOTTED = re.compile(r"\d+(\.\d+){3}")


def parse_address(
    text: str, default_host: str = "127.0.0.1", *, listening: bool = False
) -> tuple[str, int]:
    """HOST:PORT; a node that listens may ask for port 0 (any free port, printed at start)."""
    host, sep, port = text.strip().rpartition(":")
    if not sep:
        host, port = default_host, text.strip()
    lowest = 0 if listening else 1
    bare = host.strip("[]")
    if (
        not port.isdecimal()
        or not lowest <= int(port) < 65536
        or (not bare and not listening)  # ":7447": whose?
        or host.startswith("[") != host.endswith("]")
        or (bare and not bare.strip(":"))
        or not _HOST.fullmatch(bare or default_host)
        or (_DOTTED.fullmatch(bare) and any(int(part) > 255 for part in bare.split(".")))
    ):
        raise InvalidInput(f"'{text}' is not HOST:PORT (for example 192.168.1.20:7447)")
    return bare or default_host, int(port)


def _peer_certificate(writer: asyncio.StreamWriter) -> bytes | None:
    """The peer's certificate (DER). On the loop's thread only: the SSL object is not safe to
    touch from another thread while the loop reads (TLS 1.3 session tickets arrive after the
    handshake, and getpeercert() then fails with "handshake not done yet")."""
    ssl_object = writer.get_extra_info("ssl_object")
    return ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None


def _peer_identity(der: bytes | None, replica: Replica) -> tuple[str, str]:
    """The verified peer certificate's device id, or the reason it may not talk to us."""
    if not der:
        return "", "no client certificate"
    try:
        facts = certificate_facts(der)
    except (ValueError, IndexError, x509.InvalidVersion):
        return "", "an unreadable certificate"
    if facts.mission != replica.trust.mission_id:
        return facts.device, "a certificate of another mission"
    if replica.trust.revocation_of(facts.device) is not None:
        return facts.device, "a revoked device"
    return facts.device, ""


async def _refuse(writer: asyncio.StreamWriter, reason: str) -> None:
    try:
        writer.write(json_frame(FrameType.ERROR, {"reason": f"refused: {reason}"}))
        await asyncio.wait_for(writer.drain(), 5)
        writer.close()
        await asyncio.wait_for(writer.wait_closed(), 5)
    except (ConnectionError, OSError, TimeoutError, ssl.SSLError):
        pass


async def serve(
    replica: Replica,
    db: Executor,
    material: TlsMaterial,
    host: str,
    port: int,
    on_report: Reporter,
    *,
    timeout: float = 30.0,
    started: Callable[[tuple[str, int]], None] | None = None,
) -> None:
    """Serve peers until cancelled. One peer's failure never stops the node. Cancelling stops
    listening at once and cancels the sessions in progress (what they committed stays)."""
    context = server_context(material)
    sessions: set[asyncio.Task[object]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = "{}:{}".format(*writer.get_extra_info("peername")[:2])
        device = ""
        secured = False
        me = asyncio.current_task()
        if me is not None:
            sessions.add(me)
        try:
            if not await _secure(writer, context, address, on_report):
                return
            secured = True
            device, problem = await asyncio.get_running_loop().run_in_executor(
                db, _peer_identity, _peer_certificate(writer), replica
            )
            if not problem and device == replica.device_id:  # itself: the caller says so
                writer.close()
                return
            if problem:
                log.warning("refused %s from %s", problem, address)
                on_report(SessionReport(peer=device, error=f"refused {problem}", refusal=True))
                await _refuse(writer, problem)
                return
            # No address recorded: the caller's is a passing port nobody can dial back (the
            # one it gave when this laptop called it, if ever, is kept).
            session = Session(replica, db, reader, writer, device, address="", timeout=timeout)
            on_report(await session.run())
        except asyncio.CancelledError:  # the node is stopping: what was committed stays
            if not secured:
                writer.close()  # still in its handshake: nothing to say
                return
            on_report(
                SessionReport(
                    peer=device, error=f"cut by the stop at {address}; what arrived before is kept"
                )
            )
            return
        except Exception:
            log.exception("a session with %s failed", address)
        finally:
            if me is not None:
                sessions.discard(me)

    # TLS starts in `handle` (StreamWriter.start_tls), not in the server: a handshake that
    # fails there can be told to the officer (asyncio's own logs it only in debug mode).
    server = await asyncio.start_server(handle, host, port)
    try:
        bound = server.sockets[0].getsockname()[:2]
        if started is not None:  # off the event loop: it may block (mDNS registration does)
            await asyncio.get_running_loop().run_in_executor(
                None, started, (str(bound[0]), int(bound[1]))
            )
        await server.serve_forever()
    finally:
        server.close()  # the port is free from here on
        running = list(sessions)
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running, timeout=STOP_GRACE)


async def _secure(
    writer: asyncio.StreamWriter, context: ssl.SSLContext, address: str, on_report: Reporter
) -> bool:
    """The server's side of the TLS handshake; False when it failed. A laptop refused for its
    certificate, or refusing this one's, is reported (the officer can act on it); anything
    else (a port scan, a web browser, a peer that vanished) is only logged."""
    try:
        await writer.start_tls(context, ssl_handshake_timeout=HANDSHAKE_TIMEOUT)
    except ssl.SSLError as exc:
        refusal = _refused_handshake(address, exc)
        if refusal:
            log.info("handshake refused from %s: %s", address, exc.reason)
            on_report(SessionReport(error=refusal, refusal=True))
        else:
            log.info("a connection from %s was not MissionDesk sync (%s)", address, exc.reason)
    except (ConnectionError, OSError, TimeoutError) as exc:
        log.info("a connection from %s ended in its handshake (%s)", address, type(exc).__name__)
    else:
        return True
    with contextlib.suppress(ConnectionError, OSError, RuntimeError):
        writer.close()
    return False


def _verify_failure(exc: ssl.SSLError) -> str:
    """Why a certificate was not accepted (CERTIFICATE_VERIFY_FAILED), in the officer's words."""
    why = str(getattr(exc, "verify_message", "") or exc.reason)
    if "expired" in why:
        return f"its certificate has expired; it must be enrolled again ({why})"
    if "not yet valid" in why:
        return f"its certificate is not valid yet (is one of the two clocks wrong?) ({why})"
    return (
        "it is not of this mission, or not enrolled in it; its certificate is not this "
        f"mission's ({why})"
    )


def _refused_handshake(address: str, exc: ssl.SSLError) -> str:
    """On the serving side: why a laptop's handshake failed, when it is about certificates;
    "" for a connection that did not speak TLS with a MissionDesk certificate at all."""
    reason = str(exc.reason or "")
    if reason == "CERTIFICATE_VERIFY_FAILED":
        return f"refused the laptop at {address}: {_verify_failure(exc)}"
    if reason in ("PEER_DID_NOT_RETURN_A_CERTIFICATE", "TLSV1_ALERT_CERTIFICATE_REQUIRED"):
        return f"refused a connection from {address}: it has no mission certificate"
    refused = refused_by_peer(exc)
    return refused.replace("the peer", f"the laptop at {address}", 1) if refused else ""


def _own_certificate_expired(material: TlsMaterial) -> str:
    """Why no peer will take this laptop's certificate, when it has expired ("" otherwise)."""
    try:
        until = certificate_valid_until(material.certificate)
    except ValueError:
        return ""  # the handshake will say what is wrong with it
    if until >= datetime.now(UTC):
        return ""
    return (
        f"this laptop's certificate expired at {format_dtg(until)}, so every peer refuses it; "
        "ask the mission authority to enroll it again (or is this laptop's clock wrong?)"
    )


def _handshake_failure(host: str, port: int, exc: ssl.SSLError) -> str:
    """What a failed TLS handshake means to the officer, by OpenSSL's reason."""
    reason = str(exc.reason or exc)
    if reason in ("WRONG_VERSION_NUMBER", "UNEXPECTED_EOF_WHILE_READING", "RECORD_LAYER_FAILURE"):
        return (
            f"{host}:{port} does not speak MissionDesk's secure sync (another program listens "
            f"there?) ({reason})"
        )
    if reason == "CERTIFICATE_VERIFY_FAILED":
        return f"the laptop at {host}:{port} was refused: {_verify_failure(exc)}"
    return f"the secure handshake with {host}:{port} failed ({reason})"


async def sync_with(
    replica: Replica,
    db: Executor,
    material: TlsMaterial,
    host: str,
    port: int,
    *,
    timeout: float = 30.0,
) -> SessionReport:
    """One session with the peer at host:port."""
    expired = _own_certificate_expired(material)
    if expired:
        return SessionReport(error=expired)
    context = client_context(material)
    handshake = min(HANDSHAKE_TIMEOUT, timeout)  # a silent peer gets `timeout`, here too
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=context, ssl_handshake_timeout=handshake),
            handshake + 5,
        )
    except ssl.SSLError as exc:
        return SessionReport(
            error=_handshake_failure(host, port, exc),
            refusal=exc.reason == "CERTIFICATE_VERIFY_FAILED",
        )
    except ConnectionAbortedError:  # the TCP connection was made; TLS never finished
        return SessionReport(
            error=f"{host}:{port} answered but did not finish the secure handshake within"
            f" {handshake:g} s (is a MissionDesk peer serving there?)"
        )
    except (OSError, TimeoutError) as exc:
        return SessionReport(
            error=f"cannot reach {host}:{port} ({exc.strerror or exc})"
            if isinstance(exc, OSError)
            else f"{host}:{port} did not answer within {handshake + 5:g} s"
        )
    device, problem = await asyncio.get_running_loop().run_in_executor(
        db, _peer_identity, _peer_certificate(writer), replica
    )
    if not problem and device == replica.device_id:
        writer.close()
        return SessionReport(error=f"{host}:{port} is this laptop itself; give another's address")
    if problem:
        await _refuse(writer, problem)
        return SessionReport(peer=device, error=f"the peer presented {problem}")
    return await Session(
        replica, db, reader, writer, device, address=f"{host}:{port}", timeout=timeout
    ).run()
