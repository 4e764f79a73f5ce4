"""The officer's on-view report and incidents' photos through the API: who may report, add and read a
photo (the permission matrix), what a report answers, and bad input answered with a 4xx that changes
nothing."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dispatch.models import Incident, IncidentPhoto
from dispatch.photos import photo_attach
from tests import factories as f
from tests.api_support import client_as, matrix, readers

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 300
PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 300
READERS = readers("administrator", "dispatcher", "supervisor", "officer")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def zone(platform):
    return f.ZoneFactory(platform=platform)


@pytest.fixture
def job(zone, officer_unit, officer):
    """An incident in the officer's platform's zone, the officer's unit on it, with one photo."""
    assignment = f.AssignmentFactory(incident=f.IncidentFactory(zone=zone, status="on_scene"), unit=officer_unit,
                                     status="on_scene")
    photo_attach(actor=officer, incident=assignment.incident, upload=SimpleUploadedFile("a.jpg", JPEG))
    return assignment.incident


def upload(content=JPEG, name="scene.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def report(request, persona, unit, **overrides):
    body = {"unit": unit.pk, "category": "public_order", "priority": 2, "lon": 121.4737, "lat": 31.2304,
            "description": "路口有人斗殴", **overrides}
    return client_as(request, persona).post("/api/v1/on-view-reports", body, format="multipart")


@pytest.mark.parametrize(("persona", "code"), matrix(readers("officer", code=201)))
def test_who_may_report(request, zone, officer_unit, persona, code):
    response = report(request, persona, officer_unit, photo=upload())
    assert response.status_code == code
    assert (Incident.objects.count(), IncidentPhoto.objects.count()) == ((1, 1) if code == 201 else (0, 0))


def test_a_report_answers_the_incident_its_assignment_and_photo(request, zone, officer, officer_unit):
    response = report(request, "officer", officer_unit, photo=upload(), address="人民大道200号")
    incident, photo = Incident.objects.get(), IncidentPhoto.objects.get()
    data = response.json()
    assert response.status_code == 201
    assert (data["incident"]["id"], data["incident"]["origin"], data["incident"]["status"], data["incident"]["address"]) == (
        incident.pk, "on_view", "on_scene", "人民大道200号")
    assert (data["assignment"]["unit"], data["assignment"]["status"]) == (officer_unit.pk, "on_scene")
    assert data["photos"] == [{"id": photo.pk, "incident": incident.pk, "content_type": "image/jpeg", "size": len(JPEG),
                               "uploaded_by": "officer", "uploaded_at": photo.uploaded_at.isoformat(),
                               "url": f"/api/v1/photos/{photo.pk}/file"}]


def test_a_retried_report_answers_200_with_the_first(request, zone, officer, officer_unit):
    api = client_as(request, "officer")
    body = {"unit": officer_unit.pk, "category": "dispute", "lon": 121.4737, "lat": 31.2304}
    first = api.post("/api/v1/on-view-reports", body, format="json", HTTP_IDEMPOTENCY_KEY="tablet-7-1")
    again = api.post("/api/v1/on-view-reports", body, format="json", HTTP_IDEMPOTENCY_KEY="tablet-7-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["incident"]["id"] == first.json()["incident"]["id"]
    assert (Incident.objects.count(), first.json()["incident"]["priority"]) == (1, 3)


@pytest.mark.parametrize(("overrides", "errors"), [
    ({"category": ""}, {"category": ['"" is not a valid choice.']}),
    ({"lon": 121.9}, {"lon": ["The point (121.900000, 31.230400) is outside the served area."]}),
    ({"lat": "north"}, {"lat": ["A valid number is required."]}),
    ({"photo": upload(b"<svg onload=alert(1)>", "scene.jpg")}, {"photo": ["Send a photo as JPEG, PNG or WebP."]}),
    ({"description": "长" * 2001}, {"description": ["Ensure this field has no more than 2000 characters."]}),
])
def test_bad_input_is_refused_with_its_reason_and_changes_nothing(request, zone, officer, officer_unit, media,
                                                                  overrides, errors):
    response = report(request, "officer", officer_unit, **overrides)
    officer_unit.refresh_from_db()
    assert (response.status_code, response.json()) == (400, errors)
    assert (Incident.objects.count(), list(media.rglob("*.*")), officer_unit.status) == (0, [], "available")


def test_a_report_for_another_unit_is_refused(request, zone, officer, platform):
    other = f.UnitFactory(platform=platform, call_sign="人广02")
    response = report(request, "officer", other)
    assert (response.status_code, response.json()) == (403, {"detail": "You may report only for a unit you crew."})
    assert Incident.objects.count() == 0


def test_a_crew_on_a_job_is_told_to_clear_it_first(request, job, officer, officer_unit):
    response = report(request, "officer", officer_unit)
    assert (response.status_code, response.json()["code"]) == (409, "conflict")
    assert Incident.objects.count() == 1


def test_a_request_too_large_for_a_photo_is_refused_before_it_is_read(request, zone, officer, officer_unit):
    api = client_as(request, "officer")
    response = api.post("/api/v1/on-view-reports", {"unit": officer_unit.pk}, format="json",
                        CONTENT_LENGTH=str(6 * 1024 * 1024))
    assert (response.status_code, response.json()) == (413, {"detail": "The photo is over 5 MB: send a smaller one."})


# --- photos ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "code"), matrix(READERS))
def test_who_may_list_an_incidents_photos(request, job, persona, code):
    response = client_as(request, persona).get(f"/api/v1/incidents/{job.pk}/photos")
    assert response.status_code == code
    if code == 200:
        assert [row["size"] for row in response.json()] == [len(JPEG)]


@pytest.mark.parametrize(("persona", "code"), matrix(READERS))
def test_who_may_read_a_photo(request, job, persona, code):
    photo = job.photos.get()
    response = client_as(request, persona).get(f"/api/v1/photos/{photo.pk}/file", HTTP_ACCEPT="image/png,image/*")
    assert response.status_code == code
    if code == 200:
        assert b"".join(response.streaming_content) == JPEG
        assert (response["Content-Type"], response["Cache-Control"], response["X-Content-Type-Options"]) == (
            "image/jpeg", "private, max-age=3600", "nosniff")


@pytest.mark.parametrize(("persona", "code"), matrix(readers("officer", code=201)))
def test_who_may_add_a_photo(request, job, persona, code):
    response = client_as(request, persona).post(f"/api/v1/incidents/{job.pk}/photos", {"photo": upload(PNG)},
                                                format="multipart")
    assert response.status_code == code
    assert job.photos.count() == (2 if code == 201 else 1)


def test_another_platforms_supervisor_and_an_officer_never_sent_read_nothing(request, job, other_platform, officer):
    from common.roles import Role

    stranger = f.UserFactory(username="elsewhere")
    f.membership(stranger, Role.SUPERVISOR, platform=other_platform)
    outsider_officer = f.OfficerFactory(platform=other_platform, user=f.UserFactory(username="other-officer"))
    f.membership(outsider_officer.user, Role.OFFICER)
    photo = job.photos.get()
    for user in (stranger, outsider_officer.user):
        api = client_as(request, "anonymous")
        api.force_authenticate(user)
        assert api.get(f"/api/v1/photos/{photo.pk}/file").status_code == 403
        assert api.get(f"/api/v1/incidents/{job.pk}/photos").status_code == 403


def test_a_crew_no_longer_on_the_job_adds_no_photo(request, job, officer):
    job.assignments.update(status="cleared")
    response = client_as(request, "officer").post(f"/api/v1/incidents/{job.pk}/photos", {"photo": upload()},
                                                  format="multipart")
    assert (response.status_code, response.json()) == (
        403, {"detail": "Only the crew of a unit on this incident adds photos to it."})
    assert job.photos.count() == 1


def test_a_photo_of_a_missing_incident_or_file_answers_404(request, job, media):
    api = client_as(request, "dispatcher")
    assert (api.get("/api/v1/photos/999999/file").status_code, api.get("/api/v1/incidents/999999/photos").status_code) == (
        404, 404)
    photo = job.photos.get()
    (media / photo.file.name).unlink()
    response = api.get(f"/api/v1/photos/{photo.pk}/file")
    assert (response.status_code, response.json()) == (404, {"detail": "This photo's file is missing on the server."})


def test_bad_input_is_answered_in_the_users_language(request, zone, officer, officer_unit):
    api = client_as(request, "officer")
    body = {"unit": officer_unit.pk, "category": "dispute", "lon": 121.4737, "lat": 31.2304,
            "photo": upload(b"MZ\x90\x00 not an image", "scene.jpg")}
    response = api.post("/api/v1/on-view-reports", body, format="multipart", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert (response.status_code, response.json()) == (400, {"photo": ["请上传 JPEG、PNG 或 WebP 格式的照片。"]})
