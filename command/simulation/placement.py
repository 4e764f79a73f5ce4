"""The planner's placement laid over the simulated day: for each band, where each platform's truck
stands and what each crew does, as `planning.city.plan_band` decides for the staffing the world
has in that band; or one saved plan (a supervisor's, `planning.DeploymentPlan`) over its own band.

The crews take the plan's tasks as an accepted plan gives them out (`planning.patrol_update.assign`:
the posts first, then the routes, then the zones; a secondary squad's foot crews double the posts),
so the simulator judges the plan a supervisor would accept. The demand it is planned on is the call
model's, the one the simulated calls are drawn from: the database's history may be anything (a fresh
demo's only calls are a week of survey calls at the platforms' own doors and a morning of traffic work,
and planning the 09:00-17:00 band on those seven points lost the key sites; found 2026-12-05)."""
from django.utils import timezone

from command.simulation.world import Band, World, band_dwell, task_stops
from grid.models import PatrolPoint, PatrolRoute, Zone
from planning import bands as planning_bands
from planning import city
from planning.demand import call_model_demand
from planning.models import DeploymentPlan
from planning.patrol_update import RESERVE, assign, plan_slots
from platforms.models import Platform

KINDS = {"post": "point", "route": "route", "zone": "zone"}


def apply(world: World, *, extra_crews: bool = False) -> None:
    """Lay the plans over the world's crews (the world as loaded, with its what-if); with
    `extra_crews`, each band's plan also says the fewest crews more its goals would take, and where."""
    if world.what_if.plan_id is not None:
        plan = DeploymentPlan.objects.filter(pk=world.what_if.plan_id).exclude(result={}).first()
        if plan is None:
            raise ValueError(f"no computed deployment plan {world.what_if.plan_id}")
        _lay(world, planning_bands.Band(plan.starts_at, plan.ends_at, plan.mode), plan.result)
        return
    for band in _bands_of(world):
        result = plan_for(world, band, extra=extra_crews)
        _lay(world, band, result)
        if "extra_crews" in result:
            world.plans[band.starts_at.isoformat()]["extra_crews"] = _extra_summary(result["extra_crews"])


def _bands_of(world: World) -> list:
    end = world.at(world.hours * 3600)
    found, day = [], timezone.localtime(world.start).date()
    while True:
        found += [b for b in planning_bands.day_bands(day) if b.starts_at < end and b.ends_at > world.start]
        if planning_bands.day_bands(day)[-1].ends_at >= end:
            return found
        day = day.fromordinal(day.toordinal() + 1)


def plan_for(world: World, band, *, extra: bool = False) -> dict:
    """The band's plan for every platform, on the staffing the world has in the band."""
    platforms = list(Platform.objects.order_by("code").prefetch_related("zones"))
    staffing = staffing_of(world, band)
    demand = call_model_demand(starts_at=band.starts_at, ends_at=band.ends_at,
                               zone_ids=[z.pk for p in platforms for z in p.zones.all()])
    return city.plan_band(platforms=platforms, band=band, staffing=staffing, demand=demand, extra=extra)


def _extra_summary(extra: dict) -> dict:
    """The planner's fewest extra crews, as the run's JSON reports them: how many, where (the road
    point, the platform it is nearest to in the plan, what it stands near) and the static shares."""
    where = [{"crews": w["crews"], "lon": round(w["lon"], 6), "lat": round(w["lat"], 6), "platform": w["platform"],
              "near": w["near"]} for w in extra.get("where", [])]
    return {"crews": extra.get("crews"), "where": where, "goals": extra.get("goals"), "now": extra.get("now"),
            "reached": extra.get("reached"), "best_possible": extra.get("best_possible"),
            "proven_optimal": extra.get("proven_optimal")}


def staffing_of(world: World, band) -> planning_bands.Staffing:
    """As `planning.bands.crews_on_duty` reads the roster: the fewest crews on duty at any moment of
    the band (trucks apart), whether the truck is crewed at its start."""
    start, end = _seconds(world, band.starts_at), _seconds(world, band.ends_at)
    overlapping = [u for u in world.units if u.on_from < end and u.on_until > start]
    moments = sorted({start} | {u.on_from for u in overlapping if start < u.on_from < end})
    staffing = planning_bands.Staffing()
    for code in sorted(world.platforms):
        crews = [u for u in overlapping if u.platform == code and not u.parked]
        staffing.crews[code] = min(sum(1 for u in crews if u.on_from <= t < u.on_until) for t in moments)
        staffing.trucks[code] = any(u.parked and u.on_from <= start < u.on_until for u in overlapping if u.platform == code)
        staffing.units[code] = []
    return staffing


def _seconds(world: World, moment) -> float:
    return max(0.0, (moment - world.start).total_seconds())


def _lay(world: World, band, result: dict) -> None:
    start, end = _seconds(world, band.starts_at), _seconds(world, band.ends_at)
    stops = _Stops()
    for row in result["platforms"]:
        units = [u for u in world.units if u.platform == row["code"] and u.on_from < end and u.on_until > start]
        stand = (row["stand"]["lon"], row["stand"]["lat"])
        for truck in (u for u in units if u.parked):
            _replace(truck, Band(max(start, truck.on_from), min(end, truck.on_until), band.mode, (stand,), 0.0))
        zones = list(Zone.objects.filter(platform__code=row["code"]).order_by("code").values_list("pk", flat=True))
        for shift in _shifts([u for u in units if not u.parked]):
            secondary = all(u.crew.vehicle_kind is None for u in shift)
            for crew, kind, pk in assign(plan_slots(row), shift, zones, secondary=secondary, reserve=row["reserve"]):
                span = (max(start, crew.on_from), min(end, crew.on_until), band.mode)
                if kind == RESERVE:  # ready with the truck at the stand
                    _replace(crew, Band(*span, (stand,), 0.0))
                else:
                    _replace(crew, Band(*span, stops.of(kind, pk), band_dwell({KINDS[kind]}), kind == "post"))
    source = result.get("demand", {}).get("source")
    world.plans[band.starts_at.isoformat()] = {"mode": band.mode, "demand": source, "platforms": {
        row["code"]: {"stand": row["stand"]["code"] or "here", "tasks": len(plan_slots(row))} for row in result["platforms"]}}


def _shifts(crews: list) -> list[list]:
    """The crews by shift (the span they are on duty), each in call-sign order."""
    found = {}
    for crew in crews:
        found.setdefault((crew.on_from, crew.on_until), []).append(crew)
    return [sorted(rows, key=lambda u: (u.crew.call_sign, u.pk)) for _, rows in sorted(found.items())]


def _replace(unit, band: Band) -> None:
    """The unit's bands inside the new one's span give way to it."""
    if band.end <= band.start or not band.stops:
        return
    kept = [b for b in unit.bands if b.end <= band.start or b.start >= band.end]
    unit.bands = tuple(sorted([*kept, band], key=lambda b: b.start))


class _Stops:
    """Road points of the plan's tasks, read once each."""

    def __init__(self):
        self.found = {}

    def of(self, kind: str, pk: int) -> tuple:
        if (kind, pk) not in self.found:
            self.found[(kind, pk)] = self._read(kind, pk)
        return self.found[(kind, pk)]

    @staticmethod
    def _read(kind: str, pk: int) -> tuple:
        if kind == "post":
            point = PatrolPoint.objects.get(pk=pk)
            return task_stops(point=(point.lon, point.lat))
        if kind == "route":
            return task_stops(line=PatrolRoute.objects.get(pk=pk).line["coordinates"])
        return task_stops(polygon=Zone.objects.get(pk=pk).polygon)
