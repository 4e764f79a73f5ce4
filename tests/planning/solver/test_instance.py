"""The instance: sparse pairs (missing = unreachable, zero a real time) and its checks."""
import numpy as np
import pytest

from planning.solver import DemandPoint, Instance, Site


def test_pairs_from_a_matrix_keep_zeros_and_drop_what_is_unreachable():
    inst = Instance.from_matrix([DemandPoint("a"), DemandPoint("b")], [Site("x"), Site("y")], [[0, np.inf], [5, np.nan]])
    assert (inst.point.tolist(), inst.site.tolist(), inst.seconds.tolist()) == ([0, 1], [0, 0], [0.0, 5.0])
    assert inst.dense().tolist() == [[0.0, np.inf], [5.0, np.inf]]


def test_pairs_by_id_are_from_a_site_to_a_point():
    inst = Instance.from_pairs([DemandPoint("a"), DemandPoint("b")], [Site("x")], [("x", "b", 7.0)])
    assert (inst.point.tolist(), inst.site.tolist(), inst.seconds.tolist()) == ([1], [0], [7.0])


def test_each_point_keeps_its_own_limit_and_the_others_take_the_default():
    inst = Instance.from_matrix([DemandPoint("a", within=60), DemandPoint("b")], [Site("x")], [[1], [1]])
    assert inst.limits(300).tolist() == [60.0, 300.0]


@pytest.mark.parametrize(("demand", "sites", "matrix", "message"), [
    ([DemandPoint("a"), DemandPoint("a")], [Site("x")], [[1], [1]], "the demand point id 'a' is listed twice"),
    ([DemandPoint("")], [Site("x")], [[1]], "a demand point id must be a non-empty string, not ''"),
    ([DemandPoint("a", weight=-1)], [Site("x")], [[1]], "demand point 'a': the weight must be a number of at least 0, not -1"),
    ([DemandPoint("a", within=0)], [Site("x")], [[1]], "demand point 'a': the limit must be more than 0 seconds, not 0"),
    ([DemandPoint("a")], [Site("x", capacity=-2)], [[1]], "site 'x': the capacity must be a number of at least 0, not -2"),
    ([DemandPoint("a")], [Site("x")], [[-1]], "travel times must be finite and at least 0 (leave an unreachable pair out)"),
    ([DemandPoint("a")], [Site("x")], [[1, 2]], "the matrix is (1, 2), not 1 points × 1 sites"),
])
def test_bad_data_is_refused_with_what_is_wrong(demand, sites, matrix, message):
    with pytest.raises(ValueError) as error:
        Instance.from_matrix(demand, sites, matrix)
    assert str(error.value) == message


def test_a_pair_listed_twice_is_refused():
    with pytest.raises(ValueError) as error:
        Instance([DemandPoint("a")], [Site("x")], [0, 0], [0, 0], [1, 2])
    assert str(error.value) == "a (point, site) pair is listed twice"


def test_a_pair_naming_an_unknown_site_or_point_is_refused():
    with pytest.raises(ValueError) as error:
        Instance.from_pairs([DemandPoint("a")], [Site("x")], [("y", "a", 1.0)])
    assert str(error.value) == "the pair 'y' to 'a' names a site or a demand point that is not in the instance"
