"""The simulator with the ways of moving on and off (issue 16): on, an officer on foot near the scene is
ranked by walking, sent first and a car beside them at a criminal call; off, every crew is ranked as a
car (as before), yet each still moves at its own pace, so the figures measure what ranking by mode gains."""
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


def test_off_every_crew_is_ranked_as_a_car_but_moves_at_its_own_pace():
    sim = run(modes_on=False)
    handled = sim.handling[1]
    ranked_as_cars = {1: seconds("car", NEAR_THE_SQUARE), 2: seconds("car", NANJING_EAST)}
    first = min(ranked_as_cars, key=ranked_as_cars.get)
    assert handled.units == [first]  # no car beside: the modes' rules are off too
    own = seconds("foot", NEAR_THE_SQUARE) if first == 1 else seconds("car", NANJING_EAST)
    assert handled.on_scene_at == 100.0 + round(30.0 + own, 1)
    assert figures(sim)["within_target"]["60"]["calls"] == 1
