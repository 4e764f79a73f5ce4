"""p-median against enumeration of every plan, and cases checked by hand."""
import numpy as np
import pytest

from planning.solver import PMedian, solve
from tests.planning import brute_force
from tests.planning.cases import instance, random_case, site_numbers

INF = np.inf


@pytest.mark.parametrize("seed", range(12))
def test_the_optimum_of_small_random_instances_is_the_best_of_every_plan(seed):
    seconds, weights, _ = random_case(seed, missing=0.1)
    p, fixed = 2 + seed % 2, (seed % 5,) if seed % 3 else ()
    result = solve(instance(seconds, weights, fixed=fixed), "pmedian", p=p)
    best = brute_force.pmedian(seconds, weights, p, np.isin(range(5), fixed))
    if np.isinf(best):  # every plan leaves a point some site reaches unserved
        assert (result.status, result.objective, result.sites) == ("infeasible", None, ())
        return
    assert (result.status, result.proven_optimal, result.objective, result.gap) == ("optimal", True, best, 0.0)
    assert brute_force.pmedian_cost(seconds, weights, site_numbers(result)) == best
    assert len(result.sites) == p and set(fixed) <= set(site_numbers(result))


@pytest.mark.parametrize("seed", range(8))
def test_with_capacities_each_point_is_served_by_one_site_within_its_capacity(seed):
    seconds, weights, _ = random_case(100 + seed, points=6, missing=0.1)
    capacity = [float(c) for c in np.random.default_rng(seed).integers(8, 25, size=5)]
    result = solve(instance(seconds, weights, capacity=capacity), "pmedian", p=3)
    best = brute_force.pmedian(seconds, weights, 3, np.zeros(5, bool), capacity)
    if np.isinf(best):
        assert (result.status, result.objective, result.sites) == ("infeasible", None, ())
        return
    assert (result.status, result.objective) == ("optimal", best)
    load = {}
    for point, site in result.assignment.items():
        load[site] = load.get(site, 0) + weights[int(point[1:])]
    assert all(load[f"s{j}"] <= capacity[j] for j in range(5) if f"s{j}" in load)


def test_three_points_on_a_line_one_site_stands_in_the_middle():
    seconds = [[0, 10, 20], [10, 0, 10], [20, 10, 0]]
    result = solve(instance(seconds, [1, 1, 1]), "pmedian", p=1)
    assert (result.sites, result.objective, result.assignment) == (("s1",), 20.0, {"p0": "s1", "p1": "s1", "p2": "s1"})


def test_weights_pull_the_site_to_the_heavy_end_of_the_line():
    seconds = [[0, 10, 20], [10, 0, 10], [20, 10, 0]]
    result = solve(instance(seconds, [5, 1, 1]), "pmedian", p=1)
    assert (result.sites, result.objective) == (("s0",), 30.0)


def test_a_fixed_site_stays_open_though_the_best_plan_would_close_it():
    seconds = [[0, 10, 20], [10, 0, 10], [20, 10, 0]]
    free = solve(instance(seconds, [1, 3, 2]), "pmedian", p=2)
    held = solve(instance(seconds, [1, 3, 2], fixed=(0,)), "pmedian", p=2)
    assert (free.sites, free.objective, held.sites, held.objective) == (("s1", "s2"), 10.0, ("s0", "s1"), 20.0)


def test_a_point_is_never_served_from_a_site_that_cannot_reach_it():
    # s0 is nearest to both on paper but cannot reach p1 (a one-way street): with one site p1 must
    # be served from s1
    seconds = [[1, 50], [INF, 50]]
    result = solve(instance(seconds, [1, 1]), "pmedian", p=1)
    assert (result.sites, result.objective, result.assignment) == (("s1",), 100.0, {"p0": "s1", "p1": "s1"})


def test_a_point_no_site_reaches_is_reported_and_left_out():
    result = solve(instance([[5, 9], [INF, INF]], [1, 3]), "pmedian", p=1)
    assert (result.sites, result.objective, result.out_of_reach, result.assignment) == (("s0",), 5.0, ("p1",), {"p0": "s0"})


def test_a_capacity_sends_part_of_the_demand_to_a_farther_site():
    seconds = [[1, 9], [1, 9], [1, 9]]
    result = solve(instance(seconds, [1, 1, 1], capacity=[2, None]), "pmedian", p=2)
    assert (result.objective, list(result.assignment.values()).count("s1")) == (11.0, 1)


def test_greedy_is_not_always_optimal_and_the_solver_is():
    # one site in the middle is greedy's first pick; two sites are best at the two ends
    seconds = [[0, 4, 10], [0, 4, 10], [10, 4, 0], [10, 4, 0]]
    problem = PMedian(instance(seconds, [1, 1, 1, 1]), p=2)
    greedy = problem.evaluate(problem.greedy()).objective
    result = solve(instance(seconds, [1, 1, 1, 1]), "pmedian", p=2)
    assert (greedy, result.objective, result.sites) == (8.0, 0.0, ("s0", "s2"))


@pytest.mark.parametrize(("p", "fixed", "message"), [
    (0, (), "p must be a whole number of at least 1, not 0"),
    (4, (), "p = 4 is more than the 3 sites"),
    (1, (0, 1), "2 sites are fixed, more than p = 1"),
])
def test_an_impossible_p_is_refused(p, fixed, message):
    with pytest.raises(ValueError) as error:
        solve(instance(np.ones((2, 3)), [1, 1], fixed=fixed), "pmedian", p=p)
    assert str(error.value) == message
