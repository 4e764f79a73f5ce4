"""The AVL tasks run by Celery beat: registered under the names the schedule gives, idempotent,
quiet when there is nothing to do."""
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from command.celery import app
from platforms import positions, tasks, trackers
from platforms.models import TrackPoint, Unit
from platforms.positions import Fix
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_live_picture")]


def test_the_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    avl = {name: entry for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if name.startswith("avl-")}
    assert {name: (entry["task"], entry["schedule"]) for name, entry in avl.items()} == {
        "avl-track-flush": ("platforms.tasks.track_flush", 2.0),
        "avl-stale-sweep": ("platforms.tasks.stale_sweep", 15.0),
        "avl-track-prune": ("platforms.tasks.track_prune", 86400.0),
    }
    assert all(entry["task"] in app.tasks for entry in avl.values())


def test_flush_task_twice_and_with_nothing_waiting():
    unit = f.UnitFactory()
    stamp = (timezone.now() - timedelta(seconds=3)).replace(microsecond=0)
    positions.fixes_accept(fixes=[Fix(unit_id=unit.pk, lon=121.48, lat=31.235, at=stamp)], source="ws")
    assert [tasks.track_flush.apply().get() for _ in range(2)] == [1, 0]
    assert list(TrackPoint.objects.values_list("unit", "at")) == [(unit.pk, stamp)]


def test_flush_task_returns_quietly_while_another_worker_flushes():
    unit = f.UnitFactory()
    positions.fixes_accept(fixes=[Fix(unit_id=unit.pk, lon=121.48, lat=31.235, at=timezone.now())], source="ws")
    held = positions.redis_client().lock(positions.key("flush:lock"), timeout=10)
    assert held.acquire(blocking=False)
    try:
        assert tasks.track_flush.apply().get() == 0
    finally:
        held.release()
    assert tasks.track_flush.apply().get() == 1


def test_prune_task_with_its_days():
    unit = f.UnitFactory()
    now = timezone.now()
    TrackPoint.objects.create(unit=unit, at=now - timedelta(days=3), lon=121.48, lat=31.235)
    TrackPoint.objects.create(unit=unit, at=now - timedelta(hours=1), lon=121.48, lat=31.235)
    assert tasks.track_prune.apply(kwargs={"keep_days": 2}).get() == 1
    assert tasks.track_prune.apply(kwargs={"keep_days": 2}).get() == 0
    assert TrackPoint.objects.count() == 1


def test_stale_sweep_task_names_the_quiet_units():
    quiet = f.UnitFactory(lon=None, lat=None)
    assert tasks.stale_sweep.apply().get() == [quiet.pk]
    assert positions.stale_units().unit_ids == [quiet.pk]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)   # the worker's own connection must see the unit
def test_a_real_worker_and_beat_move_a_traccar_fix_into_postgresql(tmp_path):
    """A Traccar Client request, then a real `celery worker -B`: beat's flush brings the fix to the
    unit's row and the track with no call from the test."""
    unit = f.UnitFactory(lon=None, lat=None)
    device = trackers.tracker_register(actor=None, identifier=unit.vehicle.gps_device_id, vehicle=unit.vehicle)
    sent = int(time.time()) - 2
    response = Client().get("/osmand/", {"id": unit.vehicle.gps_device_id, "key": device.secret, "lat": "31.2400",
                                         "lon": "121.4903", "timestamp": str(sent)})
    assert response.status_code == 200
    worker = _start_worker(tmp_path)
    try:
        deadline = time.monotonic() + 60   # a bound on waiting, not a speed assertion
        while time.monotonic() < deadline and not Unit.objects.filter(pk=unit.pk, last_fix_at__isnull=False).exists():
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    unit.refresh_from_db()
    assert (unit.lon, unit.lat, unit.last_fix_at.timestamp()) == (121.4903, 31.24, sent)
    assert list(TrackPoint.objects.values_list("unit", "lon", "lat")) == [(unit.pk, 121.4903, 31.24)]
    assert positions.avl_stats()["track_backlog"] == 0


def _start_worker(tmp_path) -> subprocess.Popen:
    parts = urlsplit(os.environ["DATABASE_URL"])
    env = {**os.environ, "DATABASE_URL": urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"])),
           "REDIS_URL": settings.REDIS_URL}
    command = [sys.executable, "-m", "celery", "-A", "command", "worker", "-B", "-s", str(tmp_path / "beat"),
               "--concurrency", "1", "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat",
               "-n", f"avl-test-{os.getpid()}@localhost"]
    log = open(tmp_path / "worker.log", "ab")
    return subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True, cwd=settings.BASE_DIR)
