"""domain/json_codec.py: while orjson is deferred (the desktop start), plain values are
written byte for byte as orjson writes them and stored documents read to the same values;
anything else still goes to orjson."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missiondesk.domain import json_codec
from missiondesk.domain.json_codec import canonical_json, load_stored
from tests.fresh_python import run_fresh


@contextmanager
def deferral() -> Iterator[None]:
    """The codec as the desktop start has it: orjson not loaded by the codec, deferred."""
    saved = json_codec._Codec.module, json_codec._Codec.deferred
    json_codec._Codec.module, json_codec._Codec.deferred = None, True
    try:
        yield
    finally:
        json_codec._Codec.module, json_codec._Codec.deferred = saved


@pytest.fixture
def deferred() -> Iterator[None]:
    with deferral():
        yield


def by_orjson(value: object) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def still_deferred() -> bool:
    return json_codec._Codec.deferred


def test_every_code_point_is_written_as_orjson_writes_it(deferred: None) -> None:
    code_points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(code_points), 4096):
        text = "".join(chr(c) for c in code_points[start : start + 4096])
        value = {text: [text, text[::-1]], text[:7]: text[-3:]}
        assert canonical_json(value) == by_orjson(value), hex(code_points[start])
    assert still_deferred()  # each of those went through the standard library


plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(1 << 63), max_value=(1 << 64) - 1)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(plain)
def test_plain_values_are_written_as_orjson_writes_them(value: object) -> None:
    with deferral():  # not the fixture: hypothesis runs many examples in one test
        assert canonical_json(value) == by_orjson(value)
        assert load_stored(by_orjson(value)) == orjson.loads(by_orjson(value))
        assert still_deferred()


class Colour(enum.StrEnum):
    RED = "red"


@pytest.mark.parametrize(
    "value",
    [
        {"at": 1.5},  # floats: the standard library writes 1e+16 where orjson writes 1e16
        [1e16, 1e-7],
        {"colour": Colour.RED},  # a str subclass
        {"n": 1 << 64},  # out of orjson's range: orjson refuses
        {1: "a"},  # a key that is not a str: orjson refuses
        {"lone": "\ud800"},  # a lone surrogate: orjson refuses
    ],
)
def test_anything_else_goes_to_orjson_and_ends_the_deferral(deferred: None, value: object) -> None:
    try:
        expected: object = by_orjson(value)
    except orjson.JSONEncodeError as refused:
        expected = type(refused)
    try:
        written: object = canonical_json(value)
    except orjson.JSONEncodeError as refused:
        written = type(refused)
    assert written == expected
    assert not still_deferred()


def test_without_the_deferral_orjson_writes_everything() -> None:
    code = (
        "import sys\n"
        "from missiondesk.domain.json_codec import canonical_json, defer_orjson, load_orjson\n"
        "canonical_json({'seq': 1})\n"
        "first = 'orjson' in sys.modules\n"
        "print(first)\n"
    )
    assert run_fresh(code).split() == ["True"]


def test_the_deferral_loads_nothing_until_load_orjson() -> None:
    code = (
        "import sys\n"
        "from missiondesk.domain.json_codec import canonical_json, defer_orjson, load_orjson\n"
        "from missiondesk.domain.json_codec import load_stored\n"
        "defer_orjson()\n"
        "written = canonical_json({'seq': 1, 'event': 'unlocked', 'detail': {'a': [None]}})\n"
        'read = load_stored(b\'{"a":[1,"b"]}\')\n'
        "before = 'orjson' in sys.modules\n"
        "load_orjson()\n"
        "print(written.decode(), read, before, 'orjson' in sys.modules)\n"
    )
    assert run_fresh(code).split() == [
        '{"detail":{"a":[null]},"event":"unlocked","seq":1}', "{'a':", "[1,", "'b']}", "False",
        "True",
    ]  # fmt: skip
