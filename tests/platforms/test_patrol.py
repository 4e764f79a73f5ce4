"""Patrol plans by the hour's mode and their verification on synthetic tracks: a track that passes a
point counts, one 200 m off does not; half a route is about 50 % covered."""
import math
from datetime import timedelta

import pytest
from django.utils import timezone

from platforms import patrol, rosters
from platforms.models import PatrolBand, PatrolPlan, PatrolTask, TrackPoint
from tests import factories as f
from tests.platforms.roster_support import MONDAY, at, generate, staff

ORIGIN = (121.4737, 31.2304)
M_PER_DEG_LAT = 111_194.93  # the sphere patrol.py measures on
START = at(MONDAY, 9)


def offset(east_m: float, north_m: float, origin=ORIGIN) -> tuple[float, float]:
    lon0, lat0 = origin
    return lon0 + east_m / (M_PER_DEG_LAT * math.cos(math.radians(lat0))), lat0 + north_m / M_PER_DEG_LAT


def walk(points_m, *, every_s: float, speed_mps: float, start=START, origin=ORIGIN):
    """Fixes every `every_s` along straight legs between (east, north) points at `speed_mps`."""
    fixes, clock = [], 0.0
    for (x0, y0), (x1, y1) in zip(points_m, points_m[1:]):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        legs = max(int(round(length / speed_mps / every_s)), 1)
        for n in range(legs):
            u = n / legs
            fixes.append((start + timedelta(seconds=clock + u * length / speed_mps), *offset(x0 + u * (x1 - x0), y0 + u * (y1 - y0), origin)))
        clock += length / speed_mps
    fixes.append((start + timedelta(seconds=clock), *offset(*points_m[-1], origin)))
    return fixes


def stay(east_m, north_m, seconds, *, start=START, every_s=10):
    return [(start + timedelta(seconds=s), *offset(east_m, north_m)) for s in range(0, seconds + 1, every_s)]


# --- points -----------------------------------------------------------------------------------

class TestPointVisit:
    def visit(self, track, **kwargs):
        return patrol.point_visit(track, *ORIGIN, **{"radius_m": 50, "dwell_s": 60, **kwargs})

    def test_a_foot_patrol_passing_through_counts(self):
        visit = self.visit(walk([(-300, 0), (300, 0)], every_s=30, speed_mps=1.0))
        assert visit.visited
        assert visit.dwell_s == pytest.approx(100, abs=0.5)  # 100 m of the circle at 1 m/s, between sparse fixes
        assert visit.closest_m == pytest.approx(0, abs=0.5)
        assert (visit.first_at - START).total_seconds() == pytest.approx(250, abs=0.01)

    def test_the_same_walk_200_m_off_does_not(self):
        visit = self.visit(walk([(-300, 200), (300, 200)], every_s=30, speed_mps=1.0))
        assert (visit.visited, visit.dwell_s, visit.first_at) == (False, 0.0, None)
        assert visit.closest_m == pytest.approx(200, abs=0.5)

    def test_driving_by_is_too_short_a_stay(self):
        visit = self.visit(walk([(-300, 10), (300, 10)], every_s=5, speed_mps=10.0))
        assert not visit.visited
        assert visit.dwell_s == pytest.approx(2 * (50 ** 2 - 10 ** 2) ** 0.5 / 10, abs=0.1)

    def test_parking_beside_the_point_counts(self):
        track = walk([(-500, 0), (-20, 0)], every_s=10, speed_mps=8.0) + stay(-20, 0, 90, start=START + timedelta(seconds=60))
        visit = self.visit(track)
        assert visit.visited
        assert visit.dwell_s == pytest.approx(60 - 480 / 8 + 90 + 30 / 8, abs=0.5)

    def test_two_short_stays_do_not_add_up(self):
        first = stay(0, 0, 40)
        second = stay(0, 0, 40, start=START + timedelta(seconds=100))
        away = [(START + timedelta(seconds=70), *offset(400, 0))]
        visit = self.visit(first + away + second)
        assert not visit.visited
        assert visit.dwell_s == pytest.approx(40 + 30 * 50 / 400, abs=0.5)

    def test_fixes_too_far_apart_are_not_joined(self):
        track = [(START, *ORIGIN), (START + timedelta(seconds=400), *ORIGIN)]
        assert not self.visit(track).visited
        assert self.visit(track, max_gap_s=600).visited

    def test_a_configurable_radius_and_dwell(self):
        track = walk([(-300, 80), (300, 80)], every_s=30, speed_mps=1.0)
        assert not self.visit(track).visited
        assert self.visit(track, radius_m=100).visited  # 120 m of chord at 1 m/s
        assert not self.visit(track, radius_m=100, dwell_s=121).visited

    def test_an_empty_track(self):
        assert self.visit([]) == patrol.PointVisit(False, 0.0, None, None)


# --- routes -----------------------------------------------------------------------------------

ROUTE = [list(offset(0, 0)), list(offset(500, 0)), list(offset(1000, 0))]


class TestRouteCoverage:
    def test_half_a_route_is_about_half_covered(self):
        track = walk([(0, 5), (500, 5)], every_s=10, speed_mps=5.0)
        coverage = patrol.route_coverage(ROUTE, track, corridor_m=30)
        assert coverage == pytest.approx(0.5 + 30 / 1000, abs=0.005)  # the corridor reaches 30 m past the end

    def test_the_whole_route_within_the_corridor(self):
        assert patrol.route_coverage(ROUTE, walk([(-50, 20), (1050, 20)], every_s=10, speed_mps=5.0), corridor_m=30) == 1.0

    def test_a_parallel_street_200_m_away_covers_nothing(self):
        assert patrol.route_coverage(ROUTE, walk([(0, 200), (1000, 200)], every_s=10, speed_mps=5.0), corridor_m=30) == 0.0

    def test_two_units_each_covering_a_half(self):
        west = walk([(-20, 0), (500, 0)], every_s=10, speed_mps=5.0)
        east = walk([(500, 0), (1020, 0)], every_s=10, speed_mps=5.0, start=START + timedelta(hours=2))
        assert patrol.route_coverage(ROUTE, west, east, corridor_m=30) == 1.0

    def test_a_gap_in_the_fixes_is_not_counted_as_travelled(self):
        track = [(START, *offset(0, 0)), (START + timedelta(seconds=600), *offset(1000, 0))]
        assert patrol.route_coverage(ROUTE, track, corridor_m=30) == pytest.approx(0.06, abs=0.001)
        assert patrol.route_coverage(ROUTE, track, corridor_m=30, max_gap_s=900) == 1.0

    def test_no_track(self):
        assert patrol.route_coverage(ROUTE, corridor_m=30) == 0.0


# --- plans ------------------------------------------------------------------------------------

@pytest.fixture
def patrolled(platform):
    """Platform P01 staffed, with two must-patrol points, a route and a zone, and a roster week."""
    staff(platform)
    f.PatrolPointFactory(platform=platform, code="PP1", lon=ORIGIN[0], lat=ORIGIN[1], radius_m=50, dwell_s=60)
    f.PatrolPointFactory(platform=platform, code="PP2", lon=offset(800, 0)[0], lat=offset(800, 0)[1], radius_m=50, dwell_s=60)
    f.PatrolRouteFactory(platform=platform, code="PR1", line={"type": "LineString", "coordinates": ROUTE}, corridor_m=30, length_m=1000)
    f.ZoneFactory(platform=platform, code="Z1")
    return generate(platform, days=1)


def plan_of(period, hour, secondary=False):
    shift = rosters.shifts_of(period).get(starts_at=at(MONDAY, hour), secondary=secondary)
    return patrol.patrol_plan_generate(shift=shift)


def bands(plan):
    return [(timezone.localtime(b.starts_at).hour, timezone.localtime(b.ends_at).hour, b.mode) for b in plan.bands.all()]


def tasks(plan):
    return [(t.band.mode, t.unit.call_sign, t.target.code)
            for t in PatrolTask.objects.filter(band__plan=plan).select_related("band", "unit", "point", "route", "zone")]


@pytest.mark.django_db
class TestPlans:
    def test_bands_follow_the_hour(self, patrolled):
        assert bands(plan_of(patrolled, 0)) == [(0, 7, "community"), (7, 8, "posts")]
        assert bands(plan_of(patrolled, 8)) == [(8, 9, "posts"), (9, 16, "routes")]
        assert bands(plan_of(patrolled, 16)) == [(16, 17, "routes"), (17, 19, "posts"), (19, 22, "routes"), (22, 0, "community")]
        assert bands(plan_of(patrolled, 7, secondary=True)) == [(7, 9, "posts")]

    def test_tasks_go_round_the_crews_and_every_point_and_route_is_covered(self, patrolled):
        # every crew has a task in every band (one left without patrols a zone); the truck stays put
        assert tasks(plan_of(patrolled, 8)) == [
            ("posts", "P01-C01", "PP1"), ("posts", "P01-C02", "PP2"), ("routes", "P01-C01", "PR1"), ("routes", "P01-C02", "Z1")]
        # the night shift has no route band: its route goes to its longest band
        assert tasks(plan_of(patrolled, 0)) == [
            ("community", "P01-C01", "Z1"), ("community", "P01-C01", "PR1"), ("community", "P01-C02", "Z1"),
            ("posts", "P01-C01", "PP1"), ("posts", "P01-C02", "PP2")]
        # (three foot crews for two posts: the third doubles the first)
        assert tasks(plan_of(patrolled, 7, secondary=True)) == [
            ("posts", "P01-G01", "PP1"), ("posts", "P01-G02", "PP2"), ("posts", "P01-G03", "PP1")]

    def test_a_key_sites_posts_are_one_crews_beat_in_every_band(self, patrolled, platform):
        # A key site round PP1 (100 m), with a second post of its own 60 m away; PP2 (800 m) is outside.
        f.KeySiteFactory(code="K1", lon=ORIGIN[0], lat=ORIGIN[1], radius_m=100)
        f.PatrolPointFactory(platform=platform, code="PP3", lon=offset(0, 60)[0], lat=offset(0, 60)[1])
        assert [[p.code for p in beat] for beat in patrol.key_site_posts(list(platform.patrol_points.order_by("code")))] == [
            ["PP1", "PP3"]]
        assert tasks(plan_of(patrolled, 8)) == [
            ("posts", "P01-C01", "PP1"), ("posts", "P01-C01", "PP3"), ("posts", "P01-C02", "PP2"),
            ("routes", "P01-C01", "PP1"), ("routes", "P01-C01", "PP3"), ("routes", "P01-C02", "PR1")]
        # a secondary squad's foot crews only reinforce the peak's posts, all of them
        # (the key site's posts first: issue 16's posts by mode)
        assert tasks(plan_of(patrolled, 7, secondary=True)) == [
            ("posts", "P01-G01", "PP1"), ("posts", "P01-G02", "PP3"), ("posts", "P01-G03", "PP2")]

    def test_a_plan_is_kept_unless_replaced(self, patrolled, supervisor):
        plan = plan_of(patrolled, 8)
        assert plan_of(patrolled, 8).pk == plan.pk
        fresh = patrol.patrol_plan_generate(shift=plan.shift, actor=supervisor, replace=True)
        assert fresh.pk != plan.pk and fresh.created_by == supervisor
        assert (PatrolPlan.objects.count(), PatrolBand.objects.count()) == (1, 2)

    def test_plans_for_a_day(self, patrolled):
        plans = patrol.patrol_plans_for_day(platform=patrolled.platform, day=MONDAY)
        assert [(timezone.localtime(p.shift.starts_at).hour, p.shift.secondary) for p in plans] == [
            (0, False), (7, True), (8, False), (16, False), (17, True)]


# --- coverage from stored tracks --------------------------------------------------------------

def store(unit, track):
    TrackPoint.objects.bulk_create([TrackPoint(unit=unit, at=t, lon=lon, lat=lat) for t, lon, lat in track])


@pytest.mark.django_db
class TestCoverage:
    def test_a_shifts_points_routes_and_tasks(self, patrolled):
        plan = plan_of(patrolled, 8)
        c01, c02 = plan.shift.units.get(call_sign="P01-C01"), plan.shift.units.get(call_sign="P01-C02")
        store(c01, stay(0, 0, 120, start=at(MONDAY, 8, 10)))  # at its post PP1 during the peak
        store(c01, walk([(0, 5), (500, 5)], every_s=10, speed_mps=5.0, start=at(MONDAY, 10)))  # half the route
        store(c02, stay(0, 200, 120, start=at(MONDAY, 8, 10)))  # 200 m from PP1, nowhere near its post PP2
        report = patrol.shift_coverage(plan.shift, now=at(MONDAY, 17))
        assert report["complete"]
        assert (report["starts_at"], report["ends_at"]) == ("2030-03-04T08:00:00+08:00", "2030-03-04T16:00:00+08:00")
        assert [(p["code"], p["visited"], p["by"]) for p in report["points"]] == [("PP1", True, ["P01-C01"]), ("PP2", False, [])]
        assert [(r["code"], r["covered"]) for r in report["routes"]] == [("PR1", False)]
        assert report["routes"][0]["coverage"] == pytest.approx(0.53, abs=0.005)
        assert [(t["unit"], t.get("point") or t.get("route") or t.get("zone"), t["done"]) for t in report["tasks"]] == [
            ("P01-C01", "PP1", True), ("P01-C02", "PP2", False), ("P01-C01", "PR1", False), ("P01-C02", "Z1", False)]

    def test_a_platforms_day_lists_the_gaps(self, patrolled):
        for hour in (0, 8):
            plan_of(patrolled, hour)
        night = rosters.shifts_of(patrolled).get(starts_at=at(MONDAY, 0))
        unit = night.units.get(call_sign="P01-C01")
        store(unit, stay(0, 0, 120, start=at(MONDAY, 1)) + walk([(-40, 0), (1040, 0)], every_s=10, speed_mps=5.0, start=at(MONDAY, 2))
              + stay(800, 0, 90, start=at(MONDAY, 3)))
        report = patrol.platform_coverage(platform=patrolled.platform, day=MONDAY, now=at(MONDAY, 8, 30))
        shifts = rosters.shifts_of(patrolled)
        day = shifts.get(starts_at=at(MONDAY, 8))
        assert [s["shift"] for s in report["shifts"]] == [night.pk, shifts.get(secondary=True, starts_at=at(MONDAY, 7)).pk, day.pk]
        assert report["shifts"][1]["points"] == report["shifts"][1]["routes"] == []  # no plan: a secondary squad owes nothing
        assert (report["points_visited"], report["points_due"], report["routes_covered"], report["routes_due"]) == (2, 4, 1, 2)
        assert [(g["kind"], g["code"], g["shift"]) for g in report["gaps"]] == [
            ("point", "PP1", day.pk), ("point", "PP2", day.pk), ("route", "PR1", day.pk)]
