"""Issue 19, medium 5: the append-only timeline holds against the app's own login, not only the ORM.
The tests run as that login (tests/conftest.py); each attempt below is one that worked with a superuser."""
import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dispatch.models import Assignment, EventKind, Incident, IncidentEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def refused(sql: str, params=()) -> str:
    """Run `sql` in a savepoint; the database's refusal (or "allowed")."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return str(error).splitlines()[0]
    return "allowed"


@pytest.fixture
def reached():
    """An incident dispatched and reached, with its timeline event."""
    assignment = f.AssignmentFactory()
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(acknowledged_at=now, en_route_at=now, on_scene_at=now)
    Incident.objects.filter(pk=assignment.incident_id).update(on_scene_at=now, verified_on_scene_at=now)
    IncidentEvent.objects.create(incident=assignment.incident, kind=EventKind.ON_SCENE, at=now)
    return assignment


def test_the_app_runs_as_a_role_that_is_no_superuser_and_owns_nothing():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user")
        user, superuser, createrole, createdb = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                       " WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user")
        owned = cursor.fetchone()[0]
    assert (user, superuser, createrole, createdb, owned) == ("dispatch_app", False, False, False, 0)


@pytest.mark.parametrize("sql, refusal", [
    ("UPDATE dispatch_incidentevent SET at = now()", "permission denied for table dispatch_incidentevent"),
    ("DELETE FROM dispatch_incidentevent", "permission denied for table dispatch_incidentevent"),
    ("TRUNCATE dispatch_incidentevent CASCADE", "permission denied for table dispatch_incidentevent"),
    ("ALTER TABLE dispatch_incidentevent DISABLE TRIGGER ALL", "must be owner of table dispatch_incidentevent"),
    ("SET session_replication_role = replica", 'permission denied to set parameter "session_replication_role"'),
    ("DROP TRIGGER dispatch_incidentevent_append_only ON dispatch_incidentevent",
     "must be owner of relation dispatch_incidentevent"),
    ("DELETE FROM dispatch_incident", "permission denied for table dispatch_incident"),
    ("TRUNCATE dispatch_assignment CASCADE", "permission denied for table dispatch_assignment"),
    ("UPDATE auditlog_logentry SET changes_text = ''", "permission denied for table auditlog_logentry"),
])
def test_the_app_cannot_rewrite_the_timeline(reached, sql, refusal):
    assert refused(sql) == refusal
    assert IncidentEvent.objects.filter(incident=reached.incident).count() == 1


@pytest.mark.parametrize("table, column", [
    ("dispatch_incident", "dispatched_at"), ("dispatch_incident", "on_scene_at"),
    ("dispatch_incident", "verified_on_scene_at"), ("dispatch_assignment", "assigned_at"),
    ("dispatch_assignment", "acknowledged_at"), ("dispatch_assignment", "en_route_at"),
    ("dispatch_assignment", "on_scene_at"),
])
def test_the_response_figures_are_written_once(reached, table, column):
    """The 1/3/5 figures come from these columns: once set, the app's login cannot move them."""
    assert refused(f"UPDATE {table} SET {column} = {column} - interval '2 minutes'") == (
        f"{table}: the response figures are written once")


def test_the_figures_are_still_written_the_first_time():
    assignment = f.AssignmentFactory()
    Assignment.objects.filter(pk=assignment.pk).update(on_scene_at=timezone.now())  # NULL → a time: allowed
    Incident.objects.filter(pk=assignment.incident_id).update(status="on_scene", version=2)  # other columns: allowed
    assert Assignment.objects.get(pk=assignment.pk).on_scene_at is not None
