"""What a band's plan says, as JSON: where each platform stands and what its crews do, the share of
the band's calls within target per class (expected, with crews busy a share of the time; and the
static reach, every crew free) for the plan, today's placement and the greedy plan, the calls no
crew reaches, the solver's own account, and the fewest extra crews the goals would take."""
import numpy as np
from django.conf import settings

from grid.geometry import distance_m
from grid.models import KeySite
from planning import matrix
from planning.candidates import HERE, STAND
from planning.cells import columns
from planning.solver import DemandPoint, FewestToGoal, Instance, Site, run

CLASSES = (60, 180, 300)
UNCOVERED_LISTED = 15


def band_report(model, result, greedy, today: np.ndarray) -> dict:
    plan = model.units_of(result.units) if result.objective is not None else None
    greedy_units = greedy.units.astype(float) if greedy is not None else None
    demand, band = model.demand, model.band
    return {
        "band": {"starts_at": band.starts_at.isoformat(), "ends_at": band.ends_at.isoformat(), "mode": band.mode},
        "size": {"cells": len(demand.cells), "candidates": len(model.candidates), "pairs": len(model.problem.instance.point),
                 "crews": model.staffing.total, "busy_fraction": round(model.busy, 4)},
        "demand": {"source": demand.source, "days": demand.days, "incidents": demand.incidents,
                   "calls": round(float(demand.calls.sum()), 2),
                   "by_class": {str(t): round(demand.share(t), 2) for t in CLASSES}},
        "solver": _solver(result),
        "objective": {"plan": _round(result.objective), "today": _round(model.value(today)),
                      "greedy": _round(model.value(greedy_units)) if greedy_units is not None else None},
        "coverage": {"plan": shares(model, plan), "today": shares(model, today),
                     "greedy": shares(model, greedy_units) if greedy_units is not None else None},
        "uncovered": {"plan": uncovered(model, plan), "today": uncovered(model, today)},
        "platforms": placements(model, plan) if plan is not None else [],
        "today": placements(model, today),
    }


def _solver(result) -> dict:
    return {key: value for key, value in result.as_dict().items()
            if key in ("status", "proven_optimal", "objective", "bound", "gap", "solve_seconds", "plan_from", "message")}


def _round(value) -> float | None:
    return None if value is None else round(float(value), 4)


def shares(model, units) -> dict | None:
    """Per class and overall: the expected share of calls within target, and the static reach."""
    if units is None:
        return None
    calls = model.demand.calls
    expected, reach = model.expected(units), np.minimum(model.presence(units), 1.0)
    found = {}
    for name, mask in [(str(t), model.demand.mask(t)) for t in CLASSES] + [("overall", model.demand.mask(None))]:
        total = float(calls[mask].sum())
        found[name] = {"expected": round(float(calls[mask] @ expected[mask]) / total, 4) if total else None,
                       "reach": round(float(calls[mask] @ reach[mask]) / total, 4) if total else None,
                       "calls": round(total, 2)}
    return found


def uncovered(model, units) -> dict | None:
    """The calls of cells no crew reaches within target, with the largest of those cells."""
    if units is None:
        return None
    calls, cells = model.demand.calls, model.demand.cells
    left = model.presence(units) <= 1e-9
    order = sorted(np.flatnonzero(left), key=lambda n: -calls[n])[:UNCOVERED_LISTED]
    return {"calls": round(float(calls[left].sum()), 2), "share": round(float(calls[left].sum() / calls.sum()), 4),
            "cells": [{"id": cells[n].id, "lon": cells[n].lon, "lat": cells[n].lat, "target_s": cells[n].target_s,
                       "calls": round(float(calls[n]), 3)} for n in order]}


def placements(model, units: np.ndarray) -> list[dict]:
    """Per platform: where it stands (and how far it moves), and its crews' tasks (today's placement
    too: a crew keeping a beat of two posts counts half at each)."""
    rows = []
    for platform in model.platforms:
        mine = [(c, units[n]) for n, c in enumerate(model.candidates) if c.platform == platform.code and units[n] > 0]
        stand = next((c for c, _ in mine if c.kind in (STAND, HERE)), None)
        point = stand.points[0] if stand else (platform.lon, platform.lat)
        rows.append({
            "code": platform.code, "name": platform.name, "mobile": platform.mobile,
            "from": {"lon": platform.lon, "lat": platform.lat},
            "stand": _stand(stand, point), "moves": bool(stand and stand.kind == STAND),
            "distance_m": round(distance_m(platform.lon, platform.lat, *point)),
            "crews": model.staffing.crews.get(platform.code, 0), "reserve": model.reserve.get(platform.code, 0),
            "tasks": [_task(c, n) for c, n in mine if c.crews],
        })
    return rows


def _stand(candidate, point) -> dict:
    kind = candidate.kind if candidate else HERE
    return {"id": candidate.pk if candidate and kind == STAND else None, "kind": kind,
            "code": candidate.code if candidate else "", "name": candidate.name if candidate else "",
            "lon": point[0], "lat": point[1]}


def _task(candidate, units) -> dict:
    points = list(candidate.points)
    if candidate.kind == "route":  # the waypoints out; the way back retraces them
        points = points[:len(points) // 2 + 1]
    return {"id": candidate.id, "kind": candidate.kind, "pk": candidate.pk, "code": candidate.code,
            "name": candidate.name, "crews": round(float(units), 2), "points": [list(p) for p in points]}


# --- the fewest extra crews ------------------------------------------------------------------

def extra_crews(model, plan: np.ndarray, timing) -> dict:
    """The fewest crews more, parked at candidate points or at the key sites' cells themselves,
    that would put the goals' shares of the band's calls within reach of a free crew, beside the
    plan's own presence (static reach: no crew busy)."""
    sites, share = _extra_sites(model, timing)
    demand = model.demand
    points = [DemandPoint(c.id, weight=float(n), within=float(c.target_s)) for c, n in zip(demand.cells, demand.calls)]
    site, point = np.nonzero(share)
    instance = Instance(points, [Site(s["id"]) for s in sites], point, site, np.zeros(len(point)))
    goals = {"overall": settings.PLANNING_GOAL_OVERALL, "60": settings.PLANNING_GOAL_KEY_SITES}
    goals = {name: goal for name, goal in goals.items() if name == "overall" or demand.share(int(name)) > 0}
    classes = {c.id: str(c.target_s) for c in demand.cells}
    base = dict(zip((c.id for c in demand.cells), model.presence(plan)))
    problem = FewestToGoal(instance, classes=classes, goals=goals, base=base)
    result = run(problem, time_limit=settings.PLANNING_TIME_LIMIT_S)
    found = {"goals": goals, "now": _static(problem.shares(np.zeros(len(sites), dtype=np.int64))),
             "status": result.status, "proven_optimal": result.proven_optimal, "gap": result.gap,
             "best_possible": _static(problem.best_shares()), "solve_seconds": round(result.solve_seconds, 3)}
    if result.objective is None:
        return {**found, "crews": None, "where": []}
    chosen = np.array([result.units.get(s["id"], 0) for s in sites], dtype=np.int64)
    where = [{**s, "crews": int(n)} for s, n in zip(sites, chosen) if n]
    return {**found, "crews": int(chosen.sum()), "where": where, "reached": _static(problem.shares(chosen))}


def _static(shares: dict) -> dict:
    return {name: None if value is None else round(value, 4) for name, value in shares.items()}


def _extra_sites(model, timing) -> tuple[list[dict], np.ndarray]:
    """Every road point of a candidate (a crew parked there) and every key-site cell, with what a
    crew parked there reaches: share[site, cell] in {0, 1}."""
    cells, labels = model.demand.cells, {}
    for c in model.candidates:
        for point in c.points:
            labels.setdefault(point, (c.platform, f"{c.code} {c.name}"))
    names = dict(KeySite.objects.values_list("pk", "name"))
    for c in cells:
        if c.target_s == 60:
            labels.setdefault((c.lon, c.lat), ("", names.get(c.key_site_id, "")))
    origins = list(labels)
    known = {p: model.times[p] for p in origins if p in model.times}
    missing = [p for p in origins if p not in known]
    if missing:
        rows = matrix.times_from(missing, at=model.band.starts_at, timing=timing)[:, columns(model.demand.cells)]
        known.update(zip(missing, rows))
    targets = np.array([c.target_s for c in cells], dtype=float)
    share = np.array([(known[p] + settings.TURNOUT_PARKED_S <= targets) for p in origins], dtype=float)
    sites = [{"id": f"x{n}", "lon": p[0], "lat": p[1], "platform": labels[p][0], "near": labels[p][1]}
             for n, p in enumerate(origins)]
    return sites, share
