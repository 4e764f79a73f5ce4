"""A headless run as the command and the what-if page ask for it: world, call stream, policies."""
import time

from command.simulation import posts
from command.simulation.calls import call_stream
from command.simulation.headless import simulate
from command.simulation.policies import POLICIES
from command.simulation.report import figures
from command.simulation.world import WhatIf, load_world


def headless_run(*, seed: int, hours: float = 24.0, policy: str = "road", day=None, what_if: WhatIf | None = None,
                 timings: dict | None = None, key_site_posts: bool = False) -> dict:
    """Figures of each policy asked (`all`: the three) on one seeded call stream, with `key_site_posts`
    the reach of the key sites' posts (`posts`). Wall-clock times go to `timings`, not into the
    result, so the result is the same for a seed every time."""
    started = time.perf_counter()
    world = load_world(day=day, hours=hours, what_if=what_if)
    calls = call_stream(world, seed=seed)
    result = {"seed": seed, "day": world.start.date().isoformat(), "hours": hours, "what_if": world.what_if.as_dict(),
              "policies": {}}
    for name in POLICIES if policy == "all" else (policy,):
        began = time.perf_counter()
        result["policies"][name] = figures(simulate(world, seed=seed, policy=name, calls=calls))
        if timings is not None:
            timings[name] = round(time.perf_counter() - began, 2)
    if key_site_posts:
        result["key_site_posts"] = posts.key_site_posts(world, calls, seed=seed)
    if timings is not None:
        timings["total"] = round(time.perf_counter() - started, 2)
    return result
