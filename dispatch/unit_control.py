"""The dispatcher's hand on units already sent: replace one on a job by another (改派: the first is
released with the reason) or take one back from a job (recall). Adding a unit as backup is a plain
assignment (dispatch.services.assignment_create)."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dispatch import events
from dispatch.models import (
    ACTIVE_ASSIGNMENT_STATUSES, Assignment, AssignmentStatus, EventKind, Incident, IncidentStatus,
)
from dispatch.services import (
    assignment_create, assignment_end, incident_move, queue_dispatch, queue_waiting_retry, record,
)
from platforms.models import Unit

RELEASABLE = (AssignmentStatus.ASSIGNED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.EN_ROUTE)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    return reason


def _releasable(assignment: Assignment) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in RELEASABLE:
        raise ValidationError(_("%(unit)s is %(status)s on this job: it can no longer be released.")
                              % {"unit": assignment.unit.call_sign, "status": assignment.get_status_display()},
                              code="invalid_transition")
    return assignment


@transaction.atomic
def assignment_reassign(*, actor, assignment: Assignment, unit: Unit, reason: str) -> Assignment:
    """Release the unit on the job and send `unit` instead, in one step: if the new unit is taken the
    first stays where it is."""
    reason = _reason(reason)
    if unit.pk == assignment.unit_id:
        raise ValidationError({"unit": _("Choose another unit than the one on the job.")})
    incident = Incident.objects.select_for_update().get(pk=assignment.incident_id)
    # Both units locked in one order (by id): two reassignments swapping units cannot deadlock.
    list(Unit.objects.select_for_update().filter(pk__in=[assignment.unit_id, unit.pk]).order_by("pk"))
    released = _releasable(assignment)
    assignment_end(released, AssignmentStatus.CANCELLED)
    record(incident, EventKind.REASSIGNED, actor=actor, unit=released.unit,
           data={"assignment": released.pk, "reason": reason, "to_unit": unit.pk})
    return assignment_create(actor=actor, incident=incident, unit=unit)


@transaction.atomic
def assignment_recall(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """Take the unit back from the job (available again); the incident goes back to the engine if it
    is left without the units it needs."""
    reason = _reason(reason)
    incident = Incident.objects.select_for_update().get(pk=assignment.incident_id)
    released = assignment_end(_releasable(assignment), AssignmentStatus.CANCELLED)
    record(incident, EventKind.RECALLED, actor=actor, unit=released.unit, data={"assignment": released.pk, "reason": reason})
    if not incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).exists():
        _back_to_waiting(incident)
        queue_dispatch(incident.pk, reason="recalled")
    queue_waiting_retry()
    return released


def _back_to_waiting(incident: Incident) -> None:
    if incident.status == IncidentStatus.DISPATCHED:
        incident_move(incident, IncidentStatus.WAITING)
        incident.save()
        events.incident_changed(incident)
