"""The mission itself: its name, its authority's key and certificate authority, its settings."""

from __future__ import annotations

from pydantic import Field

from missiondesk.domain.records.base import Record


class Mission(Record):
    name: str = Field(min_length=1, max_length=120)
    authority_key: str = Field(min_length=43, max_length=44)  # base64 Ed25519 public key
    ca_certificate: str = Field(min_length=1, max_length=8000)  # PEM
    discovery: bool = True  # announce and find peers on the LAN (mDNS); a mission may forbid it
