"""Address lookup on the demo city: the gazetteer built at import, searched the ways dispatchers type
(grid.place_search), the grid's own sites kept in step, and reverse lookup (grid.places)."""
import pytest
from django.utils import translation

from grid.gazetteer import Entry
from grid.models import Place, RoadNetwork
from grid.place_search import search_places
from grid.places import gazetteer_store, reverse_lookup, sync_sites
from grid.roads import road_network_import
from tests import factories as f
from tests.places import PEOPLES_SQUARE

pytestmark = [pytest.mark.usefixtures("demo_network"), pytest.mark.django_db]

JUNCTION = "西藏南路与复兴东路交叉口"


@pytest.fixture
def key_sites(db):
    """Three of the demo's key sites, as command/demo/places.py places them."""
    return [f.KeySiteFactory(code="K01", name="人民广场", kind="square", lon=121.4696, lat=31.2316),
            f.KeySiteFactory(code="K04", name="陈毅广场（外滩）", kind="square", lon=121.4861, lat=31.2406),
            f.KeySiteFactory(code="K06", name="瑞金医院", kind="hospital", lon=121.4617, lat=31.2152, radius_m=250)]


def first(query: str) -> tuple[str, str, str]:
    hit = search_places(query, limit=1)[0]
    return hit.place.name, hit.place.kind, hit.match


def test_the_import_stored_the_extracts_names(demo_network):
    kinds = {kind: Place.objects.filter(network=demo_network, kind=kind).count()
             for kind in ("street", "junction", "bus_stop", "station")}
    # 816 streets and 2,353 junctions, and a name without its parenthesis: "复兴东路隧道 (上层)" is also said
    # "复兴东路隧道" (two streets, two of the junctions they make).
    assert kinds == {"street": 818, "junction": 2355, "bus_stop": 830, "station": 1}
    demo_network.refresh_from_db()
    counts = demo_network.measurements["gazetteer"]
    assert {key: counts[key] for key in ("version", "entries", "by_kind")} == {
        "version": 1, "entries": 4000, "by_kind": {"bus_stop": 830, "junction": 2353, "station": 1, "street": 816}}


def test_names_read_by_an_older_gazetteer_are_read_again_at_the_next_import(demo_network, settings):
    RoadNetwork.objects.filter(pk=demo_network.pk).update(measurements={**demo_network.measurements, "gazetteer": {}})
    Place.objects.filter(network=demo_network, kind="street").delete()
    road_network_import(path=settings.ROAD_NETWORK, progress=lambda line: None)
    assert Place.objects.filter(network=demo_network, kind="street").count() == 818
    assert RoadNetwork.objects.get(pk=demo_network.pk).measurements["gazetteer"]["version"] == 1


@pytest.mark.parametrize("said", [
    "西藏南路与复兴东路交叉口", "西藏南路复兴东路口", "复兴东路西藏南路路口", "西藏南路/复兴东路", "西藏南路 复兴东路路口",
    "复兴东路与西藏南路", "xznl/fxdl", "xizangnanlu fuxingdonglu", "xznlfxdl", "XiZang NanLu / FuXing DongLu",
])
def test_a_junction_is_found_first_however_it_is_said(said):
    assert first(said) == (JUNCTION, "junction", "exact")


def test_a_junction_said_with_a_typo_or_a_street_half_named_is_still_found_first():
    assert first("复兴东陆西藏南路口") == (JUNCTION, "junction", "junction")
    assert [(hit.place.name, hit.score) for hit in search_places("西藏路复兴东路口", limit=2)] == [(JUNCTION, 68.0)]
    # "复兴路" is 复兴东路 or 复兴中路, both meeting 西藏南路: both, the longer street's junction first.
    assert [(hit.place.name, hit.score) for hit in search_places("西藏路复兴路口", limit=2)] == [
        (JUNCTION, 68.0), ("西藏南路与复兴中路交叉口", 68.0)]


def test_the_junction_point_is_where_the_streets_meet():
    place = search_places(JUNCTION, limit=1)[0].place
    assert (place.lon, place.lat, place.street, place.cross_street) == (121.4785233, 31.2208975, "西藏南路", "复兴东路")


def test_a_street_by_its_name_pinyin_initials_homophone_and_typo():
    assert first("南京西路") == ("南京西路", "street", "exact")
    assert first("xizangnanlu") == ("西藏南路", "street", "exact")
    assert first("hhzl") == ("淮海中路", "street", "exact")
    assert first("西臧南路") == ("西藏南路", "street", "sound")
    assert first("xiznagnanlu") == ("西藏南路", "street", "similar")


def test_a_street_said_as_its_corner_is_the_street():
    assert first("西藏中路口") == ("西藏中路", "street", "street")


def test_a_prefix_lists_the_street_before_its_junctions():
    assert [hit.place.name for hit in search_places("西藏南", limit=3)] == [
        "西藏南路", "西藏南路隧道", "西藏南路与复兴东路交叉口"]


def test_a_house_number_the_extract_lacks_gives_its_street():
    assert first("淮海中路100号") == ("淮海中路", "street", "street")


def test_key_sites_by_name_pinyin_initials_alias_and_typo(key_sites):
    assert first("人民广场") == ("人民广场", "key_site", "exact")
    assert first("renminguangchang") == ("人民广场", "key_site", "exact")
    assert first("rmgc") == ("人民广场", "key_site", "exact")
    assert first("外滩") == ("陈毅广场（外滩）", "key_site", "exact")
    assert first("人名广场") == ("人民广场", "key_site", "similar")
    assert first("瑞金医阮") == ("瑞金医院", "key_site", "similar")


def test_a_site_renamed_or_removed_is_searched_as_it_is_now(key_sites):
    assert first("瑞金医院") == ("瑞金医院", "key_site", "exact")
    key_sites[2].name = "瑞金医院总院"
    key_sites[2].save()
    assert first("瑞金医院总院") == ("瑞金医院总院", "key_site", "exact")
    key_sites[2].delete()
    assert [(h.place.name, h.place.kind) for h in search_places("瑞金医院总院")] == [("瑞金医院", "bus_stop")]


def test_must_patrol_points_and_zones_are_places_too(db):
    point = f.PatrolPointFactory(code="PP02", name="南京路步行街西口", lon=121.4705, lat=31.235684)
    zone = f.ZoneFactory(code="Z01", name="人民广场网格")
    assert first("南京路步行街西口") == ("南京路步行街西口", "patrol_point", "exact")
    assert first("人民广场网格") == ("人民广场网格", "zone", "exact")
    assert sorted(Place.objects.filter(network=None).values_list("kind", "source")) == [
        ("patrol_point", f"patrol_point:{point.pk}"), ("zone", f"zone:{zone.pk}")]


def test_nothing_found_is_an_empty_list():
    assert search_places("不存在的地方名字啊") == []
    assert search_places("！？") == []


def test_only_the_active_networks_names_are_searched(demo_network):
    other = RoadNetwork.objects.create(**{**{field: getattr(demo_network, field) for field in (
        "name", "dataset_dir", "min_lon", "min_lat", "max_lon", "max_lat", "outline", "nodes", "ways", "roads",
        "named_roads", "road_km", "profiles", "algorithm", "max_speed_kmh", "build_s")}, "sha256": "0" * 64})
    Place.objects.create(network=other, kind="street", name="幽灵路", key="幽灵路", pinyin="youlinglu",
                         initials="yll", lon=121.47, lat=31.23)
    assert "幽灵路" not in [hit.place.name for hit in search_places("幽灵路", limit=20)]


def test_storing_a_networks_names_removes_every_other_networks(demo_network):
    other = RoadNetwork.objects.create(**{**{field: getattr(demo_network, field) for field in (
        "name", "dataset_dir", "min_lon", "min_lat", "max_lon", "max_lat", "outline", "nodes", "ways", "roads",
        "named_roads", "road_km", "profiles", "algorithm", "max_speed_kmh", "build_s")}, "sha256": "1" * 64})
    stored = gazetteer_store(network=other, entries=[Entry("street", "新路", 121.47, 31.23)])
    assert (stored, list(Place.objects.filter(network__isnull=False).values_list("name", flat=True))) == (1, ["新路"])


def test_sites_are_rewritten_only_when_they_changed(key_sites):
    assert sync_sites(force=True) is True
    assert sync_sites(force=True) is False


# --- reverse lookup ----------------------------------------------------------------------------------

def test_peoples_square_is_named_by_its_junction():
    address = reverse_lookup(*PEOPLES_SQUARE)
    assert (address.address, address.street, address.street_distance_m) == ("延安东路与西藏南路交叉口", "延安东路", 5.6)
    assert (address.nearest.place.kind, address.nearest.distance_m) == ("junction", 30.5)


def test_a_point_by_a_named_place_is_its_street_near_that_place(key_sites):
    with translation.override("zh-hans"):
        address = reverse_lookup(121.4696, 31.2316)
    assert (address.address, address.nearest.place.name, address.nearest.distance_m) == (
        "人民大道（人民广场附近）", "人民广场", 0.0)


def test_a_point_on_a_street_between_junctions_is_the_street_near_the_nearest_one():
    with translation.override("zh-hans"):
        address = reverse_lookup(121.4785233, 31.2208975 + 0.0025)
    assert (address.address, address.street, address.nearest.place.name) == (
        "方浜西路（中华路附近）", "方浜西路", "中华路与方浜西路交叉口")


def test_a_point_far_from_any_named_road_has_no_address():
    address = reverse_lookup(121.492, 31.236)  # the Huangpu
    assert (address.address, address.street, address.street_distance_m, address.nearest) == ("", "", None, None)
