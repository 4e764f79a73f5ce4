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
from platforms.live_search import Nearest, live_nearest, live_within, on_live_map
from platforms.models import Unit, UnitStatus
from platforms.positions import REDIS_DOWN, live_positions
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
NEAREST_FIRST = 256  # live units the search reads first; four times as many at each widening, then everyone
METRES_PER_DEGREE = 110_000.0  # of latitude, a little under the least (110.57 km): the box errs wide


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

    Nearest first: the live map gives the units nearest the scene (NEAREST_FIRST of them), the database
    says which of those may go, and `travel.fastest_to` routes only those whose ETA lower bound could
    still win. The answer stands once its k-th ETA is below the least time any unit farther than the
    last one found could need (`travel.seconds_at_least`); else the next search takes every unit within
    the distance that bound says is enough (`travel.metres_beyond`), or four times as many while fewer
    than k were found, and at last everyone. What grows with the fleet stays in Redis's GEO index: a call reads
    tens of rows, not every unit on duty. Units with no place on the live map (only their row knows where
    they were) are ranked whenever their row lies within that reach. Only the modes the category allows
    (dispatch.mode_policy) are candidates; `only_modes` narrows them further."""
    now = now or timezone.now()
    k = k or incident.units_needed + settings.RECOMMENDATION_ALTERNATIVES
    wanted = _wanted_modes(incident.category, only_modes)
    candidates = (on_duty_units(capability=capability_for(incident.category), now=now, only_modes=wanted)
                  .exclude(pk__in=list(exclude)))
    if settings.DISPATCH_RANKING == "full_table":  # the benchmark's baseline: every unit, one table
        return _ranked(incident, _crews(candidates), k, now)
    floor_s = min(settings.TURNOUT_MOVING_S, settings.TURNOUT_PARKED_S)
    ranked, options, count, radius_m = set(), [], NEAREST_FIRST, None
    while True:
        try:
            nearest = (live_nearest(incident.lon, incident.lat, count) if radius_m is None
                       else live_within(incident.lon, incident.lat, radius_m))
        except REDIS_DOWN:
            break  # everyone, placed by their rows (platforms.positions.live_positions)
        crews = _crews_within(candidates, nearest, (incident.lon, incident.lat))
        options = _ranked(incident, _still_placing(crews, crews.keys(), ranked, options), k, now, fixes=nearest.fixes)
        ranked |= crews.keys()
        if len(options) == k and options[-1].eta_s < travel.seconds_at_least(nearest.reach_m) + floor_s:
            return options
        if nearest.complete:
            break
        radius_m, count = _wider(options, k, nearest, floor_s), max(count, len(nearest.found)) * 4
    crews = {crew.pk: crew for crew in _crews(candidates)}
    return _ranked(incident, _still_placing(crews, crews.keys(), ranked, options), k, now)


def _wider(options: list[Option], k: int, nearest: Nearest, floor_s: float) -> float | None:
    """The next search's radius: with k options in hand, straight to the distance beyond which no unit
    could beat the k-th (one more search settles it, however many units lie inside); None (four times
    as many units) while fewer than k are found, or should that distance not reach past this search."""
    if len(options) < k:
        return None
    radius_m = travel.metres_beyond(options[-1].eta_s - floor_s) + 2.0  # past the GEO set's 0.6 m rounding
    return radius_m if radius_m > nearest.reach_m + 1.0 else None


def _crews_within(candidates, nearest: Nearest, target) -> dict[int, "Crew"]:
    """The candidates among the nearest live units, and those off the live map whose row places them
    within the nearest's reach (a box around the circle). A candidate on the live map but not among the
    nearest is at least that far away: it waits for a wider search."""
    lon, lat = target
    dlat = nearest.reach_m / METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.0))), 0.01)
    near = Q(pk__in=list(nearest.found))
    if math.isfinite(dlat):
        near |= Q(lon__range=(lon - dlon, lon + dlon), lat__range=(lat - dlat, lat + dlat))
    crews = {crew.pk: crew for crew in _crews(candidates.filter(near))}
    for pk in on_live_map([pk for pk in crews if pk not in nearest.found]):
        del crews[pk]
    return crews


def _wanted_modes(category: str, only_modes) -> list[str] | None:
    """The modes the category lets be sent (None: every one, modes off), within `only_modes`."""
    if not settings.DISPATCH_MODES:
        return None  # every unit is a car: none is left out for its mode
    allowed = mode_policy.allowed_modes(category)
    return [mode for mode in allowed if only_modes is None or mode in only_modes]


def _still_placing(crews: dict, inside, ranked: set, best: list[Option]) -> "list[Crew]":
    """Of the units inside a wider search, those that may still place: the ones not ranked yet, and
    the best k of an inner one (a unit ranked there outside its best k has k units ahead of it,
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

