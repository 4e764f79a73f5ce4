"""Ranking: who could go, and who is there first by road (not by straight line)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch import engine, mode_policy
from dispatch.models import Category, ModePolicy, Priority
from grid import travel
from platforms import positions
from platforms.models import UnitStatus
from tests import factories as f
from tests.dispatch.support import place
from tests.places import BUND, FAR_WEST, NANJING_EAST, PEOPLES_SQUARE, PUDONG_RIVERSIDE

pytestmark = pytest.mark.usefixtures("demo_network")


def incident_at(point, **fields):
    return f.IncidentFactory(lon=point[0], lat=point[1], **fields)


def road_s(point, target):
    return travel.durations_to(target, [point])[0].duration_s


@pytest.mark.django_db
def test_the_unit_first_there_by_road_wins_over_the_nearest_in_a_straight_line(settings):
    near = place(f.UnitFactory(call_sign="南京东01"), NANJING_EAST)
    across = place(f.UnitFactory(call_sign="浦东01"), PUDONG_RIVERSIDE)
    options = engine.rank(incident_at(BUND, target_s=180))
    assert [o.unit for o in options] == [across.pk, near.pk]
    assert options[0].eta_s == round(road_s(PUDONG_RIVERSIDE, BUND) + settings.TURNOUT_PARKED_S, 1)
    assert [o.meets_target for o in options] == [True, False]
    assert options[0].estimated is False


@pytest.mark.django_db
def test_a_moving_unit_turns_out_faster_than_a_parked_one(settings):
    unit = place(f.UnitFactory(), PUDONG_RIVERSIDE, speed_mps=8.0)
    [option] = engine.rank(incident_at(BUND))
    assert option.unit == unit.pk
    assert option.eta_s == round(road_s(PUDONG_RIVERSIDE, BUND) + settings.TURNOUT_MOVING_S, 1)


@pytest.mark.django_db
def test_only_available_capable_units_on_an_approved_shift_are_candidates():
    capable = place(f.UnitFactory(capabilities=["patrol", "traffic"]), FAR_WEST)
    place(f.UnitFactory(capabilities=["patrol"]), PUDONG_RIVERSIDE)             # no traffic capability
    busy = place(f.UnitFactory(), PUDONG_RIVERSIDE)
    busy.status = UnitStatus.EN_ROUTE
    busy.save()
    unapproved = f.UnitFactory(shift__approved=False)
    unapproved.lon, unapproved.lat = PUDONG_RIVERSIDE
    unapproved.save()
    options = engine.rank(incident_at(BUND, category=Category.TRAFFIC_ACCIDENT))
    assert [o.unit for o in options] == [capable.pk]


@pytest.mark.django_db
def test_a_unit_known_only_by_its_last_saved_position_is_still_ranked():
    unit = f.UnitFactory(lon=PUDONG_RIVERSIDE[0], lat=PUDONG_RIVERSIDE[1], last_fix_at=timezone.now())
    [option] = engine.rank(incident_at(BUND))
    assert (option.unit, option.stale) == (unit.pk, False)


@pytest.mark.django_db
def test_a_stale_position_is_flagged(settings):
    unit = f.UnitFactory()
    place(unit, PUDONG_RIVERSIDE, at=timezone.now() - timedelta(seconds=settings.STALE_FIX_AFTER_S + 5))
    [option] = engine.rank(incident_at(BUND))
    assert (option.unit, option.stale) == (unit.pk, True)


@pytest.mark.django_db
def test_equal_etas_go_to_the_unit_with_less_work_today():
    worked = place(f.UnitFactory(call_sign="A01"), PEOPLES_SQUARE)
    rested = place(f.UnitFactory(call_sign="B01"), PEOPLES_SQUARE)
    f.AssignmentFactory(unit=worked, status="cleared")
    options = engine.rank(incident_at(BUND))
    assert [(o.unit, o.workload) for o in options] == [(rested.pk, 0), (worked.pk, 1)]


@pytest.mark.django_db
def test_foot_patrols_are_ranked_on_the_foot_network(settings):
    walker = f.UnitFactory(vehicle=None)
    place(walker, NANJING_EAST)
    incident = incident_at(PEOPLES_SQUARE)
    # A 14-minute walk: over the default limit on foot (dispatch.mode_policy), lifted for this category.
    ModePolicy.objects.create(category=incident.category, mode="foot", max_eta_s=None)
    mode_policy.forget()
    [option] = engine.rank(incident)
    mode_policy.forget()
    walk = travel.durations_to(PEOPLES_SQUARE, [NANJING_EAST], profile="foot")[0].duration_s
    assert walk > road_s(NANJING_EAST, PEOPLES_SQUARE)
    assert (option.eta_s, option.mode) == (round(walk + settings.TURNOUT_PARKED_S, 1), "foot")


@pytest.mark.django_db
def test_a_scene_off_the_road_network_is_ranked_by_a_labelled_estimate():
    unit = place(f.UnitFactory(), PEOPLES_SQUARE)
    in_the_river = (121.492, 31.236)
    [option] = engine.rank(incident_at(in_the_river))
    assert (option.unit, option.estimated) == (unit.pk, True)


@pytest.mark.parametrize(("category", "priority", "needed"), [
    (Category.MASS_EVENT, Priority.P3, 3), (Category.CRIMINAL, Priority.P1, 2), (Category.CRIMINAL, Priority.P2, 1),
    (Category.DISPUTE, Priority.P1, 1),
])
def test_units_needed_by_category_and_priority(category, priority, needed):
    assert engine.units_needed(category, priority) == needed


@pytest.mark.parametrize(("category", "capability"), [
    (Category.TRAFFIC_ACCIDENT, "traffic"), (Category.TRAFFIC_CONGESTION, "traffic"), (Category.RESCUE, "rescue"),
    (Category.CRIMINAL, "patrol"), (Category.MASS_EVENT, "patrol"),
])
def test_capability_by_category(category, capability):
    assert engine.capability_for(category) == capability


@pytest.mark.django_db
def test_the_pruned_ranking_equals_a_full_table_over_every_unit(settings):
    import random

    from command.bench.routing import on_road_points

    rng = random.Random(7)
    for n, point in enumerate(on_road_points(40, rng)):
        place(f.UnitFactory(call_sign=f"R{n:02d}"), point)
    for target in on_road_points(8, rng):
        incident = incident_at(target)
        settings.DISPATCH_RANKING = "pruned"
        pruned = [(o.unit, o.eta_s) for o in engine.rank(incident, k=5)]
        settings.DISPATCH_RANKING = "full_table"
        full = [(o.unit, o.eta_s) for o in engine.rank(incident, k=5)]
        assert pruned == full


@pytest.mark.django_db
def test_the_nearest_first_search_widens_until_its_answer_is_exact(monkeypatch):
    near = place(f.UnitFactory(call_sign="近01"), PUDONG_RIVERSIDE)
    place(f.UnitFactory(call_sign="近02"), NANJING_EAST)
    far = place(f.UnitFactory(call_sign="远01"), FAR_WEST)         # 6.2 km away: not among the first found
    place(f.UnitFactory(call_sign="忙01", status=UnitStatus.DISPATCHED), BUND)  # nearest of all, but busy
    monkeypatch.setattr(engine, "NEAREST_FIRST", 2)
    searched = []
    real_nearest = engine.live_nearest
    monkeypatch.setattr(engine, "live_nearest", lambda *a: searched.append(a[2]) or real_nearest(*a))
    options = engine.rank(incident_at(BUND), k=3)
    assert [o.call_sign for o in options] == ["近01", "近02", "远01"] and options[2].unit == far.pk
    assert searched == [2, 8]   # two found of four on the map held one candidate; eight found them all
    assert near.pk == options[0].unit


@pytest.mark.django_db
def test_the_first_search_settles_when_no_unit_beyond_it_could_arrive_sooner(monkeypatch):
    """A moving unit 29 m from the scene: the second nearest, 838 m off, bounds every unit beyond it at
    more than its ETA, so the unit far west is never read."""
    place(f.UnitFactory(call_sign="近01"), (BUND[0] + 0.0003, BUND[1]), speed_mps=5.0)
    place(f.UnitFactory(call_sign="近02"), PUDONG_RIVERSIDE)
    place(f.UnitFactory(call_sign="远01"), FAR_WEST)
    monkeypatch.setattr(engine, "NEAREST_FIRST", 2)
    searched, ranked = [], []
    real_nearest, real_ranked = engine.live_nearest, engine._ranked
    monkeypatch.setattr(engine, "live_nearest", lambda *a: searched.append(a[2]) or real_nearest(*a))
    monkeypatch.setattr(engine, "_ranked", lambda incident, units, *a, **kw: ranked.append(
        sorted(u.call_sign for u in units)) or real_ranked(incident, units, *a, **kw))
    options = engine.rank(incident_at(BUND), k=1)
    assert ([o.call_sign for o in options], searched, ranked) == (["近01"], [2], [["近01", "近02"]])


@pytest.mark.django_db
def test_a_unit_without_live_state_is_ranked_whatever_the_search_found(monkeypatch):
    place(f.UnitFactory(call_sign="近01"), PUDONG_RIVERSIDE)
    f.UnitFactory(call_sign="库01", lon=NANJING_EAST[0], lat=NANJING_EAST[1], last_fix_at=timezone.now())
    monkeypatch.setattr(engine, "NEAREST_FIRST", 1)
    options = engine.rank(incident_at(BUND), k=2)
    assert [o.call_sign for o in options] == ["近01", "库01"]


@pytest.mark.django_db
def test_a_unit_on_the_live_map_is_not_ranked_by_an_old_row_inside_the_reach(monkeypatch):
    """Its row says the Bund, the live map says far west: it is ranked where it is now."""
    place(f.UnitFactory(call_sign="近01"), PUDONG_RIVERSIDE)
    moved = place(f.UnitFactory(call_sign="远01", lon=BUND[0], lat=BUND[1], last_fix_at=timezone.now()), FAR_WEST)
    monkeypatch.setattr(engine, "NEAREST_FIRST", 1)
    options = engine.rank(incident_at(BUND), k=2)
    assert [(o.call_sign, o.eta_s > 600) for o in options] == [("近01", False), ("远01", True)]
    assert options[1].unit == moved.pk


@pytest.mark.django_db
def test_with_redis_down_everyone_is_ranked_from_their_rows(monkeypatch):
    f.UnitFactory(call_sign="库01", lon=NANJING_EAST[0], lat=NANJING_EAST[1], last_fix_at=timezone.now())
    f.UnitFactory(call_sign="库02", lon=PUDONG_RIVERSIDE[0], lat=PUDONG_RIVERSIDE[1], last_fix_at=timezone.now())

    def down(*args):
        raise positions.redis.exceptions.ConnectionError("down")

    monkeypatch.setattr(engine, "live_nearest", down)
    monkeypatch.setattr(positions, "_live_from_redis", down)
    assert [o.call_sign for o in engine.rank(incident_at(BUND), k=2)] == ["库02", "库01"]


@pytest.mark.django_db
def test_a_dense_fleet_ranked_nearest_first_in_rings_is_exact(settings, monkeypatch):
    import random

    from command.bench.routing import on_road_points

    rng = random.Random(11)
    points = [p for p in on_road_points(600, rng) if abs(p[0] - PEOPLES_SQUARE[0]) < 0.02
              and abs(p[1] - PEOPLES_SQUARE[1]) < 0.02][:120]
    for n, point in enumerate(points):
        place(f.UnitFactory(call_sign=f"D{n:03d}"), point)
    settled = set()
    real_ranked = engine._ranked
    monkeypatch.setattr(engine, "_ranked", lambda incident, units, k, now, **read: settled.update(u.pk for u in units) or
                        real_ranked(incident, units, k, now, **read))
    monkeypatch.setattr(engine, "NEAREST_FIRST", 16)
    incident = incident_at(points[0])   # a scene on a unit's own street: the best ETAs are short
    settings.DISPATCH_RANKING = "pruned"
    pruned = [(o.unit, o.eta_s) for o in engine.rank(incident, k=3)]
    # parked (30 s turnout) in 4 km: rings of 16, 64, 256 reached all 113; the second search now goes
    # straight to the distance the first one's third ETA sets, and reads 76 of them
    assert (len(points), len(settled)) == (113, 76)
    settings.DISPATCH_RANKING = "full_table"
    assert pruned == [(o.unit, o.eta_s) for o in engine.rank(incident, k=3)]


@pytest.mark.django_db
def test_a_widening_ranks_only_the_ring_and_the_inner_best_and_stays_exact(settings, monkeypatch):
    import random

    from command.bench.routing import on_road_points

    rng = random.Random(5)
    for n, point in enumerate(on_road_points(120, rng)):
        place(f.UnitFactory(call_sign=f"W{n:03d}"), point)
    monkeypatch.setattr(engine, "NEAREST_FIRST", 4)
    steps = []
    real_ranked = engine._ranked

    def recorded(incident, units, k, now, **read):
        steps.append(({u.pk for u in units}, real_ranked(incident, units, k, now, **read)))
        return steps[-1][1]

    monkeypatch.setattr(engine, "_ranked", recorded)
    widened = 0
    for target in on_road_points(12, rng):
        incident = incident_at(target)
        steps.clear()
        settings.DISPATCH_RANKING = "pruned"
        pruned = [(o.unit, o.eta_s) for o in engine.rank(incident, k=3)]
        ranking = list(steps)
        settings.DISPATCH_RANKING = "full_table"
        assert pruned == [(o.unit, o.eta_s) for o in engine.rank(incident, k=3)]
        for (before, best), (after, _) in zip(ranking, ranking[1:]):
            widened += 1
            assert before & after == {o.unit for o in best}   # only the inner best are ranked again
    assert widened >= 3   # the case was met, not only the one-circle one


@pytest.mark.django_db
def test_with_k_options_in_hand_the_next_search_goes_straight_to_the_distance_that_settles_it(settings, monkeypatch):
    """Four found, three of them candidates, but not settled: the second search takes every unit within
    the distance beyond which none could beat the third ETA, and no third search is needed."""
    import random

    from command.bench.routing import on_road_points

    rng = random.Random(7)
    for n, point in enumerate(on_road_points(120, rng)):
        place(f.UnitFactory(call_sign=f"S{n:03d}"), point)
    monkeypatch.setattr(engine, "NEAREST_FIRST", 4)
    searches = []
    real_nearest, real_within = engine.live_nearest, engine.live_within
    monkeypatch.setattr(engine, "live_nearest", lambda *a: searches.append(("count", a[2])) or real_nearest(*a))
    monkeypatch.setattr(engine, "live_within", lambda *a: searches.append(("radius", round(a[2]))) or real_within(*a))
    incident = incident_at(PEOPLES_SQUARE)
    settings.DISPATCH_RANKING = "pruned"
    pruned = engine.rank(incident, k=3)
    floor_s = min(settings.TURNOUT_MOVING_S, settings.TURNOUT_PARKED_S)
    settings.DISPATCH_RANKING = "full_table"
    full = engine.rank(incident, k=3)
    assert [(o.unit, o.eta_s) for o in pruned] == [(o.unit, o.eta_s) for o in full]
    # the first search's third ETA set the radius; the second search's answer only improves on it
    assert searches[0] == ("count", 4) and searches[1][0] == "radius" and len(searches) == 2
    assert searches[1][1] >= round(travel.metres_beyond(full[-1].eta_s - floor_s))


@pytest.mark.django_db
def test_metres_beyond_inverts_the_road_time_bound():
    from grid.travel import metres_beyond, seconds_at_least

    for seconds in (0.0, 12.5, 60.0, 180.0, 300.0):
        beyond = metres_beyond(seconds)
        assert seconds_at_least(beyond) > seconds >= seconds_at_least(beyond - 2 * travel.REACH_STEP_M)
