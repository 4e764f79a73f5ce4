"""Making briefings: on demand (any range, queued and run by a worker with its progress stored) and
on schedule (Celery beat: the day before at 07:00, the week before on Mondays, the month before on
the 1st, for the city, every district and every platform). A run is claimed by a conditional UPDATE,
so two workers never make one briefing twice."""
import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import briefings, hotspots, patrols, periods, rollups
from analysis.models import Briefing, BriefingKind, BriefingStatus
from analysis.scopes import city_scope, district_scope, platform_scope, scope_of_briefing
from platforms.models import District, Platform

log = logging.getLogger(__name__)
TOP_HOT_SPOTS = 5


def briefing_request(*, actor, kind: str, start: date, end: date | None, scope) -> Briefing:
    """Queue a briefing of the scope over the kind's period from `start` (a range: to `end`)."""
    period = periods.period_of(kind, start, end)
    briefing = Briefing.objects.create(kind=kind, starts_on=period.start, ends_on=period.end,
                                       district_id=scope.district_id, platform_id=scope.platform_id,
                                       requested_by=actor if getattr(actor, "is_authenticated", False) else None)
    _queue(briefing)
    return briefing


def _queue(briefing: Briefing) -> None:
    from analysis.tasks import briefing_make_task  # noqa: PLC0415 - tasks import this module

    transaction.on_commit(lambda: briefing_make_task.delay(briefing.pk))


def _progress(briefing_id: int, percent: int, stage: str) -> None:
    Briefing.objects.filter(pk=briefing_id).update(progress=percent, stage=stage[:100])


def briefing_make(*, briefing_id: int) -> Briefing | None:
    """Make a queued briefing: its figures step by step, the progress stored after each."""
    claimed = Briefing.objects.filter(pk=briefing_id, status=BriefingStatus.QUEUED)
    if claimed.update(status=BriefingStatus.RUNNING, stage=_("Starting")) != 1:
        return None
    briefing = Briefing.objects.select_related("district", "platform").get(pk=briefing_id)
    try:
        figures = briefing_figures(briefing, progress=lambda p, stage: _progress(briefing_id, p, stage))
    except Exception as error:  # a failed run is shown as failed, not left running for ever
        log.exception("briefing %s failed", briefing_id)
        Briefing.objects.filter(pk=briefing_id).update(status=BriefingStatus.FAILED, error=str(error)[:500],
                                                       finished_at=timezone.now())
        return Briefing.objects.get(pk=briefing_id)
    Briefing.objects.filter(pk=briefing_id).update(status=BriefingStatus.DONE, figures=figures, progress=100,
                                                   stage=_("Done"), finished_at=timezone.now())
    return Briefing.objects.get(pk=briefing_id)


def briefing_figures(briefing: Briefing, *, progress) -> dict:
    """Everything the briefing says, in stages: the rollups brought up to date, the incidents, the hot
    spots, patrol verification, callback satisfaction, the traffic work."""
    scope, period = scope_of_briefing(briefing), periods.Period(briefing.starts_on, briefing.ends_on)
    progress(5, _("Bringing the rollups up to date"))
    rollups.rollups_refresh()
    progress(20, _("Counting the incidents"))
    figures = briefings.incident_figures(kind=briefing.kind, period=period, scope=scope)
    progress(45, _("Finding the hot spots"))
    found = hotspots.analyse(period=period, scope=scope)
    figures["hot_spots"] = found["hot_spots"][:TOP_HOT_SPOTS]
    figures["emerging_hot_spots"] = [row for row in found["emerging"] if row["trend"] != "diminishing"][:TOP_HOT_SPOTS]
    figures["patrol"] = patrols.patrol_figures(
        period=period, scope=scope,
        progress=lambda n, total: progress(60 + 30 * n // max(total, 1), _("Checking patrols: day %(n)d of %(total)d")
                                           % {"n": n, "total": total}))
    progress(92, _("Reading the callback surveys"))
    figures["satisfaction"] = briefings.satisfaction_figures(kind=briefing.kind, period=period, scope=scope)
    progress(96, _("Counting the traffic work"))
    figures["traffic"] = briefings.traffic_figures(kind=briefing.kind, period=period, scope=scope)
    return figures


# --- on schedule ----------------------------------------------------------------------------------

def scheduled_period(kind: str, today: date) -> periods.Period:
    """The period a scheduled briefing made today covers: yesterday, last week, last month."""
    yesterday = today - timedelta(days=1)
    if kind == BriefingKind.DAILY:
        return periods.Period(yesterday, yesterday)
    return periods.period_of(kind, yesterday)


def briefings_schedule(*, kind: str, today: date | None = None) -> list[Briefing]:
    """The scheduled briefings of `kind` for the city, each district and each platform; a briefing
    made already (beat fired twice) is left alone."""
    period = scheduled_period(kind, today or timezone.localdate())
    scopes = [city_scope(), *(district_scope(d) for d in District.objects.order_by("code")),
              *(platform_scope(p) for p in Platform.objects.order_by("code"))]
    made = []
    for scope in scopes:
        try:
            with transaction.atomic():
                briefing = Briefing.objects.create(kind=kind, starts_on=period.start, ends_on=period.end, scheduled=True,
                                                   district_id=scope.district_id, platform_id=scope.platform_id)
                _queue(briefing)
        except IntegrityError:
            continue
        made.append(briefing)
    return made
