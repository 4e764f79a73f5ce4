"""What a client loads on (re)connect before applying newer events (DESIGN §4): the console's
snapshot, scoped as its socket is (command.live.scope), and the tablet's."""
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from command.broadcasts import broadcasts_of
from command.messages import messages_of
from common.scoping import scoped
from dispatch.events import assignment_payload, incident_payload
from dispatch.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    OPEN_INCIDENT_STATUSES,
    Alert,
    Assignment,
    Incident,
    IncidentStatus,
    Recommendation,
)
from planning.relocations import standing_relocation
from platforms.crews_live import officers_on_map
from platforms.filters import on_duty_now
from platforms.models import Unit
from platforms.positions import live_positions


def snapshot(access) -> dict:
    """What a console loads on (re)connect before applying newer events: open incidents, units on
    duty with their live positions, active assignments, open alerts and the latest recommendation
    of each open incident, each with its version where it has one; scoped for supervisors as their
    socket is (console_scope): their platforms' units, and the incidents and alerts they hear of."""
    platform_ids = access.platform_ids
    # Open incidents and the cleared ones still to close (结警): a cleared call stays in view until closed.
    incidents = (Incident.objects.filter(status__in=(*OPEN_INCIDENT_STATUSES, IncidentStatus.CLEARED))
                 .select_related("zone").order_by("received_at"))
    units = Unit.objects.filter(on_duty_now()).order_by("call_sign")
    assignments = Assignment.objects.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).select_related("incident")
    alerts = Alert.objects.filter(closed_at__isnull=True).order_by("created_at")
    if platform_ids is not None:
        incidents = incidents_in_scope(incidents, platform_ids)
        units = scoped(units, platform_ids)
        assignments = assignments.filter(incident__in=incidents)
        alerts = alerts.filter(Q(incident__in=incidents) | Q(incident__isnull=True, unit__platform_id__in=platform_ids))
    incidents = list(incidents)
    return {
        "server_time": timezone.now().isoformat(),
        "incidents": [incident_row(incident) for incident in incidents],
        "units": unit_rows(units),
        "assignments": [assignment_payload(assignment) for assignment in assignments.order_by("assigned_at")],
        "alerts": [alert_row(alert) for alert in alerts],
        "recommendations": latest_recommendations([incident.pk for incident in incidents]),
        # issue 16: every officer on duty with a handset, their crew and its spread (then `officers.moved`)
        "officers": [officer.as_dict() for officer in officers_on_map(platform_ids)],
    }


def incidents_in_scope(incidents, platform_ids):
    """Those in the platforms' zones or that a unit of theirs was sent to: what their consoles hear
    (dispatch.events.incident_platforms)."""
    sent_there = Assignment.objects.filter(incident=OuterRef("pk"), unit__platform_id__in=platform_ids)
    return incidents.filter(Q(zone__platform_id__in=platform_ids) | Exists(sent_there))


def incident_row(incident: Incident) -> dict:
    return {**incident_payload(incident), "description": incident.description}


def unit_rows(units) -> list[dict]:
    """Each unit with its status (since when, why), its live position and the incident it is on."""
    rows = list(units.values("id", "call_sign", "status", "status_changed_at", "status_reason", "platform_id",
                             "capabilities", "version"))
    live = live_positions([row["id"] for row in rows])
    jobs = dict(Assignment.objects.filter(unit_id__in=[row["id"] for row in rows], status__in=ACTIVE_ASSIGNMENT_STATUSES)
                .values_list("unit_id", "incident_id"))
    for row in rows:
        fix = live.get(row["id"])
        row["platform"] = row.pop("platform_id")
        row["status_changed_at"] = row["status_changed_at"].isoformat()
        row.update(lon=fix.lon if fix else None, lat=fix.lat if fix else None, incident=jobs.get(row["id"]),
                   fix_at=fix.at.isoformat() if fix else None, stale=fix.stale if fix else True)
    return rows


def alert_row(alert: Alert) -> dict:
    return {"id": alert.pk, "kind": alert.kind, "incident": alert.incident_id, "unit": alert.unit_id,
            "message": alert.message, "created_at": alert.created_at.isoformat()}


def latest_recommendations(incident_ids: list[int]) -> list[dict]:
    rows = (Recommendation.objects.filter(incident_id__in=incident_ids)
            .order_by("incident_id", "-created_at", "-id").distinct("incident_id"))
    return [{"id": row.pk, "incident": row.incident_id, "options": row.options, "proposed": row.proposed,
             "at_risk": row.at_risk, "auto": row.auto, "created_at": row.created_at.isoformat(),
             "accepted_at": row.accepted_at.isoformat() if row.accepted_at else None} for row in rows]


def unit_snapshot(unit_id: int) -> dict:
    """What a tablet loads on (re)connect: its unit, its active assignments with their incidents, its
    messages and broadcasts, and its standing relocation order (a move-up), if any."""
    unit = Unit.objects.get(pk=unit_id)
    assignments = (Assignment.objects.filter(unit_id=unit_id, status__in=ACTIVE_ASSIGNMENT_STATUSES)
                   .select_related("incident").order_by("assigned_at"))
    fix = live_positions([unit.pk]).get(unit.pk)
    return {
        "server_time": timezone.now().isoformat(),
        "unit": {"id": unit.pk, "call_sign": unit.call_sign, "status": unit.status, "version": unit.version,
                 "status_reason": unit.status_reason, "platform": unit.platform_id,
                 "lon": fix.lon if fix else None, "lat": fix.lat if fix else None},
        "assignments": [{**assignment_payload(a), "incident_detail": incident_row(a.incident)} for a in assignments],
        "messages": messages_of(unit_id),
        "broadcasts": broadcasts_of(unit),
        "relocation": standing_relocation(unit.pk),
    }
