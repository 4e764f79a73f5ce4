"""Isochrones on the demo city: nested rings, the tunnel's cost, agreement with routed times, the
foot profile, congestion, bad origins, and the labelled disc with no network."""
import json
from datetime import datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import shapely
from django.core.exceptions import ValidationError
from shapely.geometry import Point, shape

from grid import selectors, travel
from grid.geometry import distance_m, parse_polygon
from grid.isochrone import MAX_SAMPLES, isochrone, road_samples
from grid.models import CongestionBand, RoadNetwork
from grid.roads import dataset_path
from tests import factories as f
from tests.grid.support import reread_zones_and_bands
from tests.places import FAR_EAST, IN_THE_RIVER, LUJIAZUI, PEOPLES_SQUARE

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.usefixtures("production_recheck")]

MONDAY_8AM = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RINGS = (120, 180, 300, 600)


@pytest.fixture(scope="module")
def rings(demo_network, django_db_blocker):
    """Isochrones from People's Square, computed once: {seconds: (GeoJSON feature, shapely area)}."""
    with django_db_blocker.unblock(), mock.patch.object(selectors, "RECHECK_S", 1.0):
        travel.engines.reset()
        reread_zones_and_bands()
        features = {seconds: isochrone(PEOPLES_SQUARE, seconds) for seconds in RINGS}
    return {seconds: (feature, shape(feature["geometry"])) for seconds, feature in features.items()}


class TestRings:
    def test_each_ring_is_valid_geojson_with_its_sample_count(self, rings):
        for seconds, (feature, _) in rings.items():
            assert feature["type"] == "Feature"
            parse_polygon(json.loads(json.dumps(feature["geometry"])))  # as served; raises on anything invalid
            properties = feature["properties"]
            assert {k: properties[k] for k in ("seconds", "profile", "estimated")} == {
                "seconds": seconds, "profile": "car", "estimated": False}
            assert 0 < properties["reachable"] < properties["samples"] <= MAX_SAMPLES

    def test_the_origin_is_inside_every_ring(self, rings):
        assert all(area.covers(Point(PEOPLES_SQUARE)) for _, area in rings.values())

    def test_a_longer_time_reaches_further(self, rings):
        areas = [rings[seconds][1] for seconds in RINGS]
        for smaller, larger in zip(areas, areas[1:]):
            # Each ring is sampled on its own grid: the smaller may stick out by a sliver (measured <0.4 %).
            assert smaller.difference(larger).area <= 0.005 * smaller.area
            assert larger.area > 1.5 * smaller.area

    def test_lujiazui_lies_beyond_the_tunnel_not_within_two_minutes(self, rings):
        assert 330 <= travel.route(PEOPLES_SQUARE, LUJIAZUI).duration_s <= 420
        assert not rings[120][1].covers(Point(LUJIAZUI))
        assert not rings[300][1].covers(Point(LUJIAZUI))
        assert rings[600][1].covers(Point(LUJIAZUI))

    @pytest.mark.parametrize("seconds", [180, 300])
    def test_it_agrees_with_routed_times(self, demo_network, rings, seconds):
        """1,000 road points at random: those reached with 30 s to spare are inside, those 30 s too late
        outside, but for a few: an area cannot follow every one-way street. Measured at 180 s: 0 of 98
        and 8 of 772; at 300 s: 2 of 331 (a few metres outside the edge) and 11 of 492."""
        points = random_road_points(demo_network, 1000)
        legs = travel.durations_from(PEOPLES_SQUARE, points)
        area = rings[seconds][1]
        inside = np.array([area.covers(Point(p)) for p in points])
        early = np.array([leg is not None and leg.duration_s <= seconds - 30 for leg in legs])
        late = np.array([leg is not None and leg.duration_s > seconds + 30 for leg in legs])
        assert early.sum() > 50
        assert (early & ~inside).sum() <= 0.01 * early.sum()
        assert (late & inside).sum() <= 0.03 * late.sum()


def random_road_points(network, count: int) -> list[tuple[float, float]]:
    samples = road_samples(str(dataset_path(network)))
    picked = np.random.default_rng(3).choice(len(samples.xy), count, replace=False)
    lonlat = shapely.get_coordinates(samples.projection.to_lonlat(shapely.points(samples.xy[picked])))
    return [tuple(p) for p in lonlat.tolist()]


class TestProfilesAndTimes:
    def test_on_foot_the_area_is_smaller(self, demo_network, rings):
        walk = isochrone(PEOPLES_SQUARE, 300, profile="foot")
        area = shape(walk["geometry"])
        assert walk["properties"]["profile"] == "foot"
        assert area.covers(Point(PEOPLES_SQUARE))
        assert area.area < 0.1 * rings[300][1].area
        # ~420 m at a walking pace of ~5 km/h: nothing reached beyond 600 m in a straight line.
        assert max(distance_m(*PEOPLES_SQUARE, *p) for p in shapely.get_coordinates(area)) < 700

    def test_rush_hour_at_the_destination_shrinks_the_area(self, demo_network):
        zone = f.ZoneFactory(polygon=f.square(*LUJIAZUI, 0.002))
        CongestionBand.objects.create(zone=zone, starts=time(7), ends=time(9), factor=1.6)
        reread_zones_and_bands()
        try:
            # 384 s to Lujiazui: within 600 s at noon, 614 s (x1.6) at 8 am.
            assert shape(isochrone(PEOPLES_SQUARE, 600, at=MONDAY_NOON)["geometry"]).covers(Point(LUJIAZUI))
            assert not shape(isochrone(PEOPLES_SQUARE, 600, at=MONDAY_8AM)["geometry"]).covers(Point(LUJIAZUI))
        finally:
            zone.delete()
            reread_zones_and_bands()


class TestBadInput:
    @pytest.mark.parametrize("origin", [IN_THE_RIVER, FAR_EAST])
    def test_an_origin_off_the_network_is_refused(self, demo_network, origin):
        with pytest.raises(travel.OffNetwork):
            isochrone(origin, 180)

    @pytest.mark.parametrize("seconds", [0, -60, float("nan"), float("inf")])
    def test_a_time_that_is_not_positive_is_refused(self, demo_network, seconds):
        with pytest.raises(ValidationError):
            isochrone(PEOPLES_SQUARE, seconds)


class TestWithoutANetwork:
    def test_the_answer_is_a_labelled_straight_line_disc(self, demo_network, settings):
        RoadNetwork.objects.update(active=False)
        travel.engines.reset()
        try:
            feature = isochrone(PEOPLES_SQUARE, 180)
        finally:
            travel.engines.reset()
        radius = 180 * settings.FALLBACK_SPEED_KMH / 3.6 / settings.FALLBACK_DETOUR_FACTOR
        assert feature["properties"] == {"seconds": 180, "profile": "car", "samples": 0, "reachable": 0, "estimated": True}
        edge = shapely.get_coordinates(shape(feature["geometry"]))
        assert [round(distance_m(*PEOPLES_SQUARE, *p)) for p in edge] == [round(radius)] * len(edge)
