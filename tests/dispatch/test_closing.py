"""Closing out: close with a disposition and a result, cancel with a reason, reopen; each a step on the
timeline with who, and bad input refused with nothing changed."""
import pytest
from django.core.exceptions import ValidationError

from dispatch import closing
from dispatch.models import Assignment, Incident
from platforms.models import Unit
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleared(platform, dispatcher):
    zone = f.ZoneFactory(platform=platform)
    return f.IncidentFactory(zone=zone, status="cleared", created_by=dispatcher)


@pytest.fixture
def dispatched(platform):
    zone = f.ZoneFactory(platform=platform)
    incident = f.IncidentFactory(zone=zone, status="dispatched")
    unit = f.UnitFactory(platform=platform, status="dispatched")
    f.AssignmentFactory(incident=incident, unit=unit)
    return incident


def kinds(incident) -> list[tuple[str, dict]]:
    return [(event.kind, event.data) for event in incident.events.all()]


class TestClose:
    def test_records_the_disposition_and_result(self, cleared, dispatcher):
        closed = closing.incident_close(actor=dispatcher, incident=cleared, disposition="mediated", result=" 双方和解 ")
        assert (closed.status, closed.closing, closed.result, closed.closed_at is not None) == (
            "closed", "mediated", "双方和解", True)
        assert kinds(closed) == [("closed", {"disposition": "mediated", "result": "双方和解"})]
        assert closed.events.get().actor == dispatcher

    @pytest.mark.parametrize(("disposition", "result", "errors"), [
        ("", "已处理", {"disposition": ["Choose how the incident ended."]}),
        ("nonsense", "已处理", {"disposition": ["Choose how the incident ended."]}),
        ("resolved", "  ", {"result": ["Write the result of the handling before closing."]}),
    ])
    def test_needs_both(self, cleared, dispatcher, disposition, result, errors):
        with pytest.raises(ValidationError) as refused:
            closing.incident_close(actor=dispatcher, incident=cleared, disposition=disposition, result=result)
        assert refused.value.message_dict == errors
        cleared.refresh_from_db()
        assert (cleared.status, cleared.events.count()) == ("cleared", 0)

    def test_only_a_cleared_incident(self, dispatched, dispatcher):
        with pytest.raises(ValidationError) as refused:
            closing.incident_close(actor=dispatcher, incident=dispatched, disposition="resolved", result="x")
        assert refused.value.code == "invalid_transition"
        assert Incident.objects.get().status == "dispatched"


class TestCancel:
    def test_releases_the_units_with_the_reason(self, dispatched, dispatcher):
        cancelled = closing.incident_cancel(actor=dispatcher, incident=dispatched, reason="false_alarm", note="恶作剧")
        assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "false_alarm")
        assert (Assignment.objects.get().status, Unit.objects.get().status) == ("cancelled", "available")
        assert kinds(cancelled) == [("cancelled", {"reason": "false_alarm", "note": "恶作剧"})]

    def test_a_reason_from_the_list(self, dispatched, dispatcher):
        with pytest.raises(ValidationError) as refused:
            closing.incident_cancel(actor=dispatcher, incident=dispatched, reason="重复报警")
        assert refused.value.message_dict == {"reason": ["Choose why the incident is cancelled."]}
        assert (Incident.objects.get().status, Assignment.objects.get().status) == ("dispatched", "assigned")


class TestReopen:
    @pytest.mark.parametrize("was", ["cleared", "closed", "cancelled"])
    def test_back_in_the_queue(self, cleared, dispatcher, was, django_capture_on_commit_callbacks):
        Incident.objects.filter(pk=cleared.pk).update(status=was, closing="resolved" if was == "closed" else "",
                                                     cancel_reason="duplicate" if was == "cancelled" else "")
        with django_capture_on_commit_callbacks() as queued:
            reopened = closing.incident_reopen(actor=dispatcher, incident=cleared, reason="报警人再次来电")
        assert (reopened.status, reopened.closed_at, reopened.closing, reopened.cancel_reason) == ("waiting", None, "", "")
        assert kinds(reopened) == [("reopened", {"reason": "报警人再次来电", "was": was})]
        assert len(queued) >= 1  # the engine takes it up again after commit

    def test_an_open_incident_is_not_reopened(self, dispatched, dispatcher):
        with pytest.raises(ValidationError) as refused:
            closing.incident_reopen(actor=dispatcher, incident=dispatched, reason="x")
        assert refused.value.code == "invalid_transition"

    def test_needs_a_reason(self, cleared, dispatcher):
        with pytest.raises(ValidationError) as refused:
            closing.incident_reopen(actor=dispatcher, incident=cleared, reason=" ")
        assert refused.value.message_dict == {"reason": ["Give the reason for reopening the incident."]}
        assert Incident.objects.get().status == "cleared"
