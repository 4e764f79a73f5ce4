"""A time limit returns the best plan found with its gap, flagged as not proven, never silently."""
import dataclasses

import numpy as np
import pytest

from planning.solver import solve
from planning.solver.programme import Programme
from tests.planning.cases import instance


def euclidean(points: int, seed: int):
    rng = np.random.default_rng(seed)
    xy = rng.random((points, 2)) * 1000
    return np.rint(np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=2)))


def test_a_tiny_time_limit_on_a_harder_instance_reports_a_plan_not_proven_with_its_gap():
    # 200 points × 200 sites, 40,000 assignment columns: the LP relaxation alone takes HiGHS far
    # longer than a millisecond, so the limit always strikes first, on any machine
    seconds = euclidean(200, seed=1)
    result = solve(instance(seconds, [1] * 200), "pmedian", p=20, time_limit=0.001)
    assert (result.status, result.proven_optimal, len(result.sites)) == ("time_limit", False, 20)
    assert result.gap >= 0 and result.bound <= result.objective
    assert result.plan_from in ("highs", "greedy")


def test_the_same_instance_without_a_limit_is_proven_and_no_worse():
    seconds = euclidean(40, seed=2)
    limited = solve(instance(seconds, [1] * 40), "pmedian", p=5, time_limit=0.001)
    proven = solve(instance(seconds, [1] * 40), "pmedian", p=5)
    assert (proven.status, proven.proven_optimal, proven.gap) == ("optimal", True, 0.0)
    assert proven.objective <= limited.objective


def stopped(found: bool):
    """Programme.solve as if the limit struck: with HiGHS's proven optimum as its incumbent, or none."""
    real = Programme.solve

    def solve_(self, time_limit=None):
        solution = real(self)
        return dataclasses.replace(solution, status="limit", x=solution.x if found else None,
                                   objective=solution.objective if found else None, bound=None, message="Time limit reached.")
    return solve_


# s0 covers p0-p3, s1 p0, p1, p4, s2 p2, p3, p5: greedy's two sites cover 5, the best two 6
TRAP = [[10, 10, 99], [10, 10, 99], [10, 99, 10], [10, 99, 10], [99, 10, 99], [99, 99, 10]]


def test_with_no_incumbent_the_greedy_plan_is_returned_with_the_bound_that_needs_no_solver(monkeypatch):
    monkeypatch.setattr(Programme, "solve", stopped(found=False))
    result = solve(instance(TRAP, [1] * 6), "mclp", p=2, within=60)
    assert (result.status, result.plan_from, result.sites, result.objective, result.bound, result.gap) == \
        ("time_limit", "greedy", ("s0", "s1"), 5.0, 6.0, 0.2)


def test_an_incumbent_better_than_greedy_is_kept_and_still_not_claimed_optimal(monkeypatch):
    monkeypatch.setattr(Programme, "solve", stopped(found=True))
    result = solve(instance(TRAP, [1] * 6), "mclp", p=2, within=60)
    assert (result.status, result.proven_optimal, result.plan_from, result.objective, result.gap) == \
        ("time_limit", False, "highs", 6.0, 0.0)


def test_with_no_plan_at_all_the_result_says_so(monkeypatch):
    monkeypatch.setattr(Programme, "solve", stopped(found=False))
    result = solve(instance(TRAP, [1] * 6, capacity=[9, 9, 9]), "mclp", p=2, within=60)  # no greedy rule
    assert (result.status, result.sites, result.objective, result.gap, result.plan_from) == ("time_limit", (), None, None, None)
    assert result.as_dict()["proven_optimal"] is False


@pytest.mark.parametrize("model", ["pmedian", "mclp", "lscp", "mexclp"])
def test_every_model_falls_back_to_a_plan_with_a_gap_of_at_least_0(monkeypatch, model):
    monkeypatch.setattr(Programme, "solve", stopped(found=False))
    seconds = euclidean(30, seed=3)
    result = solve(instance(seconds, [1] * 30), model, p=None if model == "lscp" else 4, within=300, busy=0.3)
    assert (result.status, result.plan_from) == ("time_limit", "greedy")
    assert result.gap >= 0


def test_a_time_limit_must_be_more_than_0():
    with pytest.raises(ValueError) as error:
        solve(instance([[1]], [1]), "pmedian", p=1, time_limit=0)
    assert str(error.value) == "the time limit must be more than 0 seconds, not 0"

