import pytest
from django.core.exceptions import ValidationError

from platforms import services
from platforms.models import PlatformMove
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # the messages are asserted in English


def test_a_platform_move_records_from_to_and_why(dispatcher):
    platform = f.PlatformFactory(lon=121.4737, lat=31.2304)
    move = services.platform_move(platform=platform, lon=121.4900, lat=31.2400, reason="外滩跨年活动", actor=dispatcher)
    platform.refresh_from_db()
    assert (move.from_lon, move.from_lat, move.to_lon, move.to_lat) == (121.4737, 31.2304, 121.49, 31.24)
    assert (platform.lon, platform.lat, platform.moved_at) == (121.49, 31.24, move.moved_at)


@pytest.mark.parametrize("lon, lat, reason, field", [
    (121.49, float("nan"), "演练", "lon"),
    (122.5, 31.24, "演练", "lon"),
    (121.49, 31.24, "  ", "reason"),
])
def test_a_bad_move_is_refused_and_the_platform_stays(dispatcher, lon, lat, reason, field):
    platform = f.PlatformFactory(lon=121.4737, lat=31.2304)
    with pytest.raises(ValidationError) as error:
        services.platform_move(platform=platform, lon=lon, lat=lat, reason=reason, actor=dispatcher)
    platform.refresh_from_db()
    assert field in error.value.message_dict
    assert (platform.lon, platform.lat, PlatformMove.objects.count()) == (121.4737, 31.2304, 0)


def test_a_fixed_post_does_not_move(dispatcher):
    post = f.PlatformFactory(mobile=False)
    with pytest.raises(ValidationError, match="fixed post"):
        services.platform_move(platform=post, lon=121.49, lat=31.24, reason="x", actor=dispatcher)


def test_unit_status_by_hand_goes_through_the_table(dispatcher):
    unit = f.UnitFactory(status="available")
    assert services.unit_set_status(unit=unit, status="unavailable", reason="车辆故障", actor=dispatcher).status == "unavailable"
    with pytest.raises(ValidationError, match="follows from assignments"):
        services.unit_set_status(unit=unit, status="on_scene", actor=dispatcher)


def test_a_reason_goes_with_unavailable_only_and_a_new_one_is_news(dispatcher):
    unit = f.UnitFactory(status="available")
    set_to = lambda status, reason="": services.unit_set_status(unit=unit, status=status, reason=reason, actor=dispatcher)  # noqa: E731
    steps = [set_to("unavailable", " 用餐\n"), set_to("unavailable", "用餐"), set_to("unavailable", "车辆故障"),
             set_to("available", "用餐")]
    assert [(u.status, u.status_reason, u.version) for u in steps] == [
        ("unavailable", "用餐", 2), ("unavailable", "用餐", 2), ("unavailable", "车辆故障", 3), ("available", "", 4)]


@pytest.mark.parametrize(("status", "reason", "by_crew", "errors"), [
    ("unavailable", "  ", False, {"reason": ["Say why the unit is unavailable (a meal break, a vehicle fault...)."]}),
    ("unavailable", "长" * 201, False, {"reason": ["Keep the reason to 200 characters."]}),
    ("off_duty", "", True, {"status": ["Only the command centre signs a unit off duty."]}),
])
def test_a_bad_status_change_is_refused_and_changes_nothing(dispatcher, status, reason, by_crew, errors):
    unit = f.UnitFactory(status="available")
    with pytest.raises(ValidationError) as error:
        services.unit_set_status(unit=unit, status=status, reason=reason, by_crew=by_crew, actor=dispatcher)
    unit.refresh_from_db()
    assert (error.value.message_dict, unit.status, unit.status_reason, unit.version) == (errors, "available", "", 1)


def test_a_move_that_follows_from_a_job_leaves_no_reason(dispatcher):
    unit = services.unit_set_status(unit=f.UnitFactory(status="available"), status="unavailable", reason="用餐",
                                    actor=dispatcher)
    services.unit_move(unit, "available")
    assert (unit.status, unit.status_reason) == ("available", "")


def test_unit_with_an_active_assignment_cannot_go_off_duty(dispatcher):
    unit = f.UnitFactory(status="dispatched")
    f.AssignmentFactory(unit=unit)
    with pytest.raises(ValidationError, match="active assignment"):
        services.unit_set_status(unit=unit, status="available", actor=dispatcher)
