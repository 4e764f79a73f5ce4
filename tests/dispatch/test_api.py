"""The dispatch API: who sees which incidents and assignments, the caller's phone, idempotent call
taking, bad calls refused whole, double assignment refused with 409, and assignment progress."""
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch.models import Assignment, Incident, IncidentEvent
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db

INCIDENT_READERS = ("administrator", "dispatcher", "supervisor", "officer")
CALL = {"category": "public_order", "priority": 2, "lon": 121.4737, "lat": 31.2304, "caller_name": "张三",
        "caller_phone": "13800138000", "description": "广场有人打架", "address": "人民广场"}


@pytest.fixture
def zone(platform):
    """People's Square, owned by the supervisor's platform P01."""
    return f.ZoneFactory(platform=platform, response_class="city_centre")


@pytest.fixture
def incident(zone):
    return f.IncidentFactory(zone=zone)


@pytest.fixture
def assignment(incident, officer_unit):
    """The officer's unit sent to the incident: every reader persona can see both."""
    officer_unit.status = incident.status = "dispatched"
    officer_unit.save()
    incident.save()
    return f.AssignmentFactory(incident=incident, unit=officer_unit)


@pytest.fixture
def free_unit(platform):
    return f.UnitFactory(platform=platform, call_sign="人广02")


def ids(response) -> list[int]:
    return [row["id"] for row in response.data["results"]]


def assign(api, incident, unit):
    return api.post("/api/v1/assignments/", {"incident": incident.pk, "unit": unit.pk}, format="json")


def advance(api, assignment, status, **body):
    return api.post(f"/api/v1/assignments/{assignment.pk}/status", {"status": status, **body}, format="json")


class TestIncidentPermissions:
    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*INCIDENT_READERS)))
    def test_list(self, as_, assignment, persona, code):
        response = as_(persona).get("/api/v1/incidents/")
        assert response.status_code == code
        if code == 200:
            assert ids(response) == [assignment.incident_id]

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*INCIDENT_READERS)))
    def test_retrieve(self, as_, assignment, persona, code):
        assert as_(persona).get(f"/api/v1/incidents/{assignment.incident_id}/").status_code == code

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*INCIDENT_READERS)))
    def test_events(self, as_, assignment, persona, code):
        assert as_(persona).get(f"/api/v1/incidents/{assignment.incident_id}/events").status_code == code

    @pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", code=201)))
    def test_create(self, as_, zone, persona, code):
        response = as_(persona).post("/api/v1/incidents/", CALL, format="json")
        assert response.status_code == code
        assert Incident.objects.count() == (1 if code == 201 else 0)


class TestIncidentScope:
    def test_supervisor_sees_only_their_platforms_zones(self, as_, incident, other_platform):
        elsewhere = f.IncidentFactory(zone=f.ZoneFactory(platform=other_platform))
        nowhere = f.IncidentFactory(zone=None)
        api = as_("supervisor")
        assert ids(api.get("/api/v1/incidents/")) == [incident.pk]
        assert api.get(f"/api/v1/incidents/{elsewhere.pk}/").status_code == 404
        assert api.get(f"/api/v1/incidents/{nowhere.pk}/").status_code == 404
        assert api.get(f"/api/v1/incidents/{elsewhere.pk}/events").status_code == 404

    def test_officer_sees_only_their_assignments_incidents(self, as_, assignment, zone):
        unassigned = f.IncidentFactory(zone=zone)
        others = f.AssignmentFactory(incident=f.IncidentFactory(zone=zone)).incident
        api = as_("officer")
        assert ids(api.get("/api/v1/incidents/")) == [assignment.incident_id]
        assert api.get(f"/api/v1/incidents/{unassigned.pk}/").status_code == 404
        assert api.get(f"/api/v1/incidents/{others.pk}/").status_code == 404


class TestCallerPhone:
    """The name for whoever takes or works the call; the phone masked for every reader and in full only to
    the dispatcher who took the call (anyone else reveals it, recorded: tests/dispatch/test_callers.py)."""

    @pytest.mark.parametrize(("persona", "named"), [("administrator", True), ("dispatcher", True),
                                                    ("supervisor", False), ("officer", True)])
    def test_masked_for_every_reader(self, as_, assignment, persona, named):
        api = as_(persona)
        one = api.get(f"/api/v1/incidents/{assignment.incident_id}/").data
        listed = api.get("/api/v1/incidents/").data["results"][0]
        for data in (one, listed):
            assert data["caller_phone_masked"] == "138****8000"
            assert "caller_phone" not in data and "13800138000" not in json.dumps(data)
            assert data.get("caller_name") == ("张三" if named else None)

    def test_the_dispatcher_who_took_the_call_reads_it_in_full(self, as_, zone, dispatcher):
        created = as_("dispatcher").post("/api/v1/incidents/", CALL, format="json").data
        assert (created["caller_phone"], created["caller_phone_masked"]) == ("13800138000", "138****8000")
        assert as_("administrator").get(f"/api/v1/incidents/{created['id']}/").data.get("caller_phone") is None


class TestTakingACall:
    def test_the_call_is_stored_located_and_timed(self, as_, zone, dispatcher):
        response = as_("dispatcher").post("/api/v1/incidents/", CALL, format="json")
        assert response.status_code == 201
        incident = Incident.objects.get()
        assert response.data["id"] == incident.pk
        assert (response.data["zone"], response.data["target_s"], response.data["status"]) == (zone.pk, 180, "received")
        assert response.data["caller_phone"] == "13800138000"
        assert incident.created_by == dispatcher
        events = as_("dispatcher").get(f"/api/v1/incidents/{incident.pk}/events").data
        assert [(event["kind"], event["actor"], event["data"]) for event in events] == [
            ("created", dispatcher.pk, {"target_s": 180})]

    def test_same_idempotency_header_twice_makes_one_incident(self, as_, zone):
        api = as_("dispatcher")
        first = api.post("/api/v1/incidents/", CALL, format="json", HTTP_IDEMPOTENCY_KEY="call-0001")
        again = api.post("/api/v1/incidents/", CALL, format="json", HTTP_IDEMPOTENCY_KEY="call-0001")
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.data["id"] == first.data["id"]
        assert Incident.objects.count() == 1
        assert IncidentEvent.objects.count() == 1

    def test_same_idempotency_field_twice_makes_one_incident(self, as_, zone):
        api = as_("dispatcher")
        body = {**CALL, "idempotency_key": "call-0002"}
        codes = [api.post("/api/v1/incidents/", body, format="json").status_code for _ in range(2)]
        assert codes == [201, 200]
        assert Incident.objects.get().idempotency_key == "call-0002"

    def test_different_keys_make_two_incidents(self, as_, zone):
        api = as_("dispatcher")
        for key in ("call-a", "call-b"):
            assert api.post("/api/v1/incidents/", CALL, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code == 201
        assert Incident.objects.count() == 2

    @pytest.mark.parametrize(("header", "body_key"), [("call-x", "call-y"), ("   ", None), ("k" * 101, None)])
    def test_bad_idempotency_keys(self, as_, header, body_key):
        body = {**CALL, "idempotency_key": body_key}
        response = as_("dispatcher").post("/api/v1/incidents/", body, format="json", HTTP_IDEMPOTENCY_KEY=header)
        assert response.status_code == 400
        assert list(response.data) == ["idempotency_key"]
        assert Incident.objects.count() == 0


class TestBadCalls:
    """A bad call is refused whole: 400 naming the field, no incident and no event stored."""

    @pytest.mark.parametrize(("change", "fields"), [
        ({"lat": "NaN"}, ["lat"]),
        ({"lon": 121.9}, ["lon"]),
        ({"lon": 200}, ["lon"]),
        ({"category": "alien_landing"}, ["category"]),
        ({"priority": 9}, ["priority"]),
        ({"category": ..., "lon": ..., "lat": ...}, ["category"]),
        ({"lon": ..., "lat": ..., "address": ""}, ["address"]),
        ({"lat": ...}, ["lat"]),
        ({"caller_phone": "call me maybe"}, ["caller_phone"]),
        ({"description": "x" * 2001}, ["description"]),
    ])
    def test_refused(self, as_, change, fields):
        body = {key: value for key, value in {**CALL, **change}.items() if value is not ...}
        response = as_("dispatcher").post("/api/v1/incidents/", body, format="json")
        assert response.status_code == 400
        assert list(response.data) == fields
        assert (Incident.objects.count(), IncidentEvent.objects.count()) == (0, 0)

    def test_outside_the_served_area_says_so(self, as_):
        response = as_("dispatcher").post("/api/v1/incidents/", {**CALL, "lon": 121.9}, format="json")
        assert response.data == {"lon": ["The point (121.900000, 31.230400) is outside the served area."]}

    @pytest.mark.parametrize("body", ["{broken", '{"category": "other", "lon": 121.47, "lat": NaN}', "[1, 2]"])
    def test_not_a_json_object(self, as_, body):
        response = as_("dispatcher").post("/api/v1/incidents/", body, content_type="application/json")
        assert response.status_code == 400
        assert Incident.objects.count() == 0


class TestAssignmentPermissions:
    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*INCIDENT_READERS)))
    def test_list(self, as_, assignment, persona, code):
        response = as_(persona).get("/api/v1/assignments/")
        assert response.status_code == code
        if code == 200:
            assert ids(response) == [assignment.pk]

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*INCIDENT_READERS)))
    def test_retrieve(self, as_, assignment, persona, code):
        assert as_(persona).get(f"/api/v1/assignments/{assignment.pk}/").status_code == code

    @pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", code=201)))
    def test_create(self, as_, incident, free_unit, persona, code):
        body = {"incident": incident.pk, "unit": free_unit.pk, "eta_s": 140}
        response = as_(persona).post("/api/v1/assignments/", body, format="json")
        assert response.status_code == code
        assert Assignment.objects.count() == (1 if code == 201 else 0)

    @pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "officer")))
    def test_advance(self, as_, assignment, persona, code):
        response = advance(as_(persona), assignment, "acknowledged")
        assert response.status_code == code
        assignment.refresh_from_db()
        assert assignment.status == ("acknowledged" if code == 200 else "assigned")


class TestAssignmentScope:
    def test_officer_cannot_see_another_units_assignment(self, as_, assignment, zone):
        other = f.AssignmentFactory(incident=f.IncidentFactory(zone=zone))
        api = as_("officer")
        assert ids(api.get("/api/v1/assignments/")) == [assignment.pk]
        assert api.get(f"/api/v1/assignments/{other.pk}/").status_code == 404
        response = advance(api, other, "acknowledged")
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.status == "assigned"

    def test_supervisor_sees_their_platforms_units_assignments(self, as_, assignment, other_platform):
        other = f.AssignmentFactory(unit=f.UnitFactory(platform=other_platform))
        api = as_("supervisor")
        assert ids(api.get("/api/v1/assignments/")) == [assignment.pk]
        assert api.get(f"/api/v1/assignments/{other.pk}/").status_code == 404


class TestAssigning:
    def test_the_assignment_dispatches_unit_and_incident(self, as_, incident, free_unit, dispatcher):
        response = assign(as_("dispatcher"), incident, free_unit)
        assert response.status_code == 201
        data = response.data
        assert (data["status"], data["assigned_by"], data["eta_s"]) == ("assigned", dispatcher.pk, None)
        free_unit.refresh_from_db()
        incident.refresh_from_db()
        assert (free_unit.status, incident.status) == ("dispatched", "dispatched")

    def test_a_busy_unit_is_a_conflict(self, as_, zone, free_unit):
        first, second = f.IncidentFactory(zone=zone), f.IncidentFactory(zone=zone)
        api = as_("dispatcher")
        assert assign(api, first, free_unit).status_code == 201
        response = assign(api, second, free_unit)
        assert response.status_code == 409
        assert response.data["code"] == "conflict"
        assert Assignment.objects.count() == 1

    def test_a_closed_incident_takes_no_units(self, as_, zone, free_unit):
        closed = f.IncidentFactory(zone=zone, status="closed")
        response = assign(as_("dispatcher"), closed, free_unit)
        assert response.status_code == 400
        assert list(response.data) == ["incident"]

    def test_a_unit_off_shift_is_refused(self, as_, incident, platform):
        past = timezone.now() - timedelta(hours=12)
        unit = f.UnitFactory(platform=platform, shift__starts_at=past, shift__ends_at=past + timedelta(hours=8))
        response = assign(as_("dispatcher"), incident, unit)
        assert response.status_code == 400
        assert list(response.data) == ["unit"]

    @pytest.mark.parametrize(("body", "fields"), [({}, ["incident", "unit"]), ({"incident": 999999, "unit": 999999},
                                                                              ["incident", "unit"]),
                                                  ({"eta_s": -5}, ["eta_s"])])
    def test_bad_input(self, as_, incident, free_unit, body, fields):
        payload = {"incident": incident.pk, "unit": free_unit.pk, **body} if "eta_s" in body else body
        response = as_("dispatcher").post("/api/v1/assignments/", payload, format="json")
        assert response.status_code == 400
        assert list(response.data) == fields
        assert Assignment.objects.count() == 0


class TestProgress:
    def test_the_officer_works_the_assignment_to_the_end(self, as_, assignment):
        api = as_("officer")
        for step in ("acknowledged", "en_route", "on_scene"):
            response = advance(api, assignment, step)
            assert (response.status_code, response.data.get("status")) == (200, step), response.data
        response = advance(api, assignment, "cleared", disposition="双方已调解")
        assert response.status_code == 200
        incident = api.get(f"/api/v1/incidents/{assignment.incident_id}/").data
        assert (incident["status"], incident["disposition"]) == ("cleared", "双方已调解")
        kinds = [event["kind"] for event in api.get(f"/api/v1/incidents/{assignment.incident_id}/events").data]
        assert kinds == ["acknowledged", "en_route", "on_scene", "cleared"]

    def test_clearing_needs_a_disposition(self, as_, assignment):
        assignment.status = "on_scene"
        assignment.save()
        response = advance(as_("officer"), assignment, "cleared")
        assert response.status_code == 400
        assert list(response.data) == ["disposition"]

    def test_a_step_the_table_refuses_is_a_conflict(self, as_, assignment):
        response = advance(as_("officer"), assignment, "cleared", disposition="x")
        assert response.status_code == 409
        assert response.data["code"] == "invalid_transition"

    def test_a_status_that_is_not_a_step(self, as_, assignment):
        response = advance(as_("officer"), assignment, "cancelled")
        assert response.status_code == 400
        assert list(response.data) == ["status"]


class TestFiltersAndPages:
    def test_incidents_by_status_category_priority_zone_and_risk(self, as_, zone):
        wanted = f.IncidentFactory(zone=zone, status="waiting", category="traffic_accident", priority=1, at_risk=True)
        f.IncidentFactory(zone=zone, status="waiting", category="traffic_accident", priority=1, at_risk=False)
        f.IncidentFactory(zone=zone, status="closed", category="traffic_accident", priority=1, at_risk=True)
        f.IncidentFactory(zone=None, status="waiting", category="traffic_accident", priority=1, at_risk=True)
        f.IncidentFactory(zone=zone, status="waiting", category="dispute", priority=1, at_risk=True)
        query = {"status": ["received", "waiting"], "category": "traffic_accident", "priority": 1, "zone": zone.pk,
                 "at_risk": "true"}
        assert ids(as_("dispatcher").get("/api/v1/incidents/", query)) == [wanted.pk]

    def test_incidents_by_time_window(self, as_):
        now = timezone.now()
        wanted = f.IncidentFactory(received_at=now - timedelta(hours=2))
        f.IncidentFactory(received_at=now - timedelta(hours=30))
        f.IncidentFactory(received_at=now)
        query = {"received_after": (now - timedelta(hours=3)).isoformat(),
                 "received_before": (now - timedelta(hours=1)).isoformat()}
        assert ids(as_("dispatcher").get("/api/v1/incidents/", query)) == [wanted.pk]

    def test_open_incidents_newest_first_in_pages(self, as_):
        now = timezone.now()
        rows = [f.IncidentFactory(received_at=now - timedelta(minutes=minutes)) for minutes in (5, 1, 3)]
        f.IncidentFactory(status="closed")
        api = as_("dispatcher")
        first = api.get("/api/v1/incidents/", {"open": "true", "page_size": 2})
        assert (first.data["count"], ids(first)) == (3, [rows[1].pk, rows[2].pk])
        assert ids(api.get(first.data["next"])) == [rows[0].pk]

    def test_incidents_by_priority_order(self, as_):
        low, high = f.IncidentFactory(priority=4), f.IncidentFactory(priority=1)
        assert ids(as_("dispatcher").get("/api/v1/incidents/", {"ordering": "priority"})) == [high.pk, low.pk]

    def test_assignments_active_and_by_unit(self, as_, assignment, officer_unit):
        f.AssignmentFactory(unit=officer_unit, status="cleared")
        f.AssignmentFactory()
        query = {"unit": officer_unit.pk, "active": "true"}
        assert ids(as_("dispatcher").get("/api/v1/assignments/", query)) == [assignment.pk]

    def test_bad_filter_value_is_a_400(self, as_):
        response = as_("dispatcher").get("/api/v1/incidents/", {"received_after": "yesterday"})
        assert response.status_code == 400
        assert list(response.data) == ["received_after"]
