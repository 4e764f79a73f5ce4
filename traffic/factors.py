"""The zones' congestion factors from the measured segment speeds (traffic/speeds.py): measured time
over free-flow time on the roads the fleet drove in the zone, so the roads driven most weigh most.

- now (LiveZoneFactor): over the current and the previous 15-minute slot, made again every minute;
- usual, per weekday slot (ZoneFactor): each slot, once over, folded into that weekday slot's factor
  (an exponential average over the weeks, a new week counting ALPHA).

A zone needs MIN_FREE_FLOW_S of free-flow driving to have a factor at all (a car or two passing says
little); a factor is kept between 1 and MAX_FACTOR: never below 1, which the ETA's lower bound assumes.
`measured_factors` is what grid.congestion reads (settings.TRAVEL_MEASURED_CONGESTION)."""
from datetime import timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from grid.congestion import SLOT_MINUTES, slot_of
from traffic.models import LiveZoneFactor, SegmentSpeed, SpeedWatermark, ZoneFactor
from traffic.models.speeds import MAX_FACTOR
from traffic.speeds import slot_start

MIN_FREE_FLOW_S = 60.0
ALPHA = 0.3
LIVE_FRESH = timedelta(minutes=20)   # a live factor older than this is no longer "now"
SLOT = timedelta(minutes=SLOT_MINUTES)


def factor_of(seconds: float, free_flow_s: float) -> float | None:
    if free_flow_s < MIN_FREE_FLOW_S or seconds <= 0:
        return None
    return round(min(max(seconds / free_flow_s, 1.0), MAX_FACTOR), 3)


def _zone_sums(slots) -> dict[int, tuple[float, float]]:
    rows = (SegmentSpeed.objects.filter(slot_start__in=slots, zone__isnull=False).values("zone_id")
            .annotate(seconds=Sum("seconds"), free=Sum("free_flow_s")).values_list("zone_id", "seconds", "free"))
    return {zone: (seconds or 0.0, free or 0.0) for zone, seconds, free in rows}


def live_factors_update(now=None) -> dict[int, float]:
    """Each zone's factor now; zones without enough driving lose theirs."""
    now = now or timezone.now()
    current = slot_start(now)
    found = {}
    for zone, (seconds, free) in _zone_sums([current, current - SLOT]).items():
        factor = factor_of(seconds, free)
        if factor is not None:
            LiveZoneFactor.objects.update_or_create(zone_id=zone, defaults={
                "factor": factor, "seconds": seconds, "free_flow_s": free, "measured_at": now})
            found[zone] = factor
    LiveZoneFactor.objects.exclude(zone_id__in=list(found)).delete()
    return found


def slot_profile_update(now=None) -> int:
    """Fold the slot just over into its weekday slot's usual factor, once: claimed by a conditional
    UPDATE of the mark, so two workers never fold it twice."""
    now = now or timezone.now()
    finished = slot_start(now) - SLOT
    SpeedWatermark.objects.get_or_create(pk=1, defaults={"through": now})
    claimed = SpeedWatermark.objects.filter(Q(profiled_through__isnull=True) | Q(profiled_through__lt=finished + SLOT),
                                            pk=1).update(profiled_through=finished + SLOT)
    if claimed != 1:
        return 0
    weekday, slot = slot_of(finished)
    folded = 0
    for zone, (seconds, free) in _zone_sums([finished]).items():
        factor = factor_of(seconds, free)
        if factor is not None:
            fold(zone, weekday, slot, factor, now)
            folded += 1
    return folded


def fold(zone_id: int, weekday: int, slot: int, factor: float, now) -> ZoneFactor:
    row, created = ZoneFactor.objects.get_or_create(zone_id=zone_id, weekday=weekday, slot=slot,
                                                    defaults={"factor": factor, "samples": 1, "updated_at": now})
    if not created:
        row.factor = round(min(max((1 - ALPHA) * row.factor + ALPHA * factor, 1.0), MAX_FACTOR), 3)
        row.samples, row.updated_at = row.samples + 1, now
        row.save(update_fields=["factor", "samples", "updated_at"])
    return row


def measured_factors(weekday: int, slot: int, live: bool) -> dict[int, float]:
    """{zone: factor} for a weekday slot; with `live`, each zone's fresh factor now where it has one."""
    factors = dict(ZoneFactor.objects.filter(weekday=weekday, slot=slot).values_list("zone_id", "factor"))
    if live:
        fresh = LiveZoneFactor.objects.filter(measured_at__gte=timezone.now() - LIVE_FRESH)
        factors.update(fresh.values_list("zone_id", "factor"))
    return {zone: max(1.0, factor) for zone, factor in factors.items()}
