"""Facts the demo city must keep: Xiangyang staffing, an exact zone partition, places on real roads."""
import itertools
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from command.demo import city
from command.demo.geo import distance_m, to_metres

PBF = Path(__file__).resolve().parents[3] / "data" / "shanghai_center.osm.pbf"
KINDS = ("police", "auxiliary", "traffic_assistant")


def area_m2(geom):
    return to_metres(geom).area


def zone_polygons():
    return [shape(zone["polygon"]) for zone in city.zones()]


def zone_of(lon, lat):
    point = Point(lon, lat)
    return next(zone for zone in city.zones() if shape(zone["polygon"]).covers(point))


@lru_cache(maxsize=1)
def road_nodes():
    osmium = pytest.importorskip("osmium")
    coords = {(n.lon, n.lat) for obj in osmium.FileProcessor(str(PBF)).with_locations()
              if obj.is_way() for n in obj.nodes}
    return np.array(sorted(coords))


def nearest_road_node_m(lon, lat):
    nodes = road_nodes()
    return min(distance_m(lon, lat, x, y) for x, y in nodes[np.argsort(np.abs(nodes[:, 0] - lon)
                                                                      + np.abs(nodes[:, 1] - lat))[:50]])


# --- staffing ---------------------------------------------------------------

def test_staffing_totals_are_xiangyangs():
    totals = {kind: sum(team[kind] for team in city.STAFFING.values()) for kind in KINDS}
    assert totals == {"police": 388, "auxiliary": 776, "traffic_assistant": 261}
    assert sum(totals.values()) == 1425


def test_largest_platform_has_267_people():
    sizes = [sum(team[kind] for kind in KINDS) for team in city.STAFFING.values()]
    assert max(sizes) == 267


def test_every_platform_is_staffed_and_equipped():
    assert set(city.STAFFING) == {p["code"] for p in city.PLATFORMS}
    for team in city.STAFFING.values():
        assert team["auxiliary"] == 2 * team["police"]  # one officer, two auxiliaries
        assert 8 <= team["patrol_cars"] <= 14 and 4 <= team["motorcycles"] <= 10
        assert team["platform_trucks"] == 1


# --- zones ------------------------------------------------------------------

def test_zones_partition_the_served_area():
    polygons = zone_polygons()
    served = city.served_area()
    assert all(p.is_valid and p.geom_type == "Polygon" for p in polygons)
    assert abs(area_m2(unary_union(polygons)) - area_m2(served)) < 1.0
    assert area_m2(served.symmetric_difference(unary_union(polygons))) < 1.0
    for a, b in itertools.combinations(polygons, 2):
        assert area_m2(a.intersection(b)) < 1.0


def test_zone_count_and_no_slivers():
    polygons = zone_polygons()
    assert 15 <= len(polygons) <= 30
    assert min(area_m2(p) for p in polygons) >= 50_000


def test_zones_are_deterministic():
    assert city.zones() == city.zones()


def test_every_platform_owns_a_zone():
    owners = {zone["platform"] for zone in city.zones()}
    assert owners == {p["code"] for p in city.PLATFORMS}


def test_peoples_square_is_city_centre_and_the_outskirts_are_not():
    square = next(s for s in city.KEY_SITES if s["name_en"] == "People's Square")
    assert zone_of(square["lon"], square["lat"])["response_class"] == "city_centre"
    classes = [zone["response_class"] for zone in city.zones()]
    assert set(classes) == {"city_centre", "other"}
    assert classes.count("other") > classes.count("city_centre")


def test_lujiazui_is_city_centre_and_owned_by_the_pudong_platform():
    tower = next(s for s in city.KEY_SITES if s["name_en"] == "Oriental Pearl Tower")
    zone = zone_of(tower["lon"], tower["lat"])
    assert zone["response_class"] == "city_centre" and zone["platform"] == "P05"


# --- places -----------------------------------------------------------------

@pytest.mark.parametrize("collection", ["PLATFORMS", "KEY_SITES", "PATROL_POINTS"])
def test_places_lie_inside_the_served_area(collection):
    served = city.served_area()
    outside = [p["code"] for p in getattr(city, collection) if not served.contains(Point(p["lon"], p["lat"]))]
    assert outside == []


def test_every_key_site_lies_in_a_zone():
    for site in city.KEY_SITES:
        assert zone_of(site["lon"], site["lat"])


def test_counts_and_references():
    platform_codes = {p["code"] for p in city.PLATFORMS}
    assert len(city.DISTRICTS) == 3 and len(city.PLATFORMS) == 7
    assert 12 <= len(city.KEY_SITES) <= 20 and 20 <= len(city.PATROL_POINTS) <= 70
    assert 8 <= len(city.patrol_routes()) <= 14
    assert {p["district"] for p in city.PLATFORMS} <= {d["code"] for d in city.DISTRICTS}
    assert {p["platform"] for p in city.PATROL_POINTS} <= platform_codes
    assert {r["platform"] for r in city.patrol_routes()} <= platform_codes
    assert all(150 <= s["radius_m"] <= 400 for s in city.KEY_SITES)


def test_codes_are_unique():
    for rows in (city.DISTRICTS, city.PLATFORMS, city.KEY_SITES, city.PATROL_POINTS,
                 city.zones(), city.patrol_routes()):
        codes = [row["code"] for row in rows]
        assert len(codes) == len(set(codes))


def test_patrol_routes_are_1_to_4_km():
    for route in city.patrol_routes():
        length = to_metres(shape(route["line"])).length
        assert 1000 <= length <= 4000.5, (route["code"], length)


def test_patrol_routes_stay_inside_the_served_area():
    area = city.served_area().buffer(1e-5)
    assert [r["code"] for r in city.patrol_routes() if not area.covers(shape(r["line"]))] == []


def test_osm_derived_files_carry_the_odbl_notice():
    assert "ODbL" in city._read_json("served_area.geojson")["properties"]["attribution"]
    assert "ODbL" in city._read_json("patrol_routes.geojson")["attribution"]


# --- against the road network of the extract ---------------------------------

@pytest.mark.parametrize("collection, limit_m", [("PLATFORMS", 30), ("PATROL_POINTS", 30), ("KEY_SITES", 150)])
def test_places_are_near_a_drivable_road(collection, limit_m):
    far = {p["code"]: round(nearest_road_node_m(p["lon"], p["lat"]))
           for p in getattr(city, collection) if nearest_road_node_m(p["lon"], p["lat"]) > limit_m}
    assert far == {}
