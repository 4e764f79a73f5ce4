"""The database itself refuses what must never happen, even when Python's checks are bypassed."""
import pytest
from django.db import IntegrityError, connection, transaction

from dispatch.models import Assignment, AssignmentStatus, EventKind, IncidentEvent
from tests import factories as f


@pytest.mark.django_db
class TestOneActiveAssignmentPerUnit:
    def test_second_active_assignment_of_a_unit_is_refused_by_bulk_create(self):
        unit = f.UnitFactory()
        f.AssignmentFactory(unit=unit)
        with pytest.raises(IntegrityError, match="dispatch_one_active_assignment_per_unit"), transaction.atomic():
            Assignment.objects.bulk_create([Assignment(incident=f.IncidentFactory(), unit=unit)])

    def test_second_active_assignment_is_refused_by_raw_sql(self):
        unit = f.UnitFactory()
        f.AssignmentFactory(unit=unit)
        other = f.IncidentFactory()
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO dispatch_assignment (incident_id, unit_id, status, assigned_at, version) "
                "VALUES (%s, %s, 'acknowledged', now(), 1)", [other.pk, unit.pk])

    def test_an_ended_assignment_does_not_block_the_next(self):
        unit = f.UnitFactory()
        f.AssignmentFactory(unit=unit, status=AssignmentStatus.CLEARED)
        f.AssignmentFactory(unit=unit, status=AssignmentStatus.TIMED_OUT)
        f.AssignmentFactory(unit=unit)
        assert Assignment.objects.filter(unit=unit).count() == 3

    def test_reactivating_an_ended_assignment_beside_an_active_one_is_refused(self):
        unit = f.UnitFactory()
        ended = f.AssignmentFactory(unit=unit, status=AssignmentStatus.CLEARED)
        f.AssignmentFactory(unit=unit)
        with pytest.raises(IntegrityError), transaction.atomic():
            Assignment.objects.filter(pk=ended.pk).update(status=AssignmentStatus.ON_SCENE)


@pytest.mark.django_db
class TestIncidentEventsAreAppendOnly:
    def test_update_is_refused_by_the_database(self):
        event = IncidentEvent.objects.create(incident=f.IncidentFactory(), kind=EventKind.CREATED)
        with pytest.raises(IntegrityError, match="append-only: UPDATE refused"), transaction.atomic():
            IncidentEvent.objects.filter(pk=event.pk).update(kind=EventKind.NOTE)

    def test_delete_is_refused_by_the_database(self):
        event = IncidentEvent.objects.create(incident=f.IncidentFactory(), kind=EventKind.CREATED)
        with pytest.raises(IntegrityError, match="append-only: DELETE refused"), transaction.atomic():
            IncidentEvent.objects.filter(pk=event.pk).delete()
        assert IncidentEvent.objects.filter(pk=event.pk).exists()

    def test_saving_an_existing_event_again_is_refused_in_python(self):
        event = IncidentEvent.objects.create(incident=f.IncidentFactory(), kind=EventKind.CREATED)
        event.kind = EventKind.NOTE
        with pytest.raises(Exception, match="append-only"):
            event.save()


@pytest.mark.django_db
def test_nan_coordinates_are_refused_by_the_database():
    incident = f.IncidentFactory()
    with pytest.raises(IntegrityError, match="dispatch_incident_lat_range"), transaction.atomic():
        type(incident).objects.filter(pk=incident.pk).update(lat=float("nan"))
