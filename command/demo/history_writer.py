"""The history's rows, kept in memory per table and written with COPY: the past days' shifts and units
(cloned from the roster's own rotation: the template is five rostered days from today, and a day
five days earlier is rostered exactly like it), incidents with their timelines, assignments and
recommendations, and the units' tracks. Ids come from the tables' own sequences, so live writers
running meanwhile never collide with them."""
import itertools
import json
import queue
import random
import threading
import time as clock
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from command.demo import history_tracks, staffing
from grid.models import PatrolPoint, Zone
from platforms.models import Shift, Unit

CYCLE_DAYS = 5            # night → day → evening → rest → rest (platforms.rotation)


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
    """One day's crews: who is on duty, busy until when, and their jobs (for the tracks). A day's
    hundreds of calls each look for a crew, so crews are filed by platform and capability and their
    hours kept as epoch seconds (comparing aware datetimes costs a time-zone lookup each)."""

    def __init__(self, zone_platform: dict, stops: dict):
        self.zone_platform, self.stops, self.rows, self.busy_until, self.jobs = zone_platform, stops, [], {}, defaultdict(list)
        self.able = defaultdict(list)   # (platform id or None for any, capability): rows, in the order added

    def add(self, unit_id, call_sign, platform_id, capabilities, start, end) -> None:
        row = (unit_id, call_sign, platform_id, set(capabilities), start, end, start.timestamp(), end.timestamp())
        self.rows.append(row)
        for capability in row[3]:
            self.able[(platform_id, capability)].append(row)
            self.able[(None, capability)].append(row)

    def free(self, capability: str, zone_id, at, rng: random.Random):
        """A free crew of the zone's platform with the capability, else one of any platform."""
        moment = at.timestamp()
        for key in ((self.zone_platform.get(zone_id), capability), (None, capability)):
            on = [r for r in self.able.get(key, ()) if r[6] <= moment < r[7] and self.busy_until.get(r[0], moment) <= moment]
            if on:
                return rng.choice(on)
        return None

    def busy(self, unit, ordered, cleared, scene) -> None:
        self.busy_until[unit[0]] = cleared.timestamp()
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
        """Remembered as what makes them (epoch seconds); the fixes are made while they are written."""
        for n, (unit_id, _sign, platform_id, _caps, _start, _end, start, end) in enumerate(units.rows):
            stops = units.stops.get(platform_id) or [(121.4737, 31.2304)]
            jobs = [(ordered.timestamp(), cleared.timestamp(), scene) for ordered, cleared, scene in units.jobs.get(unit_id, [])]
            self.tracks.append((unit_id, start, end, stops, n, jobs, rng.random()))

    def write(self) -> tuple[Counter, Counter]:
        """Every table in one transaction, parents first: the rows written and the seconds taken, by table."""
        from dispatch.models import Assignment, Incident, IncidentEvent, Recommendation  # noqa: PLC0415

        tables = (("shifts", Shift, "shift"), ("units", Unit, "unit"), ("crew links", Unit.officers.through, "unit_officers"),
                  ("incidents", Incident, "incident"), ("assignments", Assignment, "assignment"),
                  ("recommendations", Recommendation, "recommendation"), ("events", IncidentEvent, "event"))
        counts, seconds = Counter(), Counter()
        with transaction.atomic():
            for label, model, name in tables:
                began = clock.perf_counter()
                counts[label] = write_model(model, self.rows[name])
                seconds[label] = clock.perf_counter() - began
            began = clock.perf_counter()
            counts["track points"] = history_tracks.write_tracks(self.tracks)
            seconds["track points"] = clock.perf_counter() - began
            began = clock.perf_counter()
        seconds["commit"] = clock.perf_counter() - began   # the deferred foreign-key checks run here
        return counts, seconds


class Writer:
    """Books written as they are filled: on a thread of its own (its own connection, one transaction per
    book) while the next days are generated, so PostgreSQL's work (the COPYs, the foreign-key checks
    each commit runs) goes on beside Python's; in the caller's thread when the caller holds a
    transaction (a test), which a second connection could not join."""

    def __init__(self):
        self.counts, self.seconds, self.failed = Counter(), Counter(), None
        self.beside = not connection.in_atomic_block
        self.queue = queue.Queue(maxsize=1)   # one book waiting at most: memory stays a batch or two
        self.thread = threading.Thread(target=self._run, name="history-writer", daemon=True) if self.beside else None

    def __enter__(self) -> "Writer":
        if self.thread:
            self.thread.start()
        return self

    def put(self, book: Book) -> None:
        if self.failed is not None:
            raise self.failed
        if self.beside:
            self.queue.put(book)
        else:
            self._write(book)

    def _write(self, book: Book) -> None:
        counts, seconds = book.write()
        self.counts.update(counts)
        self.seconds.update(seconds)

    def _run(self) -> None:
        while (book := self.queue.get()) is not None:
            if self.failed is None:
                try:
                    self._write(book)
                except Exception as error:  # handed to the generating thread, which stops
                    self.failed = error
        connection.close()   # this thread's own connection

    def __exit__(self, kind, error, traceback) -> None:
        if self.thread:
            self.queue.put(None)
            self.thread.join()
        if self.failed is not None and error is None:
            raise self.failed


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_model(model, rows) -> int:
    """COPY the rows (dicts by attribute name, a list or a generator); a field not given takes its
    model default, so the database's NOT NULL columns get what Django would have written. Plain
    lists in the loop: it runs for millions of rows."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in first)]
    pairs = [(f.attname, f.get_default()) for f in fields]
    json_at = [n for n, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    count = 0
    with connection.cursor() as cursor, cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in itertools.chain([first], rows):
            values = [row.get(name, default) for name, default in pairs]
            for n in json_at:
                values[n] = _json(values[n])
            copy.write_row(values)
            count += 1
    return count
