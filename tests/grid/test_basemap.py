"""The offline basemap: vector tiles of the imported roads, their URL's answers, and the console's choice."""
import gzip
import io
import json

import pytest
import shapely
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from grid import basemap
from grid.models import RoadNetwork
from grid.roads import dataset_path

PEOPLES_SQUARE_Z15 = (15, 27440, 13389)
URL = "/basemap/{}/{}/{}.json"


@pytest.fixture(scope="module")
def imported(tmp_path_factory, django_db_setup, django_db_blocker):
    """The demo extract imported once for the module (~10 s). Its files stay in a folder of the
    module's; its row is rolled back here and re-inserted in each test's own transaction."""
    folder = tmp_path_factory.mktemp("roads")
    with override_settings(ROAD_DATA_DIR=folder), django_db_blocker.unblock(), transaction.atomic():
        call_command("import_roads", stdout=io.StringIO())
        row = RoadNetwork.objects.filter(active=True).values().get()
        transaction.set_rollback(True)
    basemap.forget_road_layers()
    return folder, row


@pytest.fixture
def network(imported, settings, db):
    folder, row = imported
    settings.ROAD_DATA_DIR = folder
    return RoadNetwork.objects.create(**row)


@pytest.fixture
def dispatcher_client(client, dispatcher):
    client.force_login(dispatcher)
    return client


def tile_of(z, x, y) -> dict:
    return json.loads(gzip.decompress(basemap.tile_ref(z=z, x=x, y=y).gzipped()))


def roads_json(network) -> list:
    return json.loads((dataset_path(network) / "roads.json").read_text())["roads"]


class TestTiles:
    def test_peoples_square_holds_its_streets_with_their_class(self, network):
        tile = tile_of(*PEOPLES_SQUARE_Z15)
        streets = {(highway, name) for highway, name, _ in tile["roads"]}
        assert tile["extent"] == 4096
        assert {("tertiary", "人民大道"), ("secondary", "西藏中路")} <= streets

    def test_coordinates_are_whole_tile_pixels_clipped_to_the_extent_and_its_buffer(self, network):
        lines = [line for _, _, parts in tile_of(*PEOPLES_SQUARE_Z15)["roads"] for line in parts]
        xs = [v for line in lines for v in line[0::2]]
        ys = [v for line in lines for v in line[1::2]]
        assert all(isinstance(v, int) for v in xs + ys)
        assert all(len(line) >= 4 and len(line) % 2 == 0 for line in lines)
        # Streets run through all four edges of the square: each is cut at the 128 px buffer.
        assert (min(xs), max(xs), min(ys), max(ys)) == (-128, 4096 + 128, -128, 4096 + 128)

    def test_exactly_the_roads_crossing_the_tile_and_its_buffer(self, network):
        z, x, y = PEOPLES_SQUARE_Z15
        pad = basemap.BUFFER / basemap.EXTENT
        west, _, _, north = basemap.tile_bounds_lon_lat(z, x - pad, y - pad)  # Mercator keeps boxes boxes
        _, south, east, _ = basemap.tile_bounds_lon_lat(z, x + pad, y + pad)
        crossing = {(h, name) for name, h, coords in roads_json(network)
                    if shapely.LineString(coords).intersects(shapely.box(west, south, east, north))}
        streets = {(h, name) for h, name, _ in tile_of(z, x, y)["roads"]}
        assert streets == crossing
        assert len(streets) == 55

    def test_side_streets_wait_for_closer_zooms(self, network):
        def classes(z, lon=121.4737, lat=31.2304):
            x, y = basemap.mercator(lon, lat)
            return {h for h, _, _ in tile_of(z, int(x * 2 ** z), int(y * 2 ** z))["roads"]}

        assert "residential" not in classes(13) and "tertiary" in classes(13)
        assert "residential" in classes(15)
        assert classes(11) <= {"primary", "primary_link"}

    def test_a_tile_beyond_the_network_is_empty_and_loads_no_roads(self, network):
        basemap.forget_road_layers()
        assert tile_of(15, 0, 0) == {"extent": 4096, "roads": []}
        assert basemap._layers == {}
        assert tile_of(15, 27400, 13389) == {"extent": 4096, "roads": []}  # 4 km west of the extract

    def test_the_index_is_rebuilt_for_another_network(self, network):
        first = basemap.road_layer(network.sha256, network.dataset_dir)
        assert basemap.road_layer(network.sha256, network.dataset_dir) is first
        assert basemap.road_layer("0" * 64, network.dataset_dir) is not first


@pytest.mark.django_db
class TestTileUrl:
    def test_dispatcher_gets_the_tile_gzipped_with_caching_headers(self, network, dispatcher_client):
        response = dispatcher_client.get(URL.format(*PEOPLES_SQUARE_Z15), {"v": network.sha256[:12]},
                                         HTTP_ACCEPT_ENCODING="gzip, deflate")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Encoding"] == "gzip"
        assert response["ETag"] == f'"{network.sha256[:16]}-15-27440-13389"'
        assert response["Cache-Control"] == "private, max-age=31536000, immutable"
        assert "Accept-Encoding" in response["Vary"]
        assert json.loads(gzip.decompress(response.content)) == tile_of(*PEOPLES_SQUARE_Z15)

    def test_a_client_without_gzip_gets_plain_json(self, network, dispatcher_client):
        response = dispatcher_client.get(URL.format(*PEOPLES_SQUARE_Z15))
        assert "Content-Encoding" not in response
        assert response.json() == tile_of(*PEOPLES_SQUARE_Z15)

    def test_a_url_without_the_current_version_must_revalidate(self, network, dispatcher_client):
        for query in ({}, {"v": "000000000000"}):
            assert dispatcher_client.get(URL.format(*PEOPLES_SQUARE_Z15), query)["Cache-Control"] == "private, no-cache"

    def test_a_matching_etag_answers_304_without_a_body(self, network, dispatcher_client):
        etag = dispatcher_client.get(URL.format(*PEOPLES_SQUARE_Z15))["ETag"]
        again = dispatcher_client.get(URL.format(*PEOPLES_SQUARE_Z15), HTTP_IF_NONE_MATCH=etag)
        other = dispatcher_client.get(URL.format(15, 27441, 13389), HTTP_IF_NONE_MATCH=etag)
        assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
        assert other.status_code == 200

    def test_an_empty_tile_outside_the_network(self, network, dispatcher_client):
        response = dispatcher_client.get(URL.format(15, 0, 0))
        assert (response.status_code, response.json()) == (200, {"extent": 4096, "roads": []})

    @pytest.mark.parametrize("zxy", [(10, 857, 418), (19, 0, 0), (15, 32768, 0), (15, 0, 32768),
                                     (11, 99999999999999999999, 0)])
    def test_a_tile_that_cannot_exist_is_404(self, network, dispatcher_client, zxy):
        response = dispatcher_client.get(URL.format(*zxy))
        assert response.status_code == 404
        z, x, y = zxy
        assert response.json() == {"detail": f"No tile {z}/{x}/{y}: zoom is 11-18, x and y 0 to 2^zoom - 1."}

    def test_negative_numbers_are_not_a_tile_url(self, network, dispatcher_client):
        assert dispatcher_client.get("/basemap/15/-1/0.json").status_code == 404

    def test_no_network_imported_is_404_saying_so(self, dispatcher_client):
        response = dispatcher_client.get(URL.format(*PEOPLES_SQUARE_Z15))
        assert response.status_code == 404
        assert response.json() == {"detail": "No road network is imported: run `manage.py import_roads`."}

    def test_a_stranger_is_sent_to_log_in(self, network, client):
        response = client.get(URL.format(*PEOPLES_SQUARE_Z15))
        assert (response.status_code, response.url) == (302, f"/login/?next={URL.format(*PEOPLES_SQUARE_Z15)}")

    @pytest.mark.parametrize("persona", ["dispatcher", "supervisor", "officer", "clerk", "administrator"])
    def test_every_role_may_read_the_map(self, network, client, persona, request):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(URL.format(*PEOPLES_SQUARE_Z15)).status_code == 200

    def test_a_login_without_a_role_may_not(self, network, client, outsider):
        client.force_login(outsider)
        assert client.get(URL.format(*PEOPLES_SQUARE_Z15)).status_code == 403


@pytest.mark.django_db
class TestConsoleChoosesItsBasemap:
    def test_our_tiles_by_default(self, network, dispatcher_client):
        response = dispatcher_client.get("/console/")
        assert response.context["map_data"]["basemap"] == {
            "url": f"/basemap/{{z}}/{{x}}/{{y}}.json?v={network.sha256[:12]}", "min_zoom": 11, "max_zoom": 18,
            "bounds": [network.min_lon, network.min_lat, network.max_lon, network.max_lat],
            "attribution": "© OpenStreetMap contributors (ODbL)"}
        assert "data-tiles" not in response.content.decode()

    def test_a_configured_tile_server_instead(self, network, dispatcher_client, settings):
        settings.MAP_TILE_URL = "https://gis.police.example/tiles/{z}/{x}/{y}.png"
        html = dispatcher_client.get("/console/").content.decode()
        assert 'data-tiles="https://gis.police.example/tiles/{z}/{x}/{y}.png"' in html
        assert 'data-attribution="© OpenStreetMap contributors (ODbL)"' in html
        assert '"basemap"' not in html

    def test_no_basemap_before_roads_are_imported(self, dispatcher_client):
        response = dispatcher_client.get("/console/")
        assert response.context["map_data"]["basemap"] is None


@pytest.mark.django_db
def test_the_benchmark_measures_every_tile_of_the_city(network):
    out = io.StringIO()
    call_command("bench", "basemap", "--zooms", "13", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["network"] == network.sha256[:12]
    assert (result["z13"]["tiles"], result["z13"]["samples"]) == (12, 300)
    assert set(result["z13"]["vector_json_4096"]) == {"p50_ms", "p99_ms", "p50_bytes", "p99_bytes", "total_kb",
                                                      "uncompressed_p50_bytes"}
