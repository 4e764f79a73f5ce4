"""The planner's placement and move-up in the headless simulator, on the demo city: each band's plan
laid over the crews as an accepted plan gives them out (trucks at their stands, the night reserve
with them, every crew a task), a run with move-up making and undoing moves, today's placement beside
the asked one on the same calls in one JSON, the same seed giving the same JSON."""
from datetime import datetime

import pytest
from django.utils import timezone

from command.simulation.report import pooled
from command.simulation.runs import compare_run, policy_late
from command.simulation.world import WhatIf, load_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


@pytest.fixture(autouse=True)
def _steady_geometry(monkeypatch):
    """The city does not change during a run: the spatial index is read once a second, as in production."""
    from grid import selectors

    monkeypatch.setattr(selectors, "RECHECK_S", 1.0)


def test_each_bands_plan_is_laid_over_the_crews():
    world = load_world(hours=9, what_if=WhatIf(placement="planned"))
    starts = sorted(timezone.localtime(datetime.fromisoformat(key)).hour for key in world.plans)
    assert starts == [0, 7]  # the night band and the morning peak
    # planned on the call model the run's calls are drawn from, not on the demo's week of survey calls
    assert {plan["demand"] for plan in world.plans.values()} == {"call_model"}
    night = next(plan for key, plan in world.plans.items() if timezone.localtime(datetime.fromisoformat(key)).hour == 0)
    assert set(night["platforms"]) == {"P01", "P02", "P03", "P04", "P05", "P06", "P07"}
    for unit in (u for u in world.units if u.on_from < 3600):
        band = unit.band_at(3600)
        assert band is not None and band.stops, unit.crew.call_sign   # every crew and truck has its task at 01:00
        if unit.parked:
            assert band.hold
    held = [u for u in world.units if not u.parked and u.on_from < 3600 and u.band_at(3600).hold]
    stands = {u.band_at(3600).stops[0] for u in world.units if u.parked and u.on_from < 3600}
    assert {u.band_at(3600).stops[0] for u in held} & stands   # the night reserve waits with its truck


def test_a_run_with_move_up_beside_todays_placement_in_one_json():
    result = compare_run(seeds=[1], hours=6, what_if=WhatIf(placement="planned"), move_up=True)
    run = result["runs"]["1"]
    assert set(run) == {"today", "planned_move_up"}
    assert run["today"]["calls"] == run["planned_move_up"]["calls"] > 0
    assert run["planned_move_up"]["move_up"]["recomputed"] > 0
    assert set(result["summary"]) == {"today", "planned_move_up"}
    again = compare_run(seeds=[1], hours=6, what_if=WhatIf(placement="planned"), move_up=True)
    assert again["runs"] == result["runs"]   # the same seed, the same figures


def test_runs_are_pooled_over_their_calls():
    runs = [{"calls": 10, "late": 1, "late_out_of_every_crews_reach": 1,
             "within_target": {"60": {"calls": 2, "within": 1}, "180": {"calls": 3, "within": 3}, "300": {"calls": 5, "within": 5}}},
            {"calls": 10, "late": 0, "late_out_of_every_crews_reach": 0,
             "within_target": {"60": {"calls": 1, "within": 1}, "180": {"calls": 4, "within": 4}, "300": {"calls": 5, "within": 5}}}]
    assert pooled(runs) == {
        "calls": 20, "late": 1, "late_out_of_every_crews_reach": 1, "goal_overall_95": True, "goal_key_sites_90": False,
        "within_target": {"60": {"calls": 3, "within": 2, "fraction": 0.6667}, "180": {"calls": 7, "within": 7, "fraction": 1.0},
                          "300": {"calls": 10, "within": 10, "fraction": 1.0}, "overall": 0.95}}


def test_a_plan_with_no_result_cannot_be_laid_over_the_day():
    with pytest.raises(ValueError, match="no computed deployment plan 999999"):
        load_world(hours=2, what_if=WhatIf(plan_id=999999))


def test_the_rival_policys_late_calls_are_put_beside_the_policys_own():
    result = compare_run(seeds=[1], hours=3, what_if=WhatIf(placement="planned"), rival="coverage")
    late = result["late_by_policy"]
    assert (late["policy"], late["rival"]) == ("road", "coverage")
    for variant in ("today", "planned"):
        row = late["runs"]["1"][variant]
        assert row["road"] == result["runs"]["1"][variant]["late"]
        assert set(row) == {"road", "coverage", "change", "coverage_within_target"}


def test_the_change_in_late_calls_is_the_rivals_against_the_policys():
    runs = {"1": {"today": {"late": 20}, "planned": {"late": 0}}}
    rivals = {"1": {"today": {"late": 17, "within_target": {"overall": 0.9}},
                    "planned": {"late": 1, "within_target": {"overall": 0.99}}}}
    assert policy_late(runs, rivals, policy="road", rival="coverage")["runs"]["1"] == {
        "today": {"road": 20, "coverage": 17, "change": -0.15, "coverage_within_target": {"overall": 0.9}},
        "planned": {"road": 0, "coverage": 1, "change": None, "coverage_within_target": {"overall": 0.99}}}
