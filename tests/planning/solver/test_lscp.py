"""Set covering against enumeration of every set of sites, and cases checked by hand."""
import numpy as np
import pytest

from planning.solver import SetCovering, solve
from tests.planning import brute_force
from tests.planning.cases import instance, random_case, site_numbers

INF = np.inf


@pytest.mark.parametrize("seed", range(12))
def test_the_fewest_sites_of_small_random_instances_are_the_fewest_of_every_set(seed):
    seconds, weights, limits = random_case(seed, sites=6)
    fixed = (seed % 6,) if seed % 2 else ()
    result = solve(instance(seconds, weights, limits, fixed=fixed), "lscp")
    cover = seconds <= limits[:, None]
    best = brute_force.lscp(cover, weights, np.isin(range(6), fixed))
    assert (result.status, result.proven_optimal, result.objective, len(result.sites)) == ("optimal", True, best, best)
    assert brute_force.lscp_feasible(cover, weights, site_numbers(result))
    assert result.out_of_reach == tuple(f"p{i}" for i in np.flatnonzero(~cover.any(axis=1)))


@pytest.mark.parametrize("seed", range(8))
def test_with_capacities_every_point_is_assigned_within_the_capacities(seed):
    seconds, weights, limits = random_case(300 + seed, points=6)
    capacity = [float(c) for c in np.random.default_rng(seed).integers(5, 20, size=5)]
    result = solve(instance(seconds, weights, limits, capacity=capacity), "lscp")
    best = brute_force.lscp(seconds <= limits[:, None], weights, np.zeros(5, bool), capacity)
    if best is None:
        assert (result.status, result.objective, result.sites) == ("infeasible", None, ())
        return
    assert (result.status, result.objective) == ("optimal", best)
    assert set(result.assignment) == {f"p{i}" for i in range(6)} - set(result.out_of_reach)


def test_greedy_is_not_always_optimal_and_the_solver_is():
    # s0 covers the most (p0-p3) and greedy needs two more for p4 and p5 ... s1 and s2 cover all
    seconds = [[10, 10, 99], [10, 10, 99], [10, 99, 10], [10, 99, 10], [99, 10, 99], [99, 99, 10]]
    problem = SetCovering(instance(seconds, [1] * 6), within=60)
    result = solve(instance(seconds, [1] * 6), "lscp", within=60)
    assert (problem.evaluate(problem.greedy()).objective, result.objective, result.sites) == (3.0, 2.0, ("s1", "s2"))


def test_a_point_no_site_reaches_in_time_is_reported_and_the_rest_are_covered():
    result = solve(instance([[10, INF], [INF, 10], [70, 80]], [1, 1, 1]), "lscp", within=60)
    assert (result.objective, result.sites, result.covered, result.out_of_reach) == (2.0, ("s0", "s1"), ("p0", "p1"), ("p2",))


def test_fixed_sites_count_and_may_make_a_plan_larger_than_needed():
    result = solve(instance([[10, 10, 10]], [1], fixed=(0, 2)), "lscp", within=60)
    assert (result.objective, result.sites) == (2.0, ("s0", "s2"))


def test_a_capacity_too_small_for_the_demand_makes_the_problem_infeasible_not_a_silent_partial_plan():
    result = solve(instance([[10, 10], [10, 10]], [3, 3], capacity=[4, 2]), "lscp", within=60)
    assert (result.status, result.proven_optimal, result.objective, result.sites) == ("infeasible", False, None, ())
