"""The history's rows, kept in memory per table and written with COPY: the past days' shifts and units
(cloned from the roster's own rotation: the template is five rostered days from today, and a day
five days earlier is rostered exactly like it), incidents with their timelines, assignments and
recommendations, and the units' tracks. Ids come from the tables' own sequences, so live writers
running meanwhile never collide with them."""
import itertools
import json
import math
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from command.demo import staffing
from grid.models import PatrolPoint, Zone
from platforms.models import Shift, Unit

CYCLE_DAYS = 5            # night → day → evening → rest → rest (platforms.rotation)
FIX_EVERY_S = 120.0       # a patrol post's dwell (900 s) still spans its visit (300 s) several times over
DRIVE_FIX_EVERY_S = 10.0
DWELL_S = 900.0
MOVE_S = 300.0


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)), timezone.get_default_timezone())


class Ids:
    """Ids from a table's sequence, reserved in blocks."""

    def __init__(self, table: str):
        self.table, self.free = table, []

    def next(self) -> int:
        if not self.free:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{self.table}', 'id')) FROM generate_series(1, 20000)")
                self.free = [row[0] for row in cursor.fetchall()][::-1]
        return self.free.pop()


class Roster:
    """The template days' shifts and units, cloned onto past days."""

    def __init__(self, today: date, shifts: dict, zone_platform: dict, stops: dict):
        self.today, self.shifts, self.zone_platform, self.stops = today, shifts, zone_platform, stops
        # Days the demo rostered already (seed_demo's weeks): their own shifts and units are used.
        self.rostered = {timezone.localtime(at).date() for at in Shift.objects.values_list("starts_at", flat=True)}

    @classmethod
    def load(cls, today: date) -> "Roster":
        start, end = _midnight(today), _midnight(today + timedelta(days=CYCLE_DAYS))
        shifts = defaultdict(list)
        rows = (Shift.objects.filter(starts_at__gte=start, starts_at__lt=end).prefetch_related("units__officers")
                .order_by("starts_at", "pk"))
        for shift in rows:
            units = [(u.call_sign, u.platform_id, u.vehicle_id, list(u.capabilities), [o.pk for o in u.officers.all()])
                     for u in shift.units.all() if u.officers.all()]
            shifts[timezone.localtime(shift.starts_at).date()].append((shift, units))
        if len(shifts) < CYCLE_DAYS:
            raise ValueError("seed_history needs the demo's roster for today and the 4 days after: run seed_demo first")
        stops = defaultdict(list)
        for platform_id, lon, lat in PatrolPoint.objects.filter(platform__isnull=False).values_list("platform_id", "lon", "lat"):
            stops[platform_id].append((lon, lat))
        return cls(today, shifts, dict(Zone.objects.values_list("pk", "platform_id")), stops)

    def units_of(self, day: date, book) -> "DayUnits":
        if day in self.rostered:
            return self._rostered_units(day)
        template = self.today + timedelta(days=(day - self.today).days % CYCLE_DAYS)
        shift_by = timedelta(days=(day - template).days)
        found = DayUnits(self.zone_platform, self.stops)
        for shift, units in self.shifts[template]:
            shift_id = book.shift(shift, shift_by)
            start, end = shift.starts_at + shift_by, shift.ends_at + shift_by
            for call_sign, platform_id, vehicle_id, capabilities, officers in units:
                unit_id = book.unit(call_sign, shift_id, platform_id, vehicle_id, capabilities, officers, end)
                found.add(unit_id, call_sign, platform_id, capabilities, start, end)
        return found


    def _rostered_units(self, day: date) -> "DayUnits":
        found = DayUnits(self.zone_platform, self.stops)
        units = (Unit.objects.filter(shift__starts_at__gte=_midnight(day), shift__starts_at__lt=_midnight(day + timedelta(days=1)),
                                     officers__isnull=False).distinct().select_related("shift"))
        for unit in units:
            found.add(unit.pk, unit.call_sign, unit.platform_id, unit.capabilities, unit.shift.starts_at, unit.shift.ends_at)
        return found


class DayUnits:
    """One day's crews: who is on duty, busy until when, and their jobs (for the tracks)."""

    def __init__(self, zone_platform: dict, stops: dict):
        self.zone_platform, self.stops, self.rows, self.busy_until, self.jobs = zone_platform, stops, [], {}, defaultdict(list)
        self.by_platform = defaultdict(list)

    def add(self, unit_id, call_sign, platform_id, capabilities, start, end) -> None:
        row = (unit_id, call_sign, platform_id, set(capabilities), start, end)
        self.rows.append(row)
        self.by_platform[platform_id].append(row)

    def free(self, capability: str, zone_id, at, rng: random.Random):
        """A free crew of the zone's platform with the capability, else one of any platform."""
        for rows in (self.by_platform.get(self.zone_platform.get(zone_id), []), self.rows):
            on = [r for r in rows if r[4] <= at < r[5] and capability in r[3] and self.busy_until.get(r[0], at) <= at]
            if on:
                return rng.choice(on)
        return None

    def busy(self, unit, ordered, cleared, scene) -> None:
        self.busy_until[unit[0]] = cleared
        self.jobs[unit[0]].append((ordered, cleared, scene))


class Book:
    """Rows waiting to be written, table by table."""

    def __init__(self):
        self.ids = {name: Ids(name) for name in ("platforms_shift", "platforms_unit", "dispatch_incident",
                                                 "dispatch_incidentevent", "dispatch_assignment", "dispatch_recommendation")}
        self.rows = defaultdict(list)
        self.serial = defaultdict(int)
        self.tracks = []

    def name(self, rng) -> str:
        return staffing.person_name(rng.randint(1, 10**6))

    def shift(self, shift: Shift, by: timedelta) -> int:
        pk = self.ids["platforms_shift"].next()
        self.rows["shift"].append({"id": pk, "squad_id": shift.squad_id, "kind": shift.kind, "starts_at": shift.starts_at + by,
                                   "ends_at": shift.ends_at + by, "secondary": shift.secondary, "approved": True})
        return pk

    def unit(self, call_sign, shift_id, platform_id, vehicle_id, capabilities, officers, end) -> int:
        pk = self.ids["platforms_unit"].next()
        self.rows["unit"].append({"id": pk, "call_sign": call_sign, "shift_id": shift_id, "platform_id": platform_id,
                                  "vehicle_id": vehicle_id, "capabilities": capabilities, "status": "off_duty",
                                  "status_changed_at": end})
        self.rows["unit_officers"] += [{"unit_id": pk, "officer_id": officer} for officer in officers]
        return pk

    def incident(self, *, received, **fields) -> dict:
        day = timezone.localtime(received).date()
        self.serial[day] += 1
        row = {"id": self.ids["dispatch_incident"].next(), "number": f"110-{day:%Y%m%d}-H{self.serial[day]:05d}",
               "received_at": received, "status": "received", **fields, "dispatched_at": None, "on_scene_at": None,
               "verified_on_scene_at": None, "closed_at": None, "closing": "", "result": "", "cancel_reason": "",
               "address": ""}
        self.rows["incident"].append(row)
        self.event(row, "created", received)
        return row

    def event(self, row: dict, kind: str, at, unit_id=None, data=None) -> None:
        self.rows["event"].append({"id": self.ids["dispatch_incidentevent"].next(), "incident_id": row["id"], "kind": kind,
                                   "at": at, "unit_id": unit_id, "data": data or {}})

    def cancel(self, row: dict, *, reason: str, at) -> None:
        row.update(status="cancelled", cancel_reason=reason, closed_at=at)
        self.event(row, "cancelled", at, data={"reason": reason})

    def leave_waiting(self, row: dict) -> None:
        row["status"] = "waiting"

    def handled(self, row: dict, *, unit, ordered, acknowledged, on_scene, cleared, closed, eta_s, verified, distance_m,
                note) -> None:
        unit_id, call_sign = unit[0], unit[1]
        row.update(status="closed", dispatched_at=ordered, on_scene_at=on_scene, closed_at=closed, closing="resolved",
                   result="已处置", verified_on_scene_at=on_scene if verified else None)
        assignment = self.ids["dispatch_assignment"].next()
        self.rows["assignment"].append({"id": assignment, "incident_id": row["id"], "unit_id": unit_id, "status": "cleared",
                                        "assigned_at": ordered, "acknowledged_at": acknowledged, "en_route_at": acknowledged,
                                        "on_scene_at": on_scene, "ended_at": cleared, "eta_s": eta_s,
                                        "arrival_distance_m": round(distance_m, 1), "arrival_verified": verified})
        option = {"unit": unit_id, "call_sign": call_sign, "eta_s": eta_s, "distance_m": None, "meets_target": eta_s <= row["target_s"],
                  "stale": False, "workload": 0, "estimated": False, "preempts": None}
        self.rows["recommendation"].append({"id": self.ids["dispatch_recommendation"].next(), "incident_id": row["id"],
                                            "created_at": row["received_at"], "options": [option], "proposed": [unit_id],
                                            "at_risk": eta_s > row["target_s"], "auto": row["priority"] <= 2,
                                            "accepted_at": ordered})
        self.event(row, "recommended", row["received_at"] + timedelta(seconds=0.5))
        self.event(row, "assigned", ordered, unit_id, {"assignment": assignment, "eta_s": eta_s})
        for kind, at in (("acknowledged", acknowledged), ("en_route", acknowledged), ("on_scene", on_scene),
                         ("cleared", cleared), ("closed", closed)):
            self.event(row, kind, at, unit_id if kind != "closed" else None)
        if note:
            self.event(row, "note", on_scene + timedelta(seconds=60), unit_id, {"text": note})

    def tracks_for_day(self, units: DayUnits, rng: random.Random) -> None:
        """Remembered as what makes them; the fixes themselves are made while they are written."""
        for n, (unit_id, _sign, platform_id, _caps, start, end) in enumerate(units.rows):
            stops = units.stops.get(platform_id) or [(121.4737, 31.2304)]
            self.tracks.append((unit_id, start, end, stops, n, units.jobs.get(unit_id, []), rng.random()))

    def _track_rows(self):
        for unit_id, start, end, stops, offset, jobs, seed in self.tracks:
            yield from unit_track(unit_id, start, end, stops, offset, jobs, random.Random(seed))

    def write(self, *, log=print) -> dict:
        """Every table in one transaction, parents first."""
        from dispatch.models import Assignment, Incident, IncidentEvent, Recommendation  # noqa: PLC0415

        tables = (("shifts", Shift, "shift"), ("units", Unit, "unit"), ("crew links", Unit.officers.through, "unit_officers"),
                  ("incidents", Incident, "incident"), ("assignments", Assignment, "assignment"),
                  ("recommendations", Recommendation, "recommendation"), ("events", IncidentEvent, "event"))
        counts = {}
        with transaction.atomic():
            for label, model, name in tables:
                counts[label] = write_model(model, self.rows[name])
                log(f"  {label}: {counts[label]}")
            counts["track points"] = write_tracks(self._track_rows())
            log(f"  track points: {counts['track points']}")
        return counts


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def unit_track(unit_id, start, end, stops, offset, jobs, rng) -> list[tuple]:
    """Fixes a minute apart: the crew goes round its platform's posts (a dwell, then a straight move to
    the next), and on a job drives straight to the scene (a fix every 10 s), stays, and returns."""
    t0 = start.timestamp()
    times = np.arange(t0, end.timestamp(), FIX_EVERY_S)
    for ordered, _cleared, _scene in jobs:
        times = np.concatenate([times, np.arange(ordered.timestamp(), ordered.timestamp() + 900, DRIVE_FIX_EVERY_S)])
    times = np.unique(times[(times >= t0) & (times < end.timestamp())])
    lon, lat = _patrol(times - t0, stops, offset)
    for ordered, cleared, (x, y) in jobs:
        a, b = ordered.timestamp(), cleared.timestamp()
        i0 = np.searchsorted(times, a)
        x0, y0 = (lon[i0 - 1], lat[i0 - 1]) if i0 else (lon[0], lat[0])
        drive = max(60.0, math.hypot((x - x0) * 95000, (y - y0) * 111000) / 8.0)
        share = np.clip((times - a) / drive, 0, 1)
        inside = (times >= a) & (times < b)
        lon = np.where(inside, x0 + (x - x0) * share, lon)
        lat = np.where(inside, y0 + (y - y0) * share, lat)
    jitter = np.array([rng.gauss(0, 0.00003) for _ in range(2)])
    tz = timezone.get_default_timezone()
    lon, lat = np.round(lon + jitter[0], 6).tolist(), np.round(lat + jitter[1], 6).tolist()
    return [(unit_id, datetime.fromtimestamp(t, tz=tz), x, y, 8.0, None, 10.0) for t, x, y in zip(times.tolist(), lon, lat)]


def _patrol(elapsed, stops, offset):
    cycle = DWELL_S + MOVE_S
    leg = (elapsed // cycle).astype(int) + offset
    within = elapsed % cycle
    here = np.array([stops[i % len(stops)] for i in leg]) if len(leg) else np.zeros((0, 2))
    there = np.array([stops[(i + 1) % len(stops)] for i in leg]) if len(leg) else np.zeros((0, 2))
    share = np.clip((within - DWELL_S) / MOVE_S, 0, 1)[:, None]
    moved = here + (there - here) * share
    return moved[:, 0], moved[:, 1]


def write_tracks(rows) -> int:
    """Track points as plain tuples: millions of them, so no dict per fix."""
    count = 0
    columns = "unit_id, at, lon, lat, speed_mps, bearing, accuracy_m"
    with connection.cursor() as cursor, cursor.copy(f"COPY platforms_trackpoint ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def write_model(model, rows) -> int:
    """COPY the rows (dicts by attribute name, a list or a generator); a field not given takes its
    model default, so the database's NOT NULL columns get what Django would have written."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in first)]
    defaults = {f.attname: f.get_default() for f in fields}
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    columns = ", ".join(f'"{f.column}"' for f in fields)
    count = 0
    with connection.cursor() as cursor, cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in itertools.chain([first], rows):
            values = [row.get(f.attname, defaults[f.attname]) for f in fields]
            copy.write_row([_json(v) if f.attname in json_fields else v for f, v in zip(fields, values)])
            count += 1
    return count
