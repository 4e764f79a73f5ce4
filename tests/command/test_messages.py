"""Point-to-point messages to a unit: who may send and read, what is stored, what is published."""
import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from command.models import UnitMessage
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
    "administrator": 201, "dispatcher": 201, "supervisor": 403, "officer": 403, "clerk": 403, "outsider": 403,
    "anonymous": 401}))
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
                "read_at": None, "sender": "dispatcher"}
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
