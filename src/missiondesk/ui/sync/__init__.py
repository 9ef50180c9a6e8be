"""The Sync section: mission, members, peers, sync now, serving, bundles, conflicts."""
