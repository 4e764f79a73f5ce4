"""Reads for the supervisor's roster and coverage pages and the exports."""
from datetime import date, time, timedelta

from django.db.models import Count, Prefetch
from django.utils import timezone

from platforms.models import Officer, Platform, RosterPeriod, Shift, Unit
from platforms.rosters import shifts_of
from platforms.rotation import local_datetime


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def roster_week(*, platform: Platform, monday: date) -> dict:
    """The week's calendar: a row per squad, a cell per day holding that squad's shifts starting then."""
    days = [monday + timedelta(days=n) for n in range(7)]
    period = (platform.roster_periods.filter(starts_on__lte=days[-1], ends_on__gte=monday).order_by("starts_on").first())
    shifts = list(Shift.objects.filter(squad__platform=platform, starts_at__gte=local_datetime(monday, time(0)),
                                       starts_at__lt=local_datetime(monday + timedelta(days=7), time(0)))
                  .select_related("squad").annotate(unit_count=Count("units")).order_by("starts_at"))
    rows = []
    for squad in platform.squads.order_by("number"):
        cells = [[s for s in shifts if s.squad_id == squad.pk and timezone.localdate(s.starts_at) == day] for day in days]
        rows.append({"squad": squad, "cells": cells})
    return {"period": period, "days": days, "rows": rows, "shifts": shifts}


def roster_choices(period: RosterPeriod) -> dict:
    """What the adjustment forms offer: shifts still to come, the platform's officers, the roster's units."""
    now = timezone.now()
    shifts = shifts_of(period).select_related("squad").order_by("starts_at", "squad__number")
    return {
        "upcoming_shifts": [s for s in shifts if s.starts_at > now],
        "officers": Officer.objects.filter(platform_id=period.platform_id, active=True).select_related("squad")
        .order_by("squad__number", "kind", "badge_number"),
        "units": Unit.objects.filter(shift__in=shifts_of(period), shift__starts_at__gt=now).select_related("shift__squad")
        .order_by("shift__starts_at", "call_sign"),
    }


def roster_export_rows(period: RosterPeriod):
    """Every shift of the period with its crews and their people, for the CSV and iCalendar exports."""
    units = Unit.objects.select_related("vehicle").prefetch_related(
        Prefetch("officers", queryset=Officer.objects.order_by("kind", "badge_number"))).order_by("call_sign")
    return (shifts_of(period).select_related("squad__platform").prefetch_related(Prefetch("units", queryset=units))
            .order_by("starts_at", "squad__number"))
