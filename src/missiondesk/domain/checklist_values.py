"""Typed values of checklist items: what each item type accepts and the one way it is stored.

Values are stored as text in a canonical form (`yes`/`no`, a number without trailing zeros,
an ISO 8601 UTC date-time, the choice as the template spells it), so two laptops that typed
the same answer differently store the same value. Refusals say what the item expects and never
repeat what was typed.
"""

from __future__ import annotations

import math
import re
from datetime import UTC

from missiondesk.domain.dtg import format_dtg, parse_dtg
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.records.checklists import ItemType, TemplateItem

MAX_TEXT = 2000
_YES = frozenset({"yes", "y", "true", "1", "ok", "done", "x"})
_NO = frozenset({"no", "n", "false", "0"})


def _number_text(number: float) -> str:
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+")  # 1,000: a thousand, or one with a comma?


def _number(item: TemplateItem, text: str) -> str:
    unit = f" {item.unit}" if item.unit else ""
    if item.unit and text.casefold().endswith(item.unit.casefold()):  # "3 PCS" as "3 pcs"
        text = text[: -len(item.unit)]
    text = text.strip()
    if _THOUSANDS.fullmatch(text):
        raise InvalidInput(
            "a comma before three digits could be thousands or a decimal comma: write the"
            " number without it (1000) or with a point (1.000)"
        )
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"a number is expected{' in' + unit if unit else ''}") from None
    if not math.isfinite(number):
        raise InvalidInput("a finite number is expected")
    if item.minimum is not None and number < item.minimum:
        raise InvalidInput(f"at least {_number_text(item.minimum)}{unit}")
    if item.maximum is not None and number > item.maximum:
        raise InvalidInput(f"at most {_number_text(item.maximum)}{unit}")
    return _number_text(number)


def parse_value(item: TemplateItem, text: str) -> str:
    """The canonical stored value of `text` for `item`; InvalidInput says what is expected."""
    clean = text.strip()
    kind = item.type
    if kind in (ItemType.PHOTO, ItemType.SIGN_OFF):
        if clean:
            raise InvalidInput(
                "this item takes a photo, not a value"
                if kind is ItemType.PHOTO
                else "this item takes a sign-off by name, not a value"
            )
        return ""
    if not clean:
        raise InvalidInput(f"a value is needed ({describe(item)})")
    if kind is ItemType.YES_NO:
        return _yes_no(clean)
    if kind is ItemType.TEXT:
        if len(clean) > MAX_TEXT:
            raise InvalidInput(f"at most {MAX_TEXT} characters")
        return clean
    if kind is ItemType.NUMBER:
        return _number(item, clean)
    if kind is ItemType.DATETIME:
        try:
            return parse_dtg(clean).astimezone(UTC).isoformat()
        except InvalidInput:
            raise InvalidInput(
                "a date-time group like 221530Z NOV 26 (or ISO 8601) is expected"
            ) from None
    return _choice(item, clean)


def _yes_no(text: str) -> str:
    folded = text.casefold()
    if folded in _YES:
        return "yes"
    if folded in _NO:
        return "no"
    raise InvalidInput("answer yes or no")


def _choice(item: TemplateItem, text: str) -> str:
    for choice in item.choices:
        if choice.casefold() == text.casefold():
            return choice
    raise InvalidInput("one of: " + ", ".join(item.choices))


def describe(item: TemplateItem) -> str:
    """What the item expects, in words for a form or the command line."""
    kind = item.type
    if kind is ItemType.YES_NO:
        return "yes or no"
    if kind is ItemType.TEXT:
        return "text"
    if kind is ItemType.NUMBER:
        bounds = []
        if item.minimum is not None:
            bounds.append(f"from {_number_text(item.minimum)}")
        if item.maximum is not None:
            bounds.append(f"to {_number_text(item.maximum)}")
        unit = f" in {item.unit}" if item.unit else ""
        return "a number" + unit + (" " + " ".join(bounds) if bounds else "")
    if kind is ItemType.DATETIME:
        return "a date-time group (DTG)"
    if kind is ItemType.CHOICE:
        return "one of: " + ", ".join(item.choices)
    if kind is ItemType.PHOTO:
        return "a photo"
    return "a sign-off by name"


def shown_value(item: TemplateItem, value: str) -> str:
    """A stored value as an officer reads it (a DTG for a date-time, the unit after a number)."""
    if not value:
        return ""
    if item.type is ItemType.DATETIME:
        try:
            return format_dtg(parse_dtg(value))
        except InvalidInput:
            return value
    if item.type is ItemType.NUMBER and item.unit:
        return f"{value} {item.unit}"
    return value
