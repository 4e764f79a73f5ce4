"""Further callers: the probable duplicates of a new call (near, recent, compatible), attaching a
caller to an incident with no unit sent, and reading a caller's full number, recorded."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dispatch import callers
from dispatch.models import CategoryPolicy, IncidentCaller, PhoneReveal
from tests import factories as f
from tests.places import PEOPLES_SQUARE

pytestmark = pytest.mark.django_db
EAST_200_M = (121.4737 + 200 / 95_000, 31.2304)   # ~200 m east of People's Square
EAST_400_M = (121.4737 + 400 / 95_000, 31.2304)


def incident_at(point, *, category="traffic_accident", minutes_ago=5, status="dispatched", **fields):
    return f.IncidentFactory(lon=point[0], lat=point[1], category=category, status=status,
                             received_at=timezone.now() - timedelta(minutes=minutes_ago), **fields)


def found(point, category="traffic_accident") -> list[str]:
    return [incident.number for incident, _ in callers.probable_duplicates(lon=point[0], lat=point[1], category=category)]


class TestProbableDuplicates:
    def test_near_recent_and_of_the_same_category_nearest_first(self):
        near = incident_at(EAST_200_M, number="NEAR")
        here = incident_at(PEOPLES_SQUARE, number="HERE")
        incident_at(EAST_400_M, number="FAR")                      # beyond 300 m
        incident_at(PEOPLES_SQUARE, number="OLD", minutes_ago=45)  # beyond 30 min
        incident_at(PEOPLES_SQUARE, number="OTHER", category="dispute")
        incident_at(PEOPLES_SQUARE, number="DONE", status="closed")
        assert found(PEOPLES_SQUARE) == [here.number, near.number]

    def test_a_cleared_incident_still_counts(self):
        incident_at(PEOPLES_SQUARE, number="CLEARED", status="cleared")
        assert found(PEOPLES_SQUARE) == ["CLEARED"]

    def test_the_category_policy_widens_the_radius_window_and_categories(self):
        CategoryPolicy.objects.create(category="traffic_accident", duplicate_radius_m=500, duplicate_window_min=60,
                                      duplicate_categories=["traffic_congestion"])
        incident_at(EAST_400_M, number="FAR")
        incident_at(PEOPLES_SQUARE, number="OLD", minutes_ago=45)
        incident_at(PEOPLES_SQUARE, number="JAM", category="traffic_congestion", minutes_ago=1)
        assert found(PEOPLES_SQUARE) == ["JAM", "OLD", "FAR"]
        assert found(PEOPLES_SQUARE, category="traffic_congestion") == ["JAM"]  # its own rule: the default


class TestAttach:
    def test_the_caller_joins_the_timeline_and_no_unit_is_sent(self, dispatcher, monkeypatch,
                                                               django_capture_on_commit_callbacks):
        from dispatch import tasks

        sent = []
        monkeypatch.setattr(tasks.incident_dispatch_task, "delay", lambda *args: sent.append(args))
        incident = incident_at(PEOPLES_SQUARE)
        with django_capture_on_commit_callbacks(execute=True):
            caller = callers.caller_attach(actor=dispatcher, incident=incident, name="李四", phone="13912345678",
                                           notes="看到两车相撞")
        assert (caller.incident, caller.name, caller.phone, caller.taken_by) == (incident, "李四", "13912345678", dispatcher)
        event = incident.events.get()
        assert (event.kind, event.data, event.actor) == ("caller_added", {"caller": caller.pk, "notes": "看到两车相撞"}, dispatcher)
        assert "13912345678" not in str(event.data)
        assert (sent, incident.assignments.count()) == ([], 0)

    def test_a_closed_incident_takes_no_more_callers(self, dispatcher):
        incident = incident_at(PEOPLES_SQUARE, status="closed")
        with pytest.raises(ValidationError) as refused:
            callers.caller_attach(actor=dispatcher, incident=incident, name="李四")
        assert refused.value.code == "conflict"
        assert IncidentCaller.objects.count() == 0

    def test_a_phone_that_is_not_a_number(self, dispatcher):
        incident = incident_at(PEOPLES_SQUARE)
        with pytest.raises(ValidationError) as refused:
            callers.caller_attach(actor=dispatcher, incident=incident, phone="call me")
        assert list(refused.value.message_dict) == ["phone"]
        assert (IncidentCaller.objects.count(), incident.events.count()) == (0, 0)


class TestReveal:
    def test_recorded_for_the_command_centre(self, dispatcher):
        incident = incident_at(PEOPLES_SQUARE)
        assert callers.phone_reveal(user=dispatcher, incident=incident) == "13800138000"
        reveal = PhoneReveal.objects.get()
        assert (reveal.user, reveal.incident, reveal.caller) == (dispatcher, incident, None)

    def test_a_further_callers_number(self, dispatcher):
        incident = incident_at(PEOPLES_SQUARE)
        caller = callers.caller_attach(actor=dispatcher, incident=incident, phone="13912345678")
        assert callers.phone_reveal(user=dispatcher, incident=incident, caller=caller) == "13912345678"
        assert PhoneReveal.objects.get().caller == caller

    def test_an_officer_on_the_job_may_a_supervisor_may_not(self, officer, officer_unit, supervisor):
        incident = incident_at(PEOPLES_SQUARE)
        f.AssignmentFactory(incident=incident, unit=officer_unit)
        assert callers.phone_reveal(user=officer, incident=incident) == "13800138000"
        with pytest.raises(PermissionDenied):
            callers.phone_reveal(user=supervisor, incident=incident)
        assert list(PhoneReveal.objects.values_list("user__username", flat=True)) == ["officer"]

    def test_who_took_the_call_reads_it_in_full(self, dispatcher, administrator):
        incident = incident_at(PEOPLES_SQUARE, created_by=dispatcher)
        assert (callers.sees_full_phone(dispatcher, incident), callers.sees_full_phone(administrator, incident)) == (True, False)
