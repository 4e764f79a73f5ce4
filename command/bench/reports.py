"""`manage.py bench reports`: on the seeded history (manage.py seed_history), side by side in one run:
a monthly city briefing's incident figures from the rollups against the same figures from raw rows
(p50/p99 of each and the ratio, and that both answer the same), the hot-spot analysis of one month,
and incident search over a fixed set of queries."""
import statistics
import time
from datetime import timedelta

from django.utils import timezone

from analysis import briefings, hotspots
from analysis.periods import Period, period_of
from analysis.scopes import city_scope
from analysis.search import SearchQuery, incidents_search
from dispatch.models import Incident

SEARCHES = (
    {"text": "盗"}, {"text": "纠纷"}, {"text": "110-"}, {"text": "138"}, {"text": "已联系报警人"},
    {"categories": ("criminal",)}, {"priorities": (1,)}, {"response_class": "key_site"}, {"met": False},
    {"text": "追尾", "categories": ("traffic_accident",)}, {"statuses": ("cancelled",)}, {},
)


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    rank = lambda q: ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]  # noqa: E731
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p99_ms": round(rank(0.99) * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2), "runs": len(ordered)}


def _timed(work, repeat: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = work()
        samples.append(time.perf_counter() - began)
    return samples, result


def _month() -> Period:
    last = timezone.localdate().replace(day=1) - timedelta(days=1)
    return period_of("monthly", last)


def briefing_side_by_side(repeat: int) -> dict:
    period, scope = _month(), city_scope()
    fast, from_rollups = _timed(lambda: briefings.incident_figures(kind="monthly", period=period, scope=scope), repeat)
    slow, from_raw = _timed(lambda: briefings.incident_figures(kind="monthly", period=period, scope=scope, source="raw"),
                            repeat)
    rollups, raw = _percentiles(fast), _percentiles(slow)
    return {"period": period.as_json(), "incidents": from_rollups["totals"]["incidents"]["value"],
            "rollups": rollups, "raw": raw, "same_answer": from_rollups == from_raw,
            "ratio_p50": round(raw["p50_ms"] / rollups["p50_ms"], 1), "ratio_p99": round(raw["p99_ms"] / rollups["p99_ms"], 1)}


def hot_spots_of_a_month(repeat: int) -> dict:
    period = _month()
    first, result = _timed(lambda: hotspots.analyse(period=period, scope=city_scope()), 1)  # esda's import is in here
    samples, result = _timed(lambda: hotspots.analyse(period=period, scope=city_scope()), repeat)
    return {"first_run_ms": round(first[0] * 1000, 1), **_percentiles(samples), "cells": len(result["cells"]),
            "hot_spots": len(result["hot_spots"]), "emerging": len(result["emerging"]), "incidents": result["incidents"]}


def search(repeat: int) -> dict:
    until = timezone.now()
    since = until - timedelta(days=365)
    by_query, counts = [[] for _ in SEARCHES], {}
    for _ in range(repeat):
        for n, fields in enumerate(SEARCHES):
            query = SearchQuery(since=since, until=until, **fields)
            began = time.perf_counter()
            found = incidents_search(platform_ids=None, query=query)
            counts[n] = found.order_by()[:10_001].count()
            list(found[:25])
            by_query[n].append(time.perf_counter() - began)
    # Each query's own figures too: which of the fixed set is the slow one, and how many it matches.
    each = [{"query": fields, "matches": counts[n], **_percentiles(by_query[n])} for n, fields in enumerate(SEARCHES)]
    return {"queries": len(SEARCHES), "range_days": 365, **_percentiles([s for q in by_query for s in q]),
            "matches_per_query": [counts[n] for n in range(len(SEARCHES))], "per_query": each}


def run(*, repeat: int = 20) -> dict:
    history = Incident.objects.filter(number__contains="-H").count()
    if not history:
        raise ValueError("no history: run `manage.py seed_history --days 400` first")
    return {"history_incidents": history, "briefing_month": briefing_side_by_side(repeat),
            "hot_spots_month": hot_spots_of_a_month(max(3, repeat // 4)), "search": search(max(2, repeat // 5))}
