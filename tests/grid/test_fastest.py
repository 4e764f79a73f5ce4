"""The pruned hot path picks exactly what a full table picks — across the Huangpu too, where the
unit nearest in a straight line is minutes away by road."""
import random

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from grid import travel
from grid.geometry import distance_m
from grid.roads import road_network_import

LUJIAZUI_RIVERSIDE = (121.4990, 31.2395)   # east bank
BUND = (121.4905, 31.2400)                 # west bank, ~800 m across the water
EAST_BANK = [(121.5060, 31.2345), (121.5105, 31.2405), (121.5150, 31.2300)]


@pytest.fixture(scope="module")
def network(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo network built once for the module, its row rolled back at the end."""
    original = django_settings.ROAD_DATA_DIR
    django_settings.ROAD_DATA_DIR = tmp_path_factory.mktemp("roads")
    with django_db_blocker.unblock(), transaction.atomic():
        travel.engines.reset()
        imported, _ = road_network_import(path=django_settings.ROAD_NETWORK, progress=lambda line: None)
        yield imported
        transaction.set_rollback(True)
    django_settings.ROAD_DATA_DIR = original
    travel.engines.reset()


def on_road(points):
    return [travel.snap(lon, lat)[:2] for lon, lat in points]


@pytest.mark.django_db
def test_the_straight_line_nearest_unit_across_the_river_is_not_sent(network):
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
def test_pruned_top_3_equals_the_full_table(network, target):
    rng = random.Random(11)
    area = network.outline["coordinates"][0]
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
