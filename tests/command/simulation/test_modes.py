"""The simulator with the ways of moving on and off (issue 16): on, an officer on foot near the scene is
ranked by walking, sent first and a car beside them at a criminal call, a motorcycle by its own share of
the congestion; off, crews are ranked as before (on foot walking, every other crew as a car), yet each
still moves at its own pace, so the figures measure what ranking by mode gains."""
import pytest

from command.simulation.headless import Simulation
from command.simulation.report import figures
from command.simulation.world import SimUnit
from dispatch.engine import Crew
from grid import modes
from tests.command.simulation.support import call, world_of
from tests.places import NANJING_EAST, PEOPLES_SQUARE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_network")]

NEAR_THE_SQUARE = (121.4745, 31.2309)  # about 90 m from PEOPLES_SQUARE


def parked(pk: int, call_sign: str, kind: str, post) -> SimUnit:
    return SimUnit(crew=Crew(pk, call_sign, kind), platform="P01", capabilities=("patrol", "traffic"), officers=2,
                   on_from=0.0, on_until=4 * 3600.0, stops=[post], profile=modes.profile_of(
                       {"on_foot": "foot", "patrol_car": "car", "motorcycle": "motorcycle"}[kind]), parked=True)


def seconds(mode: str, origin, target=PEOPLES_SQUARE) -> float:
    return modes.durations_to(target, [origin], mode=mode)[0].duration_s


def run(*, modes_on: bool, category: str = "criminal") -> Simulation:
    world = world_of(parked(1, "步01", "on_foot", NEAR_THE_SQUARE), parked(2, "车01", "patrol_car", NANJING_EAST))
    return Simulation(world, [call(1, 100.0, PEOPLES_SQUARE, target_s=60, category=category)], modes_on=modes_on).run()


def test_on_the_officer_on_foot_walks_there_first_and_a_car_goes_beside_them():
    handled = run(modes_on=True).handling[1]
    assert handled.units == [1, 2]
    assert handled.on_scene_at == 100.0 + round(30.0 + seconds("foot", NEAR_THE_SQUARE), 1)


def test_a_dispute_takes_the_officer_on_foot_alone():
    assert run(modes_on=True, category="dispute").handling[1].units == [1]


def test_off_the_officer_on_foot_still_walks_first_but_no_car_goes_beside():
    handled = run(modes_on=False).handling[1]
    assert handled.units == [1]
    assert handled.on_scene_at == 100.0 + round(30.0 + seconds("foot", NEAR_THE_SQUARE), 1)


def test_off_a_motorcycle_is_ranked_in_the_cars_jam_but_rides_through_it(settings, monkeypatch):
    settings.MOTORCYCLE_CONGESTION_SHARE = 0.0
    monkeypatch.setattr("grid.congestion.factor_at", lambda lon, lat, at=None: 2.0)  # a jam everywhere
    world = world_of(parked(1, "摩01", "motorcycle", NANJING_EAST))
    sims = {on: Simulation(world, [call(1, 100.0, PEOPLES_SQUARE, target_s=600)], modes_on=on).run()
            for on in (True, False)}
    free_flow = round(30.0 + seconds("motorcycle", NANJING_EAST), 1)
    assert seconds("car", NANJING_EAST) == pytest.approx(2 * seconds("motorcycle", NANJING_EAST))
    assert sims[True].handling[1].on_scene_at == sims[False].handling[1].on_scene_at == 100.0 + free_flow


@pytest.mark.usefixtures("demo_city")
def test_a_headless_run_reports_the_modes_off_on_the_same_calls():
    from command.simulation.runs import headless_run

    result = headless_run(seed=3, hours=3, modes_off=True)
    on, off = result["policies"]["road"], result["modes_off"]
    assert off["policy"] == "road"
    assert {target: off["within_target"][target]["calls"] for target in ("60", "180", "300")} == {
        target: on["within_target"][target]["calls"] for target in ("60", "180", "300")}
    assert "modes_off" not in headless_run(seed=3, hours=3)
