"""The dispatch loop through a real Celery worker (with its embedded beat) on the run's PostgreSQL and
Valkey: call → recommendation published → auto-dispatch → no acknowledgement → re-dispatch; and a
worker killed in the middle of a dispatch leaves nothing undispatched once one runs again.

No road network is imported here (the in-process engine tests route on the real map): the worker
ranks by the labelled straight-line estimate, which is all this loop needs."""
import asyncio
import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from command.celery import app as celery_app
from dispatch.models import Assignment, Incident
from platforms.positions import redis_client
from tests import factories as f
from tests.api_support import client_as
from tests.dispatch.support import place

pytestmark = pytest.mark.django_db(transaction=True)

SCENE = (121.4737, 31.2304)
NEAR, FARTHER = (121.4760, 31.2310), (121.4850, 31.2330)


def database_url_of_this_run() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class Worker:
    """`celery worker -B` in its own process group, so a kill takes its pool children too."""

    def __init__(self, tmp_path, **env):
        self.tmp_path, self.env, self.process = tmp_path, env, None

    def start(self):
        env = {**os.environ, "DATABASE_URL": database_url_of_this_run(), "REDIS_URL": settings.REDIS_URL,
               "ACK_TIMEOUT_S": "5", "DISPATCH_RETRY_AFTER_S": "2", "ROAD_DATA_DIR": str(self.tmp_path / "roads"),
               **self.env}
        command = [sys.executable, "-m", "celery", "-A", "command", "worker", "-B", "-s", str(self.tmp_path / "beat"),
                   "--concurrency", "1", "-l", "info", "--without-gossip", "--without-mingle",
                   "--without-heartbeat", "-n", f"test-{os.getpid()}-{time.monotonic_ns()}@localhost"]
        log = open(self.tmp_path / "worker.log", "ab")
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True,
                                        cwd=settings.BASE_DIR)
        self.name = command[-1]
        return self

    def wait_ready(self, timeout_s=120.0):
        """Until the worker answers a ping: a loaded machine may take a while to start it."""
        wait_for(self._pinged, timeout_s, "the worker to start")
        return self

    def _pinged(self) -> list:
        try:
            return celery_app.control.ping(destination=[self.name], timeout=1.0)
        except (RedisError, OperationalError):
            # a pooled connection from before a Valkey restart (the fault drill, on this worker of the
            # run) fails once; the next try reconnects
            return []

    def kill(self):
        """SIGKILL: no warm shutdown, no chance to finish or to give the message back."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(tmp_path):
    celery_app.control.purge()
    started = []

    def start(**env):
        worker = Worker(tmp_path, **env).start()
        started.append(worker)
        return worker.wait_ready()

    yield start
    for worker in started:
        worker.stop()
    celery_app.control.purge()


def wait_for(condition, timeout_s=45.0, what="condition"):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


@pytest.fixture
def console():
    """A console's channel in the city group, as a consumer would hold it."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("console.city", channel)
    yield layer, channel
    async_to_sync(layer.group_discard)("console.city", channel)


def receive_until(console, event, incident_id, timeout_s=90.0):
    """The first `event` about the incident that reaches the console's channel."""
    layer, channel = console
    return async_to_sync(_first)(layer, channel, event, incident_id, timeout_s)


async def _first(layer, channel, event, incident_id, timeout_s):
    async with asyncio.timeout(timeout_s):
        while True:
            message = await layer.receive(channel)
            if message["event"] == event and message["data"].get("incident") == incident_id:
                return message


def test_call_recommendation_auto_dispatch_timeout_and_redispatch(request, workers, console, platform):
    first = place(f.UnitFactory(platform=platform, call_sign="人广01"), NEAR)
    second = place(f.UnitFactory(platform=platform, call_sign="人广02"), FARTHER)
    workers()
    api = client_as(request, "dispatcher")
    response = api.post("/api/v1/incidents/", {"category": "dispute", "priority": 1, "lon": SCENE[0], "lat": SCENE[1]},
                        format="json", HTTP_IDEMPOTENCY_KEY="worker-loop-1")
    assert response.status_code == 201
    incident_id = response.data["id"]
    published = receive_until(console, "incident.recommended", incident_id)
    assert published["data"]["proposed"] == [first.pk] and published["data"]["auto"] is True
    sent = wait_for(lambda: Assignment.objects.filter(incident_id=incident_id).first(), what="the first assignment")
    assert (sent.unit_id, sent.status) == (first.pk, "assigned")
    # Nobody acknowledges: after 5 s the beat's sweep times the order out and the next unit goes.
    redispatched = wait_for(lambda: Assignment.objects.filter(incident_id=incident_id, unit=second).first(),
                            what="the re-dispatch")
    sent.refresh_from_db()
    first.refresh_from_db()
    assert (sent.status, first.status, redispatched.status) == ("timed_out", "unavailable", "assigned")
    kinds = list(Incident.objects.get(pk=incident_id).events.values_list("kind", flat=True))
    assert kinds == ["created", "recommended", "assigned", "ack_timeout", "redispatched", "recommended", "assigned"]


def test_a_worker_killed_mid_dispatch_leaves_no_incident_undispatched(request, workers, platform):
    unit = place(f.UnitFactory(platform=platform), NEAR)
    paused = workers(DISPATCH_FAULT_PAUSE_S="60")
    api = client_as(request, "dispatcher")
    response = api.post("/api/v1/incidents/", {"category": "dispute", "priority": 1, "lon": SCENE[0], "lat": SCENE[1]},
                        format="json")
    incident_id = response.data["id"]
    # The worker has taken the task (acks late: it sits in the broker's unacked set) and is ranking.
    wait_for(lambda: redis_client().hlen("unacked") >= 1, what="the worker to take the task")
    time.sleep(1.0)
    paused.kill()
    assert not Assignment.objects.filter(incident_id=incident_id).exists()
    assert Incident.objects.get(pk=incident_id).status == "received"
    workers()  # back, without the pause: the beat's sweep finds the incident left behind
    sent = wait_for(lambda: Assignment.objects.filter(incident_id=incident_id).first(), what="the dispatch")
    assert sent.unit_id == unit.pk
    time.sleep(3.0)  # another sweep or a redelivered task must not send a second unit
    assert Assignment.objects.filter(incident_id=incident_id).count() == 1
