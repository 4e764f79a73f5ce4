"""What each way of moving can do, per category (issue 16): which modes may be sent, the longest ETA each
may be sent at, and where a car goes beside a unit on foot or on two wheels that arrives first.

The defaults below hold unless a ModePolicy row (/api/v1/mode-policies/, administrators) says otherwise for a
category and mode. Why these:
- On foot at most 600 s (about 800 m at OSRM's walking 5 km/h): an officer on foot is for what is near,
  the key-site post's own square or school gate; never sent 3 km (a 36-minute walk).
- A bicycle or e-bike at most 900 s (about 3.7 km at OSRM's 15 km/h cycling).
- A car beside a unit on foot or on two wheels that arrives first, where the call may need one: a criminal
  call (someone may have to be taken away), a traffic accident (the scene protected behind a car's lights,
  "a traffic accident on an expressway wants a car") and rescue (someone may have to be carried); a
  motorcycle (铁骑) handles an accident alone (Beijing's riders write minor accidents' reports on the
  spot), so it is backed on criminal and rescue calls only. A dispute or public-order call on a
  pedestrian street fits an officer on foot alone.
Nothing here ever ranks a mode as another: a limit only drops that mode's units beyond it (exactly: an
ETA limit cuts each mode's ranking at a prefix, so the top k stays the full table's).
"""
import math
import time
from dataclasses import dataclass

from dispatch.models import Category, ModePolicy
from grid import modes

RECHECK_S = 5.0
ON_FOOT_MAX_ETA_S = 600
BICYCLE_MAX_ETA_S = 900
CAR_BESIDE = {
    modes.FOOT: {Category.CRIMINAL, Category.TRAFFIC_ACCIDENT, Category.RESCUE},
    modes.BICYCLE: {Category.CRIMINAL, Category.TRAFFIC_ACCIDENT, Category.RESCUE},
    modes.MOTORCYCLE: {Category.CRIMINAL, Category.RESCUE},
}


@dataclass(frozen=True)
class Limit:
    allowed: bool = True
    max_eta_s: float | None = None
    car_backup: bool = False


def default_limit(category: str, mode: str) -> Limit:
    max_eta = {modes.FOOT: ON_FOOT_MAX_ETA_S, modes.BICYCLE: BICYCLE_MAX_ETA_S}.get(mode)
    return Limit(allowed=True, max_eta_s=max_eta, car_backup=category in CAR_BESIDE.get(mode, ()))


_rows = {"checked_at": -math.inf, "rows": {}}


def _overrides() -> dict:
    """The ModePolicy rows, re-read at most once per RECHECK_S per process (the hot path asks per call)."""
    if time.monotonic() - _rows["checked_at"] > RECHECK_S:
        rows = {(row.category, row.mode): Limit(row.allowed, row.max_eta_s, row.car_backup)
                for row in ModePolicy.objects.all()}
        _rows.update(rows=rows, checked_at=time.monotonic())
    return _rows["rows"]


def forget() -> None:
    """Re-read the rows on the next call (after a change, in tests)."""
    _rows["checked_at"] = -math.inf


def limit(category: str, mode: str) -> Limit:
    return _overrides().get((category, mode)) or default_limit(category, mode)


def limits(category: str) -> dict[str, Limit]:
    """Every mode's limit for the category."""
    return {mode: limit(category, mode) for mode in modes.MODES}


def allowed_modes(category: str) -> list[str]:
    return [mode for mode, rule in limits(category).items() if rule.allowed]


def needs_car_beside(category: str, mode: str) -> bool:
    return mode != modes.CAR and limit(category, mode).car_backup
