"""Address lookup's API: /api/v1/places/search, /reverse and /locate, who may use them, what they answer
and how they refuse bad input (400 with one readable message, never a 500)."""
import pytest

from tests import factories as f
from tests.api_support import matrix, readers
from tests.places import FAR_EAST, PEOPLES_SQUARE

pytestmark = [pytest.mark.usefixtures("demo_network"), pytest.mark.django_db]

PLACE_READERS = ("administrator", "dispatcher", "supervisor", "officer")
SQUARE = "lon={}&lat={}".format(*PEOPLES_SQUARE)
ENDPOINTS = ["/api/v1/places/search?q=xznl", f"/api/v1/places/reverse?{SQUARE}", f"/api/v1/places/locate?{SQUARE}"]


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize(("persona", "code"), matrix(readers(*PLACE_READERS)))
def test_who_may_look_up_addresses(as_, url, persona, code):
    assert as_(persona).get(url).status_code == code


def test_search_answers_places_best_first_with_how_they_matched(as_):
    response = as_("dispatcher").get("/api/v1/places/search", {"q": "西藏南路复兴东路口", "limit": 2})
    assert response.status_code == 200
    assert response.data[0] == {
        "id": response.data[0]["id"], "name": "西藏南路与复兴东路交叉口", "kind": "junction", "kind_label": "Junction",
        "street": "西藏南路", "cross_street": "复兴东路", "lon": 121.4785233, "lat": 31.2208975, "match": "exact",
        "score": 100.0}
    assert len(response.data) == 1  # said exactly and nothing else starts so: no guesses below it


def test_search_in_chinese_labels_kinds_in_chinese(as_):
    client = as_("dispatcher")
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert [row["kind_label"] for row in client.get("/api/v1/places/search?q=xizangnanlu&limit=1").data] == ["街道"]


def test_search_finds_nothing_as_an_empty_list(as_):
    assert as_("officer").get("/api/v1/places/search", {"q": "不存在的地方名字啊"}).data == []


@pytest.mark.parametrize(("query", "message"), [
    ("", "Type a place to look for: a street, a junction, a house number or a named place."),
    ("q=", "Type a place to look for: a street, a junction, a house number or a named place."),
    ("q=%20%20", "Type a place to look for: a street, a junction, a house number or a named place."),
    ("q=!!", "Type a place to look for: a street, a junction, a house number or a named place."),
    ("q=" + "路" * 500, "A place to look for is at most 100 characters."),
    ("q=路&limit=0", "Ask for 1 to 20 places."),
    ("q=路&limit=21", "Ask for 1 to 20 places."),
    ("q=路&limit=x", "Ask for 1 to 20 places."),
])
def test_search_refuses_bad_input_with_a_message(as_, query, message):
    response = as_("dispatcher").get(f"/api/v1/places/search?{query}")
    assert (response.status_code, response.data) == (400, {"detail": message})


def test_reverse_gives_the_address_of_a_point(as_):
    response = as_("officer").get(f"/api/v1/places/reverse?{SQUARE}")
    assert response.status_code == 200
    assert {key: response.data[key] for key in ("address", "street", "street_distance_m", "lon", "lat")} == {
        "address": "延安东路与西藏南路交叉口", "street": "延安东路", "street_distance_m": 5.6, "lon": 121.4737,
        "lat": 31.2304}
    assert {key: response.data["nearest"][key] for key in ("name", "kind", "distance_m")} == {
        "name": "延安东路与西藏南路交叉口", "kind": "junction", "distance_m": 30.5}


def test_reverse_in_chinese_writes_the_address_in_chinese(as_):
    f.KeySiteFactory(code="K01", name="人民广场", lon=121.4696, lat=31.2316)
    client = as_("dispatcher")
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert client.get("/api/v1/places/reverse?lon=121.4696&lat=31.2316").data["address"] == "人民大道（人民广场附近）"


def test_locate_names_the_zone_key_site_and_target(as_):
    zone = f.ZoneFactory(code="Z01", name="人民广场网格", name_en="People's Square grid", response_class="city_centre")
    site = f.KeySiteFactory(code="K01", name="人民广场", name_en="People's Square", kind="square", lon=121.4737,
                            lat=31.2304)
    response = as_("dispatcher").get(f"/api/v1/places/locate?{SQUARE}")
    assert (response.status_code, response.data) == (200, {
        "lon": 121.4737, "lat": 31.2304, "target_s": 60, "target_label": "Key site: 60 s target",
        "zone": {"id": zone.pk, "code": "Z01", "name": "People's Square grid", "response_class": "city_centre",
                 "response_class_label": "City centre (3 minutes)"},
        "key_site": {"id": site.pk, "code": "K01", "name": "People's Square", "kind": "square", "kind_label": "Square"}})


def test_locate_outside_any_zone_has_the_other_areas_target(as_):
    response = as_("supervisor").get(f"/api/v1/places/locate?{SQUARE}")
    assert (response.data["zone"], response.data["key_site"], response.data["target_s"], response.data["target_label"]) == (
        None, None, 300, "Other areas: 300 s target")


@pytest.mark.parametrize("endpoint", ["reverse", "locate"])
@pytest.mark.parametrize(("query", "message"), [
    ("", "Give the point as two numbers, longitude and latitude."),
    ("lon=121.47", "Give the point as two numbers, longitude and latitude."),
    ("lon=east&lat=31.23", "Give the point as two numbers, longitude and latitude."),
    ("lon=nan&lat=31.23", "Give the point as two numbers, longitude and latitude."),
    ("lon=1e999&lat=31.23", "Give the point as two numbers, longitude and latitude."),
    ("lon=200&lat=31.23", "Longitude must lie in [-180, 180] and latitude in [-90, 90]."),
    (f"lon={FAR_EAST[0]}&lat={FAR_EAST[1]}", "The point (121.900000, 31.230000) is outside the served area."),
])
def test_a_point_must_be_two_numbers_inside_the_served_area(as_, endpoint, query, message):
    response = as_("dispatcher").get(f"/api/v1/places/{endpoint}?{query}")
    assert (response.status_code, response.data) == (400, {"detail": message})
