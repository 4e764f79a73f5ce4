"""Maximal covering against enumeration of every plan, and cases checked by hand."""
import numpy as np
import pytest

from planning.solver import MaximalCovering, solve
from tests.planning import brute_force
from tests.planning.cases import instance, random_case, site_numbers

INF = np.inf
# s0 covers p0-p3, s1 p0, p1, p4 and s2 p2, p3, p5: greedy takes s0 first and covers 5 with two
# sites, s1 and s2 together cover all 6
GREEDY_TRAP = [[10, 10, 99], [10, 10, 99], [10, 99, 10], [10, 99, 10], [99, 10, 99], [99, 99, 10]]


@pytest.mark.parametrize("seed", range(12))
def test_the_optimum_of_small_random_instances_is_the_best_of_every_plan(seed):
    seconds, weights, limits = random_case(seed)
    p, fixed = 1 + seed % 3, (seed % 5,) if seed % 2 else ()
    result = solve(instance(seconds, weights, limits, fixed=fixed), "mclp", p=p)
    cover = seconds <= limits[:, None]
    best = brute_force.mclp(cover, weights, p, np.isin(range(5), fixed))
    assert (result.status, result.proven_optimal, result.objective, result.gap) == ("optimal", True, best, 0.0)
    assert brute_force.mclp_value(cover, weights, site_numbers(result)) == best
    assert [f"p{i}" for i in np.flatnonzero(cover[:, site_numbers(result)].any(axis=1))] == list(result.covered)


@pytest.mark.parametrize("seed", range(8))
def test_with_capacities_a_site_covers_no_more_weight_than_its_capacity(seed):
    seconds, weights, limits = random_case(200 + seed, points=6)
    capacity = [float(c) for c in np.random.default_rng(seed).integers(3, 15, size=5)]
    result = solve(instance(seconds, weights, limits, capacity=capacity), "mclp", p=2)
    cover = seconds <= limits[:, None]
    assert (result.status, result.objective) == ("optimal", brute_force.mclp(cover, weights, 2, np.zeros(5, bool), capacity))
    for site in result.sites:
        served = [int(point[1:]) for point, at in result.assignment.items() if at == site]
        assert sum(weights[served]) <= capacity[int(site[1:])]


def test_each_point_is_held_to_its_own_limit():
    # p0 is a key site (60 s), p1 in the centre (180 s), p2 elsewhere (300 s); 120 s from both
    # sites: s0 reaches p1 and p2 within their limits, s1 reaches p0 within 50 s
    seconds = [[120, 50], [120, 400], [120, 400]]
    result = solve(instance(seconds, [1, 1, 1], [60, 180, 300]), "mclp", p=1)
    assert (result.sites, result.objective, result.covered) == (("s0",), 2.0, ("p1", "p2"))


def test_a_default_limit_serves_the_points_without_their_own():
    result = solve(instance([[100], [100]], [1, 1], [60, None]), "mclp", p=1, within=120)
    assert (result.objective, result.covered) == (1.0, ("p1",))


def test_a_point_without_a_limit_and_no_default_is_refused():
    with pytest.raises(ValueError) as error:
        solve(instance([[100], [100]], [1, 1], [60, None]), "mclp", p=1)
    assert str(error.value) == "no time limit for demand point 'p1': give it one or a default"


def test_greedy_is_not_always_optimal_and_the_solver_is():
    problem = MaximalCovering(instance(GREEDY_TRAP, [1] * 6), p=2, within=60)
    result = solve(instance(GREEDY_TRAP, [1] * 6), "mclp", p=2, within=60)
    assert (problem.evaluate(problem.greedy()).objective, result.objective, result.sites) == (5.0, 6.0, ("s1", "s2"))


def test_a_fixed_site_is_kept_open():
    result = solve(instance(GREEDY_TRAP, [1] * 6, fixed=(0,)), "mclp", p=2, within=60)
    assert (result.sites[0], result.objective) == ("s0", 5.0)


def test_an_unreachable_pair_covers_nothing_and_a_point_out_of_every_reach_is_reported():
    result = solve(instance([[INF, 10], [10, INF], [INF, 70]], [5, 1, 9]), "mclp", p=1, within=60)
    assert (result.sites, result.objective, result.covered, result.out_of_reach) == (("s1",), 5.0, ("p0",), ("p2",))
