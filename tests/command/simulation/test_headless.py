"""The headless simulator against hand-worked cases on the real demo road network: one crew and one
call, a call that waits for the only crew, the three policies on a crafted three-crew case, the
what-ifs, and a seed giving the same figures twice."""
from datetime import date

import pytest
from django.utils import timezone

from command.simulation.calls import arrival_times, call_stream
from command.simulation.headless import Simulation
from command.simulation.movement import Path
from command.simulation.policies import Coverage
from command.simulation.report import figures
from command.simulation.runs import headless_run
from command.simulation.world import Band, SimUnit, WhatIf, World, load_world
from dispatch.engine import Crew
from grid import travel
from tests.command.simulation.support import START, call, crew, road_s, world_of
from tests.places import BUND, LUJIAZUI, NANJING_EAST, PEOPLES_SQUARE, PUDONG_RIVERSIDE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_network")]


def test_one_crew_one_call_arrives_after_turnout_and_the_road_time(settings):
    assert road_s(PUDONG_RIVERSIDE, BUND) == 120.1   # the known route time (OSRM on the demo extract)
    sim = Simulation(world_of(crew(1, "浦东01", PUDONG_RIVERSIDE)), [call(1, 100.0, BUND)]).run()
    handled = sim.handling[1]
    assert handled.units == [1]
    assert (handled.ordered_at, handled.on_scene_at) == (100.0, 100.0 + 30.0 + 120.1)
    result = figures(sim)
    assert result["response_s"] == {"mean": 150.1, "p90": 150.1}
    assert result["call_to_scene_s"] == {"mean": 150.1, "p90": 150.1}
    assert result["within_target"]["300"] == {"calls": 1, "within": 1, "fraction": 1.0}
    assert (result["waited"], result["late"], result["unserved"], result["units"]) == (0, 0, 0, 1)
    # Busy from the order (100 s) to clearing (250.1 s on scene + 600 s), over 2 h on duty.
    assert result["utilisation"] == round(750.1 / 7200, 4)


def test_a_second_call_waits_for_the_only_crew_and_is_served_from_the_first_scene():
    assert road_s(BUND, LUJIAZUI) == 199.7
    sim = Simulation(world_of(crew(1, "浦东01", PUDONG_RIVERSIDE)),
                     [call(1, 0.0, BUND, on_scene_s=600.0), call(2, 60.0, LUJIAZUI, target_s=180)]).run()
    first, second = sim.handling[1], sim.handling[2]
    assert first.on_scene_at == 150.1                     # 30 s turnout + 120.1 s
    assert (second.waited, second.ordered_at) == (True, 750.1)   # the crew clears the Bund at 150.1 + 600
    assert second.on_scene_at == 750.1 + 30.0 + 199.7     # parked at the scene: 30 s turnout, then the road
    result = figures(sim)
    assert result["waited"] == 1
    assert result["response_s"] == {"mean": round((150.1 + 229.7) / 2, 1), "p90": round(150.1 + 0.9 * 79.6, 1)}
    assert result["call_to_scene_s"]["mean"] == round((150.1 + 979.8 - 60.0) / 2, 1)
    # 229.7 s from the order misses the 180 s target: one of two calls late.
    assert (result["late"], result["fraction_late"]) == (1, 0.5)
    assert result["within_target"]["180"] == {"calls": 1, "within": 0, "fraction": 0.0}


def test_late_calls_out_of_every_crews_reach_are_told_from_those_a_busy_crew_would_have_made():
    assert road_s(LUJIAZUI, PUDONG_RIVERSIDE) > 30.0
    sim = Simulation(world_of(crew(1, "浦东01", PUDONG_RIVERSIDE), crew(2, "浦东02", LUJIAZUI)),
                     [call(1, 0.0, BUND), call(2, 60.0, PUDONG_RIVERSIDE, target_s=60),
                      call(3, 5000.0, BUND, target_s=60)]).run()
    first, second, third = (sim.handling[n] for n in (1, 2, 3))
    assert (first.units, first.best_free_eta_s, first.on_scene_at) == ([1], 150.1, 150.1)
    # 浦东01 is at the Bund: 浦东02 comes from Lujiazui, late, where 浦东01 at its post would take 30 s.
    assert (second.units, second.best_free_eta_s) == ([2], 30.0)
    assert second.on_scene_at - second.ordered_at == 30.0 + road_s(LUJIAZUI, PUDONG_RIVERSIDE) > 60
    # Both back at their posts and free: the nearest is still 150.1 s from the Bund, beyond 60 s.
    assert (third.best_free_eta_s, third.on_scene_at) == (150.1, 5000.0 + 150.1)
    result = figures(sim)
    assert (result["late"], result["late_out_of_every_crews_reach"]) == (2, 1)


def three_crews():
    """Across the river (fast by road), at Lujiazui (slower, still in time), on East Nanjing Road
    (nearest in a straight line, 504 s by road: late)."""
    return [crew(1, "浦东滨江", PUDONG_RIVERSIDE), crew(2, "陆家嘴", LUJIAZUI),
            crew(3, "南京东路", NANJING_EAST)]


def chosen(policy: str, *, coverage: Coverage | None = None):
    sim = Simulation(world_of(*three_crews()), [call(1, 0.0, BUND, target_s=300)], policy)
    if coverage is not None:
        sim.coverage = coverage
    sim.run()
    handled = sim.handling[1]
    return handled.units, handled.on_scene_at - handled.ordered_at


def test_straight_line_sends_the_nearest_crew_which_is_late_by_road():
    assert chosen("straight") == ([3], 30.0 + 503.9)


def test_road_sends_the_crew_first_there_by_road():
    assert chosen("road") == ([1], 30.0 + 120.1)


def test_coverage_keeps_the_only_crew_covering_a_point_when_a_slower_one_makes_the_target():
    # The riverside crew alone reaches the riverside post within 60 s; Lujiazui's crew covers nothing.
    riverside_post = Coverage([PUDONG_RIVERSIDE], [1.0], [60.0], 30.0)
    assert chosen("coverage", coverage=riverside_post) == ([2], 30.0 + 180.1)


def test_coverage_sends_the_fastest_when_another_free_crew_still_covers_what_it_covers():
    # Two crews at the riverside post cover it; the fastest of them goes although Lujiazui's (covering
    # nothing, so losing nothing) would still make the target.
    units = [crew(1, "浦东滨江", PUDONG_RIVERSIDE), crew(2, "陆家嘴", LUJIAZUI), crew(4, "浦东滨江二", PUDONG_RIVERSIDE)]
    sim = Simulation(world_of(*units), [call(1, 0.0, BUND, target_s=300)], "coverage")
    sim.coverage = Coverage([PUDONG_RIVERSIDE], [1.0], [60.0], 30.0)
    sim.run()
    assert (sim.handling[1].units, sim.handling[1].on_scene_at) == ([1], 30.0 + 120.1)


def test_coverage_sends_the_fastest_when_no_departure_loses_coverage():
    nothing_to_cover = Coverage([PEOPLES_SQUARE], [1.0], [10.0], 30.0)
    assert chosen("coverage", coverage=nothing_to_cover) == ([1], 30.0 + 120.1)


def test_a_p1_pulls_the_only_crew_off_a_p4_it_is_driving_to_and_the_p4_waits():
    sim = Simulation(world_of(crew(1, "浦东01", PUDONG_RIVERSIDE)),
                     [call(1, 0.0, LUJIAZUI, priority=4, category="other"),
                      call(2, 60.0, BUND, priority=1, category="dispute", target_s=300)]).run()
    p4, p1 = sim.handling[1], sim.handling[2]
    assert (p1.ordered_at, p1.units, p4.preempted) == (60.0, [1], 1)
    # The P4 keeps its first order time; it is sent again from the Bund when the crew clears there.
    assert p4.ordered_at == 0.0
    assert p4.on_scene_at == pytest.approx(p1.on_scene_at + 600.0 + 30.0 + 199.7)
    assert figures(sim)["preempted"] == 1


def test_a_call_no_capable_crew_can_take_is_never_served():
    sim = Simulation(world_of(crew(1, "巡逻", PUDONG_RIVERSIDE, capabilities=("patrol",))),
                     [call(1, 0.0, BUND, category="traffic_accident")]).run()
    result = figures(sim)
    assert (result["served"], result["unserved"], result["waited"], result["fraction_late"]) == (0, 1, 1, 1.0)


def planned(pk: int, call_sign: str, *stops, dwell_s: float = 60.0, posts: bool = True) -> SimUnit:
    """A crew on patrol (not parked) whose plan is one band, 00:00-02:00, round `stops`."""
    band = Band(0.0, 2 * 3600.0, "routes", tuple(stops), dwell_s, posts)
    return SimUnit(crew=Crew(pk, call_sign, "patrol_car"), platform="P01", capabilities=("patrol", "traffic", "rescue"),
                   officers=3, on_from=0.0, on_until=4 * 3600.0, stops=[PEOPLES_SQUARE], parked=False, bands=(band,))


def test_a_crew_goes_back_to_its_post_after_a_call_and_is_sent_from_there():
    sim = Simulation(world_of(planned(1, "滨江岗", PUDONG_RIVERSIDE)),
                     [call(1, 0.0, BUND, on_scene_s=600.0), call(2, 3000.0, BUND, on_scene_s=600.0)]).run()
    assert sim.handling[1].on_scene_at == 150.1
    # Cleared at 750.1 s, it drove back to its post and parked: the second call is 30 s + 120.1 s again
    # (30 s alone had it stayed at the scene).
    assert round(sim.handling[2].on_scene_at - sim.handling[2].ordered_at, 1) == 150.1


def test_a_crew_goes_round_its_bands_stops_dwelling_at_each_then_off_plan_round_its_posts():
    sim = Simulation(world_of(planned(1, "巡线", BUND, PUDONG_RIVERSIDE, dwell_s=120.0, posts=False)), [])
    crew = sim.crews[1]
    crew.on_duty, crew.pos = True, BUND
    end = 2 * 3600.0
    assert sim.next_stop(crew, 0.0) == (BUND, 120.0, end)              # the band begins at its first stop
    assert sim.next_stop(crew, 120.0) == (PUDONG_RIVERSIDE, 120.0, end)  # dwelt there: on to the next
    crew.pos = PUDONG_RIVERSIDE
    assert sim.next_stop(crew, 600.0) == (BUND, 120.0, end)            # and back round
    assert sim.next_stop(crew, 601.0) == (BUND, 120.0, end)            # not there yet: still heading there
    # After the band (03:00, off-peak) it goes round its platform's posts, 900 s at each, until 07:00.
    assert sim.next_stop(crew, 3 * 3600.0) == (PEOPLES_SQUARE, 900.0, 7 * 3600.0)
    holder = Simulation(world_of(planned(2, "滨江岗", PUDONG_RIVERSIDE)), []).crews[2]
    assert Simulation(world_of(holder.unit), []).next_stop(holder, 10.0) == (PUDONG_RIVERSIDE, 60.0, end)


def test_coverage_keeps_a_key_sites_crew_on_its_beat_while_another_crew_makes_the_target():
    site = (99, "K99", PUDONG_RIVERSIDE[0], PUDONG_RIVERSIDE[1], 300)
    units = [planned(1, "滨江岗", PUDONG_RIVERSIDE), crew(2, "陆家嘴", LUJIAZUI)]
    world = World(start=START, hours=2.0, units=units, zones=[], key_sites=[site], platforms={}, what_if=WhatIf())

    def sent(policy):
        sim = Simulation(world, [call(1, 0.0, BUND, target_s=300)], policy)
        if policy == "coverage":
            sim.coverage = Coverage([PEOPLES_SQUARE], [1.0], [10.0], 30.0)  # no departure loses coverage
        sim.run()
        return sim.handling[1].units, sim.handling[1].on_scene_at

    assert units[0].beat == (PUDONG_RIVERSIDE,)
    assert sent("road") == ([1], 30.0 + 120.1)
    assert sent("coverage") == ([2], 30.0 + 180.1)   # Lujiazui's crew still makes 300 s: the beat stays


def test_the_live_mode_follows_the_same_band_then_its_platforms_posts():
    from datetime import timedelta

    from command.simulation.live import LiveCrew, LiveSimulator

    live = LiveSimulator(base_url="http://127.0.0.1:9", token="unused")   # nothing here talks to it
    now = timezone.now()
    band = (now - timedelta(hours=1), now + timedelta(hours=1), (BUND, PUDONG_RIVERSIDE), 120.0)
    crew = LiveCrew(1, "巡线", "car", ("patrol",), [PEOPLES_SQUARE], False, BUND, bands=[band])
    live._patrol(crew, 0.0)
    assert (crew.drive, crew.next_move) == (None, 120.0)               # at the band's first stop: dwells
    live._patrol(crew, 120.0)
    drive = crew.drive
    assert (drive.origin, drive.target, drive.depart) == (BUND, PUDONG_RIVERSIDE, 120.0)
    assert crew.next_move == drive.arrive + 120.0
    crew.bands = [(now - timedelta(hours=2), now - timedelta(hours=1), (BUND,), 300.0)]   # over: no band now
    live._patrol(crew, crew.next_move)
    assert crew.drive.target == PEOPLES_SQUARE


def test_a_path_is_walked_at_a_uniform_pace_along_its_length():
    path = Path([(121.0, 31.0), (121.001, 31.0), (121.001, 31.001)])
    first, second = path.cumulative[1], path.cumulative[2] - path.cumulative[1]
    assert path.point_at(0.0) == (121.0, 31.0)
    assert path.point_at(1.0) == (121.001, 31.001)
    halfway = path.point_at((first + second / 2) / path.cumulative[2])
    assert halfway == pytest.approx((121.001, 31.0005), abs=1e-9)


def test_the_hourly_poisson_process_is_seeded():
    import random

    once = arrival_times(random.Random(5), hours=3)
    assert once == arrival_times(random.Random(5), hours=3)
    assert all(0 <= t < 3 * 3600 for t in once) and once == sorted(once)
    doubled = arrival_times(random.Random(5), hours=3, rate_factor=2.0)
    assert len(doubled) > len(once)


@pytest.mark.usefixtures("demo_city")
class TestTheDemoCity:
    def test_the_same_seed_gives_the_same_figures(self):
        # an hour: three took 115 s of the suite; another seed's other calls: test_every_policy_faces_the_same_calls
        first = headless_run(seed=3, hours=1, policy="all")
        assert first == headless_run(seed=3, hours=1, policy="all")
        assert set(first["policies"]) == {"road", "straight", "coverage"}
        road = first["policies"]["road"]
        assert road["calls"] == road["served"] + road["unserved"]
        assert road["calls"] == sum(road["within_target"][c]["calls"] for c in ("60", "180", "300"))

    def test_every_policy_faces_the_same_calls(self):
        world = load_world(hours=3)
        assert call_stream(world, seed=3) == call_stream(world, seed=3)
        assert [c.at for c in call_stream(world, seed=3)] != [c.at for c in call_stream(world, seed=4)]

    def test_the_crews_are_the_days_approved_shifts(self):
        world = load_world(hours=24)
        assert world.units, "seed_demo rosters today"
        assert {u.platform for u in world.units} == {"P01", "P02", "P03", "P04", "P05", "P06", "P07"}
        assert all(u.stops for u in world.units)
        trucks = [u for u in world.units if u.crew.vehicle_kind == "platform_truck"]
        assert trucks and all(u.parked for u in trucks)

    def test_the_crews_follow_their_shifts_patrol_plans(self):
        from grid.geometry import distance_m
        from platforms.models import PatrolTask

        world = load_world(hours=24)
        cars = [u for u in world.units if not u.parked]
        assert cars and all(u.bands for u in cars)
        assert all(not u.bands for u in world.units if u.parked)   # the trucks stay at their platform
        for unit in cars[:20]:
            tasks = PatrolTask.objects.filter(unit_id=unit.pk).order_by("band__starts_at")
            assert [b.mode for b in unit.bands] == list(dict.fromkeys(tasks.values_list("band__mode", flat=True)))
        beats = [u for u in cars if u.beat]
        assert beats, "key sites' fixed posts are held"
        for unit in beats:
            assert all(any(distance_m(lon, lat, x, y) <= r + 30 for _pk, _code, x, y, r in world.key_sites)
                       for lon, lat in unit.beat)
        assert any(b.mode == "routes" and not b.posts and len(b.stops) > 2 for u in cars for b in u.bands)

    def test_mobilization_counts_the_crews_on_duty_from_where_their_plan_has_them(self):
        from command.simulation.muster import muster_figures

        result = muster_figures(*PEOPLES_SQUARE, hour=10)
        on = [u for u in load_world(hours=24).units if u.on_from <= 10 * 3600 < u.on_until]
        assert (result["units_on_duty"], result["officers_on_duty"]) == (len(on), sum(u.officers for u in on))
        within = result["within_900s"]
        assert 0 < within["officers_keeping_zone_cover"] < within["officers"] <= result["officers_on_duty"]
        curve = [officers for _minute, officers in result["curve"]]
        assert curve == sorted(curve) and curve[-1] == within["officers"]

    def test_a_removed_squad_takes_its_crews_off(self):
        everyone = load_world(hours=24)
        without = load_world(hours=24, what_if=WhatIf(remove_squads=frozenset({("P01", 1)})))
        from platforms.models import Unit

        squad_one = set(Unit.objects.filter(platform__code="P01", shift__squad__number=1).values_list("pk", flat=True))
        kept = {u.pk for u in without.units}
        assert squad_one & {u.pk for u in everyone.units}
        assert not squad_one & kept
        assert kept == {u.pk for u in everyone.units} - squad_one

    def test_a_moved_platform_parks_its_truck_at_the_new_place(self):
        moved = load_world(hours=24, what_if=WhatIf(move_platform={"P01": PEOPLES_SQUARE}))
        snapped = travel.snap(*PEOPLES_SQUARE)
        [truck_post] = {tuple(u.stops[0]) for u in moved.units if u.platform == "P01" and u.parked}
        assert truck_post == (round(snapped[0], 6), round(snapped[1], 6))
        assert moved.platforms["P01"] == PEOPLES_SQUARE

    def test_a_what_if_must_name_what_exists_and_move_within_the_served_area(self):
        with pytest.raises(ValueError, match="unknown platform\\(s\\): P99"):
            load_world(what_if=WhatIf(move_platform={"P99": PEOPLES_SQUARE}))
        with pytest.raises(ValueError, match="unknown squad\\(s\\): P01:9"):
            load_world(what_if=WhatIf(remove_squads=frozenset({("P01", 9)})))
        with pytest.raises(ValueError, match="P01 cannot move to \\(121.9, 31.23\\): outside the served area"):
            load_world(what_if=WhatIf(move_platform={"P01": (121.9, 31.23)}))

    def test_a_day_with_no_approved_shift_is_refused(self):
        with pytest.raises(ValueError, match="no approved shift on 2020-01-01"):
            load_world(day=date(2020, 1, 1))

    def test_a_doubled_rate_doubles_the_expected_calls(self):
        world = load_world(hours=24, what_if=WhatIf(rate_factor=2.0))
        assert world.what_if.rate_factor == 2.0
        assert len(call_stream(world, seed=1)) > len(call_stream(load_world(hours=24), seed=1))
