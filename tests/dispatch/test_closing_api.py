"""Closing out over HTTP: close, cancel, reopen and notes, for every persona; bad input a 400 with a
message and nothing changed."""
import pytest

from dispatch.models import Incident, IncidentEvent
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db
COMMAND = ("administrator", "dispatcher")


@pytest.fixture
def zone(platform):
    return f.ZoneFactory(platform=platform)


@pytest.fixture
def worked(zone, officer_unit):
    """Cleared by the officer's unit: every persona that reads incidents can see it."""
    incident = f.IncidentFactory(zone=zone, status="cleared")
    f.AssignmentFactory(incident=incident, unit=officer_unit, status="cleared")
    return incident


def post(as_, persona, incident, action, body):
    return as_(persona).post(f"/api/v1/incidents/{incident.pk}/{action}", body, format="json")


# An officer may read the incident (their unit worked it) but not close it out: 403. Supervisors read only.
@pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND)))
def test_close(as_, worked, persona, code):
    response = post(as_, persona, worked, "close", {"disposition": "resolved", "result": "已处置"})
    assert response.status_code == code
    assert Incident.objects.get().status == ("closed" if code == 200 else "cleared")


@pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND)))
def test_cancel(as_, zone, officer_unit, persona, code):
    incident = f.IncidentFactory(zone=zone, status="dispatched")
    f.AssignmentFactory(incident=incident, unit=officer_unit)
    response = post(as_, persona, incident, "cancel", {"reason": "false_alarm"})
    assert response.status_code == code
    assert Incident.objects.get().status == ("cancelled" if code == 200 else "dispatched")


@pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND)))
def test_reopen(as_, worked, persona, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        response = post(as_, persona, worked, "reopen", {"reason": "报警人再次来电"})
    assert response.status_code == code
    assert Incident.objects.get().status == ("waiting" if code == 200 else "cleared")


@pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND, "officer", code=201)))
def test_notes(as_, worked, persona, code, officer_unit):
    response = post(as_, persona, worked, "notes", {"text": "已联系报警人"})
    assert response.status_code == code
    if code == 201:
        note = IncidentEvent.objects.get(kind="note")
        assert (response.data["data"], response.data["actor_name"]) == ({"text": "已联系报警人"}, note.actor.username)
        assert note.unit == (officer_unit if persona == "officer" else None)


@pytest.mark.parametrize(("action", "body", "errors"), [
    ("close", {"disposition": "resolved"}, {"result": ["This field is required."]}),
    ("close", {"disposition": "shrug", "result": "x"}, {"disposition": ['"shrug" is not a valid choice.']}),
    ("cancel", {"reason": "重复报警"}, {"reason": ['"重复报警" is not a valid choice.']}),
    ("reopen", {}, {"reason": ["This field is required."]}),
    ("notes", {"text": "字" * 1001}, {"text": ["A note holds at most 1000 characters (this one has 1001)."]}),
])
def test_bad_input_changes_nothing(as_, worked, action, body, errors):
    response = post(as_, "dispatcher", worked, action, body)
    assert (response.status_code, response.data) == (400, errors)
    assert (Incident.objects.get().status, IncidentEvent.objects.count()) == ("cleared", 0)
