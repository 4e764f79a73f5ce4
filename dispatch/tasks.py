"""Celery tasks of the dispatch engine: thin, keyed by id, safe to run twice (acks late)."""
from celery import shared_task
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
