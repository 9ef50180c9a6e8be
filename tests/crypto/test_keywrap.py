import time

import pytest

from missiondesk.crypto.keywrap import (
    DEFAULT_KDF,
    MIN_MEMORY_KIB,
    KdfParams,
    WrappedKey,
    WrongPassphrase,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from missiondesk.domain.errors import Unavailable

FAST = KdfParams(memory_kib=8192, iterations=1, lanes=1)


def test_wrap_round_trip_and_wrong_passphrase():
    key = new_data_key()
    wrapped = wrap_data_key(key, "right passphrase", "vault-1", FAST)
    assert unwrap_data_key(wrapped, "right passphrase") == key
    with pytest.raises(WrongPassphrase):
        unwrap_data_key(wrapped, "wrong passphrase")


def test_unicode_passphrases_are_normalized():
    key = new_data_key()
    wrapped = wrap_data_key(key, "caf\u00e9 au lait", "v", FAST)  # precomposed é
    assert unwrap_data_key(wrapped, "cafe\u0301 au lait") == key  # e + combining accent


def test_rewrap_keeps_the_data_key_and_changes_salt():
    key = new_data_key()
    a = wrap_data_key(key, "first passphrase", "v", FAST)
    b = wrap_data_key(key, "second passphrase", "v", FAST)
    assert a.salt != b.salt and a.ciphertext != b.ciphertext
    assert unwrap_data_key(b, "second passphrase") == key
    with pytest.raises(WrongPassphrase):
        unwrap_data_key(b, "first passphrase")


def test_serialized_form_round_trips_and_binds_parameters():
    key = new_data_key()
    wrapped = wrap_data_key(key, "passphrase!", "vault-1", FAST)
    data = wrapped.to_dict()
    assert WrappedKey.from_dict(data) == wrapped
    data["kdf"]["iterations"] = 2  # parameters are authenticated data: tampering is refused
    with pytest.raises(WrongPassphrase):
        unwrap_data_key(WrappedKey.from_dict(data), "passphrase!")


@pytest.mark.parametrize(
    "broken",
    [
        {},
        {"format": "missiondesk-key"},
        [],
        "x",
        {
            "format": "missiondesk-key",
            "version": 1,
            "vault_id": "v",
            "kdf": {"name": "scrypt"},
            "wrap": {},
        },
    ],
)
def test_damaged_key_files_are_reported_as_such(broken):
    with pytest.raises(Unavailable):
        WrappedKey.from_dict(broken)


def test_default_parameters_meet_the_policy():
    assert DEFAULT_KDF.memory_kib >= MIN_MEMORY_KIB == 64 * 1024
    start = time.perf_counter()
    wrapped = wrap_data_key(new_data_key(), "passphrase!", "v")
    assert wrapped.kdf == DEFAULT_KDF
    # A loose sanity bound; the real figure is measured in bench/unlock.py.
    assert time.perf_counter() - start < 5
