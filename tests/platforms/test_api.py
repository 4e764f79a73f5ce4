"""The resources' API: the permission matrix, supervisors scoped to their platform, officers to
their unit, platform moves and unit status, filters and pages, bad input."""
from datetime import timedelta

import pytest
from django.utils import timezone

from platforms.models import District, Officer, Platform, PlatformMove, Shift, Squad, Unit, UnitStatus, Vehicle
from tests import factories as f
from tests.api_support import matrix, readers

pytestmark = pytest.mark.django_db

ROSTER_READERS = ("administrator", "dispatcher", "supervisor")
PLACE_READERS = ("administrator", "dispatcher", "supervisor", "clerk")


@pytest.fixture
def squad(platform):
    return f.SquadFactory(platform=platform, number=7, name="七班")


def existing(resource, platform, officer_unit):
    """A row of `resource` on the supervisor's platform P01 (for units: the officer's own unit)."""
    return {
        "districts": lambda: platform.district,
        "platforms": lambda: platform,
        "squads": lambda: f.SquadFactory(platform=platform, number=8),
        "officers": lambda: f.OfficerFactory(platform=platform, squad=None),
        "vehicles": lambda: f.VehicleFactory(platform=platform),
        "shifts": lambda: officer_unit.shift,
        "units": lambda: officer_unit,
    }[resource]()


def new_row(resource, platform, squad):
    """(model, lookup, payload) to create one row of `resource` on platform P01."""
    shift = f.ShiftFactory(squad=squad) if resource == "units" else None
    return {
        "districts": (District, {"code": "HP"}, {"code": "HP", "name": "黄浦分局"}),
        "platforms": (Platform, {"code": "PNEW"}, {"code": "PNEW", "name": "新平台",
                                                   "district": platform.district_id, "lon": 121.48, "lat": 31.235}),
        "squads": (Squad, {"number": 9}, {"platform": platform.pk, "number": 9, "name": "九班"}),
        "officers": (Officer, {"badge_number": "990001"}, {"badge_number": "990001", "name": "王警官",
                                                            "kind": "police", "platform": platform.pk,
                                                            "squad": squad.pk, "skills": ["patrol", "traffic"]}),
        "vehicles": (Vehicle, {"call_number": "沪B0001警"}, {"call_number": "沪B0001警", "kind": "motorcycle",
                                                             "platform": platform.pk, "gps_device_id": "bd-9999"}),
        "shifts": (Shift, {"squad": squad}, {"squad": squad.pk, "kind": "night",
                                             "starts_at": "2026-12-01T22:00:00+08:00",
                                             "ends_at": "2026-12-02T06:00:00+08:00"}),
        "units": (Unit, {"call_sign": "人广99"}, {"call_sign": "人广99", "platform": platform.pk,
                                                  "shift": shift and shift.pk, "capabilities": ["patrol"]}),
    }[resource]


LIST_MATRIX = {
    "districts": readers(*PLACE_READERS),
    "platforms": readers(*PLACE_READERS),
    "squads": readers(*ROSTER_READERS),
    "officers": readers(*ROSTER_READERS),
    "vehicles": readers(*ROSTER_READERS),
    "shifts": readers(*ROSTER_READERS),
    "units": readers(*ROSTER_READERS, "officer"),
}
CREATE_MATRIX = {
    "districts": readers("administrator", code=201),
    "platforms": readers("administrator", code=201),
    **{resource: readers("administrator", "supervisor", code=201)
       for resource in ("squads", "officers", "vehicles", "shifts", "units")},
}


def cases(table):
    return [(resource, persona, code) for resource, codes in table.items() for persona, code in matrix(codes)]


class TestPermissions:
    @pytest.mark.parametrize(("resource", "persona", "code"), cases(LIST_MATRIX))
    def test_list(self, as_, platform, officer_unit, resource, persona, code):
        row = existing(resource, platform, officer_unit)
        response = as_(persona).get(f"/api/v1/{resource}/")
        assert response.status_code == code
        if code == 200:
            assert row.pk in [item["id"] for item in response.data["results"]]

    @pytest.mark.parametrize(("resource", "persona", "code"), cases(LIST_MATRIX))
    def test_retrieve(self, as_, platform, officer_unit, resource, persona, code):
        row = existing(resource, platform, officer_unit)
        response = as_(persona).get(f"/api/v1/{resource}/{row.pk}/")
        assert response.status_code == code
        if code == 200:
            assert response.data["id"] == row.pk

    @pytest.mark.parametrize(("resource", "persona", "code"), cases(CREATE_MATRIX))
    def test_create(self, as_, platform, squad, resource, persona, code):
        model, lookup, payload = new_row(resource, platform, squad)
        response = as_(persona).post(f"/api/v1/{resource}/", payload, format="json")
        assert response.status_code == code, response.data
        assert model.objects.filter(**lookup).count() == (1 if code == 201 else 0)

    @pytest.mark.parametrize(("persona", "code"), matrix({**readers("administrator", "supervisor"), "dispatcher": 403}))
    def test_update_an_officer(self, as_, platform, persona, code):
        person = f.OfficerFactory(platform=platform, name="旧名")
        response = as_(persona).patch(f"/api/v1/officers/{person.pk}/", {"name": "新名"}, format="json")
        assert response.status_code == code
        person.refresh_from_db()
        assert person.name == ("新名" if code == 200 else "旧名")


class TestSupervisorScope:
    """A supervisor's world is their platform: other platforms' rosters do not exist for them."""

    @pytest.mark.parametrize("resource", ["officers", "vehicles", "squads", "shifts", "units"])
    def test_other_platforms_rows_are_invisible(self, as_, other_platform, resource):
        row = existing(resource, other_platform, f.UnitFactory(platform=other_platform))
        api = as_("supervisor")
        assert api.get(f"/api/v1/{resource}/{row.pk}/").status_code == 404
        assert row.pk not in [item["id"] for item in api.get(f"/api/v1/{resource}/").data["results"]]

    def test_cannot_edit_another_platforms_officer(self, as_, other_platform):
        person = f.OfficerFactory(platform=other_platform, name="旧名")
        response = as_("supervisor").patch(f"/api/v1/officers/{person.pk}/", {"name": "新名"}, format="json")
        assert response.status_code == 404
        person.refresh_from_db()
        assert person.name == "旧名"

    def test_cannot_create_an_officer_on_another_platform(self, as_, platform, squad, other_platform):
        payload = {**new_row("officers", platform, squad)[2], "platform": other_platform.pk, "squad": None}
        response = as_("supervisor").post("/api/v1/officers/", payload, format="json")
        assert response.status_code == 400
        assert list(response.data) == ["platform"]
        assert Officer.objects.filter(badge_number="990001").count() == 0

    def test_cannot_move_own_officer_to_another_platform(self, as_, platform, other_platform):
        person = f.OfficerFactory(platform=platform, squad=None)
        body = {"platform": other_platform.pk}
        response = as_("supervisor").patch(f"/api/v1/officers/{person.pk}/", body, format="json")
        assert response.status_code == 400
        person.refresh_from_db()
        assert person.platform_id == platform.pk

    def test_cannot_crew_a_unit_with_another_platforms_officer(self, as_, platform, squad, other_platform):
        stranger = f.OfficerFactory(platform=other_platform)
        payload = {**new_row("units", platform, squad)[2], "officers": [stranger.pk]}
        response = as_("administrator").post("/api/v1/units/", payload, format="json")
        assert response.status_code == 400
        assert list(response.data) == ["officers"]
        assert Unit.objects.filter(call_sign="人广99").count() == 0

    def test_crews_a_unit_with_their_own_officers(self, as_, platform, squad):
        crew = [f.OfficerFactory(platform=platform, squad=squad) for _ in range(2)]
        payload = {**new_row("units", platform, squad)[2], "officers": [person.pk for person in crew]}
        response = as_("supervisor").post("/api/v1/units/", payload, format="json")
        assert response.status_code == 201
        assert sorted(response.data["officers"]) == sorted(person.pk for person in crew)
        assert (response.data["status"], response.data["on_duty"]) == ("off_duty", True)

    def test_reads_every_platform(self, as_, platform, other_platform):
        response = as_("supervisor").get("/api/v1/platforms/")
        assert [row["code"] for row in response.data["results"]] == ["P01", "P02"]


class TestOfficerScope:
    def test_sees_only_their_own_unit(self, as_, officer_unit):
        other = f.UnitFactory(platform=officer_unit.platform)
        api = as_("officer")
        assert [row["id"] for row in api.get("/api/v1/units/").data["results"]] == [officer_unit.pk]
        assert api.get(f"/api/v1/units/{other.pk}/").status_code == 404

    def test_cannot_edit_their_unit(self, as_, officer_unit):
        response = as_("officer").patch(f"/api/v1/units/{officer_unit.pk}/", {"call_sign": "改"}, format="json")
        assert response.status_code == 403


class TestBadInput:
    def test_unknown_skill(self, as_, platform, squad):
        payload = {**new_row("officers", platform, squad)[2], "skills": ["juggling"]}
        response = as_("administrator").post("/api/v1/officers/", payload, format="json")
        assert response.status_code == 400
        assert list(response.data) == ["skills"]
        assert Officer.objects.count() == 0

    def test_squad_of_another_platform(self, as_, platform, other_platform):
        foreign = f.SquadFactory(platform=other_platform, number=3)
        payload = {**new_row("officers", platform, foreign)[2]}
        response = as_("administrator").post("/api/v1/officers/", payload, format="json")
        assert response.status_code == 400
        assert response.data == {"squad": ["The squad belongs to another platform."]}
        assert Officer.objects.count() == 0

    def test_shift_ending_before_it_starts(self, as_, platform, squad):
        payload = {**new_row("shifts", platform, squad)[2], "ends_at": "2026-12-01T21:00:00+08:00"}
        response = as_("administrator").post("/api/v1/shifts/", payload, format="json")
        assert response.status_code == 400
        assert response.data == {"ends_at": ["A shift must end after it starts."]}
        assert Shift.objects.count() == 0

    def test_platform_outside_the_served_area(self, as_, platform, squad):
        payload = {**new_row("platforms", platform, squad)[2], "lon": 121.9}
        response = as_("administrator").post("/api/v1/platforms/", payload, format="json")
        assert response.status_code == 400
        assert list(response.data) == ["lon"]
        assert Platform.objects.count() == 1

    def test_blank_gps_device_is_refused(self, as_, platform, squad):
        payload = {**new_row("vehicles", platform, squad)[2], "gps_device_id": ""}
        response = as_("administrator").post("/api/v1/vehicles/", payload, format="json")
        assert response.status_code == 400
        assert Vehicle.objects.count() == 0

    def test_editing_a_platform_does_not_move_it(self, as_, platform):
        response = as_("administrator").patch(f"/api/v1/platforms/{platform.pk}/", {"lon": 121.5, "name": "新名"},
                                              format="json")
        assert response.status_code == 200
        platform.refresh_from_db()
        assert (platform.name, platform.lon) == ("新名", f.PEOPLES_SQUARE[0])
        assert PlatformMove.objects.count() == 0


class TestPlatformMove:
    body = {"lon": 121.49, "lat": 31.24, "reason": "晚高峰外滩客流"}

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*ROSTER_READERS, code=201)))
    def test_permissions(self, as_, platform, persona, code):
        response = as_(persona).post(f"/api/v1/platforms/{platform.pk}/move", self.body, format="json")
        assert response.status_code == code
        assert PlatformMove.objects.count() == (1 if code == 201 else 0)

    def test_the_move_is_recorded_and_the_platform_moves(self, as_, platform, dispatcher):
        response = as_("dispatcher").post(f"/api/v1/platforms/{platform.pk}/move/", self.body, format="json")
        assert response.data["from_lon"] == f.PEOPLES_SQUARE[0]
        data = response.data
        assert (data["to_lon"], data["to_lat"], data["reason"]) == (121.49, 31.24, "晚高峰外滩客流")
        assert response.data["moved_by"] == dispatcher.pk
        platform.refresh_from_db()
        assert (platform.lon, platform.lat) == (121.49, 31.24)
        moves = as_("dispatcher").get(f"/api/v1/platforms/{platform.pk}/moves").data
        assert (moves["count"], moves["results"][0]["id"]) == (1, response.data["id"])

    def test_a_supervisor_cannot_move_another_platform(self, as_, other_platform):
        response = as_("supervisor").post(f"/api/v1/platforms/{other_platform.pk}/move", self.body, format="json")
        assert response.status_code == 403
        assert PlatformMove.objects.count() == 0

    @pytest.mark.parametrize(("change", "field"), [({"lon": 121.9}, "lon"), ({"lat": "NaN"}, "lat"),
                                                   ({"reason": ""}, "reason"), ({"reason": ...}, "reason")])
    def test_bad_input(self, as_, platform, change, field):
        body = {key: value for key, value in {**self.body, **change}.items() if value is not ...}
        response = as_("dispatcher").post(f"/api/v1/platforms/{platform.pk}/move", body, format="json")
        assert response.status_code == 400
        assert list(response.data) == [field]
        assert PlatformMove.objects.count() == 0

    def test_a_fixed_post_does_not_move(self, as_):
        post = f.PlatformFactory(mobile=False)
        response = as_("dispatcher").post(f"/api/v1/platforms/{post.pk}/move", self.body, format="json")
        assert response.status_code == 400
        assert list(response.data) == ["platform"]


def set_status(api, unit, status, reason=""):
    return api.post(f"/api/v1/units/{unit.pk}/status", {"status": status, "reason": reason}, format="json")


class TestUnitStatus:
    @pytest.mark.parametrize(("persona", "code"), matrix(readers("administrator", "dispatcher", "supervisor", "officer")))
    def test_permissions(self, as_, officer_unit, persona, code):
        response = set_status(as_(persona), officer_unit, "unavailable", "车辆故障")
        assert response.status_code == code
        officer_unit.refresh_from_db()
        assert (officer_unit.status, officer_unit.status_reason) == (
            ("unavailable", "车辆故障") if code == 200 else ("available", ""))

    def test_the_new_status_and_its_reason_come_back(self, as_, officer_unit):
        response = set_status(as_("dispatcher"), officer_unit, "unavailable", "  车辆  故障 ")
        assert (response.data["status"], response.data["status_reason"], response.data["version"]) == (
            "unavailable", "车辆 故障", 2)
        response = set_status(as_("dispatcher"), officer_unit, "available", "ignored")
        assert (response.data["status"], response.data["status_reason"], response.data["version"]) == ("available", "", 3)

    def test_unavailable_needs_a_reason(self, as_, officer_unit):
        response = set_status(as_("dispatcher"), officer_unit, "unavailable")
        assert (response.status_code, response.data) == (
            400, {"reason": ["Say why the unit is unavailable (a meal break, a vehicle fault...)."]})
        officer_unit.refresh_from_db()
        assert (officer_unit.status, officer_unit.version) == ("available", 1)

    def test_an_officer_sets_a_meal_break_and_back_but_never_off_duty(self, as_, officer_unit):
        api = as_("officer")
        assert set_status(api, officer_unit, "unavailable", "用餐").data["status_reason"] == "用餐"
        response = set_status(api, officer_unit, "off_duty")
        assert (response.status_code, response.data) == (400, {"status": ["Only the command centre signs a unit off duty."]})
        assert set_status(api, officer_unit, "available").data["status"] == "available"

    def test_an_officer_sets_only_their_own_unit(self, as_, officer, platform):
        other = f.UnitFactory(platform=platform, call_sign="人广02")
        assert set_status(as_("officer"), other, "unavailable", "用餐").status_code == 404
        other.refresh_from_db()
        assert other.status == "available"

    def test_a_status_that_follows_from_assignments_is_refused(self, as_, officer_unit):
        response = set_status(as_("dispatcher"), officer_unit, "en_route")
        assert response.status_code == 400
        assert list(response.data) == ["status"]

    def test_a_move_the_transition_table_refuses_is_a_conflict(self, as_, officer_unit):
        Unit.objects.filter(pk=officer_unit.pk).update(status=UnitStatus.OFF_DUTY)
        response = set_status(as_("dispatcher"), officer_unit, "unavailable", "车辆故障")
        assert response.status_code == 409
        assert response.data["code"] == "invalid_transition"

    def test_another_platforms_unit_is_invisible_to_a_supervisor(self, as_, other_platform):
        unit = f.UnitFactory(platform=other_platform)
        response = set_status(as_("supervisor"), unit, "unavailable", "车辆故障")
        assert response.status_code == 404


class TestFiltersAndPages:
    def test_units_on_duty(self, as_, platform):
        now = timezone.now()
        on = f.UnitFactory(platform=platform)
        f.UnitFactory(platform=platform, shift__starts_at=now - timedelta(hours=12),
                      shift__ends_at=now - timedelta(hours=4))
        f.UnitFactory(platform=platform, shift__approved=False)
        api = as_("dispatcher")
        assert [row["id"] for row in api.get("/api/v1/units/", {"on_duty": "true"}).data["results"]] == [on.pk]
        assert api.get("/api/v1/units/", {"on_duty": "false"}).data["count"] == 2

    def test_units_by_platform_and_status(self, as_, platform, other_platform):
        wanted = f.UnitFactory(platform=platform, status="unavailable")
        f.UnitFactory(platform=platform, status="available")
        f.UnitFactory(platform=other_platform, status="unavailable")
        response = as_("dispatcher").get("/api/v1/units/", {"platform": platform.pk, "status": "unavailable"})
        assert [row["id"] for row in response.data["results"]] == [wanted.pk]

    def test_officers_by_platform_squad_and_kind(self, as_, platform, squad, other_platform):
        wanted = f.OfficerFactory(platform=platform, squad=squad, kind="auxiliary")
        f.OfficerFactory(platform=platform, squad=squad, kind="police")
        f.OfficerFactory(platform=platform, squad=None, kind="auxiliary")
        f.OfficerFactory(platform=other_platform, kind="auxiliary")
        query = {"platform": platform.pk, "squad": squad.pk, "kind": "auxiliary"}
        assert [row["id"] for row in as_("dispatcher").get("/api/v1/officers/", query).data["results"]] == [wanted.pk]

    def test_shifts_by_time_and_approval(self, as_, platform, squad, other_platform):
        start = timezone.now() + timedelta(days=1)
        wanted = f.ShiftFactory(squad=squad, starts_at=start, approved=True)
        f.ShiftFactory(squad=squad, starts_at=start + timedelta(hours=8), approved=False)
        f.ShiftFactory(squad=squad, starts_at=start - timedelta(days=3), approved=True)
        f.ShiftFactory(squad__platform=other_platform, starts_at=start, approved=True)
        query = {"platform": platform.pk, "approved": "true", "starts_after": (start - timedelta(hours=1)).isoformat(),
                 "starts_before": (start + timedelta(days=1)).isoformat()}
        assert [row["id"] for row in as_("dispatcher").get("/api/v1/shifts/", query).data["results"]] == [wanted.pk]

    def test_pages(self, as_):
        for number in range(5):
            f.VehicleFactory(call_number=f"沪A000{number}警")
        first = as_("dispatcher").get("/api/v1/vehicles/", {"page_size": 2}).data
        assert (first["count"], [row["call_number"] for row in first["results"]]) == (5, ["沪A0000警", "沪A0001警"])
        third = as_("dispatcher").get("/api/v1/vehicles/", {"page_size": 2, "page": 3}).data
        assert [row["call_number"] for row in third["results"]] == ["沪A0004警"]
        assert as_("dispatcher").get("/api/v1/vehicles/", {"page_size": 2, "page": 4}).status_code == 404
