"""The road network the tests share, as a fixture plugin (loaded once by tests/conftest.py).

The demo extract is built once per run (`built_roads`, ~4 s) into a folder of the run's own. Each
module that asks for `demo_network` gets its row in a module transaction rolled back at the end
(like setUpTestData), pointing at that folder: nothing is built again. A module that writes road
files (test_roads) overrides `road_dir` with a folder of its own, and the import then builds there.
Each test's own `db` transaction nests inside the module's as a savepoint."""
import io
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from grid import travel
from grid.models import RoadNetwork
from grid.roads import road_network_import

NETWORK_FIELDS = ("name", "sha256", "dataset_dir", "min_lon", "min_lat", "max_lon", "max_lat", "outline", "nodes",
                  "ways", "roads", "named_roads", "road_km", "profiles", "algorithm", "max_speed_kmh", "build_s",
                  "measurements")


def quiet(line):
    """An import's progress lines, unwanted in test output."""


@contextmanager
def road_data_dir(path):
    """ROAD_DATA_DIR for a whole module (pytest-django's `settings` fixture is per test)."""
    original = django_settings.ROAD_DATA_DIR
    django_settings.ROAD_DATA_DIR = path
    try:
        yield path
    finally:
        django_settings.ROAD_DATA_DIR = original


@pytest.fixture(scope="session")
def built_roads(tmp_path_factory, django_db_setup, django_db_blocker):
    """The demo extract built once for the run: its folder and its network row's fields."""
    path = tmp_path_factory.mktemp("roads")
    with road_data_dir(path), django_db_blocker.unblock(), transaction.atomic():
        network, _ = road_network_import(path=django_settings.ROAD_NETWORK, progress=quiet)
        fields = {name: getattr(network, name) for name in NETWORK_FIELDS}
        transaction.set_rollback(True)
    travel.engines.reset()
    return path, fields


@pytest.fixture(scope="module")
def road_dir(built_roads):
    with road_data_dir(built_roads[0]) as path:
        yield path


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker, road_dir, built_roads):
    """The demo city's road network, active for the module; built only if `road_dir` lacks it."""
    with django_db_blocker.unblock(), transaction.atomic():
        travel.engines.reset()
        RoadNetwork.objects.create(**built_roads[1])
        network, _ = road_network_import(path=django_settings.ROAD_NETWORK, progress=quiet)
        yield network
        transaction.set_rollback(True)
    travel.engines.reset()


@pytest.fixture(scope="module")
def demo_city(demo_network, django_db_blocker):
    """The demo city (zones, key sites, its served area) seeded over the imported network."""
    with django_db_blocker.unblock(), transaction.atomic():
        # the logins' passwords hashed fast, as every test's are (tests/conftest.py): 2.5 s of each seed
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("seed_demo", password="x", days_before=0, days_after=0, stdout=io.StringIO())
        yield demo_network
        transaction.set_rollback(True)


@pytest.fixture
def fresh_engines():
    """Each test sees the active network as its own transaction leaves it."""
    travel.engines.reset()
    yield
    travel.engines.reset()
