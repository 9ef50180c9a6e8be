"""What reaches the officer's terminal: text, never a control sequence the terminal would run."""

from __future__ import annotations

from missiondesk.commands.terminal_text import one_line, visible


def test_control_characters_are_written_out_and_text_is_kept():
    assert visible("x\x1b[31mred\x1b[0m") == "x\\x1b[31mred\\x1b[0m"
    assert visible("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert visible("over\rwrite\x7f\x9b") == "over\\x0dwrite\\x7f\\x9b"
    text = "Convoy at 0600\n\tRoute: MSR Tampa — نقطة تفتيش 4 ✅"
    assert visible(text) == text  # newlines, tabs, any script and emoji are text


def test_one_line_shows_line_breaks():
    assert one_line("first\nsecond\r\nthird\rfourth") == "first ⏎ second ⏎ third ⏎ fourth"


def test_direction_controls_are_written_out():
    assert visible("pay \u202e0011\u202c now") == "pay \\u202e0011\\u202c now"
    assert visible("\u2067قناة\u2069") == "\\u2067قناة\\u2069"
