"""Posts by mode (issue 16): a key site's fixed posts held on foot before by motorcycle or car, the
must-patrol routes (the main roads) ridden by motorcycles first, a secondary squad's foot crews at the key
sites' posts first."""
import pytest

from platforms import rosters
from platforms.models import VehicleKind
from tests import factories as f
from tests.platforms.roster_support import MONDAY, at
from tests.platforms.test_patrol import ORIGIN, offset, patrolled, plan_of, tasks  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_site(patrolled, platform):  # noqa: F811
    """K1 round PP1 (100 m) with a second post PP3 60 m away; PP2 (800 m) outside it."""
    f.KeySiteFactory(code="K1", lon=ORIGIN[0], lat=ORIGIN[1], radius_m=100)
    f.PatrolPointFactory(platform=platform, code="PP3", lon=offset(0, 60)[0], lat=offset(0, 60)[1])
    return patrolled


def crewed(shift, call_sign: str, kind: str):
    unit = f.UnitFactory(platform=shift.squad.platform, shift=shift, call_sign=call_sign,
                         vehicle=f.VehicleFactory(platform=shift.squad.platform, kind=kind))
    unit.officers.add(f.OfficerFactory(platform=shift.squad.platform, squad=shift.squad))
    return unit


def test_the_key_site_is_held_on_foot_and_the_route_ridden_by_motorcycle(key_site):
    shift = rosters.shifts_of(key_site).get(starts_at=at(MONDAY, 8), secondary=False)
    car = shift.units.get(call_sign="P01-C02")
    car.vehicle.kind = VehicleKind.ON_FOOT
    car.vehicle.save()
    crewed(shift, "P01-M01", VehicleKind.MOTORCYCLE)
    assert sorted(tasks(plan_of(key_site, 8))) == [
        ("posts", "P01-C01", "Z1"), ("posts", "P01-C02", "PP1"), ("posts", "P01-C02", "PP3"),
        ("posts", "P01-M01", "PP2"),
        ("routes", "P01-C01", "Z1"), ("routes", "P01-C02", "PP1"), ("routes", "P01-C02", "PP3"),
        ("routes", "P01-M01", "PR1")]


def test_with_cars_only_the_plan_is_as_before(key_site):
    assert tasks(plan_of(key_site, 8)) == [
        ("posts", "P01-C01", "PP1"), ("posts", "P01-C01", "PP3"), ("posts", "P01-C02", "PP2"),
        ("routes", "P01-C01", "PP1"), ("routes", "P01-C01", "PP3"), ("routes", "P01-C02", "PR1")]
