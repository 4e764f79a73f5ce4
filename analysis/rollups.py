"""Rollups: the incidents summed per local day in PostgreSQL, so that reading a month does not scan
raw rows (a month is a few thousand rollup rows instead of its incidents and their joins).

`DailyRollup` is built by one INSERT ... SELECT per batch of days; `CellRollup` needs the H3 cell of
each incident, which PostgreSQL cannot compute without an extension, so those rows are summed here.
A day is always rebuilt whole (delete, insert, one transaction), so the rollups equal the raw rows
of the days they cover. `rollups_refresh` takes up only the days whose incidents changed: every
change of an incident writes an event on its append-only timeline, so the events after the last one
read name them; each refresh reads again from where the one before it started."""
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

import h3
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from analysis.models import CellRollup, DailyRollup, RollupState

BATCH_DAYS = 62

_HOURS = ", ".join(f"count(*) FILTER (WHERE h = {hour})" for hour in range(24))
_PRIORITIES = ", ".join(f"count(*) FILTER (WHERE priority = {p})" for p in range(1, 5))
# The arrival the figures count from: the verified one where there is one (Incident.arrived_at). An
# incident found on patrol (origin on_view) had its crew on scene when it was made: it is counted as an
# incident and beside the response figures (`on_view`), never as a response (dispatch.selectors).
_ARRIVED = "coalesce(verified_on_scene_at, on_scene_at)"
DAILY_SQL = f"""
INSERT INTO analysis_dailyrollup (day, zone_id, category, target_s, incidents, cancelled, on_view, unreached,
    by_hour, by_priority, reached, met, unverified, dispatch_to_scene_s, call_to_scene_s)
SELECT d, zone_id, category, target_s, count(*),
    count(*) FILTER (WHERE status = 'cancelled'),
    count(*) FILTER (WHERE origin = 'on_view'),
    count(*) FILTER (WHERE on_scene_at IS NULL AND status <> 'cancelled' AND origin <> 'on_view'),
    ARRAY[{_HOURS}], ARRAY[{_PRIORITIES}],
    count(*) FILTER (WHERE reached),
    count(*) FILTER (WHERE reached AND round(response::numeric, 1) <= target_s),
    count(*) FILTER (WHERE reached AND verified_on_scene_at IS NULL),
    coalesce(array_agg(response ORDER BY response) FILTER (WHERE reached), '{{}}'),
    coalesce(array_agg(from_call ORDER BY from_call) FILTER (WHERE reached), '{{}}')
FROM (
    SELECT i.*, (received_at AT TIME ZONE %(tz)s)::date AS d,
        extract(hour FROM received_at AT TIME ZONE %(tz)s)::int AS h,
        (on_scene_at IS NOT NULL AND dispatched_at IS NOT NULL AND origin <> 'on_view') AS reached,
        extract(epoch FROM {_ARRIVED} - dispatched_at)::float8 AS response,
        extract(epoch FROM {_ARRIVED} - received_at)::float8 AS from_call
    FROM dispatch_incident i WHERE received_at >= %(lo)s AND received_at < %(hi)s
) x
WHERE d = ANY(%(days)s)
GROUP BY d, zone_id, category, target_s
"""


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)), timezone.get_default_timezone())


def cell_of(lon: float, lat: float, resolution: int | None = None) -> str:
    return h3.latlng_to_cell(lat, lon, resolution or settings.ANALYSIS_CELL_RESOLUTION)


def rollups_rebuild(*, days) -> int:
    """Rebuild the rollups of these local days from the raw incidents; returns the days rebuilt."""
    days = sorted(set(days))
    for start in range(0, len(days), BATCH_DAYS):
        _rebuild_batch(days[start:start + BATCH_DAYS])
    return len(days)


@transaction.atomic
def _rebuild_batch(days: list[date]) -> None:
    lo, hi = local_midnight(days[0]), local_midnight(days[-1] + timedelta(days=1))
    DailyRollup.objects.filter(day__in=days).delete()
    CellRollup.objects.filter(day__in=days).delete()
    with connection.cursor() as cursor:
        cursor.execute(DAILY_SQL, {"tz": settings.TIME_ZONE, "lo": lo, "hi": hi, "days": days})
        cursor.execute("SELECT (received_at AT TIME ZONE %s)::date, extract(hour FROM received_at AT TIME ZONE %s)::int, "
                       "category, lon, lat FROM dispatch_incident WHERE received_at >= %s AND received_at < %s",
                       [settings.TIME_ZONE, settings.TIME_ZONE, lo, hi])
        rows = cursor.fetchall()
    wanted = set(days)
    cells = defaultdict(Counter)
    for day, hour, category, lon, lat in rows:
        if day in wanted:
            cells[(day, cell_of(lon, lat), category)][hour] += 1
    _copy_cells(cells)


def _copy_cells(cells: dict) -> None:
    """COPY, not bulk_create: a year is a hundred thousand rows of 24-hour arrays, which the ORM
    adapts value by value (a minute of a 400-day seed)."""
    with connection.cursor() as cursor, cursor.copy(
            "COPY analysis_cellrollup (day, cell, category, incidents, by_hour) FROM STDIN") as copy:
        for (day, cell, category), hours in cells.items():
            by_hour = [hours.get(h, 0) for h in range(24)]
            copy.write_row((day, cell, category, sum(by_hour), "{" + ",".join(map(str, by_hour)) + "}"))


def rollups_refresh(*, now: datetime | None = None) -> int:
    """Rebuild the days whose incidents changed since the last refresh (their events name them)."""
    now = now or timezone.now()
    state, _ = RollupState.objects.get_or_create(pk=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM dispatch_incidentevent")
        last = cursor.fetchone()[0]
        cursor.execute(
            "SELECT DISTINCT (i.received_at AT TIME ZONE %s)::date FROM dispatch_incidentevent e "
            "JOIN dispatch_incident i ON i.id = e.incident_id WHERE e.id > %s AND e.id <= %s",
            [settings.TIME_ZONE, state.previous_event_id, last])
        days = [row[0] for row in cursor.fetchall()]
    rebuilt = rollups_rebuild(days=days) if days else 0
    RollupState.objects.filter(pk=1).update(previous_event_id=state.last_event_id, last_event_id=last, refreshed_at=now)
    return rebuilt


def rollups_build_all() -> int:
    """Every day that has incidents (after a bulk load): the rollups from scratch, and the watermark."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT (received_at AT TIME ZONE %s)::date FROM dispatch_incident", [settings.TIME_ZONE])
        days = [row[0] for row in cursor.fetchall()]
    DailyRollup.objects.exclude(day__in=days).delete()
    CellRollup.objects.exclude(day__in=days).delete()
    rebuilt = rollups_rebuild(days=days) if days else 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM dispatch_incidentevent")
        last = cursor.fetchone()[0]
    RollupState.objects.update_or_create(pk=1, defaults={"last_event_id": last, "previous_event_id": last,
                                                         "refreshed_at": timezone.now()})
    return rebuilt
