"""A band's plan for the city or a district: demand by cell, the candidates, their road times, the
deployment model solved exactly, today's placement and the greedy plan judged the same way, and
the fewest extra crews the goals would take.

Presence: a crew at a post or a truck at a stand reaches a cell when its road time plus a parked
crew's turnout is within the cell's target; a route's crew, seen at its waypoints in turn, reaches
it the share of the waypoints from which it would (with a moving crew's turnout); a zone's community
patrol likewise at its stops. At night the reserve waits with the truck at the stand.
Expected coverage counts each crew busy a share q of the time (MEXCLP), q estimated from the
band's demand (`busy_fraction`)."""
import time

import numpy as np
from django.conf import settings
from shapely.geometry import Point, shape

from planning import matrix, report
from planning.bands import COMMUNITY, Band, Staffing
from planning.candidates import HERE, STAND, Candidate, candidates, todays_units
from planning.demand import Demand, band_demand
from planning.cells import columns as demand_columns
from planning.solver import DemandPoint, Deployment, Instance, Site, run
from planning.solver.core import Plan

LEVELS = 3               # units counted per cell (q^3 is under 0.1 % at the busy fractions seen)
JOB_MINUTES = 20.0       # a crew's time per call, order to clear (the simulator's mean is 18-22)
UNITS_PER_CALL = 1.1     # a mass event takes 3, a P1 crime 2
NIGHT_RESERVE = 1        # crews per platform kept with the truck at night (夜间机动备勤)
TRUCK_CAPABILITIES = ("patrol", "crowd")  # what a platform truck's crew is rostered for (platforms.crews)


def plan_band(*, platforms, band: Band, staffing: Staffing, demand: Demand | None = None, progress=None,
              time_limit: float | None = None, extra: bool = True) -> dict:
    """The band's plan and its report (a JSON-ready dict)."""
    progress = progress or (lambda stage, percent: None)
    started, timing = time.perf_counter(), matrix.Timing()
    if demand is None:
        progress("demand", 5)
        zone_ids = [z.pk for p in platforms for z in p.zones.all()]
        demand = band_demand(starts_at=band.starts_at, ends_at=band.ends_at, zone_ids=zone_ids)
    progress("candidates", 10)
    model = Model(platforms, band, staffing, demand, candidates(platforms, band), timing, progress)
    progress("solving", 65)
    result = run(model.problem, time_limit=time_limit or settings.PLANNING_TIME_LIMIT_S)
    greedy = model.problem.greedy()
    today = model.units_of(todays_units([p.code for p in platforms], band))
    answer = report.band_report(model, result, greedy, today)
    if extra and result.objective is not None:
        progress("extra crews", 85)
        answer["extra_crews"] = report.extra_crews(model, model.units_of(result.units), timing)
    answer["timing"] = {"matrix": timing.as_dict(), "solve_seconds": round(result.solve_seconds, 3),
                        "total_seconds": round(time.perf_counter() - started, 3)}
    progress("done", 100)
    return answer


def busy_fraction(demand: Demand, staffing: Staffing, band: Band) -> float:
    """The share of time a crew is on a job in the band: its calls' crew time over its crews' time
    (PLANNING_BUSY_FRACTION, when set, instead)."""
    if settings.PLANNING_BUSY_FRACTION:
        return settings.PLANNING_BUSY_FRACTION
    hours = (band.ends_at - band.starts_at).total_seconds() / 3600
    crews = staffing.total + sum(1 for on in staffing.trucks.values() if on)
    if not crews:
        return 0.0
    busy = float(demand.calls.sum()) * UNITS_PER_CALL * JOB_MINUTES / 60
    return min(0.5, max(0.01, busy / (crews * hours)))


class Model:
    """The deployment problem of a band, kept with what its report and the simulator need: the
    candidates, the demand, each candidate's presence at each cell."""

    def __init__(self, platforms, band: Band, staffing: Staffing, demand: Demand, found: list[Candidate],
                 timing=None, progress=None):
        self.platforms, self.band, self.staffing, self.demand = platforms, band, staffing, demand
        self.candidates = found
        self.busy = busy_fraction(demand, staffing, band)
        self.reserve = {p.code: min(NIGHT_RESERVE, staffing.crews.get(p.code, 0)) if band.mode == COMMUNITY else 0
                        for p in platforms}
        self.times = self._times(timing, progress)
        self.share, self.seconds = self._presence()
        self.problem = Deployment(self._instance(), busy=self.busy, groups=self._groups(), budgets=self._budgets(),
                                  share=self._shares(), levels=LEVELS)

    def _times(self, timing, progress) -> dict:
        """{road point: seconds to each of the demand's cells}."""
        origins = list(dict.fromkeys(p for c in self.candidates for p in c.points))
        columns = demand_columns(self.demand.cells)
        step = (lambda share: progress("travel times", 10 + int(50 * share))) if progress else None
        rows = matrix.times_from(origins, at=self.band.starts_at, timing=timing, progress=step)
        return {origin: rows[n, columns] for n, origin in enumerate(origins)}

    def _presence(self) -> tuple[np.ndarray, np.ndarray]:
        """share[candidate, cell] (units within reach, as a share of a crew's time) and the least
        seconds from its points (road + turnout)."""
        targets = np.array([c.target_s for c in self.demand.cells], dtype=float)
        share = np.zeros((len(self.candidates), len(targets)))
        seconds = np.full(share.shape, np.inf)
        for n, candidate in enumerate(self.candidates):
            reach = np.array([self.times[p] for p in candidate.points]) + candidate.turnout_s
            share[n] = (reach <= targets[None, :]).mean(axis=0) * self._units_at(candidate)
            seconds[n] = reach.min(axis=0)
        return share, seconds

    def _units_at(self, candidate: Candidate) -> float:
        """Crews one unit of the candidate puts there: a stand holds the truck (if crewed), which takes
        only the calls a patrol crew can (no traffic accident, no rescue: TRUCK_CAPABILITIES), and
        the night reserve; a crew's task one crew (a car: every call)."""
        if candidate.kind in (STAND, HERE):
            truck = self.staffing.trucks.get(candidate.platform, False) * self.truck_share
            return truck + self.reserve.get(candidate.platform, 0)
        return 1.0

    @property
    def truck_share(self) -> float:
        shares = self.demand.capabilities or {}
        return sum(share for name, share in shares.items() if name in TRUCK_CAPABILITIES) if shares else 1.0

    def _instance(self) -> Instance:
        demand = [DemandPoint(c.id, weight=float(w), within=float(c.target_s))
                  for c, w in zip(self.demand.cells, self.demand.weights)]
        mobile = {p.code: p.mobile for p in self.platforms}
        sites = [Site(c.id, fixed=c.kind == HERE and not mobile[c.platform], capacity=c.room) for c in self.candidates]
        site, point = np.nonzero(self.share > 0)
        return Instance(demand, sites, point, site, self.seconds[site, point])

    def _shares(self) -> list:
        site, point = np.nonzero((self.share > 0) & (self.share != 1))
        return [(self.candidates[s].id, self.demand.cells[p].id, float(self.share[s, p])) for s, p in zip(site, point)]

    def _groups(self) -> dict:
        mobile = {p.code: p.mobile for p in self.platforms}
        return {c.id: f"platform:{c.platform}" for c in self.candidates
                if c.kind == HERE or (c.kind == STAND and mobile[c.platform])}

    def _budgets(self) -> dict:
        budgets = {}
        for platform in self.platforms:
            mine = [c for c in self.candidates if c.crews and c.platform == platform.code]
            crews = self.staffing.crews.get(platform.code, 0) - self.reserve[platform.code]
            budgets[f"crews:{platform.code}"] = (tuple(c.id for c in mine), min(crews, sum(c.room for c in mine)), crews)
        return budgets | self._zone_cover(budgets)

    def _zone_cover(self, budgets: dict) -> dict:
        """Each zone keeps its minimum cover (`Zone.min_cover_units`): that many crews with a task that
        takes them into it (a post or a stop of a route or patrol inside it), where its platform has
        the crews. The expected coverage alone strips an outer zone whose calls are few; its calls then
        wait for a crew from next door (measured in the simulator on seeds 11-13, not the README's)."""
        found = {}
        for platform in self.platforms:
            crews = budgets[f"crews:{platform.code}"][2]
            zones = sorted(platform.zones.all(), key=lambda z: z.code)
            for zone in zones if crews >= sum(z.min_cover_units for z in zones) else []:
                polygon = shape(zone.polygon)
                inside = tuple(c.id for c in self.candidates
                               if c.crews and c.platform == platform.code and any(polygon.contains(Point(*p)) for p in c.points))
                if inside and zone.min_cover_units:
                    found[f"zone:{zone.code}"] = (inside, min(zone.min_cover_units, len(inside)), crews)
        return found

    def units_of(self, units: dict) -> np.ndarray:
        """A plan as units per candidate, in the candidates' order (fractions allowed: today's beats)."""
        return np.array([float(units.get(c.id, 0.0)) for c in self.candidates])

    def presence(self, units: np.ndarray) -> np.ndarray:
        return units @ self.share

    def expected(self, units: np.ndarray) -> np.ndarray:
        """Each cell's expected share within target (MEXCLP's 1 - q^n, straight between whole n)."""
        return self.problem.expected(self.presence(units))

    def value(self, units) -> float:
        return self.problem.evaluate(Plan(units=np.asarray(units, dtype=float))).objective


__all__ = ["Model", "busy_fraction", "plan_band"]
