"""Live mode: the simulator drives the running system through its HTTP interfaces only, the way the
tablets and a dispatcher would, and never writes a row behind its back.

- every REPORT_EVERY_S it reports the position of every unit on duty (one batched POST /positions);
- between calls the crews follow their shift's patrol plan (GET /patrol-tasks/, as the tablet shows
  it): hold their post, drive their route, patrol their zone, along OSRM routes; a crew with no task
  patrols its platform's posts (parked at the peaks);
- calls arrive as a Poisson process with the hour-of-day profile (POST /incidents/, idempotent);
- as each crew it acknowledges an order after a short delay, reports en route, drives the route,
  reports on scene, stays a category-dependent time and clears;
- as the dispatcher it accepts the engine's recommendation for P3/P4 calls (P1/P2 go by themselves).

It never drives a unit one of whose officers holds a login: a login is what lets a person work the
unit from the tablet, and the simulator stands in only for crews with nobody at one. In the demo that
is the `officer` login's crew (command/demo/seed.py links it), which is left to whoever opens the
tablet: it reports, moves and answers its orders only from there (and goes stale while nobody does).

Reads the road network in-process (grid.travel) as the tablet's navigation does. SIGINT/SIGTERM stop
it at the next tick. Times on the wire are real UTC; `speed` compresses the crews' and calls' clock.
"""
import json
import math
import random
import signal
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from http.client import HTTPConnection, HTTPSConnection
from urllib.parse import urlencode, urlsplit

from django.utils import timezone
from shapely.geometry import shape

from command.simulation import assumptions as A
from command.simulation.calls import _Places, _pick
from command.simulation.movement import Drive, Routes
from command.simulation.world import SimZone, band_dwell, task_stops
from dispatch.engine import unit_profile
from grid import travel

REPORT_EVERY_S = 5.0       # real seconds between position batches (a unit is stale after 60 s)
POLL_EVERY_S = 2.0         # real seconds between looks at the active assignments
REFRESH_UNITS_EVERY_S = 60.0
ACK_DELAY_S = (5.0, 15.0)  # simulated seconds an officer takes to acknowledge
FIRST_CALL_S = 15.0        # the first call comes at once, so a new demo shows a dispatch within a minute
STEPS = ("assigned", "acknowledged", "en_route", "on_scene", "cleared")
BATCH = 500


class Api:
    """A small JSON client on one kept-alive connection, token authenticated."""

    def __init__(self, base_url: str, token: str):
        parts = urlsplit(base_url)
        self.host, self.prefix = parts.netloc, parts.path.rstrip("/")
        self.connection_class = HTTPSConnection if parts.scheme == "https" else HTTPConnection
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json",
                        "Accept": "application/json"}
        self.connection = None

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, object]:
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = self.connection_class(self.host, timeout=30)
                self.connection.request(method, self.prefix + path, body=json.dumps(body) if body is not None else None,
                                        headers={**self.headers, **(headers or {})})
                response = self.connection.getresponse()
                raw = response.read()
                return response.status, (json.loads(raw) if raw else None)
            except (OSError, ValueError):
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get_all(self, path: str, **query) -> list:
        rows, page = [], 1
        while True:
            query_string = urlencode({**query, "page": page, "page_size": 500}, doseq=True)
            status, data = self.request("GET", f"{path}?{query_string}")
            if status != 200:
                raise RuntimeError(f"GET {path}: HTTP {status} {data}")
            rows += data["results"] if isinstance(data, dict) else data
            if not isinstance(data, dict) or not data.get("next"):
                return rows
            page += 1


@dataclass
class LiveCrew:
    pk: int
    call_sign: str
    profile: str
    capabilities: tuple
    stops: list
    parked: bool
    pos: tuple
    drive: Drive | None = None
    stop: int = 0
    next_move: float = 0.0
    assignment: dict | None = None
    target: tuple | None = None
    plan: list = field(default_factory=list)   # [(sim time, step)] still to report for the assignment
    bands: list = field(default_factory=list)  # its patrol plan: [(starts_at, ends_at, stops, dwell_s)]
    band: tuple | None = None

    def position(self, t: float) -> tuple:
        return self.drive.position(t) if self.drive else self.pos


class LiveSimulator:
    def __init__(self, *, base_url: str, token: str, speed: float = 1.0, seed: int = 1, rate_factor: float = 1.0,
                 log=print):
        self.api, self.speed, self.log = Api(base_url, token), speed, log
        self.rng = random.Random(seed)
        self.seed, self.rate_factor = seed, rate_factor
        self.routes = Routes(None)
        self.crews: dict[int, LiveCrew] = {}
        self.left_to_crews: set[int] = set()     # units a person drives from the tablet: never touched
        self.incidents: dict[int, dict] = {}
        self.to_accept: dict[int, float] = {}   # our P3/P4 incidents -> when to look for a recommendation
        self.stopping = False
        self.started = time.monotonic()
        self.calls_made = 0
        self.run_key = f"sim-{seed}-{int(time.time())}"

    # --- the loop -----------------------------------------------------------------------------

    def sim_now(self) -> float:
        return (time.monotonic() - self.started) * self.speed

    def run(self, run_for: float | None = None) -> None:
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._wait_for_server()
            if not self.stopping:
                self._setup()
                self._loop(time.monotonic() + run_for if run_for else math.inf)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.log(f"simulator stopped: {self.calls_made} calls made")

    def _loop(self, deadline: float) -> None:
        self.due = {"report": 0.0, "poll": 0.0, "units": time.monotonic() + REFRESH_UNITS_EVERY_S,
                    "call": min(FIRST_CALL_S, self._next_call_gap())}
        while not self.stopping and time.monotonic() < deadline:
            try:
                self._tick(time.monotonic(), self.sim_now())
            except (OSError, RuntimeError, KeyError, ValueError) as error:  # the server restarting, a bad answer
                self.log(f"simulator: {error!r}; going on")
                time.sleep(1.0)
            time.sleep(0.2)

    def _tick(self, now: float, t: float) -> None:
        due = self.due
        if now >= due["units"]:
            due["units"] = now + REFRESH_UNITS_EVERY_S
            self._load_units(t)
        if t >= due["call"]:
            due["call"] = t + self._next_call_gap()
            self._call()
        if now >= due["poll"]:
            due["poll"] = now + POLL_EVERY_S
            self._poll(t)
        self._advance(t)
        if now >= due["report"]:
            due["report"] = now + REPORT_EVERY_S
            self._report(t)

    def _stop(self, signum, frame) -> None:
        self.stopping = True

    def _wait_for_server(self, limit_s: float = 300.0) -> None:
        """The web server may still be starting (the demo starts us beside it)."""
        give_up = time.monotonic() + limit_s
        while not self.stopping:
            try:
                status, _data = self.api.request("GET", "/api/v1/platforms/?page_size=1")
            except OSError:
                status = None
            if status == 200:
                return
            if status in (401, 403):
                raise RuntimeError(f"the API refused the simulator's token (HTTP {status})")
            if time.monotonic() > give_up:
                raise RuntimeError(f"no answer from the API at {self.api.host} within {limit_s:.0f} s")
            time.sleep(1.0)

    # --- the city as the API shows it -------------------------------------------------------------

    def _setup(self) -> None:
        platforms = {p["id"]: p for p in self.api.get_all("/api/v1/platforms/")}
        posts = {pid: [(p["lon"], p["lat"])] for pid, p in platforms.items()}
        for point in self.api.get_all("/api/v1/patrol-points/"):
            posts.setdefault(point["platform"], []).append((point["lon"], point["lat"]))
        self.posts = {pid: [p for p in (_on_road(*point) for point in points) if p] for pid, points in posts.items()}
        self.vehicles = {v["id"]: v["kind"] for v in self.api.get_all("/api/v1/vehicles/")}
        zones = [SimZone(z["id"], z["code"], z["response_class"], 0, shape(z["polygon"]), z.get("platform"), 0, None)
                 for z in self.api.get_all("/api/v1/zones/")]
        sites = [(s["id"], s["code"], s["lon"], s["lat"], s["radius_m"])
                 for s in self.api.get_all("/api/v1/key-sites/")]
        self.places = _Places(_Shape(zones, sites), self.rng)
        self.plans, self.plans_of = {}, None
        self._load_units(0.0)
        self.log(f"simulator: {len(self.crews)} units on duty, {len(zones)} zones; speed x{self.speed}")

    def _load_plans(self) -> None:
        """Today's and yesterday's patrol tasks (a night shift may have begun yesterday), by unit."""
        today = timezone.localdate()
        if self.plans_of == today:
            return
        tasks, cache = {}, {}
        for day in (today - timedelta(days=1), today):
            for task in self.api.get_all("/api/v1/patrol-tasks/", date=day.isoformat()):
                target = task["target"]
                key = (target["kind"], target["code"])
                if key not in cache:
                    cache[key] = (task_stops(point=(target["lon"], target["lat"])) if target["kind"] == "point" else
                                  task_stops(line=target["line"]["coordinates"]) if target["kind"] == "route" else
                                  task_stops(polygon=target["polygon"]))
                band = (datetime.fromisoformat(task["starts_at"]), datetime.fromisoformat(task["ends_at"]))
                tasks.setdefault(task["unit"], {}).setdefault(band, []).append((target["kind"], cache[key]))
        self.plans = {unit: sorted((lo, hi, tuple(dict.fromkeys(p for _kind, points in found for p in points)),
                                    band_dwell({kind for kind, _points in found}))
                                   for (lo, hi), found in bands.items())
                      for unit, bands in tasks.items()}
        self.plans_of = today

    def _load_units(self, t: float) -> None:
        self._load_plans()
        rows = self.api.get_all("/api/v1/units/", on_duty="true")
        people = self._officers_with_logins()
        seen = set()
        for n, row in enumerate(sorted(rows, key=lambda r: r["call_sign"])):
            if people.intersection(row["officers"]):
                self._leave_to_its_crew(row)
                continue
            seen.add(row["id"])
            if row["id"] in self.crews:
                continue
            kind = self.vehicles.get(row["vehicle"])
            stops = self.posts.get(row["platform"]) or [(row["lon"], row["lat"])]
            offset = 0 if kind == "platform_truck" else n % len(stops)
            stops = stops[offset:] + stops[:offset]
            start = (row["lon"], row["lat"]) if row["lon"] is not None else stops[0]
            self.crews[row["id"]] = LiveCrew(row["id"], row["call_sign"], unit_profile(kind),
                                             tuple(row["capabilities"]), stops, kind == "platform_truck", start,
                                             next_move=t, bands=[b for b in self.plans.get(row["id"], []) if b[2]])
        for pk in [pk for pk, crew in self.crews.items() if pk not in seen and crew.assignment is None]:
            del self.crews[pk]

    def _officers_with_logins(self) -> set[int]:
        """The officers a person works from the tablet (see the module's docstring)."""
        return {row["id"] for row in self.api.get_all("/api/v1/officers/", active="true") if row["user"] is not None}

    def _leave_to_its_crew(self, row: dict) -> None:
        if row["id"] not in self.left_to_crews:
            self.left_to_crews.add(row["id"])
            self.log(f"simulator: {row['call_sign']} is left to its crew's tablet")

    # --- calls and the dispatcher's accept ----------------------------------------------------

    def _next_call_gap(self) -> float:
        hour = timezone.localtime().hour
        rate = A.CALLS_PER_DAY * self.rate_factor * A.HOURLY_WEIGHT[hour] / sum(A.HOURLY_WEIGHT) / 3600
        return self.rng.expovariate(rate)

    def _call(self) -> None:
        category = _pick(self.rng, A.CATEGORY_SHARE)
        priority = int(_pick(self.rng, A.PRIORITY_SHARE[category]))
        lon, lat = self.places.draw()
        self.calls_made += 1
        body = {"category": str(category), "priority": priority, "lon": lon, "lat": lat,
                "description": "模拟警情 (simulator)", "address": ""}
        status, data = self.api.request("POST", "/api/v1/incidents/", body,
                                        headers={"Idempotency-Key": f"{self.run_key}-{self.calls_made}"})
        if status not in (200, 201):
            self.log(f"call refused: HTTP {status} {data}")
            return
        self.incidents[data["id"]] = data
        if priority >= 3:
            self.to_accept[data["id"]] = time.monotonic() + 2.0
        self.log(f"call {data['number']}: {category} P{priority} target {data['target_s']} s")

    def _accept_recommendations(self) -> None:
        """As the dispatcher: accept the latest recommendation of our P3/P4 calls until units go."""
        for pk, due in list(self.to_accept.items()):
            if time.monotonic() < due:
                continue
            status, incident = self.api.request("GET", f"/api/v1/incidents/{pk}/")
            if status != 200 or incident["status"] not in ("received", "waiting"):
                self.to_accept.pop(pk)
                continue
            status, recommendation = self.api.request("GET", f"/api/v1/incidents/{pk}/recommendation/")
            if status == 200 and recommendation["proposed"] and not recommendation["accepted_at"]:
                self.api.request("POST", f"/api/v1/recommendations/{recommendation['id']}/accept/", {})
            self.to_accept[pk] = time.monotonic() + 3.0

    # --- the crews ------------------------------------------------------------------------------

    def _poll(self, t: float) -> None:
        self._accept_recommendations()
        active = {a["unit"]: a for a in self.api.get_all("/api/v1/assignments/", active="true")}
        for pk, crew in self.crews.items():
            mine = active.get(pk)
            if crew.assignment and (mine is None or mine["id"] != crew.assignment["id"]):
                if crew.plan and crew.plan[0][1] != "cleared":
                    crew.assignment, crew.plan = None, []   # pulled off or cancelled: back on patrol
                    crew.next_move = t
            if mine and crew.assignment is None:
                self._take(crew, mine, t)  # a new order, or one under way when the simulator (re)started

    def _take(self, crew: LiveCrew, assignment: dict, t: float) -> None:
        incident = self._incident(assignment["incident"])
        if incident is None:
            return
        crew.assignment = assignment
        ack = t + self.rng.uniform(*ACK_DELAY_S)
        scene = (incident["lon"], incident["lat"])
        origin = crew.position(t)
        crew.pos, crew.drive = origin, None
        duration = self.routes.get(origin, scene, crew.profile)[0]
        mean = A.ON_SCENE_MIN[incident["category"]] * 60
        stay = self.rng.gammavariate(1 / A.ON_SCENE_CV ** 2, mean * A.ON_SCENE_CV ** 2)
        plan = [(ack, "acknowledged"), (ack, "en_route"), (ack + duration, "on_scene"),
                (ack + duration + max(A.ON_SCENE_MIN_S, stay), "cleared")]
        done = STEPS.index(assignment["status"]) if assignment["status"] in STEPS else 0
        crew.plan = [(at, step) for at, step in plan if STEPS.index(step) > done]
        if done >= STEPS.index("en_route"):
            crew.drive = Drive(origin, scene, t, plan[2][0], crew.profile, self.routes) if done < 3 else None
            crew.pos = origin if done < 3 else scene
        crew.target = scene

    def _incident(self, pk: int) -> dict | None:
        if pk not in self.incidents:
            status, data = self.api.request("GET", f"/api/v1/incidents/{pk}/")
            if status != 200:
                return None
            self.incidents[pk] = data
        return self.incidents[pk]

    def _advance(self, t: float) -> None:
        for crew in self.crews.values():
            while crew.plan and crew.plan[0][0] <= t:
                at, step = crew.plan.pop(0)
                self._step(crew, step, at)
            if crew.assignment is None and t >= crew.next_move:
                self._patrol(crew, t)

    def _step(self, crew: LiveCrew, step: str, t: float) -> None:
        if step == "en_route":
            origin = crew.position(t)
            arrive = crew.plan[0][0] if crew.plan else t
            crew.drive = Drive(origin, crew.target, t, arrive, crew.profile, self.routes)
        if step == "on_scene":
            crew.pos, crew.drive = crew.target, None
        body = {"status": step, "disposition": "处置完毕（模拟）" if step == "cleared" else ""}
        status, data = self.api.request("POST", f"/api/v1/assignments/{crew.assignment['id']}/status/", body)
        if status == 409 and step == "on_scene":
            status = 200   # the geofence saw the crew arrive first
        if status != 200 and step != "on_scene":
            self.log(f"{crew.call_sign}: {step} refused (HTTP {status}): {data}")
        if step == "cleared" or status not in (200, 201):
            crew.assignment, crew.plan, crew.next_move = None, [], t

    def _patrol(self, crew: LiveCrew, t: float) -> None:
        """Its plan's band now (the headless simulator's rule), else the platform's posts by the hour."""
        crew.pos, crew.drive = crew.position(t), None
        now = timezone.now()
        band = None if crew.parked else next((b for b in crew.bands if b[0] <= now < b[1]), None)
        if band is not None:
            stops, dwell = band[2], band[3] if len(band[2]) > 1 else 300.0
            if crew.band != band:
                crew.band, crew.stop = band, 0
            elif len(stops) > 1 and crew.pos == stops[crew.stop]:
                crew.stop = (crew.stop + 1) % len(stops)
            target = stops[crew.stop]
        else:
            peak = any(a <= timezone.localtime().hour < b for a, b in A.PEAK_HOURS)
            if crew.parked or peak:
                target = crew.stops[0]
            else:
                crew.stop = (crew.stop + 1) % len(crew.stops)
                target = crew.stops[crew.stop]
            dwell = A.PATROL_DWELL_S if not (crew.parked or peak) else 300.0
        duration = self.routes.get(crew.pos, target, crew.profile)[0] if target != crew.pos else 0.0
        if duration:
            crew.drive = Drive(crew.pos, target, t, t + duration, crew.profile, self.routes)
        crew.next_move = t + duration + dwell

    def _report(self, t: float) -> None:
        at = datetime.now(dt_timezone.utc).isoformat()
        fixes = []
        for crew in self.crews.values():
            lon, lat = crew.position(t)
            speed = crew.drive.speed_mps(t) if crew.drive else 0.0
            fixes.append({"unit": crew.pk, "lon": round(lon, 6), "lat": round(lat, 6), "at": at, "speed": speed or 0.0})
        for i in range(0, len(fixes), BATCH):
            status, data = self.api.request("POST", "/api/v1/positions", {"fixes": fixes[i:i + BATCH]})
            if status != 200:
                self.log(f"positions refused: HTTP {status} {data}")


class _Shape:
    """What `_Places` reads of a world: zones and key sites (here from the API)."""

    def __init__(self, zones, key_sites):
        self.zones, self.key_sites = zones, key_sites


def _on_road(lon: float, lat: float):
    try:
        snapped = travel.snap(lon, lat)
    except travel.OffNetwork:
        return None
    return round(snapped[0], 6), round(snapped[1], 6)
