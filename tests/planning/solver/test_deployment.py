"""The deployment model (groups, budgets, shares of presence, costs) against enumeration of every
plan, and by hand; the fewest units that reach a goal per class likewise."""
import numpy as np
import pytest

from planning.solver import Deployment, FewestToGoal, run
from tests.planning import brute_force
from tests.planning.cases import instance, random_case

SHARES = (1.0, 0.5, 0.25)


def _case(seed: int):
    """Five sites: s0-s1 a platform's stands (a group), s2-s4 posts and routes in a budget of two;
    some pairs a share of the time."""
    seconds, weights, limits = random_case(seed, points=6, sites=5)
    rng = np.random.default_rng(seed + 100)
    fractions = rng.choice(SHARES, size=seconds.shape)
    fractions[:, :2] = 1.0  # a platform stands still
    cover = seconds <= limits[:, None]
    share = np.where(cover, fractions, 0.0)
    listed = [(f"s{j}", f"p{i}", float(fractions[i, j])) for i in range(6) for j in range(5) if fractions[i, j] < 1]
    return seconds, weights, limits, share, listed


@pytest.mark.parametrize("seed", range(12))
def test_the_optimum_of_small_random_instances_is_the_best_of_every_plan(seed):
    seconds, weights, limits, share, listed = _case(seed)
    busy, levels = (0.0, 0.2, 0.5)[seed % 3], (None, 2)[seed % 2]
    room = [1, 1, 1 + seed % 2, 1, 2]
    least = seed % 3  # 0, 1 or 2 of the budget's units must be placed
    cost = [0.0, 0.5, 0.0, 0.0, 1.0] if seed % 4 == 1 else None
    problem = Deployment(instance(seconds, weights, limits, capacity=room), busy=busy, share=listed, levels=levels,
                         groups={"s0": "P01", "s1": "P01"}, budgets={"crews": (("s2", "s3", "s4"), least, 2)},
                         cost=dict(zip(("s0", "s1", "s2", "s3", "s4"), cost)) if cost else None)
    result = run(problem)
    best, plans = brute_force.deployment(share, weights, busy, room=room, fixed=[False] * 5, groups=[[0, 1]],
                                         budgets=[([2, 3, 4], least, 2)], cost=cost, levels=levels)
    units = tuple(result.units.get(f"s{j}", 0) for j in range(5))
    assert (result.status, result.proven_optimal, result.gap) == ("optimal", True, 0.0)
    assert result.objective == pytest.approx(best, abs=1e-9)
    assert units in plans


def test_greedy_plans_keep_to_the_groups_and_budgets_and_are_never_better_than_the_optimum():
    for seed in range(12):
        seconds, weights, limits, share, listed = _case(seed)
        problem = Deployment(instance(seconds, weights, limits), busy=0.2, share=listed,
                             groups={"s0": "P01", "s1": "P01"}, budgets={"crews": (("s2", "s3", "s4"), 2, 2)})
        plan = problem.greedy()
        assert (plan.units[:2].sum(), plan.units[2:].sum()) == (1, 2)
        assert problem.evaluate(plan).objective <= run(problem).objective + 1e-9


def test_a_route_patrolled_half_the_time_counts_half_a_unit():
    # p0 (weight 4) is reached by the post s0 all the time, by the route s1 half the time; with
    # q = 0.5 and one crew: the post gives 4 x 0.5 = 2.0, the route 4 x 0.5 x 0.5 = 1.0
    problem = Deployment(instance([[10, 10]], [4], [60]), busy=0.5, share=[("s1", "p0", 0.5)],
                         budgets={"crews": (("s0", "s1"), 1, 1)})
    result = run(problem)
    assert (result.sites, result.objective) == (("s0",), 2.0)
    both = run(Deployment(instance([[10, 10]], [4], [60]), busy=0.5, share=[("s1", "p0", 0.5)],
                          budgets={"crews": (("s0", "s1"), 2, 2)}))
    # n = 1.5: the first unit counts 0.5, half of the second's 0.25
    assert (both.sites, both.objective) == (("s0", "s1"), 2.5)


def test_a_stand_with_a_reserve_beside_the_truck_counts_as_more_than_one_unit():
    result = run(Deployment(instance([[10, 10]], [1], [60]), busy=0.5, share=[("s0", "p0", 2.0)],
                            groups={"s0": "P01", "s1": "P01"}))
    assert (result.sites, result.objective) == (("s0",), 0.75)


def test_each_group_stands_at_exactly_one_of_its_sites_even_where_it_adds_nothing():
    result = run(Deployment(instance([[10, 99, 99]], [1], [60]), groups={"s1": "P02", "s2": "P02"},
                            budgets={"crews": (("s0",), 0, 1)}))
    assert (len(result.sites), "s0" in result.sites, result.objective) == (2, True, 1.0)


def test_a_move_is_made_only_where_it_buys_more_than_it_costs():
    # a unit at s0 (stay) reaches p0 (weight 1); moving it to s1 reaches p1 (weight 3) at cost 2.5
    seconds = [[10, 99], [99, 10]]
    cheap = run(Deployment(instance(seconds, [1, 3], [60, 60]), groups={"s0": "u1", "s1": "u1"}, cost={"s1": 1.5}))
    dear = run(Deployment(instance(seconds, [1, 3], [60, 60]), groups={"s0": "u1", "s1": "u1"}, cost={"s1": 2.5}))
    assert (cheap.sites, cheap.objective, dear.sites, dear.objective) == (("s1",), 1.5, ("s0",), 1.0)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"groups": {"s9": "P01"}}, "group 'P01' names site 's9', which is not in the instance"),
    ({"budgets": {"crews": (("s0",), 2, 1)}}, "budget 'crews': needs 0 <= least <= most, finite (not 2, 1)"),
    ({"budgets": {"crews": (("s0",), 2, 2)}}, "budget 'crews': its sites hold 1 units, fewer than 2"),
    ({"share": [("s0", "p0", -0.5)]}, "the share of 's0' to 'p0' must be a number of at least 0, not -0.5"),
    ({"cost": {"s0": -1}}, "site 's0': the cost must be a number of at least 0, not -1"),
    ({"busy": 1.0}, "the busy fraction must be at least 0 and less than 1, not 1.0"),
])
def test_bad_groups_budgets_shares_and_costs_are_refused(kwargs, message):
    with pytest.raises(ValueError) as error:
        Deployment(instance([[10, 10]], [1], [60]), **kwargs)
    assert str(error.value) == message


@pytest.mark.parametrize("seed", range(10))
def test_the_fewest_units_to_a_goal_are_the_fewest_of_every_plan(seed):
    seconds, weights, limits, share, listed = _case(seed)
    classes = {f"p{i}": ("key" if i < 2 else "other") for i in range(6)}
    base = {f"p{i}": 0.5 for i in range(0, 6, 3)}
    goals = {"key": (0.5, 1.0)[seed % 2], "overall": (0.6, 0.8)[seed % 3 % 2]}
    room = [1, 2, 1, 1, 1]
    problem = FewestToGoal(instance(seconds, weights, limits, capacity=room), classes=classes, goals=goals, base=base,
                           share=listed)
    result = run(problem)
    expected = brute_force.fewest_to_goal(share, weights, [classes[f"p{i}"] for i in range(6)], goals,
                                          [base.get(f"p{i}", 0.0) for i in range(6)], room)
    if expected is None:
        assert (result.status, result.objective) == ("infeasible", None)
        assert not problem.met(np.array(room))
    else:
        assert (result.status, result.objective) == ("optimal", float(expected))
        units = np.array([result.units.get(f"s{j}", 0) for j in range(5)])
        assert problem.met(units)


def test_the_shares_a_plan_reaches_by_class_and_overall():
    # p0 (key, weight 2) half reached by what is held; s0 reaches p1 (other, weight 2)
    problem = FewestToGoal(instance([[99], [10]], [2, 2], [60, 60]), classes={"p0": "key", "p1": "other"},
                           goals={"overall": 0.75}, base={"p0": 0.5})
    assert problem.shares(np.array([0])) == {"key": 0.5, "other": 0.0, "overall": 0.25}
    assert problem.shares(np.array([1])) == {"key": 0.5, "other": 1.0, "overall": 0.75}
    assert run(problem).sites == ("s0",)
