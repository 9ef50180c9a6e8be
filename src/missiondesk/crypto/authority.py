"""The mission authority: the key that vouches for members, and the certificates it issues.

One Ed25519 key signs membership certificates and revocations (canonical JSON) and acts as the
X.509 certificate authority for the TLS certificates devices present to each other.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from missiondesk.domain.trust import Membership, Revocation, mission_id_for

PACKAGE_CONTEXT = b"missiondesk/mission-package/v1\x00"
_FAR_PAST = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
# cryptography.x509 (~35 ms to import) is imported by the functions that build or read
# certificates: unlocking a vault and checking membership documents need none of it.


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


class MissionAuthority:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public_key = _raw(key.public_key())
        self.mission_id = mission_id_for(self.public_key)

    @classmethod
    def generate(cls) -> MissionAuthority:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, raw: bytes) -> MissionAuthority:
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    def private_bytes(self) -> bytes:
        return self._key.private_bytes_raw()

    def sign(self, document: Membership | Revocation) -> bytes:
        return self._key.sign(document.signed_bytes())

    def sign_package(self, manifest: bytes) -> bytes:
        """The signature of a mission package's manifest (see `verify_package`)."""
        return self._key.sign(PACKAGE_CONTEXT + manifest)

    # -- X.509 for TLS sessions --------------------------------------------------------------

    def ca_certificate(self, mission_name: str) -> bytes:
        """The self-signed CA certificate of the mission (PEM)."""
        from cryptography import x509
        from cryptography.x509.oid import NameOID

        name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MissionDesk"),
                x509.NameAttribute(NameOID.COMMON_NAME, f"mission {self.mission_id}"),
            ]
        )
        del mission_name  # names are personal data; certificates carry ids only
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_FAR_PAST)
            .not_valid_after(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self._key, None)
        )
        return cert.public_bytes(serialization.Encoding.PEM)

    def device_certificate(self, membership: Membership, serial: int) -> bytes:
        """A TLS certificate for the device's session key, valid as long as its membership."""
        from cryptography import x509
        from cryptography.x509.oid import NameOID

        tls_key = Ed25519PublicKey.from_public_bytes(unb64(membership.tls_key))
        issuer = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MissionDesk"),
                x509.NameAttribute(NameOID.COMMON_NAME, f"mission {self.mission_id}"),
            ]
        )
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, self.mission_id),
                x509.NameAttribute(NameOID.COMMON_NAME, membership.device),
            ]
        )
        until = dt.datetime.fromtimestamp((membership.valid_until >> 16) / 1000, tz=dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(tls_key)
            .serial_number(serial)
            .not_valid_before(_FAR_PAST)
            .not_valid_after(until)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(self._key, None)
        )
        return cert.public_bytes(serialization.Encoding.PEM)

    def revocation_list(self, revoked_serials: list[int]) -> bytes:
        """A CRL naming the TLS certificates of revoked devices (PEM)."""
        from cryptography import x509
        from cryptography.x509.oid import NameOID

        issuer = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MissionDesk"),
                x509.NameAttribute(NameOID.COMMON_NAME, f"mission {self.mission_id}"),
            ]
        )
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer)
            .last_update(now - dt.timedelta(minutes=5))
            .next_update(now + dt.timedelta(days=3650))
        )
        for serial in revoked_serials:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build()
            )
        return builder.sign(self._key, None).public_bytes(serialization.Encoding.PEM)


def verify_package(authority_public: bytes, manifest: bytes, signature: bytes) -> bool:
    """Whether `signature` is the authority's over a mission package manifest. The context
    prefix keeps a package signature from ever passing for a certificate's, and back."""
    try:
        Ed25519PublicKey.from_public_bytes(authority_public).verify(
            signature, PACKAGE_CONTEXT + manifest
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_document(
    authority_public: bytes, document: Membership | Revocation, signature: bytes
) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(authority_public).verify(
            signature, document.signed_bytes()
        )
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class CertificateFacts:
    """What a peer's TLS certificate says, once the handshake has verified its chain."""

    device: str
    mission: str
    serial: int


def certificate_facts(der: bytes) -> CertificateFacts:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cert = x509.load_der_x509_certificate(der)
    device = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    mission = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value
    return CertificateFacts(str(device), str(mission), cert.serial_number)


def certificate_valid_until(pem: bytes) -> dt.datetime:
    """When a certificate (PEM) stops being valid, in UTC."""
    from cryptography import x509

    return x509.load_pem_x509_certificate(pem).not_valid_after_utc


def ca_public_key(ca_pem: bytes) -> bytes:
    """The raw Ed25519 key of a CA certificate (to check it is the mission authority's)."""
    from cryptography import x509

    key = x509.load_pem_x509_certificate(ca_pem).public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 certificate authority")
    return _raw(key)


def certificate_public_key(pem: bytes) -> bytes:
    from cryptography import x509

    key = x509.load_pem_x509_certificate(pem).public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 certificate")
    return _raw(key)


def certificate_signed_by(pem: bytes, authority_public: bytes) -> bool:
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(pem)
    try:
        Ed25519PublicKey.from_public_bytes(authority_public).verify(
            cert.signature, cert.tbs_certificate_bytes
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def crl_signed_by(pem: bytes, authority_public: bytes) -> bool:
    """Whether `pem` is a certificate revocation list the authority signed (False for what is
    no CRL at all)."""
    from cryptography import x509

    try:
        crl = x509.load_pem_x509_crl(pem)
        Ed25519PublicKey.from_public_bytes(authority_public).verify(
            crl.signature, crl.tbs_certlist_bytes
        )
    except (InvalidSignature, ValueError):
        return False
    return True
