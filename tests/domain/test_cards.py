"""Cards (domain/cards.py) read what the record models wrote: same fields, same defaults, and
a document the model would refuse for a missing or mistyped field is left out."""

from __future__ import annotations

from typing import Any

import annotated_types
import pytest
from pydantic import BaseModel, ValidationError

from missiondesk.domain.cards import AttachmentCard, ChannelCard, DeviceCard, PersonCard
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.record_enums import ChannelKind, Role
from missiondesk.domain.records.attachments import Attachment
from missiondesk.domain.records.messaging import Channel
from missiondesk.domain.records.people import Device, Person

KEY = "A" * 43 + "="
PAIRS: list[tuple[type[Any], type[BaseModel], dict[str, Any]]] = [
    (
        PersonCard,
        Person,
        {
            "name": "Amina Diallo",
            "callsign": "BRAVO-2",
            "role": Role.DUTY_OFFICER,
            "unit": "Sector East",
            "outpost": "Team site Kilo",
            "emergency_contact": "+000 1234",
            "devices": ("d1", "d2"),
            "sensitivity": Sensitivity.CONFIDENTIAL,
        },
    ),
    (
        DeviceCard,
        Device,
        {"name": "laptop 3", "person": "p1", "signing_key": KEY, "exchange_key": KEY},
    ),
    (
        ChannelCard,
        Channel,
        {
            "name": "north",
            "kind": ChannelKind.OUTPOST,
            "description": "Outposts of the north",
            "members": ("p1", "p2"),
            "sensitivity": Sensitivity.STRICTLY_CONFIDENTIAL,
        },
    ),
    (
        AttachmentCard,
        Attachment,
        {"name": "route.gpx", "mime": "application/gpx+xml", "size": 2048, "sha256": "ab" * 32},
    ),
]
IDS = [model.__name__ for _, model, _ in PAIRS]


def refused(model: type[BaseModel], doc: dict[str, Any]) -> bool:
    try:
        model.model_validate(doc)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(("card", "model", "fields"), PAIRS, ids=IDS)
def test_a_card_has_the_models_fields_and_defaults(card, model, fields):
    assert set(card._fields) == set(model.model_fields)
    for name, info in model.model_fields.items():
        if info.is_required():
            assert name not in card._field_defaults, name
        else:
            assert card._field_defaults[name] == info.default, name


@pytest.mark.parametrize(("card", "model", "fields"), PAIRS, ids=IDS)
def test_a_card_reads_what_the_model_wrote(card, model, fields):
    written = model.model_validate(fields)
    doc = written.model_dump(mode="json")
    read = card.from_doc(doc)
    assert read is not None
    for name in model.model_fields:
        assert getattr(read, name) == getattr(written, name), name
    minimal = {k: v for k, v in doc.items() if model.model_fields[k].is_required()}
    assert card.from_doc(minimal) == card(
        **{k: getattr(model.model_validate(minimal), k) for k in minimal}
    )


@pytest.mark.parametrize(("card", "model", "fields"), PAIRS, ids=IDS)
def test_a_partial_or_mistyped_document_is_left_out_as_the_model_refuses_it(card, model, fields):
    doc = model.model_validate(fields).model_dump(mode="json")
    spoilt: list[dict[str, Any]] = []
    for name, info in model.model_fields.items():
        if info.is_required():
            spoilt.append(
                {k: v for k, v in doc.items() if k != name}
            )  # an update before its create
        spoilt.append({**doc, name: None})
        spoilt.append({**doc, name: {"nested": True}})
        spoilt.append({**doc, name: [1, 2]})
    spoilt.append({**doc, "sensitivity": "secret"})
    for bad in spoilt:
        assert refused(model, bad), bad
        assert card.from_doc(bad) is None, bad


def test_an_unknown_role_or_kind_is_refused_as_the_model_does():
    person = {"name": "A", "role": "general"}
    channel = {"name": "north", "kind": "broadcast"}
    assert refused(Person, person) and PersonCard.from_doc(person) is None
    assert refused(Channel, channel) and ChannelCard.from_doc(channel) is None


def test_a_channel_card_gives_the_json_the_model_gives():
    channel = Channel.model_validate(PAIRS[2][2])
    card = ChannelCard.from_doc(channel.model_dump(mode="json"))
    assert card is not None and card.as_json() == channel.model_dump(mode="json")


@pytest.mark.parametrize(("card", "model", "fields"), PAIRS, ids=IDS)
def test_a_field_past_the_models_limit_is_left_out_as_the_model_refuses_it(card, model, fields):
    """Documents from peers are not validated again when folded: a card holds the model's
    length and size limits, so a bad peer's megabyte of name never reaches a list."""
    doc = model.model_validate(fields).model_dump(mode="json")
    assert card.from_doc(doc) is not None
    checked = 0
    for name, info in model.model_fields.items():
        for limit in info.metadata:
            if isinstance(limit, annotated_types.MaxLen):
                n = limit.max_length
                value: Any = "x" * (n + 1) if isinstance(doc[name], str) else ["x"] * (n + 1)
            elif isinstance(limit, annotated_types.Le):
                value = limit.le + 1
            else:
                continue
            past = {**doc, name: value}
            assert refused(model, past), name
            assert card.from_doc(past) is None, name
            checked += 1
    assert checked >= 2
