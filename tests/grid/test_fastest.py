"""The pruned hot path picks exactly what a full table picks — across the Huangpu too, where the
unit nearest in a straight line is minutes away by road — for random incidents, in rush hour, with
its road-time bound cut short or missing."""
import math
import random
from datetime import datetime, time
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from grid import lower_bound, travel
from grid.roads import dataset_path
from grid.geometry import distance_m
from grid.models import CongestionBand

LUJIAZUI_RIVERSIDE = (121.4990, 31.2395)   # east bank
BUND = (121.4905, 31.2400)                 # west bank, ~800 m across the water
EAST_BANK = [(121.5060, 31.2345), (121.5105, 31.2405), (121.5150, 31.2300)]


def on_road(points):
    return [travel.snap(lon, lat)[:2] for lon, lat in points]


@pytest.mark.django_db
def test_the_straight_line_nearest_unit_across_the_river_is_not_sent(demo_network):
    fleet = [travel.Candidate(key, lon, lat) for key, (lon, lat) in
             zip(["bund", "east-1", "east-2", "east-3"], on_road([BUND, *EAST_BANK]))]
    straight = min(fleet, key=lambda c: distance_m(c.lon, c.lat, *LUJIAZUI_RIVERSIDE))
    legs = travel.durations_to(LUJIAZUI_RIVERSIDE, [(c.lon, c.lat) for c in fleet])
    by_road = min(zip(fleet, legs), key=lambda pair: pair[1].duration_s)[0]
    picked, leg = travel.fastest_to(LUJIAZUI_RIVERSIDE, fleet, k=1)[0]
    assert straight.key == "bund"        # the trap is real in this data
    assert by_road.key != "bund"
    assert (picked.key, leg.duration_s) == (by_road.key, min(l.duration_s for l in legs))


@pytest.mark.django_db
@pytest.mark.parametrize("target", [LUJIAZUI_RIVERSIDE, (121.4737, 31.2304), (121.4420, 31.2280), (121.5180, 31.2200)])
def test_pruned_top_3_equals_the_full_table(demo_network, target):
    rng = random.Random(11)
    area = demo_network.outline["coordinates"][0]
    lons, lats = [p[0] for p in area], [p[1] for p in area]
    points = []
    while len(points) < 400:
        try:
            points.append(travel.snap(rng.uniform(min(lons), max(lons)), rng.uniform(min(lats), max(lats)))[:2])
        except travel.OffNetwork:
            continue
    fleet = [travel.Candidate(i, lon, lat, extra_s=rng.choice([0.0, 30.0, 60.0])) for i, (lon, lat) in enumerate(points)]
    legs = travel.durations_to(target, points)
    full = sorted((leg.duration_s + c.extra_s, c.key) for c, leg in zip(fleet, legs) if leg)[:3]
    pruned = [(leg.duration_s + c.extra_s, c.key) for c, leg in travel.fastest_to(target, fleet, k=3)]
    assert pruned == full


SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_8AM = datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)


def random_fleet(network, rng, count):
    """Units as dispatch has them: most snapped on arrival (slack known), some raw fixes (unknown),
    each with a turnout time by its state."""
    ring = network.outline["coordinates"][0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    fleet = []
    while len(fleet) < count:
        lon, lat = rng.uniform(min(lons), max(lons)), rng.uniform(min(lats), max(lats))
        try:
            s_lon, s_lat, moved = travel.snap(lon, lat)
        except travel.OffNetwork:
            continue
        extra = rng.choice([0.0, 0.0, 15.0, 30.0, 60.0])
        if rng.random() < 0.8:
            fleet.append(travel.Candidate(len(fleet), s_lon, s_lat, extra, snap_slack_m=0.0))
        else:
            slack = None if rng.random() < 0.5 else moved
            fleet.append(travel.Candidate(len(fleet), lon, lat, extra, snap_slack_m=slack))
    return fleet


def full_table_top(target, fleet, k, at=None):
    legs = travel.durations_to(target, [(c.lon, c.lat) for c in fleet], at=at)
    return sorted((round(leg.duration_s + c.extra_s, 6), c.key) for c, leg in zip(fleet, legs) if leg)[:k]


def pruned_top(target, fleet, k, at=None):
    return [(round(leg.duration_s + c.extra_s, 6), c.key) for c, leg in travel.fastest_to(target, fleet, k=k, at=at)]


@pytest.mark.django_db
def test_top_k_equals_the_full_table_for_random_incidents(demo_network):
    """60 incidents anywhere in the city (both banks), 600 units, k = 1, 3 and 5: identical keys and ETAs."""
    rng = random.Random(23)
    fleet = random_fleet(demo_network, rng, 600)
    targets = [(c.lon, c.lat) for c in random_fleet(demo_network, rng, 60)]
    compared = 0
    for n, target in enumerate(targets):
        k = (1, 3, 5)[n % 3]
        assert pruned_top(target, fleet, k) == full_table_top(target, fleet, k)
        compared += 1
    assert compared == 60


@pytest.mark.django_db
def test_rush_hour_congestion_keeps_the_answer_exact(demo_network):
    CongestionBand.objects.create(zone=None, starts=time(7), ends=time(9), factor=1.8)
    rng = random.Random(29)
    fleet = random_fleet(demo_network, rng, 300)
    for target in [(c.lon, c.lat) for c in random_fleet(demo_network, rng, 10)]:
        pruned = pruned_top(target, fleet, 3, at=MONDAY_8AM)
        assert pruned == full_table_top(target, fleet, 3, at=MONDAY_8AM)
        assert pruned != full_table_top(target, fleet, 3, at=MONDAY_8AM.replace(hour=12))  # the band did apply


@pytest.mark.django_db
def test_a_bound_cut_short_by_the_search_limit_is_completed_before_it_decides(demo_network, monkeypatch):
    """With the Dijkstra stopped after 5 s of road, the units beyond it are bounded in full before any
    of them is routed: same answer, and the full search ran."""
    monkeypatch.setattr(travel, "FIRST_LIMIT_S", 5.0)
    limits = []
    search = lower_bound.Query.search

    def spy(self, limit=math.inf):
        limits.append(limit)
        return search(self, limit)

    monkeypatch.setattr(lower_bound.Query, "search", spy)
    rng = random.Random(31)
    fleet = random_fleet(demo_network, rng, 40)
    target = (121.4737, 31.2304)
    assert pruned_top(target, fleet, 3) == full_table_top(target, fleet, 3)
    assert limits == [5.0, math.inf]


@pytest.mark.django_db
def test_only_the_units_that_moved_are_looked_up_again(demo_network, monkeypatch):
    """Each cell's nearby roads are remembered in the process: after 50 of 500 units moved 38 m, the
    next call looks up the cells they moved into and nothing else, and the answer follows them; a
    unit that moves a few metres inside its cell (GPS jitter) is not looked up at all."""
    rng = random.Random(41)
    fleet = random_fleet(demo_network, rng, 500)
    target = (121.4737, 31.2304)
    assert pruned_top(target, fleet, 3) == full_table_top(target, fleet, 3)
    times = lower_bound.for_dataset(dataset_path(demo_network))
    looked_up = []
    lookup = lower_bound.RoadTimes._lookup

    def spy(self, keys, **slack):
        if slack:  # a cell's lookup; the incident's own point is looked up alone on every call
            looked_up.extend(keys)
        return lookup(self, keys, **slack)

    monkeypatch.setattr(lower_bound.RoadTimes, "_lookup", spy)
    assert pruned_top(target, fleet, 3) == full_table_top(target, fleet, 3)
    assert looked_up == []
    moved = [travel.Candidate(c.key, *travel.snap(c.lon + 0.0004, c.lat)[:2], c.extra_s, snap_slack_m=0.0)
             if c.key % 10 == 0 else c for c in fleet]
    new_cells = {cell for cell in times._cells([(c.lon, c.lat) for c in moved if c.key % 10 == 0])
                 if cell not in times._near}
    assert len(new_cells) > 40
    assert pruned_top(target, moved, 3) == full_table_top(target, moved, 3)
    assert sorted(looked_up) == sorted(times._centres(new_cells))
    looked_up.clear()
    [cell] = times._cells([(moved[0].lon, moved[0].lat)])
    centre = times._centres([cell])[0]
    jittered = [travel.Candidate(c.key, centre[0] + (c.lon - centre[0]) * 0.5, c.lat, c.extra_s) if c is moved[0] else c
                for c in moved]
    assert times._cells([(jittered[0].lon, jittered[0].lat)]) == [cell]
    assert pruned_top(target, jittered, 3) == full_table_top(target, jittered, 3)
    assert looked_up == []


@pytest.mark.django_db
def test_a_cells_roads_hold_every_point_of_the_cell(demo_network):
    """The proof's step 3 for a cell: every segment found for any point of the cell on its own is among
    the cell's (so each point's bound stays a lower bound)."""
    times = lower_bound.for_dataset(dataset_path(demo_network))
    rng = random.Random(7)
    points = [(121.4737 + rng.uniform(-0.02, 0.02), 31.2304 + rng.uniform(-0.02, 0.02)) for _ in range(300)]
    cells = times._near.clear() or times.near_segments(points)
    exact = times._lookup(points)
    for own, cell in zip(exact, cells):
        assert (own is None) == (cell is None)
        if own is not None:
            assert set(own.tolist()) <= set(cell.tolist())


@pytest.mark.django_db
def test_a_cells_roads_filtered_for_a_point_are_exactly_the_points_own(demo_network):
    """Filtered by the point's own distances (no slack), its cell's segments are exactly those a lookup
    of the point alone finds: the cache costs the bound no tightness."""
    times = lower_bound.for_dataset(dataset_path(demo_network))
    rng = random.Random(11)
    points = [(121.4737 + rng.uniform(-0.02, 0.02), 31.2304 + rng.uniform(-0.02, 0.02)) for _ in range(300)]
    points += [(c.lon, c.lat) for c in random_fleet(demo_network, rng, 100)]   # on a road, as snapped fixes are
    cells = times._near.clear() or times.near_segments(points)
    sizes = [len(cell) for cell in cells]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    flat = np.concatenate(cells)
    own = times.own_segments(times.project(*np.array(points).T), starts, flat)
    exact = times._lookup(points)
    wider = 0
    for n, (start, size) in enumerate(zip(starts, sizes)):
        kept = flat[start:start + size][own[start:start + size]]
        assert sorted(kept.tolist()) == sorted(exact[n].tolist())
        wider += size > len(kept)
    assert wider > 100   # the cells' lists are wider than the points' own for most points


@pytest.mark.django_db
def test_without_the_road_time_bound_the_straight_line_still_answers_exactly(demo_network, monkeypatch):
    monkeypatch.setattr(lower_bound, "for_dataset", lambda path, profile="car": None)
    rng = random.Random(37)
    fleet = random_fleet(demo_network, rng, 300)
    for target in [(c.lon, c.lat) for c in random_fleet(demo_network, rng, 5)]:
        assert pruned_top(target, fleet, 3) == full_table_top(target, fleet, 3)


@pytest.mark.django_db
def test_asking_for_none_gets_none(demo_network):
    assert travel.fastest_to((121.4737, 31.2304), [travel.Candidate(1, 121.4737, 31.2304)], k=0) == []
