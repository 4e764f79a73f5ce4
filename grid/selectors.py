"""Reads about space: is a point served, which zone and key site it falls in, its response target.

Shapely geometries are built once per process and rebuilt when the rows change: a cheap
signature query (row counts and latest update) tells whether the cached index is still true.
"""
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max
from shapely import STRtree, box
from shapely.geometry import Point, shape
from shapely.prepared import prep

from grid import geometry
from grid.models import KeySite, ServedArea, Zone

_cache: dict[str, tuple] = {}


@dataclass(frozen=True)
class Location:
    zone_id: int | None
    key_site_id: int | None
    target_s: int


def served_area():
    """The served area as a shapely geometry: the stored outline, else the configured box."""
    row = ServedArea.objects.filter(pk=1).values_list("polygon", "updated_at").first()
    signature = row[1] if row else settings.SERVED_AREA_BBOX
    cached = _cache.get("served")
    if cached and cached[0] == signature:
        return cached[1]
    area = shape(row[0]) if row else box(*settings.SERVED_AREA_BBOX)
    _cache["served"] = (signature, area, prep(area))
    return area


def served_area_contains(lon: float, lat: float) -> bool:
    served_area()
    return _cache["served"][2].covers(Point(lon, lat))


def served_area_covers(geom) -> bool:
    # A metre of tolerance: zones cut from the outline share its edge to floating precision.
    return served_area().buffer(1e-5).covers(geom)


def _zone_index():
    signature = tuple(Zone.objects.aggregate(n=Count("id"), t=Max("updated_at")).values())
    cached = _cache.get("zones")
    if cached and cached[0] == signature:
        return cached[1:]
    zones = list(Zone.objects.values_list("id", "polygon", "response_class"))
    shapes = [shape(polygon) for _, polygon, _ in zones]
    _cache["zones"] = (signature, STRtree(shapes), shapes, zones)
    return _cache["zones"][1:]


def _key_site_index():
    rows = list(KeySite.objects.values_list("id", "lon", "lat", "radius_m", "polygon").order_by("id"))
    signature = tuple(rows)
    cached = _cache.get("key_sites")
    if cached and cached[0] == signature:
        return cached[1:]
    shapes = [shape(polygon) if polygon else geometry.circle(lon, lat, radius) for _, lon, lat, radius, polygon in rows]
    _cache["key_sites"] = (signature, STRtree(shapes) if shapes else None, shapes, rows)
    return _cache["key_sites"][1:]


def zone_at(lon: float, lat: float) -> int | None:
    tree, shapes, zones = _zone_index()
    point = Point(lon, lat)
    hits = sorted(int(i) for i in tree.query(point, predicate="intersects")) if shapes else []
    return zones[hits[0]][0] if hits else None


def key_site_at(lon: float, lat: float) -> int | None:
    tree, shapes, rows = _key_site_index()
    if tree is None:
        return None
    point = Point(lon, lat)
    hits = [int(i) for i in tree.query(point, predicate="intersects")]
    # Two overlapping key sites: the one whose centre is nearest owns the call.
    hits.sort(key=lambda i: geometry.distance_m(lon, lat, rows[i][1], rows[i][2]))
    return rows[hits[0]][0] if hits else None


def locate(lon: float, lat: float) -> Location:
    """Zone, key site and response target (60 / 180 / 300 s) for a served point."""
    zone_id, key_site_id = zone_at(lon, lat), key_site_at(lon, lat)
    if key_site_id is not None:
        target = settings.RESPONSE_TARGET_KEY_SITE_S
    elif zone_id is not None and _zone_class(zone_id) == "city_centre":
        target = settings.RESPONSE_TARGET_CITY_CENTRE_S
    else:
        target = settings.RESPONSE_TARGET_OTHER_S
    return Location(zone_id=zone_id, key_site_id=key_site_id, target_s=target)


def _zone_class(zone_id: int) -> str:
    _, _, zones = _zone_index()
    return next(response_class for pk, _, response_class in zones if pk == zone_id)
