"""Move-up's question on plain arrays (`planning.moveup.choose`): which idle units go where."""
import numpy as np
import pytest

from planning.moveup import Destination, Free, choose

# Four cells of weight 1 (60 s targets); a destination reaching cell 3 only.
WEIGHTS, TARGETS = np.ones(4), np.full(4, 60.0)
EAST = Destination(121.5, 31.2, "PP31 东", np.array([False, False, False, True]))


def unit(key, reach, drive_s=100.0):
    return Free(key, 121.47, 31.23, np.array(reach, dtype=bool), np.array([drive_s]))


def test_a_gap_is_filled_by_the_unit_whose_leaving_costs_least():
    # u1 alone reaches cells 0-1, u2 and u3 both reach cell 2: u3 (or u2) leaving loses nothing
    free = [unit(1, [1, 1, 0, 0]), unit(2, [0, 0, 1, 0]), unit(3, [0, 0, 1, 0], drive_s=50.0)]
    found = choose(weights=WEIGHTS, targets=TARGETS, free=free, destinations=[EAST], busy=0.0, max_moves=3,
                   min_gain=0.0)
    assert [(free[f].key, d) for f, d, _drive, _gain in found.moves] == [(3, 0)]
    assert (found.before, found.after) == (0.75, 1.0)
    assert found.uncovered == 0.25
    assert found.by_class_before == {"60": 0.75}


def test_no_move_is_worth_less_than_its_cost():
    free = [unit(1, [1, 1, 0, 0]), unit(2, [0, 0, 1, 0]), unit(3, [0, 0, 1, 0])]
    found = choose(weights=WEIGHTS, targets=TARGETS, free=free, destinations=[EAST], busy=0.5, max_moves=3,
                   min_gain=0.5)  # a move must win half the demand; this one wins at most a quarter
    assert (found.moves, found.before, found.after) == ([], found.before, found.before)


def test_a_destination_beyond_the_longest_drive_is_not_weighed():
    free = [unit(1, [1, 1, 0, 0]), unit(2, [0, 0, 1, 0], drive_s=900.0), unit(3, [0, 0, 1, 0], drive_s=900.0)]
    found = choose(weights=WEIGHTS, targets=TARGETS, free=free, destinations=[EAST], busy=0.0, max_moves=3,
                   min_gain=0.0, max_drive_s=600.0)
    assert found.moves == []


def test_at_most_the_moves_allowed_are_made():
    destinations = [Destination(121.5, 31.2 + n / 100, f"D{n}", np.eye(4, dtype=bool)[n]) for n in range(4)]
    free = [unit(n, [0, 0, 0, 0], drive_s=60.0) for n in range(4)]
    free = [Free(u.key, u.lon, u.lat, u.reach, np.full(4, 60.0)) for u in free]
    found = choose(weights=WEIGHTS, targets=TARGETS, free=free, destinations=destinations, busy=0.0, max_moves=2,
                   min_gain=0.0)
    assert (len(found.moves), found.before, found.after) == (2, 0.0, 0.5)
    assert sorted(d for _f, d, _drive, _gain in found.moves) == [0, 1]  # ties go to the first


def test_no_free_unit_leaves_everything_uncovered():
    found = choose(weights=WEIGHTS, targets=TARGETS, free=[], destinations=[EAST], busy=0.1)
    assert (found.moves, found.before, found.after, found.uncovered) == ([], 0.0, 0.0, 1.0)


@pytest.mark.parametrize("busy", [0.0, 0.2])
def test_each_move_reports_what_it_gains_alone(busy):
    free = [unit(1, [1, 1, 0, 0]), unit(2, [0, 0, 1, 0]), unit(3, [0, 0, 1, 0])]
    found = choose(weights=WEIGHTS, targets=TARGETS, free=free, destinations=[EAST], busy=busy, max_moves=1,
                   min_gain=0.0)
    (_f, _d, drive, gain), = found.moves
    assert (drive, round(gain, 6)) == (100.0, round((1 - busy) * (1 - busy) / 4, 6) if busy else 0.25)
