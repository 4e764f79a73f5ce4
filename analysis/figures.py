"""The incident figures of a period and scope, read two ways with one answer: from the rollups (what
briefings use) and from the raw incidents (ad-hoc questions, and the benchmark's baseline). Tests
hold the two equal.

Response figures follow dispatch.selectors.response_figures: an incident counts once a unit was
ordered and one was on scene, from its verified arrival where there is one; within target when the
ordered → on scene time, to a tenth of a second, is at most its target; percentiles by nearest rank.
Incidents found on patrol (origin on_view) had their crew on scene when they were made: they are no
response, so they stay out of the response figures and are counted beside them (totals.on_view)."""
import math
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import connection

from analysis.rollups import local_midnight

CLASSES = {60: "key_site", 180: "city_centre", 300: "other"}
QUANTILES = (0.5, 0.9)


def nearest_rank(ordered: list[float], q: float) -> float | None:
    """The smallest value with at least q of the values at or below it (PostgreSQL's percentile_disc)."""
    if not ordered:
        return None
    return ordered[max(1, math.ceil(len(ordered) * q)) - 1]


def _round(value):
    return None if value is None else round(value, 1)


def response_row(reached: int, met: int, unverified: int, unreached: int, responses: list, from_call: list) -> dict:
    """One class's response figures from its counts and the p50 and p90 of its two clocks."""
    return {"reached": reached, "met": met, "share_within_target": round(met / reached, 4) if reached else None,
            "unverified_arrivals": unverified, "unreached": unreached,
            "p50_response_s": _round(responses[0]), "p90_response_s": _round(responses[1]),
            "p50_call_to_scene_s": _round(from_call[0]), "p90_call_to_scene_s": _round(from_call[1])}


def quantiles(ordered: list[float]) -> list:
    return [nearest_rank(ordered, q) for q in QUANTILES]


class RollupFigures:
    """From analysis_dailyrollup: a period of the city is a few thousand rows."""

    def __init__(self, period, scope):
        self.params = {"lo": period.start, "hi": period.end, "zones": scope.zone_ids()}
        self.where = "day BETWEEN %(lo)s AND %(hi)s" + ("" if self.params["zones"] is None else " AND zone_id = ANY(%(zones)s)")

    def _rows(self, sql: str) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("{where}", self.where), self.params)
            return cursor.fetchall()

    def counts(self) -> list[tuple]:
        """(zone id, category, incidents, cancelled, found on patrol) per zone and category."""
        return self._rows("SELECT zone_id, category, sum(incidents), sum(cancelled), sum(on_view) "
                          "FROM analysis_dailyrollup WHERE {where} GROUP BY zone_id, category")

    def hour_of_week(self) -> list[list[int]]:
        rows = self._rows("SELECT extract(isodow FROM day)::int, h.hour::int, sum(h.n) FROM analysis_dailyrollup, "
                          "unnest(by_hour) WITH ORDINALITY AS h(n, hour) WHERE {where} GROUP BY 1, 2")
        return _week_grid((dow, hour - 1, n) for dow, hour, n in rows)

    def response(self) -> dict:
        counts = self._rows("SELECT target_s, sum(reached), sum(met), sum(unverified), sum(unreached) "
                            "FROM analysis_dailyrollup WHERE {where} GROUP BY GROUPING SETS ((target_s), ())")
        ranks = self._rows(
            "SELECT target_s, percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY r), "
            "percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY c) FROM analysis_dailyrollup, "
            "unnest(dispatch_to_scene_s, call_to_scene_s) AS u(r, c) WHERE {where} GROUP BY GROUPING SETS ((target_s), ())")
        found = {target: (r or [None, None], c or [None, None]) for target, r, c in ranks}
        result = {}
        for target, reached, met, unverified, unreached in counts:
            r, c = found.get(target, ([None, None], [None, None]))
            name = CLASSES.get(target, str(target)) if target is not None else "overall"
            result[name] = response_row(*(int(n or 0) for n in (reached, met, unverified, unreached)), r, c)
        return _every_class(result)


class RawFigures:
    """From dispatch_incident directly: every incident of the period is read."""

    def __init__(self, period, scope):
        zones = scope.zone_ids()
        self.params = {"lo": local_midnight(period.start), "hi": local_midnight(period.end) + timedelta(days=1),
                       "zones": zones, "tz": settings.TIME_ZONE}
        self.where = "received_at >= %(lo)s AND received_at < %(hi)s" + ("" if zones is None else " AND zone_id = ANY(%(zones)s)")

    def _rows(self, sql: str) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("{where}", self.where), self.params)
            return cursor.fetchall()

    def counts(self) -> list[tuple]:
        return self._rows("SELECT zone_id, category, count(*), count(*) FILTER (WHERE status = 'cancelled'), "
                          "count(*) FILTER (WHERE origin = 'on_view') FROM dispatch_incident WHERE {where} "
                          "GROUP BY zone_id, category")

    def hour_of_week(self) -> list[list[int]]:
        rows = self._rows("SELECT extract(isodow FROM received_at AT TIME ZONE %(tz)s)::int, "
                          "extract(hour FROM received_at AT TIME ZONE %(tz)s)::int, count(*) FROM dispatch_incident "
                          "WHERE {where} GROUP BY 1, 2")
        return _week_grid(rows)

    def response(self) -> dict:
        # Found on patrol (on_view): no response to judge; the briefing counts them beside (totals).
        rows = self._rows("SELECT target_s, status, received_at, dispatched_at, on_scene_at, verified_on_scene_at "
                          "FROM dispatch_incident WHERE {where} AND origin <> 'on_view'")
        groups = defaultdict(list)
        for row in rows:
            groups[row[0]].append(row)
            groups[None].append(row)
        result = {("overall" if target is None else CLASSES.get(target, str(target))): _raw_class(members)
                  for target, members in groups.items()}
        return _every_class(result)


def _raw_class(rows) -> dict:
    reached = [r for r in rows if r[3] is not None and r[4] is not None]
    responses = sorted(((r[5] or r[4]) - r[3]).total_seconds() for r in reached)
    from_call = sorted(((r[5] or r[4]) - r[2]).total_seconds() for r in reached)
    met = sum(1 for r in reached if round(((r[5] or r[4]) - r[3]).total_seconds(), 1) <= r[0])
    unverified = sum(1 for r in reached if r[5] is None)
    unreached = sum(1 for r in rows if r[4] is None and r[1] != "cancelled")
    return response_row(len(reached), met, unverified, unreached, quantiles(responses), quantiles(from_call))


def _every_class(result: dict) -> dict:
    empty = response_row(0, 0, 0, 0, [None, None], [None, None])
    return {name: result.get(name, dict(empty)) for name in (*CLASSES.values(), "overall")}


def _week_grid(rows) -> list[list[int]]:
    """Monday first, hours 0-23."""
    grid = [[0] * 24 for _ in range(7)]
    for dow, hour, n in rows:
        grid[dow - 1][hour] += int(n)
    return grid

