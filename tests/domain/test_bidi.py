"""Text shown in the order it was typed: direction controls left out, scripts kept."""

from __future__ import annotations

from missiondesk.domain.bidi import without_direction_controls


def test_overrides_embeddings_and_isolates_are_left_out():
    assert without_direction_controls("pay \u202e0011\u202c now") == "pay 0011 now"
    assert without_direction_controls("\u202a\u202b\u202d\u2066\u2067\u2068\u2069x") == "x"


def test_arabic_hebrew_and_marks_that_do_not_reorder_are_kept():
    text = "قناة المسعفين — שלום — 38S MB 44845 36965 \u200e✓"
    assert without_direction_controls(text) == text
