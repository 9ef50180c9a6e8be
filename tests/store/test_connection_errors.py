"""How a failure met while opening a vault is worded: the drive failing it (an I/O error, as a
FUSE FAT32 stick without shared memory gives) is not reported as a damaged vault."""

from __future__ import annotations

from sqlcipher3 import dbapi2

from missiondesk.store.connection import open_error
from missiondesk.store.errors import DriveError, VaultCorrupt


def test_a_disk_io_error_names_the_drive_not_the_vault():
    found = open_error(dbapi2.OperationalError("disk I/O error"), "damaged")
    assert isinstance(found, DriveError)
    assert "drive reported a disk I/O error" in str(found)
    assert "exFAT" in str(found) and "damaged" not in str(found)


def test_unreadable_content_is_still_reported_as_damaged():
    for message in ("file is not a database", "database disk image is malformed"):
        found = open_error(dbapi2.DatabaseError(message), "The vault database is damaged.")
        assert isinstance(found, VaultCorrupt) and str(found) == "The vault database is damaged."
