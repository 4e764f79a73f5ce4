"""`manage.py bench plan`: the city's deployment planning problem per band of a day, on the demo
city as seeded (its stands, rosters, roads): its size (demand cells x candidates, the pairs within
target), the travel-time matrix (routed cold in many-to-many tables, then read from the cache, beside
the one-to-many table per origin it replaced), the exact solve (HiGHS, proven optimal; the median
and the p99 of `runs` solves) and the greedy plan's objective and time beside it, with today's
placement judged alike. Writes nothing (the cache of travel times aside)."""
import statistics
import time

import numpy as np
from django.utils import timezone

from grid import travel
from planning import bands, matrix
from planning.candidates import candidates, todays_units
from planning.cells import universe
from planning.city import Model
from planning.demand import band_demand
from planning.solver import run
from platforms.models import Platform

ONE_BY_ONE = 10  # origins routed one at a time, as the baseline


def run_bench(*, day=None, runs: int = 3) -> dict:
    day = day or timezone.localdate()
    started = time.perf_counter()
    cells = universe()
    result = {"day": day.isoformat(), "universe_cells": len(cells), "universe_s": round(time.perf_counter() - started, 2),
              "runs": runs, "bands": []}
    platforms = list(Platform.objects.order_by("code").prefetch_related("zones"))
    for band in bands.day_bands(day):
        result["bands"].append(_band(platforms, band, runs))
    return result


def _band(platforms, band: bands.Band, runs: int) -> dict:
    staffing = bands.crews_on_duty(platforms, band)
    demand = band_demand(starts_at=band.starts_at, ends_at=band.ends_at)
    found = candidates(platforms, band)
    origins = list(dict.fromkeys(p for c in found for p in c.points))
    cold = _cold_matrix(origins, band)
    warm_started = time.perf_counter()
    model = Model(platforms, band, staffing, demand, found)
    warm = time.perf_counter() - warm_started
    solves = [run(model.problem) for _ in range(runs)]
    greedy_started = time.perf_counter()
    greedy = model.problem.greedy()
    greedy_s = time.perf_counter() - greedy_started
    today = model.units_of(todays_units([p.code for p in platforms], band))
    seconds = sorted(s.solve_seconds for s in solves)
    return {
        "starts_at": timezone.localtime(band.starts_at).strftime("%H:%M"), "mode": band.mode, "crews": staffing.total,
        "cells": len(demand.cells), "candidates": len(found), "origins": len(origins),
        "pairs": int(len(model.problem.instance.point)), "demand_source": demand.source,
        "matrix": {**cold, "model_with_cached_matrix_s": round(warm, 3)},
        "solve": {"status": solves[0].status, "proven_optimal": solves[0].proven_optimal, "gap": solves[0].gap,
                  "p50_s": round(statistics.median(seconds), 3), "p99_s": round(_p99(seconds), 3)},
        "objective": {"exact": solves[0].objective, "greedy": round(model.value(greedy.units), 4) if greedy else None,
                      "today": round(model.value(today), 4)},
        "greedy_s": round(greedy_s, 3),
    }


def _cold_matrix(origins: list, band: bands.Band) -> dict:
    """Every origin to every cell routed afresh in tables of matrix.BATCH, and the baseline: ONE_BY_ONE
    origins each in a one-to-many table of its own (grid.travel.durations_from), scaled to all."""
    points = [(c.lon, c.lat) for c in universe()]
    started = time.perf_counter()
    for start in range(0, len(origins), matrix.BATCH):
        matrix.table(origins[start:start + matrix.BATCH], points)
    batched = time.perf_counter() - started
    started = time.perf_counter()
    for origin in origins[:ONE_BY_ONE]:
        travel.durations_from(origin, points, at=band.starts_at)
    per_origin = (time.perf_counter() - started) / max(1, min(ONE_BY_ONE, len(origins)))
    return {"cold_s": round(batched, 3), "one_by_one_s_estimated": round(per_origin * len(origins), 2),
            "one_by_one_s_per_origin": round(per_origin, 4), "cells_in_universe": len(points)}


def _p99(values: list[float]) -> float:
    """The p99 of a few runs by linear interpolation (numpy's default): of three, near the largest."""
    return float(np.percentile(values, 99)) if values else 0.0

