"""`manage.py bench geocode`: address lookups on the demo city, each query with the answer a dispatcher
expects, timed in process (`grid.place_search.search_places`) and through the API, beside a baseline
measured in the same run: a plain `ILIKE '%q%'` scan of the same names.

The queries are what callers say in central Shanghai: junctions in their spoken forms, key sites and
other named places, streets, house numbers (the demo extract has no `addr:*` tags: the street is the
expected answer), pinyin and initials typed on a Latin keyboard, and typos. The demo's key sites and
must-patrol points are added for the run when the city is not seeded, and rolled back after it."""
import statistics
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.test import APIClient

from command.demo.places import KEY_SITES, PATROL_POINTS
from command.models import Membership
from common.roles import Role
from grid import selectors
from grid.models import KeySite, PatrolPoint, Place
from grid.place_search import search_places
from grid.places import active_places, reverse_lookup, sync_sites
from grid.roads import road_network_import

# (what is typed, the expected place's name and kind, the kind of query)
QUERIES = [
    ("西藏南路与复兴东路交叉口", "西藏南路与复兴东路交叉口", "junction", "junction"),
    ("西藏南路复兴东路口", "西藏南路与复兴东路交叉口", "junction", "junction"),
    ("复兴东路西藏南路路口", "西藏南路与复兴东路交叉口", "junction", "junction"),
    ("南京西路与石门一路交叉口", "南京西路与石门一路交叉口", "junction", "junction"),
    ("石门一路南京西路口", "南京西路与石门一路交叉口", "junction", "junction"),
    ("延安东路/西藏南路", "延安东路与西藏南路交叉口", "junction", "junction"),
    ("陕西北路 南京西路路口", "南京西路与陕西北路交叉口", "junction", "junction"),
    ("淮海中路与重庆南路交叉口", "重庆南路与淮海中路交叉口", "junction", "junction"),
    ("河南南路复兴东路口", "复兴东路与河南南路交叉口", "junction", "junction"),
    ("人民大道西藏中路口", "西藏中路与人民大道交叉口", "junction", "junction"),
    ("天目西路恒丰路口", "天目西路与恒丰路交叉口", "junction", "junction"),
    ("四川北路与海宁路交叉口", "海宁路与四川北路交叉口", "junction", "junction"),
    ("人民广场", "人民广场", "key_site", "place"),
    ("瑞金医院", "瑞金医院", "key_site", "place"),
    ("上海博物馆", "上海博物馆", "key_site", "place"),
    ("东方明珠", "东方明珠", "key_site", "place"),
    ("静安寺", "静安寺", "key_site", "place"),
    ("上海火车站", "上海火车站", "key_site", "place"),
    ("格致中学", "格致中学", "key_site", "place"),
    ("南京路步行街西口", "南京路步行街西口", "patrol_point", "place"),
    ("外滩", "陈毅广场（外滩）", "key_site", "place"),
    ("城隍庙", "豫园（城隍庙）", "key_site", "place"),
    ("火车站", "上海火车站", "key_site", "place"),
    ("东方明珠塔", "东方明珠", "key_site", "place"),
    ("南京西路", "南京西路", "street", "street"),
    ("淮海中路", "淮海中路", "street", "street"),
    ("四川北路", "四川北路", "street", "street"),
    ("淮海中路100号", "淮海中路", "street", "house number"),
    ("西藏南路88号", "西藏南路", "street", "house number"),
    ("xizangnanlu fuxingdonglu", "西藏南路与复兴东路交叉口", "junction", "pinyin"),
    ("xznl/fxdl", "西藏南路与复兴东路交叉口", "junction", "initials"),
    ("nanjingxilu shimenyilu", "南京西路与石门一路交叉口", "junction", "pinyin"),
    ("xizangnanlu", "西藏南路", "street", "pinyin"),
    ("hhzl", "淮海中路", "street", "initials"),
    ("rmgc", "人民广场", "key_site", "initials"),
    ("ruijinyiyuan", "瑞金医院", "key_site", "pinyin"),
    ("shbwg", "上海博物馆", "key_site", "initials"),
    ("西臧南路", "西藏南路", "street", "typo"),
    ("人名广场", "人民广场", "key_site", "typo"),
    ("瑞金医阮", "瑞金医院", "key_site", "typo"),
    ("上海博物官", "上海博物馆", "key_site", "typo"),
    ("复兴东陆西藏南路口", "西藏南路与复兴东路交叉口", "junction", "typo"),
    ("xiznagnanlu", "西藏南路", "street", "typo"),
]
TOP = 5


def run(*, repeat: int) -> dict:
    """Every query `repeat` times each way; the demo's sites added for the run if missing, rolled back."""
    network = selectors.active_road_network()
    if network is None:
        network, _ = road_network_import(path=Path(settings.ROAD_NETWORK), progress=lambda line: None)
    with transaction.atomic():
        seeded = _with_demo_sites()
        sync_sites(force=True)
        result = {"network": network.name, "places": Place.objects.filter(active_places()).count(),
                  "sites_added_for_the_run": seeded, "queries": len(QUERIES), "repeat": repeat,
                  **_measure(repeat)}
        transaction.set_rollback(True)
    return result


def _measure(repeat: int) -> dict:
    started = time.perf_counter()
    first = search_places(QUERIES[0][0])
    first_ms = round((time.perf_counter() - started) * 1000, 1)
    api = _api_client()
    # One round each way untimed: a process's first request loads the URL conf, DRF's settings and
    # pypinyin's phrase tables, once (first_call_ms is that cost for search alone).
    for call in (lambda q: search_places(q, limit=TOP), lambda q: _ilike(q, TOP), api):
        _timed(call, 1)
    lookup_s, answers = _timed(lambda q: search_places(q, limit=TOP), repeat)
    baseline_s, baseline_answers = _timed(lambda q: _ilike(q, TOP), repeat)
    api_s, _ = _timed(api, max(1, repeat // 4))
    return {
        "first_call_ms": first_ms, "first_call_found": bool(first),
        "lookup_ms": percentiles(lookup_s), "api_ms": percentiles(api_s),
        "found": _found(answers), "found_by_kind_of_query": _found_by_kind(answers),
        "baseline_ilike_ms": percentiles(baseline_s), "baseline_found": _found(baseline_answers),
        "missed_at_rank_1": [query for (query, *_), hits in zip(QUERIES, answers) if _rank(hits, query) != 1],
        "reverse_ms": _reverse(answers, repeat),
    }


def _reverse(answers: list, repeat: int) -> dict:
    """Reverse lookup of the points found, each moved 40 m north-east (a click beside the place)."""
    points = [(hits[0].place.lon + 0.0003, hits[0].place.lat + 0.0003) for hits in answers if hits]
    reverse_lookup(*points[0])  # the process's first reads the network's named roads (~90 ms), once
    samples = []
    for _ in range(repeat):
        for lon, lat in points:
            started = time.perf_counter()
            reverse_lookup(lon, lat)
            samples.append(time.perf_counter() - started)
    return percentiles(samples)


def percentiles(samples_s: list[float]) -> dict:
    values = np.array(samples_s) * 1000
    return {"p50": round(float(np.percentile(values, 50)), 2), "p99": round(float(np.percentile(values, 99)), 2),
            "max": round(float(values.max()), 2), "n": len(samples_s)}


def _timed(call, repeat: int) -> tuple[list[float], list]:
    """Samples of every query, round after round (not one query many times over: no warm repeats)."""
    samples, answers = [], []
    for round_ in range(repeat):
        for query, *_ in QUERIES:
            started = time.perf_counter()
            hits = call(query)
            samples.append(time.perf_counter() - started)
            if round_ == 0:
                answers.append(hits)
    return samples, answers


def _ilike(query: str, limit: int) -> list:
    """The baseline: names containing the query as typed, shortest first."""
    rows = Place.objects.filter(active_places(), name__icontains=query.strip()).order_by("name")[:200]
    return [(row.name, row.kind) for row in sorted(rows, key=lambda row: len(row.name))[:limit]]


def _api_client():
    """A dispatcher's client (the login is rolled back with the run)."""
    user = get_user_model().objects.create(username="bench-geocode")
    Membership.objects.create(user=user, role=Role.DISPATCHER)
    client = APIClient()
    client.force_authenticate(user)

    def call(query):
        response = client.get("/api/v1/places/search", {"q": query, "limit": TOP})
        assert response.status_code == 200, response.content
        return response.json()
    return call


def _rank(hits: list, query: str) -> int | None:
    expected = next((name, kind) for q, name, kind, _ in QUERIES if q == query)
    names = [(hit.place.name, hit.place.kind) if hasattr(hit, "place") else hit for hit in hits]
    return names.index(expected) + 1 if expected in names else None


def _found(answers: list) -> dict:
    ranks = [_rank(hits, query) for (query, *_), hits in zip(QUERIES, answers)]
    return {"rank_1": _share(sum(rank == 1 for rank in ranks)), f"top_{TOP}": _share(sum(rank is not None for rank in ranks))}


def _found_by_kind(answers: list) -> dict:
    kinds = {}
    for (query, _, _, kind), hits in zip(QUERIES, answers):
        kinds.setdefault(kind, []).append(_rank(hits, query))
    return {kind: f"{sum(rank == 1 for rank in ranks)}/{len(ranks)}" for kind, ranks in kinds.items()}


def _share(count: int) -> str:
    return f"{count}/{len(QUERIES)} ({statistics.mean([1] * count + [0] * (len(QUERIES) - count)):.0%})"


def _with_demo_sites() -> dict:
    """The demo's key sites and must-patrol points, where the city is not seeded (rolled back after)."""
    added = {"key_sites": 0, "patrol_points": 0}
    if not KeySite.objects.exists():
        KeySite.objects.bulk_create([KeySite(**site) for site in KEY_SITES])
        added["key_sites"] = len(KEY_SITES)
    if not PatrolPoint.objects.exists():
        fields = ("code", "name", "name_en", "lon", "lat", "radius_m", "dwell_s")
        PatrolPoint.objects.bulk_create([PatrolPoint(**{f: point[f] for f in fields}) for point in PATROL_POINTS])
        added["patrol_points"] = len(PATROL_POINTS)
    return added
