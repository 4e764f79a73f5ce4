"""Writes for incidents and assignments: validate, then mutate under locks, then record the event.

Locks are always taken in one order — incident, then unit, then assignment — so two services
running at once can wait for each other but never deadlock.
"""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch.models import (
    ACTIVE_ASSIGNMENT_STATUSES, ASSIGNMENT_TRANSITIONS, INCIDENT_TRANSITIONS, Assignment, AssignmentStatus, EventKind,
    Incident, IncidentEvent, IncidentStatus,
)
from grid.models import check_point_served
from grid.selectors import locate
from platforms.models import Unit, UnitStatus
from platforms.services import unit_move


class AssignmentConflict(ValidationError):
    """The unit is already taken: another dispatcher or the engine won the race."""


def incident_create(*, actor, category, priority, lon, lat, caller_name="", caller_phone="", description="",
                    address="", idempotency_key=None) -> tuple[Incident, bool]:
    """Take a 110 call. Returns (incident, created); a repeated idempotency key returns the first."""
    if idempotency_key and (existing := Incident.objects.filter(idempotency_key=idempotency_key).first()):
        return existing, False
    lon, lat = check_point_served(lon, lat, field="lon")
    where = locate(lon, lat)
    incident = Incident(
        category=category, priority=priority, lon=lon, lat=lat, caller_name=caller_name, caller_phone=caller_phone,
        description=description, address=address, idempotency_key=idempotency_key or None, created_by=actor,
        zone_id=where.zone_id, key_site_id=where.key_site_id, target_s=where.target_s, number="pending",
    )
    incident.full_clean(exclude=["number"])
    try:
        return _incident_store(incident, actor), True
    except IntegrityError:
        # Two retries of one call raced past the lookup above: the first insert won, use it.
        if idempotency_key and (existing := Incident.objects.filter(idempotency_key=idempotency_key).first()):
            return existing, False
        raise


@transaction.atomic
def _incident_store(incident: Incident, actor) -> Incident:
    incident.number = _next_incident_number()
    incident.save()
    _record(incident, EventKind.CREATED, actor=actor, data={"target_s": incident.target_s})
    return incident


def _next_incident_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('dispatch_incident_number_seq')")
        serial = cursor.fetchone()[0]
    return f"110-{timezone.localdate():%Y%m%d}-{serial:06d}"


def _record(incident: Incident, kind: str, *, actor=None, unit=None, data=None) -> IncidentEvent:
    return IncidentEvent.objects.create(incident=incident, kind=kind, actor=actor, unit=unit, data=data or {})


def _incident_move(incident: Incident, status: str) -> None:
    if incident.status == status:
        return
    INCIDENT_TRANSITIONS.check(incident.status, status)
    incident.status = status
    incident.version += 1
    if status == IncidentStatus.CLOSED:
        incident.closed_at = timezone.now()


@transaction.atomic
def assignment_create(*, actor, incident: Incident, unit: Unit, eta_s: float | None = None) -> Assignment:
    """Send `unit` to `incident`. One wins a race for a unit; the loser gets AssignmentConflict."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    unit = Unit.objects.select_for_update(of=("self",)).select_related("shift").get(pk=unit.pk)
    _check_assignable(incident, unit)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(incident=incident, unit=unit, assigned_by=actor, eta_s=eta_s)
    except IntegrityError:
        raise _conflict(unit) from None
    unit_move(unit, UnitStatus.DISPATCHED)
    unit.save()
    if incident.status in (IncidentStatus.RECEIVED, IncidentStatus.WAITING):  # a backup unit leaves it where it is
        _incident_move(incident, IncidentStatus.DISPATCHED)
        incident.save()
    _record(incident, EventKind.ASSIGNED, actor=actor, unit=unit, data={"assignment": assignment.pk, "eta_s": eta_s})
    return assignment


def _check_assignable(incident: Incident, unit: Unit) -> None:
    if not incident.is_open:
        raise ValidationError({"incident": _("Incident %(number)s is %(status)s: it takes no more units.")
                               % {"number": incident.number, "status": incident.get_status_display()}})
    if not unit.is_on_duty():
        raise ValidationError({"unit": _("Unit %(unit)s is not on an approved shift now.") % {"unit": unit.call_sign}})
    busy = unit.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).exists()
    if busy or unit.status != UnitStatus.AVAILABLE:
        raise _conflict(unit)


def _conflict(unit: Unit) -> AssignmentConflict:
    return AssignmentConflict(
        _("Unit %(unit)s is not available (%(status)s): it was just assigned elsewhere or changed state.")
        % {"unit": unit.call_sign, "status": Unit.objects.get(pk=unit.pk).get_status_display()},
        code="conflict",
    )


# What each assignment step does to the unit and the incident, and the timeline event it writes.
STEP_EFFECTS = {
    AssignmentStatus.ACKNOWLEDGED: (None, None, EventKind.ACKNOWLEDGED, "acknowledged_at"),
    AssignmentStatus.EN_ROUTE: (UnitStatus.EN_ROUTE, None, EventKind.EN_ROUTE, "en_route_at"),
    AssignmentStatus.ON_SCENE: (UnitStatus.ON_SCENE, IncidentStatus.ON_SCENE, EventKind.ON_SCENE, "on_scene_at"),
    AssignmentStatus.CLEARED: (UnitStatus.AVAILABLE, IncidentStatus.CLEARED, EventKind.CLEARED, "ended_at"),
}


@transaction.atomic
def assignment_advance(*, actor, assignment: Assignment, status: str, disposition: str = "") -> Assignment:
    """Move an assignment one step: acknowledged, en route, on scene, cleared (with a disposition)."""
    if status not in STEP_EFFECTS:
        raise ValidationError({"status": _("Choose one of: %(steps)s.") % {"steps": ", ".join(STEP_EFFECTS)}})
    if status == AssignmentStatus.CLEARED and not disposition.strip():
        raise ValidationError({"disposition": _("Say how the incident was resolved before clearing it.")})
    incident = Incident.objects.select_for_update().get(pk=assignment.incident_id)
    unit = Unit.objects.select_for_update().get(pk=assignment.unit_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    ASSIGNMENT_TRANSITIONS.check(assignment.status, status)
    unit_status, incident_status, event, stamp = STEP_EFFECTS[status]
    now = timezone.now()
    _assignment_step(assignment, status, stamp, now)
    if unit_status:
        unit_move(unit, unit_status)
        unit.save()
    _incident_step(incident, incident_status, assignment, disposition)
    details = {"assignment": assignment.pk, **({"disposition": disposition} if disposition else {})}
    _record(incident, event, actor=actor, unit=unit, data=details)
    return assignment


def _assignment_step(assignment: Assignment, status: str, stamp: str, now) -> None:
    assignment.status = status
    setattr(assignment, stamp, now)
    if status == AssignmentStatus.ON_SCENE and assignment.acknowledged_at is None:
        assignment.acknowledged_at = now  # arriving is the strongest acknowledgement
    assignment.version += 1
    assignment.save()


def _incident_step(incident: Incident, status: str | None, assignment: Assignment, disposition: str) -> None:
    if status is None:
        return
    others_active = incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).exclude(pk=assignment.pk).exists()
    if status == IncidentStatus.CLEARED and others_active:
        return  # the incident clears with its last unit
    if status == IncidentStatus.ON_SCENE and incident.status == IncidentStatus.ON_SCENE:
        return
    _incident_move(incident, status)
    if disposition:
        incident.disposition = disposition
    incident.save()
