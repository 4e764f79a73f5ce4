"""The database itself refuses what must never happen, even when Python's checks are bypassed."""
import pytest
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction

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


def owner_refusal(statement: str) -> str:
    """The append-only trigger's own answer to `statement`, asked as the schema's owner (the app's login
    is refused before the trigger runs: tests/command/test_db_roles.py). A scratch table of the owner's
    session carries the same trigger function, so nothing the test transaction holds is touched."""
    import psycopg

    from command.db_roles import owner_fields

    params = connection.get_connection_params()
    if settings.DATABASE_OWNER_URL:
        own = owner_fields()
        params.update(user=own["USER"], password=own["PASSWORD"])
        params.update({"host": own["HOST"], "port": own["PORT"] or None} if "HOST" in own else {})
    params = {k: v for k, v in params.items() if k in ("host", "port", "dbname", "user", "password")}
    with psycopg.connect(**params) as owner:
        owner.execute("CREATE TEMP TABLE scratch_event (id int)")
        owner.execute("INSERT INTO scratch_event VALUES (1)")
        owner.execute("CREATE TRIGGER scratch_append_only BEFORE UPDATE OR DELETE ON scratch_event"
                      " FOR EACH ROW EXECUTE FUNCTION dispatch_incidentevent_append_only()")
        try:
            owner.execute(statement)
        except psycopg.errors.IntegrityConstraintViolation as error:
            return str(error).splitlines()[0]
        finally:
            owner.rollback()
    return "allowed"


@pytest.mark.django_db
class TestIncidentEventsAreAppendOnly:
    def test_the_timeline_carries_the_append_only_trigger_enabled(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgenabled, pg_get_triggerdef(t.oid) FROM pg_trigger t"
                           " WHERE tgrelid = 'dispatch_incidentevent'::regclass AND tgname = 'dispatch_incidentevent_append_only'")
            (enabled, definition), = cursor.fetchall()
        assert enabled == "O"
        assert "BEFORE DELETE OR UPDATE ON public.dispatch_incidentevent FOR EACH ROW" in definition
        assert definition.endswith("EXECUTE FUNCTION dispatch_incidentevent_append_only()")

    def test_update_is_refused_by_the_database_even_to_the_owner(self):
        assert owner_refusal("UPDATE scratch_event SET id = 2") == "incident events are append-only: UPDATE refused"

    def test_delete_is_refused_by_the_database_even_to_the_owner(self):
        assert owner_refusal("DELETE FROM scratch_event") == "incident events are append-only: DELETE refused"

    def test_the_apps_login_may_not_even_try(self):
        event = IncidentEvent.objects.create(incident=f.IncidentFactory(), kind=EventKind.CREATED)
        with pytest.raises(DatabaseError, match="permission denied|append-only"), transaction.atomic():
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
