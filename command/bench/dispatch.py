"""`manage.py bench dispatch`: the time from a call's commit to its recommendation being published on
the channel layer, end to end through Celery and Redis, while a fleet reports its positions.

The bench runs in a world of its own so the dev data, the live map and a running demo are never
touched: a throwaway PostgreSQL database and a Redis database number of their own (broker, channel
layer and live positions), the demo road network imported into its own folder. The parent process
creates them and starts a child (`bench dispatch --child`) whose settings point at them; the child
seeds the fleet, starts a real Celery worker, drives calls and fixes, and listens on the channel
layer like a console. Then the same again with the naive ranking (every on-duty unit routed in one
table) as the baseline, measured in the same run. The parent drops the database at the end.
"""
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from command.bench import world

BENCH_REDIS_DB = 13
CATEGORIES = [("dispute", 3), ("public_order", 3), ("traffic_accident", 2), ("criminal", 1), ("rescue", 1)]


# --- the parent: a world of its own (command.bench.world) -------------------------------------------------------------

def run(*, units: int, rate: float, seconds: float, baseline_seconds: float, seed: int) -> dict:
    arguments = ["--units", str(units), "--rate", str(rate), "--seconds", str(seconds),
                 "--baseline-seconds", str(baseline_seconds), "--seed", str(seed)]
    return world.run_child("dispatch", arguments, redis_db=BENCH_REDIS_DB, env={"ACK_TIMEOUT_S": "3600"})


# --- the child: seed, worker, drive, listen -----------------------------------------------------

def child(*, units: int, rate: float, seconds: float, baseline_seconds: float, seed: int) -> dict:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    fleet = _seed(units, random.Random(seed))
    setup_s = time.perf_counter() - started
    ours = _phase("pruned", fleet, rate=rate, seconds=seconds, seed=seed)
    naive = _phase("full_table", fleet, rate=rate, seconds=baseline_seconds, seed=seed + 1)
    ratio = _p99_ratio(naive, ours)
    return {"units": units, "rate_per_s": rate, "fixes_per_s": round(units / 5), "setup_s": round(setup_s, 1),
            "engine": ours, "baseline_full_table": naive,
            "p99_ratio_baseline_to_engine": round(ratio, 1) if ratio else None,
            "target": "p99 < 100 ms from the intake commit to the recommendation on the channel layer"}


def _p99_ratio(baseline: dict, ours: dict) -> float | None:
    """How many times slower the baseline's p99 is; None when either phase recommended no call in time
    (a baseline swamped at a high call rate answers nothing within the phase: reported, not a crash)."""
    if not baseline["latency_ms"] or not ours["latency_ms"] or not ours["latency_ms"]["p99"]:
        return None
    return baseline["latency_ms"]["p99"] / ours["latency_ms"]["p99"]


def _seed(count: int, rng: random.Random) -> list[tuple[int, float, float]]:
    """An active road network and `count` crewed units on an approved shift at points on the road."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from command.bench.routing import on_road_points
    from grid.roads import road_network_import
    from platforms.models import District, Platform, Shift, Squad, Unit, UnitStatus, Vehicle

    road_network_import(path=settings.ROAD_NETWORK, progress=lambda line: None)
    district = District.objects.create(code="BENCH", name="bench")
    platform = Platform.objects.create(code="BENCH", name="bench", district=district, lon=121.4737, lat=31.2304)
    squad = Squad.objects.create(platform=platform, number=1, name="bench")
    now = timezone.now()
    shift = Shift.objects.create(squad=squad, kind="day", starts_at=now - timedelta(hours=1),
                                 ends_at=now + timedelta(hours=8), approved=True)
    vehicles = Vehicle.objects.bulk_create(
        Vehicle(call_number=f"B{n:05d}", kind="patrol_car", platform=platform) for n in range(count))
    made = Unit.objects.bulk_create(
        Unit(call_sign=f"B{n:05d}", shift=shift, platform=platform, vehicle=vehicle, status=UnitStatus.AVAILABLE,
             capabilities=["patrol", "traffic", "rescue"]) for n, vehicle in enumerate(vehicles))
    points = on_road_points(count, rng)
    return [(unit.pk, lon, lat) for unit, (lon, lat) in zip(made, points)]


def _phase(ranking: str, fleet, *, rate: float, seconds: float, seed: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-timing-") as work:
        timing_log = Path(work) / "timing.jsonl"
        worker = _worker(ranking, timing_log)
        try:
            _wait_for_worker()
            _take_calls(2.0, 3.0, random.Random(-seed))  # warm up: each pool process loads the road network once
            time.sleep(3.0)
            timing_log.write_text("")
            return _drive(fleet, rate=rate, seconds=seconds, rng=random.Random(seed), timing_log=timing_log) | {
                "ranking": ranking}
        finally:
            worker.terminate()
            worker.wait(30)


def _worker(ranking: str, timing_log: Path) -> subprocess.Popen:
    from django.conf import settings

    env = {**os.environ, "DISPATCH_RANKING": ranking, "DISPATCH_TIMING_LOG": str(timing_log)}
    command = [sys.executable, "-m", "celery", "-A", "command", "worker", "--concurrency", "2", "-l", "warning",
               "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench-{os.getpid()}-{ranking}@localhost"]
    return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_worker(timeout_s: float = 60.0) -> None:
    from command.celery import app

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError("the bench's Celery worker did not start")


def _drive(fleet, *, rate: float, seconds: float, rng: random.Random, timing_log: Path) -> dict:
    from command.bench.routing import percentiles

    listener = _Listener()
    listener.start()
    reporter = _Reporter(fleet)
    reporter.start()
    committed = _take_calls(rate, seconds, rng)
    time.sleep(5.0)  # the last recommendations arrive
    reporter.stop()
    listener.stop()
    latencies = [listener.seen[pk] - t for pk, t in committed.items() if pk in listener.seen]
    first = min(committed.values(), default=0.0)
    slowest = sorted(((listener.seen[pk] - t, round(t - first, 1)) for pk, t in committed.items()
                      if pk in listener.seen), reverse=True)[:5]
    return {"calls": len(committed), "recommended": len(latencies), "lost": len(committed) - len(latencies),
            "latency_ms": percentiles(latencies) if latencies else None, "fixes_sent": reporter.sent,
            "slowest_ms_at_s": [[round(latency * 1000), at] for latency, at in slowest],
            "phases_ms": _phases(committed, listener.seen, timing_log), "seconds": seconds}


def _phases(committed: dict, seen: dict, timing_log: Path) -> dict:
    """Where the time went, from the worker's timing lines: waiting for a worker (commit to task
    start, which includes the broker), ranking, deciding (its commit publishes), and delivery to the
    listening console (from the decision's return, so it can be slightly negative); ranking's and
    deciding's CPU time in the worker beside their wall time. The slowest five calls broken down."""
    from command.bench.routing import percentiles

    steps = {}
    for line in timing_log.read_text().splitlines():
        row = json.loads(line)
        pk = row["incident"]
        if pk in committed and pk in seen and pk not in steps:
            steps[pk] = {"queue": row["started"] - committed[pk], "rank": row["ranked"] - row["started"],
                         "rank_cpu": row["rank_cpu"], "decide": row["decided"] - row["ranked"],
                         "decide_cpu": row["decide_cpu"], "deliver": seen[pk] - row["decided"],
                         "total": seen[pk] - committed[pk]}
    if not steps:
        return {}
    result = {name: percentiles([s[name] for s in steps.values()])
              for name in ("queue", "rank", "rank_cpu", "decide", "decide_cpu", "deliver")}
    slowest = sorted(steps.values(), key=lambda s: s["total"], reverse=True)[:5]
    result["slowest"] = [{name: round(value * 1000, 1) for name, value in s.items()} for s in slowest]
    return result


class _Reporter(threading.Thread):
    """Every unit reports every 5 s through the ingest service, in batches of 50 spread over the 5 s."""

    def __init__(self, fleet):
        super().__init__(daemon=True)
        self.batches = [fleet[i:i + 50] for i in range(0, len(fleet), 50)]
        self.sent, self._stop_event = 0, threading.Event()

    def stop(self):
        self._stop_event.set()
        self.join(10)

    def run(self):
        from django.db import close_old_connections, connection
        from django.utils import timezone

        from platforms.positions import Fix, fixes_accept

        interval, step = 5.0 / len(self.batches), 0
        while not self._stop_event.is_set():
            batch, now = self.batches[step % len(self.batches)], timezone.now()
            drift = 0.00005 * ((step // len(self.batches)) % 3)
            fixes_accept(fixes=[Fix(unit_id=pk, lon=lon + drift, lat=lat, at=now, speed_mps=0.0) for pk, lon, lat in batch],
                         source="bench")
            self.sent += len(batch)
            step += 1
            self._stop_event.wait(interval)
        close_old_connections()
        connection.close()


def _take_calls(rate: float, seconds: float, rng: random.Random) -> dict[int, float]:
    """Calls at `rate` per second (evenly spaced) at random points: each incident's commit time."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from command.bench.routing import on_road_points
    from dispatch.services import incident_create

    actor, _ = get_user_model().objects.get_or_create(username="bench-dispatcher")
    total = int(rate * seconds)
    points = on_road_points(total, rng)
    categories = [c for c, weight in CATEGORIES for _ in range(weight)]
    committed: dict[int, float] = {}
    start = time.perf_counter()
    for n, (lon, lat) in enumerate(points):
        time.sleep(max(0.0, start + n / rate - time.perf_counter()))
        made = {}
        with transaction.atomic():
            # Registered first, so it runs first on commit: the moment the call is durable.
            transaction.on_commit(lambda made=made: committed.__setitem__(made["pk"], time.time()))
            incident, _ = incident_create(actor=actor, category=rng.choice(categories), priority=rng.choice((1, 2, 3)),
                                          lon=lon, lat=lat)
            made["pk"] = incident.pk
    return committed


class _Listener:
    """A console on the city group, stamping when each incident's first recommendation arrives."""

    def __init__(self):
        from channels.layers import get_channel_layer

        self.layer = get_channel_layer()
        self.seen: dict[int, float] = {}
        self.channel = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._listen()), daemon=True)

    def start(self):
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the bench's console did not join the channel layer")

    def stop(self):
        from asgiref.sync import async_to_sync

        async_to_sync(self.layer.send)(self.channel, {"type": "bench.stop"})
        self._thread.join(10)

    async def _listen(self):
        self.channel = await self.layer.new_channel()
        await self.layer.group_add("console.city", self.channel)
        self._ready.set()
        while True:
            message = await self.layer.receive(self.channel)
            if message["type"] == "bench.stop":
                break
            if message.get("event") == "incident.recommended":
                self.seen.setdefault(message["data"]["incident"], time.time())
        await self.layer.group_discard("console.city", self.channel)
