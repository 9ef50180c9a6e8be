"""`NamedTuple` as `typing.NamedTuple`, made ~3x faster: the annotations are kept as written.

`class Card(NamedTuple): ...` with `typing.NamedTuple` checks every field's annotation when the
class is made (`typing._type_check`: a `ForwardRef`, whose text is compiled, for each field
under `from __future__ import annotations`), ~0.3 ms a class. The app makes ~40 of them on its
way to the first window. This one makes the same class, `collections.namedtuple` with the
class body's defaults, methods, properties and docstring, and keeps the annotations as the
strings they are (`typing.get_type_hints` reads them as it reads any class's). Type checkers
see `typing.NamedTuple` itself.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

__all__ = ["NamedTuple"]

# What `collections.namedtuple` makes, or the class statement adds, which the body may not set.
_PROHIBITED = frozenset(
    ("__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
     "_make", "_replace", "_asdict", "_source")
)  # fmt: skip
_SPECIAL = frozenset(("__module__", "__name__", "__annotations__", "__qualname__"))
_namedtuple: Any = collections.namedtuple  # called with computed fields: Any to the checker


class _NamedTupleMeta(type):
    def __new__(mcs, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> type:
        if not bases:  # the NamedTuple base below
            return super().__new__(mcs, typename, bases, ns)
        if bases != (_Base,):
            raise TypeError("a NamedTuple can only inherit from NamedTuple")
        annotations: dict[str, Any] = ns.get("__annotations__", {})
        defaults: list[str] = []
        for name in annotations:
            if name in ns:
                defaults.append(name)
            elif defaults:
                raise TypeError(
                    f"Non-default namedtuple field {name} cannot follow default field"
                    f"{'s' if len(defaults) > 1 else ''} {', '.join(defaults)}"
                )
        made: type = _namedtuple(
            typename, list(annotations), defaults=[ns[n] for n in defaults], module=ns["__module__"]
        )
        made.__annotations__ = made.__new__.__annotations__ = dict(annotations)
        made.__qualname__ = ns.get("__qualname__", typename)
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
            if key not in _SPECIAL and key not in annotations:
                setattr(made, key, value)
        return made


_Base = _NamedTupleMeta("NamedTuple", (), {"__module__": __name__})

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    NamedTuple = _Base
