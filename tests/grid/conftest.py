"""Worlds the road-network tests share: the demo extract imported once per module into a folder of
its own, and the demo city seeded on top. Their rows live in a module transaction rolled back at the
end (like setUpTestData); each test's own `db` transaction nests inside it as a savepoint."""
import io
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction

from grid import selectors, travel
from grid.roads import road_network_import

PEOPLES_SQUARE = (121.4737, 31.2304)
LUJIAZUI = (121.5030, 31.2380)
IN_THE_RIVER = (121.492, 31.236)     # the Huangpu, 245 m from the nearest road
FAR_EAST = (121.9, 31.23)            # ~40 km east of the extract


@contextmanager
def road_data_dir(path):
    """ROAD_DATA_DIR for a whole module (pytest-django's `settings` fixture is per test)."""
    original = django_settings.ROAD_DATA_DIR
    django_settings.ROAD_DATA_DIR = path
    try:
        yield path
    finally:
        django_settings.ROAD_DATA_DIR = original


def quiet(line):
    """An import's progress lines, unwanted in test output."""


@pytest.fixture(scope="module")
def road_dir(tmp_path_factory):
    with road_data_dir(tmp_path_factory.mktemp("roads")) as path:
        yield path


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker, road_dir):
    """The demo city's road network, imported once for the module (about 8 s) and active."""
    with django_db_blocker.unblock(), transaction.atomic():
        travel.engines.reset()
        network, _ = road_network_import(path=django_settings.ROAD_NETWORK, progress=quiet)
        yield network
        transaction.set_rollback(True)
    travel.engines.reset()


@pytest.fixture(scope="module")
def demo_city(demo_network, django_db_blocker):
    """The demo city (zones, key sites, its served area) seeded over the imported network."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", password="x", days_before=0, days_after=0, stdout=io.StringIO())
        yield demo_network
        transaction.set_rollback(True)



def reread_zones_and_bands():
    """Zones and congestion bands are re-read at most once per selectors.RECHECK_S: re-read them now."""
    selectors.forget_spatial_index()
    with mock.patch.object(selectors, "RECHECK_S", 0):
        travel.congestion_factor(*PEOPLES_SQUARE)


@pytest.fixture
def production_recheck(monkeypatch):
    """An isochrone asks the congestion of each of its ~5,000 points' zones. With the tests' RECHECK_S
    of 0 each ask re-reads the database (3.7 s an isochrone instead of 0.6 s): read once, then keep
    what was read for a second, as production does."""
    reread_zones_and_bands()
    monkeypatch.setattr(selectors, "RECHECK_S", 1.0)
