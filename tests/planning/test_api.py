"""Deployment planning's API: the permission matrix of every endpoint, supervisors scoped to their
platform, and bad input refused in words with nothing changed."""
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from planning.models import CoverageSample, DeploymentPlan, MoveUp, PlannedMove, Stand
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db

PLANNERS = ("administrator", "supervisor")
READERS = ("administrator", "dispatcher", "supervisor")
ORDERING = ("administrator", "dispatcher")


def tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def crewed(platform):
    """A crew of the platform on an approved day shift tomorrow, 08-16."""
    shift = f.ShiftFactory(squad=f.SquadFactory(platform=platform), starts_at=tomorrow_at(8), ends_at=tomorrow_at(16))
    unit = f.UnitFactory(platform=platform, shift=shift)
    unit.officers.add(f.OfficerFactory(platform=platform, squad=shift.squad))
    return unit


@pytest.fixture
def stand(platform):
    return Stand.objects.create(platform=platform, code="S0101", name="人民广场停靠点", lon=121.4737, lat=31.2304)


def ready_plan(platform, **fields) -> DeploymentPlan:
    plan = DeploymentPlan.objects.create(starts_at=tomorrow_at(9), ends_at=tomorrow_at(17), mode="routes",
                                         status="ready", result={"platforms": []}, staffing={"crews": {}}, **fields)
    plan.platforms.set([platform])
    return plan


@pytest.fixture
def move_up(officer_unit):
    return MoveUp.objects.create(unit=officer_unit, from_lon=121.47, from_lat=31.23, to_lon=121.48, to_lat=31.235,
                                 to_label="PP31 人民广场固定岗1", drive_s=120.0, gain=0.02, coverage_before=0.8,
                                 coverage_after=0.82)


class TestPermissions:
    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*READERS)))
    def test_read_stands(self, as_, stand, persona, code):
        api = as_(persona)
        for url in ("/api/v1/stands/", f"/api/v1/stands/{stand.pk}/"):
            assert api.get(url).status_code == code, url

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*PLANNERS, code=201)))
    def test_add_a_stand(self, as_, platform, persona, code):
        body = {"platform": platform.pk, "code": "S0109", "name": "西藏中路路边停靠点", "kind": "kerbside",
                "lon": 121.4760, "lat": 31.2330}
        assert as_(persona).post("/api/v1/stands/", body, format="json").status_code == code
        assert Stand.objects.count() == (1 if code == 201 else 0)

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*PLANNERS, code=202)))
    def test_ask_for_a_plan(self, as_, crewed, persona, code):
        response = as_(persona).post("/api/v1/deployment-plans/", {"starts_at": tomorrow_at(9).isoformat()},
                                     format="json")
        assert response.status_code == code
        assert DeploymentPlan.objects.count() == (1 if code == 202 else 0)
        if code == 202:
            assert (response.data["status"], response.data["mode"], response.data["platforms"]) == ("queued", "routes", ["P01"])
            assert response.data["staffing"]["crews"] == {"P01": 1}

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*READERS)))
    def test_read_plans(self, as_, platform, persona, code):
        plan = ready_plan(platform)
        api = as_(persona)
        for url in ("/api/v1/deployment-plans/", f"/api/v1/deployment-plans/{plan.pk}/"):
            assert api.get(url).status_code == code, url

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*PLANNERS)))
    def test_accept_a_plan(self, as_, platform, persona, code):
        plan = ready_plan(platform)
        response = as_(persona).post(f"/api/v1/deployment-plans/{plan.pk}/accept", {}, format="json")
        assert response.status_code == code
        plan.refresh_from_db()
        assert plan.status == ("accepted" if code == 200 else "ready")
        if code == 200:
            assert (response.data["status"], response.data["accepted_by"]) == ("accepted", plan.accepted_by.username)

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*READERS)))
    def test_read_move_ups(self, as_, move_up, persona, code):
        api = as_(persona)
        for url in ("/api/v1/move-ups/", f"/api/v1/move-ups/{move_up.pk}/", "/api/v1/move-ups/compliance",
                    "/api/v1/coverage-samples"):
            assert api.get(url).status_code == code, url

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*ORDERING)))
    def test_order_a_move_up(self, as_, move_up, persona, code, empty_live_picture):
        response = as_(persona).post(f"/api/v1/move-ups/{move_up.pk}/order", {}, format="json")
        assert response.status_code == code
        move_up.refresh_from_db()
        assert move_up.status == ("ordered" if code == 200 else "open")


class TestScope:
    def test_a_supervisor_sees_only_plans_all_of_whose_platforms_are_theirs(self, as_, platform, other_platform):
        mine, theirs, both = ready_plan(platform), ready_plan(other_platform), ready_plan(platform)
        both.platforms.add(other_platform)
        listed = [row["id"] for row in as_("supervisor").get("/api/v1/deployment-plans/").data["results"]]
        assert listed == [mine.pk]
        assert as_("supervisor").get(f"/api/v1/deployment-plans/{theirs.pk}/").status_code == 404
        assert as_("supervisor").post(f"/api/v1/deployment-plans/{both.pk}/accept", {}, format="json").status_code == 404

    def test_a_supervisor_reads_only_their_units_move_ups(self, as_, move_up, other_platform):
        other = MoveUp.objects.create(unit=f.UnitFactory(platform=other_platform), from_lon=121.47, from_lat=31.23,
                                      to_lon=121.48, to_lat=31.23, to_label="PP06", drive_s=60, gain=0.01,
                                      coverage_before=0.8, coverage_after=0.81)
        listed = [row["id"] for row in as_("supervisor").get("/api/v1/move-ups/").data["results"]]
        assert (listed, as_("supervisor").get(f"/api/v1/move-ups/{other.pk}/").status_code) == ([move_up.pk], 404)

    def test_a_supervisor_may_not_plan_another_district(self, as_, crewed, other_platform):
        response = as_("supervisor").post("/api/v1/deployment-plans/", {"starts_at": tomorrow_at(9).isoformat(),
                                                                         "district": other_platform.district_id},
                                          format="json")
        assert (response.status_code, response.data) == (400, {"district": ["None of this district's platforms is yours to plan."]})


class TestBadInput:
    def test_a_start_that_is_no_bands_is_refused(self, as_, crewed):
        response = as_("supervisor").post("/api/v1/deployment-plans/", {"starts_at": tomorrow_at(10).isoformat()},
                                          format="json")
        assert (response.status_code, response.data) == (400, {"starts_at": ["Choose a band of the patrol plan by its start."]})

    def test_a_band_over_is_refused(self, as_, crewed):
        yesterday = tomorrow_at(9) - timedelta(days=2)
        response = as_("supervisor").post("/api/v1/deployment-plans/", {"starts_at": yesterday.isoformat()}, format="json")
        assert (response.status_code, response.data) == (
            400, {"starts_at": ["This band is over: plan one still to come or under way."]})

    def test_a_band_with_no_crew_on_duty_is_refused_and_nothing_is_saved(self, as_, crewed):
        response = as_("supervisor").post("/api/v1/deployment-plans/", {"starts_at": tomorrow_at(17).isoformat()},
                                          format="json")
        day = timezone.localdate() + timedelta(days=1)
        assert (response.status_code, response.data) == (400, {"starts_at": [
            f"No crew is on duty from {day:%m-%d} 17:00 to 19:00 in the platforms chosen: the plan needs an approved "
            "roster with crewed units in that band."]})
        assert DeploymentPlan.objects.count() == 0

    def test_a_plan_accepted_already_cannot_be_accepted_again(self, as_, platform):
        plan = ready_plan(platform)
        assert as_("supervisor").post(f"/api/v1/deployment-plans/{plan.pk}/accept", {}, format="json").status_code == 200
        response = as_("supervisor").post(f"/api/v1/deployment-plans/{plan.pk}/accept", {}, format="json")
        assert (response.status_code, response.data["detail"]) == (409, "This plan cannot be accepted: it is Accepted.")

    def test_a_plan_made_on_an_older_roster_is_refused_with_the_reason_and_nothing_changes(self, as_, platform, stand):
        from platforms.models import RosterPeriod

        day = timezone.localdate() + timedelta(days=1)
        period = RosterPeriod.objects.create(platform=platform, starts_on=day, ends_on=day, status="approved",
                                             approved_at=timezone.now(), version=4)
        row = {"code": "P01", "moves": True, "stand": {"id": stand.pk}, "tasks": [], "reserve": 0}
        plan = ready_plan(platform, rosters={str(period.pk): 3})
        plan.result = {"platforms": [row]}
        plan.save()
        response = as_("supervisor").post(f"/api/v1/deployment-plans/{plan.pk}/accept", {}, format="json")
        assert (response.status_code, response.data["detail"]) == (409, (
            f"The roster P01 {day:%m-%d}–{day:%m-%d} changed since the plan was made (version 3, now 4). "
            "Run the plan again on the roster as it stands."))
        plan.refresh_from_db()
        assert (plan.status, PlannedMove.objects.count()) == ("ready", 0)

    def test_an_unknown_move_up_status_is_refused(self, as_, move_up):
        response = as_("dispatcher").get("/api/v1/move-ups/?status=lost")
        assert (response.status_code, response.data) == (400, {"status": ["Unknown status: lost."]})

    def test_a_window_the_wrong_way_round_is_refused(self, as_):
        CoverageSample.objects.create(expected=0.9, by_class={}, uncovered=0.01, free_units=3)
        response = as_("dispatcher").get("/api/v1/coverage-samples?since=2026-11-24T10:00:00%2B08:00&until=2026-11-24T09:00:00%2B08:00")
        assert (response.status_code, response.data) == (400, {"since": ["The window must start before it ends."]})

    def test_a_move_up_ordered_already_answers_409(self, as_, move_up, empty_live_picture):
        assert as_("dispatcher").post(f"/api/v1/move-ups/{move_up.pk}/order", {}, format="json").status_code == 200
        response = as_("dispatcher").post(f"/api/v1/move-ups/{move_up.pk}/order", {}, format="json")
        assert (response.status_code, response.data["detail"]) == (409, "This move-up is Ordered: it can no longer be ordered.")
