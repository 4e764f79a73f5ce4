"""What the console and the tablets hear about incidents, assignments, recommendations and alerts.

Payloads are full objects with their version, minus the caller's name and phone: district and
platform consoles are watched by supervisors, who may not see them (they load details over REST).

An incident's news reaches the consoles of its zone's platform and of every platform that has (or
had) a unit on it: a supervisor follows their units to a job across the boundary.
"""
from common.phones import mask_phone
from dispatch.models import ACTIVE_ASSIGNMENT_STATUSES, Alert, Assignment, Incident, IncidentEvent, Recommendation
from grid.models import Zone
from platforms.events import CITY, Lookup, platform_groups, publish, unit_group, unit_platform

INCIDENT_FIELDS = ("number", "category", "priority", "status", "at_risk", "lon", "lat", "address", "zone_id",
                   "key_site_id", "target_s", "units_needed", "disposition", "origin", "related_to_id", "closing",
                   "cancel_reason", "version")


zone_platform = Lookup(lambda pk: Zone.objects.filter(pk=pk).values_list("platform_id", flat=True).first())


def incident_platforms(incident: Incident) -> list[int]:
    """The zone's platform (cached), then the platforms of the units ever assigned to it: one small
    query, not cached, since a unit assigned a moment ago in another process must count. None is
    asked while the incident was never dispatched (every assignment stamps `dispatched_at`): a new
    call's first ranking publishes three times, on the dispatch hot path."""
    ever_dispatched = incident.pk and incident.dispatched_at is not None
    assigned = (Assignment.objects.filter(incident_id=incident.pk).order_by("unit__platform_id")
                .values_list("unit__platform_id", flat=True).distinct()) if ever_dispatched else []
    return [zone_platform(incident.zone_id), *assigned]


def incident_groups(incident: Incident) -> list[str]:
    return platform_groups(incident_platforms(incident))


def _stamps(row, names) -> dict:
    return {name: value.isoformat() if (value := getattr(row, name)) else None for name in names}


def incident_payload(incident: Incident) -> dict:
    """The incident as every console may see it: the caller's phone masked, the name left out."""
    return {"id": incident.pk, **{name: getattr(incident, name) for name in INCIDENT_FIELDS},
            "caller_phone_masked": mask_phone(incident.caller_phone),
            **_stamps(incident, ("received_at", "dispatched_at", "on_scene_at", "verified_on_scene_at", "closed_at"))}



def incident_changed(incident: Incident, *, created: bool = False) -> None:
    name = "incident.created" if created else "incident.updated"
    publish(name, incident_payload(incident), incident_groups(incident))


def assignment_payload(assignment: Assignment) -> dict:
    return {"id": assignment.pk, "incident": assignment.incident_id, "unit": assignment.unit_id,
            "status": assignment.status, "eta_s": assignment.eta_s, "version": assignment.version,
            "preempted_from": assignment.preempted_from_id,
            **_stamps(assignment, ("assigned_at", "ack_due_at", "acknowledged_at", "en_route_at", "on_scene_at", "ended_at"))}


def assignment_changed(assignment: Assignment, *, created: bool = False) -> None:
    """The unit's own group gets it too: that is how the tablet learns of a new order at once."""
    name = "assignment.created" if created else "assignment.updated"
    groups = [*incident_groups(assignment.incident), unit_group(assignment.unit_id)]
    publish(name, assignment_payload(assignment), groups)


def recommendation_published(recommendation: Recommendation) -> None:
    data = {"id": recommendation.pk, "incident": recommendation.incident_id, "options": recommendation.options,
            "proposed": recommendation.proposed, "at_risk": recommendation.at_risk, "auto": recommendation.auto,
            "created_at": recommendation.created_at.isoformat(),
            "accepted_at": recommendation.accepted_at.isoformat() if recommendation.accepted_at else None}
    publish("incident.recommended", data, incident_groups(recommendation.incident))


def timeline_row(event: IncidentEvent) -> dict:
    return {"id": event.pk, "incident": event.incident_id, "kind": event.kind, "at": event.at.isoformat(),
            "actor": event.actor.get_username() if event.actor_id else None, "unit": event.unit_id, "data": event.data}


def incident_noted(incident: Incident, note: IncidentEvent) -> None:
    """A note reaches the consoles that follow the incident and the tablets of the units on it."""
    crews = [unit_group(pk) for pk in incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)
             .values_list("unit_id", flat=True)]
    publish("incident.noted", timeline_row(note), [*incident_groups(incident), *crews])


def alert_raised(alert: Alert) -> None:
    data = {"id": alert.pk, "kind": alert.kind, "incident": alert.incident_id, "unit": alert.unit_id,
            "message": alert.message, "created_at": alert.created_at.isoformat()}
    publish("alert.raised", data, alert_groups(alert))


def alert_closed(alert: Alert) -> None:
    data = {"id": alert.pk, "kind": alert.kind, "incident": alert.incident_id, "unit": alert.unit_id,
            "closed_at": alert.closed_at.isoformat(), "closed_by": alert.closed_by_id}
    publish("alert.closed", data, alert_groups(alert))


def alert_groups(alert: Alert) -> list[str]:
    """An alert about an incident goes where the incident goes, one about a unit alone to the unit's
    platform's consoles, any other to the command centre only."""
    if alert.incident_id:
        return incident_groups(alert.incident)
    return platform_groups([unit_platform(alert.unit_id)]) if alert.unit_id else [CITY]
