"""What a band's plan chooses among, per platform: where its truck stands (its allowed stands, or
where it is), the posts a crew may hold (the must-patrol points; outside the peaks only the key
sites' fixed posts), the must-patrol routes a crew may drive (off-peak) and the zones a crew may
walk (community patrol, and wherever crews are left over); and today's placement in the same terms."""
from dataclasses import dataclass

from django.conf import settings

from grid.models import PatrolPoint, PatrolRoute, Zone
from planning.bands import COMMUNITY, POSTS, ROUTES, Band
from planning.models import Stand
from planning.places import on_road, task_stops
from platforms.models import PatrolTask, Platform
from platforms.patrol import key_site_posts

STAND, HERE, POST, ROUTE, ZONE = "stand", "here", "post", "route", "zone"
# How many crews a task may take: a post one, a long route or a zone two (spread along it).
ROOM = {STAND: 1, HERE: 1, POST: 1, ROUTE: 2, ZONE: 2}


@dataclass(frozen=True)
class Candidate:
    id: str
    kind: str
    platform: str
    pk: int | None
    code: str
    name: str
    points: tuple        # road points where its crew is, in turn (one for a stand or a post)
    turnout_s: float     # a parked crew's, or a moving one's on a route
    room: int

    @property
    def crews(self) -> bool:
        """Held by a crew of the platform (a stand is the truck's)."""
        return self.kind not in (STAND, HERE)


def candidates(platforms: list[Platform], band: Band) -> list[Candidate]:
    found = []
    for platform in platforms:
        found += _stands(platform)
    codes = [p.code for p in platforms]
    points = list(PatrolPoint.objects.filter(platform__code__in=codes).select_related("platform").order_by("code"))
    posts = points if band.mode == POSTS else [p for beat in key_site_posts(points) for p in beat]
    found += [_post(p) for p in posts]
    if band.mode == ROUTES:
        found += [_route(r) for r in PatrolRoute.objects.filter(platform__code__in=codes).select_related("platform")
                  .order_by("code")]
    found += [_zone(z) for z in Zone.objects.filter(platform__code__in=codes).select_related("platform").order_by("code")]
    found += _todays_others(codes, band, {c.id for c in found})
    return [c for c in found if c.points]


def _stands(platform: Platform) -> list[Candidate]:
    here = on_road(platform.lon, platform.lat) or (platform.lon, platform.lat)
    rows = [Candidate(f"{HERE}:{platform.code}", HERE, platform.code, platform.pk, platform.code, platform.name,
                      (here,), settings.TURNOUT_PARKED_S, 1)]
    if platform.mobile:
        for stand in Stand.objects.filter(platform=platform, active=True).order_by("code"):
            point = on_road(stand.lon, stand.lat)
            rows.append(Candidate(f"{STAND}:{stand.code}", STAND, platform.code, stand.pk, stand.code, stand.name,
                                  (point,) if point else (), settings.TURNOUT_PARKED_S, 1))
    return rows


def _post(point: PatrolPoint) -> Candidate:
    return Candidate(f"{POST}:{point.code}", POST, point.platform.code, point.pk, point.code, point.name,
                     task_stops(point=(point.lon, point.lat)), settings.TURNOUT_PARKED_S, ROOM[POST])


def _route(route: PatrolRoute) -> Candidate:
    # the stops out and back: a crew passes each waypoint twice a round, the ends once
    return Candidate(f"{ROUTE}:{route.code}", ROUTE, route.platform.code, route.pk, route.code, route.name,
                     task_stops(line=route.line["coordinates"]), settings.TURNOUT_MOVING_S, ROOM[ROUTE])


def _zone(zone: Zone) -> Candidate:
    return Candidate(f"{ZONE}:{zone.code}", ZONE, zone.platform.code, zone.pk, zone.code, zone.name,
                     task_stops(polygon=zone.polygon), settings.TURNOUT_PARKED_S, ROOM[ZONE])


def todays_tasks(codes: list[str], band: Band) -> list[PatrolTask]:
    """The patrol tasks of the approved shifts running at the band's start, in its band."""
    return list(PatrolTask.objects.filter(unit__platform__code__in=codes, unit__shift__approved=True,
                                          band__starts_at__lte=band.starts_at, band__ends_at__gt=band.starts_at)
                .select_related("point__platform", "route__platform", "zone__platform", "unit")
                .order_by("unit_id", "pk"))


def _todays_others(codes: list[str], band: Band, known: set) -> list[Candidate]:
    """Today's tasks the band's own candidates do not already hold (a route held at a peak)."""
    found = {}
    for task in todays_tasks(codes, band):
        candidate = task_candidate(task)
        if candidate.id not in known:
            found.setdefault(candidate.id, candidate)
    return list(found.values())


def task_candidate(task: PatrolTask) -> Candidate:
    if task.point_id:
        return _post(task.point)
    if task.route_id:
        return _route(task.route)
    return _zone(task.zone)


def todays_units(codes: list[str], band: Band) -> dict:
    """{candidate id: crews} of today's placement: each crew's presence split over its tasks (a
    key site's beat of two posts puts half a crew at each); each platform where it is now."""
    tasks, units = todays_tasks(codes, band), {}
    per_unit = {}
    for task in tasks:
        per_unit.setdefault(task.unit_id, []).append(task_candidate(task).id)
    for ids in per_unit.values():
        for ident in ids:
            units[ident] = units.get(ident, 0.0) + 1.0 / len(ids)
    for code in codes:
        units[f"{HERE}:{code}"] = 1.0
    return units


__all__ = ["COMMUNITY", "POSTS", "ROUTES", "Candidate", "candidates", "todays_units"]
