import hashlib

import pytest

from missiondesk.crypto.mac import derive_subkey, mac, mac_matches
from missiondesk.crypto.signing import DeviceKeys, device_id_for, verify_signature
from missiondesk.domain.ids import fingerprint


def test_keys_survive_a_round_trip_through_private_bytes():
    keys = DeviceKeys.generate()
    again = DeviceKeys.from_private_bytes(*keys.private_bytes())
    assert again.device_id == keys.device_id
    assert again.exchange_public == keys.exchange_public
    assert again.private_bytes() == keys.private_bytes()


def test_an_exchange_key_of_the_wrong_length_is_refused_when_the_keys_are_made():
    signing, exchange = DeviceKeys.generate().private_bytes()
    with pytest.raises(ValueError, match="32 bytes"):
        DeviceKeys.from_private_bytes(signing, exchange[:31])


def test_signatures_verify_only_for_the_signed_message_and_key():
    keys, other = DeviceKeys.generate(), DeviceKeys.generate()
    sig = keys.sign(b"message")
    assert verify_signature(keys.signing_public, sig, b"message")
    assert not verify_signature(keys.signing_public, sig, b"messagf")
    assert not verify_signature(other.signing_public, sig, b"message")
    assert not verify_signature(b"short", sig, b"message")


def test_device_id_is_derived_from_the_signing_key():
    keys = DeviceKeys.generate()
    assert keys.device_id == device_id_for(keys.signing_public)
    assert len(keys.device_id) == 32
    assert len(fingerprint(keys.device_id)) == 19


def test_subkeys_differ_by_purpose_and_macs_check():
    master = bytes(range(32))
    a, b = derive_subkey(master, "audit"), derive_subkey(master, "other")
    assert a != b
    tag = mac(a, b"data")
    assert mac_matches(a, b"data", tag)
    assert not mac_matches(b, b"data", tag)
    assert not mac_matches(a, b"date", tag)


def test_a_cut_or_empty_tag_never_matches():
    key = derive_subkey(bytes(32), "audit")
    tag = mac(key, b"data")
    assert not mac_matches(key, b"data", tag[:16])
    assert not mac_matches(key, b"data", b"")
    assert not mac_matches(key, b"data", tag + b"\x00")


def test_the_device_id_is_the_start_of_sha256_of_the_signing_key():
    """DeviceKeys hashes with cryptography (no hashlib at unlock): the same id as hashlib's."""
    keys = DeviceKeys.generate()
    assert keys.device_id == hashlib.sha256(keys.signing_public).hexdigest()[:32]
