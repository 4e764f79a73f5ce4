"""Writes for incidents and assignments: validate, then mutate under locks, then record the event.

Locks are always taken in one order — incident, then unit, then assignment — so two services
running at once can wait for each other but never deadlock.
"""
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch import events
from dispatch.engine import units_needed
from dispatch.models import (
    ACTIVE_ASSIGNMENT_STATUSES, ASSIGNMENT_TRANSITIONS, INCIDENT_TRANSITIONS, Alert, Assignment, AssignmentStatus,
    EventKind, Incident, IncidentEvent, IncidentStatus, Origin,
)
from grid.geometry import distance_m
from grid.models import check_point_served
from grid.place_search import search_places
from grid.selectors import locate
from platforms.events import unit_status_changed
from platforms.models import Unit, UnitStatus
from platforms.positions import live_positions
from platforms.services import unit_move


class AssignmentConflict(ValidationError):
    """The unit is already taken: another dispatcher or the engine won the race."""


def incident_create(*, actor, category, priority, lon, lat, caller_name="", caller_phone="", description="",
                    address="", idempotency_key=None, related_to=None, origin=Origin.CALL,
                    engine=True) -> tuple[Incident, bool]:
    """Take a 110 call. Returns (incident, created); a repeated idempotency key returns the first.

    `related_to`: an incident this one is linked with (another event nearby, not a duplicate).
    `engine=False` leaves the engine out (an on-view report arrives with its own unit)."""
    if idempotency_key and (existing := Incident.objects.filter(idempotency_key=idempotency_key).first()):
        return existing, False
    if lon is None or lat is None:
        lon, lat = place_of(address)
    lon, lat = check_point_served(lon, lat, field="lon")
    where = locate(lon, lat)
    incident = Incident(
        category=category, priority=priority, lon=lon, lat=lat, caller_name=caller_name, caller_phone=caller_phone,
        description=description, address=address, idempotency_key=idempotency_key or None, created_by=actor,
        zone_id=where.zone_id, key_site_id=where.key_site_id, target_s=where.target_s, number="pending",
        units_needed=units_needed(category, priority), origin=origin, related_to=related_to,
    )
    incident.full_clean(exclude=["number", "related_to"])
    try:
        return _incident_store(incident, actor, engine=engine), True
    except IntegrityError:
        # Two retries of one call raced past the lookup above: the first insert won, use it.
        if idempotency_key and (existing := Incident.objects.filter(idempotency_key=idempotency_key).first()):
            return existing, False
        raise


# A typed address alone places a call only when the lookup is sure of it: a name matched exactly,
# by its start, as a junction or as a house number; anything vaguer must be picked or clicked.
CONFIDENT_MATCH = 60


def place_of(address: str) -> tuple[float, float]:
    """The point of an address given without one: the lookup's best match, if it is a confident one."""
    hits = search_places(address, limit=1) if (address or "").strip() else []
    if not hits or hits[0].score < CONFIDENT_MATCH:
        raise ValidationError({"address": _("Say where: pick an address from the lookup or click the place on the map.")})
    return hits[0].place.lon, hits[0].place.lat


@transaction.atomic
def _incident_store(incident: Incident, actor, *, engine: bool = True) -> Incident:
    incident.number = _next_incident_number()
    incident.save()
    record(incident, EventKind.CREATED, actor=actor, data={"target_s": incident.target_s})
    if incident.related_to_id:
        _relate(incident, actor)
    if engine:
        queue_dispatch(incident.pk)  # first on commit: the engine starts while the consoles are told
    events.incident_changed(incident, created=True)
    return incident


def _relate(incident: Incident, actor) -> None:
    """Both timelines say which incident the other is."""
    other = Incident.objects.select_for_update().get(pk=incident.related_to_id)
    record(incident, EventKind.RELATED, actor=actor, data={"incident": other.pk, "number": other.number})
    record(other, EventKind.RELATED, actor=actor, data={"incident": incident.pk, "number": incident.number})
    other.version += 1
    other.save(update_fields=["version"])
    events.incident_changed(other)


def queue_dispatch(incident_id: int, *, reason: str = "new") -> None:
    """Hand the incident to the engine once the call is committed (a rollback queues nothing)."""
    from dispatch.tasks import incident_dispatch_task

    # robust: with the broker away (a Valkey restart) the call stays committed and answered; the sweeper
    # queues it once the broker is back (DISPATCH_RETRY_AFTER_S), instead of the client getting a 500.
    transaction.on_commit(lambda: incident_dispatch_task.delay(incident_id, reason), robust=True)


def _next_incident_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('dispatch_incident_number_seq')")
        serial = cursor.fetchone()[0]
    return f"110-{timezone.localdate():%Y%m%d}-{serial:06d}"


def record(incident: Incident, kind: str, *, actor=None, unit=None, data=None) -> IncidentEvent:
    """One step on the incident's timeline (the caller holds the incident's lock)."""
    return IncidentEvent.objects.create(incident=incident, kind=kind, actor=actor, unit=unit, data=data or {})


@transaction.atomic
def alert_close(*, actor, alert: Alert) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.closed_at is None:
        alert.closed_at, alert.closed_by = timezone.now(), actor
        alert.save(update_fields=["closed_at", "closed_by"])
        events.alert_closed(alert)  # every console drops it, not only the one that closed it
    return alert


def alert_raise(*, kind: str, message: str, incident: Incident | None = None, unit: Unit | None = None) -> Alert:
    alert = Alert.objects.create(kind=kind, message=message, incident=incident, unit=unit)
    events.alert_raised(alert)
    return alert


def incident_move(incident: Incident, status: str) -> None:
    """Change an incident's status in memory, through the transition table; the caller saves."""
    if incident.status == status:
        return
    INCIDENT_TRANSITIONS.check(incident.status, status)
    incident.status = status
    incident.version += 1
    if status == IncidentStatus.CLOSED:
        incident.closed_at = timezone.now()


@transaction.atomic
def assignment_create(*, actor, incident: Incident, unit: Unit, eta_s: float | None = None,
                      preempted_from: Assignment | None = None) -> Assignment:
    """Send `unit` to `incident`. One wins a race for a unit; the loser gets AssignmentConflict."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    unit = Unit.objects.select_for_update(of=("self",)).select_related("shift").get(pk=unit.pk)
    _check_assignable(incident, unit)
    now = timezone.now()
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                incident=incident, unit=unit, assigned_by=actor, eta_s=eta_s, assigned_at=now,
                ack_due_at=now + timedelta(seconds=settings.ACK_TIMEOUT_S), preempted_from=preempted_from)
    except IntegrityError:
        raise _conflict(unit) from None
    unit_move(unit, UnitStatus.DISPATCHED)
    unit.save()
    _incident_on_assignment(incident, now)
    record(incident, EventKind.ASSIGNED, actor=actor, unit=unit,
            data={"assignment": assignment.pk, "eta_s": eta_s, **({"auto": True} if actor is None else {})})
    events.assignment_changed(assignment, created=True)
    unit_status_changed(unit)
    return assignment


def _incident_on_assignment(incident: Incident, now) -> None:
    if incident.status in (IncidentStatus.RECEIVED, IncidentStatus.WAITING):  # a backup unit leaves it where it is
        incident_move(incident, IncidentStatus.DISPATCHED)
    if incident.dispatched_at is None:
        incident.dispatched_at = now
    incident.version += 1
    incident.save()
    events.incident_changed(incident)


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
def assignment_advance(*, actor, assignment: Assignment, status: str, disposition: str = "", at=None,
                       detected: str = "", expected_version: int | None = None, where=None) -> Assignment:
    """Move an assignment one step: acknowledged, en route, on scene, cleared (with a disposition).

    `at` is when it happened (a fix's time for an arrival detected by geofence); `expected_version`
    refuses a step sent against an assignment that changed since (a tablet's queued, stale update);
    `where` is the (lon, lat) the unit reported the step from (else its live position): an arrival
    reported far from the scene is accepted but unverified."""
    if status not in STEP_EFFECTS:
        raise ValidationError({"status": _("Choose one of: %(steps)s.") % {"steps": ", ".join(STEP_EFFECTS)}})
    if status == AssignmentStatus.CLEARED and not disposition.strip():
        raise ValidationError({"disposition": _("Say how the incident was resolved before clearing it.")})
    incident = Incident.objects.select_for_update().get(pk=assignment.incident_id)
    unit = Unit.objects.select_for_update().get(pk=assignment.unit_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _check_current(assignment, expected_version)
    ASSIGNMENT_TRANSITIONS.check(assignment.status, status)
    unit_status, incident_status, event, stamp = STEP_EFFECTS[status]
    now = min(at or timezone.now(), timezone.now())
    if status == AssignmentStatus.ON_SCENE:
        _arrival_check(assignment, incident, where, geofence=detected == "geofence")
    _assignment_step(assignment, status, stamp, now)
    if unit_status:
        unit_move(unit, unit_status)
        unit.save()
        unit_status_changed(unit)
    _incident_step(incident, incident_status, assignment, disposition, now)
    details = {"assignment": assignment.pk, **({"disposition": disposition} if disposition else {}),
               **({"detected": detected} if detected else {})}
    record(incident, event, actor=actor, unit=unit, data=details)
    events.assignment_changed(assignment)
    if status == AssignmentStatus.CLEARED:
        queue_waiting_retry()
    return assignment


def _arrival_check(assignment: Assignment, incident: Incident, where, *, geofence: bool) -> None:
    """How far from the scene the unit was when it arrived, and whether that verifies the arrival: a
    geofence arrival is verified by its own fix; a report within ARRIVAL_VERIFY_RADIUS_M is too."""
    if where is None:
        fix = live_positions([assignment.unit_id]).get(assignment.unit_id)
        where = (fix.lon, fix.lat) if fix is not None else None
    distance = distance_m(*where, incident.lon, incident.lat) if where is not None else None
    assignment.arrival_distance_m = round(distance, 1) if distance is not None else None
    assignment.arrival_verified = geofence or (distance is not None and distance <= settings.ARRIVAL_VERIFY_RADIUS_M)


def _check_current(assignment: Assignment, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != assignment.version:
        raise ValidationError(
            _("This assignment changed since your update was made (now %(status)s): reload it.")
            % {"status": assignment.get_status_display()}, code="conflict")


def queue_waiting_retry() -> None:
    """A unit came free: incidents waiting for one are tried again at once."""
    from dispatch.tasks import incidents_retry_task

    transaction.on_commit(lambda: incidents_retry_task.delay(), robust=True)


def _first_verified(incident: Incident, assignment: Assignment) -> bool:
    return bool(assignment.arrival_verified) and incident.verified_on_scene_at is None


def _assignment_step(assignment: Assignment, status: str, stamp: str, now) -> None:
    assignment.status = status
    setattr(assignment, stamp, now)
    if status == AssignmentStatus.ON_SCENE and assignment.acknowledged_at is None:
        assignment.acknowledged_at = now  # arriving is the strongest acknowledgement
    assignment.version += 1
    assignment.save()


def _incident_step(incident: Incident, status: str | None, assignment: Assignment, disposition: str, now) -> None:
    if status is None:
        return
    if status == IncidentStatus.ON_SCENE and (incident.on_scene_at is None or _first_verified(incident, assignment)):
        incident.on_scene_at = incident.on_scene_at or now
        if assignment.arrival_verified and incident.verified_on_scene_at is None:
            incident.verified_on_scene_at = now
        incident.version += 1
        incident.save()
    others_active = incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).exclude(pk=assignment.pk).exists()
    if status == IncidentStatus.CLEARED and others_active:
        return  # the incident clears with its last unit
    if status == IncidentStatus.ON_SCENE and incident.status == IncidentStatus.ON_SCENE:
        return
    incident_move(incident, status)
    if disposition:
        incident.disposition = disposition
    incident.save()
    events.incident_changed(incident)


def assignment_end(assignment: Assignment, status: str, *, unit_status: str = UnitStatus.AVAILABLE) -> Assignment:
    """End an active assignment before it is done (cancelled, timed out, pre-empted); frees or benches the
    unit. The caller holds the incident lock; this takes the unit's, then the assignment's."""
    unit = Unit.objects.select_for_update().get(pk=assignment.unit_id)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    ASSIGNMENT_TRANSITIONS.check(assignment.status, status)
    assignment.status, assignment.ended_at = status, timezone.now()
    assignment.version += 1
    assignment.save()
    unit_move(unit, unit_status)
    unit.save()
    unit_status_changed(unit)
    events.assignment_changed(assignment)
    return assignment
