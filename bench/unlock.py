"""How long unlocking a vault takes with the default Argon2id parameters.

Subject: `unlock_vault(root, passphrase)` (read the key file, Argon2id, unwrap the data key,
open SQLCipher with the raw key, check the schema, start the session, write the audit entry),
on a vault made with `DEFAULT_KDF` holding a few thousand messages.

Baselines, measured in the same run and interleaved with it (rotating who goes first):
- raw-key open: `open_encrypted` on the same database with the data key and the cipher
  settings the key file records, no KDF at all;
- SQLCipher's own passphrase open: the same content exported to a database keyed with
  `PRAGMA key = 'passphrase'` (PBKDF2-HMAC-SHA512, SQLCipher 4's default 256,000 iterations),
  opened the way `open_encrypted` opens (key, first read, pragmas), for context;
- Argon2id alone (`derive_kek` with the vault's parameters), to show where the time goes.

Target: unlock <= 0.5 s (median). Also prints the Argon2id parameters and unlock / baselines.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from _common import Check, header, median, parser, quiet_gc, report, spread, write_checks
from missiondesk.crypto.keywrap import (
    DEFAULT_KDF,
    MIN_MEMORY_KIB,
    WrappedKey,
    derive_kek,
    unwrap_data_key,
)
from missiondesk.domain.ids import uuid7
from missiondesk.domain.records.messaging import Message
from missiondesk.services.vault_access import create_vault, unlock_vault
from missiondesk.store.connection import PRAGMAS, CipherSettings, open_encrypted
from missiondesk.store.layout import VaultLayout

NAME = "unlock"
TARGET_S = 0.5
PASSPHRASE = "correct horse battery staple"
SQLCIPHER_PASSPHRASE = "another correct horse battery staple"


def fill(root: Path, messages: int) -> None:
    """Create the vault with the default KDF and write `messages` messages through the road."""
    session = create_vault(root, PASSPHRASE, name="Bench Officer", callsign="BENCH-1")
    try:
        channel = session.messaging.channels()[0][0]
        for start in range(0, messages, 500):
            session.writer.submit_many(
                [
                    (
                        "message.create",
                        uuid7(),
                        {
                            "fields": Message(
                                channel=channel, text=f"Patrol report {i}: route clear"
                            ).model_dump(mode="json")
                        },
                    )
                    for i in range(start, min(messages, start + 500))
                ]
            )
    finally:
        session.close()


def export_with_passphrase(
    database: Path, data_key: bytes, cipher: CipherSettings, target: Path
) -> None:
    """Copy the vault's content into a database keyed by SQLCipher's own PBKDF2 passphrase
    (with SQLCipher's default settings: an attached database does not inherit the vault's)."""
    conn = sqlcipher3.connect(str(database), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    conn.execute(f"PRAGMA cipher_hmac_algorithm = {cipher.hmac}")
    conn.execute(f"PRAGMA cipher_page_size = {cipher.page_size}")
    conn.execute("ATTACH DATABASE ? AS pp KEY ?", (str(target), SQLCIPHER_PASSPHRASE))
    conn.execute("SELECT sqlcipher_export('pp')")
    conn.execute("DETACH DATABASE pp")
    conn.close()


def open_with_passphrase(path: Path) -> None:
    """What `open_encrypted` does, but with a passphrase key: SQLCipher runs PBKDF2 on it."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = '{SQLCIPHER_PASSPHRASE}'")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    for pragma in PRAGMAS:
        conn.execute(pragma)
    conn.close()


def kdf_iterations(path: Path) -> int:
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = '{SQLCIPHER_PASSPHRASE}'")
    value = int(conn.execute("PRAGMA kdf_iter").fetchone()[0])
    conn.close()
    return value


def main(argv: list[str] | None = None) -> int:
    p = parser("unlock time with the default Argon2id parameters")
    p.add_argument("--runs", type=int, default=None, help="timed runs of each (default 9)")
    p.add_argument("--messages", type=int, default=None, help="messages in the vault (2,000)")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    runs = args.runs or (3 if quick else 9)
    messages = args.messages if args.messages is not None else (200 if quick else 2_000)

    header("unlock_vault with the default Argon2id parameters", quick)
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        root = Path(tmp) / "vault"
        layout = VaultLayout(root)
        fill(root, messages)
        key_file = json.loads(layout.key_file.read_text("utf-8"))
        wrapped = WrappedKey.from_dict(key_file)
        cipher = CipherSettings.from_dict(key_file.get("database"))  # as unlock_vault reads it
        kdf = wrapped.kdf
        print(
            f"Argon2id (from the key file): memory {kdf.memory_kib} KiB "
            f"({kdf.memory_kib / 1024:.0f} MiB), iterations {kdf.iterations}, lanes {kdf.lanes}; "
            f"DEFAULT_KDF = {DEFAULT_KDF}"
        )
        if kdf != DEFAULT_KDF or kdf.memory_kib < MIN_MEMORY_KIB:
            raise SystemExit("the vault was not made with DEFAULT_KDF >= 64 MiB")
        data_key = unwrap_data_key(wrapped, PASSPHRASE)
        pp_db = Path(tmp) / "pbkdf2.db"
        export_with_passphrase(layout.database, data_key, cipher, pp_db)
        print(
            f"vault: {messages:,} messages, database {layout.database.stat().st_size / 2**20:.1f}"
            f" MiB, {cipher}; SQLCipher passphrase copy: PBKDF2 kdf_iter = "
            f"{kdf_iterations(pp_db):,}"
        )

        def unlock() -> None:
            unlock_vault(root, PASSPHRASE).close()

        def raw_open() -> None:
            open_encrypted(layout.database, data_key, cipher=cipher).close()

        def pbkdf2_open() -> None:
            open_with_passphrase(pp_db)

        def argon2_only() -> None:
            derive_kek(PASSPHRASE, wrapped.salt, kdf)

        subjects: list[tuple[str, Callable[[], None]]] = [
            ("unlock_vault", unlock),
            ("raw-key open", raw_open),
            ("PBKDF2 open", pbkdf2_open),
            ("Argon2id only", argon2_only),
        ]
        for _, fn in subjects:  # warm-up: imports, page cache, allocator
            fn()
        times: dict[str, list[float]] = {name: [] for name, _ in subjects}
        for r in range(runs):
            k = r % len(subjects)
            for name, fn in subjects[k:] + subjects[:k]:
                with quiet_gc():
                    start = time.perf_counter()
                    fn()
                    times[name].append(time.perf_counter() - start)
            print(
                f"  run {r + 1}/{runs}: "
                + "  ".join(f"{n} {times[n][-1] * 1000:.0f} ms" for n, _ in subjects),
                flush=True,
            )

    med = {name: median(v) for name, v in times.items()}
    print("\nresults (medians)")
    for name, _ in subjects:
        print(f"  {name:14s} {med[name] * 1000:8.1f} ms   ({spread(times[name])})")
    rest = med["unlock_vault"] - med["Argon2id only"] - med["raw-key open"]
    print(
        f"\n  unlock / raw-key open   {med['unlock_vault'] / med['raw-key open']:8.1f}x"
        f"\n  unlock / PBKDF2 open    {med['unlock_vault'] / med['PBKDF2 open']:8.2f}x"
        f"\n  Argon2id share of unlock {med['Argon2id only'] / med['unlock_vault']:7.0%}"
        f"\n  breakdown: Argon2id {med['Argon2id only'] * 1000:.0f} ms, SQLCipher open "
        f"{med['raw-key open'] * 1000:.1f} ms, the rest (key file, schema check, session, "
        f"audit entry, lock) {rest * 1000:+.0f} ms (medians of separate runs: within noise "
        "when near 0)"
    )
    checks = [
        Check(
            NAME,
            "unlock_vault median",
            med["unlock_vault"],
            TARGET_S,
            "<=",
            "s",
            f"{med['unlock_vault'] / med['raw-key open']:.1f}x raw-key open, "
            f"{med['unlock_vault'] / med['PBKDF2 open']:.2f}x PBKDF2 open",
        )
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
