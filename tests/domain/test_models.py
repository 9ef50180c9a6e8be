import pytest
from pydantic import ValidationError

from missiondesk.domain.kinds import KINDS, RECORD_TYPES, Action, search_text
from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.domain.records.mapping import Geometry


def test_every_record_type_carries_a_sensitivity_level():
    for model in RECORD_TYPES.values():
        assert "sensitivity" in model.model_fields


def test_record_types_load_their_models_when_looked_up_and_name_them_back():
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from missiondesk.domain.kinds import RECORD_TYPES\n"
        "assert 'missiondesk.domain.records.incidents' not in sys.modules\n"
        "model = RECORD_TYPES['incident']\n"
        "assert model.__name__ == 'Incident'\n"
        "assert 'missiondesk.domain.records.checklists' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for record_type, model in RECORD_TYPES.items():
        assert RECORD_TYPES.type_of(model) == record_type
    assert "incident" in RECORD_TYPES and "nothing" not in RECORD_TYPES
    with pytest.raises(KeyError):
        RECORD_TYPES.type_of(Geometry)  # type: ignore[arg-type]


def test_messages_are_append_only():
    assert "message.update" not in KINDS
    assert KINDS["message.create"] is Action.SET
    assert KINDS["incident.update"] is Action.SET
    assert KINDS["incident.delete"] is Action.DELETE


def test_precedence_prosigns_and_order():
    assert Precedence.parse("Z") is Precedence.FLASH
    assert Precedence.parse("immediate") is Precedence.IMMEDIATE
    assert sorted(Precedence, key=lambda p: p.rank)[0] is Precedence.FLASH
    assert Precedence.FLASH.needs_acknowledgement
    assert not Precedence.ROUTINE.needs_acknowledgement


def test_sensitivity_labels():
    assert Sensitivity.parse("Strictly Confidential") is Sensitivity.STRICTLY_CONFIDENTIAL
    assert Sensitivity.STRICTLY_CONFIDENTIAL.label == "STRICTLY CONFIDENTIAL"


def test_geometry_shape_must_match_type():
    Geometry(type="LineString", coordinates=((1.0, 2.0), (3.0, 4.0)))
    with pytest.raises(ValidationError):
        Geometry(type="Polygon", coordinates=((1.0, 2.0), (3.0, 4.0)))


def test_search_text_of_an_incident_includes_place():
    title, body = search_text(
        "incident",
        {"title": "Ambush", "narrative": "at dawn", "location": {"place": "Kilo bridge"}},
    )
    assert title == "Ambush"
    assert "Kilo bridge" in body and "at dawn" in body


def test_casualty_counts_stop_at_a_bound_every_integer_holds():
    from missiondesk.domain.record_enums import MAX_CASUALTIES
    from missiondesk.domain.records.incidents import CasualtyCount

    assert CasualtyCount(civilians=MAX_CASUALTIES).total == MAX_CASUALTIES
    with pytest.raises(ValidationError):
        CasualtyCount(others=MAX_CASUALTIES + 1)
    with pytest.raises(ValidationError):
        CasualtyCount(un_personnel=2**64)  # once written, no JSON or SQLite integer held it
