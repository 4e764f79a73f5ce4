"""The congestion factor an ETA to a point is multiplied by, at a moment.

1. A hand-made `CongestionBand` covering the point's zone (or the whole city) at that moment wins: bands
   are overrides, kept in the admin and the API (the largest factor of those covering it).
2. Else what the fleet measured (traffic/: the units' own speeds on the roads, see traffic/speeds.py):
   the zone's factor now for a moment within the current 15-minute slot, else the zone's usual factor
   in that weekday's slot. grid sits below the app that measures, so it is reached through the setting
   TRAVEL_MEASURED_CONGESTION, a dotted path to `f(weekday, slot, live) -> {zone id: factor}`.
3. Else 1.

Never below 1: the ETA's lower bound multiplies the free-flow time by the target's factor and relies on
traffic only ever slowing (docs/routing.md); a measured factor below 1 is read as 1.
"""
import math
import time

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from grid import selectors
from grid.models import CongestionBand

SLOT_MINUTES = 15
MEASURED_RECHECK_S = 30.0  # measured factors change once a minute at most (traffic's beat task)

_bands = {"checked_at": -math.inf, "rows": []}
_measured: dict = {}


def bands() -> list[CongestionBand]:
    """All bands, reread at most once per selectors.RECHECK_S: the hot path makes no query for them."""
    if time.monotonic() - _bands["checked_at"] > selectors.RECHECK_S:
        _bands.update(rows=list(CongestionBand.objects.all()), checked_at=time.monotonic())
    return _bands["rows"]


def slot_of(moment) -> tuple[int, int]:
    """(weekday, slot of the day) of a local moment."""
    local = timezone.localtime(moment)
    return local.weekday(), (local.hour * 60 + local.minute) // SLOT_MINUTES


def factor_at(lon: float, lat: float, at=None) -> float:
    """The factor for an ETA to (lon, lat) at `at` (now when None): band, else measured, else 1."""
    now = timezone.now()
    moment = at or now
    zone_id = selectors.zone_at(lon, lat)
    rows = bands()
    if rows:
        local = timezone.localtime(moment)
        covering = [b.factor for b in rows if b.zone_id in (None, zone_id) and b.covers(local)]
        if covering:
            return max(1.0, max(covering))
    if zone_id is None:
        return 1.0
    live = abs((moment - now).total_seconds()) < SLOT_MINUTES * 60
    return max(1.0, measured(*slot_of(moment), live).get(zone_id, 1.0))


def measured(weekday: int, slot: int, live: bool) -> dict[int, float]:
    """The measured factors per zone for a slot (live: now), kept MEASURED_RECHECK_S per process."""
    source = getattr(settings, "TRAVEL_MEASURED_CONGESTION", "")
    if not source:
        return {}
    key = (weekday, slot, live)
    checked_at, factors = _measured.get(key, (-math.inf, {}))
    if time.monotonic() - checked_at > MEASURED_RECHECK_S:
        factors = import_string(source)(weekday, slot, live)
        if len(_measured) > 2000:
            _measured.clear()
        _measured[key] = (time.monotonic(), factors)
    return factors


def forget() -> None:
    """Read bands and measured factors again on the next ETA (tests; a band just edited in this process)."""
    _bands.update(checked_at=-math.inf, rows=[])
    _measured.clear()
