"""The live move-up: what the periodic task asks every second (`tick`), over the units on duty.

It answers within about a second of a unit's status change (beat runs it every second, and it
recomputes at once when the set of free units changed) and otherwise every RECHECK_S, since free
units on patrol keep moving. Run at most once at a time across workers (a lock in Redis); a run
that finds the lock held returns at once.

Why a beat task and not a task queued from the status change: unit statuses change in several
apps' services (dispatch's assignments, the roster's changeover, a crew's own button), and a hook in
each would tie them to planning, which sits above them; a one-second sweep sees every change
wherever it came from, coalesces a burst of changes into one computation, and costs one small
query when nothing changed."""
import hashlib
import time
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from dispatch.engine import Turnout
from grid import travel
from grid.travel import OffNetwork
from planning import bands, city, matrix, moveup, moveup_services
from planning.candidates import candidates
from planning.cells import columns
from planning.demand import band_demand
from platforms.filters import on_duty_now
from platforms.models import Platform, Unit, UnitStatus, VehicleKind
from platforms.positions import live_positions

RECHECK_S = 30.0
LOCK_S = 20
POSITION_DEG = 0.0005   # free units' reach is remembered per ~50 m square


def tick(*, now=None) -> dict:
    """One run of the periodic task: compliance of ordered moves, then the suggestions if anything
    changed. Returns what it did (for the task's log and the tests)."""
    now = now or timezone.now()
    if not cache.add("planning:moveup:lock", 1, LOCK_S):
        return {"ran": False}
    try:
        swept = moveup_services.compliance_sweep(now=now)
        signature = _signature(now)
        last = cache.get("planning:moveup:last") or {}
        if last.get("signature") == signature and time.time() - last.get("at", 0) < RECHECK_S and not swept:
            return {"ran": False, "swept": swept}
        result = compute(now=now)
        cache.set("planning:moveup:last", {"signature": signature, "at": time.time()}, 3600)
        return {"ran": True, "swept": swept, **result}
    finally:
        cache.delete("planning:moveup:lock")


def _signature(now) -> str:
    """The free units and the live orders: when these change, the answer may."""
    units = Unit.objects.filter(on_duty_now(now)).order_by("pk").values_list("pk", "status")
    band = bands.band_at(now).key
    return hashlib.sha256(f"{band}|{list(units)}|{moveup_services.live_orders()}".encode()).hexdigest()


def compute(*, now) -> dict:
    context = _context(bands.band_at(now))
    free = _free(context, now)
    found = moveup.choose(weights=context["weights"], targets=context["targets"], free=free,
                          destinations=context["destinations"], busy=context["busy"])
    sample = moveup_services.suggestions_replace(found=found, free=free, destinations=context["destinations"],
                                                 targets=context["targets"], now=now)
    return {"free": len(free), "moves": len(found.moves), "before": round(found.before, 4),
            "after": round(found.after, 4), "sample": sample}


# --- the band's demand and destinations, kept for a while --------------------------------------

_contexts: dict = {}


def _context(band: bands.Band) -> dict:
    found = _contexts.get(band.key)
    if found is None:  # once per band and process: the demand of a band stays what it was
        found = _contexts[band.key] = _make_context(band)
        for key in [k for k in _contexts if k != band.key]:
            del _contexts[key]
    return found


def _make_context(band: bands.Band) -> dict:
    return band_context(band)


def band_context(band: bands.Band, staffing: bands.Staffing | None = None) -> dict:
    """The band's demand (its cells' weights and targets), the move-up destinations (every must-patrol
    point, stand and zone stop, with the cells a crew parked there reaches) and the busy fraction;
    the simulator passes its own world's staffing."""
    platforms = list(Platform.objects.order_by("code").prefetch_related("zones"))
    demand = band_demand(starts_at=band.starts_at, ends_at=band.ends_at)
    staffing = staffing or bands.crews_on_duty(platforms, band)
    targets = np.array([c.target_s for c in demand.cells], dtype=float)
    points = {}
    for candidate in candidates(platforms, bands.Band(band.starts_at, band.ends_at, bands.POSTS)):
        for point in candidate.points:
            points.setdefault(point, f"{candidate.code} {candidate.name}")
    origins = list(points)
    rows = matrix.times_from(origins, at=band.starts_at)[:, columns(demand.cells)] if origins else np.zeros((0, 0))
    destinations = [moveup.Destination(p[0], p[1], points[p], rows[n] + settings.TURNOUT_PARKED_S <= targets)
                    for n, p in enumerate(origins)]
    return {"made": time.monotonic(), "demand": demand, "weights": demand.weights, "targets": targets,
            "destinations": destinations, "busy": city.busy_fraction(demand, staffing, band),
            "cells": [(c.lon, c.lat) for c in demand.cells]}


# --- the free units where they are -------------------------------------------------------------

def _free(context: dict, now) -> list[moveup.Free]:
    units = (Unit.objects.filter(on_duty_now(now), status=UnitStatus.AVAILABLE, officers__isnull=False)
             .exclude(vehicle__kind=VehicleKind.PLATFORM_TRUCK).distinct().order_by("pk"))
    ids = list(units.values_list("pk", flat=True))
    fixes = live_positions(ids)
    turnout = Turnout.now()
    free = []
    for pk in ids:
        fix = fixes.get(pk)
        if fix is None or fix.stale:
            continue
        times = _times_from(round(fix.lon / POSITION_DEG), round(fix.lat / POSITION_DEG), context["made"])
        cells, drive = times[:len(context["targets"])], times[len(context["targets"]):]
        free.append(moveup.Free(pk, fix.lon, fix.lat, cells + turnout.of(fix) <= context["targets"], drive))
    return free


@lru_cache(maxsize=4096)
def _times_from(x: int, y: int, made: float) -> np.ndarray:
    """Road time from a ~50 m square to every cell and destination of the band's context `made`."""
    context = next(c for c in _contexts.values() if c["made"] == made)
    origin = (x * POSITION_DEG, y * POSITION_DEG)
    targets = context["cells"] + [(d.lon, d.lat) for d in context["destinations"]]
    try:
        legs = travel.durations_from(origin, targets)
    except OffNetwork:
        return np.full(len(targets), np.inf)
    return np.array([leg.duration_s if leg else np.inf for leg in legs])
