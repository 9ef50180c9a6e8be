"""TLS 1.3 with mutual authentication, from the standard `ssl` module.

Both ends present a certificate the mission authority issued for their session key and accept
only certificates issued by that authority. Revoked devices are refused right after the
handshake, before a byte of mission data moves (see transport.py), from the signed revocation
list every node keeps.

`ssl` reads private keys only from files. The session key is written for the instant of loading
as PKCS#8 encrypted under a random one-time password that never leaves memory, in a private
temporary folder that is removed at once: no plaintext key touches the disk.
"""

from __future__ import annotations

import os
import shutil
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from missiondesk.crypto.signing import SessionKey


@dataclass(frozen=True)
class TlsMaterial:
    key: SessionKey
    certificate: bytes  # PEM, issued by the mission authority
    ca_certificate: bytes  # PEM, the mission authority


# What a peer's TLS alert says of this laptop's certificate (OpenSSL's reasons). In TLS 1.3 a
# client's certificate is checked after the client's side of the handshake is done, so the
# client learns of a refusal from the alert, at its first read.
PEER_ALERTS = {
    "SSLV3_ALERT_CERTIFICATE_EXPIRED": "it says this laptop's certificate has expired; this "
    "laptop must be enrolled again (or is this laptop's clock wrong?)",
    "TLSV1_ALERT_UNKNOWN_CA": "it says this laptop is not of its mission",
    "SSLV3_ALERT_BAD_CERTIFICATE": "it says this laptop's certificate is not valid for it",
    "SSLV3_ALERT_CERTIFICATE_UNKNOWN": "it says this laptop's certificate is not valid for it",
    "SSLV3_ALERT_CERTIFICATE_REVOKED": "it says this laptop's certificate is revoked",
}


def refused_by_peer(exc: BaseException) -> str:
    """The officer's words for a peer's TLS alert about this laptop's certificate, or ""."""
    if not isinstance(exc, ssl.SSLError):
        return ""
    reason = str(exc.reason or "")
    if reason not in PEER_ALERTS:
        return ""
    return f"the peer refused this laptop: {PEER_ALERTS[reason]} ({reason})"


def _load_identity(context: ssl.SSLContext, material: TlsMaterial) -> None:
    folder = Path(tempfile.mkdtemp(prefix="md-tls-"))
    try:
        os.chmod(folder, 0o700)
        password = os.urandom(32).hex().encode()
        key_path, cert_path = folder / "key.pem", folder / "cert.pem"
        for path, data in (
            (key_path, material.key.encrypted_pem(password)),
            (cert_path, material.certificate),
        ):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        context.load_cert_chain(cert_path, key_path, password=password)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _common(context: ssl.SSLContext, material: TlsMaterial) -> ssl.SSLContext:
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cadata=material.ca_certificate.decode("ascii"))
    _load_identity(context, material)
    return context


def server_context(material: TlsMaterial) -> ssl.SSLContext:
    context = _common(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), material)
    # No session tickets: every sync is a fresh handshake from a fresh process, so tickets
    # (two by default, ~0.5 KB) would only cost bytes on a thin link and never be used.
    context.num_tickets = 0
    return context


def client_context(material: TlsMaterial) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False  # peers are identified by certificate, not by host name
    return _common(context, material)
