"""The solver's front door: a model by name, its greedy baseline, an unknown name refused."""
import pytest

from planning.solver import problem, solve
from tests.planning.cases import instance

# s0 covers p0-p3, s1 p0, p1, p4, s2 p2, p3, p5
TRAP = [[10, 10, 99], [10, 10, 99], [10, 99, 10], [10, 99, 10], [99, 10, 99], [99, 99, 10]]


def test_the_greedy_baseline_is_evaluated_the_way_a_solved_plan_is():
    model = problem(instance(TRAP, [1] * 6), "mclp", p=2, within=60)
    greedy = model.evaluate(model.greedy())
    assert (greedy.objective, greedy.covered.tolist()) == (5.0, [True, True, True, True, True, False])
    assert solve(instance(TRAP, [1] * 6), "mclp", p=2, within=60).objective == 6.0


def test_an_unknown_model_is_refused():
    with pytest.raises(ValueError) as error:
        solve(instance(TRAP, [1] * 6), "kmeans", p=2)
    assert str(error.value) == "unknown model 'kmeans': one of pmedian, mclp, lscp, mexclp"
