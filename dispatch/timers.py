"""Timers as rows with a due time, swept by Celery beat (DESIGN §3.5): a restart loses none.

Each sweep claims its work by a conditional UPDATE that must change exactly one row, so two
sweepers (a beat tick overlapping a slow one, two workers) never act twice on the same thing.
"""
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from dispatch import decisions
from dispatch.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, AssignmentStatus, Incident, IncidentStatus, Recommendation
from dispatch.services import assignment_advance, queue_dispatch
from grid.geometry import distance_m
from platforms.positions import live_positions

ARRIVING = (AssignmentStatus.ASSIGNED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.EN_ROUTE)


def sweep(now=None) -> dict:
    """One beat tick: time-outs, arrivals by geofence, waiting calls gone at risk, incidents the engine
    left behind."""
    now = now or timezone.now()
    return {"timed_out": ack_timeouts(now), "arrived": arrivals(now), "at_risk": waiting_at_risk(now),
            "requeued": incidents_left_behind(now)}


def waiting_at_risk(now) -> int:
    """A call not yet dispatched is at risk once its waiting time plus the best ETA ranked for it
    passes its target (no unit ranked: once the wait alone does): marked, with its event and alert."""
    waiting = Incident.objects.filter(status__in=(IncidentStatus.RECEIVED, IncidentStatus.WAITING), at_risk=False,
                                      dispatched_at__isnull=True)
    marked = 0
    for incident in waiting:
        best = _best_eta(incident)
        if (now - incident.received_at).total_seconds() + (best or 0.0) > incident.target_s:
            marked += decisions.incident_mark_at_risk(incident_id=incident.pk, best_eta_s=best)
    return marked


def _best_eta(incident: Incident) -> float | None:
    recommendation = incident.recommendations.order_by("-created_at", "-id").first()
    fresh = [o["eta_s"] for o in (recommendation.options if recommendation else []) if not o.get("stale")]
    return min(fresh) if fresh else None


def ack_timeouts(now) -> int:
    due = Assignment.objects.filter(status=AssignmentStatus.ASSIGNED, ack_due_at__lte=now).values_list("pk", flat=True)
    return sum(decisions.assignment_time_out(assignment_id=pk) for pk in list(due))


def arrivals(now) -> int:
    """A unit whose latest fix (taken after the order) is within the arrival radius is on scene."""
    active = list(Assignment.objects.filter(status__in=ARRIVING).select_related("incident"))
    fixes = live_positions([a.unit_id for a in active]) if active else {}
    arrived = 0
    for assignment in active:
        fix = fixes.get(assignment.unit_id)
        if fix and fix.at >= assignment.assigned_at and _inside(fix, assignment.incident):
            arrived += _arrive(assignment, fix)
    return arrived


def _inside(fix, incident) -> bool:
    return distance_m(fix.lon, fix.lat, incident.lon, incident.lat) <= settings.ARRIVAL_RADIUS_M


def _arrive(assignment: Assignment, fix) -> int:
    try:  # the version check under the lock is the claim: a step made meanwhile wins
        assignment_advance(actor=None, assignment=assignment, status=AssignmentStatus.ON_SCENE, at=fix.at,
                           detected="geofence", expected_version=assignment.version, where=(fix.lon, fix.lat))
    except ValidationError:
        return 0
    return 1


def incidents_left_behind(now, *, retry_after_s: float | None = None) -> int:
    """Incidents the engine never decided (a worker died), waiting ones, and ones short of units."""
    cutoff = now - timedelta(seconds=settings.DISPATCH_RETRY_AFTER_S if retry_after_s is None else retry_after_s)
    stale_check = Q(engine_checked_at__isnull=True, received_at__lte=cutoff) | Q(engine_checked_at__lte=cutoff)
    recommended = Exists(Recommendation.objects.filter(incident=OuterRef("pk")))
    # Received and still undecided: never ranked, or ranked for the engine to send (P1/P2) but not sent.
    undecided = Q(status=IncidentStatus.RECEIVED) & (~Q(recommended) | Q(priority__in=settings.AUTO_DISPATCH_PRIORITIES))
    short = Q(status=IncidentStatus.DISPATCHED, active__lt=F("units_needed"))
    candidates = (Incident.objects.annotate(active=Count("assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES)))
                  .filter(stale_check).filter(undecided | Q(status=IncidentStatus.WAITING) | short)
                  .values_list("pk", "engine_checked_at"))
    return sum(_requeue(pk, checked, now) for pk, checked in list(candidates))


def _requeue(pk: int, checked_at, now) -> int:
    # Claim: only the sweeper whose UPDATE changes the row queues the incident.
    claimed = Incident.objects.filter(pk=pk, engine_checked_at=checked_at) if checked_at else \
        Incident.objects.filter(pk=pk, engine_checked_at__isnull=True)
    if claimed.update(engine_checked_at=now) != 1:
        return 0
    queue_dispatch(pk, reason="sweep")
    return 1
