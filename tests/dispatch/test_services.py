"""Intake, assignment and progress through the services, against real PostgreSQL."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dispatch import services
from dispatch.models import Assignment, EventKind, Incident, IncidentEvent, IncidentStatus
from platforms.models import Unit, UnitStatus
from platforms.transitions import InvalidTransition
from tests import factories as f

pytestmark = pytest.mark.django_db


def take_call(dispatcher, **overrides):
    fields = {"category": "public_order", "priority": 2, "lon": 121.4737, "lat": 31.2304, "caller_phone": "13800138000"}
    return services.incident_create(actor=dispatcher, **(fields | overrides))


class TestIncidentCreate:
    def test_resolves_zone_key_site_and_the_60_s_target(self, dispatcher):
        zone = f.ZoneFactory(response_class="city_centre")
        site = f.KeySiteFactory(radius_m=300)
        incident, created = take_call(dispatcher)
        assert created is True
        assert (incident.zone_id, incident.key_site_id, incident.target_s) == (zone.pk, site.pk, 60)
        assert list(incident.events.values_list("kind", "actor")) == [(EventKind.CREATED, dispatcher.pk)]

    def test_city_centre_zone_without_key_site_gets_180_s(self, dispatcher):
        f.ZoneFactory(response_class="city_centre")
        incident, _ = take_call(dispatcher)
        assert incident.target_s == 180

    def test_other_zone_gets_300_s(self, dispatcher):
        f.ZoneFactory(response_class="other")
        incident, _ = take_call(dispatcher)
        assert incident.target_s == 300

    def test_same_idempotency_key_twice_makes_one_incident(self, dispatcher):
        first, created_first = take_call(dispatcher, idempotency_key="call-42")
        second, created_second = take_call(dispatcher, idempotency_key="call-42")
        assert (first.pk, created_first, created_second) == (second.pk, True, False)
        assert Incident.objects.count() == 1

    def test_numbers_come_from_the_sequence(self, dispatcher):
        a, _ = take_call(dispatcher)
        b, _ = take_call(dispatcher)
        assert a.number.startswith("110-") and a.number != b.number

    @pytest.mark.parametrize("bad, field", [
        ({"lat": float("nan")}, "lon"),
        ({"lon": 121.9}, "lon"),                 # about 40 km east: outside the served area
        ({"category": "alien_landing"}, "category"),
        ({"priority": 9}, "priority"),
        ({"caller_phone": "call me maybe"}, "caller_phone"),
    ])
    def test_bad_input_is_refused_with_the_field_and_changes_nothing(self, dispatcher, bad, field):
        with pytest.raises(ValidationError) as error:
            take_call(dispatcher, **bad)
        assert field in error.value.message_dict
        assert (Incident.objects.count(), IncidentEvent.objects.count()) == (0, 0)


class TestAssignment:
    def test_assigning_dispatches_the_unit_and_the_incident(self, dispatcher):
        incident, _ = take_call(dispatcher)
        unit = f.UnitFactory()
        assignment = services.assignment_create(actor=dispatcher, incident=incident, unit=unit, eta_s=95.0)
        incident.refresh_from_db(); unit.refresh_from_db()
        assert (assignment.status, unit.status, incident.status) == ("assigned", "dispatched", "dispatched")
        assert list(incident.events.values_list("kind", flat=True)) == ["created", "assigned"]

    def test_a_busy_unit_is_a_conflict(self, dispatcher):
        unit = f.UnitFactory()
        services.assignment_create(actor=dispatcher, incident=take_call(dispatcher)[0], unit=unit)
        with pytest.raises(services.AssignmentConflict, match="not available"):
            services.assignment_create(actor=dispatcher, incident=take_call(dispatcher)[0], unit=unit)
        assert Assignment.objects.count() == 1

    def test_a_unit_not_on_an_approved_shift_is_refused(self, dispatcher):
        unit = f.UnitFactory(shift__approved=False)
        with pytest.raises(ValidationError, match="not on an approved shift"):
            services.assignment_create(actor=dispatcher, incident=take_call(dispatcher)[0], unit=unit)
        assert Assignment.objects.count() == 0

    def test_a_closed_incident_takes_no_units(self, dispatcher):
        incident, _ = take_call(dispatcher)
        Incident.objects.filter(pk=incident.pk).update(status=IncidentStatus.CANCELLED)
        with pytest.raises(ValidationError) as error:
            services.assignment_create(actor=dispatcher, incident=incident, unit=f.UnitFactory())
        assert "incident" in error.value.message_dict

    def test_the_whole_progress_clears_unit_and_incident(self, dispatcher, officer):
        incident, _ = take_call(dispatcher)
        unit = f.UnitFactory()
        assignment = services.assignment_create(actor=dispatcher, incident=incident, unit=unit)
        for step in ("acknowledged", "en_route", "on_scene"):
            services.assignment_advance(actor=officer, assignment=assignment, status=step)
        services.assignment_advance(actor=officer, assignment=assignment, status="cleared", disposition="劝离")
        incident.refresh_from_db(); unit.refresh_from_db(); assignment.refresh_from_db()
        assert (assignment.status, unit.status, incident.status, incident.disposition) == ("cleared", "available", "cleared", "劝离")
        assert list(incident.events.values_list("kind", flat=True)) == [
            "created", "assigned", "acknowledged", "en_route", "on_scene", "cleared"]

    def test_an_invalid_step_is_refused_and_changes_nothing(self, dispatcher):
        assignment = services.assignment_create(actor=dispatcher, incident=take_call(dispatcher)[0], unit=f.UnitFactory())
        with pytest.raises(InvalidTransition, match="from 'assigned' to 'cleared'"):
            services.assignment_advance(actor=dispatcher, assignment=assignment, status="cleared", disposition="x")
        assignment.refresh_from_db()
        assert assignment.status == "assigned"
        assert IncidentEvent.objects.filter(kind="cleared").count() == 0

    def test_clearing_needs_a_disposition(self, dispatcher):
        assignment = services.assignment_create(actor=dispatcher, incident=take_call(dispatcher)[0], unit=f.UnitFactory())
        services.assignment_advance(actor=dispatcher, assignment=assignment, status="on_scene")
        with pytest.raises(ValidationError) as error:
            services.assignment_advance(actor=dispatcher, assignment=assignment, status="cleared", disposition=" ")
        assert "disposition" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_racing_for_one_unit_one_wins(dispatcher):
    """Two threads, two database connections, one unit: exactly one assignment, one clear conflict."""
    unit = f.UnitFactory()
    incidents = [take_call(dispatcher)[0], take_call(dispatcher)[0]]
    barrier, outcomes = threading.Barrier(2), []

    def race(incident):
        barrier.wait()
        try:
            services.assignment_create(actor=dispatcher, incident=incident, unit=unit)
            outcomes.append("won")
        except services.AssignmentConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(incident,)) for incident in incidents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert Assignment.objects.filter(unit=unit).count() == 1
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.DISPATCHED
