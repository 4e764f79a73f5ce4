"""Celery tasks of the dispatch engine: thin, keyed by id, safe to run twice (acks late)."""
import gc
import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.utils import timezone

from dispatch import decisions, timers


@shared_task(acks_late=True, ignore_result=True)
def incident_dispatch_task(incident_id: int, reason: str = "new", force_auto: bool = False) -> None:
    decisions.incident_dispatch(incident_id=incident_id, reason=reason, force_auto=force_auto)


@shared_task(acks_late=True, ignore_result=True)
def incidents_retry_task() -> None:
    """A unit came free: waiting incidents are tried at once, not at the next sweep."""
    timers.incidents_left_behind(timezone.now(), retry_after_s=0)


@shared_task(acks_late=True, ignore_result=True)
def dispatch_sweep_task() -> dict:
    return timers.sweep()


@worker_process_init.connect
def _warm_up_routing(**kwargs) -> None:
    """Each pool process loads the road network before its first call, not during it, then takes
    what it loaded out of the garbage collector's sight: about 130,000 long-lived objects (the zone
    and street indexes' geometries, Django's own) made every full collection cost 127-190 ms (measured on a loaded machine), paid by
    whichever dispatch was running, and were most of the benchmark's p99."""
    from grid import travel

    try:
        travel.warm_up()
    except Exception:  # a worker must start even if the network cannot be read now
        logging.getLogger(__name__).exception("routing warm-up failed")
    gc.collect()
    gc.freeze()
