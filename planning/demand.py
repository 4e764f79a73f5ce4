"""Demand by cell for a band: the incident history of the band's hours (or, where there is too
little history, the simulator's call model), weighted by priority, each cell with its target
(the cells: `planning.cells`)."""
import math
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from dispatch.engine import capability_for
from dispatch.models import Incident, IncidentStatus, Origin
from planning.cells import CELL_M, Cell, columns, universe

# How much a call of each priority counts in the plan's objective: the urgent ones more.
PRIORITY_WEIGHT = {1: 2.0, 2: 1.5, 3: 1.0, 4: 0.5}
HISTORY = "history"
CALL_MODEL = "call_model"


@dataclass
class Demand:
    """Cells with demand in the band: expected calls per occurrence of the band and their weight."""

    cells: list
    calls: np.ndarray
    weights: np.ndarray
    source: str
    days: int
    incidents: int
    capabilities: dict = None  # the share of the calls each capability is wanted for (patrol, traffic, rescue)

    def share(self, target_s: int | None = None) -> float:
        inside = self.mask(target_s)
        return float(self.calls[inside].sum())

    def mask(self, target_s: int | None) -> np.ndarray:
        if target_s is None:
            return np.ones(len(self.cells), dtype=bool)
        return np.array([c.target_s == target_s for c in self.cells], dtype=bool)


# --- demand of a band ---------------------------------------------------------------------------

def band_demand(*, starts_at, ends_at, zone_ids=None, now=None) -> Demand:
    """Calls in the band's hours over the last PLANNING_HISTORY_DAYS days, by cell; the call model's
    where the history holds fewer than PLANNING_MIN_HISTORY_CALLS of them or spans fewer than
    PLANNING_MIN_HISTORY_DAYS days. `zone_ids`: only cells of these zones (a district's plan)."""
    now = now or timezone.now()
    days = settings.PLANNING_HISTORY_DAYS
    samples = list(_history(starts_at, ends_at, now, days))
    source, incidents = HISTORY, len(samples)
    days = _days_of_history(now, days)
    if incidents < settings.PLANNING_MIN_HISTORY_CALLS or days < settings.PLANNING_MIN_HISTORY_DAYS:
        samples, source, days = _call_model(starts_at, ends_at), CALL_MODEL, 1
    return _binned(samples, zone_ids, source=source, days=days, incidents=incidents)


def call_model_demand(*, starts_at, ends_at, zone_ids=None) -> Demand:
    """The call model's demand for the band, whatever the history holds (the simulator judges a plan
    against calls drawn from this model, so plans it with it)."""
    return _binned(_call_model(starts_at, ends_at), zone_ids, source=CALL_MODEL, days=1, incidents=0)


def _history(starts_at, ends_at, now, days: int):
    """(lon, lat, target_s, priority, 1 call) of each call received within the band's local hours on
    the days before; cancelled calls (duplicates, false alarms) are left out."""
    local_start = timezone.localtime(starts_at)
    first_minute = local_start.hour * 60 + local_start.minute
    length = (ends_at - starts_at).total_seconds() / 60
    rows = (Incident.objects.filter(received_at__gte=now - timedelta(days=days), received_at__lt=now, origin=Origin.CALL)
            .exclude(status=IncidentStatus.CANCELLED)
            .values_list("received_at", "lon", "lat", "target_s", "priority", "category"))
    for received, lon, lat, target, priority, category in rows.iterator(chunk_size=2000):
        local = timezone.localtime(received)
        if (local.hour * 60 + local.minute - first_minute) % 1440 < length:
            yield lon, lat, target, priority, 1.0, category


def _days_of_history(now, days: int) -> int:
    """The days the history spans, at most `days` (a young system has fewer)."""
    first = (Incident.objects.filter(received_at__gte=now - timedelta(days=days), origin=Origin.CALL)
             .order_by("received_at").values_list("received_at", flat=True).first())
    return max(1, min(days, math.ceil((now - first).total_seconds() / 86400))) if first else days


def _call_model(starts_at, ends_at) -> list:
    """The simulator's call model for the band's hours (`PLANNING_CALL_MODEL`, a dotted path: the
    planner does not import the command centre, which sits above it)."""
    model = import_string(settings.PLANNING_CALL_MODEL)
    local = timezone.localtime(starts_at)
    hours = (ends_at - starts_at).total_seconds() / 3600
    return model(start_hour=local.hour + local.minute / 60, hours=hours)


def _binned(samples: list, zone_ids, *, source: str, days: int, incidents: int) -> Demand:
    cells = universe()
    if zone_ids is not None:
        zone_ids = set(zone_ids)
        cells = [c for c in cells if c.zone_id in zone_ids]
    calls, weights = np.zeros(len(cells)), np.zeros(len(cells))
    for target in CELL_M:
        mine = [n for n, c in enumerate(cells) if c.target_s == target]
        rows = [s for s in samples if s[2] == target]
        if not mine or not rows:
            continue
        nearest = _nearest(np.array([(cells[n].lon, cells[n].lat) for n in mine]), np.array([r[:2] for r in rows]))
        for row, n in zip(rows, nearest):
            if n is None:
                continue
            calls[mine[n]] += row[4] / days
            weights[mine[n]] += row[4] * PRIORITY_WEIGHT.get(row[3], 1.0) / days
    keep = calls > 0
    return Demand([c for c, k in zip(cells, keep) if k], calls[keep], weights[keep], source, days, incidents,
                  _capabilities(samples))


def _capabilities(samples: list) -> dict:
    """The share of the calls wanting each capability (a traffic accident wants a traffic-capable crew)."""
    found, total = {}, 0.0
    for row in samples:
        wanted = capability_for(row[5])
        found[wanted] = found.get(wanted, 0.0) + row[4]
        total += row[4]
    return {name: round(value / total, 4) for name, value in sorted(found.items())} if total else {}


def _nearest(cells: np.ndarray, points: np.ndarray, limit_m: float = 600.0) -> list:
    """Each point's nearest cell (by its road point), None beyond `limit_m` (outside the scope)."""
    scale = np.array([math.cos(math.radians(float(cells[:, 1].mean()))), 1.0]) * 111_195.0
    found = []
    for start in range(0, len(points), 2000):
        chunk = points[start:start + 2000]
        d = np.linalg.norm((chunk[:, None, :] - cells[None, :, :]) * scale, axis=2)
        best = d.argmin(axis=1)
        found += [int(b) if d[i, b] <= limit_m else None for i, b in enumerate(best)]
    return found
