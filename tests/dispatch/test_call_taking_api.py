"""Taking calls over HTTP: probable duplicates before saving, attaching a further caller, a related
incident, and revealing a full number; for every persona."""
from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch.models import Incident, IncidentCaller, PhoneReveal
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db
COMMAND = ("administrator", "dispatcher")
CRASH = {"category": "traffic_accident", "priority": 2, "lon": 121.4737, "lat": 31.2304, "address": "人民广场",
         "caller_name": "王五", "caller_phone": "13700001111"}


@pytest.fixture
def zone(platform):
    return f.ZoneFactory(platform=platform)


@pytest.fixture
def crash(zone, officer_unit):
    incident = f.IncidentFactory(zone=zone, category="traffic_accident", status="dispatched", number="110-CRASH",
                                 received_at=timezone.now() - timedelta(minutes=3))
    f.AssignmentFactory(incident=incident, unit=officer_unit)
    return incident


@pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND)))
def test_duplicates(as_, crash, persona, code):
    response = as_(persona).get("/api/v1/incidents/duplicates", {"lon": 121.4740, "lat": 31.2305,
                                                                  "category": "traffic_accident"})
    assert response.status_code == code
    if code == 200:
        assert [(row["number"], row["distance_m"]) for row in response.data] == [("110-CRASH", 30.6)]  # 28.5 m east, 11.1 m north


def test_duplicates_need_a_point_and_a_category(as_):
    response = as_("dispatcher").get("/api/v1/incidents/duplicates", {"lon": "east", "category": "alien"})
    assert (response.status_code, sorted(response.data)) == (400, ["category", "lat", "lon"])


@pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND, code=201)))
def test_attach_a_caller(as_, crash, persona, code):
    response = as_(persona).post(f"/api/v1/incidents/{crash.pk}/callers",
                                 {"caller_name": "李四", "caller_phone": "13912345678", "notes": "两车相撞"}, format="json")
    assert response.status_code == code
    if code == 201:
        assert [(c["name"], c["phone_masked"], c["notes"]) for c in response.data["further_callers"]] == [
            ("李四", "139****5678", "两车相撞")]
    assert (Incident.objects.count(), IncidentCaller.objects.count()) == (1, 1 if code == 201 else 0)


def test_a_call_saved_as_related(as_, crash, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        response = as_("dispatcher").post("/api/v1/incidents/", {**CRASH, "related_to": crash.pk}, format="json")
    assert (response.status_code, response.data["related_to"]) == (201, crash.pk)
    assert list(crash.events.values_list("kind", "data__number")) == [("related", response.data["number"])]


# The command centre and an officer whose unit is on the job; a supervisor reads it masked only.
@pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND, "officer")))
def test_reveal(as_, crash, persona, code):
    response = as_(persona).post(f"/api/v1/incidents/{crash.pk}/reveal-phone", {}, format="json")
    assert response.status_code == code
    assert (response.data == {"phone": "13800138000"}) == (code == 200)
    assert PhoneReveal.objects.count() == (1 if code == 200 else 0)


def test_a_caller_of_another_incident_is_refused(as_, crash, zone, dispatcher):
    other = f.IncidentFactory(zone=zone)
    caller = IncidentCaller.objects.create(incident=other, phone="13912345678")
    response = as_("dispatcher").post(f"/api/v1/incidents/{crash.pk}/reveal-phone", {"caller": caller.pk}, format="json")
    assert (response.status_code, response.data) == (400, {"caller": ["That caller belongs to another incident."]})
    assert PhoneReveal.objects.count() == 0


@pytest.mark.usefixtures("demo_network")
class TestAnAddressWithoutAPoint:
    """A call given only an address is placed by the lookup when it is sure of it, else refused."""

    def test_a_street_named_exactly_places_the_call(self, as_, django_capture_on_commit_callbacks):
        body = {key: value for key, value in CRASH.items() if key not in ("lon", "lat")}
        with django_capture_on_commit_callbacks():
            response = as_("dispatcher").post("/api/v1/incidents/", {**body, "address": "西藏中路"}, format="json")
        assert response.status_code == 201, response.data
        from grid.place_search import search_places

        street = search_places("西藏中路", limit=1)[0].place
        assert (response.data["lon"], response.data["lat"]) == (street.lon, street.lat)

    def test_words_the_lookup_cannot_place_are_refused(self, as_):
        body = {key: value for key, value in CRASH.items() if key not in ("lon", "lat")}
        response = as_("dispatcher").post("/api/v1/incidents/", {**body, "address": "月球背面"}, format="json")
        assert (response.status_code, response.data) == (
            400, {"address": ["Say where: pick an address from the lookup or click the place on the map."]})
        assert Incident.objects.count() == 0
