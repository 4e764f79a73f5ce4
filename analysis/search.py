"""Incident search (一键查询): free text over the number, address, description, caller and notes, and
filters (time range, category, priority, status, zone, platform, unit, response class, target met
or missed, an area drawn on the map), newest first, within the login's scope.

Free text is a substring match: Chinese is written without spaces, so word-based full text would
miss "盗窃" inside "自行车被盗窃". Each incident's words (its own, its notes', its further callers')
are kept lower-cased in one column by the database (analysis.IncidentText, migration 0005), with a
trigram index: a selective term is found through the index, a term that matches nearly everything
("110-") on the newest-first walk, which stops at the page; PostgreSQL chooses from the column's own
statistics, and either way each incident costs one plain LIKE on one short string."""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from common.scoping import scoped
from dispatch.models import Assignment, Incident

TEXT_MATCH = "dispatch_incident.id IN (SELECT incident_id FROM analysis_incidenttext WHERE text LIKE lower(%s))"
ARRIVED = "coalesce(dispatch_incident.verified_on_scene_at, dispatch_incident.on_scene_at)"
# Found on patrol (origin on_view) is no response: neither met nor missed (dispatch.selectors).
REACHED = ("dispatch_incident.on_scene_at IS NOT NULL AND dispatch_incident.dispatched_at IS NOT NULL "
           "AND dispatch_incident.origin <> 'on_view'")
WITHIN = (f"round(extract(epoch FROM {ARRIVED} - dispatch_incident.dispatched_at)::numeric, 1) "
          "<= dispatch_incident.target_s")
CLASS_TARGETS = {"key_site": 60, "city_centre": 180, "other": 300}


@dataclass(frozen=True)
class SearchQuery:
    since: datetime
    until: datetime
    text: str = ""
    categories: tuple = ()
    priorities: tuple = ()
    statuses: tuple = ()
    zone: int | None = None
    platform: int | None = None
    unit: int | None = None
    response_class: str = ""
    met: bool | None = None
    area: object = None   # a valid shapely Polygon (lon, lat)


def like_pattern(text: str) -> str:
    """A substring pattern: the user's % and _ are literal."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def incidents_search(*, platform_ids, query: SearchQuery):
    """The incidents that match, newest first, within the scope (`platform_ids`, None: the city)."""
    found = scoped(Incident.objects.all(), platform_ids, "zone__platform_id")
    found = found.filter(received_at__gte=query.since, received_at__lt=query.until)
    found = found.filter(_plain_filters(query))
    if query.text:
        found = found.filter(RawSQL(TEXT_MATCH, [like_pattern(query.text)], output_field=BooleanField()))
    if query.unit is not None:
        found = found.filter(Exists(Assignment.objects.filter(incident=OuterRef("pk"), unit_id=query.unit)))
    if query.met is not None:
        found = found.filter(RawSQL(f"{REACHED} AND {'' if query.met else 'NOT '}({WITHIN})", [],
                                    output_field=BooleanField()))
    if query.area is not None:
        found = _inside(found, query.area)
    return found.select_related("zone", "key_site", "zone__platform").order_by("-received_at", "-id")


def _plain_filters(query: SearchQuery) -> Q:
    q = Q()
    if query.categories:
        q &= Q(category__in=query.categories)
    if query.priorities:
        q &= Q(priority__in=query.priorities)
    if query.statuses:
        q &= Q(status__in=query.statuses)
    if query.zone is not None:
        q &= Q(zone_id=query.zone)
    if query.platform is not None:
        q &= Q(zone__platform_id=query.platform)
    if query.response_class:
        q &= Q(target_s=CLASS_TARGETS[query.response_class])
    return q


def _inside(found, polygon):
    """PostgreSQL's own point-in-polygon (no PostGIS), after the polygon's bounding box."""
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    ring = ",".join(f"({lon:.7f},{lat:.7f})" for lon, lat in polygon.exterior.coords[:-1])
    found = found.filter(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat)
    return found.filter(RawSQL("point(dispatch_incident.lon, dispatch_incident.lat) <@ %s::polygon", [f"({ring})"],
                               output_field=BooleanField()))
