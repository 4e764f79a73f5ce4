"""Callers: several calls about one event (重复报警) join one incident instead of sending one unit each,
and a caller's full phone number is read only by whoever must dial it, each reading recorded."""
import math
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.roles import COMMAND_CENTRE, Access, Role
from dispatch import events
from dispatch.models import (
    OPEN_INCIDENT_STATUSES, CategoryPolicy, EventKind, Incident, IncidentCaller, IncidentStatus, PhoneReveal,
)
from dispatch.services import record
from grid.geometry import distance_m

DEFAULT_RADIUS_M, DEFAULT_WINDOW_MIN = 300, 30
# Calls still taken as duplicates of an incident whose units just cleared: the crowd often rings late.
DUPLICATE_STATUSES = (*OPEN_INCIDENT_STATUSES, IncidentStatus.CLEARED)


def duplicate_rule(category: str) -> tuple[int, int, list[str]]:
    """(radius in m, window in minutes, categories counted as the same event) for a new call's category."""
    policy = CategoryPolicy.objects.filter(category=category).first()
    if policy is None:
        return DEFAULT_RADIUS_M, DEFAULT_WINDOW_MIN, [category]
    return policy.duplicate_radius_m, policy.duplicate_window_min, sorted({category, *policy.duplicate_categories})


def probable_duplicates(*, lon: float, lat: float, category: str, now=None) -> list[tuple[Incident, float]]:
    """Incidents not yet closed, of a compatible category, near enough and recent enough: nearest first."""
    radius, window, categories = duplicate_rule(category)
    now = now or timezone.now()
    dlat = radius / 111_320
    dlon = radius / (111_320 * math.cos(math.radians(lat)))
    nearby = Incident.objects.filter(status__in=DUPLICATE_STATUSES, category__in=categories,
                                     received_at__gte=now - timedelta(minutes=window),
                                     lon__range=(lon - dlon, lon + dlon), lat__range=(lat - dlat, lat + dlat))
    found = [(incident, distance_m(lon, lat, incident.lon, incident.lat)) for incident in nearby.select_related("zone")]
    return sorted(((i, d) for i, d in found if d <= radius), key=lambda pair: (pair[1], -pair[0].pk))[:5]


@transaction.atomic
def caller_attach(*, actor, incident: Incident, name: str = "", phone: str = "", notes: str = "") -> IncidentCaller:
    """Another caller about an incident already taken: their details and notes join its timeline and
    no unit is sent for them."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status not in DUPLICATE_STATUSES:
        raise ValidationError(_("Incident %(number)s is %(status)s: take the call as a new incident instead.")
                              % {"number": incident.number, "status": incident.get_status_display()}, code="conflict")
    caller = IncidentCaller(incident=incident, name=name.strip(), phone=phone.strip(), notes=notes.strip(), taken_by=actor)
    caller.full_clean()
    caller.save()
    record(incident, EventKind.CALLER_ADDED, actor=actor, data={"caller": caller.pk, **({"notes": caller.notes} if caller.notes else {})})
    incident.version += 1
    incident.save(update_fields=["version"])
    events.incident_changed(incident)
    return caller


def may_reveal(access: Access, incident: Incident) -> bool:
    """The command centre, and the officers of a unit sent to the incident (they may have to ring the
    caller back); supervisors and clerks read the number masked only."""
    if access.role in COMMAND_CENTRE:
        return True
    return access.role == Role.OFFICER and access.officer is not None and \
        incident.assignments.filter(unit__officers=access.officer).exists()


def sees_full_phone(user, incident: Incident) -> bool:
    """The dispatcher who took the call reads the number as typed; everyone else reveals it."""
    return incident.created_by_id is not None and incident.created_by_id == user.pk


@transaction.atomic
def phone_reveal(*, user, incident: Incident, caller: IncidentCaller | None = None) -> str:
    """The full number, once the reading is recorded (who, when, which incident and caller)."""
    if not may_reveal(Access(user), incident):
        raise PermissionDenied(_("Your role may not read a caller's full phone number."))
    if caller is not None and caller.incident_id != incident.pk:
        raise ValidationError({"caller": _("That caller belongs to another incident.")})
    phone = caller.phone if caller is not None else incident.caller_phone
    if not phone:
        raise ValidationError(_("No phone number was given for this caller."))
    PhoneReveal.objects.create(incident=incident, caller=caller, user=user)
    return phone
