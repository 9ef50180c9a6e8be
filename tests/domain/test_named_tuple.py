"""domain/named_tuple.py makes the classes typing.NamedTuple makes, without checking the
annotations at class creation."""

from __future__ import annotations

import pickle
import re
import typing
from pathlib import Path

import pytest

from missiondesk.domain.named_tuple import NamedTuple

SRC = Path(__file__).resolve().parents[2] / "src" / "missiondesk"


class Fast(NamedTuple):
    """A row."""

    id: str
    count: int = 0
    tags: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.id}:{self.count}"

    def bumped(self) -> Fast:
        return self._replace(count=self.count + 1)

    @classmethod
    def empty(cls) -> Fast:
        return cls("")


class Typed(typing.NamedTuple):
    """A row."""

    id: str
    count: int = 0
    tags: tuple[str, ...] = ()


def test_the_class_behaves_as_typing_makes_it() -> None:
    fast, typed = Fast("a", 2), Typed("a", 2)
    assert Fast._fields == Typed._fields == ("id", "count", "tags")
    assert Fast._field_defaults == Typed._field_defaults == {"count": 0, "tags": ()}
    assert repr(fast) == repr(typed).replace("Typed", "Fast") == "Fast(id='a', count=2, tags=())"
    assert fast == typed == ("a", 2, ())  # a tuple, as typing's is
    assert isinstance(fast, tuple)
    assert fast._asdict() == typed._asdict()
    assert Fast.__doc__ == "A row."
    assert Fast.__module__ == __name__
    assert Fast.__qualname__ == "Fast"
    assert fast.label == "a:2"
    assert fast.bumped() == Fast("a", 3)
    assert Fast.empty() == Fast("")
    assert Fast._make(["b", 1, ("x",)]).tags == ("x",)
    with pytest.raises(AttributeError):
        fast.count = 3  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(fast)) == fast
    assert typing.get_type_hints(Fast) == typing.get_type_hints(Typed)


def test_mistakes_are_refused_as_typing_refuses_them() -> None:
    with pytest.raises(TypeError, match="Non-default namedtuple field b"):

        class Wrong(NamedTuple):
            a: int = 0
            b: int  # type: ignore[misc]

    with pytest.raises(AttributeError, match="_replace"):

        class Clash(NamedTuple):
            a: int

            def _replace(self) -> None:  # type: ignore[override]
                return None

    with pytest.raises(TypeError, match="only inherit from NamedTuple"):

        class Mixed(NamedTuple, dict):  # type: ignore[misc]
            a: int


def test_the_app_makes_its_named_tuples_with_it() -> None:
    """typing.NamedTuple costs ~0.3 ms a class on the way to the first window."""
    users = [
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if re.search(r"^from typing import .*\bNamedTuple\b", path.read_text(), re.M)
        and path.name != "named_tuple.py"
    ]
    assert users == []
