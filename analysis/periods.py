"""Briefing periods and what each is compared with: the same period a year before (同比) and the
period just before (环比). Days are local days, both ends included."""
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from analysis.models import BriefingKind


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days}


def year_before(day: date) -> date:
    """The same date a year earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def period_of(kind: str, start: date, end: date | None = None) -> Period:
    """The period a briefing of `kind` covers from `start` (a custom range needs its `end`)."""
    if kind == BriefingKind.DAILY:
        return Period(start, start)
    if kind == BriefingKind.WEEKLY:
        monday = start - timedelta(days=start.weekday())
        return Period(monday, monday + timedelta(days=6))
    if kind == BriefingKind.MONTHLY:
        first = start.replace(day=1)
        return Period(first, month_end(first))
    return checked_range(start, end)


def checked_range(start: date, end: date | None) -> Period:
    """A range of days as a user asked for it: the end not before the start, no longer than allowed."""
    if end is None:
        raise ValidationError({"end": [_("Give the last day of the range.")]})
    if end < start:
        raise ValidationError({"end": [_("The range ends before it starts.")]})
    limit = settings.ANALYSIS_MAX_RANGE_DAYS
    if (end - start).days + 1 > limit:
        raise ValidationError({"end": [_("The range is longer than %(days)d days.") % {"days": limit}]})
    return Period(start, end)


def previous_period(kind: str, period: Period) -> Period:
    """环比: the day, week or month before; a custom range the same number of days before it."""
    if kind == BriefingKind.MONTHLY:
        last = period.start - timedelta(days=1)
        return Period(last.replace(day=1), last)
    return Period(period.start - timedelta(days=period.days), period.start - timedelta(days=1))


def last_year_period(kind: str, period: Period) -> Period:
    """同比: the same period a year before. A week is the one 52 weeks before, Monday to Sunday, so the
    weekdays line up; a month is the same month."""
    if kind == BriefingKind.WEEKLY:
        return Period(period.start - timedelta(weeks=52), period.end - timedelta(weeks=52))
    if kind == BriefingKind.MONTHLY:
        first = year_before(period.start).replace(day=1)
        return Period(first, month_end(first))
    return Period(year_before(period.start), year_before(period.end))


def change_pct(now: int | float, before: int | float | None) -> float | None:
    """The change against a base in per cent, one decimal; none against nothing."""
    if not before:
        return None
    return round((now - before) / before * 100, 1)
