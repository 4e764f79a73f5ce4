"""Traffic control points (交通管制点): placed by a supervisor (their platform's) or the command centre,
with a time window and the crews posted there like a post; and the road segments they close, drawn as
two points along a road (grid.stretches). While a closure is active the travel service routes around it
(grid/closures.py reads `closed_now` through settings.TRAVEL_CLOSURES). Validate, write, notify."""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grid import closures
from grid.models import check_point_served
from grid.selectors import active_road_network
from grid.stretches import stretch
from platforms.models import Unit
from traffic import events
from traffic.models import ControlPoint, RoadClosure

LONGEST = timedelta(days=14)   # a window longer than this is a typing slip (a permanent change is the map's)
AHEAD_S = 120                  # closures starting this soon get their routing copy built now


def _window(starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The end must be after the start.")]})
    if ends_at - starts_at > LONGEST:
        raise ValidationError({"ends_at": [_("At most 14 days at once.")]})
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": [_("That window is over already.")]})


def _crews(units, platform) -> list[Unit]:
    units = list(units or [])
    foreign = [u.call_sign for u in units if u.platform_id != platform.pk]
    if foreign:
        raise ValidationError({"units": [_("Post only your platform's crews here (not %(units)s).")
                                         % {"units": ", ".join(foreign)}]})
    return units


@transaction.atomic
def control_point_place(*, actor, platform, name: str, reason: str, lon, lat, starts_at, ends_at, units=(),
                        notes: str = "") -> ControlPoint:
    _window(starts_at, ends_at)
    lon, lat = check_point_served(lon, lat, field="lon")
    crews = _crews(units, platform)
    point = ControlPoint(platform=platform, name=(name or "").strip(), reason=reason, lon=lon, lat=lat,
                         starts_at=starts_at, ends_at=ends_at, notes=(notes or "").strip(), created_by=actor)
    point.full_clean()
    point.save()
    point.units.set(crews)
    events.control_changed(point)
    return point


@transaction.atomic
def control_point_change(*, actor, point: ControlPoint, **changes) -> ControlPoint:
    """Its name, window, place, crews or notes; its closures keep their own windows."""
    point = ControlPoint.objects.select_for_update().get(pk=point.pk)
    if point.cancelled_at is not None:
        raise ValidationError(_("This control point was cancelled."), code="conflict")
    crews = changes.pop("units", None)
    for name, value in changes.items():
        setattr(point, name, value)
    _window(point.starts_at, point.ends_at)
    point.lon, point.lat = check_point_served(point.lon, point.lat, field="lon")
    point.version += 1
    point.full_clean()
    point.save()
    if crews is not None:
        point.units.set(_crews(crews, point.platform))
    events.control_changed(point)
    return point


@transaction.atomic
def control_point_cancel(*, actor, point: ControlPoint) -> ControlPoint:
    """Ends the point and its closures now: the roads open again within seconds."""
    point = ControlPoint.objects.select_for_update().get(pk=point.pk)
    if point.cancelled_at is None:
        now = timezone.now()
        point.cancelled_at, point.version = now, point.version + 1
        point.save(update_fields=["cancelled_at", "version"])
        point.closures.filter(cancelled_at__isnull=True).update(cancelled_at=now)
    events.control_changed(point)
    return point


@transaction.atomic
def closure_add(*, actor, point: ControlPoint, origin, target, starts_at=None, ends_at=None) -> RoadClosure:
    """The road from `origin` to `target` closed (both ways) from `starts_at` to `ends_at` (the point's
    window when not given)."""
    starts_at, ends_at = starts_at or point.starts_at, ends_at or point.ends_at
    _window(starts_at, ends_at)
    network = active_road_network()
    if network is None:
        raise ValidationError(_("No road network is loaded: a closure needs one."))
    point = ControlPoint.objects.select_for_update().get(pk=point.pk)
    if point.cancelled_at is not None:
        raise ValidationError(_("This control point was cancelled."), code="conflict")
    found = stretch(origin, target)
    closure = RoadClosure(control_point=point, network=network, starts_at=starts_at, ends_at=ends_at,
                          segments=[list(pair) for pair in found.segments],
                          line={"type": "LineString", "coordinates": found.line}, length_m=found.length_m,
                          road_name=found.road_name[:200], created_by=actor)
    closure.full_clean()
    closure.save()
    point.version += 1
    point.save(update_fields=["version"])
    events.control_changed(point)
    return closure


@transaction.atomic
def closure_cancel(*, actor, closure: RoadClosure) -> RoadClosure:
    closure = RoadClosure.objects.select_for_update().get(pk=closure.pk)
    if closure.cancelled_at is None:
        closure.cancelled_at = timezone.now()
        closure.save(update_fields=["cancelled_at"])
        point = closure.control_point
        point.version += 1
        point.save(update_fields=["version"])
        events.control_changed(point)
    return closure


# --- what grid routes around -------------------------------------------------------------------

def closed_now(network, at=None) -> list[tuple[list, list]]:
    """[(segments, line coordinates)] of the closures of `network` active at `at` (settings.TRAVEL_CLOSURES)."""
    at = at or timezone.now()
    rows = RoadClosure.objects.filter(network=network, cancelled_at__isnull=True, control_point__cancelled_at__isnull=True,
                                      starts_at__lte=at, ends_at__gt=at).order_by("pk")
    return [(row.segments, row.line["coordinates"]) for row in rows]


def closures_prepare() -> int:
    """Build the routing copy for the closures active now and those starting within AHEAD_S (beat task):
    the first route after a closure starts then finds it ready."""
    network = active_road_network()
    if network is None:
        return 0
    now = timezone.now()
    built = 0
    for at in (now, now + timedelta(seconds=AHEAD_S)):
        closed = closures.closed_set(closed_now(network, at))
        if closed is not None:
            closures.prepare(network, closed)
            built += 1
    return built
