"""The ranking half of the dispatch engine (DESIGN §3.2–3.3, 3.7): who could go, and who is there first.

Reads only; `dispatch.decisions` writes what is decided. Routing happens here, outside any
transaction, because it is the slow part and must not hold row locks.
"""
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from dispatch.models import Assignment, AssignmentStatus, Category, Incident, Priority
from grid import travel
from grid.geometry import distance_m
from grid.travel import Candidate, Leg, OffNetwork
from platforms.models import Unit, UnitStatus, VehicleKind
from platforms.positions import live_positions, units_near, units_placed

# Which capability a category wants; categories not listed take any patrol-capable unit.
CATEGORY_CAPABILITY = {
    Category.TRAFFIC_ACCIDENT: "traffic",
    Category.TRAFFIC_CONGESTION: "traffic",
    Category.RESCUE: "rescue",
}
# Calls that need several units from the start: a mass event always, a P1 criminal call a backup.
UNITS_NEEDED = {(Category.MASS_EVENT, None): 3, (Category.CRIMINAL, Priority.P1): 2}
LOWEST_PRIORITY = Priority.P4
PREEMPTABLE = (AssignmentStatus.ASSIGNED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.EN_ROUTE)
SEARCH_RADII_M = (2500.0, 6000.0)  # the live GEO search widens through these, then takes everyone


def units_needed(category: str, priority: int) -> int:
    return UNITS_NEEDED.get((category, priority)) or UNITS_NEEDED.get((category, None)) or 1


def capability_for(category: str) -> str:
    return CATEGORY_CAPABILITY.get(category, "patrol")


@dataclass(frozen=True)
class Option:
    """One unit as ranked for one incident. `preempts` is the assignment it would be pulled off."""

    unit: int
    call_sign: str
    eta_s: float
    distance_m: float
    meets_target: bool
    stale: bool
    workload: int
    estimated: bool
    preempts: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def on_duty_units(*, capability: str, statuses=(UnitStatus.AVAILABLE,), now=None):
    now = now or timezone.now()
    return (Unit.objects.filter(status__in=statuses, shift__approved=True, shift__starts_at__lte=now,
                                shift__ends_at__gt=now, capabilities__contains=[capability])
            .select_related("vehicle"))


def rank(incident: Incident, *, exclude=(), k: int | None = None, now=None) -> list[Option]:
    """Available, capable units on duty by ETA to the incident (ties: the less busy first), exactly.

    A radius search of the live GEO set narrows thousands of units to the nearby few before any
    routing. It is exact: the answer from inside radius r stands only if its k-th ETA is no more
    than the least time any unit outside r could need (`_eta_beyond`); else the search widens, and
    at last takes everyone. Units with no live position (only their row knows where they are) are
    always ranked."""
    now = now or timezone.now()
    k = k or incident.units_needed + settings.RECOMMENDATION_ALTERNATIVES
    candidates = on_duty_units(capability=capability_for(incident.category), now=now).exclude(pk__in=list(exclude))
    ids = set(candidates.values_list("pk", flat=True))
    unplaced = ids - units_placed(ids)
    radii = SEARCH_RADII_M if settings.DISPATCH_RANKING == "pruned" else ()  # the baseline routes everyone
    for radius in radii:
        near = {pk for pk, _ in units_near(incident.lon, incident.lat, radius)} & ids
        options = _ranked(incident, _units(near | unplaced), k, now)
        if len(options) == k and options[-1].eta_s <= _eta_beyond(radius):
            return options
    return _ranked(incident, _units(ids), k, now)


def _units(ids) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=list(ids)).select_related("vehicle"))


def _eta_beyond(radius_m: float) -> float:
    """No unit farther than `radius_m` in a straight line can arrive sooner than this: both ends may
    snap up to the limit towards each other, no road is faster than the network's fastest, the
    congestion factor is at least 1 and the turnout at least a moving unit's."""
    network = travel.engines.current()
    top_mps = network.max_speed_kmh / 3.6 if network else settings.FALLBACK_SPEED_KMH / 3.6
    road_m = max(radius_m - 2 * settings.SNAP_LIMIT_M, 0.0)
    return road_m / top_mps + min(settings.TURNOUT_MOVING_S, settings.TURNOUT_PARKED_S)


def preemption_options(incident: Incident, *, exclude=(), now=None) -> list[Option]:
    """Units on a lowest-priority job, not yet on scene, that a pre-empting call could take."""
    if incident.priority not in settings.PREEMPTING_PRIORITIES or incident.priority == LOWEST_PRIORITY:
        return []
    active = {a.unit_id: a.pk for a in _preemptable_assignments(incident).exclude(unit_id__in=list(exclude))}
    units = list(Unit.objects.filter(pk__in=active).select_related("vehicle"))
    options = _ranked(incident, units, incident.units_needed, now or timezone.now())
    return [Option(**{**option.as_dict(), "preempts": active[option.unit]}) for option in options]


def _preemptable_assignments(incident: Incident):
    return Assignment.objects.filter(status__in=PREEMPTABLE, incident__priority=LOWEST_PRIORITY,
                                     unit__capabilities__contains=[capability_for(incident.category)])


def _ranked(incident: Incident, units: list[Unit], k: int, now) -> list[Option]:
    fixes = live_positions([unit.pk for unit in units])
    by_profile: dict[str, list[Candidate]] = {}
    for unit in units:
        fix = fixes.get(unit.pk)
        if fix is not None:
            by_profile.setdefault(unit_profile(unit), []).append(
                Candidate(key=(unit, fix.stale), lon=fix.lon, lat=fix.lat, extra_s=turnout_s(fix)))
    target = (incident.lon, incident.lat)
    found = []
    for profile, candidates in by_profile.items():
        found += _fastest(target, candidates, k, profile, now)
    workloads = _workloads([candidate.key[0].pk for candidate, _ in found], now)
    options = [_option(incident, candidate, leg, workloads) for candidate, leg in found]
    options.sort(key=lambda o: (round(o.eta_s), o.workload, o.call_sign))
    return options[:k]


def _fastest(target, candidates: list[Candidate], k: int, profile: str, now) -> list[tuple[Candidate, Leg]]:
    try:
        if settings.DISPATCH_RANKING == "full_table":  # the benchmark's baseline: route everyone
            return _full_table(target, candidates, k, profile, now)
        return travel.fastest_to(target, candidates, k=k, profile=profile, at=now)
    except OffNetwork:
        # The scene is off the road network (a park, a riverside walk): a unit is still sent, ranked
        # by the labelled straight-line estimate, and the console shows the times as estimates.
        legs = [(c, _estimate(c, target)) for c in candidates]
        return sorted(legs, key=lambda item: item[1].duration_s + item[0].extra_s)[:k]


def _full_table(target, candidates: list[Candidate], k: int, profile: str, now) -> list[tuple[Candidate, Leg]]:
    legs = travel.durations_to(target, [(c.lon, c.lat) for c in candidates], profile=profile, at=now)
    ranked = sorted(((c, leg) for c, leg in zip(candidates, legs) if leg), key=lambda item: item[1].duration_s + item[0].extra_s)
    return ranked[:k]


def _estimate(candidate: Candidate, target) -> Leg:
    metres = distance_m(candidate.lon, candidate.lat, *target) * settings.FALLBACK_DETOUR_FACTOR
    return Leg(metres / (settings.FALLBACK_SPEED_KMH / 3.6), metres, estimated=True)


def _option(incident: Incident, candidate: Candidate, leg, workloads: dict) -> Option:
    unit, stale = candidate.key
    eta = round(leg.duration_s + candidate.extra_s, 1)
    return Option(unit=unit.pk, call_sign=unit.call_sign, eta_s=eta, distance_m=round(leg.distance_m),
                  meets_target=eta <= incident.target_s, stale=stale, workload=workloads.get(unit.pk, 0),
                  estimated=leg.estimated)


def unit_profile(unit: Unit) -> str:
    """Foot patrols walk; cars, motorcycles and platform trucks drive (motorcycles use the car graph)."""
    return "foot" if unit.vehicle is None or unit.vehicle.kind == VehicleKind.ON_FOOT else "car"


def turnout_s(fix) -> float:
    moving = fix.speed_mps is not None and fix.speed_mps > 1.0
    return settings.TURNOUT_MOVING_S if moving else settings.TURNOUT_PARKED_S


def _workloads(unit_ids: list[int], now) -> dict[int, int]:
    """Assignments each unit took today: who has worked less gets the tie."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (Unit.objects.filter(pk__in=unit_ids)
            .annotate(n=Count("assignments", filter=Q(assignments__assigned_at__gte=start))).values_list("pk", "n"))
    return dict(rows)

