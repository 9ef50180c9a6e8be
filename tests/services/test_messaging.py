"""Messaging services over real vaults: channels and their audiences, direct channels, read
marks and unread counts, pages by cursor, messages in context, delivery state, acknowledgements,
attachments, and search."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.domain.records.attachments import MAX_ATTACHMENT_BYTES
from missiondesk.domain.records.messaging import ChannelKind
from missiondesk.services.attachments import NewAttachment
from missiondesk.services.channels import UNREAD_CAP, direct_channel_id
from missiondesk.services.delivery import MessageState
from missiondesk.services.session import Session
from tests.opfactory import share

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def pair(session: Session, make_session) -> tuple[Session, Session]:
    """Two laptops that have met once: each knows the other's person and device."""
    other = make_session()
    share(session, other)
    share(other, session)
    return session, other


def person_of(session: Session) -> str:
    return session.people.person_id


def test_channels_are_listed_mission_wide_first_with_unread_counts(pair):
    me, other = pair
    me.channels.create("zulu-team", ChannelKind.AD_HOC)
    me.channels.create("ops-north", ChannelKind.OUTPOST, "Sector North")
    share(me, other)
    for i in range(3):
        other.messaging.send("ops-north", f"routine {i}")
    other.messaging.send("ops-north", "contact east", Precedence.FLASH)
    share(other, me)
    views = me.channels.overview()
    assert [v.title for v in views] == ["general", "ops-north", "zulu-team"]
    north = views[1]
    assert (north.unread, north.unread_urgent) == (4, 1)
    assert me.channels.mark_read(north.id, me.messaging.older(north.id)[0].hlc)
    assert not me.channels.mark_read(north.id, 1)  # a read mark never moves back
    assert (me.channels.overview()[1].unread, me.channels.overview()[1].unread_urgent) == (0, 0)


def test_unread_counts_stop_at_the_cap(session: Session):
    channel = session.channels.require("general")[0]
    ops = [
        ("message.create", f"01a00000-0000-7000-8000-{i:012d}", _message_body(channel, f"m{i}"))
        for i in range(UNREAD_CAP + 5)
    ]
    session.writer.submit_many(ops)
    general = session.channels.overview()[0]
    assert general.unread == UNREAD_CAP and general.unread_text == "999+"


def _message_body(channel: str, text: str) -> dict[str, object]:
    return {"fields": {"channel": channel, "text": text, "precedence": "routine"}}


def test_what_one_writes_one_has_read(session: Session):
    session.messaging.send("general", "my own report")
    assert session.channels.overview()[0].unread == 0


def test_members_decide_the_audience_and_who_sees_the_channel(pair, make_session):
    me, other = pair
    third = make_session("Chloe Dubois", "CHARLIE-3")
    share(me, third)
    share(third, me)
    medics = me.channels.create("medics", members=(person_of(other),))
    share(me, other)
    share(me, third)
    channel = me.channels.require(medics)[1]
    assert set(channel.members) == {person_of(me), person_of(other)}  # the creator joins
    assert [e.label for e in me.channels.audience(channel)] == ["ALPHA-1", "BRAVO-2"]
    assert "medics" in [v.title for v in other.channels.overview()]
    assert "medics" not in [v.title for v in third.channels.overview()]
    with pytest.raises(InvalidInput, match="not known"):
        me.channels.create("ghosts", members=("01a00000-0000-7000-8000-000000000000",))
    with pytest.raises(InvalidInput, match="already exists"):
        me.channels.create("#Medics")


def test_a_direct_channel_is_one_record_on_both_laptops(pair):
    me, other = pair
    mine = me.channels.direct(person_of(other))
    theirs = other.channels.direct(person_of(me))
    assert mine == theirs == direct_channel_id(person_of(me), person_of(other))
    me.messaging.send(mine, "just between us")
    share(me, other)
    share(other, me)
    direct = [v for v in other.channels.overview() if v.is_direct]
    assert [(v.title, v.unread) for v in direct] == [("ALPHA-1", 1)]
    assert len([c for _, c in me.channels.all() if c.kind is ChannelKind.DIRECT]) == 1
    with pytest.raises(InvalidInput, match="another person"):
        me.channels.direct(person_of(me))
    with pytest.raises(InvalidInput, match="Open a direct channel"):
        me.channels.create("dm", ChannelKind.DIRECT)


def test_pages_by_cursor_cover_the_channel_once_newest_first(session: Session):
    channel = session.channels.require("general")[0]
    for start in range(0, 250, 50):
        session.writer.submit_many(
            [
                (
                    "message.create",
                    f"01a00000-0000-7000-8000-{i:012d}",
                    _message_body(channel, f"m{i}"),
                )
                for i in range(start, start + 50)
            ]
        )
    seen: list[str] = []
    page = session.messaging.older(channel, None, 100)
    while page:
        seen += [v.text for v in page]
        page = session.messaging.older(channel, page[-1].cursor, 100)
    assert seen == [f"m{i}" for i in reversed(range(250))]
    newest = session.messaging.older(channel, None, 1)[0]
    assert session.messaging.newer(channel, newest.cursor) == []
    middle = session.messaging.older(channel, None, 120)[-1]
    assert [v.text for v in session.messaging.newer(channel, middle.cursor, 3)] == [
        "m133",
        "m132",
        "m131",
    ]


def test_a_message_opens_in_context(session: Session):
    channel = session.channels.require("general")[0]
    ids = [session.messaging.send("general", f"line {i}") for i in range(100)]
    around = session.messaging.around(ids[50], before=5, after=5)
    assert [v.text for v in around.rows] == [f"line {i}" for i in range(55, 44, -1)]
    assert around.rows[around.target].id == ids[50]
    assert not around.newest
    top = session.messaging.around(ids[-1], before=5, after=5)
    assert top.newest and top.target == 0
    assert session.messaging.count(channel) == 100


def test_delivery_state_follows_what_peers_hold_and_who_acknowledged(pair):
    me, other = pair
    message_id = me.messaging.send("general", "Report status", Precedence.IMMEDIATE)
    view = me.messaging.views_of([message_id])[0]
    assert (view.state, view.audience, view.awaiting) == (MessageState.QUEUED, 1, ("BRAVO-2",))
    # the other laptop tells us what it holds (as its sync session does)
    share(me, other)
    with me.vault.transaction():
        me.vault.trust.record_peer(
            other.device_id,
            heads={a: [s, i.hex()] for a, (s, i) in other.vault.oplog.heads().items()},
        )
    view = me.messaging.views_of([message_id])[0]
    assert view.state is MessageState.DELIVERED and view.delivered_to == 1
    assert view.status_text == "Delivered 1/1 · 0 ack"
    theirs = other.messaging.views_of([message_id])[0]
    assert theirs.needs_my_ack and theirs.state is MessageState.RECEIVED
    other.messaging.acknowledge(message_id)
    other.messaging.acknowledge(message_id)  # twice: one acknowledgement
    share(other, me)
    view = me.messaging.views_of([message_id])[0]
    assert view.state is MessageState.ACKNOWLEDGED
    assert view.acknowledged_by == ("BRAVO-2",) and view.awaiting == ()
    assert not other.messaging.views_of([message_id])[0].needs_my_ack
    assert other.messaging.waiting_for_my_ack() == []


def test_flash_waiting_for_my_acknowledgement(pair):
    me, other = pair
    flash = other.messaging.send("general", "Shots fired", Precedence.FLASH)
    other.messaging.send("general", "routine", Precedence.ROUTINE)
    me.messaging.send("general", "my own flash", Precedence.FLASH)
    share(other, me)
    assert [v.id for v in me.messaging.waiting_for_my_ack()] == [flash]


def test_a_message_is_never_below_its_channel_sensitivity(session: Session):
    channel = session.channels.create("intel", sensitivity=Sensitivity.CONFIDENTIAL)
    message_id = session.messaging.send(channel, "source report")
    assert session.messaging.views_of([message_id])[0].sensitivity is Sensitivity.CONFIDENTIAL


def test_attachments_travel_with_the_message_and_export_is_audited(pair, tmp_path: Path):
    me, other = pair
    photo = NewAttachment.of("bridge.png", PNG)
    notes = NewAttachment.of("notes.txt", b"Bridge at km 42 damaged")
    assert (photo.mime, notes.mime) == ("image/png", "text/plain")
    message_id = me.messaging.send(
        "general", "Photos of the bridge", Precedence.PRIORITY, attachments=[photo, notes]
    )
    share(me, other)
    view = other.messaging.views_of([message_id])[0]
    assert [(a.name, a.size, a.is_image) for a in view.attachments] == [
        ("bridge.png", len(PNG), True),
        ("notes.txt", 23, False),
    ]
    info, data = other.attachments.content(view.attachments[0].id)
    assert data == PNG and info.mime == "image/png"
    target = tmp_path / "out" / "bridge.png"
    target.parent.mkdir()
    other.attachments.export(view.attachments[0].id, target)
    assert target.read_bytes() == PNG
    last = other.audit.entries()[-1]
    assert last.event == "data.exported" and "attachment" in last.detail
    assert "bridge" not in last.detail  # names are user data: the audit holds ids and sizes
    assert other.audit.verify().ok


def test_attachment_only_message_is_named_after_its_files(session: Session):
    message_id = session.messaging.send(
        "general", "", attachments=[NewAttachment.of("a.pdf", b"%PDF-1.4")]
    )
    view = session.messaging.views_of([message_id])[0]
    assert view.text == "a.pdf" and view.attachments[0].mime == "application/pdf"


def test_bad_attachments_are_refused_clearly(tmp_path: Path):
    with pytest.raises(InvalidInput, match="at most"):
        NewAttachment.of("huge.bin", bytes(MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(InvalidInput, match="does not exist"):
        NewAttachment.read(tmp_path / "missing.jpg")
    with pytest.raises(InvalidInput, match="is a folder"):
        NewAttachment.read(tmp_path)
    big = tmp_path / "big.bin"
    with big.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(InvalidInput, match="at most") as refused:
        NewAttachment.read(big)
    limit = f"{MAX_ATTACHMENT_BYTES:,}"
    assert str(refused.value) == (  # one byte over: in bytes, not "8.0 MB; at most 8.0 MB"
        f"big.bin is {MAX_ATTACHMENT_BYTES + 1:,} bytes; attachments may be at most {limit} bytes."
    )


def test_damaged_attachment_content_is_reported(session: Session):
    message_id = session.messaging.send(
        "general", "x", attachments=[NewAttachment.of("a.txt", b"abc")]
    )
    attachment = session.messaging.views_of([message_id])[0].attachments[0]
    digest = hashlib.sha256(b"abc").hexdigest()
    with session.vault.transaction() as conn:
        conn.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", (b"abd", digest))
    with pytest.raises(InvalidInput, match="damaged"):
        session.attachments.content(attachment.id)


def test_search_finds_messages_newest_first_with_marked_snippets(session: Session):
    session.messaging.send("general", "Convoy Alpha departs 0600 from Camp Tango")
    session.messaging.send("general", "Radio check at 1800")
    session.messaging.send("general", "Convoy Bravo delayed at checkpoint 4")
    found = session.messaging.search("convoy")
    assert [f.message.text for f in found] == [
        "Convoy Bravo delayed at checkpoint 4",
        "Convoy Alpha departs 0600 from Camp Tango",
    ]
    assert "\x02Convoy\x03" in found[0].snippet
    assert [f.message.text for f in session.messaging.search("check")] == [
        "Convoy Bravo delayed at checkpoint 4",
        "Radio check at 1800",
    ]
    assert session.messaging.search('"') == [] and session.messaging.search("   ") == []
    assert [f.message.text for f in session.messaging.search("convoy camp")] == [
        "Convoy Alpha departs 0600 from Camp Tango"
    ]


def test_a_peers_malformed_message_is_shown_within_bounds_and_spoils_nothing(pair):
    """Documents from peers are not validated again when folded. A message another app wrote
    past the model's limits (an unknown precedence or marking, an over-long text) must not
    make the channel unreadable: it shows as ROUTINE, at the highest marking, its text cut."""
    from missiondesk.domain.ids import uuid7
    from missiondesk.domain.record_enums import MAX_MESSAGE_TEXT
    from missiondesk.services.messaging import CUT_NOTE

    me, other = pair
    other.messaging.send("general", "before")
    bad = {
        "channel": "channel-general",
        "text": "x" * (MAX_MESSAGE_TEXT * 50),
        "precedence": "ultra",
        "sensitivity": ["top", "secret"],
    }
    other.writer.submit("message.create", uuid7(), {"fields": bad})
    other.messaging.send("general", "after")
    share(other, me)
    page = me.messaging.older("channel-general")
    assert [v.text[:6] for v in page] == ["after", "xxxxxx", "before"]
    odd = page[1]
    assert odd.precedence is Precedence.ROUTINE
    assert odd.sensitivity is Sensitivity.STRICTLY_CONFIDENTIAL
    assert len(odd.text) <= MAX_MESSAGE_TEXT + 100
    assert odd.text.endswith(CUT_NOTE)
    assert me.channels.overview()[0].unread == 3


def test_a_peers_message_with_a_precedence_of_the_wrong_type_still_folds(pair):
    """The store ranks each message by precedence as it folds it: a value of the wrong type
    (a list) from a peer once stopped the whole batch; it ranks and reads as ROUTINE."""
    from missiondesk.domain.ids import uuid7

    me, other = pair
    odd = {"channel": "channel-general", "text": "odd", "precedence": ["flash"]}
    other.writer.submit("message.create", uuid7(), {"fields": odd})
    share(other, me)
    (view,) = me.messaging.older("channel-general")
    assert (view.text, view.precedence) == ("odd", Precedence.ROUTINE)
