"""Traffic's beat tasks: thin, each calls one service and returns quietly when there is nothing to do."""
import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from traffic import control, events, factors, speeds
from traffic.models import SegmentSpeed

log = logging.getLogger(__name__)
KEEP_SPEEDS = timedelta(days=14)


@shared_task(ignore_result=True)
def speeds_task() -> None:
    """The fixes since the last run matched and summed, the zones' factors now, the slot just over folded."""
    done = speeds.speeds_measure()
    live = factors.live_factors_update()
    factors.slot_profile_update()
    if done["segments"]:
        events.speeds_measured(speeds.slot_start(done["until"]), int(done["until"].timestamp()))
    log.info("speeds: %s legs on %s segments, %s zones measured", done["legs"], done["segments"], len(live))


@shared_task(ignore_result=True)
def closures_task() -> None:
    """The routing copies of the closures active now and starting soon, built ahead of the first route."""
    control.closures_prepare()


@shared_task(ignore_result=True)
def speeds_prune_task() -> None:
    SegmentSpeed.objects.filter(slot_start__lt=timezone.now() - KEEP_SPEEDS).delete()
