"""The fault drill (issue 19, the checks that keep it so): under a steady stream of calls and fixes over
real HTTP (uvicorn and a Celery worker with beat, as in production), the worker is killed in the middle
of a dispatch, Valkey is restarted, then PostgreSQL. Afterwards every call the API accepted is dispatched
exactly once, every fix it accepted is stored, and /healthz told the truth throughout (JSON, naming
what was down). Runs on the test run's own servers (tests/harness.py); a minute or two."""
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from command.celery import app as celery_app
from command.embedded import free_port, wait_for_port
from dispatch.models import Assignment, EventKind, IncidentEvent
from platforms import positions, tracks
from platforms.models import TrackPoint
from platforms.positions import redis_client
from tests import factories as f
from tests.dispatch.test_worker import Worker, database_url_of_this_run, wait_for
from tests.faults import drill

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow,
              pytest.mark.skipif(bool(os.environ.get("CI_EXTERNAL_SERVICES")), reason="needs the run's own servers")]
SQUARE = (121.4737, 31.2304)


@pytest.fixture
def crews(db):
    """45 crews on duty around People's Square, each with a fix; a dispatcher's token."""
    positions.avl_wipe()
    platform = f.PlatformFactory(code="P01")
    f.ZoneFactory(platform=platform, min_cover_units=0)
    units = []
    for n in range(45):
        lon, lat = SQUARE[0] + 0.0004 * (n % 9), SQUARE[1] + 0.0004 * (n // 9)
        unit = f.UnitFactory(platform=platform, status="available", capabilities=["patrol", "traffic"])
        positions.fixes_accept(fixes=[positions.Fix(unit_id=unit.pk, lon=lon, lat=lat, at=timezone.now())], source="test")
        units.append((unit.pk, lon, lat))
    user = f.UserFactory(username="drill-dispatcher")
    f.membership(user, "dispatcher")
    yield units, Token.objects.create(user=user).key
    positions.avl_wipe()


@pytest.fixture
def web():
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url_of_this_run(), "REDIS_URL": settings.REDIS_URL,
           "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "command.asgi:application", "--host", "127.0.0.1",
                                "--port", str(port), "--log-level", "warning"], env=env, cwd=settings.BASE_DIR,
                               start_new_session=True)
    try:
        wait_for_port(port, name="uvicorn")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, 15)
        process.wait(20)


@pytest.fixture
def workers(tmp_path):
    """Starts Celery workers (with beat), each in a folder of its own; every one stopped at the end."""
    started = []

    def start(name, **env):
        (tmp_path / name).mkdir()
        started.append(Worker(tmp_path / name, ACK_TIMEOUT_S="600", **env).start())
        return started[-1]

    celery_app.control.purge()
    yield start
    for worker in started:
        worker.stop()
    celery_app.control.purge()


def test_the_fault_drill(crews, web, workers):
    if not (drill.RUN_DIR / "postgres").exists():
        pytest.skip("DATABASE_URL points elsewhere: the drill restarts the run's own servers only")
    units, token = crews
    slow = workers("a", DISPATCH_FAULT_PAUSE_S="3").wait_ready()
    caller = drill.Caller(web, token, [(lon, lat) for _, lon, lat in units])
    reporter = drill.Reporter(web, token, units[:10])
    health, outages = drill.Health(web), drill.Outages()
    streams = [drill.Stream(caller, 1.5), drill.Stream(reporter, 1.0), drill.Stream(health, 0.5)]
    for stream in streams:
        stream.start()
    try:
        _faults(slow, workers, outages)
    finally:
        for stream in streams:
            stream.stop()
    connection.close()  # the test's own connection did not survive the restart
    for _ in range(30):  # calls refused while something was down are sent again with their own keys
        if not caller.pending:
            break
        caller.retry_pending()
        time.sleep(1)
    _recovered(caller, reporter, health, outages)


def _faults(slow, workers, outages):
    """The worker killed while it holds a dispatch (acks late: the task sits in the broker's unacked set;
    it pauses 3 s between ranking and deciding), another started; then Valkey, then PostgreSQL restarted."""
    time.sleep(3)
    wait_for(lambda: redis_client().hlen("unacked") >= 1, 120, "the worker to take a dispatch")
    time.sleep(1)
    slow.kill()
    workers("b")
    time.sleep(8)
    drill.valkey_restart(outages, down_s=6)
    time.sleep(8)
    drill.postgres_restart(outages, down_s=6)
    time.sleep(8)


def _recovered(caller, reporter, health, outages):
    accepted = sorted(caller.accepted.values())
    assert len(accepted) >= 10 and not caller.pending, (caller.answers, caller.pending)
    wait_for(lambda: Assignment.objects.filter(incident_id__in=accepted).values("incident").distinct().count()
             == len(accepted), 180, "every accepted call to be dispatched")
    time.sleep(3)  # anything dispatched twice would show by now
    per_incident = {pk: Assignment.objects.filter(incident_id=pk).count() for pk in accepted}
    assigned = {pk: IncidentEvent.objects.filter(incident_id=pk, kind=EventKind.ASSIGNED).count() for pk in accepted}
    assert set(per_incident.values()) == {1} and set(assigned.values()) == {1}, (per_incident, assigned)
    wait_for(lambda: tracks.track_flush() >= 0 and positions.avl_stats()["track_backlog"] == 0, 120, "the track flush")
    stored = set(TrackPoint.objects.filter(unit_id__in={unit for unit, _ in reporter.accepted})
                 .values_list("unit_id", "at"))
    assert reporter.accepted and reporter.accepted <= stored, len(reporter.accepted - stored)
    _health_told_the_truth(health, outages)


def _health_told_the_truth(health, outages):
    """Every /healthz answered in JSON; each answer whose truth can be said (sent and answered while
    nothing was changing) is 200 with nothing down, or 503 naming exactly what was down."""
    assert all(status in (200, 503) and down is not None for _, _, status, down in health.seen), health.seen
    judged = {"healthy": 0, "redis": 0, "database": 0}
    for sent, answered, status, down in health.seen:
        truth = outages.truth(sent, answered)
        if truth is None:
            continue
        assert (status, down) == ((503, truth) if truth else (200, set())), (sent, answered, status, down, outages.spans)
        judged["+".join(sorted(truth)) or "healthy"] += 1
    assert judged["healthy"] >= 5 and judged["redis"] >= 1 and judged["database"] >= 1, judged
