"""Who goes: the three dispatch policies compared on the same calls.

- `road` (ours, production's): the engine's own ranking (`dispatch.engine.rank_placed`: road ETA on
  the real map + turnout) and decision rule (`dispatch.decisions.choose_units`), not a copy.
- `straight`: the nearest units by straight-line distance, what every peer system we found does;
  the chosen unit still drives the real roads, so its response time is its road ETA.
- `coverage`: a DMEXCLP-style choice (Jagtenberg, Bhulai & van der Mei, "Dynamic ambulance
  dispatching: is the closest-idle policy always optimal?", Health Care Management Science 20,
  2017; the coverage measure is Daskin's MEXCLP, Transportation Science 17, 1983): among the free
  units that make the call's target, send the one whose departure loses the least expected
  coverage of the city, so a zone's last unit is not stripped when a slightly slower unit can still
  make it; when none makes the target, the fastest goes, as with `road`. The fastest goes too unless
  it is the last free unit covering some demand point (the issue's "a zone's last unit") or keeps a
  key site's beat: trading response time for coverage that others still give only lengthened the
  mean here (the crews are busy 4-10% of the time). Two refinements for a
  police city of fixed posts: the demand points are weighted by the share of calls they stand for
  (each zone's centre by its call rate, against its 180 s or 300 s target; each key site at its
  posts and centre, against 60 s), and a crew holding its key-site post (a must-patrol point inside
  the site, held all shift by the patrol plan) is not stripped for a call outside its site while
  another crew still makes the call's target (the "fixed post" rule of the accounts: 高峰站点,
  重点部位1分钟). After the call the post's crew goes back to its post (its plan's band).

All three pre-empt the same way (a P1 may pull a unit off a P4 job, production's rule), so they
differ only in which free unit they pick.
"""
import math

import numpy as np
from django.conf import settings

from dispatch import engine, mode_policy
from dispatch.decisions import choose_units, with_car_beside
from dispatch.engine import Option
from grid import modes, travel
from grid.geometry import distance_m
from platforms.unit_modes import mode_of

POLICIES = ("road", "straight", "coverage")
COVERAGE_CANDIDATES = 8   # ranked units the coverage policy weighs beyond those needed
# Only units at most this much slower than the fastest are weighed: "a slightly slower unit".
COVERAGE_SLACK_S = 60.0


def road(sim, call, placed, missing: int, now) -> list[Option]:
    options = sim.rank(call, placed, missing + settings.RECOMMENDATION_ALTERNATIVES, now)
    return choose_units(options, sim.preemption(call, options, now), missing)


def straight(sim, call, placed, missing: int, now) -> list[Option]:
    nearest = sorted(placed, key=lambda p: (distance_m(p[1].lon, p[1].lat, call.lon, call.lat), p[0].call_sign))
    options = _road_etas(call, nearest[:missing + settings.RECOMMENDATION_ALTERNATIVES], now, sim.workloads)
    return choose_units(options, sim.preemption(call, options, now), missing)


def coverage(sim, call, placed, missing: int, now) -> list[Option]:
    options = sim.rank(call, placed, missing + COVERAGE_CANDIDATES, now)
    fresh = [o for o in options if not o.stale]
    making = [o for o in fresh if o.meets_target and o.eta_s <= fresh[0].eta_s + COVERAGE_SLACK_S] if fresh else []
    if len(making) > missing:
        loss, last = sim.coverage.losses([o.unit for o in making], sim.free_placed(now), now, last_cover=True)
        kept = sim.holding_posts(call, now)
        if any(o.unit in kept or o.unit in last for o in making[:missing]):
            making.sort(key=lambda o: (o.unit in kept, o.unit in last, round(loss[o.unit], 9), o.eta_s, o.call_sign))
            options = making + [o for o in options if o not in making]
    return choose_units(options, sim.preemption(call, options, now), missing)


def car_beside(sim, call, placed, chosen: list[Option], now) -> list[Option]:
    """Production's rule (dispatch.engine.car_backup, decisions.with_car_beside), with the modes on: where
    the category wants a car beside a unit on foot or on two wheels that goes first, the nearest free car
    goes too."""
    if not sim.modes_on or not chosen or not mode_policy.needs_car_beside(call.category, chosen[0].mode):
        return chosen
    taken = {option.unit for option in chosen}
    cars = [(crew, fix) for crew, fix in placed if crew.pk not in taken and mode_of(crew.vehicle_kind) == modes.CAR]
    return with_car_beside(chosen, [o for o in sim.rank(call, cars, 1, now) if not o.stale])


def _road_etas(call, placed, now, workloads) -> list[Option]:
    """Road ETAs of the given units, kept in the given order (the straight-line one)."""
    turnout = engine.Turnout.now()
    jobs = workloads([crew.pk for crew, _ in placed])
    options = []
    for crew, fix in placed:
        profile = engine.unit_profile(crew.vehicle_kind)
        try:
            leg = travel.durations_to((call.lon, call.lat), [(fix.lon, fix.lat)], profile=profile, at=now)[0]
        except travel.OffNetwork:
            leg = None
        if leg is None:
            continue
        eta = round(leg.duration_s + turnout.of(fix), 1)
        options.append(Option(unit=crew.pk, call_sign=crew.call_sign, eta_s=eta, distance_m=round(leg.distance_m),
                              meets_target=eta <= call.target_s, stale=fix.stale, workload=jobs.get(crew.pk, 0),
                              estimated=leg.estimated, mode=mode_of(crew.vehicle_kind)))
    return options


class Coverage:
    """Expected coverage (MEXCLP): demand points j with weight w_j and target T_j; a free unit covers j
    when it reaches j within T_j; with k_j units covering j and each busy with probability q, j is
    covered with probability 1 - q^k_j. A unit's loss is what its departure takes off the sum:
    the sum over the points it covers of w_j (1 - q) q^(k_j - 1).

    Which points a unit covers is worked out by one OSRM table from its position, cached by a cell
    of about 200 m (parked crews are at a few posts, so the cache is small)."""

    CELL_DEG = 0.002

    def __init__(self, points: list, weights: list, targets: list, turnout_s: float):
        self.points = points
        self.weights = np.array(weights, dtype=float)
        self.targets = np.array(targets, dtype=float)
        self.turnout_s = turnout_s
        self.cells = {}
        self.busy_fraction = lambda: 0.1

    def covers(self, lon: float, lat: float, profile: str, now) -> np.ndarray:
        key = (round(lon / self.CELL_DEG), round(lat / self.CELL_DEG), profile)
        if key not in self.cells:
            try:
                legs = travel.durations_from((lon, lat), self.points, profile=profile, at=now)
            except travel.OffNetwork:
                legs = [None] * len(self.points)
            times = np.array([leg.duration_s + self.turnout_s if leg else math.inf for leg in legs])
            self.cells[key] = times <= self.targets
        return self.cells[key]

    def losses(self, units: list, placed: list, now, *, last_cover: bool = False):
        """Each of `units`' loss of coverage, the free units being `placed` [(crew, fix)]; with
        `last_cover`, also the set of those that are the last free unit covering some point."""
        cover = {crew.pk: self.covers(fix.lon, fix.lat, engine.unit_profile(crew.vehicle_kind), now)
                 for crew, fix in placed}
        k = np.sum(list(cover.values()), axis=0) if cover else np.zeros(len(self.points))
        q = min(max(self.busy_fraction(), 0.01), 0.99)
        marginal = self.weights * (1 - q) * q ** np.maximum(k - 1, 0)
        loss = {pk: float(np.sum(marginal[cover[pk]])) for pk in units}
        if not last_cover:
            return loss
        return loss, {pk for pk in units if np.any(cover[pk] & (k == 1) & (self.weights > 0))}
