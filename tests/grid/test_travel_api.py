"""The travel API: who may ask, what routes, ETAs, isochrones and the road network look like as JSON,
and every way to ask wrongly answering 400 with the field's name."""
import pytest

from grid import travel
from grid.models import RoadNetwork
from tests.api_support import matrix, readers
from tests.places import FAR_EAST, IN_THE_RIVER, LUJIAZUI, PEOPLES_SQUARE

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.usefixtures("production_recheck", "fresh_engines")]

COMMAND_CENTRE = ("administrator", "dispatcher", "supervisor")
ROUTE = {"from_lon": PEOPLES_SQUARE[0], "from_lat": PEOPLES_SQUARE[1], "to_lon": LUJIAZUI[0], "to_lat": LUJIAZUI[1]}
ISOCHRONE = {"lon": PEOPLES_SQUARE[0], "lat": PEOPLES_SQUARE[1], "seconds": 120}
ETA = {"target": list(LUJIAZUI), "sources": [list(PEOPLES_SQUARE), list(IN_THE_RIVER), list(FAR_EAST)]}
XINTIANDI = (121.4690, 31.2210)
RIVER_MESSAGE = "The point (121.49200, 31.23600) is 245 m from the nearest road (limit 150 m)."


@pytest.fixture
def api(as_, demo_network):
    return as_("dispatcher")


def route(api, **changes):
    return api.get("/api/v1/travel/route", {**ROUTE, **changes})


def eta(api, **changes):
    return api.post("/api/v1/travel/eta", {**ETA, **changes}, format="json")


def isochrone(api, **changes):
    return api.get("/api/v1/travel/isochrone", {**ISOCHRONE, **changes})


class TestPermissions:
    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND_CENTRE, "officer")))
    def test_route_is_for_the_command_centre_and_officers(self, as_, demo_network, persona, code):
        assert route(as_(persona)).status_code == code

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND_CENTRE)))
    def test_eta(self, as_, demo_network, persona, code):
        assert eta(as_(persona)).status_code == code

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND_CENTRE)))
    def test_isochrone(self, as_, demo_network, persona, code):
        assert isochrone(as_(persona)).status_code == code

    @pytest.mark.parametrize(("persona", "code"), matrix(readers(*COMMAND_CENTRE)))
    def test_road_network(self, as_, demo_network, persona, code):
        assert as_(persona).get("/api/v1/road-network").status_code == code


class TestAnswers:
    def test_a_route_with_its_steps(self, api):
        response = route(api)
        assert response.status_code == 200
        data = response.json()
        assert set(data) == {"duration_s", "distance_m", "geometry", "steps", "estimated"}
        assert "人民路隧道" in [step["name"] for step in data["steps"]]
        assert 4000 <= data["distance_m"] <= 4500 and 330 <= data["duration_s"] <= 420
        assert data["geometry"]["type"] == "LineString" and data["estimated"] is False
        assert set(data["steps"][0]) == {"name", "type", "modifier", "distance_m", "duration_s", "location"}

    def test_a_route_on_foot_is_slower(self, api):
        to_xintiandi = {"to_lon": XINTIANDI[0], "to_lat": XINTIANDI[1]}
        walk, drive = route(api, profile="foot", **to_xintiandi).json(), route(api, **to_xintiandi).json()
        assert walk["duration_s"] > 2 * drive["duration_s"]

    def test_etas_with_null_for_sources_off_the_network(self, api):
        response = eta(api)
        assert response.status_code == 200
        leg = travel.durations_to(LUJIAZUI, [PEOPLES_SQUARE])[0]
        assert response.json() == {"durations_s": [round(leg.duration_s, 1), None, None],
                                   "distances_m": [round(leg.distance_m, 1), None, None], "estimated": False}

    def test_no_sources_no_etas(self, api):
        assert eta(api, sources=[]).json() == {"durations_s": [], "distances_m": [], "estimated": False}

    def test_an_isochrone_is_a_geojson_feature(self, api):
        data = isochrone(api).json()
        assert data["type"] == "Feature" and data["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert {k: data["properties"][k] for k in ("seconds", "profile", "estimated")} == {
            "seconds": 120.0, "profile": "car", "estimated": False}
        assert 0 < data["properties"]["reachable"] < data["properties"]["samples"] <= 5000

    def test_the_road_network(self, api, demo_network):
        data = api.get("/api/v1/road-network/").json()
        assert data["attribution"] == "© OpenStreetMap contributors, ODbL 1.0"
        assert (data["name"], data["sha256"], data["roads"], data["named_roads"], data["road_km"]) == (
            "shanghai_center.osm.pbf", demo_network.sha256, 4701, 818, 973.3)
        assert data["bbox"] == [121.4092739, 31.1788495, 121.5520316, 31.2785296]
        assert (data["algorithm"], data["max_speed_kmh"], data["profiles"]) == (
            demo_network.algorithm, 98.0, ["car", "foot", "bicycle"])
        assert set(data) == {"name", "sha256", "bbox", "road_km", "roads", "named_roads", "profiles", "algorithm",
                             "max_speed_kmh", "build_s", "measurements", "imported_at", "attribution"}
        assert data["measurements"]["fast_road_m"] == demo_network.measurements["fast_road_m"]


class TestWithoutANetwork:
    @pytest.fixture(autouse=True)
    def no_network(self, demo_network):
        RoadNetwork.objects.update(active=False)
        travel.engines.reset()

    def test_road_network_is_404(self, api):
        response = api.get("/api/v1/road-network")
        assert (response.status_code, response.json()) == (
            404, {"detail": "No road network is loaded: run `manage.py import_roads`."})

    def test_travel_answers_are_labelled_estimates(self, api):
        assert route(api).json()["estimated"] is True
        assert eta(api).json()["estimated"] is True
        assert isochrone(api).json()["properties"]["estimated"] is True


class TestBadInput:
    """400 with the field's name, never a 500."""

    @pytest.mark.parametrize(("changes", "errors"), [
        ({"from_lat": "NaN"}, {"from_lat": ["A valid number is required."]}),
        ({"to_lon": "inf"}, {"to_lon": ["A valid number is required."]}),
        ({"from_lon": 200}, {"from_lon": ["Ensure this value is less than or equal to 180."]}),
        ({"to_lat": -91}, {"to_lat": ["Ensure this value is greater than or equal to -90."]}),
        ({"profile": "bike"}, {"profile": ['"bike" is not a valid choice.']}),
        ({"from_lon": IN_THE_RIVER[0], "from_lat": IN_THE_RIVER[1]}, {"from_lon": [RIVER_MESSAGE]}),
        ({"to_lon": IN_THE_RIVER[0], "to_lat": IN_THE_RIVER[1]}, {"to_lon": [RIVER_MESSAGE]}),
    ])
    def test_route(self, api, changes, errors):
        response = route(api, **changes)
        assert (response.status_code, response.json()) == (400, errors)

    def test_no_way_across_the_river_on_foot(self, api):
        # The extract has the tunnels and bridges for cars, no crossing a pedestrian may use.
        response = route(api, profile="foot")
        assert (response.status_code, response.json()) == (
            400, {"non_field_errors": ["No foot route joins the two points."]})

    def test_route_missing_its_destination(self, api):
        response = api.get("/api/v1/travel/route", {"from_lon": 121.47, "from_lat": 31.23})
        assert (response.status_code, sorted(response.json())) == (400, ["to_lat", "to_lon"])

    @pytest.mark.parametrize(("changes", "errors"), [
        ({"target": ["east", 31.23]}, {"target": {"0": ["A valid number is required."]}}),
        ({"target": [121.5, 95]}, {"target": ["Longitude must lie in [-180, 180] and latitude in [-90, 90]."]}),
        ({"target": [121.5]}, {"target": ["Ensure this field has at least 2 elements."]}),
        ({"target": list(IN_THE_RIVER)}, {"target": [RIVER_MESSAGE]}),
        ({"sources": [[121.47, 31.23], [121.47, 31.23, 5]]},
         {"sources": {"1": ["Ensure this field has no more than 2 elements."]}}),
        ({"sources": [[121.47, 31.23]] * 5001}, {"sources": ["Ensure this field has no more than 5000 elements."]}),
        ({"sources": "everyone"}, {"sources": ['Expected a list of items but got type "str".']}),
        ({"profile": "bike"}, {"profile": ['"bike" is not a valid choice.']}),
    ])
    def test_eta(self, api, changes, errors):
        response = eta(api, **changes)
        assert (response.status_code, response.json()) == (400, errors)

    def test_eta_with_a_nan_literal(self, api):
        body = '{"target": [121.5, NaN], "sources": []}'
        response = api.post("/api/v1/travel/eta", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("JSON parse error")

    @pytest.mark.parametrize(("changes", "errors"), [
        ({"seconds": 10}, {"seconds": ["Ensure this value is greater than or equal to 30."]}),
        ({"seconds": 1801}, {"seconds": ["Ensure this value is less than or equal to 1800."]}),
        ({"seconds": "NaN"}, {"seconds": ["A valid number is required."]}),
        ({"lat": "NaN"}, {"lat": ["A valid number is required."]}),
        ({"lon": FAR_EAST[0], "lat": FAR_EAST[1]},
         {"lon": ["The point (121.90000, 31.23000) is 33295 m from the nearest road (limit 150 m)."]}),
        ({"profile": "helicopter"}, {"profile": ['"helicopter" is not a valid choice.']}),
    ])
    def test_isochrone(self, api, changes, errors):
        response = isochrone(api, **changes)
        assert (response.status_code, response.json()) == (400, errors)
