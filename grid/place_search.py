"""Address lookup: a dispatcher's words to places of the served area, best match first.

A query is compared three ways, and each place keeps its best score:
- as a name (`key`; typed in Latin letters, `pinyin` and `initials`): exact 100, prefix 80, contained
  40; a Chinese query is also compared by sound, so a homophone typed with a pinyin keyboard (西臧南路)
  still finds its place (35, prefix 30); failing all of these, a name of trigram word similarity at
  least SIMILAR (pg_trgm) scores up to 20 by its similarity;
- as a junction ("A与B交叉口", "A B路口", "AB路口", "A/B", in pinyin or initials too): each reading
  of it as two names (grid.place_names) resolved to streets, then to the junctions of those streets;
  both names exact is an exact match (100), else 60 + 10 x the weaker name's match;
- as a house number ("南京东路100号"): the number on that street (the nearest one when OSM lacks it),
  or the street itself when OSM has no numbers on it.
Ties go to the kind a caller most likely means (KIND_ORDER), then the longer street, the shorter name.
"""
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from grid.models import Place, PlaceKind
from grid.place_names import (
    address_reading, is_latin, junction_readings, loose, pinyin_of, search_key, without_junction_ending,
)
from grid.places import active_network_id, active_places, sync_sites

EXACT, PREFIX, CONTAINS, SOUND, SOUND_PREFIX, SIMILAR_MAX = 100, 80, 40, 35, 30, 20
JUNCTION, ADDRESS_NEAREST, ADDRESS_STREET = 60, 55, 50
SIMILAR = 0.5            # pg_trgm word similarity a typo must reach
CANDIDATES = 60          # rows read per way of comparing, before the final ranking
STREETS_PER_PART = 8     # streets a part of a junction may name
KIND_ORDER = {kind: rank for rank, kind in enumerate([
    PlaceKind.KEY_SITE, PlaceKind.STATION, PlaceKind.METRO_EXIT, PlaceKind.HOSPITAL, PlaceKind.SCHOOL,
    PlaceKind.STREET, PlaceKind.JUNCTION, PlaceKind.ADDRESS, PlaceKind.LANDMARK, PlaceKind.BUILDING,
    PlaceKind.SHOP, PlaceKind.AMENITY, PlaceKind.NEIGHBOURHOOD, PlaceKind.PATROL_POINT, PlaceKind.ZONE,
    PlaceKind.BUS_STOP])}


@dataclass(frozen=True)
class Hit:
    place: Place
    match: str   # exact, prefix, contains, sound, similar, junction, address, street
    score: float


def search_places(query: str, *, limit: int = 10) -> list[Hit]:
    """The best `limit` places for what a dispatcher typed, best first."""
    key = search_key(query)
    if not key:
        return []
    sync_sites()
    with trigram_scans():
        hits = [*by_name(key), *by_spoken_street(query), *by_junction(query), *by_house_number(query)]
        # Typos are looked for when nothing matched exactly, by its start, or as a junction or a house
        # number: a typo would rank below those anyway, and a long query's trigrams ("...交叉口") are
        # shared by thousands of names.
        if not any(hit.score >= PREFIX or hit.match in ("junction", "address", "street") for hit in hits):
            hits += by_name(key, typo=True)
    best: dict[tuple, Hit] = {}
    for hit in hits:  # one place found under several of its names is shown once, at its best
        same = (hit.place.kind, hit.place.name, hit.place.lon, hit.place.lat)
        if same not in best or ranking(hit) < ranking(best[same]):
            best[same] = hit
    return sorted(best.values(), key=ranking)[:limit]


def ranking(hit: Hit) -> tuple:
    place = hit.place
    return -round(hit.score, 3), KIND_ORDER.get(place.kind, 99), -place.weight, len(place.name), place.name, place.pk


# --- by name ---------------------------------------------------------------------------------------

def _tier(column: str, inside: str = "%(inside)s") -> str:
    return (f"CASE WHEN {column} = %(q)s THEN {EXACT} WHEN {column} LIKE %(prefix)s THEN {PREFIX} "
            f"WHEN {column} LIKE {inside} THEN {CONTAINS} ELSE 0 END")


def by_name(key: str, *, typo: bool = False) -> list[Hit]:
    """Places whose name (or its pinyin) is, starts with, contains or sounds like the query; with `typo`,
    those whose name nearly is the query."""
    latin = is_latin(key)
    sound = key if latin else pinyin_of(key)
    params = {"q": key, "prefix": f"{key}%", "inside": f"%{key}%", "sound": sound, "sound_prefix": f"{sound}%",
              "initials_inside": f"%{key}%" if len(key) >= 3 else key, "network": active_network_id()}
    if typo and len(key) < (3 if latin else 2):
        return []  # a typo in "x" or "人" would be half the city
    if latin:
        tier = f"GREATEST({_tier('p.pinyin')}, {_tier('p.initials', '%(initials_inside)s')})"
        similarity = "similarity(%(q)s, p.pinyin)"
        found = (["%(q)s <%% p.pinyin"] if typo else
                 ["p.pinyin LIKE %(inside)s", "p.initials LIKE %(prefix)s", "p.initials LIKE %(initials_inside)s"])
    else:
        tier = (f"GREATEST({_tier('p.key')}, CASE WHEN p.pinyin = %(sound)s THEN {SOUND} "
                f"WHEN p.pinyin LIKE %(sound_prefix)s THEN {SOUND_PREFIX} ELSE 0 END)")
        similarity = "GREATEST(similarity(%(q)s, p.key), similarity(%(sound)s, p.pinyin))"
        found = (["%(q)s <%% p.key", "%(sound)s <%% p.pinyin"] if typo else
                 ["p.key LIKE %(inside)s", "p.pinyin LIKE %(sound_prefix)s"])
    # coalesce(): the network's own index must not be chosen over the trigram indexes (see trigram_scans).
    # A typo is found by word similarity (the query may be the start of a name) and ranked by similarity
    # (the whole name: "人名广场" nearer 人民广场 than 人民广场固定岗1), only for rows no better match found.
    sql = (f"SELECT m.*, CASE WHEN m.tier > 0 THEN 0 ELSE {similarity.replace('p.', 'm.')} END AS sim FROM "
           f"(SELECT p.*, {tier} AS tier FROM grid_place p WHERE coalesce(p.network_id, %(network)s) = %(network)s "
           f"AND ({' OR '.join(found)})) m ORDER BY m.tier DESC, sim DESC, m.weight DESC, length(m.name) "
           f"LIMIT {CANDIDATES}")
    return [Hit(row, *_name_match(row.tier, row.sim)) for row in Place.objects.raw(sql, params)]


def _name_match(tier: int, similarity: float) -> tuple[str, float]:
    names = {EXACT: "exact", PREFIX: "prefix", CONTAINS: "contains", SOUND: "sound", SOUND_PREFIX: "sound"}
    if tier:
        return names[tier], float(tier)
    # In tenths: a typo's similarity to "人民广场" and to "人民广场固定岗1" differ by chance, not by intent.
    return "similar", SIMILAR_MAX * round(similarity, 1)


def by_spoken_street(query: str) -> list[Hit]:
    """"西藏中路口" said of one street: the street, just under an exact match of the whole query."""
    core, ended = without_junction_ending(loose(query))
    key = search_key(core)
    if not ended or len(key) < 2:
        return []
    return [Hit(hit.place, "street", hit.score - 10) for hit in by_name(key) if hit.match == "exact"]


@contextmanager
def trigram_scans():
    """The session set for a search, and set back after it. pg_trgm's `<%` compares with a setting,
    not an argument. And on a city's few thousand names the planner prefers reading the whole table,
    not knowing that a word similarity costs ~5 µs a row: 20 ms a search on the demo city, against
    2 ms through the trigram indexes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false), "
                       "set_config('enable_seqscan', 'off', false)", [str(SIMILAR)])
        try:
            yield
        finally:
            if not connection.needs_rollback:
                cursor.execute("SELECT set_config('enable_seqscan', 'on', false)")


# --- by junction -----------------------------------------------------------------------------------

def by_junction(query: str) -> list[Hit]:
    readings = junction_readings(query)
    if not readings:
        return []
    streets = streets_named([part for r in readings for part in (r.first, r.second)])
    if not any(r.first in streets and r.second in streets for r in readings):  # a typo in a name, then
        unknown = {part for r in readings for part in (r.first, r.second) if part not in streets}
        streets.update(streets_named(sorted(unknown), typo=True))
    names = {name for matches in streets.values() for name in matches}
    if not names:
        return []
    rows = Place.objects.filter(active_places(), kind=PlaceKind.JUNCTION, street__in=names, cross_street__in=names)
    hits = []
    for row in rows:
        quality = max((_pair_quality(streets, r.first, r.second, row) for r in readings), default=0.0)
        if quality > 0:
            score = EXACT if quality == 1.0 else JUNCTION + 10 * quality
            hits.append(Hit(row, "exact" if score == EXACT else "junction", score))
    return hits


def _pair_quality(streets: dict, first: str, second: str, row: Place) -> float:
    a, b = streets.get(first, {}), streets.get(second, {})
    straight = min(a.get(row.street, 0.0), b.get(row.cross_street, 0.0))
    crossed = min(a.get(row.cross_street, 0.0), b.get(row.street, 0.0))
    return max(straight, crossed)


def streets_named(parts: list[str], *, typo: bool = False) -> dict[str, dict[str, float]]:
    """For each part of a query, the streets it may name and how well (1 exact, 0.9 the start of the
    name, 0.85 the same sound, 0.8 the name without its direction: "西藏路" for 西藏南路, else half
    the similarity). One statement, a branch per part, so each branch's constants meet the indexes."""
    parts = sorted(set(parts))
    if not parts:
        return {}
    branches, params = zip(*(_street_branch(part, typo) for part in parts))
    sql = " UNION ALL ".join(f"({branch})" for branch in branches)
    found: dict[str, dict[str, float]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for group in params for value in group])
        for part, street, quality in cursor.fetchall():
            found.setdefault(part, {})[street] = float(quality)
    return found


def _street_branch(part: str, typo: bool) -> tuple[str, list]:
    if is_latin(part):
        quality = ("CASE WHEN s.pinyin = %s OR s.initials = %s THEN 1.0 WHEN s.pinyin LIKE %s OR s.initials LIKE %s "
                   "THEN 0.9 ELSE 0.5 * word_similarity(%s, s.pinyin) END")
        found, found_values = (("%s <%% s.pinyin", [part]) if typo else
                               ("(s.pinyin LIKE %s OR s.initials LIKE %s)", [f"{part}%", f"{part}%"]))
        values = [part, part, f"{part}%", f"{part}%", part]
    else:
        stem, sound = part.removesuffix("路"), pinyin_of(part)
        stem = f"{stem}%" if len(stem) >= 2 else part
        quality = ("CASE WHEN s.key = %s THEN 1.0 WHEN s.key LIKE %s THEN 0.9 WHEN s.pinyin = %s THEN 0.85 "
                   "WHEN s.key LIKE %s THEN 0.8 ELSE 0.5 * GREATEST(word_similarity(%s, s.key), "
                   "word_similarity(%s, s.pinyin)) END")
        found, found_values = (("(%s <%% s.key OR %s <%% s.pinyin)", [part, sound]) if typo else
                               ("(s.key LIKE %s OR s.pinyin = %s OR s.key LIKE %s)", [f"{part}%", sound, stem]))
        values = [part, f"{part}%", sound, stem, part, sound]
    sql = (f"SELECT %s, s.street, {quality} AS quality FROM grid_place s WHERE s.kind = 'street' "
           f"AND coalesce(s.network_id, 0) = %s AND {found} "
           f"ORDER BY quality DESC, s.weight DESC LIMIT {STREETS_PER_PART}")
    return sql, [part, *values, active_network_id(), *found_values]


# --- by house number -------------------------------------------------------------------------------

def by_house_number(query: str) -> list[Hit]:
    reading = address_reading(query)
    if reading is None:
        return []
    part, number = reading
    streets = streets_named([part]).get(part, {})
    if not streets:
        return []
    rows = list(Place.objects.filter(active_places(), kind=PlaceKind.ADDRESS, street__in=streets, number__isnull=False))
    exact = [Hit(row, "exact" if streets[row.street] == 1.0 else "address", EXACT if streets[row.street] == 1.0
                 else JUNCTION + 10 * streets[row.street]) for row in rows if row.number == number]
    if exact:
        return exact
    if rows:  # the nearest number said, on the same side of the street (odd or even) if there is one
        nearest = min(rows, key=lambda row: ((row.number - number) % 2, abs(row.number - number)))
        return [Hit(nearest, "address", ADDRESS_NEAREST)]
    by_street = Place.objects.filter(active_places(), kind=PlaceKind.STREET, street__in=streets)
    return [Hit(row, "street", ADDRESS_STREET * streets[row.street]) for row in by_street]
