"""Reads about space: is a point served, which zone and key site it falls in, its response target.

The served area, zones and key sites live in one in-process index (shapely STRtree), so `locate`
answers in microseconds. A process revalidates its index at most once per RECHECK_S with one
signature query (counts and latest updates); an edit is therefore seen everywhere within a second.
"""
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from shapely import STRtree, box
from shapely.geometry import Point, shape
from shapely.prepared import prep

from common.names import local_name
from grid import geometry
from grid.models import KeySite, ResponseClass, RoadNetwork, ServedArea, Zone

RECHECK_S = 1.0


@dataclass(frozen=True)
class Location:
    zone_id: int | None
    key_site_id: int | None
    target_s: int


class SpatialIndex:
    def __init__(self, served, zones: list[tuple], key_sites: list[tuple]):
        self.served, self.served_prepared = served, prep(served)
        self.zone_ids = [pk for pk, _, _ in zones]
        self.zone_class = {pk: response_class for pk, _, response_class in zones}
        self.zone_tree = STRtree([shape(polygon) for _, polygon, _ in zones])
        self.sites = key_sites
        self.site_tree = STRtree([shape(polygon) if polygon else geometry.circle(lon, lat, radius)
                                  for _, lon, lat, radius, polygon in key_sites])

    def zone_at(self, point: Point) -> int | None:
        hits = sorted(int(i) for i in self.zone_tree.query(point, predicate="intersects"))
        return self.zone_ids[hits[0]] if hits else None

    def key_site_at(self, point: Point) -> int | None:
        hits = [int(i) for i in self.site_tree.query(point, predicate="intersects")]
        # Overlapping key sites: the one whose centre is nearest owns the call.
        hits.sort(key=lambda i: geometry.distance_m(point.x, point.y, self.sites[i][1], self.sites[i][2]))
        return self.sites[hits[0]][0] if hits else None


_cache = {"checked_at": -1e9, "signature": None, "index": None}


def _signature() -> tuple:
    zones = Zone.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    sites = KeySite.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    served = ServedArea.objects.filter(pk=1).values_list("updated_at", flat=True).first()
    return zones["n"], zones["t"], sites["n"], sites["t"], served, settings.SERVED_AREA_BBOX


def spatial_index() -> SpatialIndex:
    if time.monotonic() - _cache["checked_at"] > RECHECK_S:
        signature = _signature()
        if signature != _cache["signature"]:
            _cache["index"], _cache["signature"] = _build_index(), signature
        _cache["checked_at"] = time.monotonic()
    return _cache["index"]


def forget_spatial_index() -> None:
    """Rebuild on the next read: for writers that need their own change seen at once (and tests)."""
    _cache.update(checked_at=-1e9, signature=None, index=None)


def _build_index() -> SpatialIndex:
    outline = ServedArea.objects.filter(pk=1).values_list("polygon", flat=True).first()
    served = shape(outline) if outline else box(*settings.SERVED_AREA_BBOX)
    zones = list(Zone.objects.values_list("id", "polygon", "response_class").order_by("id"))
    sites = list(KeySite.objects.values_list("id", "lon", "lat", "radius_m", "polygon").order_by("id"))
    return SpatialIndex(served, zones, sites)


def served_area():
    """The served area as a shapely geometry: the stored outline, else the configured box."""
    return spatial_index().served


def served_area_contains(lon: float, lat: float) -> bool:
    return spatial_index().served_prepared.covers(Point(lon, lat))


def served_area_covers(geom) -> bool:
    # A metre of tolerance: zones cut from the outline share its edge to floating precision.
    return served_area().buffer(1e-5).covers(geom)


def zone_at(lon: float, lat: float) -> int | None:
    return spatial_index().zone_at(Point(lon, lat))


def key_site_at(lon: float, lat: float) -> int | None:
    return spatial_index().key_site_at(Point(lon, lat))


def locate(lon: float, lat: float) -> Location:
    """Zone, key site and response target (60 / 180 / 300 s) for a served point."""
    index, point = spatial_index(), Point(lon, lat)
    zone_id, key_site_id = index.zone_at(point), index.key_site_at(point)
    if key_site_id is not None:
        target = settings.RESPONSE_TARGET_KEY_SITE_S
    elif zone_id is not None and index.zone_class[zone_id] == "city_centre":
        target = settings.RESPONSE_TARGET_CITY_CENTRE_S
    else:
        target = settings.RESPONSE_TARGET_OTHER_S
    return Location(zone_id=zone_id, key_site_id=key_site_id, target_s=target)


def active_road_network() -> RoadNetwork | None:
    """The road network travel times are computed on, or None when none is loaded."""
    return RoadNetwork.objects.filter(active=True).first()


def point_preview(lon: float, lat: float) -> dict:
    """Where a served point falls, named for the call-taking form: zone, key site, response target."""
    where = locate(lon, lat)
    zone = Zone.objects.filter(pk=where.zone_id).first() if where.zone_id else None
    site = KeySite.objects.filter(pk=where.key_site_id).first() if where.key_site_id else None
    if site:
        label = _("Key site: %(seconds)d s target") % {"seconds": where.target_s}
    elif zone and zone.response_class == ResponseClass.CITY_CENTRE:
        label = _("City centre: %(seconds)d s target") % {"seconds": where.target_s}
    else:
        label = _("Other areas: %(seconds)d s target") % {"seconds": where.target_s}
    return {
        "lon": lon, "lat": lat, "target_s": where.target_s, "target_label": label,
        "zone": zone and {"id": zone.pk, "code": zone.code, "name": local_name(zone), "response_class": zone.response_class,
                          "response_class_label": zone.get_response_class_display()},
        "key_site": site and {"id": site.pk, "code": site.code, "name": local_name(site), "kind": site.kind,
                              "kind_label": site.get_kind_display()},
    }
