"""Point-to-point messages with a unit: who may send, read and reply, what is stored, what is published,
and the officer-message alert a reply raises."""
import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from command.models import UnitMessage
from dispatch.models import Alert
from tests import factories as f
from tests.api_support import client_as, matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener():
    """A channel in the unit's group and the city's, as a tablet's and a console's sockets hold them."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()

    def join(*groups):
        for group in groups:
            async_to_sync(layer.group_add)(group, channel)
        return lambda: async_to_sync(layer.receive)(channel)

    return join


@pytest.mark.parametrize(("persona", "code"), matrix({
    "administrator": 201, "dispatcher": 201, "supervisor": 403, "officer": 403, "clerk": 403, "leadership": 403,
    "outsider": 403, "anonymous": 401}))
def test_who_may_send(request, officer_unit, persona, code):
    response = client_as(request, persona).post(f"/api/v1/units/{officer_unit.pk}/messages", {"text": "前往南京东路支援"},
                                                format="json")
    assert response.status_code == code
    assert UnitMessage.objects.count() == (1 if code == 201 else 0)


def test_a_message_is_stored_published_and_in_the_tablets_snapshot(request, officer, officer_unit, dispatcher, listener,
                                                                     django_capture_on_commit_callbacks):
    receive = listener(f"unit.{officer_unit.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(request, "dispatcher").post(f"/api/v1/units/{officer_unit.pk}/messages",
                                                         {"text": "  前往南京东路支援 "}, format="json")
    message = UnitMessage.objects.get()
    expected = {"id": message.pk, "unit": officer_unit.pk, "text": "前往南京东路支援", "sent_at": message.sent_at.isoformat(),
                "read_at": None, "sender": "dispatcher", "from_unit": False, "reply_to": None}
    assert (response.status_code, response.json()) == (201, expected)
    published = receive()
    assert (published["event"], published["data"]) == ("unit.message", expected)
    snapshot = client_as(request, "officer").get(f"/api/v1/units/{officer_unit.pk}/snapshot").json()
    assert snapshot["messages"] == [expected]


def test_a_blank_message_is_refused(request, officer_unit):
    response = client_as(request, "dispatcher").post(f"/api/v1/units/{officer_unit.pk}/messages", {"text": "   "},
                                                     format="json")
    assert response.status_code == 400 and "text" in response.json()
    assert UnitMessage.objects.count() == 0


def test_the_crew_reads_its_own_messages_only(request, officer, officer_unit, dispatcher):
    other = f.UnitFactory(platform=officer_unit.platform, call_sign="人广02")
    mine = UnitMessage.objects.create(unit=officer_unit, sender=dispatcher, text="收到请回复")
    theirs = UnitMessage.objects.create(unit=other, sender=dispatcher, text="别人的")
    api = client_as(request, "officer")
    assert [row["text"] for row in api.get(f"/api/v1/units/{officer_unit.pk}/messages").json()] == ["收到请回复"]
    assert api.get(f"/api/v1/units/{other.pk}/messages").status_code == 403
    assert api.post(f"/api/v1/messages/{theirs.pk}/read").status_code == 403
    first = api.post(f"/api/v1/messages/{mine.pk}/read").json()["read_at"]
    again = api.post(f"/api/v1/messages/{mine.pk}/read").json()["read_at"]
    assert first is not None and again == first
    assert client_as(request, "dispatcher").post(f"/api/v1/messages/{mine.pk}/read").status_code == 403
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- the crew's replies ------------------------------------------------------------------------------

@pytest.fixture
def message(officer_unit, dispatcher):
    return UnitMessage.objects.create(unit=officer_unit, sender=dispatcher, text="请报告位置")


def reply(request, persona, message, text="已到达南京东路口"):
    return client_as(request, persona).post(f"/api/v1/messages/{message.pk}/reply", {"text": text}, format="json")


@pytest.mark.parametrize(("persona", "code"), matrix({
    "administrator": 403, "dispatcher": 403, "supervisor": 403, "officer": 201, "clerk": 403, "leadership": 403,
    "outsider": 403, "anonymous": 401}))
def test_who_may_reply(request, message, persona, code):
    assert reply(request, persona, message).status_code == code
    assert UnitMessage.objects.filter(from_unit=True).count() == (1 if code == 201 else 0)
    assert Alert.objects.count() == (1 if code == 201 else 0)


def test_an_officer_of_another_unit_may_not_reply(request, officer, dispatcher):
    other = f.UnitFactory(call_sign="外滩01")
    theirs = UnitMessage.objects.create(unit=other, sender=dispatcher, text="别人的")
    assert reply(request, "officer", theirs).status_code == 403
    assert (UnitMessage.objects.filter(from_unit=True).count(), Alert.objects.count()) == (0, 0)


def test_a_reply_reaches_the_consoles_raises_an_alert_and_marks_the_message_read(
        request, officer, officer_unit, message, listener, django_capture_on_commit_callbacks):
    tablet = listener(f"unit.{officer_unit.pk}")
    platform_console = listener(f"console.platform.{officer_unit.platform_id}")
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(request, "officer", message, "  已到达南京东路口 ")
    answer = UnitMessage.objects.get(from_unit=True)
    message.refresh_from_db()
    alert = Alert.objects.get()
    expected = {"id": answer.pk, "unit": officer_unit.pk, "text": "已到达南京东路口", "sent_at": answer.sent_at.isoformat(),
                "read_at": None, "sender": "officer", "from_unit": True, "reply_to": message.pk}
    assert (response.status_code, response.json()) == (201, expected)
    assert message.read_at is not None
    assert (alert.kind, alert.unit_id, alert.incident_id, alert.message) == (
        "officer_message", officer_unit.pk, None, "人广01 replies: 已到达南京东路口")
    heard = [tablet()["event"] for _ in range(2)]
    assert heard == ["unit.message_read", "unit.message"]
    assert platform_console()["event"] == "alert.raised"
    snapshot = client_as(request, "officer").get(f"/api/v1/units/{officer_unit.pk}/snapshot").json()
    assert [row["id"] for row in snapshot["messages"]] == [answer.pk, message.pk]


@pytest.mark.parametrize(("text", "message_text"), [
    ("   ", "Write the message."), ("长" * 501, "Ensure this field has no more than 500 characters.")])
def test_a_blank_or_long_reply_is_refused_and_changes_nothing(request, officer, message, text, message_text):
    response = reply(request, "officer", message, text)
    assert (response.status_code, response.json()) == (400, {"text": [message_text]})
    message.refresh_from_db()
    assert (UnitMessage.objects.count(), Alert.objects.count(), message.read_at) == (1, 0, None)


def test_a_reply_to_a_reply_is_refused(request, officer, officer_unit, message):
    first = UnitMessage.objects.create(unit=officer_unit, sender=officer, text="收到", from_unit=True, reply_to=message)
    response = reply(request, "officer", first)
    assert (response.status_code, response.json()) == (400, {"message": ["Reply to a message from the command centre."]})
    assert UnitMessage.objects.count() == 2


def test_a_long_reply_is_shortened_in_the_alert_only(request, officer, message):
    text = "情况" * 200  # 400 characters: a whole reply, a shortened alert
    assert reply(request, "officer", message, text).status_code == 201
    assert UnitMessage.objects.get(from_unit=True).text == text
    alert = Alert.objects.get().message
    assert len(alert) == 300 and alert.endswith("…") and alert.startswith("人广01 replies: 情况")
