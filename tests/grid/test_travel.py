"""Travel times on the demo city's roads: the tunnel under the Huangpu, the snapping limit, tables that
agree with routes, response targets of known places, congestion bands, and the labelled fallback."""
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from grid import travel
from grid.geometry import distance_m
from grid.models import CongestionBand, RoadNetwork, Zone, check_point_served
from grid.selectors import locate, zone_at
from tests.places import FAR_EAST, IN_THE_RIVER, LUJIAZUI, PEOPLES_SQUARE

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.usefixtures("fresh_engines")]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_8AM = datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)
MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI)
JINGAN_TEMPLE = (121.4420, 31.2259)
THE_BUND = (121.4905, 31.2400)
LAOXIMEN = (121.4800, 31.2176)          # a city-centre zone, no key site near
CAOJIADU_WEST_EDGE = (121.4180, 31.2290)  # an "other" zone, 27 m inside the served area's west edge
WEST_OF_THE_EDGE = (121.4050, 31.2290)    # 1.2 km beyond that edge


@pytest.fixture
def english():
    with translation.override("en"):
        yield


class TestRoutes:
    def test_peoples_square_to_lujiazui_goes_through_the_renmin_road_tunnel(self, demo_city):
        found = travel.route(PEOPLES_SQUARE, LUJIAZUI)
        assert "人民路隧道" in [step["name"] for step in found.steps]
        assert 4000 <= found.distance_m <= 4500
        assert 330 <= found.duration_s <= 420
        assert found.estimated is False
        assert (found.steps[0]["type"], found.steps[-1]["type"]) == ("depart", "arrive")
        start, end = found.geometry["coordinates"][0], found.geometry["coordinates"][-1]
        assert distance_m(*start, *PEOPLES_SQUARE) < 150 and distance_m(*end, *LUJIAZUI) < 150

    def test_the_steps_add_up_to_the_route(self, demo_city):
        found = travel.route(PEOPLES_SQUARE, LUJIAZUI)
        assert sum(step["distance_m"] for step in found.steps) == pytest.approx(found.distance_m, abs=1.0)
        assert sum(step["duration_s"] for step in found.steps) == pytest.approx(found.duration_s, abs=1.0)

    @pytest.mark.parametrize(("origin", "target"), [(PEOPLES_SQUARE, LUJIAZUI), (LUJIAZUI, PEOPLES_SQUARE),
                                                    (JINGAN_TEMPLE, THE_BUND), (THE_BUND, LAOXIMEN)])
    def test_tables_agree_with_routes(self, demo_city, origin, target):
        by_route = travel.route(origin, target).duration_s
        to_leg = travel.durations_to(target, [origin])[0]
        from_leg = travel.durations_from(origin, [target])[0]
        assert abs(to_leg.duration_s - by_route) <= 1.0
        assert abs(from_leg.duration_s - by_route) <= 1.0
        assert to_leg.estimated is from_leg.estimated is False


class TestSnappingLimit:
    @pytest.mark.parametrize(("point", "metres"), [(IN_THE_RIVER, 245), (FAR_EAST, 33295)])
    def test_a_point_far_from_roads_is_refused_with_its_distance(self, demo_city, english, point, metres):
        with pytest.raises(travel.OffNetwork) as refused:
            travel.snap(*point)
        assert refused.value.messages == [
            f"The point ({point[0]:.5f}, {point[1]:.5f}) is {metres} m from the nearest road (limit 150 m)."]
        assert refused.value.code == "off_network"

    @pytest.mark.parametrize("point", [IN_THE_RIVER, FAR_EAST])
    def test_routes_and_tables_refuse_it_as_an_end(self, demo_city, point):
        with pytest.raises(travel.OffNetwork):
            travel.route(PEOPLES_SQUARE, point)
        with pytest.raises(travel.OffNetwork):
            travel.route(point, PEOPLES_SQUARE)
        with pytest.raises(travel.OffNetwork):
            travel.durations_to(point, [PEOPLES_SQUARE])

    def test_a_table_leaves_an_off_network_source_out_and_keeps_the_rest(self, demo_city):
        legs = travel.durations_to(LUJIAZUI, [PEOPLES_SQUARE, IN_THE_RIVER, FAR_EAST])
        assert legs[1:] == [None, None]
        assert 330 <= legs[0].duration_s <= 420

    def test_a_point_on_a_road_moves_little(self, demo_city):
        lon, lat, moved = travel.snap(*PEOPLES_SQUARE)
        assert moved < 150
        assert distance_m(lon, lat, *PEOPLES_SQUARE) == pytest.approx(moved, abs=0.5)


class TestResponseTargets:
    def test_peoples_square_key_site_has_one_minute(self, demo_city):
        assert locate(121.4696, 31.2316).target_s == 60

    def test_a_central_street_away_from_key_sites_has_three(self, demo_city):
        where = locate(*LAOXIMEN)
        assert (where.key_site_id, where.target_s) == (None, 180)
        assert Zone.objects.get(pk=where.zone_id).code == "Z05"

    def test_an_outer_zone_at_the_served_areas_edge_has_five(self, demo_city):
        where = locate(*CAOJIADU_WEST_EDGE)
        assert (where.key_site_id, where.target_s) == (None, 300)
        assert Zone.objects.get(pk=where.zone_id).response_class == "other"

    def test_a_point_outside_the_served_area_is_refused(self, demo_city, english):
        with pytest.raises(ValidationError) as refused:
            check_point_served(*WEST_OF_THE_EDGE)
        assert refused.value.message_dict == {
            "location": ["The point (121.405000, 31.229000) is outside the served area."]}


class TestCongestion:
    @pytest.fixture
    def rush_hour_at_lujiazui(self, demo_city):
        CongestionBand.objects.all().delete()  # the demo's own rush hours (command/demo/traffic_seed.py)
        zone = Zone.objects.get(pk=zone_at(*LUJIAZUI))
        return CongestionBand.objects.create(zone=zone, starts=time(7), ends=time(9), factor=1.5)

    def test_the_destinations_band_multiplies_travel_time(self, rush_hour_at_lujiazui):
        free = travel.route(PEOPLES_SQUARE, LUJIAZUI, at=MONDAY_NOON)
        busy = travel.route(PEOPLES_SQUARE, LUJIAZUI, at=MONDAY_8AM)
        assert busy.duration_s == pytest.approx(free.duration_s * 1.5, rel=1e-9)
        assert busy.distance_m == free.distance_m
        to_free, = travel.durations_to(LUJIAZUI, [PEOPLES_SQUARE], at=MONDAY_NOON)
        to_busy, = travel.durations_to(LUJIAZUI, [PEOPLES_SQUARE], at=MONDAY_8AM)
        assert to_busy.duration_s == pytest.approx(to_free.duration_s * 1.5, rel=1e-9)
        from_free, = travel.durations_from(PEOPLES_SQUARE, [LUJIAZUI], at=MONDAY_NOON)
        from_busy, = travel.durations_from(PEOPLES_SQUARE, [LUJIAZUI], at=MONDAY_8AM)
        assert from_busy.duration_s == pytest.approx(from_free.duration_s * 1.5, rel=1e-9)

    def test_outside_the_band_nothing_changes(self, rush_hour_at_lujiazui):
        assert travel.congestion_factor(*LUJIAZUI, MONDAY_NOON) == 1.0
        assert travel.congestion_factor(*LUJIAZUI, MONDAY_8AM) == 1.5

    def test_the_origins_band_does_not_apply(self, demo_city):
        CongestionBand.objects.all().delete()
        CongestionBand.objects.create(zone=Zone.objects.get(pk=zone_at(*PEOPLES_SQUARE)), starts=time(7), ends=time(9),
                                      factor=2.0)
        free = travel.route(PEOPLES_SQUARE, LUJIAZUI, at=MONDAY_NOON)
        assert travel.route(PEOPLES_SQUARE, LUJIAZUI, at=MONDAY_8AM).duration_s == free.duration_s
        assert travel.route(LUJIAZUI, PEOPLES_SQUARE, at=MONDAY_8AM).duration_s == pytest.approx(
            travel.route(LUJIAZUI, PEOPLES_SQUARE, at=MONDAY_NOON).duration_s * 2.0, rel=1e-9)


class TestWithoutANetwork:
    @pytest.fixture
    def no_network(self, demo_city):
        RoadNetwork.objects.update(active=False)
        travel.engines.reset()

    def test_routes_are_labelled_straight_line_estimates(self, no_network, settings):
        found = travel.route(PEOPLES_SQUARE, LUJIAZUI)
        metres = distance_m(*PEOPLES_SQUARE, *LUJIAZUI) * settings.FALLBACK_DETOUR_FACTOR
        assert found.estimated is True
        assert found.distance_m == pytest.approx(metres)
        assert found.duration_s == pytest.approx(metres / (settings.FALLBACK_SPEED_KMH / 3.6))
        assert found.geometry == {"type": "LineString", "coordinates": [list(PEOPLES_SQUARE), list(LUJIAZUI)]}
        assert found.steps == []

    def test_tables_and_the_hot_path_are_labelled_too(self, no_network):
        legs = travel.durations_to(LUJIAZUI, [PEOPLES_SQUARE, THE_BUND])
        assert [leg.estimated for leg in legs] == [True, True]
        assert travel.durations_from(PEOPLES_SQUARE, [LUJIAZUI])[0] == legs[0]
        picked, leg = travel.fastest_to(LUJIAZUI, [travel.Candidate("ps", *PEOPLES_SQUARE),
                                                   travel.Candidate("bund", *THE_BUND)])[0]
        assert (picked.key, leg.estimated) == ("bund", True)

    def test_with_no_roads_to_check_against_nothing_is_refused(self, no_network):
        assert travel.snap(*IN_THE_RIVER) == (*IN_THE_RIVER, 0.0)
