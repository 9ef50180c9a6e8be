"""Peer sync: transports, reconciliation and bundles (see docs/sync.md). Never imports Qt."""
