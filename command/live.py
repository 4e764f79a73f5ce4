"""The live picture the console and the tablet work from (DESIGN §4): who may watch what, the REST
snapshot a client loads on (re)connect, and the coalesced unit positions sent as `units.moved`.

Everything here is synchronous and reads the database or Redis: consumers call it through
`database_sync_to_async`."""
import time
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from command.messages import messages_of
from command.models import Role
from command.roles import Access
from dispatch.events import assignment_payload, incident_payload
from dispatch.models import ACTIVE_ASSIGNMENT_STATUSES, OPEN_INCIDENT_STATUSES, Alert, Assignment, Incident, Recommendation
from platforms.events import CITY, district_group, platform_group, unit_group
from platforms.filters import on_duty_now
from platforms.models import Unit
from platforms.positions import live_positions

COMMAND_CENTRE = (Role.DISPATCHER, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class ConsoleScope:
    """The groups a console socket joins and the platforms whose units it is shown (None: all)."""

    groups: tuple[str, ...]
    platform_ids: frozenset[int] | None


def console_scope(user) -> ConsoleScope | None:
    """The command centre watches the city; a supervisor of a district that district's group; a
    supervisor of a platform that platform's group; nobody else watches a console."""
    access = Access(user)
    if access.role in COMMAND_CENTRE:
        return ConsoleScope((CITY,), None)
    membership = getattr(user, "membership", None)
    if access.role != Role.SUPERVISOR or membership is None or not access.platform_ids:
        return None
    group = district_group(membership.district_id) if membership.district_id else platform_group(membership.platform_id)
    return ConsoleScope((group,), frozenset(access.platform_ids))


def unit_watcher(user, unit_id: int) -> str | None:
    """"crew" for an officer of the unit (may also report its position), "command" for the command
    centre (may watch any unit), None for everyone else or a unit that does not exist."""
    access = Access(user)
    if access.role in COMMAND_CENTRE:
        return "command" if Unit.objects.filter(pk=unit_id).exists() else None
    if access.role == Role.OFFICER and access.officer is not None:
        return "crew" if Unit.objects.filter(pk=unit_id, officers=access.officer).exists() else None
    return None


def unit_groups_of(unit_id: int) -> tuple[str, ...]:
    return (unit_group(unit_id),)


# --- positions, coalesced --------------------------------------------------------------------

def positions_now() -> dict[int, tuple]:
    """Every unit on duty with a position: id -> (platform, lon, lat, fix time in epoch ms, stale)."""
    units = dict(Unit.objects.filter(on_duty_now()).values_list("pk", "platform_id"))
    return {pk: (units[pk], round(fix.lon, 6), round(fix.lat, 6), round(fix.at.timestamp() * 1000), fix.stale)
            for pk, fix in live_positions(units).items()}


class Picture:
    """`positions_now`, read at most once per `every_s` in this process and shared by its sockets:
    twenty consoles cost one read a second, not twenty."""

    def __init__(self, every_s: float = 0.5):
        self.every_s, self.read_at, self.rows = every_s, float("-inf"), {}

    def read(self) -> dict[int, tuple]:
        if time.monotonic() - self.read_at >= self.every_s:
            self.rows, self.read_at = positions_now(), time.monotonic()
        return self.rows


PICTURE = Picture()


def moved_since(picture: dict[int, tuple], sent: dict[int, tuple], platform_ids) -> dict:
    """What changed for one console since its last send (and remember it): `units` as
    [id, lon, lat, at_ms, stale] rows, `gone` the ids no longer on the map. Updates `sent`."""
    moved = []
    for pk, (platform, lon, lat, at_ms, stale) in picture.items():
        if platform_ids is not None and platform not in platform_ids:
            continue
        if sent.get(pk) != (at_ms, stale):
            sent[pk] = (at_ms, stale)
            moved.append([pk, lon, lat, at_ms, stale])
    gone = [pk for pk in sent if pk not in picture]
    for pk in gone:
        del sent[pk]
    return {"units": moved, "gone": gone}


# --- the snapshot ------------------------------------------------------------------------------

def snapshot(access) -> dict:
    """What a console loads on (re)connect before applying newer events: open incidents, units on
    duty with their live positions, active assignments, open alerts and the latest recommendation
    of each open incident, each with its version where it has one; scoped for supervisors as their
    socket is (console_scope): their platforms' units, and the incidents and alerts they hear of."""
    platform_ids = access.platform_ids
    incidents = Incident.objects.filter(status__in=OPEN_INCIDENT_STATUSES).select_related("zone").order_by("received_at")
    units = Unit.objects.filter(on_duty_now()).order_by("call_sign")
    assignments = Assignment.objects.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).select_related("incident")
    alerts = Alert.objects.filter(closed_at__isnull=True).order_by("created_at")
    if platform_ids is not None:
        incidents = incidents_in_scope(incidents, platform_ids)
        units = units.filter(platform_id__in=platform_ids)
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
    }


def incidents_in_scope(incidents, platform_ids):
    """Those in the platforms' zones or that a unit of theirs was sent to: what their consoles hear
    (dispatch.events.incident_platforms)."""
    sent_there = Assignment.objects.filter(incident=OuterRef("pk"), unit__platform_id__in=platform_ids)
    return incidents.filter(Q(zone__platform_id__in=platform_ids) | Exists(sent_there))


def incident_row(incident: Incident) -> dict:
    return {**incident_payload(incident), "description": incident.description}


def unit_rows(units) -> list[dict]:
    rows = list(units.values("id", "call_sign", "status", "platform_id", "capabilities", "version"))
    live = live_positions([row["id"] for row in rows])
    for row in rows:
        fix = live.get(row["id"])
        row["platform"] = row.pop("platform_id")
        row.update(lon=fix.lon if fix else None, lat=fix.lat if fix else None,
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
    """What a tablet loads on (re)connect: its unit and its active assignments with their incidents."""
    unit = Unit.objects.get(pk=unit_id)
    assignments = (Assignment.objects.filter(unit_id=unit_id, status__in=ACTIVE_ASSIGNMENT_STATUSES)
                   .select_related("incident").order_by("assigned_at"))
    fix = live_positions([unit.pk]).get(unit.pk)
    return {
        "server_time": timezone.now().isoformat(),
        "unit": {"id": unit.pk, "call_sign": unit.call_sign, "status": unit.status, "version": unit.version,
                 "lon": fix.lon if fix else None, "lat": fix.lat if fix else None},
        "assignments": [{**assignment_payload(a), "incident_detail": incident_row(a.incident)} for a in assignments],
        "messages": messages_of(unit_id),
    }


# --- the labels the pages' scripts show (resolved here, in the request's language) --------------

def page_labels() -> dict:
    """Choices and UI words for console.js / tablet.js, so the scripts need no catalogue."""
    from django.utils.translation import gettext as _

    from dispatch.models import AlertKind, AssignmentStatus, Category, EventKind, IncidentStatus, Priority
    from platforms.models import UnitStatus

    return {
        "category": dict(Category.choices), "priority": {str(k): v for k, v in Priority.choices},
        "incident_status": dict(IncidentStatus.choices), "assignment_status": dict(AssignmentStatus.choices),
        "unit_status": dict(UnitStatus.choices), "alert_kind": dict(AlertKind.choices),
        "event_kind": dict(EventKind.choices),
        "manoeuvre": {"depart": _("Depart"), "arrive": _("Arrive"), "turn": _("Turn"), "continue": _("Continue"),
                      "new name": _("Continue onto"), "fork": _("Keep at the fork"), "merge": _("Merge"),
                      "on ramp": _("Take the ramp"), "off ramp": _("Leave by the ramp"), "end of road": _("At the end of the road"),
                      "roundabout": _("Roundabout"), "rotary": _("Roundabout"), "roundabout turn": _("Roundabout")},
        "modifier": {"left": _("left"), "right": _("right"), "slight left": _("slightly left"),
                     "slight right": _("slightly right"), "sharp left": _("sharp left"), "sharp right": _("sharp right"),
                     "straight": _("straight on"), "uturn": _("U-turn")},
        "ui": {
            "waiting": _("Waiting"), "at_risk": _("At risk"), "in_progress": _("In progress"),
            "accept": _("Accept recommendation"), "send_unit": _("Send this unit"), "eta": _("ETA"),
            "meets": _("meets target"), "misses": _("misses target"), "no_recommendation": _("No recommendation yet."),
            "recommend": _("Rank units again"), "left": _("remaining"), "overdue": _("overdue"), "waited": _("waiting"),
            "on_scene": _("on scene"), "online": _("Live"), "offline": _("Reconnecting…"), "close": _("Close"),
            "timeline": _("Timeline"), "new_incident": _("New incident here"), "create": _("Create incident"),
            "cancel": _("Cancel"), "select_incident": _("Select an incident on the map or in the queue."),
            "units_on_duty": _("units on duty"), "stale": _("no recent position"), "none": _("None."),
            "failed": _("The server refused: "), "sent": _("Sent."), "acknowledge": _("Acknowledge the order"),
            "en_route": _("Report en route"), "arrived": _("Report on scene"), "clear": _("Clear the job"),
            "disposition": _("Disposition"), "queued": _("Saved; will be sent when the connection is back."),
            "no_assignment": _("No current assignment."), "route": _("Route"), "target": _("Target"),
            "category": _("Category"), "priority": _("Priority"), "address": _("Address"),
            "description": _("Description"), "notes": _("Notes"), "turns": _("Turn list"),
            "mobilize": _("Mobilize here"), "head_count": _("Officers wanted"), "deadline_min": _("Deadline (minutes)"),
            "reason": _("Reason"), "propose": _("Propose units"), "confirm": _("Confirm and dispatch"),
            "officers_proposed": _("officers proposed"), "reachable": _("reachable in time"),
            "met": _("head count met"), "not_met": _("head count not met"), "confirmed": _("Dispatched."),
            "mobilization": _("Mobilization"), "not_found": _("No place of that name."),
            "messages": _("Messages"), "send_message": _("Send message"), "mark_read": _("Mark read"),
            "no_messages": _("No messages."), "new_message": _("New message"), "read": _("read"),
        },
    }


# --- the supervisor's day ------------------------------------------------------------------------

def supervisor_day(platform_ids) -> dict:
    """Officers crewing units on duty now and today's incidents (Asia/Shanghai) with their 1/3/5
    figures, in the supervisor's scope (None: the whole city, for an administrator)."""
    from dispatch.selectors import response_figures
    from platforms.models import Officer

    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    incidents = Incident.objects.filter(received_at__gte=start).select_related("zone").order_by("-received_at")
    officers = Officer.objects.filter(units__in=Unit.objects.filter(on_duty_now())).distinct()
    if platform_ids is not None:
        incidents = incidents.filter(zone__platform_id__in=platform_ids)
        officers = officers.filter(platform_id__in=platform_ids)
    figures = response_figures(incidents)
    return {
        "officers_on_duty": officers.select_related("platform").order_by("platform__code", "name"),
        "incidents_today": incidents[:200],
        "figures_today": [(name, figures[name]) for name in ("key_site", "city_centre", "other", "overall")],
        "unreached_today": figures["waiting_or_unreached"],
    }
