"""The simulated city, read once from the database: crews on duty by their approved shifts for the
simulated day, their posts, zones, key sites. Nothing here writes; the what-ifs change only this copy.

The day's crews are the units of every approved shift overlapping the simulated window (by default
the local day today, which `seed_demo` always rosters), so the simulator sees the staffing the
supervisors approved, squad by squad, shift by shift.
"""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone
from shapely.geometry import shape

from command.simulation import assumptions as A
from dispatch.engine import Crew, unit_profile
from grid.models import KeySite, PatrolPoint, Zone
from grid.selectors import served_area_contains
from planning import places
from platforms.models import PatrolTask, Platform, Squad, Unit


@dataclass(frozen=True)
class WhatIf:
    """Changes to the world before a run: a supervisor's question, asked without changing anything."""

    move_platform: dict = field(default_factory=dict)   # platform code -> (lon, lat)
    remove_squads: frozenset = frozenset()              # {(platform code, squad number)}
    rate_factor: float = 1.0
    placement: str = "today"    # "today": the seeded patrol plans; "planned": the planner's plan for every band
    plan_id: int | None = None  # a deployment plan (planning.DeploymentPlan) laid over its own band

    def as_dict(self) -> dict:
        found = {"move_platform": {code: list(point) for code, point in sorted(self.move_platform.items())},
                 "remove_squads": [f"{code}:{number}" for code, number in sorted(self.remove_squads)],
                 "rate_factor": self.rate_factor}
        if self.placement != "today" or self.plan_id is not None:
            found.update(placement=self.placement, plan=self.plan_id)
        return found


@dataclass(frozen=True)
class Band:
    """One band of a crew's patrol plan, in seconds from the start of the run: hold a post (one stop,
    parked) or go round the stops (a route's waypoints, a zone's streets, several posts), dwelling
    `dwell_s` at each."""

    start: float
    end: float
    mode: str
    stops: tuple
    dwell_s: float
    posts: bool = False   # its stops are all must-patrol points (posts), not a route or a zone

    @property
    def hold(self) -> bool:
        return len(self.stops) == 1


@dataclass
class SimUnit:
    """A crew as the simulator moves it. `crew` is what the engine's ranking reads. It follows its
    patrol plan's `bands`; outside them (no plan seeded) it goes round `stops` by the hour."""

    crew: Crew
    platform: str
    capabilities: tuple
    officers: int
    on_from: float        # seconds from the start of the run
    on_until: float
    stops: list           # [(lon, lat)], its posts in patrol order; stops[0] is its peak post
    profile: str = "car"
    parked: bool = True   # trucks never leave their post on patrol
    bands: tuple = ()     # its patrol plan (Band), in time order

    @property
    def pk(self) -> int:
        return self.crew.pk

    def band_at(self, t: float) -> Band | None:
        return next((band for band in self.bands if band.start <= t < band.end), None)

    def post_at(self, t: float) -> tuple:
        """Where its plan has it at `t`: its band's first stop, else its first post (a truck: the platform)."""
        band = self.band_at(t)
        return band.stops[0] if band else self.stops[0]

    @property
    def beat(self) -> tuple:
        """The posts it keeps all shift, off-peak too (the same posts in every band of its plan, of
        every mode: a key site's fixed posts), or () when its task changes with the band."""
        stops, modes = {band.stops for band in self.bands}, {band.mode for band in self.bands}
        held = len(stops) == 1 and modes != {"posts"} and all(band.posts for band in self.bands)
        return self.bands[0].stops if held else ()


@dataclass(frozen=True)
class SimZone:
    pk: int
    code: str
    response_class: str
    target_s: int
    polygon: object
    platform: str
    min_cover: int
    centre: tuple | None  # on a road, or None when no road is near the zone's centre


@dataclass
class World:
    start: datetime
    hours: float
    units: list
    zones: list
    key_sites: list       # [(pk, code, lon, lat, radius_m)]
    platforms: dict       # code -> (lon, lat) as simulated (moved if asked)
    what_if: WhatIf
    plans: dict = field(default_factory=dict)   # band start -> the plan laid over it (command.simulation.placement)

    def at(self, seconds: float) -> datetime:
        return self.start + timedelta(seconds=seconds)


def load_world(*, day=None, hours: float = 24.0, what_if: WhatIf | None = None, extra_crews: bool = False) -> World:
    what_if = what_if or WhatIf()
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time(0, 0)))
    platforms = {p.code: (p.lon, p.lat) for p in Platform.objects.order_by("code")}
    _check(what_if, platforms)
    platforms.update(what_if.move_platform)
    zones = _zones()
    stops = _stops(platforms, zones)
    # Shifts starting within the hour after the window are read too: they take the calls left waiting.
    units = _units(start, start + timedelta(hours=hours + 1), stops, what_if)
    _follow_plans(units, start)
    if not any(u.on_from < hours * 3600 for u in units):
        raise ValueError(f"no approved shift on {day.isoformat()}: roster that day first (or pick another --day)")
    sites = list(KeySite.objects.order_by("code").values_list("pk", "code", "lon", "lat", "radius_m"))
    world = World(start=start, hours=hours, units=units, zones=zones, key_sites=sites, platforms=platforms,
                  what_if=what_if)
    if what_if.placement != "today" or what_if.plan_id is not None:
        from command.simulation import placement

        placement.apply(world, extra_crews=extra_crews)
    return world


def _check(what_if: WhatIf, platforms: dict) -> None:
    """A what-if names platforms and squads that exist, and moves a platform to a served point."""
    unknown = (set(what_if.move_platform) | {code for code, _number in what_if.remove_squads}) - set(platforms)
    if unknown:
        raise ValueError(f"unknown platform(s): {', '.join(sorted(unknown))}")
    squads = set(Squad.objects.values_list("platform__code", "number"))
    missing = sorted(f"{code}:{number}" for code, number in what_if.remove_squads if (code, number) not in squads)
    if missing:
        raise ValueError(f"unknown squad(s): {', '.join(missing)}")
    for code, (lon, lat) in sorted(what_if.move_platform.items()):
        if not served_area_contains(lon, lat):
            raise ValueError(f"{code} cannot move to ({lon}, {lat}): outside the served area")


def _zones() -> list[SimZone]:
    from django.conf import settings

    rows = []
    for zone in Zone.objects.select_related("platform").order_by("code"):
        polygon = shape(zone.polygon)
        centre = zone.response_class == "city_centre"
        target = settings.RESPONSE_TARGET_CITY_CENTRE_S if centre else settings.RESPONSE_TARGET_OTHER_S
        point = polygon.representative_point()
        rows.append(SimZone(zone.pk, zone.code, zone.response_class, target, polygon, zone.platform.code,
                          zone.min_cover_units, _on_road(point.x, point.y)))
    return rows


def _on_road(lon: float, lat: float) -> tuple | None:
    return places.on_road(lon, lat)


def _stops(platforms: dict, zones: list[SimZone]) -> dict:
    """Each platform's posts: the platform itself, its must-patrol points, its zones' centres."""
    points = {}
    for code, lon, lat in PatrolPoint.objects.order_by("code").values_list("platform__code", "lon", "lat"):
        points.setdefault(code, []).append((lon, lat))
    stops = {}
    for code, (lon, lat) in platforms.items():
        candidates = [(lon, lat), *points.get(code, []), *[z.centre for z in zones if z.platform == code and z.centre]]
        on_road = [_on_road(*point) for point in candidates]
        stops[code] = list(dict.fromkeys(point for point in on_road if point))
    return stops


def _units(start, end, stops: dict, what_if: WhatIf) -> list[SimUnit]:
    rows = (Unit.objects.filter(shift__approved=True, shift__starts_at__lt=end, shift__ends_at__gt=start)
            .select_related("shift__squad", "platform", "vehicle").annotate(n_officers=Count("officers"))
            .order_by("platform__code", "shift__starts_at", "call_sign", "pk"))
    units, turn = [], {}
    for unit in rows:
        code = unit.platform.code
        if (code, unit.shift.squad.number) in what_if.remove_squads:
            continue
        kind = unit.vehicle.kind if unit.vehicle else None
        posts = stops[code] or [(unit.platform.lon, unit.platform.lat)]
        truck = kind == "platform_truck"
        offset = 0 if truck else turn.setdefault((code, unit.shift_id), 0) % len(posts)
        if not truck:
            turn[(code, unit.shift_id)] += 1
        units.append(SimUnit(
            crew=Crew(unit.pk, unit.call_sign, kind), platform=code, capabilities=tuple(unit.capabilities),
            officers=unit.n_officers, on_from=max(0.0, (unit.shift.starts_at - start).total_seconds()),
            on_until=(unit.shift.ends_at - start).total_seconds(), stops=posts[offset:] + posts[:offset],
            profile=unit_profile(kind), parked=truck))
    return units


# --- the seeded patrol plans ----------------------------------------------------------------

def _follow_plans(units: list[SimUnit], start) -> None:
    """Each crew's bands from its shift's patrol plan (platforms.patrol): a post is held, parked; a
    route is driven end to end and back; a zone is patrolled street by street. Trucks stay parked."""
    by_unit = {u.pk: u for u in units if not u.parked}
    tasks = (PatrolTask.objects.filter(unit_id__in=by_unit).select_related("band", "point", "route", "zone")
             .order_by("unit_id", "band__starts_at", "pk"))
    plans, places = {}, {}
    for task in tasks:
        band = task.band
        key = ("point", task.point_id) if task.point_id else ("route", task.route_id) if task.route_id else ("zone", task.zone_id)
        if key not in places:
            places[key] = _places_of(task)
        plans.setdefault(task.unit_id, {}).setdefault(band.pk, [band, []])[1].append((key[0], places[key]))
    for pk, bands in plans.items():
        unit = by_unit[pk]
        rows = []
        for band, found in bands.values():
            stops = tuple(dict.fromkeys(point for _kind, points in found for point in points))
            if not stops:
                continue
            kinds = {kind for kind, _points in found}
            rows.append(Band(max(0.0, (band.starts_at - start).total_seconds()), (band.ends_at - start).total_seconds(),
                             band.mode, stops, band_dwell(kinds), kinds == {"point"}))
        unit.bands = tuple(sorted(rows, key=lambda b: b.start))


def _places_of(task: PatrolTask) -> tuple:
    if task.point:
        return task_stops(point=(task.point.lon, task.point.lat))
    if task.route:
        return task_stops(line=task.route.line["coordinates"])
    return task_stops(polygon=task.zone.polygon)


def task_stops(*, point=None, line=None, polygon=None) -> tuple:
    """Where a patrol task takes a crew, as points on the road (`planning.places.task_stops`, which the
    planner reads too), at the simulator's spacing of a route's waypoints and a zone's stops.
    The live mode reads the same tasks from the API and calls this too."""
    return places.task_stops(point=point, line=line, polygon=polygon, every_m=A.ROUTE_WAYPOINT_M,
                             zone_stops=A.ZONE_STOPS)


def band_dwell(kinds: set) -> float:
    """A route's crew stops briefly at its waypoints, a key site's crew at its posts (on the move
    between them); zones are dwelt at."""
    return A.ROUTE_STOP_S if kinds == {"route"} else A.POST_STOP_S if kinds == {"point"} else A.PATROL_DWELL_S
