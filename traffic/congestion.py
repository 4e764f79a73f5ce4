"""Congestion on scene: the crew marks the cause and the lanes affected, then "traffic flowing"; the
5-minute clock runs from the first unit's arrival to that moment. Validate, change under the incident's
lock, notify after commit."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.models import Category, EventKind, Incident
from dispatch.services import record
from traffic import events
from traffic.accidents import moment
from traffic.models import CongestionRecord


def _congestion_incident(incident: Incident) -> None:
    if incident.category != Category.TRAFFIC_CONGESTION:
        raise ValidationError(_("Incident %(number)s is not a traffic congestion.") % {"number": incident.number})


@transaction.atomic
def congestion_save(*, actor, incident: Incident, unit, cause: str, lanes_affected: int) -> CongestionRecord:
    """The cause and lanes, made or replaced (a replayed send changes nothing more)."""
    _congestion_incident(incident)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    congestion = CongestionRecord.objects.select_for_update().filter(incident=incident).first()
    now = timezone.now()
    congestion = congestion or CongestionRecord(incident=incident, recorded_by=actor, created_at=now, version=0)
    congestion.cause, congestion.lanes_affected, congestion.unit = cause, lanes_affected, unit
    congestion.updated_at, congestion.version = now, congestion.version + 1
    congestion.full_clean(exclude=["incident"])
    congestion.save()
    events.congestion_changed(congestion)
    return congestion


@transaction.atomic
def congestion_flowing(*, actor, incident: Incident, unit, at=None) -> CongestionRecord:
    """Traffic flows again: the clock stops at `at` (when the officer tapped it; now if not said). Marked
    once: a second mark (a replay) keeps the first."""
    _congestion_incident(incident)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    congestion = CongestionRecord.objects.select_for_update().filter(incident=incident).first()
    if congestion is None:
        raise ValidationError(_("Say the cause and the lanes affected first."))
    if incident.arrived_at is None:
        raise ValidationError(_("No unit is on scene yet: traffic is marked flowing after arriving."))
    if congestion.flowing_at is not None:
        return congestion
    congestion.flowing_at, congestion.unit = moment(at, incident), unit
    congestion.updated_at, congestion.version = timezone.now(), congestion.version + 1
    congestion.save(update_fields=["flowing_at", "unit", "updated_at", "version"])
    seconds = round((congestion.flowing_at - incident.arrived_at).total_seconds())
    record(incident, EventKind.NOTE, actor=actor, unit=unit,
           data={"text": _("Traffic flowing again, %(minutes)d:%(seconds)02d after arrival.")
                 % {"minutes": max(seconds, 0) // 60, "seconds": max(seconds, 0) % 60}, "traffic": "flowing"})
    events.congestion_changed(congestion)
    return congestion
