"""On-view reports (路面见警情) through the service: the incident arrives with its unit on scene, the
engine left out (but asked for a backup the category needs), the photo checked by its bytes and kept
on disk, and a bad report changes nothing."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dispatch import on_view
from dispatch.models import EventKind, Incident, IncidentPhoto, Origin
from platforms.models import UnitStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def engine_calls(monkeypatch):
    """The engine's task as queued on commit: (incident id, reason) per call."""
    from dispatch.tasks import incident_dispatch_task

    calls = []
    monkeypatch.setattr(incident_dispatch_task, "delay", lambda *args: calls.append(args))
    return calls


def photo(content=JPEG, name="scene.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def report(officer, unit, **overrides):
    fields = {"category": "public_order", "priority": 3, "lon": 121.4737, "lat": 31.2304, "description": "路口有人斗殴"}
    return on_view.on_view_report(actor=officer, unit=unit, **(fields | overrides))


def saved_files(media) -> list[str]:
    return sorted(path.name for path in media.rglob("*") if path.is_file())


def test_the_incident_arrives_assigned_and_on_scene_without_the_engine(officer, officer_unit, engine_calls,
                                                                       django_capture_on_commit_callbacks):
    f.ZoneFactory(platform=officer_unit.platform, response_class="city_centre")
    with django_capture_on_commit_callbacks(execute=True):
        done = report(officer, officer_unit)
    incident, assignment = done.incident, done.assignment
    officer_unit.refresh_from_db()
    assert done.created is True
    assert (incident.origin, incident.status, incident.created_by, incident.description) == (
        Origin.ON_VIEW, "on_scene", officer, "路口有人斗殴")
    assert (assignment.unit_id, assignment.status, assignment.assigned_by) == (officer_unit.pk, "on_scene", officer)
    assert officer_unit.status == UnitStatus.ON_SCENE
    assert list(incident.events.values_list("kind", "actor")) == [
        (EventKind.CREATED, officer.pk), (EventKind.ASSIGNED, officer.pk), (EventKind.ON_SCENE, officer.pk)]
    assert engine_calls == []


def test_a_category_needing_two_units_asks_the_engine_for_the_backup(officer, officer_unit, engine_calls,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        done = report(officer, officer_unit, category="criminal", priority=1)
    assert (done.incident.units_needed, engine_calls) == (2, [(done.incident.pk, "backup")])


@pytest.mark.parametrize(("content", "name", "kind", "extension"), [
    (JPEG, "scene.jpg", "image/jpeg", ".jpg"), (PNG, "scene.bin", "image/png", ".png"),
    (WEBP, "scene", "image/webp", ".webp")])
def test_the_photo_is_kept_on_disk_under_a_name_of_ours_with_the_type_its_bytes_say(
        officer, officer_unit, media, content, name, kind, extension):
    done = report(officer, officer_unit, photo=photo(content, name, "application/octet-stream"))
    [stored] = done.photos
    assert (stored.content_type, stored.size, stored.uploaded_by, stored.incident_id) == (
        kind, len(content), officer, done.incident.pk)
    assert stored.file.name.startswith("incident-photos/") and stored.file.name.endswith(extension)
    assert name not in stored.file.name
    assert (media / stored.file.name).read_bytes() == content
    assert done.incident.events.filter(kind=EventKind.PHOTO).get().data == {"photo": stored.pk, "size": len(content)}


@pytest.mark.parametrize(("upload", "message"), [
    (photo(b"<html><script>alert(1)</script></html>", "x.jpg", "image/jpeg"), "Send a photo as JPEG, PNG or WebP."),
    (photo(b"GIF89a" + b"\x00" * 50, "x.gif", "image/gif"), "Send a photo as JPEG, PNG or WebP."),
    (photo(JPEG + b"\x00" * (5 * 1024 * 1024)), "The photo is 5.0 MB: at most 5 MB, please."),
    (photo(b""), "The photo is empty."),
])
def test_a_bad_photo_refuses_the_whole_report_and_changes_nothing(officer, officer_unit, media, upload, message):
    with pytest.raises(ValidationError) as error:
        report(officer, officer_unit, photo=upload)
    assert error.value.message_dict == {"photo": [message]}
    officer_unit.refresh_from_db()
    assert (Incident.objects.count(), IncidentPhoto.objects.count(), saved_files(media)) == (0, 0, [])
    assert officer_unit.status == UnitStatus.AVAILABLE


def test_a_crew_on_a_job_clears_it_first(officer, officer_unit):
    busy = f.AssignmentFactory(unit=officer_unit, status="en_route")
    with pytest.raises(ValidationError) as error:
        report(officer, officer_unit)
    assert error.value.code == "conflict"
    assert error.value.messages == [f"Your unit is on incident {busy.incident.number}: clear it before reporting another."]
    assert Incident.objects.exclude(pk=busy.incident_id).count() == 0


@pytest.mark.parametrize(("bad", "field"), [
    ({"lon": 121.9}, "lon"), ({"category": "alien_landing"}, "category"), ({"priority": 9}, "priority")])
def test_bad_input_is_refused_and_changes_nothing(officer, officer_unit, bad, field):
    with pytest.raises(ValidationError) as error:
        report(officer, officer_unit, **bad)
    officer_unit.refresh_from_db()
    assert field in error.value.message_dict
    assert (Incident.objects.count(), officer_unit.status, officer_unit.version) == (0, UnitStatus.AVAILABLE, 1)


def test_a_unit_off_its_shift_cannot_report(officer, officer_unit):
    officer_unit.shift.approved = False
    officer_unit.shift.save()
    with pytest.raises(ValidationError) as error:
        report(officer, officer_unit)
    assert error.value.message_dict == {"unit": [f"Unit {officer_unit.call_sign} is not on an approved shift now."]}


def test_a_crew_on_a_meal_break_is_back_at_work(officer, officer_unit, dispatcher):
    from platforms.services import unit_set_status

    unit_set_status(unit=officer_unit, status="unavailable", reason="用餐", actor=dispatcher)
    done = report(officer, officer_unit)
    officer_unit.refresh_from_db()
    assert (done.assignment.status, officer_unit.status, officer_unit.status_reason) == ("on_scene", "on_scene", "")


def test_a_retried_report_returns_the_first_and_changes_nothing(officer, officer_unit, media):
    first = report(officer, officer_unit, idempotency_key="on-view-7", photo=photo())
    again = report(officer, officer_unit, idempotency_key="on-view-7", photo=photo(PNG))
    assert (again.created, again.incident.pk, again.assignment.pk) == (False, first.incident.pk, first.assignment.pk)
    assert [p.pk for p in again.photos] == [p.pk for p in first.photos]
    assert (Incident.objects.count(), IncidentPhoto.objects.count(), len(saved_files(media))) == (1, 1, 1)


def test_a_key_of_another_incident_is_refused(officer, officer_unit, dispatcher):
    from dispatch.services import incident_create

    incident_create(actor=dispatcher, category="dispute", priority=3, lon=121.4737, lat=31.2304, idempotency_key="k-1")
    with pytest.raises(ValidationError) as error:
        report(officer, officer_unit, idempotency_key="k-1")
    assert error.value.message_dict == {"idempotency_key": ["This key was used for another incident."]}
