"""The figures of a run: on scene within target per class (60 / 180 / 300 s) and overall, response
times, calls late, waiting and unserved, unit utilisation. Plain numbers, rounded, so a seed's JSON
is the same byte for byte."""
import math

TARGETS = (60, 180, 300)


def figures(sim) -> dict:
    handled = list(sim.handling.values())
    served = [h for h in handled if h.on_scene_at is not None]
    response = [h.on_scene_at - h.ordered_at for h in served]
    from_call = [h.on_scene_at - h.call.at for h in served]
    met = [h for h in served if h.on_scene_at - h.ordered_at <= h.call.target_s]
    by_class = {}
    for target in TARGETS:
        calls = [h for h in handled if h.call.target_s == target]
        hits = sum(1 for h in calls if h in met)
        by_class[str(target)] = {"calls": len(calls), "within": hits, "fraction": _fraction(hits, len(calls))}
    return {
        "calls": len(handled),
        "served": len(served),
        "unserved": len(handled) - len(served),
        "within_target": {**by_class, "overall": _fraction(len(met), len(handled))},
        "response_s": _stats(response),
        "call_to_scene_s": _stats(from_call),
        "fraction_late": _fraction(len(handled) - len(met), len(handled)),
        "late": len(handled) - len(met),
        # late calls no crew on duty could have reached in time even were all free (busy ones at their
        # posts): deployment decides those; a dispatch policy acts only on the rest
        "late_out_of_every_crews_reach": sum(1 for h in handled if h not in met and _out_of_reach(h)),
        "waited": sum(1 for h in handled if h.waited),
        "preempted": sum(h.preempted for h in handled),
        "utilisation": _utilisation(sim),
        "units": sum(1 for c in sim.crews.values() if c.unit.on_from < sim.end),  # on duty within the window
    }


def _out_of_reach(handling) -> bool:
    best = handling.best_free_eta_s
    return best is None or best > handling.call.target_s


def _fraction(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _stats(values: list[float]) -> dict:
    if not values:
        return {"mean": None, "p90": None}
    ordered = sorted(values)
    return {"mean": round(sum(ordered) / len(ordered), 1), "p90": round(_percentile(ordered, 0.9), 1)}


def _percentile(ordered: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _utilisation(sim) -> float | None:
    """Busy time (order to clear) over time on duty, both within the simulated window."""
    on_duty = sum(max(0.0, min(c.unit.on_until, sim.end) - c.unit.on_from) for c in sim.crews.values())
    busy = sum(c.busy_s for c in sim.crews.values())
    busy += sum(max(0.0, sim.end - min(c.busy_since, sim.end)) for c in sim.crews.values() if c.job is not None)
    return round(busy / on_duty, 4) if on_duty else None


def pooled(runs: list[dict]) -> dict:
    """Several runs' figures as one: on scene within target per class and overall over all their
    calls, the late calls, and whether the goals (95 % overall, 90 % at key sites) are met."""
    by_class = {}
    for target in TARGETS:
        calls = sum(r["within_target"][str(target)]["calls"] for r in runs)
        within = sum(r["within_target"][str(target)]["within"] for r in runs)
        by_class[str(target)] = {"calls": calls, "within": within, "fraction": _fraction(within, calls)}
    calls = sum(r["calls"] for r in runs)
    late = sum(r["late"] for r in runs)
    overall = _fraction(calls - late, calls)
    return {"calls": calls, "late": late, "within_target": {**by_class, "overall": overall},
            "late_out_of_every_crews_reach": sum(r["late_out_of_every_crews_reach"] for r in runs),
            "goal_overall_95": overall is not None and overall >= 0.95,
            "goal_key_sites_90": by_class["60"]["fraction"] is not None and by_class["60"]["fraction"] >= 0.90}
