"""A band to plan and what the approved roster puts on the street in it (`planning.bands`)."""
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone, translation

from planning import bands
from platforms.models import Shift
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 24)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def crew(platform, starts: int, hours: int = 8, *, kind="patrol_car", approved=True, officers=1):
    """A crewed unit of the platform's shift starting at `starts` (squad 1, 2, 3 by approval and start)."""
    squad = f.SquadFactory(platform=platform, number=1 + (starts // 8) % 3 + (0 if approved else 3))
    shift = (Shift.objects.filter(squad=squad, starts_at=at(starts)).first()
             or f.ShiftFactory(squad=squad, starts_at=at(starts), ends_at=at(starts) + timedelta(hours=hours), approved=approved))
    unit = f.UnitFactory(platform=platform, shift=shift, vehicle=f.VehicleFactory(platform=platform, kind=kind))
    for _ in range(officers):
        unit.officers.add(f.OfficerFactory(platform=platform, squad=shift.squad))
    return unit


def test_the_days_bands_are_the_patrol_plans():
    found = [(timezone.localtime(b.starts_at).hour, timezone.localtime(b.ends_at).hour, b.mode) for b in bands.day_bands(DAY)]
    assert found == [(0, 7, "community"), (7, 9, "posts"), (9, 17, "routes"), (17, 19, "posts"), (19, 22, "routes"),
                     (22, 0, "community")]
    assert bands.band_starting(at(9)).mode == "routes"
    assert (bands.band_starting(at(10)), bands.band_at(at(10, 30)).starts_at) == (None, at(9))


def test_the_crews_on_duty_are_the_fewest_at_any_moment_of_the_band(platform):
    for _ in range(3):
        crew(platform, 0)          # the night shift, three crews to 08:00
    for _ in range(2):
        crew(platform, 8)          # the day shift, two from 08:00
    crew(platform, 0, kind="platform_truck")
    crew(platform, 8, kind="patrol_car", approved=False)  # not approved: not on the street
    crew(platform, 8, officers=0)                          # no one in it
    staffing = bands.crews_on_duty([platform], bands.band_starting(at(7)))
    assert (staffing.crews, staffing.trucks, staffing.total) == ({"P01": 2}, {"P01": True}, 2)
    assert len(staffing.units["P01"]) == 3  # the night shift's crews at 07:00


def test_a_band_with_nobody_on_duty_is_refused_with_the_reason(platform):
    staffing = bands.crews_on_duty([platform], bands.band_starting(at(9)))
    with pytest.raises(bands.NoCrews) as error, translation.override("en"):
        bands.require_crews(staffing, bands.band_starting(at(9)))
    assert str(error.value) == ("No crew is on duty from 11-24 09:00 to 17:00 in the platforms chosen: the plan needs an "
                                "approved roster with crewed units in that band.")


def test_the_plan_records_the_versions_of_the_approved_rosters_it_is_made_on(platform, other_platform):
    from platforms.models import RosterPeriod

    mine = RosterPeriod.objects.create(platform=platform, starts_on=DAY, ends_on=DAY + timedelta(days=6), status="approved",
                                       approved_at=timezone.now(), version=3)
    RosterPeriod.objects.create(platform=platform, starts_on=DAY - timedelta(days=7), ends_on=DAY - timedelta(days=1),
                                status="approved", approved_at=timezone.now())
    RosterPeriod.objects.create(platform=other_platform, starts_on=DAY, ends_on=DAY + timedelta(days=6))  # a draft
    assert bands.roster_versions([platform, other_platform], bands.band_starting(at(9))) == {str(mine.pk): 3}
