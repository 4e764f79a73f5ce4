"""The browser tests' world: Debian's Chromium driven by Playwright, the site served by uvicorn on
loopback against the test's database (or Django's live server), a real Celery worker, the demo road
network built once per run (tests/plugins/roads.py), and a small city with a crew on duty."""
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from command.embedded import free_port, wait_for_port
from command.serving import uvicorn_env
from common.roles import Role
from grid import travel
from grid.models import RoadNetwork
from grid.roads import road_network_import
from platforms import positions
from tests import factories as f
from tests.dispatch.test_worker import Worker, database_url_of_this_run
from tests.e2e.support import ARTIFACTS, CHROMIUM_ARGS, POSTED
from tests.plugins.roads import quiet


@pytest.fixture
def chromium(monkeypatch):
    """Headless Chromium. Playwright's sync API runs an event loop in this thread and the tests read
    the database between steps, which Django allows only with DJANGO_ALLOW_ASYNC_UNSAFE."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_errors():
    """Script errors of every page a test watches (`support.watch`); each test asserts none."""
    return []


@pytest.fixture
def road_network(transactional_db, settings, built_roads):
    """The demo road network, active: its files built once per run, its row made for this test."""
    road_dir, fields = built_roads
    settings.ROAD_DATA_DIR = road_dir  # where uvicorn and the worker (tests.dispatch.test_worker.Worker) read too
    travel.engines.reset()
    RoadNetwork.objects.create(**fields)
    road_network_import(path=settings.ROAD_NETWORK, progress=quiet)
    yield road_dir
    travel.engines.reset()


@pytest.fixture
def asgi_server(road_network):
    """uvicorn serving command.asgi on loopback against this test's database."""
    with serving(road_network) as url:
        yield url


@contextmanager
def serving(road_dir):
    """One uvicorn process on a free loopback port, stopped (its whole group) on leaving."""
    port = free_port()
    env = uvicorn_env({**os.environ, "DATABASE_URL": database_url_of_this_run(), "REDIS_URL": settings.REDIS_URL,
                       "ROAD_DATA_DIR": str(road_dir), "PYTHONUNBUFFERED": "1"})
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "command.asgi:application", "--host", "127.0.0.1",
                                "--port", str(port), "--ws", "websockets", "--log-level", "warning"],
                               env=env, cwd=settings.BASE_DIR, start_new_session=True)
    try:
        wait_for_port(port, name="uvicorn")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, 15)
        process.wait(20)


@pytest.fixture
def worker(tmp_path, road_network):
    """A real Celery worker (with beat) ranking on the same road network as the server."""
    from command.celery import app as celery_app

    celery_app.control.purge()
    started = Worker(tmp_path, ACK_TIMEOUT_S="600", ROAD_DATA_DIR=str(road_network)).start()
    yield started
    started.stop()
    celery_app.control.purge()


@pytest.fixture
def city(transactional_db, settings):
    """People's Square's platform and zone, a must-patrol point, and its crew 人广01 posted nearby with
    its officer (`tablet-officer`); a dispatcher (`wall-dispatcher`). Yields the unit."""
    # The server checks passwords with the real hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    positions.avl_wipe()
    platform = f.PlatformFactory(code="P01", name="人民广场平台")
    f.ZoneFactory(platform=platform, code="Z01", name="人民广场网格", min_cover_units=0)
    f.PatrolPointFactory(platform=platform, code="PP01", name="西藏中路口", lon=121.4760, lat=31.2330)
    unit = f.UnitFactory(platform=platform, call_sign="人广01", capabilities=["patrol", "traffic"])
    person = f.OfficerFactory(platform=platform, squad=unit.shift.squad, name="李警官",
                              user=f.UserFactory(username="tablet-officer"))
    unit.officers.add(person)
    f.membership(person.user, Role.OFFICER)
    f.membership(f.UserFactory(username="wall-dispatcher"), Role.DISPATCHER)
    result = positions.fixes_accept(fixes=[positions.Fix(unit_id=unit.pk, lon=POSTED[1], lat=POSTED[0],
                                                         at=positions.timezone.now())], source="test")
    assert result.accepted == 1
    yield unit
    positions.avl_wipe()
