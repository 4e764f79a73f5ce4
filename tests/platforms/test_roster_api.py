"""The rosters' and patrol plans' API: the permission matrix of every endpoint, supervisors scoped
to their platform, officers to their own units' tasks, and bad input refused with nothing saved."""
from datetime import timedelta

import pytest
from django.utils import timezone

from platforms import patrol, rosters
from platforms.models import Absence, PatrolBand, PatrolPlan, PatrolTask, RosterPeriod, Shift
from tests import factories as f
from tests.api_support import matrix, readers
from tests.platforms.roster_support import MONDAY, at, generate, staff

pytestmark = pytest.mark.django_db

READERS = ("administrator", "dispatcher", "supervisor")
WRITERS = ("administrator", "supervisor")
DAY = MONDAY.isoformat()


@pytest.fixture
def period(platform):
    return generate(staff(platform), days=1)


@pytest.fixture
def approved(period, supervisor):
    return rosters.roster_approve(period=period, actor=supervisor)[0]


def shift_at(period, hour, secondary=False):
    return rosters.shifts_of(period).select_related("squad").get(starts_at=at(MONDAY, hour), secondary=secondary)


def free_police(period):
    """A sworn officer of the squad resting all day (only the evening peak): free for overtime at 08–16."""
    return shift_at(period, 17, secondary=True).squad.officers.filter(kind="police").order_by("badge_number").first()


class TestPermissions:
    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*READERS)))
    def test_read(self, as_, period, persona, code):
        api = as_(persona)
        for url in ("/api/v1/roster-periods/", f"/api/v1/roster-periods/{period.pk}/",
                    f"/api/v1/roster-periods/{period.pk}/checks", f"/api/v1/roster-periods/{period.pk}/changes"):
            assert api.get(url).status_code == code, url

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*WRITERS, code=201)))
    def test_generate(self, as_, platform, persona, code):
        staff(platform)
        body = {"platform": platform.pk, "starts_on": DAY, "ends_on": DAY}
        response = as_(persona).post("/api/v1/roster-periods/", body, format="json")
        assert response.status_code == code
        assert RosterPeriod.objects.count() == (1 if code == 201 else 0)
        if code == 201:
            assert (response.data["status"], len(response.data["shifts"])) == ("draft", 5)

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*WRITERS)))
    def test_approve(self, as_, period, persona, code):
        response = as_(persona).post(f"/api/v1/roster-periods/{period.pk}/approve", {}, format="json")
        assert response.status_code == code
        period.refresh_from_db()
        assert period.status == ("approved" if code == 200 else "draft")

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*WRITERS)))
    def test_swap(self, as_, period, persona, code):
        a, b = shift_at(period, 8), shift_at(period, 16)
        response = as_(persona).post(f"/api/v1/roster-periods/{period.pk}/swap", {"shift_a": a.pk, "shift_b": b.pk}, format="json")
        assert response.status_code == code
        assert Shift.objects.get(pk=a.pk).squad_id == (b.squad_id if code == 200 else a.squad_id)

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*WRITERS, code=201)))
    def test_absence(self, as_, period, persona, code):
        officer = shift_at(period, 8).squad.officers.first()
        body = {"officer": officer.pk, "kind": "sick", "starts_at": at(MONDAY, 8).isoformat(), "ends_at": at(MONDAY, 16).isoformat()}
        response = as_(persona).post(f"/api/v1/roster-periods/{period.pk}/absences", body, format="json")
        assert response.status_code == code
        assert Absence.objects.count() == (1 if code == 201 else 0)

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*WRITERS, code=201)))
    def test_overtime(self, as_, period, persona, code):
        unit = shift_at(period, 8).units.get(call_sign="P01-C01")
        body = {"officer": free_police(period).pk, "unit": unit.pk, "reason": "加班"}
        response = as_(persona).post(f"/api/v1/roster-periods/{period.pk}/overtime", body, format="json")
        assert response.status_code == code
        assert unit.officers.count() == (4 if code == 201 else 3)

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*READERS)))
    def test_patrol_plans_and_coverage(self, as_, period, persona, code):
        patrol.patrol_plans_for_day(platform=period.platform, day=MONDAY)
        api = as_(persona)
        assert api.get(f"/api/v1/patrol-plans/?date={DAY}").status_code == code
        assert api.get(f"/api/v1/patrol-coverage/?platform={period.platform_id}&date={DAY}").status_code == code

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*WRITERS, code=201)))
    def test_patrol_plan_generation(self, as_, period, persona, code):
        response = as_(persona).post("/api/v1/patrol-plans/generate", {"platform": period.platform_id, "date": DAY}, format="json")
        assert response.status_code == code
        assert PatrolPlan.objects.count() == (5 if code == 201 else 0)

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*READERS, "officer")))
    def test_patrol_tasks(self, as_, officer_unit, persona, code):
        plan = PatrolPlan.objects.create(shift=officer_unit.shift)
        band = PatrolBand.objects.create(plan=plan, starts_at=officer_unit.shift.starts_at, ends_at=officer_unit.shift.ends_at,
                                         mode="posts")
        task = PatrolTask.objects.create(band=band, unit=officer_unit, point=f.PatrolPointFactory(platform=officer_unit.platform))
        response = as_(persona).get(f"/api/v1/patrol-tasks/?unit={officer_unit.pk}")
        assert response.status_code == code
        if code == 200:
            assert [row["id"] for row in response.data["results"]] == [task.pk]


class TestScope:
    def test_another_platforms_roster_does_not_exist_for_a_supervisor(self, as_, other_platform):
        foreign = generate(staff(other_platform), days=1)
        api = as_("supervisor")
        assert api.get("/api/v1/roster-periods/").data["results"] == []
        for url in (f"/api/v1/roster-periods/{foreign.pk}/", f"/api/v1/roster-periods/{foreign.pk}/checks"):
            assert api.get(url).status_code == 404
        assert api.post(f"/api/v1/roster-periods/{foreign.pk}/approve", {}, format="json").status_code == 404
        assert api.get(f"/api/v1/patrol-coverage/?platform={other_platform.pk}").status_code == 404
        body = {"platform": other_platform.pk, "starts_on": "2030-04-01", "ends_on": "2030-04-07"}
        response = api.post("/api/v1/roster-periods/", body, format="json")
        assert (response.status_code, list(response.data)) == (400, ["platform"])
        assert RosterPeriod.objects.get().status == "draft"

    def test_a_district_supervisor_sees_the_districts_platforms(self, as_, platform, other_platform):
        mine, foreign = generate(staff(platform), days=1), generate(staff(other_platform), days=1)
        user = f.UserFactory(username="district")
        f.membership(user, f.Role.SUPERVISOR, district=platform.district)
        api = as_("anonymous")
        api.force_authenticate(user)
        assert [row["id"] for row in api.get("/api/v1/roster-periods/").data["results"]] == [mine.pk]
        assert api.get(f"/api/v1/roster-periods/{foreign.pk}/").status_code == 404

    def test_an_officer_sees_only_their_own_units_tasks(self, as_, officer_unit, platform):
        other = f.UnitFactory(platform=platform, shift=officer_unit.shift)
        plan = PatrolPlan.objects.create(shift=officer_unit.shift)
        band = PatrolBand.objects.create(plan=plan, starts_at=officer_unit.shift.starts_at, ends_at=officer_unit.shift.ends_at,
                                         mode="routes")
        route = f.PatrolRouteFactory(platform=platform)
        mine = PatrolTask.objects.create(band=band, unit=officer_unit, route=route)
        theirs = PatrolTask.objects.create(band=band, unit=other, route=route)
        api = as_("officer")
        assert [row["id"] for row in api.get("/api/v1/patrol-tasks/").data["results"]] == [mine.pk]
        assert api.get(f"/api/v1/patrol-tasks/?unit={other.pk}").data["results"] == []
        assert api.get(f"/api/v1/patrol-tasks/{theirs.pk}/").status_code == 404
        row = api.get(f"/api/v1/patrol-tasks/{mine.pk}/").data
        assert (row["mode"], row["call_sign"], row["target"]["kind"], row["target"]["code"]) == ("routes", "人广01", "route", route.code)
        assert as_("supervisor").get(f"/api/v1/patrol-tasks/?unit={other.pk}").data["results"][0]["id"] == theirs.pk


class TestRosterFlow:
    def test_checks_then_refused_then_fixed_then_approved(self, as_, period):
        api = as_("supervisor")
        car = shift_at(period, 8).units.get(call_sign="P01-C01")
        leader = car.officers.get(kind="police")
        body = {"officer": leader.pk, "kind": "leave", "starts_at": at(MONDAY, 8).isoformat(), "ends_at": at(MONDAY, 16).isoformat(),
                "note": "年假"}
        assert api.post(f"/api/v1/roster-periods/{period.pk}/absences", body, format="json").status_code == 201
        checks = api.get(f"/api/v1/roster-periods/{period.pk}/checks").data
        assert checks["version"] == 2
        assert [(v["check"], v["message"]) for v in checks["violations"]] == [
            ("crew", "Crew P01-C01 (03-04 08:00) has no sworn police officer.")]
        refused = api.post(f"/api/v1/roster-periods/{period.pk}/approve", {"version": 2}, format="json")
        assert refused.status_code == 400
        assert refused.data["detail"] == "The roster cannot be approved: Crew P01-C01 (03-04 08:00) has no sworn police officer."
        assert [v["check"] for v in refused.data["violations"]] == ["crew"]
        body = {"officer": free_police(period).pk, "unit": car.pk}
        assert api.post(f"/api/v1/roster-periods/{period.pk}/overtime", body, format="json").data["hours"] == 8.0
        stale = api.post(f"/api/v1/roster-periods/{period.pk}/approve", {"version": 2}, format="json")
        assert (stale.status_code, stale.data["code"]) == (409, "conflict")
        approved = api.post(f"/api/v1/roster-periods/{period.pk}/approve", {"version": 3}, format="json")
        assert (approved.status_code, approved.data["status"], approved.data["warnings"]) == (200, "approved", [])
        changes = api.get(f"/api/v1/roster-periods/{period.pk}/changes").data["results"]
        assert [c["kind"] for c in changes] == ["generated", "absence", "overtime", "approved"]
        assert not rosters.shifts_of(period).filter(approved=False).exists()


class TestBadInput:
    def post(self, as_, url, body):
        return as_("supervisor").post(url, body, format="json")

    @pytest.mark.parametrize(("change", "field"), [
        ({"ends_on": "2030-03-03"}, "ends_on"), ({"ends_on": "2030-05-01"}, "ends_on"), ({"platform": 99999}, "platform"),
        ({"starts_on": "soon"}, "starts_on"), ({"pattern": {"shift_hours": 0}}, "pattern"), ({"pattern": [1]}, "pattern"),
    ])
    def test_generation(self, as_, platform, change, field):
        staff(platform)
        response = self.post(as_, "/api/v1/roster-periods/", {"platform": platform.pk, "starts_on": DAY, "ends_on": DAY, **change})
        assert (response.status_code, list(response.data)) == (400, [field])
        assert (RosterPeriod.objects.count(), Shift.objects.filter(starts_at__year=2030).count()) == (0, 0)

    def test_an_unknown_squad(self, as_, other_platform):
        staff(other_platform, squads=3)
        body = {"platform": other_platform.pk, "starts_on": DAY, "ends_on": DAY}
        response = as_("administrator").post("/api/v1/roster-periods/", body, format="json")
        assert response.status_code == 400
        assert response.data == {"platform": ["外滩平台 has no squad number 4, 5: the rotation needs squads 1 to 5."]}
        assert RosterPeriod.objects.count() == 0

    def test_overlapping_rosters(self, as_, period):
        response = self.post(as_, "/api/v1/roster-periods/", {"platform": period.platform_id, "starts_on": DAY, "ends_on": DAY})
        assert (response.status_code, response.data["detail"]) == (409, "These days overlap the roster 2030-03-04 to 2030-03-04.")
        assert RosterPeriod.objects.count() == 1

    def test_adjustments(self, as_, period, other_platform):
        url = f"/api/v1/roster-periods/{period.pk}"
        officer = shift_at(period, 8).squad.officers.first()
        backwards = {"officer": officer.pk, "kind": "sick", "starts_at": at(MONDAY, 16).isoformat(), "ends_at": at(MONDAY, 8).isoformat()}
        assert self.post(as_, f"{url}/absences", backwards).data == {"ends_at": ["The absence must end after it starts."]}
        stranger = f.OfficerFactory(platform=other_platform)
        response = self.post(as_, f"{url}/absences", {**backwards, "officer": stranger.pk})
        assert (response.status_code, list(response.data)) == (400, ["officer"])
        busy = self.post(as_, f"{url}/overtime", {"officer": officer.pk, "unit": shift_at(period, 8).units.first().pk})
        assert (busy.status_code, busy.data["officer"][0].startswith(officer.name + " is already on duty at that time")) == (400, True)
        assert self.post(as_, f"{url}/swap", {"shift_a": shift_at(period, 8).pk, "shift_b": 0}).status_code == 400
        fresh = RosterPeriod.objects.get(pk=period.pk)
        assert (fresh.version, Absence.objects.count(), fresh.changes.count()) == (1, 0, 1)

    def test_plain_edits_of_an_approved_rosters_shifts_and_units_are_refused(self, as_, approved):
        day = shift_at(approved, 8)
        api = as_("supervisor")
        response = api.patch(f"/api/v1/shifts/{day.pk}/", {"ends_at": at(MONDAY, 18).isoformat()}, format="json")
        assert (response.status_code, response.data["detail"]) == (409, "This shift belongs to the approved roster 2030-03-04 to "
                                                                    "2030-03-04: change it through the roster's adjustments, which ask for approval again.")
        unit = day.units.first()
        assert api.patch(f"/api/v1/units/{unit.pk}/", {"call_sign": "改"}, format="json").status_code == 409
        body = {"squad": day.squad_id, "kind": "day", "starts_at": at(MONDAY, 9).isoformat(), "ends_at": at(MONDAY, 10).isoformat()}
        assert api.post("/api/v1/shifts/", body, format="json").status_code == 409
        assert Shift.objects.get(pk=day.pk).ends_at == at(MONDAY, 16)

    def test_approval_is_not_an_editable_field(self, as_, platform):
        shift = f.ShiftFactory(squad=f.SquadFactory(platform=platform, number=9), approved=False)
        response = as_("supervisor").patch(f"/api/v1/shifts/{shift.pk}/", {"approved": True}, format="json")
        assert (response.status_code, response.data["approved"]) == (200, False)

    def test_coverage_needs_a_platform_and_a_real_date(self, as_, period):
        api = as_("supervisor")
        assert api.get("/api/v1/patrol-coverage/").data == {"platform": ["Give the platform's id."]}
        response = api.get(f"/api/v1/patrol-coverage/?platform={period.platform_id}&date=2030-02-30")
        assert (response.status_code, list(response.data)) == (400, ["date"])
        assert api.get("/api/v1/patrol-plans/?date=yesterday").status_code == 400


def test_a_coverage_report_through_the_api(as_, other_platform):
    yesterday = timezone.localdate() - timedelta(days=1)
    generate(staff(other_platform), days=1, starts_on=yesterday)
    f.PatrolPointFactory(platform=other_platform, code="PP9")
    response = as_("dispatcher").get(f"/api/v1/patrol-coverage/?platform={other_platform.pk}&date={yesterday.isoformat()}")
    assert response.status_code == 200
    data = response.data
    assert (data["date"], len(data["shifts"]), data["points_visited"], data["points_due"]) == (yesterday.isoformat(), 5, 0, 3)
    assert [(gap["kind"], gap["code"]) for gap in data["gaps"]] == [("point", "PP9")] * 3


class TestPatrolTaskAssignment:
    @pytest.fixture
    def plan(self, period):
        return patrol.patrol_plan_generate(shift=shift_at(period, 8))

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*WRITERS, code=201)))
    def test_permissions(self, as_, plan, persona, code):
        band, unit = plan.bands.get(mode="routes"), plan.shift.units.get(call_sign="P01-T01")
        route = f.PatrolRouteFactory(platform=unit.platform, code="PR8")
        response = as_(persona).post("/api/v1/patrol-tasks/", {"band": band.pk, "unit": unit.pk, "route": route.pk}, format="json")
        assert response.status_code == code
        assert PatrolTask.objects.filter(route=route).count() == (1 if code == 201 else 0)

    def test_a_task_moves_to_another_crew_of_the_shift(self, as_, plan):
        route = f.PatrolRouteFactory(platform=plan.shift.squad.platform, code="PR8")
        task = PatrolTask.objects.create(band=plan.bands.get(mode="routes"), unit=plan.shift.units.get(call_sign="P01-C01"),
                                         route=route)
        other = plan.shift.units.get(call_sign="P01-C02")
        response = as_("supervisor").patch(f"/api/v1/patrol-tasks/{task.pk}/", {"unit": other.pk}, format="json")
        assert (response.status_code, response.data["unit"]) == (200, other.pk)

    def test_bad_assignments(self, as_, plan, period, other_platform):
        band, unit = plan.bands.get(mode="posts"), plan.shift.units.get(call_sign="P01-C01")
        point, route = f.PatrolPointFactory(platform=unit.platform), f.PatrolRouteFactory(platform=unit.platform)
        api, before = as_("supervisor"), PatrolTask.objects.count()
        both = api.post("/api/v1/patrol-tasks/", {"band": band.pk, "unit": unit.pk, "point": point.pk, "route": route.pk},
                        format="json")
        assert both.data == {"non_field_errors": ["Give exactly one of a must-patrol point, a route or a zone."]}
        night_unit = shift_at(period, 0).units.first()
        wrong_shift = api.post("/api/v1/patrol-tasks/", {"band": band.pk, "unit": night_unit.pk, "point": point.pk}, format="json")
        assert wrong_shift.data == {"unit": ["The unit is not on this band's shift."]}
        foreign = f.PatrolPointFactory(platform=other_platform)
        scoped_out = api.post("/api/v1/patrol-tasks/", {"band": band.pk, "unit": unit.pk, "point": foreign.pk}, format="json")
        assert (scoped_out.status_code, list(scoped_out.data)) == (400, ["point"])
        admin = as_("administrator").post("/api/v1/patrol-tasks/", {"band": band.pk, "unit": unit.pk, "point": foreign.pk},
                                          format="json")
        assert admin.data == {"non_field_errors": ["The target belongs to another platform."]}
        assert PatrolTask.objects.count() == before
