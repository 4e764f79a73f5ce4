"""Hand-made worlds for the simulator's tests: crews parked at posts, calls, the road time between two points."""
from datetime import datetime

from django.utils import timezone

from command.simulation.calls import Call
from command.simulation.world import SimUnit, WhatIf, World
from dispatch.engine import Crew
from grid import travel

START = timezone.make_aware(datetime(2026, 11, 24, 10, 0))   # a Tuesday off-peak; nothing reads the roster


def crew(pk: int, call_sign: str, post, *, capabilities=("patrol", "traffic", "rescue")) -> SimUnit:
    """A crew parked at its post all run long (parked: it never patrols away), turning out in 30 s."""
    return SimUnit(crew=Crew(pk, call_sign, "patrol_car"), platform="P01", capabilities=capabilities, officers=3,
                   on_from=0.0, on_until=4 * 3600.0, stops=[post], parked=True)


def call(number: int, at: float, point, *, target_s=300, on_scene_s=600.0, category="dispute", priority=2) -> Call:
    return Call(number=number, at=at, lon=point[0], lat=point[1], category=category, priority=priority,
                target_s=target_s, zone_id=None, key_site_id=None, units_needed=1, on_scene_s=(on_scene_s,))


def world_of(*units) -> World:
    return World(start=START, hours=2.0, units=list(units), zones=[], key_sites=[], platforms={}, what_if=WhatIf())


def road_s(origin, target) -> float:
    return travel.durations_to(target, [origin])[0].duration_s
