"""Broadcasts to a platform's units or to all units: who may send and read them, which units they reach,
the read marks, what is published (to the tablets' sockets too) and what bad input gets."""
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from command import broadcasts
from command.models import Broadcast, BroadcastRead
from tests import factories as f
from tests.api_support import client_as, matrix, readers
from tests.command.sockets import WAIT_S, login_headers, opened

pytestmark = pytest.mark.django_db


def send(request, persona, body):
    return client_as(request, persona).post("/api/v1/broadcasts", body, format="json")


@pytest.fixture
def sent(officer_unit, other_platform, dispatcher):
    """One to the officer's platform, one to all units, one to another platform: (mine, everyone, theirs)."""
    made = [broadcasts.broadcast_send(sender=dispatcher, text=text, platform=platform) for text, platform in (
        ("人广平台今晚加强巡逻", officer_unit.platform), ("全体注意：暴雨预警", None), ("外滩平台集合", other_platform))]
    return tuple(made)


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", code=201)))
def test_who_may_send(request, platform, persona, code):
    response = send(request, persona, {"text": "全体注意", "platform": platform.pk})
    assert response.status_code == code
    assert Broadcast.objects.count() == (1 if code == 201 else 0)


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "supervisor")))
def test_who_may_list_what_was_sent(request, sent, persona, code):
    assert client_as(request, persona).get("/api/v1/broadcasts").status_code == code


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "officer")))
def test_who_may_read_a_units_broadcasts(request, sent, officer_unit, persona, code):
    assert client_as(request, persona).get(f"/api/v1/units/{officer_unit.pk}/broadcasts").status_code == code


@pytest.mark.parametrize(("persona", "code"), matrix(readers("officer")))
def test_who_may_mark_one_read(request, sent, officer_unit, persona, code):
    mine = sent[0]
    response = client_as(request, persona).post(f"/api/v1/units/{officer_unit.pk}/broadcasts/{mine.pk}/read")
    assert response.status_code == code
    assert BroadcastRead.objects.count() == (1 if code == 200 else 0)


def test_a_unit_hears_its_platforms_and_the_all_units_ones_with_its_read_marks(request, sent, officer, officer_unit):
    mine, everyone, theirs = sent
    api = client_as(request, "officer")
    first = api.post(f"/api/v1/units/{officer_unit.pk}/broadcasts/{everyone.pk}/read").json()["read_at"]
    again = api.post(f"/api/v1/units/{officer_unit.pk}/broadcasts/{everyone.pk}/read").json()["read_at"]
    rows = api.get(f"/api/v1/units/{officer_unit.pk}/broadcasts").json()
    assert [(row["text"], row["platform"], row["read_at"] is not None) for row in rows] == [
        ("全体注意：暴雨预警", None, True), ("人广平台今晚加强巡逻", officer_unit.platform_id, False)]
    assert first is not None and again == first
    refused = api.post(f"/api/v1/units/{officer_unit.pk}/broadcasts/{theirs.pk}/read")
    assert (refused.status_code, refused.json()) == (400, {"broadcast": ["This broadcast was not sent to your unit."]})
    snapshot = api.get(f"/api/v1/units/{officer_unit.pk}/snapshot").json()
    assert [row["id"] for row in snapshot["broadcasts"]] == [everyone.pk, mine.pk]


def test_an_old_broadcast_is_no_longer_shown(sent, officer_unit):
    Broadcast.objects.filter(pk=sent[1].pk).update(sent_at=timezone.now() - timedelta(hours=25))
    assert [row["id"] for row in broadcasts.broadcasts_of(officer_unit)] == [sent[0].pk]


def test_the_console_lists_how_many_units_read_each_a_supervisor_their_platforms(request, sent, officer, officer_unit):
    client_as(request, "officer").post(f"/api/v1/units/{officer_unit.pk}/broadcasts/{sent[0].pk}/read")
    everything = client_as(request, "dispatcher").get("/api/v1/broadcasts").json()
    assert [(row["text"], row["units_read"], row["sender"]) for row in everything] == [
        ("外滩平台集合", 0, "dispatcher"), ("全体注意：暴雨预警", 0, "dispatcher"), ("人广平台今晚加强巡逻", 1, "dispatcher")]
    theirs = client_as(request, "supervisor").get("/api/v1/broadcasts").json()
    assert [row["text"] for row in theirs] == ["全体注意：暴雨预警", "人广平台今晚加强巡逻"]


@pytest.mark.parametrize(("body", "errors"), [
    ({"text": "  "}, {"text": ["Write the message."]}),
    ({"text": "长" * 501}, {"text": ["Ensure this field has no more than 500 characters."]}),
    ({"text": "全体注意", "platform": 99999}, {"platform": ['Invalid pk "99999" - object does not exist.']}),
    ({}, {"text": ["This field is required."]}),
])
def test_bad_input_is_refused_and_sends_nothing(request, dispatcher, body, errors):
    response = send(request, "dispatcher", body)
    assert (response.status_code, response.json(), Broadcast.objects.count()) == (400, errors, 0)


def test_the_answer_and_the_event_carry_the_broadcast(request, dispatcher, platform, django_capture_on_commit_callbacks):
    from platforms import events

    published = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = send(request, "dispatcher", {"text": "全体注意：暴雨预警"})
    broadcast = Broadcast.objects.get()
    expected = {"id": broadcast.pk, "platform": None, "text": "全体注意：暴雨预警", "sent_at": broadcast.sent_at.isoformat(),
                "sender": "dispatcher", "read_at": None}
    original = events.send_now
    events.send_now = lambda *args: published.append(args)
    try:
        for callback in callbacks:
            callback()
    finally:
        events.send_now = original
    assert (response.status_code, response.json()) == (201, expected)
    assert published == [("broadcast.sent", expected, ["tablets.all", "console.city"])]


@pytest.mark.django_db(transaction=True)
def test_a_tablets_socket_hears_its_platforms_broadcast_and_not_another(officer, officer_unit, other_platform, dispatcher):
    own, headers = officer_unit.platform, login_headers(officer)

    async def scenario():
        tablet, connected, _ = await opened(f"/ws/unit/{officer_unit.pk}/", headers)
        assert connected
        await sync_send(other_platform)  # not for this tablet
        await sync_send(own)             # for it
        heard = await tablet.receive_json_from(WAIT_S)
        assert await tablet.receive_nothing(0.3)
        await tablet.disconnect()
        return heard

    from channels.db import database_sync_to_async

    sync_send = database_sync_to_async(lambda platform: broadcasts.broadcast_send(
        sender=dispatcher, text=f"{platform.code} 集合", platform=platform))
    heard = async_to_sync(scenario)()
    assert (heard["event"], heard["data"]["text"], heard["data"]["platform"]) == (
        "broadcast.sent", f"{own.code} 集合", own.pk)
