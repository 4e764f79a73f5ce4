"""The gazetteer's builder (grid.gazetteer) on a hand-made extract with every kind of name the demo
extract lacks (it has drivable roads and bus stops only), then on the demo extract itself."""
from pathlib import Path

import pytest
import shapely
from django.conf import settings

from grid.gazetteer import Entry, continues, feature_kind, read_gazetteer
from grid.osm import read_extract, served_outline

# Around (121.47, 31.22): 西藏南路 north-south through nodes 1-2-3, continuing as 西藏中路 at node 1;
# 复兴东路 east-west through node 2 and, as a dual carriageway, node 6 (55 m south) with 西藏南路's
# other carriageway (nodes 7-6-8). Everything else hangs around them; node 99 is outside the outline.
NODES = {
    1: (121.4700, 31.2230), 2: (121.4700, 31.2200), 3: (121.4700, 31.2170), 4: (121.4670, 31.2200),
    5: (121.4730, 31.2200), 6: (121.4702, 31.2195), 7: (121.4702, 31.2230), 8: (121.4702, 31.2170),
    9: (121.4700, 31.2260), 10: (121.4670, 31.2195), 11: (121.4730, 31.2195),
    20: (121.4710, 31.2210), 21: (121.4712, 31.2210), 22: (121.4712, 31.2212), 23: (121.4710, 31.2212),
    30: (121.4690, 31.2190), 31: (121.4691, 31.2190), 32: (121.4691, 31.2191), 33: (121.4690, 31.2191),
}
POINTS = [
    (40, (121.4705, 31.2205), {"addr:street": "西藏南路", "addr:housenumber": "100"}),
    (41, (121.4706, 31.2206), {"shop": "convenience", "name": "全家", "addr:street": "西藏南路",
                               "addr:housenumber": "102号"}),
    (42, (121.4695, 31.2215), {"amenity": "hospital", "name": "某某医院"}),
    (43, (121.4690, 31.2225), {"amenity": "school", "name": "格致中学", "alt_name": "格致"}),
    (44, (121.4708, 31.2190), {"railway": "station", "station": "subway", "name": "大世界"}),
    (45, (121.4709, 31.2188), {"railway": "subway_entrance", "ref": "3"}),
    (46, (121.4701, 31.2221), {"highway": "bus_stop", "name": "西藏南路复兴东路"}),
    (47, (121.4699, 31.2200), {"highway": "bus_stop", "name": "西藏南路复兴东路"}),
    (48, (121.4680, 31.2205), {"amenity": "cafe", "name": "咖啡馆（复兴店）"}),
    (99, (121.6000, 31.4000), {"amenity": "hospital", "name": "远方医院"}),
]
WAYS = [
    (100, [9, 1], {"highway": "primary", "name": "西藏中路"}),
    (101, [1, 2, 3], {"highway": "primary", "name": "西藏南路"}),
    (102, [7, 6, 8], {"highway": "primary", "name": "西藏南路"}),
    (103, [4, 2, 5], {"highway": "secondary", "name": "复兴东路"}),
    (104, [10, 6, 11], {"highway": "secondary", "name": "复兴东路"}),
    (105, [20, 21, 22, 23, 20], {"building": "yes", "name": "新世界大厦"}),
    (106, [30, 31, 32, 33, 30], {}),
]
RELATIONS = [(200, [("w", 106, "outer")], {"type": "multipolygon", "leisure": "park", "name": "小花园"})]


def osm_xml(nodes: dict, points: list, ways: list, relations: list) -> str:
    def tags(values: dict) -> str:
        return "".join(f'<tag k="{key}" v="{value}"/>' for key, value in values.items())

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    lines += [f'<node id="{i}" version="1" lat="{lat}" lon="{lon}"/>' for i, (lon, lat) in nodes.items()]
    lines += [f'<node id="{i}" version="1" lat="{lat}" lon="{lon}">{tags(t)}</node>' for i, (lon, lat), t in points]
    lines += [f'<way id="{i}" version="1">{"".join(f"<nd ref=\"{n}\"/>" for n in refs)}{tags(t)}</way>'
              for i, refs, t in ways]
    lines += [f'<relation id="{i}" version="1">'
              f'{"".join(f"<member type=\"{"way" if k == "w" else "node"}\" ref=\"{r}\" role=\"{role}\"/>" for k, r, role in members)}'
              f'{tags(t)}</relation>' for i, members, t in relations]
    return "\n".join([*lines, "</osm>"])


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory) -> list[Entry]:
    path = tmp_path_factory.mktemp("osm") / "corner.osm"
    path.write_text(osm_xml(NODES, POINTS, WAYS, RELATIONS), encoding="utf-8")
    entries, counts = read_gazetteer(path, shapely.box(121.46, 31.21, 121.48, 31.23))
    assert counts["entries"] == len(entries)
    return entries


def named(entries: list[Entry], kind: str) -> list[str]:
    return sorted(entry.name for entry in entries if entry.kind == kind)


def test_each_street_once_weighted_by_its_length_and_placed_on_its_longest_stretch(hand_made):
    streets = {entry.name: entry for entry in hand_made if entry.kind == "street"}
    assert sorted(streets) == ["复兴东路", "西藏中路", "西藏南路"]
    assert (streets["西藏南路"].lon, streets["西藏南路"].lat) == (121.47, 31.22)  # the middle vertex of way 101
    assert 1330 < streets["西藏南路"].weight < 1340  # both carriageways, 2 x 667 m


def test_a_junction_of_a_dual_carriageway_is_one_named_after_the_more_important_street(hand_made):
    junctions = [entry for entry in hand_made if entry.kind == "junction"]
    assert [(j.name, j.street, j.cross_street) for j in junctions] == [("西藏南路与复兴东路交叉口", "西藏南路", "复兴东路")]
    assert (junctions[0].lon, junctions[0].lat) in {NODES[2], NODES[6]}


def test_a_street_going_on_under_another_name_is_no_junction():
    assert [continues(*pair) for pair in [("西藏中路", "西藏南路"), ("西藏南路", "西藏南路隧道"),
                                           ("中山东一路", "中山东二路"), ("西藏南路", "复兴东路")]] == [True, True, True, False]


def test_house_numbers_are_said_with_their_street(hand_made):
    houses = [(e.name, e.street, e.number) for e in hand_made if e.kind == "address"]
    assert sorted(houses) == [("西藏南路100号", "西藏南路", 100), ("西藏南路102号", "西藏南路", 102)]


def test_named_features_by_kind_inside_the_served_area_only(hand_made):
    assert named(hand_made, "shop") == ["全家"]
    assert named(hand_made, "hospital") == ["某某医院"]  # 远方医院 lies outside the outline
    assert named(hand_made, "school") == ["格致中学"]
    assert named(hand_made, "amenity") == ["咖啡馆（复兴店）"]
    assert named(hand_made, "station") == ["大世界"]
    assert named(hand_made, "building") == ["新世界大厦"]
    assert named(hand_made, "landmark") == ["小花园"]
    assert next(e.aliases for e in hand_made if e.name == "格致中学") == ("格致",)


def test_an_area_stands_at_a_point_inside_it(hand_made):
    building = next(entry for entry in hand_made if entry.name == "新世界大厦")
    park = next(entry for entry in hand_made if entry.name == "小花园")
    assert (121.4710 < building.lon < 121.4712, 31.2210 < building.lat < 31.2212) == (True, True)
    assert (121.4690 < park.lon < 121.4691, 31.2190 < park.lat < 31.2191) == (True, True)
    assert (building.osm, park.osm) == ("w105", "r200")


def test_a_metro_exit_is_named_after_its_station_and_number(hand_made):
    assert named(hand_made, "metro_exit") == ["大世界站3号口"]


def test_bus_stops_of_one_name_on_both_sides_of_the_road_are_one(hand_made):
    assert named(hand_made, "bus_stop") == ["西藏南路复兴东路"]


@pytest.mark.parametrize(("tags", "kind"), [
    ({"railway": "subway_entrance"}, "metro_exit"), ({"public_transport": "station"}, "station"),
    ({"public_transport": "platform"}, "bus_stop"), ({"amenity": "kindergarten"}, "school"),
    ({"healthcare": "clinic"}, "hospital"), ({"shop": "bakery"}, "shop"), ({"amenity": "bank"}, "amenity"),
    ({"place": "neighbourhood"}, "neighbourhood"), ({"landuse": "residential"}, "neighbourhood"),
    ({"building": "office"}, "building"), ({"tourism": "museum"}, "landmark"), ({"highway": "traffic_signals"}, None),
    ({"natural": "tree"}, None),
])
def test_what_a_feature_is(tags, kind):
    assert feature_kind(tags) == kind


def test_the_demo_extract_gives_its_streets_junctions_and_bus_stops():
    extract = read_extract(Path(settings.ROAD_NETWORK))
    entries, counts = read_gazetteer(extract.path, served_outline(extract))
    assert counts["by_kind"] == {"bus_stop": 830, "junction": 2353, "station": 1, "street": 816}
    junction = next(e for e in entries if e.name == "西藏南路与复兴东路交叉口")
    assert (round(junction.lon, 5), round(junction.lat, 5)) == (121.47852, 31.2209)
