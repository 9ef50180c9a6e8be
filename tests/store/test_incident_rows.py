"""The incident projection's row of one document, read defensively: peers' documents are not
validated again when they are folded."""

from __future__ import annotations

from missiondesk.domain.markings import Sensitivity
from missiondesk.store.incident_rows import COLUMNS, row_values

SENSITIVITY = COLUMNS.index("sensitivity")


def test_a_marking_this_app_does_not_know_ranks_as_the_highest():
    """The SITREP and the lists mark what they show by these ranks: never lower than it
    might be."""
    assert row_values({"sensitivity": "confidential"})[SENSITIVITY] == Sensitivity.CONFIDENTIAL.rank
    assert row_values({})[SENSITIVITY] == Sensitivity.UNCLASSIFIED.rank
    for odd in ("cosmic", ["secret"], 7):
        assert (
            row_values({"sensitivity": odd})[SENSITIVITY] == Sensitivity.STRICTLY_CONFIDENTIAL.rank
        )
