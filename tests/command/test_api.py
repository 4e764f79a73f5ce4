"""The snapshot a console or a tablet loads on (re)connect: exact rows, versions, scoped by role."""
from datetime import timedelta

import pytest
from django.utils import timezone

from common.roles import Role
from dispatch.models import Alert, Recommendation
from grid.geometry import distance_m
from planning.models import MoveUp
from platforms import positions
from platforms.positions import Fix
from tests import factories as f
from tests.api_support import client_as, matrix, readers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_live_picture")]


@pytest.fixture
def world(platform, officer_unit, other_platform):
    """One open incident in each platform's zone, a unit of each on duty, one of them placed."""
    here = f.IncidentFactory(zone=f.ZoneFactory(platform=platform), number="110-A", description="两车刮擦", version=4)
    there = f.IncidentFactory(zone=f.ZoneFactory(platform=other_platform), number="110-B")
    f.IncidentFactory(zone=here.zone, number="110-C", status="closed")
    far_unit = f.UnitFactory(platform=other_platform, call_sign="外滩01")
    at = timezone.now().replace(microsecond=0)
    positions.fixes_accept(fixes=[Fix(unit_id=officer_unit.pk, lon=121.475, lat=31.231, at=at)], source="test")
    assignment = f.AssignmentFactory(incident=here, unit=officer_unit, status="acknowledged", version=2)
    old = Recommendation.objects.create(incident=here, options=[], proposed=[])
    latest = Recommendation.objects.create(incident=here, options=[{"unit": officer_unit.pk, "eta_s": 95.0}],
                                           proposed=[officer_unit.pk])
    alerts = [Alert.objects.create(kind="at_risk", incident=here, message="here"),
              Alert.objects.create(kind="at_risk", incident=there, message="there")]
    Alert.objects.create(kind="at_risk", incident=here, message="done", closed_at=timezone.now())
    return {"here": here, "there": there, "far_unit": far_unit, "at": at, "assignment": assignment, "old": old,
            "latest": latest, "alerts": alerts}


@pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "supervisor")))
def test_console_snapshot_permissions(request, persona, code):
    assert client_as(request, persona).get("/api/v1/console/snapshot").status_code == code


def test_the_command_centre_gets_the_whole_city(request, world, officer_unit):
    data = client_as(request, "dispatcher").get("/api/v1/console/snapshot").json()
    assert [row["number"] for row in data["incidents"]] == ["110-A", "110-B"]
    here = data["incidents"][0]
    assert (here["version"], here["description"], "caller_phone" in here) == (4, "两车刮擦", False)
    assert [(row["call_sign"], row["lon"], row["lat"], row["stale"], row["version"]) for row in data["units"]] == [
        ("人广01", 121.475, 31.231, False, 1), ("外滩01", None, None, True, 1)]
    assert data["units"][0]["fix_at"] == world["at"].isoformat()
    assert [(row["id"], row["status"], row["version"]) for row in data["assignments"]] == [
        (world["assignment"].pk, "acknowledged", 2)]
    assert [(row["id"], row["proposed"]) for row in data["recommendations"]] == [(world["latest"].pk, [officer_unit.pk])]
    assert [row["message"] for row in data["alerts"]] == ["here", "there"]
    assert data["server_time"]


def test_a_supervisor_gets_their_platform_only(request, world, officer_unit):
    data = client_as(request, "supervisor").get("/api/v1/console/snapshot").json()
    assert [row["number"] for row in data["incidents"]] == ["110-A"]
    assert [row["id"] for row in data["units"]] == [officer_unit.pk]
    assert [row["message"] for row in data["alerts"]] == ["here"]
    assert len(data["assignments"]) == 1 and len(data["recommendations"]) == 1


def supervisor_of(**scope):
    user = f.UserFactory()
    f.membership(user, Role.SUPERVISOR, **scope)
    return user


def snapshot_of(api_as, user) -> dict:
    response = api_as(user).get("/api/v1/console/snapshot")
    assert response.status_code == 200
    return response.json()


def test_a_supervisor_also_gets_the_jobs_their_units_were_sent_to_but_not_the_helpers(api_as, world, platform,
                                                                                       other_platform, officer_unit):
    """As their socket hears it (dispatch.events.incident_platforms): a unit of theirs sent across
    the boundary brings that incident in; units stay those of their own platforms."""
    helper = f.UnitFactory(platform=platform, call_sign="人广02")
    sent = f.AssignmentFactory(incident=world["there"], unit=helper, status="en_route", version=3)
    here = snapshot_of(api_as, supervisor_of(platform=platform))
    assert [row["number"] for row in here["incidents"]] == ["110-A", "110-B"]
    assert [row["call_sign"] for row in here["units"]] == ["人广01", "人广02"]
    assert sorted((row["id"], row["version"]) for row in here["assignments"]) == [(world["assignment"].pk, 2),
                                                                               (sent.pk, 3)]
    assert [row["message"] for row in here["alerts"]] == ["here", "there"]
    there = snapshot_of(api_as, supervisor_of(platform=other_platform))
    assert [row["number"] for row in there["incidents"]] == ["110-B"]
    assert [row["call_sign"] for row in there["units"]] == ["外滩01"]
    assert [row["id"] for row in there["assignments"]] == [sent.pk]


def test_a_job_a_unit_has_left_stays_in_its_supervisors_snapshot_while_open(api_as, world, platform):
    f.AssignmentFactory(incident=world["there"], unit=f.UnitFactory(platform=platform), status="cleared",
                        ended_at=timezone.now())
    data = snapshot_of(api_as, supervisor_of(platform=platform))
    assert [row["number"] for row in data["incidents"]] == ["110-A", "110-B"]
    assert [row["id"] for row in data["assignments"]] == [world["assignment"].pk]  # active ones only


def test_a_district_supervisor_gets_every_platform_of_the_district(api_as, world, platform, officer_unit):
    neighbour = f.PlatformFactory(code="P03", district=platform.district)
    f.IncidentFactory(zone=f.ZoneFactory(platform=neighbour), number="110-D")
    f.UnitFactory(platform=neighbour, call_sign="南东01")
    data = snapshot_of(api_as, supervisor_of(district=platform.district))
    assert [row["number"] for row in data["incidents"]] == ["110-A", "110-D"]
    assert [row["call_sign"] for row in data["units"]] == ["人广01", "南东01"]


def test_an_alert_about_a_unit_alone_is_its_platforms(api_as, world, platform, other_platform, officer_unit):
    Alert.objects.create(kind="not_acknowledged", unit=officer_unit, message="人广01 silent")
    Alert.objects.create(kind="no_unit", message="city only")
    assert [row["message"] for row in snapshot_of(api_as, supervisor_of(platform=platform))["alerts"]] == [
        "here", "人广01 silent"]
    assert [row["message"] for row in snapshot_of(api_as, supervisor_of(platform=other_platform))["alerts"]] == ["there"]


@pytest.mark.parametrize(("persona", "code"), matrix({
    "administrator": 200, "dispatcher": 200, "officer": 200, "supervisor": 403, "clerk": 403, "leadership": 403,
    "outsider": 403, "anonymous": 401}))
def test_unit_snapshot_permissions(request, officer_unit, persona, code):
    assert client_as(request, persona).get(f"/api/v1/units/{officer_unit.pk}/snapshot").status_code == code


def test_an_officer_may_not_load_another_units_snapshot(request, officer, world):
    response = client_as(request, "officer").get(f"/api/v1/units/{world['far_unit'].pk}/snapshot")
    assert response.status_code == 403
    assert response.json() == {"detail": "You may watch only a unit you crew."}
    assert client_as(request, "officer").get("/api/v1/units/987654/snapshot").status_code == 404


def test_the_tablet_gets_its_active_assignment_with_the_incident(request, officer, world, officer_unit):
    data = client_as(request, "officer").get(f"/api/v1/units/{officer_unit.pk}/snapshot").json()
    assert data["unit"] == {"id": officer_unit.pk, "call_sign": "人广01", "status": "available", "version": 1,
                            "status_reason": "", "platform": officer_unit.platform_id, "lon": 121.475, "lat": 31.231}
    [assignment] = data["assignments"]
    assert (assignment["id"], assignment["version"], assignment["incident_detail"]["number"],
            assignment["incident_detail"]["description"]) == (world["assignment"].pk, 2, "110-A", "两车刮擦")
    assert data["relocation"] is None


def ordered_move_up(unit, *, status="ordered") -> MoveUp:
    at = timezone.now().replace(microsecond=0)
    return MoveUp.objects.create(unit=unit, from_lon=121.475, from_lat=31.231, to_lon=121.48, to_lat=31.235,
                                 to_label="PP31 人民广场固定岗1", drive_s=120.0, gain=0.02, coverage_before=0.8,
                                 coverage_after=0.82, status=status, ordered_at=None if status == "open" else at,
                                 due_by=at + timedelta(minutes=6),
                                 version=2)


def test_the_tablet_gets_its_standing_relocation_order_after_a_reload(request, officer, world, officer_unit,
                                                                      demo_network):
    move = ordered_move_up(officer_unit)
    relocation = client_as(request, "officer").get(f"/api/v1/units/{officer_unit.pk}/snapshot").json()["relocation"]
    route = relocation.pop("route")
    assert relocation == {"move_up": move.pk, "unit": officer_unit.pk, "status": "ordered", "version": 2,
                          "target": {"lon": 121.48, "lat": 31.235, "label": "PP31 人民广场固定岗1"},
                          "ordered_at": move.ordered_at.isoformat(), "due_by": move.due_by.isoformat()}
    # by road, from the unit's live fix to the destination (OSRM snaps both ends to the nearest road)
    start, end = route["geometry"]["coordinates"][0], route["geometry"]["coordinates"][-1]
    assert distance_m(*start, 121.475, 31.231) < 150 and distance_m(*end, 121.48, 31.235) < 150
    assert (route["estimated"], route["steps"][0]["type"], route["steps"][-1]["type"]) == (False, "depart", "arrive")
    assert route["distance_m"] >= 600 and route["duration_s"] > 0


@pytest.mark.parametrize("status", ["open", "arrived", "missed", "dropped"])
def test_a_move_up_not_ordered_or_ended_is_not_on_the_tablet(request, officer, world, officer_unit, status):
    ordered_move_up(officer_unit, status=status)
    assert client_as(request, "officer").get(f"/api/v1/units/{officer_unit.pk}/snapshot").json()["relocation"] is None
