"""End-to-end trace (全程追溯) of one incident, and track playback of one unit over a time range.

A trace reads everything the system kept about a call: the call itself, every timeline step with who
and when, each unit sent with its own step times and its track from the order until it cleared,
the ETA the engine predicted against the travel time it took, the target and whether both clocks
met it, the notes, and the callback survey's answer (services/) once there is one."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from common.names import local_name
from common.phones import mask_phone
from common.roles import COMMAND_CENTRE
from dispatch.models import Assignment, EventKind
from platforms.models import TrackPoint

MAX_TRACK_POINTS = 5000
AFTER_CLEARED = timedelta(minutes=5)   # a little of the way back, so the playback shows the unit leave


def _iso(at):
    return timezone.localtime(at).isoformat() if at else None


def _seconds(start, end):
    return None if start is None or end is None else round((end - start).total_seconds(), 1)


def incident_trace(incident, *, access) -> dict:
    events = list(incident.events.select_related("actor", "unit").order_by("at", "id"))
    assignments = list(incident.assignments.select_related("unit__platform", "unit__vehicle")
                       .prefetch_related("unit__officers").order_by("assigned_at", "id"))
    latest = incident.recommendations.order_by("-created_at", "-id").first()
    return {
        "call": _call(incident, access),
        "figures": _clocks(incident),
        "events": [_event(e, access) for e in events],
        "notes": [{"at": _iso(e.at), "text": e.data.get("text", ""), "by": _actor(e)} for e in events
                  if e.kind == EventKind.NOTE],
        "assignments": [_assignment(a) for a in assignments],
        "recommendation": latest.options if latest else [],
        "callback": _callback(incident),
    }


def _call(incident, access) -> dict:
    command = access.role in COMMAND_CENTRE
    return {"id": incident.pk, "number": incident.number, "received_at": _iso(incident.received_at),
            "category": incident.category, "category_label": str(incident.get_category_display()),
            "priority": incident.priority, "status": incident.status, "status_label": str(incident.get_status_display()),
            "origin": incident.origin, "lon": incident.lon, "lat": incident.lat, "address": incident.address,
            "description": incident.description, "zone": incident.zone.code if incident.zone else "",
            "zone_name": local_name(incident.zone) if incident.zone else "",
            "key_site": local_name(incident.key_site) if incident.key_site else "",
            "caller_name": incident.caller_name if command else "", "caller_phone": mask_phone(incident.caller_phone),
            "closing": str(incident.get_closing_display()) if incident.closing else "", "result": incident.result,
            "cancel_reason": str(incident.get_cancel_reason_display()) if incident.cancel_reason else "",
            "closed_at": _iso(incident.closed_at)}


def _clocks(incident) -> dict:
    """Both clocks against the one target: ordered → on scene (the rings) and call → on scene."""
    response, from_call = incident.dispatch_to_scene_s, incident.call_to_scene_s
    return {"target_s": incident.target_s, "call_to_dispatch_s": incident.call_to_dispatch_s,
            "dispatch_to_scene_s": response, "call_to_scene_s": from_call,
            "met_ordered_to_scene": None if response is None else response <= incident.target_s,
            "met_call_to_scene": None if from_call is None else from_call <= incident.target_s,
            "arrival_unverified": incident.arrival_unverified}


def _actor(event) -> str:
    if event.actor_id is None:
        return ""
    return event.actor.get_full_name() or event.actor.get_username()


def _event(event, access) -> dict:
    data = dict(event.data or {})
    if access.role not in COMMAND_CENTRE:
        data = {k: v for k, v in data.items() if k not in ("caller_name", "caller_phone", "phone")}
    return {"at": _iso(event.at), "kind": event.kind, "label": str(event.get_kind_display()), "actor": _actor(event),
            "unit": event.unit.call_sign if event.unit_id else "", "data": data}


def _assignment(assignment: Assignment) -> dict:
    unit = assignment.unit
    end = (assignment.ended_at or timezone.now()) + AFTER_CLEARED
    travel = _seconds(assignment.assigned_at, assignment.on_scene_at)
    return {"id": assignment.pk, "unit": unit.pk, "call_sign": unit.call_sign, "platform": local_name(unit.platform),
            "crew": [o.name for o in unit.officers.all()], "status": assignment.status,
            "assigned_at": _iso(assignment.assigned_at), "acknowledged_at": _iso(assignment.acknowledged_at),
            "en_route_at": _iso(assignment.en_route_at), "on_scene_at": _iso(assignment.on_scene_at),
            "ended_at": _iso(assignment.ended_at), "predicted_eta_s": assignment.eta_s, "actual_travel_s": travel,
            "eta_error_s": None if travel is None or assignment.eta_s is None else round(travel - assignment.eta_s, 1),
            "arrival_distance_m": assignment.arrival_distance_m, "arrival_verified": assignment.arrival_verified,
            "track": track_points(unit.pk, assignment.assigned_at, end)}


def track_points(unit_id: int, start, end) -> list[list]:
    """[ms since the epoch, lon, lat, speed] in time order, thinned evenly to at most MAX_TRACK_POINTS."""
    rows = list(TrackPoint.objects.filter(unit_id=unit_id, at__gte=start, at__lt=end).order_by("at")
                .values_list("at", "lon", "lat", "speed_mps"))
    step = max(1, -(-len(rows) // MAX_TRACK_POINTS))
    kept = rows[::step] if step > 1 else rows
    if step > 1 and rows and kept[-1] is not rows[-1]:
        kept.append(rows[-1])
    return [[int(at.timestamp() * 1000), lon, lat, speed] for at, lon, lat, speed in kept]


def _callback(incident) -> dict | None:
    """The callback survey's answer (services.CallbackSurvey), when the desk has one for this call."""
    survey = getattr(incident, "callback", None)
    if survey is None:
        return None
    return {"status": survey.status, "status_label": str(survey.get_status_display()), "answered_at": _iso(survey.answered_at),
            "satisfaction": survey.satisfaction, "speed": survey.speed, "attitude": survey.attitude,
            "result": survey.result, "comment": survey.comment}


def unit_playback(unit, start, end) -> dict:
    """A unit's track over [start, end) with its crew and the incidents it was sent to meanwhile."""
    jobs = (Assignment.objects.filter(unit=unit, assigned_at__lt=end).exclude(ended_at__lt=start)
            .select_related("incident").order_by("assigned_at"))
    return {"unit": {"id": unit.pk, "call_sign": unit.call_sign, "platform": local_name(unit.platform),
                     "shift_starts_at": _iso(unit.shift.starts_at), "shift_ends_at": _iso(unit.shift.ends_at),
                     "vehicle": unit.vehicle.call_number if unit.vehicle else ""},
            "crew": [{"name": o.name, "kind": o.kind, "badge": o.badge_number} for o in unit.officers.order_by("badge_number")],
            "since": _iso(start), "until": _iso(end), "track": track_points(unit.pk, start, end),
            "incidents": [{"id": a.incident_id, "number": a.incident.number, "lon": a.incident.lon, "lat": a.incident.lat,
                           "category": str(a.incident.get_category_display()), "assigned_at": _iso(a.assigned_at),
                           "on_scene_at": _iso(a.on_scene_at), "ended_at": _iso(a.ended_at)} for a in jobs],
            "max_hours": settings.ANALYSIS_MAX_TRACK_HOURS}
