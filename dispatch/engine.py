"""The ranking half of the dispatch engine (DESIGN §3.2–3.3, 3.7): who could go, and who is there first.

Reads only; `dispatch.decisions` writes what is decided. Routing happens here, outside any
transaction, because it is the slow part and must not hold row locks.
"""
import math
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from dispatch import mode_policy
from dispatch.models import Assignment, AssignmentStatus, Category, Incident, Priority
from grid import modes, travel
from grid.travel import Candidate, Leg, OffNetwork
from platforms.filters import on_duty_now
from platforms.models import Unit, UnitStatus
from platforms.positions import live_near, live_positions
from platforms.unit_modes import mode_of, vehicle_kinds_of

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
SEARCH_RADII_M = (2500.0, 3500.0, 5000.0)  # the live GEO search starts at the first; at most the last, then everyone


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
    mode: str = modes.CAR  # the way it moves (grid.modes), ranked with its own travel


    def as_dict(self) -> dict:
        return asdict(self)


def on_duty_units(*, capability: str, statuses=(UnitStatus.AVAILABLE,), now=None, only_modes=None):
    """Units on duty in these statuses with the capability; with `only_modes`, of those ways of moving only."""
    units = (Unit.objects.filter(on_duty_now(now), status__in=statuses, capabilities__contains=[capability])
             .select_related("vehicle"))
    if only_modes is not None:
        on_foot = Q(vehicle__isnull=True) if modes.FOOT in only_modes else Q(pk__in=[])
        units = units.filter(Q(vehicle__kind__in=vehicle_kinds_of(only_modes)) | on_foot)
    return units


def rank(incident: Incident, *, exclude=(), k: int | None = None, now=None, only_modes=None) -> list[Option]:
    """Available, capable units on duty by ETA to the incident (ties: the less busy first), exactly.

    A radius search of the live GEO set narrows thousands of units to the nearby hundreds before
    any routing, and `travel.fastest_to` then routes only those whose ETA lower bound could still
    win. The narrowing is exact: the answer from inside radius r stands only if its k-th ETA is
    below the least time any unit beyond r could need (`travel.seconds_at_least`); else the search
    widens, and at last takes everyone. Units with no live state are always ranked. Only the modes the
    category allows (dispatch.mode_policy) are candidates; `only_modes` narrows them further."""
    now = now or timezone.now()
    k = k or incident.units_needed + settings.RECOMMENDATION_ALTERNATIVES
    wanted = _wanted_modes(incident.category, only_modes)
    candidates = (on_duty_units(capability=capability_for(incident.category), now=now, only_modes=wanted)
                  .exclude(pk__in=list(exclude)))
    crews = {crew.pk: crew for crew in _crews(candidates)}
    if settings.DISPATCH_RANKING == "full_table":  # the benchmark's baseline: every unit, one table
        return _ranked(incident, crews.values(), k, now)
    floor_s = min(settings.TURNOUT_MOVING_S, settings.TURNOUT_PARKED_S)
    ranked, options, radius = set(), [], SEARCH_RADII_M[0]
    while radius is not None:
        fixes, unplaced = live_near(incident.lon, incident.lat, radius, crews)
        inside = fixes.keys() | unplaced
        if len(inside) == len(crews):
            break  # everyone is inside: rank them all
        if len(inside) >= k:
            options = _ranked(incident, _still_placing(crews, inside, ranked, options), k, now, fixes=fixes)
            ranked |= inside
            if len(options) == k and options[-1].eta_s < travel.seconds_at_least(radius) + floor_s:
                return options
        radius = _wider(radius, options, k, floor_s)
    return _ranked(incident, _still_placing(crews, crews.keys(), ranked, options), k, now)


def _wanted_modes(category: str, only_modes) -> list[str] | None:
    """The modes the category lets be sent (None: every one, modes off), within `only_modes`."""
    if not settings.DISPATCH_MODES:
        return None  # every unit is a car: none is left out for its mode
    allowed = mode_policy.allowed_modes(category)
    return [mode for mode in allowed if only_modes is None or mode in only_modes]


def _wider(radius: float, options: list[Option], k: int, floor_s: float) -> float | None:
    """The next circle. With k units ranked, the one that settles it: its edge lies farther in time
    than the k-th ETA found so far, which more units can only lower. Else the next default radius.
    None: everyone."""
    if len(options) < k:
        return next((r for r in SEARCH_RADII_M if r > radius), None)
    settling = _radius_beyond(options[-1].eta_s - floor_s)
    return settling if settling <= SEARCH_RADII_M[-1] else None


def _radius_beyond(seconds: float) -> float:
    """A straight-line distance (within 25 m of the least) from which no unit arrives in `seconds`."""
    low, high = 0.0, SEARCH_RADII_M[-1]
    if travel.seconds_at_least(high) <= seconds:
        return math.inf
    while high - low > 25.0:
        middle = (low + high) / 2
        low, high = (middle, high) if travel.seconds_at_least(middle) <= seconds else (low, middle)
    return high


def _still_placing(crews: dict, inside, ranked: set, best: list[Option]) -> "list[Crew]":
    """Of the units inside a wider circle, those that may still place: the ones not ranked yet, and
    the best k of an inner circle (a unit ranked there outside its best k has k units ahead of it,
    as it would in the whole ranking). A widening costs the ring, not the circle again."""
    return [crews[pk] for pk in (inside - ranked) | {option.unit for option in best}]


@dataclass(frozen=True)
class Crew:
    """What ranking needs of a unit; read as plain rows, since thousands are read per call."""

    pk: int
    call_sign: str
    vehicle_kind: str | None


def _crews(units) -> list[Crew]:
    return [Crew(*row) for row in units.values_list("pk", "call_sign", "vehicle__kind")]


def preemption_options(incident: Incident, *, exclude=(), now=None) -> list[Option]:
    """Units on a lowest-priority job, not yet on scene, that a pre-empting call could take."""
    if incident.priority not in settings.PREEMPTING_PRIORITIES or incident.priority == LOWEST_PRIORITY:
        return []
    active = {a.unit_id: a.pk for a in _preemptable_assignments(incident).exclude(unit_id__in=list(exclude))}
    options = _ranked(incident, _crews(Unit.objects.filter(pk__in=active)), incident.units_needed, now or timezone.now())
    return [Option(**{**option.as_dict(), "preempts": active[option.unit]}) for option in options]


def _preemptable_assignments(incident: Incident):
    return Assignment.objects.filter(status__in=PREEMPTABLE, incident__priority=LOWEST_PRIORITY,
                                     unit__capabilities__contains=[capability_for(incident.category)])


def _ranked(incident: Incident, units, k: int, now, fixes: dict | None = None) -> list[Option]:
    """`fixes`, when the caller read them already, holds the live ones; the rest are read here."""
    fixes = dict(fixes or {})
    fixes.update(live_positions([unit.pk for unit in units if unit.pk not in fixes]))
    placed = [(unit, fixes[unit.pk]) for unit in units if unit.pk in fixes]
    return rank_placed((incident.lon, incident.lat), target_s=incident.target_s, placed=placed, k=k, now=now,
                       workloads=lambda ids: _workloads(ids, now), category=incident.category)


def rank_placed(target, *, target_s: float, placed, k: int, now, workloads, ranking: str | None = None,
                category: str | None = None, modes_on: bool | None = None) -> list[Option]:
    """The ranking itself, on units already placed: [(crew, fix)] → the k best Options. Production
    feeds it the database and the live picture; the simulator feeds it its own world, so both rank
    with the same code. `workloads(unit_ids)` gives jobs taken today, for ties. Each mode ranks with its
    own travel (grid.modes), cut at the category's longest ETA for it (dispatch.mode_policy); with the
    modes off (`modes_on`, else settings.DISPATCH_MODES) it ranks as before issue 16 (`mode_before`)."""
    modes_on = settings.DISPATCH_MODES if modes_on is None else modes_on
    turnout = Turnout.now()
    by_mode: dict[str, list[Candidate]] = {}
    for unit, fix in placed:
        by_mode.setdefault(mode_of(unit.vehicle_kind) if modes_on else mode_before(unit.vehicle_kind), []).append(
            Candidate(key=(unit, fix.stale), lon=fix.lon, lat=fix.lat, extra_s=turnout.of(fix)))
    options = []
    for mode, candidates in by_mode.items():
        found = _fastest(target, candidates, k, mode, now, ranking or settings.DISPATCH_RANKING)
        longest = mode_policy.limit(category, mode).max_eta_s if category and modes_on else None
        options += [(mode, candidate, leg) for candidate, leg in found
                    if longest is None or leg.duration_s + candidate.extra_s <= longest]
    jobs = workloads([candidate.key[0].pk for _, candidate, _ in options])
    options = [_option(target_s, candidate, leg, jobs, mode) for mode, candidate, leg in options]
    options.sort(key=lambda o: (round(o.eta_s), o.workload, o.call_sign))
    return options[:k]


def _fastest(target, candidates: list[Candidate], k: int, mode: str, now, ranking: str) -> list[tuple[Candidate, Leg]]:
    try:
        if ranking == "full_table":  # the benchmark's baseline: route everyone
            return _full_table(target, candidates, k, mode, now)
        return modes.fastest_to(target, candidates, k=k, mode=mode, at=now)
    except OffNetwork:
        # The scene is off the road network (a park, a riverside walk): a unit is still sent, ranked
        # by the labelled straight-line estimate, and the console shows the times as estimates.
        legs = [(c, travel.estimate((c.lon, c.lat), target)) for c in candidates]
        return sorted(legs, key=lambda item: item[1].duration_s + item[0].extra_s)[:k]


def _full_table(target, candidates: list[Candidate], k: int, mode: str, now) -> list[tuple[Candidate, Leg]]:
    legs = modes.durations_to(target, [(c.lon, c.lat) for c in candidates], mode=mode, at=now)
    ranked = sorted(((c, leg) for c, leg in zip(candidates, legs) if leg), key=lambda item: item[1].duration_s + item[0].extra_s)
    return ranked[:k]


def _option(target_s: float, candidate: Candidate, leg, workloads: dict, mode: str = modes.CAR) -> Option:
    unit, stale = candidate.key
    eta = round(leg.duration_s + candidate.extra_s, 1)
    return Option(unit=unit.pk, call_sign=unit.call_sign, eta_s=eta, distance_m=round(leg.distance_m),
                  meets_target=eta <= target_s, stale=stale, workload=workloads.get(unit.pk, 0),
                  estimated=leg.estimated, mode=mode)


def mode_before(vehicle_kind: str | None) -> str:
    """How the engine ranked a unit before issue 16: a crew on foot walking, every other as a car (a
    motorcycle in all of the car's congestion, a bicycle on the car's roads)."""
    return modes.FOOT if mode_of(vehicle_kind) == modes.FOOT else modes.CAR


def unit_profile(vehicle_kind: str | None) -> str:
    """The OSRM profile a unit routes on: its mode's (platforms.unit_modes, grid.modes)."""
    return modes.profile_of(mode_of(vehicle_kind))


def car_backup(incident: Incident, options: list[Option], *, now=None) -> list[Option]:
    """A car to send beside the first unit when that unit moves on foot or on two wheels and the category
    wants a car there (dispatch.mode_policy): the best car among `options`, else the best car ranked on its
    own. Empty when none is wanted or none is free."""
    fresh = [option for option in options if not option.stale]
    if not fresh or not settings.DISPATCH_MODES or not mode_policy.needs_car_beside(incident.category, fresh[0].mode):
        return []
    cars = [option for option in fresh[1:] if option.mode == modes.CAR]
    if cars:
        return cars[:1]
    ranked = rank(incident, exclude=[option.unit for option in options], k=1, now=now, only_modes=[modes.CAR])
    return [option for option in ranked if not option.stale][:1]


@dataclass(frozen=True)
class Turnout:
    """Seconds from the order to wheels rolling: shorter for a unit already moving. Read from the
    settings once per ranking, not once per unit (thousands of lazy settings lookups add up)."""

    moving_s: float
    parked_s: float

    @classmethod
    def now(cls) -> "Turnout":
        return cls(settings.TURNOUT_MOVING_S, settings.TURNOUT_PARKED_S)

    def of(self, fix) -> float:
        return self.moving_s if fix.speed_mps is not None and fix.speed_mps > 1.0 else self.parked_s


def turnout_s(fix) -> float:
    return Turnout.now().of(fix)


def _workloads(unit_ids: list[int], now) -> dict[int, int]:
    """Assignments each unit took today: who has worked less gets the tie."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (Unit.objects.filter(pk__in=unit_ids)
            .annotate(n=Count("assignments", filter=Q(assignments__assigned_at__gte=start))).values_list("pk", "n"))
    return dict(rows)

