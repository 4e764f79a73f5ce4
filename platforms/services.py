"""Writes for resources: platform moves and unit status, through the transition table."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.models import check_point_served
from platforms import events
from platforms.models import UNIT_TRANSITIONS, Platform, PlatformMove, Unit, UnitStatus

# Statuses a person may set by hand; the others follow from assignments (dispatch owns them). A crew
# sets its own unit only available or unavailable (a meal break, a flat tyre): signing a unit off
# duty is the command centre's.
MANUAL_UNIT_STATUSES = (UnitStatus.AVAILABLE, UnitStatus.UNAVAILABLE, UnitStatus.OFF_DUTY)
CREW_UNIT_STATUSES = (UnitStatus.AVAILABLE, UnitStatus.UNAVAILABLE)
REASON_MAX = 200


def unit_move(unit: Unit, status: str) -> None:
    """Change a unit's status in memory, through the transition table; the caller saves. A reason
    belongs to the status it was given with, so a move leaves none."""
    if unit.status == status:
        return
    UNIT_TRANSITIONS.check(unit.status, status)
    unit.status = status
    unit.status_reason = ""
    unit.status_changed_at = timezone.now()
    unit.version += 1


@transaction.atomic
def unit_set_status(*, unit: Unit, status: str, actor, reason: str = "", by_crew: bool = False) -> Unit:
    """Set a unit available, unavailable (with the reason, shown on the console) or off duty by hand.
    `by_crew`: its own officer from the tablet, who may set only available or unavailable."""
    reason = _status_reason(status, reason, by_crew)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.assignments.filter(status__in=("assigned", "acknowledged", "en_route", "on_scene")).exists():
        raise ValidationError({"status": _("Unit %(unit)s holds an active assignment: clear it first.") % {"unit": unit.call_sign}})
    version = unit.version
    unit_move(unit, status)
    if unit.status_reason != reason:  # a new reason for the same status is news too
        unit.status_reason = reason
        unit.version = version + 1
    unit.save()
    if unit.version != version:  # the consoles and the tablet hear of it after commit
        events.unit_status_changed(unit)
    return unit


def _status_reason(status: str, reason: str, by_crew: bool) -> str:
    if status not in MANUAL_UNIT_STATUSES:
        raise ValidationError({"status": _("'%(status)s' follows from assignments and cannot be set by hand.") % {"status": status}})
    if by_crew and status not in CREW_UNIT_STATUSES:
        raise ValidationError({"status": _("Only the command centre signs a unit off duty.")})
    reason = " ".join((reason or "").split())
    if status != UnitStatus.UNAVAILABLE:
        return ""
    if not reason:
        raise ValidationError({"reason": _("Say why the unit is unavailable (a meal break, a vehicle fault...).")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason to %(limit)d characters.") % {"limit": REASON_MAX}})
    return reason


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
