"""On-view incidents (路面见警情): an officer on patrol finds something and reports it from the tablet.

It is an incident like a 110 call (numbered, located, judged), created through `incident_create`, but
it arrives with its unit: the reporting crew is assigned and on scene in the same transaction, and the
engine is left out, since it would rank the city for a unit that is already there. Only when the
category needs more units than one (a P1 criminal incident wants two) is the engine asked, for the
backup alone. A retried report (the tablet's queue replaying after a lost answer) finds the first by
its idempotency key and changes nothing.
"""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dispatch.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, AssignmentStatus, Incident, IncidentPhoto, Origin
from dispatch.photos import photo_attach, photo_check
from dispatch.services import assignment_advance, assignment_create, incident_create, queue_dispatch
from platforms.models import Unit, UnitStatus
from platforms.services import unit_set_status


@dataclass(frozen=True)
class OnViewReport:
    incident: Incident
    assignment: Assignment
    photos: list[IncidentPhoto]
    created: bool


@transaction.atomic
def on_view_report(*, actor, unit: Unit, category: str, priority: int, lon, lat, description: str = "",
                   address: str = "", photo=None, idempotency_key: str | None = None) -> OnViewReport:
    """The crew's own incident: created, assigned to `unit` and on scene at once; `photo` (an uploaded
    file, optional) attached."""
    if idempotency_key and (first := Incident.objects.filter(idempotency_key=idempotency_key).first()):
        return _reported(first, unit, created=False)
    if photo is not None:
        photo_check(photo)  # before anything is written
    unit = Unit.objects.select_related("shift").get(pk=unit.pk)  # as it is now, not as the caller read it
    _check_reporter(unit)
    if unit.status == UnitStatus.UNAVAILABLE:  # a crew on a break that finds something is back at work
        unit_set_status(unit=unit, status=UnitStatus.AVAILABLE, actor=actor)
    incident, _created = incident_create(actor=actor, category=category, priority=priority, lon=lon, lat=lat,
                                         description=description, address=address, idempotency_key=idempotency_key,
                                         origin=Origin.ON_VIEW, engine=False)
    assignment = assignment_create(actor=actor, incident=incident, unit=unit)
    assignment_advance(actor=actor, assignment=assignment, status=AssignmentStatus.ON_SCENE)
    if incident.units_needed > 1:
        queue_dispatch(incident.pk, reason="backup")
    if photo is not None:
        photo_attach(actor=actor, incident=incident, upload=photo, unit=unit)
    return _reported(incident, unit, created=True)


def _check_reporter(unit: Unit) -> None:
    if not unit.is_on_duty():
        raise ValidationError({"unit": _("Unit %(unit)s is not on an approved shift now.") % {"unit": unit.call_sign}})
    busy = unit.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).select_related("incident").first()
    if busy is not None:
        raise ValidationError(_("Your unit is on incident %(number)s: clear it before reporting another.")
                              % {"number": busy.incident.number}, code="conflict")
    if unit.status not in (UnitStatus.AVAILABLE, UnitStatus.UNAVAILABLE):
        raise ValidationError(_("Unit %(unit)s is %(status)s: it cannot take an incident now.")
                              % {"unit": unit.call_sign, "status": unit.get_status_display()}, code="conflict")


def _reported(incident: Incident, unit: Unit, *, created: bool) -> OnViewReport:
    assignment = incident.assignments.filter(unit=unit).order_by("assigned_at").first()
    if assignment is None or incident.origin != Origin.ON_VIEW:
        raise ValidationError({"idempotency_key": _("This key was used for another incident.")})
    incident.refresh_from_db()
    assignment.refresh_from_db()
    return OnViewReport(incident, assignment, list(incident.photos.all()), created)
