"""Celery tasks of the analysis app: thin, keyed by id, safe to run twice (acks late)."""
from celery import shared_task

from analysis import briefing_runs, rollups


@shared_task(acks_late=True, ignore_result=True)
def rollups_refresh() -> int:
    return rollups.rollups_refresh()


@shared_task(acks_late=True, ignore_result=True)
def briefings_scheduled(kind: str) -> int:
    return len(briefing_runs.briefings_schedule(kind=kind))


@shared_task(acks_late=True, ignore_result=True)
def briefing_make_task(briefing_id: int) -> None:
    briefing_runs.briefing_make(briefing_id=briefing_id)
