"""Scale-out on one machine: two web processes and two Celery workers (each with its own beat) against
one PostgreSQL and one Valkey. Calls go to both web processes at once; every call is dispatched once,
and a console connected to one process hears every call taken through the other. Nothing a process
needs lives in another's memory (DESIGN §1), so no sticky sessions are needed."""
import json
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from urllib.request import Request, urlopen

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from common.roles import Role
from dispatch.models import Assignment, Incident, IncidentEvent
from platforms import positions
from tests import factories as f
from tests.dispatch.test_worker import Worker
from tests.e2e.conftest import serving
from tests.e2e.support import wait_for

CALLS = 12
SPOTS = [(121.4737 + 0.001 * n, 31.2304 + 0.0005 * n) for n in range(CALLS)]


@pytest.fixture
def crews(city):
    """Enough crews near People's Square for every call (P2: the engine sends one at once)."""
    units = [f.UnitFactory(platform=city.platform, call_sign=f"扩{n:02d}", capabilities=["patrol", "traffic"])
             for n in range(CALLS)]
    fixes = [positions.Fix(unit_id=unit.pk, lon=lon, lat=lat, at=positions.timezone.now())
             for unit, (lon, lat) in zip(units, SPOTS)]
    assert positions.fixes_accept(fixes=fixes, source="test").accepted == CALLS
    return units


def take_call(url: str, token: str, n: int) -> int:
    lon, lat = SPOTS[n]
    body = json.dumps({"category": "dispute", "priority": 2, "lon": lon, "lat": lat, "address": f"扩容测试{n}"})
    request = Request(f"{url}/api/v1/incidents/", data=body.encode(), method="POST",
                      headers={"Authorization": f"Token {token}", "Content-Type": "application/json",
                               "Idempotency-Key": f"scale-out-{n}"})
    with urlopen(request, timeout=60) as response:
        assert response.status == 201
        return json.loads(response.read())["id"]


def console_socket(url: str, user):
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return connect(url.replace("http://", "ws://") + "/ws/console/", open_timeout=30,
                   additional_headers={"Cookie": cookie, "Origin": url})


def heard_created(socket, wanted: int, timeout_s: float = 60) -> set[int]:
    heard = set()
    while len(heard) < wanted:
        message = json.loads(socket.recv(timeout=timeout_s))
        if message.get("event") == "incident.created":
            heard.add(message["data"]["id"])
    return heard


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_two_web_processes_and_two_workers_dispatch_every_call_once(road_network, city, crews, tmp_path):
    dispatcher = f.UserFactory(username="scale-dispatcher")
    f.membership(dispatcher, Role.DISPATCHER)
    token = Token.objects.create(user=dispatcher).key
    with ExitStack() as stack:
        first, second = (stack.enter_context(serving(road_network)) for _ in range(2))
        for n in range(2):
            (tmp_path / f"w{n}").mkdir()
            worker = Worker(tmp_path / f"w{n}", ACK_TIMEOUT_S="600", ROAD_DATA_DIR=str(road_network)).start()
            stack.callback(worker.stop)
        socket = stack.enter_context(console_socket(second, dispatcher))
        with ThreadPoolExecutor(max_workers=4) as pool:  # both processes take calls at the same time
            taken = list(pool.map(lambda n: take_call(first if n % 2 else second, token, n), range(CALLS)))
        heard = heard_created(socket, CALLS)
        wait_for(lambda: Assignment.objects.count() >= CALLS)
        wait_for(lambda: not Incident.objects.exclude(status="dispatched").exists())

    assert heard == set(taken)  # the console on the second process heard the first process's calls too
    assert sorted(Assignment.objects.values_list("incident_id", flat=True)) == sorted(taken)  # once each
    assert IncidentEvent.objects.filter(kind="assigned").count() == CALLS
    assert len(set(Assignment.objects.values_list("unit_id", flat=True))) == CALLS
