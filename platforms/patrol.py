"""Patrol plans (高峰站点、平峰巡线、低峰下片) and their verification from the units' GPS tracks.

A plan splits a shift into time bands by the hour's mode: fixed posts at the must-patrol points in
the peaks, the must-patrol routes off-peak, the platform's zones (community areas) when quiet; the
tasks go round the shift's crews, and every point and route gets a unit in every shift.

Verification works on plain lists of (at, lon, lat) fixes, so it is testable on synthetic tracks:
a point is visited when the track stays within its radius for its dwell time in one go (the
track is taken as straight between fixes, fixes further apart than PATROL_MAX_FIX_GAP_S are not
joined); a route's coverage is the fraction of its length within its corridor of the track.
"""
import math
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import shapely
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from shapely.geometry import GeometryCollection, LineString, Point, shape

from grid.geometry import distance_m
from grid.models import KeySite, PatrolPoint, PatrolRoute, Zone
from platforms.models import (
    PatrolBand, PatrolMode, PatrolPlan, PatrolTask, Platform, Shift, TrackPoint, Unit, VehicleKind,
)

# The day's modes by the hour: the morning and evening peaks at fixed posts, routes through the day
# and evening, the communities at night.
DAY_BANDS = (
    (time(0), time(7), PatrolMode.COMMUNITY),
    (time(7), time(9), PatrolMode.POSTS),
    (time(9), time(17), PatrolMode.ROUTES),
    (time(17), time(19), PatrolMode.POSTS),
    (time(19), time(22), PatrolMode.ROUTES),
    (time(22), None, PatrolMode.COMMUNITY),  # None: midnight at the end of the day
)
EARTH_RADIUS_M = 6_371_008.8
# Posts by mode (issue 16, the accounts): a key site's fixed posts held on foot first (auxiliaries and
# traffic assistants at school gates and squares), then by bicycle, motorcycle, and only then by car;
# the must-patrol routes along the main roads ridden by motorcycles (铁骑) first.
POST_ORDER = {None: 0, VehicleKind.ON_FOOT: 0, VehicleKind.BICYCLE: 1, VehicleKind.MOTORCYCLE: 2}
ROUTE_ORDER = {VehicleKind.MOTORCYCLE: 0}


# --- plans ------------------------------------------------------------------------------------

def bands_between(start: datetime, end: datetime) -> list[tuple[datetime, datetime, str]]:
    """The day bands that fall in [start, end), cut to it, neighbours of one mode merged."""
    tz = timezone.get_default_timezone()
    day, found = timezone.localtime(start, tz).date(), []
    while _at(day, time(0)) < end:
        for starts, ends, mode in DAY_BANDS:
            lo = max(_at(day, starts), start)
            hi = min(_at(day + timedelta(days=1), time(0)) if ends is None else _at(day, ends), end)
            if lo >= hi:
                continue
            if found and found[-1][2] == mode and found[-1][1] == lo:
                found[-1] = (found[-1][0], hi, mode)
            else:
                found.append((lo, hi, mode))
        day += timedelta(days=1)
    return found


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


@transaction.atomic
def patrol_plan_generate(*, shift: Shift, actor=None, replace: bool = False) -> PatrolPlan:
    """The shift's plan: its bands and the tasks round its crews. An existing plan is kept unless `replace`."""
    existing = PatrolPlan.objects.filter(shift=shift).first()
    if existing and not replace:
        return existing
    if existing:
        existing.delete()
    plan = PatrolPlan.objects.create(shift=shift, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    bands = PatrolBand.objects.bulk_create([PatrolBand(plan=plan, starts_at=lo, ends_at=hi, mode=mode)
                                            for lo, hi, mode in bands_between(shift.starts_at, shift.ends_at)])
    # The platform truck is the platform itself: it stays where it is parked and patrols nothing.
    units = list(shift.units.filter(officers__isnull=False).exclude(vehicle__kind=VehicleKind.PLATFORM_TRUCK)
                 .select_related("vehicle").distinct().order_by("call_sign"))
    if units and bands:
        PatrolTask.objects.bulk_create(_tasks(shift.squad.platform, bands, units, every_target=not shift.secondary))
    return plan


def _tasks(platform: Platform, bands: list[PatrolBand], units: list[Unit], *, every_target: bool) -> list[PatrolTask]:
    points = list(PatrolPoint.objects.filter(platform=platform).order_by("code"))
    routes = list(PatrolRoute.objects.filter(platform=platform).order_by("code"))
    zones = list(Zone.objects.filter(platform=platform).order_by("code"))
    targets = {PatrolMode.POSTS: ("point", points), PatrolMode.ROUTES: ("route", routes), PatrolMode.COMMUNITY: ("zone", zones)}
    tasks, given = [], set()
    # A main shift holds its key-site posts in every band, each site's posts a crew's beat all shift
    # long (one crew at least is kept for the band's targets); the band's targets go round the other
    # crews, and a crew left without one patrols a zone: every crew has a task in every band.
    beats = key_site_posts(points)[:len(units) - 1] if every_target else []
    posts = [point for beat in beats for point in beat]
    posted = by_mode(units, POST_ORDER) if beats else units
    for band in bands:
        name, rows = targets[band.mode]
        crews = posted
        if beats:
            tasks += [PatrolTask(band=band, unit=unit, point=point) for unit, beat in zip(posted, beats) for point in beat]
            crews = posted[len(beats):]
            rows = [row for row in rows if row not in posts]
        crews, rows = _by_mode_for(name, crews, rows, every_target=every_target)
        tasks += _round(band, crews, name, rows)
        # Crews left over: a main shift's patrol the zones, a secondary squad's double the posts.
        spare = crews[len(rows):]
        tasks += _round(band, spare, "zone", zones, each_unit=True) if every_target else \
            _round(band, spare, name, rows[:len(spare)], each_unit=True)
        given.add(name)
    # Must-patrol points and routes are every main shift's duty: a shift with no band of their mode
    # takes them in its longest band. A secondary squad only reinforces the peak's posts.
    longest = max(bands, key=lambda band: band.ends_at - band.starts_at)
    for name, rows in (("point", [point for point in points if point not in posts]), ("route", routes)):
        if every_target and name not in given:
            tasks += _round(longest, units, name, rows)
    return tasks


def by_mode(units: list[Unit], order: dict) -> list[Unit]:
    """The crews in the order of their way of moving (`order`: vehicle kind -> rank; cars last), then
    by call sign."""
    return sorted(units, key=lambda unit: (order.get(unit.vehicle.kind if unit.vehicle_id else None, len(order)),
                                           unit.call_sign))


def _by_mode_for(name: str, crews: list[Unit], rows: list, *, every_target: bool) -> tuple[list, list]:
    """Posts by mode (issue 16): the must-patrol routes, the main roads, ridden by motorcycles first; a
    secondary squad's peak crews (on foot) at the key sites' posts first, so any crew beyond the posts
    doubles a key site's post, not another."""
    if name == "route":
        return by_mode(crews, ROUTE_ORDER), rows
    if name == "point" and not every_target:
        inside = [point for beat in key_site_posts(rows) for point in beat]
        return crews, inside + [row for row in rows if row not in inside]
    return crews, rows


def _round(band: PatrolBand, units: list[Unit], name: str, rows: list, *, each_unit: bool = False) -> list[PatrolTask]:
    """The rows round the crews, one each in turn: every row gets a crew; with `each_unit`, every crew
    gets a row too (the rows go round again)."""
    if not units or not rows:
        return []
    count = max(len(rows), len(units)) if each_unit else len(rows)
    return [PatrolTask(band=band, unit=units[n % len(units)], **{name: rows[n % len(rows)]}) for n in range(count)]


def key_site_posts(points: list[PatrolPoint]) -> list[list[PatrolPoint]]:
    """The must-patrol points inside a key site's circle (its fixed posts: school and hospital gates,
    station squares), grouped by site (the nearest whose circle holds them), in code order: each
    group is one crew's beat, held all day, since only a crew within a few hundred metres of a key
    site makes 60 s there."""
    sites = list(KeySite.objects.order_by("code").values_list("code", "lon", "lat", "radius_m"))
    beats = {}
    for point in points:
        inside = [(distance_m(point.lon, point.lat, lon, lat), code) for code, lon, lat, radius in sites
                  if distance_m(point.lon, point.lat, lon, lat) <= radius]
        if inside:
            beats.setdefault(min(inside)[1], []).append(point)
    found = []
    for code in sorted(beats):
        beat = beats[code]
        found += [beat[0::2], beat[1::2]] if len(beat) >= 3 else [beat]
    return found


def patrol_plans_for_day(*, platform: Platform, day: date, actor=None, replace: bool = False) -> list[PatrolPlan]:
    """Plans for every shift of the platform that starts on `day`."""
    shifts = Shift.objects.filter(squad__platform=platform, starts_at__gte=_at(day, time(0)),
                                  starts_at__lt=_at(day + timedelta(days=1), time(0))).select_related("squad__platform")
    return [patrol_plan_generate(shift=shift, actor=actor, replace=replace) for shift in shifts.order_by("starts_at", "pk")]


# --- verification on plain tracks -------------------------------------------------------------

@dataclass(frozen=True)
class PointVisit:
    visited: bool
    dwell_s: float  # the longest single stay within the radius
    closest_m: float | None
    first_at: datetime | None  # when the qualifying stay began

    def as_json(self) -> dict:
        return {**asdict(self), "first_at": self.first_at.isoformat() if self.first_at else None}


class _Flat:
    """Metres east and north of an origin (equirectangular: exact enough within a city)."""

    def __init__(self, lon: float, lat: float):
        self.lon, self.lat = lon, lat
        self.kx = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(lat))
        self.ky = math.radians(1) * EARTH_RADIUS_M

    def xy(self, lon, lat):
        """Scalars or numpy arrays alike."""
        return (lon - self.lon) * self.kx, (lat - self.lat) * self.ky


class _Track:
    """A track as arrays, fixes in time order: seconds since the first fix, lon, lat; and which
    consecutive pairs are close enough in time to join."""

    def __init__(self, track, max_gap_s: float):
        fixes = sorted(track)
        self.start = fixes[0][0] if fixes else None
        self.t = np.array([(fix[0] - self.start).total_seconds() for fix in fixes], dtype=float)
        self.lon = np.array([fix[1] for fix in fixes], dtype=float)
        self.lat = np.array([fix[2] for fix in fixes], dtype=float)
        self.joined = np.diff(self.t) <= max_gap_s

    def __len__(self):
        return len(self.t)

    def at(self, seconds: float) -> datetime:
        return self.start + timedelta(seconds=float(seconds))

    def runs(self):
        """Index ranges [i, j] of fixes joined one to the next."""
        breaks = np.flatnonzero(~self.joined)
        starts, ends = np.r_[0, breaks + 1], np.r_[breaks, len(self.t) - 1]
        return zip(starts.tolist(), ends.tolist())


def point_visit(track, lon: float, lat: float, *, radius_m: float, dwell_s: float, max_gap_s: float | None = None) -> PointVisit:
    """Whether `track` ((at, lon, lat) fixes) stays within `radius_m` of the point for `dwell_s` in one go."""
    fixes = _Track(track, settings.PATROL_MAX_FIX_GAP_S if max_gap_s is None else max_gap_s)
    if not len(fixes):
        return PointVisit(False, 0.0, None, None)
    x, y = _Flat(lon, lat).xy(fixes.lon, fixes.lat)
    closest = float(np.hypot(x, y).min())
    i = np.flatnonzero(fixes.joined)  # segments from fix i to fix i + 1
    x0, y0, dx, dy = x[i], y[i], x[i + 1] - x[i], y[i + 1] - y[i]
    t0, dt = fixes.t[i], fixes.t[i + 1] - fixes.t[i]
    if len(i):
        closest = min(closest, float(_segment_distances(x0, y0, dx, dy).min()))
    u0, u1 = _inside_fractions(x0, y0, dx, dy, radius_m)
    inside = u0 <= u1
    stays = _merged(zip((t0 + dt * u0)[inside].tolist(), (t0 + dt * u1)[inside].tolist()))
    best_from, best_to = max(stays, key=lambda span: span[1] - span[0], default=(0.0, 0.0))
    best_s = best_to - best_from
    visited = bool(stays) and best_s >= dwell_s and (dwell_s > 0 or closest <= radius_m)
    return PointVisit(visited, round(best_s, 1), round(closest, 1), fixes.at(best_from) if visited else None)


def _inside_fractions(x0, y0, dx, dy, radius: float):
    """For each segment p0 → p0 + d, the part [u0, u1] within `radius` of the origin (u0 > u1: none)."""
    a, b, c = dx * dx + dy * dy, 2 * (x0 * dx + y0 * dy), x0 * x0 + y0 * y0 - radius * radius
    still = a == 0  # no movement: all in or all out
    disc = np.where(still, 0.0, b * b - 4 * a * c)
    root = np.sqrt(np.maximum(disc, 0.0))
    safe_a = np.where(still, 1.0, a)
    u0 = np.where(still, np.where(c <= 0, 0.0, 1.0), np.maximum((-b - root) / (2 * safe_a), 0.0))
    u1 = np.where(still, np.where(c <= 0, 1.0, 0.0), np.minimum((-b + root) / (2 * safe_a), 1.0))
    u0 = np.where(~still & (disc < 0), 1.0, u0)
    u1 = np.where(~still & (disc < 0), 0.0, u1)
    return u0, u1


def _segment_distances(x0, y0, dx, dy):
    length2 = dx * dx + dy * dy
    u = np.clip(-(x0 * dx + y0 * dy) / np.where(length2 == 0, 1.0, length2), 0.0, 1.0)
    return np.hypot(x0 + u * dx, y0 + u * dy)


def _merged(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 0.001:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def route_coverage(coordinates, *tracks, corridor_m: float, max_gap_s: float | None = None, step_m: float = 1.0) -> float:
    """The fraction (0–1) of the route (a list of [lon, lat]) lying within `corridor_m` of any track,
    measured at every `step_m` along it."""
    max_gap_s = settings.PATROL_MAX_FIX_GAP_S if max_gap_s is None else max_gap_s
    flat = _Flat(*coordinates[0])
    route = LineString([flat.xy(lon, lat) for lon, lat in coordinates])
    if route.length == 0:
        return 0.0
    near = _track_near(route, tracks, flat, corridor_m, max_gap_s)
    if near is None:
        return 0.0
    count = max(int(math.ceil(route.length / step_m)), 1)
    samples = shapely.line_interpolate_point(route, (np.arange(count) + 0.5) * route.length / count)
    shapely.prepare(near)
    return round(float(shapely.dwithin(near, samples, corridor_m).mean()), 4)


def _track_near(route: LineString, tracks, flat: _Flat, corridor_m: float, max_gap_s: float):
    """The tracks' runs of joined fixes (a lone fix as a point) near the route, as one geometry."""
    min_x, min_y, max_x, max_y = route.buffer(corridor_m + 1.0).bounds
    pieces = []
    for track in tracks:
        fixes = _Track(track, max_gap_s)
        x, y = flat.xy(fixes.lon, fixes.lat)
        for i, j in fixes.runs():
            piece = Point(x[i], y[i]) if i == j else LineString(np.column_stack([x[i:j + 1], y[i:j + 1]]))
            piece = shapely.clip_by_rect(piece, min_x, min_y, max_x, max_y)
            if not piece.is_empty:
                pieces.append(piece)
    return GeometryCollection(pieces) if pieces else None


def time_inside(track, polygon: dict, *, max_gap_s: float | None = None) -> float:
    """Seconds of the track spent inside a GeoJSON polygon (a community task's zone), by joined fix pairs."""
    fixes = _Track(track, settings.PATROL_MAX_FIX_GAP_S if max_gap_s is None else max_gap_s)
    if len(fixes) < 2:
        return 0.0
    area = shape(polygon)
    inside = shapely.intersects_xy(area, fixes.lon, fixes.lat)  # on the edge counts as inside
    both = fixes.joined & inside[:-1] & inside[1:]
    return float(np.diff(fixes.t)[both].sum())


# --- verification from the stored tracks ------------------------------------------------------

def unit_track(unit_id: int, start: datetime, end: datetime) -> list[tuple[datetime, float, float]]:
    return list(TrackPoint.objects.filter(unit_id=unit_id, at__gte=start, at__lt=end).order_by("at")
                .values_list("at", "lon", "lat"))


def shift_coverage(shift: Shift, *, now: datetime | None = None) -> dict:
    """Every must-patrol point and route of the shift's platform: visited or covered by any of the
    shift's crews during the shift; and each patrol task, judged on its own unit in its band."""
    now = now or timezone.now()
    platform = shift.squad.platform
    units = list(shift.units.order_by("call_sign"))
    tracks = {unit.pk: unit_track(unit.pk, shift.starts_at, shift.ends_at) for unit in units}
    signs = {unit.pk: unit.call_sign for unit in units}
    tasks = list(_tasks_of(shift))
    points, routes = PatrolPoint.objects.filter(platform=platform), PatrolRoute.objects.filter(platform=platform)
    if shift.secondary:  # a secondary squad answers only for the posts it was given
        points = points.filter(pk__in=[t.point_id for t in tasks])
        routes = routes.filter(pk__in=[t.route_id for t in tasks])
    return {
        "shift": shift.pk, "squad": shift.squad.name, "kind": shift.kind, "secondary": shift.secondary,
        "starts_at": timezone.localtime(shift.starts_at).isoformat(), "ends_at": timezone.localtime(shift.ends_at).isoformat(),
        "complete": now >= shift.ends_at,
        "points": [_point_result(point, tracks, signs) for point in points.order_by("code")],
        "routes": [_route_result(route, tracks) for route in routes.order_by("code")],
        "tasks": [task_result(task, tracks.get(task.unit_id, [])) for task in tasks],
    }


def _point_result(point: PatrolPoint, tracks: dict, signs: dict) -> dict:
    visits = {unit_id: point_visit(track, point.lon, point.lat, radius_m=point.radius_m, dwell_s=point.dwell_s)
              for unit_id, track in tracks.items()}
    by = sorted(signs[unit_id] for unit_id, visit in visits.items() if visit.visited)
    dwell = max((visit.dwell_s for visit in visits.values()), default=0.0)
    return {"id": point.pk, "code": point.code, "name": point.name, "lon": point.lon, "lat": point.lat,
            "radius_m": point.radius_m, "dwell_s": point.dwell_s, "visited": bool(by), "by": by, "longest_stay_s": dwell}


def _route_result(route: PatrolRoute, tracks: dict) -> dict:
    coverage = route_coverage(route.line["coordinates"], *tracks.values(), corridor_m=route.corridor_m)
    return {"id": route.pk, "code": route.code, "name": route.name, "line": route.line, "length_m": route.length_m,
            "coverage": coverage, "covered": coverage >= settings.PATROL_ROUTE_COVERED_FRACTION}


def _tasks_of(shift: Shift):
    return (PatrolTask.objects.filter(band__plan__shift=shift).select_related("band", "unit", "point", "route", "zone")
            .order_by("band__starts_at", "unit__call_sign", "pk"))


def task_result(task: PatrolTask, track) -> dict:
    """A task judged on its own unit's fixes inside its band."""
    band = task.band
    fixes = [fix for fix in track if band.starts_at <= fix[0] < band.ends_at]
    result = {"task": task.pk, "unit": task.unit.call_sign, "mode": band.mode}
    if task.point:
        visit = point_visit(fixes, task.point.lon, task.point.lat, radius_m=task.point.radius_m, dwell_s=task.point.dwell_s)
        return {**result, "point": task.point.code, "done": visit.visited, "longest_stay_s": visit.dwell_s}
    if task.route:
        coverage = route_coverage(task.route.line["coordinates"], fixes, corridor_m=task.route.corridor_m)
        done = coverage >= settings.PATROL_ROUTE_COVERED_FRACTION
        return {**result, "route": task.route.code, "done": done, "coverage": coverage}
    return {**result, "zone": task.zone.code, "done": time_inside(fixes, task.zone.polygon) > 0,
            "inside_s": time_inside(fixes, task.zone.polygon)}


def platform_coverage(*, platform: Platform, day: date, now: datetime | None = None) -> dict:
    """The coverage report of a platform's day: each shift starting that day, and the gaps (points
    not visited, routes under the covered fraction) of the shifts already over or under way."""
    shifts = (Shift.objects.filter(squad__platform=platform, starts_at__gte=_at(day, time(0)),
                                   starts_at__lt=_at(day + timedelta(days=1), time(0)))
              .select_related("squad__platform").order_by("starts_at", "pk"))
    now = now or timezone.now()
    reports = [shift_coverage(shift, now=now) for shift in shifts if shift.starts_at <= now]
    gaps = [{"shift": r["shift"], "squad": r["squad"], "kind": "point", **_pick(p, "code", "name", "lon", "lat")}
            for r in reports for p in r["points"] if not p["visited"]]
    gaps += [{"shift": r["shift"], "squad": r["squad"], "kind": "route", "coverage": x["coverage"],
              **_pick(x, "code", "name", "line")} for r in reports for x in r["routes"] if not x["covered"]]
    points = [p for r in reports for p in r["points"]]
    routes = [x for r in reports for x in r["routes"]]
    return {"platform": platform.pk, "date": day.isoformat(), "shifts": reports, "gaps": gaps,
            "points_visited": sum(p["visited"] for p in points), "points_due": len(points),
            "routes_covered": sum(x["covered"] for x in routes), "routes_due": len(routes)}


def _pick(row: dict, *keys) -> dict:
    return {key: row[key] for key in keys}
