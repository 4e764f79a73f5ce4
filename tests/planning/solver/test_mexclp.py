"""Maximum expected coverage against enumeration of every placement of the units, and by hand."""
import numpy as np
import pytest

from planning.solver import solve
from tests.planning import brute_force
from tests.planning.cases import instance, random_case


@pytest.mark.parametrize("seed", range(12))
def test_the_optimum_of_small_random_instances_is_the_best_of_every_placement(seed):
    seconds, weights, limits = random_case(seed)
    room = [1 + (seed + j) % 2 for j in range(5)]  # some sites hold two units
    p, busy, fixed = 2 + seed % 3, (0.0, 0.3, 0.6)[seed % 3], (seed % 5,) if seed % 2 else ()
    result = solve(instance(seconds, weights, limits, fixed=fixed, capacity=room), "mexclp", p=p, busy=busy)
    cover = seconds <= limits[:, None]
    best = brute_force.mexclp(cover, weights, p, busy, np.isin(range(5), fixed), room)
    units = [result.units.get(f"s{j}", 0) for j in range(5)]
    assert (result.status, result.proven_optimal, result.gap, sum(units)) == ("optimal", True, 0.0, p)
    assert result.objective == pytest.approx(best, rel=1e-9)
    assert brute_force.mexclp_value(cover, weights, units, busy) == pytest.approx(best, rel=1e-9)


def test_a_point_covered_twice_counts_more_than_one_covered_once():
    # p0 (weight 3) is reached from s0 and s1, p1 (weight 2) from s2 alone: with q = 0.5 the second
    # unit on p0 adds 3 x 0.25 = 0.75, less than the 1.0 it adds at p1; with q = 0.8 it adds
    # 3 x 0.16 = 0.48, more than p1's 0.4
    seconds = [[10, 10, 99], [99, 99, 10]]
    spread = solve(instance(seconds, [3, 2]), "mexclp", p=2, busy=0.5, within=60)
    doubled = solve(instance(seconds, [3, 2]), "mexclp", p=2, busy=0.8, within=60)
    assert (len(spread.sites), "s2" in spread.sites, spread.objective) == (2, True, 2.5)
    assert (doubled.sites, doubled.objective) == (("s0", "s1"), 1.08)


def test_a_site_that_holds_two_units_can_cover_a_point_twice():
    result = solve(instance([[10], [10]], [1, 1], capacity=[2]), "mexclp", p=2, busy=0.5, within=60)
    assert (result.units, result.objective) == ({"s0": 2}, 1.5)


def test_with_no_unit_ever_busy_it_is_the_maximal_covering_problem():
    seconds, weights, limits = random_case(7)
    expected = solve(instance(seconds, weights, limits), "mexclp", p=2, busy=0.0)
    covering = solve(instance(seconds, weights, limits), "mclp", p=2)
    assert expected.objective == covering.objective


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"p": 1, "busy": 1.0}, "the busy fraction must be at least 0 and less than 1, not 1.0"),
    ({"p": 1, "busy": None}, "the busy fraction must be at least 0 and less than 1, not None"),
    ({"p": 3, "busy": 0.5}, "p = 3 is more than the 2 units the sites can hold"),
])
def test_a_busy_fraction_out_of_range_or_too_many_units_is_refused(kwargs, message):
    with pytest.raises(ValueError) as error:
        solve(instance([[10, 10]], [1], [60]), "mexclp", **kwargs)
    assert str(error.value) == message


def test_a_capacity_that_is_not_a_whole_number_of_units_is_refused():
    with pytest.raises(ValueError) as error:
        solve(instance([[10]], [1], [60], capacity=[1.5]), "mexclp", p=1, busy=0.5)
    assert str(error.value) == "site 's0': in MEXCLP the capacity counts units, not 1.5"
