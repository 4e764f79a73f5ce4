"""Importing a road network: what the row records, the ODbL notice beside the datasets, a re-import
that builds nothing, bad files that leave the serving network alone, and a second real city."""
import json
import random
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from grid import travel
from grid.geometry import distance_m
from grid.models import RoadNetwork, ServedArea
from grid.osm import ExtractError, file_sha256
from grid.roads import dataset_path, road_network_import
from tests.places import HELSINKI, LUJIAZUI, PEOPLES_SQUARE
from tests.plugins.roads import quiet, road_data_dir

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.usefixtures("fresh_engines")]

MANNERHEIMINTIE = (24.9384, 60.1699)  # on the road
KLUUVI = (24.9500, 60.1700)            # 640 m east, across the centre's one-way streets


@pytest.fixture(scope="module")
def road_dir(tmp_path_factory):
    """A folder of this module's own: these tests build, break and add road files, so the demo
    network is imported (built) here rather than shared with the run."""
    with road_data_dir(tmp_path_factory.mktemp("own-roads")) as path:
        yield path


def snapshot(folder: Path) -> dict:
    """Every file under the folder with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


class TestTheDemoImport:
    def test_the_row_describes_the_extract(self, demo_network):
        network = RoadNetwork.objects.get()
        assert network.pk == demo_network.pk and network.active
        assert (network.name, network.sha256) == ("shanghai_center.osm.pbf", file_sha256(django_settings.ROAD_NETWORK))
        assert (network.nodes, network.ways, network.roads, network.named_roads, network.road_km) == (
            21786, 4701, 4701, 818, 973.3)
        assert (network.min_lon, network.min_lat, network.max_lon, network.max_lat) == (
            121.4092739, 31.1788495, 121.5520316, 31.2785296)
        assert network.profiles == ["car", "foot", "bicycle"]
        assert network.max_speed_kmh == 98.0  # the fastest segment, from OSRM's own tiles
        timed = {"CH": network.measurements["table_500x1_ch_ms"], "MLD": network.measurements["table_500x1_mld_ms"]}
        # the choice is made on unrounded seconds; the stored figures are rounded to 0.1 ms and may tie
        assert timed[network.algorithm] == min(timed.values())

    def test_its_outline_becomes_the_served_area(self, demo_network):
        served, network = ServedArea.objects.get(), RoadNetwork.objects.get()
        assert (served.polygon, served.source) == (network.outline, f"road network {network.sha256[:12]}")

    def test_the_odbl_notice_is_written_beside_the_datasets(self, demo_network):
        folder = dataset_path(demo_network)
        notice = (folder / "ATTRIBUTION-ODbL.txt").read_text()
        assert notice.startswith(
            "Map data (c) OpenStreetMap contributors, available under the Open Database License (ODbL) 1.0\n")
        assert f"shanghai_center.osm.pbf (sha256 {demo_network.sha256})" in notice
        source = Path(django_settings.ROAD_NETWORK).parent / "ATTRIBUTION-ODbL.txt"
        assert (folder / "ATTRIBUTION-source.txt").read_text() == source.read_text()
        roads = json.loads((folder / "roads.json").read_text())
        assert (roads["attribution"], len(roads["roads"])) == ("© OpenStreetMap contributors, ODbL 1.0", 4701)

    def test_a_reimport_builds_nothing(self, demo_network):
        before = snapshot(dataset_path(demo_network))
        network, built = road_network_import(path=django_settings.ROAD_NETWORK, progress=quiet)
        assert (network.pk, built) == (demo_network.pk, False)
        assert RoadNetwork.objects.count() == 1
        assert snapshot(dataset_path(demo_network)) == before


class TestBadFiles:
    """A file that cannot serve leaves the active network, its row and its files exactly as they were."""

    @pytest.fixture
    def serving(self, demo_network, road_dir):
        yield snapshot(road_dir)

    @pytest.mark.parametrize(("name", "content", "message"), [
        ("noise.osm.pbf", random.Random(7).randbytes(4096),
         "noise.osm.pbf is not a readable OpenStreetMap file: PBF error: invalid BlobHeader size (> max_blob_header_size)"),
        ("empty.osm.pbf", b"",
         "empty.osm.pbf is not a readable OpenStreetMap file: PBF error: blob contains no data or unknown compression method"),
        ("notes.osm", b"roads: many\n",
         "notes.osm is not a readable OpenStreetMap file: XML parsing error at line 1, column 0: syntax error"),
        ("notes.txt", b"roads: many\n",
         "notes.txt: expected an OpenStreetMap extract (.osm.pbf, .pbf, .osm, .osm.bz2, .osm.gz)"),
    ])
    def test_is_refused_and_the_previous_network_keeps_serving(self, serving, demo_network, road_dir, tmp_path,
                                                               name, content, message):
        bad = tmp_path / name
        bad.write_bytes(content)
        with pytest.raises(ExtractError) as refused:
            road_network_import(path=bad, progress=quiet)
        assert str(refused.value) == message
        self.assert_untouched(serving, demo_network, road_dir)

    def test_a_missing_file(self, serving, demo_network, road_dir, tmp_path):
        with pytest.raises(ExtractError) as refused:
            road_network_import(path=tmp_path / "gone.osm.pbf", progress=quiet)
        assert str(refused.value) == f"{tmp_path / 'gone.osm.pbf'}: no such file"
        self.assert_untouched(serving, demo_network, road_dir)

    def test_the_command_says_the_previous_network_stays(self, serving, demo_network, road_dir, tmp_path):
        bad = tmp_path / "empty.osm.pbf"
        bad.write_bytes(b"")
        with pytest.raises(CommandError) as refused:
            call_command("import_roads", str(bad))
        assert str(refused.value).endswith(" — the previous road network, if any, stays in place")
        self.assert_untouched(serving, demo_network, road_dir)

    @staticmethod
    def assert_untouched(serving, demo_network, road_dir):
        assert list(RoadNetwork.objects.values_list("pk", "active")) == [(demo_network.pk, True)]
        assert snapshot(road_dir) == serving  # no half-built folder left behind either
        assert 330 <= travel.route(PEOPLES_SQUARE, LUJIAZUI).duration_s <= 420


class TestASecondCity:
    def test_helsinki_imports_routes_and_becomes_the_active_network(self, demo_network):
        helsinki, built = road_network_import(path=HELSINKI, progress=quiet)
        travel.engines.reset()
        assert built is True
        assert list(RoadNetwork.objects.filter(active=True)) == [helsinki]
        assert (helsinki.roads, helsinki.sha256) == (937, file_sha256(HELSINKI))
        helsinki.refresh_from_db()
        assert ServedArea.objects.get().polygon == helsinki.outline
        assert dataset_path(demo_network).is_dir()  # the demo's datasets stay for a switch back

        found = travel.route(MANNERHEIMINTIE, KLUUVI)
        assert found.estimated is False
        assert {"Kaivokatu", "Yliopistonkatu"} <= {step["name"] for step in found.steps}
        assert distance_m(*found.geometry["coordinates"][0], *MANNERHEIMINTIE) < 1.0
        # One-way streets make it twice the straight line; city-centre speeds, not a motorway's.
        assert 1000 < found.distance_m < 1500
        assert 8 < found.distance_m / found.duration_s * 3.6 < 50
        assert travel.durations_to(KLUUVI, [MANNERHEIMINTIE])[0].duration_s == pytest.approx(found.duration_s, abs=1.0)
        with pytest.raises(travel.OffNetwork):  # Shanghai is now off the network
            travel.snap(*PEOPLES_SQUARE)
