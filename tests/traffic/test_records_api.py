"""Enforcement and help records through the API: who may take and list them (the permission matrix), a
replayed send is the same row, a violation's photo read only through the API, the counts per officer,
unit and platform over a period, and bad input (a plate that is no plate, 900 km/h) refused in words with
nothing saved."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories as f
from tests.api_support import client_as, matrix, readers
from traffic.models import DrinkCheck, HelpRecord, Impound, Violation, ViolationType

pytestmark = pytest.mark.django_db
HERE = {"lon": 121.4737, "lat": 31.2304}
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 300
TAKERS = readers("officer", code=201)
LISTERS = readers("administrator", "dispatcher", "supervisor", "leadership", "officer")


def code(value: str) -> int:
    return ViolationType.objects.get(code=value).pk


def bodies(officer_unit) -> dict:
    unit = {"unit": officer_unit.pk, **HERE}
    return {"violations": {**unit, "violation_type": code("1625"), "plate": "沪A12345"},
            "drink-checks": {**unit, "plate": "沪B54321", "alcohol_mg_100ml": 35},
            "impounds": {**unit, "plate": "沪C11111", "reason": "无证驾驶"},
            "help-records": {**unit, "kind": "directions", "people": 2}}


MODELS = {"violations": Violation, "drink-checks": DrinkCheck, "impounds": Impound, "help-records": HelpRecord}


@pytest.mark.parametrize("kind", sorted(MODELS))
@pytest.mark.parametrize(("persona", "status"), matrix(TAKERS))
def test_who_may_take_a_record(request, zone, officer_unit, kind, persona, status):
    response = client_as(request, persona).post(f"/api/v1/traffic/{kind}", bodies(officer_unit)[kind], format="json")
    assert response.status_code == status
    assert MODELS[kind].objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize("kind", sorted(MODELS))
@pytest.mark.parametrize(("persona", "status"), matrix(LISTERS))
def test_who_may_list_records(request, kind, persona, status):
    assert client_as(request, persona).get(f"/api/v1/traffic/{kind}").status_code == status


def test_a_record_names_its_officer_unit_platform_and_zone(request, zone, officer, officer_unit, platform):
    data = client_as(request, "officer").post("/api/v1/traffic/drink-checks", bodies(officer_unit)["drink-checks"],
                                              format="json").json()
    assert (data["officer"], data["unit"], data["platform"], data["zone"]) == (
        officer.officer.pk, officer_unit.pk, platform.pk, zone.pk)
    assert data["details"] == {"plate": "沪B54321", "alcohol_mg_100ml": 35.0, "result": "drink", "notes": ""}


def test_a_replayed_send_is_the_same_row(request, zone, officer_unit):
    api = client_as(request, "officer")
    body = bodies(officer_unit)["help-records"]
    first = api.post("/api/v1/traffic/help-records", body, format="json", HTTP_IDEMPOTENCY_KEY="tablet-1-help-7")
    again = api.post("/api/v1/traffic/help-records", body, format="json", HTTP_IDEMPOTENCY_KEY="tablet-1-help-7")
    assert (first.status_code, again.status_code, first.json()["id"]) == (201, 200, again.json()["id"])
    assert HelpRecord.objects.count() == 1


def test_a_violation_photo_is_read_through_the_api_only(request, zone, officer_unit, media):
    body = {**bodies(officer_unit)["violations"], "photo": SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg")}
    data = client_as(request, "officer").post("/api/v1/traffic/violations", body, format="multipart").json()
    photo = client_as(request, "supervisor").get(f"/api/v1/traffic/violations/{data['id']}/photo")
    outsider = client_as(request, "clerk").get(f"/api/v1/traffic/violations/{data['id']}/photo")
    assert (photo.status_code, photo["Content-Type"], b"".join(photo.streaming_content)) == (200, "image/jpeg", JPEG)
    assert outsider.status_code == 403
    assert Violation.objects.get().photo.name.startswith("violation-photos/")


@pytest.mark.parametrize(("kind", "change", "said"), [
    ("violations", {"plate": "ABC123"}, {"plate": ["“ABC123” is not a Chinese number plate (e.g. 沪A12345, 沪AD12345)."]}),
    ("violations", {"plate": ""}, {"plate": ["Enter the vehicle's number plate."]}),
    ("drink-checks", {"plate": "沪A"}, {"plate": ["“沪A” is not a Chinese number plate (e.g. 沪A12345, 沪AD12345)."]}),
    ("drink-checks", {"alcohol_mg_100ml": 900}, {"alcohol_mg_100ml": ["Enter the breath result in mg/100 ml (0 to 500)."]}),
    ("impounds", {"reason": ""}, {"reason": ["Say why the vehicle is impounded."]}),
    ("help-records", {"people": 0}, {"people": ["Ensure this value is greater than or equal to 1."]}),
    ("help-records", {"lon": 100.0, "lat": 20.0}, {"lon": ["The point (100.000000, 20.000000) is outside the served area."]}),
])
def test_bad_input_is_refused_in_words_and_nothing_is_saved(request, zone, officer_unit, kind, change, said):
    response = client_as(request, "officer").post(f"/api/v1/traffic/{kind}", {**bodies(officer_unit)[kind], **change},
                                                  format="json")
    assert (response.status_code, response.json()) == (400, said)
    assert MODELS[kind].objects.count() == 0


@pytest.mark.parametrize(("speeds", "said"), [
    ({"measured_speed_kmh": 900, "speed_limit_kmh": 60},
     "A speed of 900 km/h is not plausible: enter what was measured (at most 300 km/h)."),
    ({"measured_speed_kmh": 55, "speed_limit_kmh": 60}, "55 km/h is not over the limit of 60 km/h."),
    ({}, "Speeding needs the measured speed and the limit."),
])
def test_speeding_needs_a_plausible_speed_over_the_limit(request, zone, officer_unit, speeds, said):
    body = {**bodies(officer_unit)["violations"], "violation_type": code("1352"), **speeds}
    response = client_as(request, "officer").post("/api/v1/traffic/violations", body, format="json")
    assert (response.status_code, response.json()) == (400, {"measured_speed_kmh": [said]})
    assert Violation.objects.count() == 0


def test_an_e_bike_without_a_helmet_needs_no_plate(request, zone, officer_unit):
    body = {**bodies(officer_unit)["violations"], "violation_type": code("E001"), "plate": ""}
    response = client_as(request, "officer").post("/api/v1/traffic/violations", body, format="json")
    assert (response.status_code, response.json()["details"]["vehicle_kind"]) == (201, "e_bike")


def test_a_unit_the_officer_does_not_crew_is_refused(request, zone, platform):
    other = f.UnitFactory(platform=platform)
    body = {"unit": other.pk, "kind": "escort", **HERE}
    response = client_as(request, "officer").post("/api/v1/traffic/help-records", body, format="json")
    assert (response.status_code, HelpRecord.objects.count()) == (403, 0)


@pytest.mark.parametrize(("persona", "status"), matrix(readers("administrator", "dispatcher", "supervisor", "leadership")))
def test_who_may_read_the_counts(request, persona, status):
    assert client_as(request, persona).get("/api/v1/traffic/counts").status_code == status


def test_counts_per_officer_unit_and_platform_over_a_period(request, zone, officer, officer_unit, other_platform):
    api = client_as(request, "officer")
    for kind, body in bodies(officer_unit).items():
        api.post(f"/api/v1/traffic/{kind}", body, format="json")
    api.post("/api/v1/traffic/drink-checks", {**bodies(officer_unit)["drink-checks"], "alcohol_mg_100ml": 95}, format="json")
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    by_unit = client_as(request, "dispatcher").get("/api/v1/traffic/counts", {"by": "unit", "since": yesterday}).json()
    by_platform = client_as(request, "supervisor").get("/api/v1/traffic/counts").json()
    later = client_as(request, "dispatcher").get("/api/v1/traffic/counts", {"since": timezone.now().isoformat()}).json()
    expected = {"violations": 1, "drink_checks": 2, "drink_driving": 1, "drunk_driving": 1, "impounds": 1,
                "help_records": 1, "people_helped": 2}
    assert by_unit == [{"key": officer_unit.pk, "label": "人广01", **expected}]
    assert by_platform == [{"key": officer_unit.platform_id, "label": "P01 人民广场平台", **expected}]
    assert later == []


def test_counts_over_a_period_that_ends_before_it_starts_are_refused(request):
    now = timezone.now()
    response = client_as(request, "dispatcher").get("/api/v1/traffic/counts", {
        "since": now.isoformat(), "until": (now - timedelta(hours=1)).isoformat()})
    assert (response.status_code, response.json()) == (400, {"until": ["The end must be after the start."]})


@pytest.mark.parametrize(("persona", "status"), matrix(readers("administrator", code=201)))
def test_only_an_administrator_keeps_the_violation_list(request, persona, status):
    body = {"code": "1240", "name": "违法变更车道", "points": 3, "fine_yuan": 100}
    response = client_as(request, persona).post("/api/v1/traffic/violation-types", body, format="json")
    assert response.status_code == status


def test_officers_read_the_violation_list(request):
    codes = [row["code"] for row in client_as(request, "officer").get("/api/v1/traffic/violation-types").json()]
    assert codes == ["1352", "1625", "1039", "1208", "E001", "1711"]
