"""Markings read from stored documents, which peers' apps wrote and nobody validated again."""

from __future__ import annotations

import pytest

from missiondesk.domain.markings import Precedence, Sensitivity


@pytest.mark.parametrize("level", list(Sensitivity))
def test_a_known_marking_reads_as_itself(level: Sensitivity):
    assert Sensitivity.of_stored(level.value) is level


@pytest.mark.parametrize("value", ["secret", "", None, 3, ["confidential"], {"a": 1}])
def test_a_marking_this_app_does_not_know_reads_as_the_highest(value: object):
    assert Sensitivity.of_stored(value) is Sensitivity.STRICTLY_CONFIDENTIAL


def test_a_precedence_this_app_does_not_know_reads_as_routine():
    assert [Precedence.of_stored(p.value) for p in Precedence] == list(Precedence)
    for value in ("ultra", None, ["flash"], 0):
        assert Precedence.of_stored(value) is Precedence.ROUTINE
