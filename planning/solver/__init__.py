"""The deployment solver (布警): where to stand so the demand is reached soonest or within its
target. Four classic models, solved exactly by HiGHS: p-median, maximal covering (MCLP), set
covering (LSCP) and maximum expected coverage (MEXCLP); and the city's two on top of them: a
band's deployment (MEXCLP with groups, budgets and shares of presence, `deployment.py`) and the
fewest more units that reach a goal per class (`shares.py`). Plain Python, numpy and scipy: nothing
of the project is imported here, so it is tested alone and the planning app builds on it."""
from .core import Problem, run
from .deployment import Deployment
from .instance import DemandPoint, Instance, Site
from .lscp import SetCovering
from .mclp import MaximalCovering
from .mexclp import MaximumExpectedCovering
from .pmedian import PMedian
from .result import Result
from .shares import FewestToGoal

MODELS = ("pmedian", "mclp", "lscp", "mexclp")

__all__ = ["DemandPoint", "Deployment", "FewestToGoal", "Instance", "MODELS", "MaximalCovering",
           "MaximumExpectedCovering", "PMedian", "Problem", "Result", "SetCovering", "Site", "problem", "run", "solve"]


def problem(instance: Instance, model: str, *, p: int | None = None, within: float | None = None,
            busy: float | None = None) -> Problem:
    """The model on the instance, checked, before any solve: its `greedy()` plan, evaluated by
    `evaluate()`, is the baseline an exact plan is measured against."""
    if model == "pmedian":
        return PMedian(instance, p=p)
    if model == "mclp":
        return MaximalCovering(instance, p=p, within=within)
    if model == "lscp":
        return SetCovering(instance, within=within)
    if model == "mexclp":
        return MaximumExpectedCovering(instance, p=p, busy=busy, within=within)
    raise ValueError(f"unknown model {model!r}: one of {', '.join(MODELS)}")


def solve(instance: Instance, model: str, *, p: int | None = None, within: float | None = None,
          busy: float | None = None, time_limit: float | None = None) -> Result:
    """Solve `instance` with `model`; `within`: the limit of points without their own (seconds);
    `busy`: the share of time a unit is busy (MEXCLP); `time_limit`: HiGHS's, in seconds."""
    return run(problem(instance, model, p=p, within=within, busy=busy), time_limit=time_limit)
