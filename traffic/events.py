"""What the consoles and tablets hear of traffic work, after commit (platforms.events.publish, DESIGN §4):

- `traffic.accident`   an accident record changed (its status, injuries, lanes, party count; no names or
                        numbers: supervisors' consoles hear it too, details come over REST);
- `traffic.congestion` a congestion record changed (cause, lanes, arrival and "flowing" times);
- `traffic.control`    a control point was placed, changed or cancelled, with its closures;
- `traffic.speeds`     the live speed layer was measured again (its slot and version: reload it over REST);
- `traffic.record`     a violation, drink-driving check, impound or help record was taken (kind, platform).

An incident's news goes where the incident's goes (dispatch.events.incident_groups) and to the crews on
it; a control point's to its platform's consoles and to every tablet (crews drive around a closure)."""
from dispatch.events import incident_groups
from dispatch.models import ACTIVE_ASSIGNMENT_STATUSES
from platforms.events import CITY, platform_groups, publish, unit_group

ALL_TABLETS = "tablets.all"   # command.live.scope's group of every tablet (broadcasts to all units)


def _crews(incident) -> list[str]:
    units = incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).values_list("unit_id", flat=True)
    return [unit_group(pk) for pk in units]


def accident_payload(accident) -> dict:
    incident = accident.incident
    return {"id": accident.pk, "incident": incident.pk, "number": incident.number, "lon": incident.lon,
            "lat": incident.lat, "status": accident.status, "injuries": accident.injuries,
            "lanes_blocked": accident.lanes_blocked, "tow_requested": accident.tow_requested_at is not None,
            "parties": accident.parties.count(), "handled_at": _iso(accident.handled_at),
            "escalated_at": _iso(accident.escalated_at), "version": accident.version}


def congestion_payload(congestion) -> dict:
    incident = congestion.incident
    return {"id": congestion.pk, "incident": incident.pk, "number": incident.number, "lon": incident.lon,
            "lat": incident.lat, "cause": congestion.cause, "lanes_affected": congestion.lanes_affected,
            "received_at": _iso(incident.received_at), "arrived_at": _iso(incident.arrived_at),
            "flowing_at": _iso(congestion.flowing_at), "version": congestion.version}


def control_payload(point) -> dict:
    return {"id": point.pk, "name": point.name, "reason": point.reason, "lon": point.lon, "lat": point.lat,
            "platform": point.platform_id, "starts_at": _iso(point.starts_at), "ends_at": _iso(point.ends_at),
            "cancelled": point.cancelled_at is not None, "units": sorted(u.pk for u in point.units.all()),
            "closures": [closure_payload(c) for c in point.closures.all()], "version": point.version}


def closure_payload(closure) -> dict:
    return {"id": closure.pk, "control_point": closure.control_point_id, "line": closure.line,
            "length_m": round(closure.length_m), "road_name": closure.road_name,
            "starts_at": _iso(closure.starts_at), "ends_at": _iso(closure.ends_at),
            "cancelled": closure.cancelled_at is not None}


def _iso(moment):
    return moment.isoformat() if moment else None


def accident_changed(accident) -> None:
    publish("traffic.accident", accident_payload(accident), [*incident_groups(accident.incident), *_crews(accident.incident)])


def congestion_changed(congestion) -> None:
    publish("traffic.congestion", congestion_payload(congestion),
            [*incident_groups(congestion.incident), *_crews(congestion.incident)])


def control_changed(point) -> None:
    publish("traffic.control", control_payload(point), [*platform_groups([point.platform_id]), ALL_TABLETS])


def speeds_measured(slot_start, version: int) -> None:
    publish("traffic.speeds", {"slot_start": _iso(slot_start), "version": version}, [CITY])


def record_taken(kind: str, row) -> None:
    publish("traffic.record", {"kind": kind, "id": row.pk, "platform": row.platform_id, "officer": row.officer_id,
                               "unit": row.unit_id, "at": _iso(row.at), "lon": row.lon, "lat": row.lat},
            platform_groups([row.platform_id]))
