"""What the four models share: the plan, the steps of a solve, the constraint blocks.

A model (`Problem`) builds its programme, reads a plan back from HiGHS's solution, evaluates any
plan exactly from the data (so the reported objective is the plan's own, not HiGHS's arithmetic)
and offers a greedy plan and a bound that need no solver. `run` holds the one rule that matters:
a plan HiGHS has not proven is reported with its gap and status `time_limit`, never as optimal."""
import time
from dataclasses import dataclass

import numpy as np

from .instance import Instance
from .programme import Programme, Solution
from .result import Result, clean, gap


@dataclass(frozen=True)
class Plan:
    units: np.ndarray  # per site: the units standing there (0 or 1 but in MEXCLP)
    assignment: np.ndarray | None = None  # per point: the site serving it (-1: none); None: the nearest open


@dataclass(frozen=True)
class Evaluation:
    objective: float
    assignment: np.ndarray | None = None  # per point, -1 where none
    covered: np.ndarray | None = None  # per point, reached within its limit


class Problem:
    model = ""
    maximise = False
    counts_units = False  # a site may hold several units: the result lists them per site

    def __init__(self, instance: Instance):
        self.instance = instance
        self.out_of_reach = np.zeros(len(instance.demand), dtype=bool)

    def build(self) -> Programme:
        """The programme; it keeps its column blocks on the problem for `decode` to read back."""
        raise NotImplementedError

    def decode(self, x: np.ndarray) -> Plan:
        raise NotImplementedError

    def evaluate(self, plan: Plan) -> Evaluation:
        raise NotImplementedError

    def greedy(self) -> Plan | None:
        """A plan without the solver (None where the model has no greedy rule, e.g. capacities)."""
        return None

    def trivial_bound(self) -> float:
        raise NotImplementedError


def run(problem: Problem, *, time_limit: float | None = None) -> Result:
    started = time.perf_counter()
    if time_limit is not None and not time_limit > 0:
        raise ValueError(f"the time limit must be more than 0 seconds, not {time_limit}")
    solution = problem.build().solve(time_limit)
    if solution.status not in ("optimal", "limit", "infeasible"):
        raise RuntimeError(f"HiGHS failed on {problem.model}: {solution.message}")
    plans = [("highs", problem.decode(solution.x))] if solution.x is not None else []
    if solution.status == "limit" and (greedy := problem.greedy()) is not None:
        plans.append(("greedy", greedy))
    return _result(problem, solution, plans, time.perf_counter() - started)


def _result(problem: Problem, solution: Solution, plans: list, seconds: float) -> Result:
    status = {"optimal": "optimal", "limit": "time_limit", "infeasible": "infeasible"}[solution.status]
    common = {"model": problem.model, "status": status, "solve_seconds": seconds, "message": solution.message,
              "out_of_reach": _ids(problem.instance.demand, problem.out_of_reach)}
    if not plans:
        return Result(objective=None, bound=clean(solution.bound), gap=None, **common)
    sign = -1 if problem.maximise else 1
    source, plan, evaluation = min(((s, p, problem.evaluate(p)) for s, p in plans),
                                   key=lambda found: sign * found[2].objective)
    bound = solution.bound if solution.status == "optimal" else _tighter(problem, solution.bound)
    objective = clean(evaluation.objective)
    return Result(objective=objective, bound=clean(bound), gap=gap(objective, clean(bound), maximise=problem.maximise),
                  plan_from=source, **common, **_plan_fields(problem, plan, evaluation))


def _tighter(problem: Problem, bound: float | None) -> float:
    trivial = problem.trivial_bound()
    if bound is None:
        return trivial
    return min(bound, trivial) if problem.maximise else max(bound, trivial)


def _plan_fields(problem: Problem, plan: Plan, evaluation: Evaluation) -> dict:
    sites, demand = problem.instance.sites, problem.instance.demand
    fields = {"sites": tuple(s.id for s, n in zip(sites, plan.units) if n > 0)}
    if problem.counts_units:
        fields["units"] = {s.id: int(n) for s, n in zip(sites, plan.units) if n > 0}
    if evaluation.assignment is not None:
        fields["assignment"] = {d.id: sites[j].id for d, j in zip(demand, evaluation.assignment) if j >= 0}
    if evaluation.covered is not None:
        fields["covered"] = _ids(demand, evaluation.covered)
    return fields


def _ids(rows, mask) -> tuple[str, ...]:
    return tuple(row.id for row, on in zip(rows, mask) if on)


# The blocks the models are built from.

def open_sites(programme: Programme, instance: Instance, *, upper=1.0) -> np.ndarray:
    """One column per site (how many units stand there); a fixed site holds at least one."""
    return programme.variables(np.zeros(len(instance.sites)), lower=instance.fixed.astype(float),
                               upper=upper, integer=True)


def exactly(programme: Programme, columns: np.ndarray, count: int) -> None:
    programme.constraints(np.zeros(len(columns)), columns, 1.0, count=1, lower=count, upper=count)


def once_each(programme: Programme, columns: np.ndarray, point: np.ndarray, served: np.ndarray, *, lower, upper):
    """For each served point, the sum of its columns (one per pair) within [lower, upper]."""
    row = np.cumsum(served) - 1
    programme.constraints(row[point], columns, 1.0, count=int(served.sum()), lower=lower, upper=upper)


def only_if_open(programme: Programme, pairs: np.ndarray, opened: np.ndarray) -> None:
    """pairs[k] <= opened[k]: a point is served only by an open site."""
    count = len(pairs)
    programme.constraints(np.r_[np.arange(count), np.arange(count)], np.r_[pairs, opened],
                          np.r_[np.ones(count), -np.ones(count)], count=count, upper=0.0)


def within_capacity(programme: Programme, instance: Instance, pairs, point, site, y) -> None:
    """Demand weight served by a limited site at most its capacity, and only if it is open."""
    capacity = instance.capacities
    limited = np.isfinite(capacity)
    row = np.cumsum(limited) - 1
    keep = limited[site]
    sites = np.flatnonzero(limited)
    programme.constraints(np.r_[row[site[keep]], row[sites]], np.r_[pairs[keep], y[sites]],
                          np.r_[instance.weights[point[keep]], -capacity[sites]], count=len(sites), upper=0.0)


def read_assignment(x: np.ndarray, pairs: np.ndarray, point: np.ndarray, site: np.ndarray, points: int):
    assignment = np.full(points, -1)
    chosen = x[pairs] > 0.5
    assignment[point[chosen]] = site[chosen]
    return assignment


def read_units(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.rint(x[y]).astype(np.int64)


def check_count(instance: Instance, p, *, most: int, what: str = "sites") -> None:
    """p at least 1, at most `most`, and no fewer than the fixed sites."""
    if not isinstance(p, (int, np.integer)) or p < 1:
        raise ValueError(f"p must be a whole number of at least 1, not {p!r}")
    if p > most:
        raise ValueError(f"p = {p} is more than the {most} {what}")
    if (fixed := int(instance.fixed.sum())) > p:
        raise ValueError(f"{fixed} sites are fixed, more than p = {p}")
