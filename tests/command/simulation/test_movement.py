"""The simulator's routes: a headless run keeps each answer for the run (congestion read at its start); a
live run reads congestion for now, so it asks again each quarter hour and its crews drive slower in the
rush hours' bands."""
from types import SimpleNamespace

from command.simulation import movement

A, B = (121.47, 31.23), (121.48, 31.24)


def routed(monkeypatch, clock: list, factor: dict):
    calls = []

    def route(origin, target, *, profile, at):
        calls.append(at)
        return SimpleNamespace(duration_s=100.0 * factor["now"], distance_m=900.0,
                               geometry={"coordinates": [list(origin), list(target)]})

    monkeypatch.setattr(movement.travel, "route", route)
    monkeypatch.setattr(movement.time, "time", lambda: clock[0])
    return calls


def test_a_live_run_asks_again_each_quarter_hour_and_drives_slower_in_a_band(monkeypatch):
    clock, factor = [movement.SLOT_S * 1000 + 5.0], {"now": 1.0}
    calls = routed(monkeypatch, clock, factor)
    routes = movement.Routes(None)
    free = routes.get(A, B, "car")[0]
    clock[0] += 600  # the same quarter hour
    factor["now"] = 1.8
    assert routes.get(A, B, "car")[0] == free == 100.0
    clock[0] += 400  # the next quarter hour: the band begins
    assert routes.get(A, B, "car")[0] == 180.0
    assert calls == [None, None]


def test_a_headless_run_keeps_its_answers_for_the_run(monkeypatch):
    clock, factor = [5.0], {"now": 1.0}
    calls = routed(monkeypatch, clock, factor)
    routes = movement.Routes("start")
    routes.get(A, B, "car")
    clock[0] += movement.SLOT_S * 4
    factor["now"] = 2.0
    assert routes.get(A, B, "car")[0] == 100.0
    assert calls == ["start"]


def test_a_stop_off_every_network_is_no_drive_not_a_crash(monkeypatch):
    """The live simulator died (and the demo with it) when a foot crew's stop was off the foot network
    and the car's fallback raised too."""
    asked = []

    def route(origin, target, *, profile, at):
        asked.append(profile)
        raise movement.travel.OffNetwork("off the road")

    monkeypatch.setattr(movement.travel, "route", route)
    duration, distance, path = movement.Routes("start").get(A, B, "foot")
    assert (duration, distance, path.points, asked) == (0.0, 0.0, [A, B], ["foot", "car"])
