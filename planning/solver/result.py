"""What every solve reports: the plan, its objective, whether it is proven optimal, the bound and
gap behind that claim, and the time it took. A plan stopped by its time limit says so."""
import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Result:
    model: str  # pmedian | mclp | lscp | mexclp
    # optimal: proven (gap 0). time_limit: the best plan found when the limit struck, not proven
    # (sites empty if none was found). infeasible: no plan meets the constraints.
    status: str
    objective: float | None
    bound: float | None  # the best the objective could be: proves the gap
    gap: float | None  # |objective - bound| / |objective|; None when undefined (objective 0, bound not)
    solve_seconds: float
    sites: tuple[str, ...] = ()  # the open sites, in the instance's order (fixed ones included)
    units: dict = field(default_factory=dict)  # site id: units standing there (MEXCLP)
    assignment: dict = field(default_factory=dict)  # demand point id: the site serving it
    covered: tuple[str, ...] = ()  # covering models: the points reached within their limit
    out_of_reach: tuple[str, ...] = ()  # points no candidate reaches (within their limit, covering models)
    plan_from: str | None = None  # highs | greedy (HiGHS found nothing better before its limit)
    message: str = ""  # HiGHS's own words

    @property
    def proven_optimal(self) -> bool:
        return self.status == "optimal"

    def as_dict(self) -> dict:
        out = {"model": self.model, "status": self.status, "proven_optimal": self.proven_optimal,
               "objective": self.objective, "bound": self.bound, "gap": self.gap,
               "solve_seconds": round(self.solve_seconds, 4), "sites": list(self.sites)}
        if self.units:
            out["units"] = dict(self.units)
        if self.assignment:
            out["assignment"] = dict(self.assignment)
        if self.model != "pmedian":
            out["covered"] = list(self.covered)
        return out | {"out_of_reach": list(self.out_of_reach), "plan_from": self.plan_from, "message": self.message}


def gap(objective: float | None, bound: float | None, *, maximise: bool) -> float | None:
    """HiGHS's definition, the shortfall against the bound over the objective, never below 0."""
    if objective is None or bound is None:
        return None
    shortfall = max(0.0, bound - objective if maximise else objective - bound)
    if shortfall <= 1e-9 * max(1.0, abs(objective)):
        return 0.0
    return shortfall / abs(objective) if objective else None


def clean(value: float | None) -> float | None:
    """Rounding noise off a sum of products (1e-12 of an integral objective)."""
    if value is None or not math.isfinite(value):
        return None
    return round(value, 9)
