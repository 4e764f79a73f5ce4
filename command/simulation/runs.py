"""A headless run as the command and the what-if page ask for it: world, call stream, policies; and
the comparison of a placement (the planner's, or a plan) and move-up against today's placement on
the same seeds, in one JSON."""
import time
from dataclasses import replace

from command.simulation import posts
from command.simulation.calls import call_stream
from command.simulation.headless import simulate
from command.simulation.policies import POLICIES
from command.simulation.report import figures, pooled
from command.simulation.world import WhatIf, load_world


def headless_run(*, seed: int, hours: float = 24.0, policy: str = "road", day=None, what_if: WhatIf | None = None,
                 timings: dict | None = None, key_site_posts: bool = False, move_up: bool = False,
                 modes_off: bool = False) -> dict:
    """Figures of each policy asked (`all`: the three) on one seeded call stream, with `key_site_posts`
    the reach of the key sites' posts (`posts`), with `modes_off` the first policy's figures again with
    the crews ranked as before issue 16 (the modes off). Wall-clock times go to `timings`, not into the result, so the
    result is the same for a seed every time."""
    started = time.perf_counter()
    world = load_world(day=day, hours=hours, what_if=what_if)
    calls = call_stream(world, seed=seed)
    result = {"seed": seed, "day": world.start.date().isoformat(), "hours": hours, "what_if": world.what_if.as_dict(),
              "policies": {}}
    for name in POLICIES if policy == "all" else (policy,):
        began = time.perf_counter()
        result["policies"][name] = figures(simulate(world, seed=seed, policy=name, calls=calls, move_up=move_up))
        if timings is not None:
            timings[name] = round(time.perf_counter() - began, 2)
    if modes_off:
        result["modes_off"] = _modes_off(timings, world, seed, "road" if policy == "all" else policy, calls, move_up)
    if key_site_posts:
        result["key_site_posts"] = posts.key_site_posts(world, calls, seed=seed)
    if timings is not None:
        timings["total"] = round(time.perf_counter() - started, 2)
    return result


def compare_run(*, seeds: list[int], hours: float = 24.0, policy: str = "road", day=None, what_if: WhatIf,
                move_up: bool = False, timings: dict | None = None, rival: str | None = None,
                extra_crews: bool = False, modes_off: bool = False) -> dict:
    """Today's placement (the seeded patrol plans, no move-up) beside the placement asked (`what_if`:
    the planner's for every band, or one plan) with move-up if asked, on the same calls of each seed.
    With `rival` (a second dispatch policy) both placements are run again under it and the late calls
    of the two policies put side by side; with `extra_crews` each band's plan also reports the fewest
    crews more the goals would take, and where; with `modes_off` today's placement again with the crews
    ranked as before issue 16 (the modes' effect, on the same calls)."""
    timings = timings if timings is not None else {}
    started = time.perf_counter()
    today = load_world(day=day, hours=hours, what_if=replace(what_if, placement="today", plan_id=None))
    asked = load_world(day=day, hours=hours, what_if=what_if, extra_crews=extra_crews)
    timings["worlds"] = round(time.perf_counter() - started, 2)
    name = variant_name(what_if, move_up)
    runs, rivals, off = {}, {}, {}
    for seed in seeds:
        calls = call_stream(today, seed=seed)
        if modes_off:
            off[str(seed)] = _modes_off(timings, today, seed, policy, calls, False)
        runs[str(seed)] = {"today": _timed(timings, f"today {seed}", today, seed, policy, calls, False),
                           name: _timed(timings, f"{name} {seed}", asked, seed, policy, calls, move_up)}
        if rival:
            rivals[str(seed)] = {"today": _timed(timings, f"today {rival} {seed}", today, seed, rival, calls, False),
                                 name: _timed(timings, f"{name} {rival} {seed}", asked, seed, rival, calls, move_up)}
    timings["total"] = round(time.perf_counter() - started, 2)
    result = {"day": today.start.date().isoformat(), "hours": hours, "policy": policy, "seeds": seeds,
              "what_if": asked.what_if.as_dict(), "move_up": move_up, "runs": runs,
              "summary": {key: pooled([run[key] for run in runs.values()]) for key in ("today", name)},
              "plans": asked.plans}
    if modes_off:
        result["modes_off"] = {"today": {"runs": off, "summary": pooled(list(off.values()))}}
    if rival:
        result["late_by_policy"] = policy_late(runs, rivals, policy=policy, rival=rival)
    return result


def _timed(timings: dict, label: str, world, seed: int, policy: str, calls: list, move_up: bool) -> dict:
    began = time.perf_counter()
    sim = simulate(world, seed=seed, policy=policy, calls=calls, move_up=move_up)
    timings[label] = round(time.perf_counter() - began, 2)
    return {**figures(sim), **({"move_up": sim.move_ups.figures()} if sim.move_ups else {})}


def _modes_off(timings: dict, world, seed: int, policy: str, calls: list, move_up: bool) -> dict:
    """The same run with the modes off: crews ranked as before issue 16 (dispatch.engine.mode_before), no
    mode's limits, no car beside; each still moves at its own mode's pace (Simulation._travel_s)."""
    began = time.perf_counter()
    sim = simulate(world, seed=seed, policy=policy, calls=calls, move_up=move_up, modes_on=False)
    if timings is not None:
        timings[f"{policy} modes off {seed}"] = round(time.perf_counter() - began, 2)
    return {"policy": policy, **figures(sim)}


def policy_late(runs: dict, rivals: dict, *, policy: str, rival: str) -> dict:
    """Each placement's late calls under the rival policy beside the policy's own, per seed: `change`
    is the rival's late calls against the policy's, (rival - policy) / policy, so -0.15 is 15% fewer."""
    found = {}
    for seed, run in runs.items():
        found[seed] = {}
        for variant, figures_ in run.items():
            other = rivals[seed][variant]
            change = round((other["late"] - figures_["late"]) / figures_["late"], 4) if figures_["late"] else None
            found[seed][variant] = {policy: figures_["late"], rival: other["late"], "change": change,
                                    f"{rival}_within_target": other["within_target"]}
    return {"policy": policy, "rival": rival, "runs": found}


def variant_name(what_if: WhatIf, move_up: bool) -> str:
    base = f"plan_{what_if.plan_id}" if what_if.plan_id is not None else what_if.placement
    return f"{base}_move_up" if move_up else base
