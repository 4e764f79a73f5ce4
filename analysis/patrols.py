"""Patrol verification for briefings: each platform's days as platforms.patrol.platform_coverage
judges them from the tracks, kept once a day is over (PatrolDay). Tracks are kept TRACK_KEEP_DAYS,
so older days have no verdict and are counted apart."""
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from analysis.models import PatrolDay
from platforms import patrol
from platforms.models import Platform


def patrol_day(platform: Platform, day: date) -> PatrolDay:
    """The day's verification, worked out from the tracks the first time it is asked for."""
    found = PatrolDay.objects.filter(platform=platform, day=day).first()
    if found:
        return found
    report = patrol.platform_coverage(platform=platform, day=day)
    row, _ = PatrolDay.objects.update_or_create(platform=platform, day=day, defaults={
        "points_visited": report["points_visited"], "points_due": report["points_due"],
        "routes_covered": report["routes_covered"], "routes_due": report["routes_due"]})
    return row


def patrol_figures(*, period, scope, today: date | None = None, progress=None) -> dict:
    """Points visited and routes covered over the period's finished days that still have tracks."""
    today = today or timezone.localdate()
    kept_from = today - timedelta(days=settings.TRACK_KEEP_DAYS)
    days = [d for d in _days(period) if kept_from <= d < today]
    platforms = list(Platform.objects.order_by("code") if scope.platform_ids is None
                     else Platform.objects.filter(pk__in=scope.platform_ids).order_by("code"))
    totals = {"points_visited": 0, "points_due": 0, "routes_covered": 0, "routes_due": 0}
    for n, day in enumerate(days):
        for platform in platforms:
            row = patrol_day(platform, day)
            for name in totals:
                totals[name] += getattr(row, name)
        if progress:
            progress(n + 1, len(days))
    return {**totals, "days_judged": len(days), "days_without_tracks": period.days - len(days),
            "points_share": round(totals["points_visited"] / totals["points_due"], 4) if totals["points_due"] else None,
            "routes_share": round(totals["routes_covered"] / totals["routes_due"], 4) if totals["routes_due"] else None}


def _days(period):
    day = period.start
    while day <= period.end:
        yield day
        day += timedelta(days=1)
