"""What the history's times are drawn from: the headless simulator's own measured behaviour. A few
seeded days of today's roster are simulated (command/simulation/), and every call served gives one
sample of (call → order, order → on scene) keyed by its zone and hour, and one time on scene by
category. Nothing here is an invented constant: change the simulator and the history follows."""
from collections import defaultdict
from dataclasses import dataclass, field

from command.simulation.calls import call_stream
from command.simulation.headless import simulate
from command.simulation.world import load_world

MIN_SAMPLES = 5   # below this a (zone, hour) key borrows from its wider key


@dataclass
class Measured:
    by_zone_hour: dict = field(default_factory=lambda: defaultdict(list))
    by_zone_band: dict = field(default_factory=lambda: defaultdict(list))
    by_target: dict = field(default_factory=lambda: defaultdict(list))
    on_scene_by_category: dict = field(default_factory=lambda: defaultdict(list))
    calls: int = 0

    def add(self, *, zone_id, target_s: int, hour: int, sample: tuple, category: str, on_scene: tuple) -> None:
        self.by_zone_hour[(zone_id, hour)].append(sample)
        self.by_zone_band[(zone_id, hour // 6)].append(sample)
        self.by_target[target_s].append(sample)
        self.on_scene_by_category[category].extend(on_scene)
        self.calls += 1

    def samples(self, zone_id, target_s: int, hour: int) -> list:
        """The narrowest key with enough samples: zone and hour, zone and band of the day, target class."""
        for found in (self.by_zone_hour.get((zone_id, hour)), self.by_zone_band.get((zone_id, hour // 6)),
                      self.by_target.get(target_s)):
            if found and len(found) >= MIN_SAMPLES:
                return found
        return self.by_target.get(target_s) or [s for rows in self.by_target.values() for s in rows]


def measure(*, days: int, seed: int, day=None) -> tuple[Measured, object]:
    """Run `days` seeded days of the simulator on the day's roster; the samples and the world."""
    world = load_world(day=day)
    measured = Measured()
    for n in range(days):
        calls = call_stream(world, seed=seed + n)
        run = simulate(world, seed=seed + n, policy="road", calls=calls)
        for handling in run.handling.values():
            if handling.on_scene_at is None or handling.ordered_at is None:
                continue
            call = handling.call
            measured.add(zone_id=call.zone_id, target_s=call.target_s, hour=world.at(call.at).hour,
                         sample=(round(handling.ordered_at - call.at, 1), round(handling.on_scene_at - handling.ordered_at, 1)),
                         category=call.category, on_scene=call.on_scene_s)
    return measured, world
