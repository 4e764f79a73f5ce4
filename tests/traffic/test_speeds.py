"""Live congestion from the fleet's own fixes (traffic/speeds.py, traffic/factors.py): a patrol car crawling
along a road at a third of its free-flow speed gives that road's segments a measured speed of a third, its
zone a factor of about 3 now and in that weekday's slot, the ETAs to the zone that factor — and the engine's
ranking changes with it. Fixes that say nothing of the road are left out: a 900 km/h jump, a foot patrol."""
from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch.engine import Crew, rank_placed
from grid import congestion, selectors, travel
from grid.geometry import distance_m
from platforms.models import TrackPoint
from platforms.positions import LiveFix
from tests import factories as f
from traffic import factors, speeds
from traffic.models import LiveZoneFactor, SegmentSpeed, ZoneFactor

pytestmark = pytest.mark.django_db
FROM, TO = (121.4660, 31.2255), (121.4790, 31.2350)   # a drive across People's Square's zone
SLOWNESS = 3.0


def along(path: list, fraction: float) -> tuple[float, float]:
    lengths = [distance_m(*a, *b) for a, b in zip(path, path[1:])]
    want, walked = fraction * sum(lengths), 0.0
    for (a, b), length in zip(zip(path, path[1:]), lengths):
        if walked + length >= want and length > 0:
            t = (want - walked) / length
            return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        walked += length
    return tuple(path[-1])


def drive(unit, route, *, slowness: float, end, every_s: float = 5.0) -> int:
    """Fixes every `every_s` along the route's road, taking `slowness` times its free-flow time, ending at `end`."""
    path = [tuple(p) for p in route.geometry["coordinates"]]
    seconds = route.duration_s * slowness
    steps = int(seconds // every_s)
    TrackPoint.objects.bulk_create([
        TrackPoint(unit=unit, at=end - timedelta(seconds=seconds - n * every_s), lon=lon, lat=lat)
        for n in range(steps + 1) for lon, lat in [along(path, n / steps)]])
    return steps


@pytest.fixture
def zone(demo_network, platform):
    zone = f.ZoneFactory(platform=platform, code="Z01")
    selectors.forget_spatial_index()
    return zone


@pytest.fixture
def crawl(zone, platform):
    """A patrol car that crawled across the zone at a third of free-flow speed within one 15-minute slot
    (the last one over), measured 20 s after it ended: (its route, that moment)."""
    unit = f.UnitFactory(platform=platform)
    route = travel.route(FROM, TO)
    end = speeds.slot_start(timezone.now()) - timedelta(minutes=2)
    drive(unit, route, slowness=SLOWNESS, end=end)
    return route, end + timedelta(seconds=20)


def test_a_crawl_gives_its_road_a_third_of_its_speed_and_its_zone_a_factor_of_3(zone, crawl):
    route, now = crawl
    done = speeds.speeds_measure(now=now)
    rows = list(SegmentSpeed.objects.filter(zone=zone))
    measured = sum(r.seconds for r in rows) / sum(r.free_flow_s for r in rows)
    assert done["legs"] >= 60 and len(rows) >= 10
    assert measured == pytest.approx(SLOWNESS, rel=0.15)
    live = factors.live_factors_update(now)
    assert live[zone.pk] == pytest.approx(SLOWNESS, rel=0.15)
    congestion.forget()
    assert travel.congestion_factor(*TO) == live[zone.pk]


def test_the_slot_just_over_is_learnt_for_that_weekday(zone, crawl):
    route, now = crawl
    speeds.speeds_measure(now=now)
    later = speeds.slot_start(now) + timedelta(minutes=15, seconds=30)
    assert factors.slot_profile_update(later) == 1
    weekday, slot = congestion.slot_of(now - timedelta(minutes=1))
    usual = ZoneFactor.objects.get(zone=zone)
    assert (usual.weekday, usual.slot, usual.samples) == (weekday, slot, 1)
    assert usual.factor == pytest.approx(SLOWNESS, rel=0.15)
    assert factors.measured_factors(weekday, slot, live=False) == {zone.pk: usual.factor}
    assert factors.slot_profile_update(later) == 0   # a slot is folded once


def test_the_engines_ranking_changes_with_the_measured_factor(zone, crawl):
    """Unit A is parked (30 s to turn out), unit B is moving (10 s) but a few seconds farther by road: at
    free flow B is first; with the zone's roads three times slower, the road time outweighs the turnout."""
    route, now = crawl
    target = TO
    a, b = pair_by_road(target)
    placed = [(Crew(1, "A", "patrol_car"), LiveFix(1, *a, now, 0.0, False)),
              (Crew(2, "B", "patrol_car"), LiveFix(2, *b, now, 8.0, False))]
    free = rank_placed(target, target_s=180, placed=placed, k=2, now=timezone.now(), workloads=lambda ids: {})
    speeds.speeds_measure(now=now)
    factors.live_factors_update(now)
    congestion.forget()
    slow = rank_placed(target, target_s=180, placed=placed, k=2, now=timezone.now(), workloads=lambda ids: {})
    assert [o.call_sign for o in free] == ["B", "A"]
    assert [o.call_sign for o in slow] == ["A", "B"]
    assert slow[0].eta_s > free[1].eta_s   # every ETA to the zone is longer now


def pair_by_road(target) -> tuple:
    """Two points near the target whose road times differ by 10-18 s (inside the turnouts' 20 s)."""
    points = [travel.snap(target[0] + dx * 0.0012, target[1] + dy * 0.0012)[:2]
              for dx in range(-4, 5) for dy in range(-4, 5) if (dx, dy) != (0, 0)]
    legs = travel.durations_to(target, points)
    timed = sorted((leg.duration_s, p) for leg, p in zip(legs, points) if leg and leg.duration_s > 30)
    for t_a, a in timed:
        for t_b, b in timed:
            if 10 < t_b - t_a < 18:
                return a, b
    raise AssertionError("no pair of points with road times 10-18 s apart")


def test_a_jump_at_900_km_h_and_a_foot_patrol_say_nothing_of_the_road(zone, platform):
    now = timezone.now()
    car = f.UnitFactory(platform=platform)
    walker = f.UnitFactory(platform=platform, vehicle=f.VehicleFactory(platform=platform, kind="on_foot"))
    TrackPoint.objects.bulk_create([   # 2.2 km in 9 s: 900 km/h
        TrackPoint(unit=car, at=now - timedelta(seconds=40), lon=FROM[0], lat=FROM[1]),
        TrackPoint(unit=car, at=now - timedelta(seconds=31), lon=TO[0], lat=TO[1])])
    drive(walker, travel.route(FROM, TO), slowness=10.0, end=now - timedelta(seconds=20))
    done = speeds.speeds_measure(now=now)
    assert (done["legs"], SegmentSpeed.objects.count()) == (0, 0)
    assert factors.live_factors_update(now) == {}
    assert LiveZoneFactor.objects.count() == 0


def test_each_fix_is_read_once(zone, crawl):
    route, now = crawl
    first = speeds.speeds_measure(now=now)
    again = speeds.speeds_measure(now=now + timedelta(seconds=60))
    assert first["legs"] > 0 and again["legs"] == 0
