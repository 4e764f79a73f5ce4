"""Closing out (结警): close a handled incident with its disposition and result, cancel a call that
needs no unit (撤销) with its reason, and reopen either when it turns out it was not over. Each is a
step on the timeline with who and when; the consoles hear of it after commit."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dispatch import events
from dispatch.models import (
    ACTIVE_ASSIGNMENT_STATUSES, INCIDENT_TRANSITIONS, AssignmentStatus, CancelReason, Disposition, EventKind,
    Incident, IncidentStatus,
)
from dispatch.services import assignment_end, incident_move, queue_dispatch, queue_waiting_retry, record

REOPENABLE = (IncidentStatus.CLEARED, IncidentStatus.CLOSED, IncidentStatus.CANCELLED)


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


@transaction.atomic
def incident_close(*, actor, incident: Incident, disposition: str, result: str) -> Incident:
    """The dispatcher closes a cleared incident: its disposition and result are recorded and its
    response figures are final from here on."""
    result = (result or "").strip()
    if disposition not in Disposition.values:
        raise ValidationError({"disposition": _("Choose how the incident ended.")})
    if not result:
        raise ValidationError({"result": _("Write the result of the handling before closing.")})
    incident = _locked(incident)
    if incident.status != IncidentStatus.CLEARED:
        raise ValidationError(_("Incident %(number)s is %(status)s: only a cleared incident can be closed.")
                              % {"number": incident.number, "status": incident.get_status_display()},
                              code="invalid_transition")
    incident_move(incident, IncidentStatus.CLOSED)
    incident.closing, incident.result = disposition, result
    incident.save()
    record(incident, EventKind.CLOSED, actor=actor, data={"disposition": disposition, "result": result})
    events.incident_changed(incident)
    return incident


@transaction.atomic
def incident_cancel(*, actor, incident: Incident, reason: str, note: str = "") -> Incident:
    """A call that needs no unit after all (a duplicate, a false alarm, withdrawn, handled by phone):
    its units are released."""
    if reason not in CancelReason.values:
        raise ValidationError({"reason": _("Choose why the incident is cancelled.")})
    incident = _locked(incident)
    INCIDENT_TRANSITIONS.check(incident.status, IncidentStatus.CANCELLED)
    for assignment in incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES):
        assignment_end(assignment, AssignmentStatus.CANCELLED)
    incident_move(incident, IncidentStatus.CANCELLED)
    incident.cancel_reason = reason
    incident.save()
    record(incident, EventKind.CANCELLED, actor=actor, data={"reason": reason, **({"note": note.strip()} if note.strip() else {})})
    events.incident_changed(incident)
    queue_waiting_retry()
    return incident


@transaction.atomic
def incident_reopen(*, actor, incident: Incident, reason: str) -> Incident:
    """Back in the queue for a unit (the caller rang again, the trouble came back): the closing or
    cancelling stays on the timeline, the incident waits for the engine again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the incident.")})
    incident = _locked(incident)
    if incident.status not in REOPENABLE:
        raise ValidationError(_("Incident %(number)s is still open.") % {"number": incident.number},
                              code="invalid_transition")
    was = incident.status
    incident_move(incident, IncidentStatus.WAITING)
    incident.closed_at, incident.closing, incident.cancel_reason = None, "", ""
    incident.save()
    record(incident, EventKind.REOPENED, actor=actor, data={"reason": reason, "was": was})
    events.incident_changed(incident)
    queue_dispatch(incident.pk, reason="reopened")
    return incident
