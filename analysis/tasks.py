"""Celery tasks of the analysis app: thin, keyed by id, safe to run twice (acks late). A briefing keeps
the words it was made with (stages, scope and category names in its figures), so each is made in the
site's language, not in whatever language the thread that runs it last served."""
from celery import shared_task
from django.conf import settings
from django.utils import translation

from analysis import briefing_runs, rollups


@shared_task(acks_late=True, ignore_result=True)
def rollups_refresh() -> int:
    return rollups.rollups_refresh()


@shared_task(acks_late=True, ignore_result=True)
def briefings_scheduled(kind: str) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return len(briefing_runs.briefings_schedule(kind=kind))


@shared_task(acks_late=True, ignore_result=True)
def briefing_make_task(briefing_id: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        briefing_runs.briefing_make(briefing_id=briefing_id)
