import pytest
from django.core.exceptions import ValidationError

from platforms import services
from platforms.models import PlatformMove
from tests import factories as f

pytestmark = pytest.mark.django_db


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
    assert services.unit_set_status(unit=unit, status="unavailable", actor=dispatcher).status == "unavailable"
    with pytest.raises(ValidationError, match="follows from assignments"):
        services.unit_set_status(unit=unit, status="on_scene", actor=dispatcher)


def test_unit_with_an_active_assignment_cannot_go_off_duty(dispatcher):
    unit = f.UnitFactory(status="dispatched")
    f.AssignmentFactory(unit=unit)
    with pytest.raises(ValidationError, match="active assignment"):
        services.unit_set_status(unit=unit, status="available", actor=dispatcher)
