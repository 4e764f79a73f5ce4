"""Writes for resources: platform moves and unit status, through the transition table."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.models import check_point_served
from platforms import events
from platforms.models import UNIT_TRANSITIONS, Platform, PlatformMove, Unit, UnitStatus

# Statuses a person may set by hand; the others follow from assignments (dispatch owns them).
MANUAL_UNIT_STATUSES = (UnitStatus.AVAILABLE, UnitStatus.UNAVAILABLE, UnitStatus.OFF_DUTY)


def unit_move(unit: Unit, status: str) -> None:
    """Change a unit's status in memory, through the transition table; the caller saves."""
    if unit.status == status:
        return
    UNIT_TRANSITIONS.check(unit.status, status)
    unit.status = status
    unit.status_changed_at = timezone.now()
    unit.version += 1


@transaction.atomic
def unit_set_status(*, unit: Unit, status: str, actor) -> Unit:
    if status not in MANUAL_UNIT_STATUSES:
        raise ValidationError({"status": _("'%(status)s' follows from assignments and cannot be set by hand.") % {"status": status}})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.assignments.filter(status__in=("assigned", "acknowledged", "en_route", "on_scene")).exists():
        raise ValidationError({"status": _("Unit %(unit)s holds an active assignment: clear it first.") % {"unit": unit.call_sign}})
    version = unit.version
    unit_move(unit, status)
    unit.save()
    if unit.version != version:  # the consoles and the tablet hear of it after commit
        events.unit_status_changed(unit)
    return unit


@transaction.atomic
def platform_move(*, platform: Platform, lon, lat, reason: str, actor) -> PlatformMove:
    """Relocate a mobile platform and keep the record of where from, where to and why."""
    lon, lat = check_point_served(lon, lat, field="lon")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the move.")})
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    if not platform.mobile:
        raise ValidationError({"platform": _("%(platform)s is a fixed post and does not move.") % {"platform": platform.name}})
    move = PlatformMove.objects.create(platform=platform, from_lon=platform.lon, from_lat=platform.lat,
                                       to_lon=lon, to_lat=lat, reason=reason.strip(), moved_by=actor)
    platform.lon, platform.lat, platform.moved_at = lon, lat, move.moved_at
    platform.save(update_fields=["lon", "lat", "moved_at"])
    return move
