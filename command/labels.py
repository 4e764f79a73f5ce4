"""The words the pages' scripts show, resolved here in the request's language so that console.js and
tablet.js need no catalogue: the models' choices, the turn list's manoeuvres and the interface."""
from django.utils.translation import gettext as _

from dispatch.models import AlertKind, AssignmentStatus, Category, EventKind, IncidentStatus, Priority
from platforms.models import UnitStatus


def page_labels() -> dict:
    return {**choice_labels(), "manoeuvre": manoeuvre_labels(), "modifier": modifier_labels(), "ui": ui_labels()}


def choice_labels() -> dict:
    return {
        "category": dict(Category.choices), "priority": {str(k): v for k, v in Priority.choices},
        "incident_status": dict(IncidentStatus.choices), "assignment_status": dict(AssignmentStatus.choices),
        "unit_status": dict(UnitStatus.choices), "alert_kind": dict(AlertKind.choices),
        "event_kind": dict(EventKind.choices),
    }


def manoeuvre_labels() -> dict:
    """OSRM's step types, as the tablet's turn list says them."""
    return {"depart": _("Depart"), "arrive": _("Arrive"), "turn": _("Turn"), "continue": _("Continue"),
            "new name": _("Continue onto"), "fork": _("Keep at the fork"), "merge": _("Merge"),
            "on ramp": _("Take the ramp"), "off ramp": _("Leave by the ramp"), "end of road": _("At the end of the road"),
            "roundabout": _("Roundabout"), "rotary": _("Roundabout"), "roundabout turn": _("Roundabout")}


def modifier_labels() -> dict:
    return {"left": _("left"), "right": _("right"), "slight left": _("slightly left"),
            "slight right": _("slightly right"), "sharp left": _("sharp left"), "sharp right": _("sharp right"),
            "straight": _("straight on"), "uturn": _("U-turn")}


def ui_labels() -> dict:
    return {**_console_words(), **_tablet_words(), **_mobilization_words(), **_message_words()}


def _console_words() -> dict:
    return {
        "waiting": _("Waiting"), "at_risk": _("At risk"), "in_progress": _("In progress"),
        "accept": _("Accept recommendation"), "send_unit": _("Send this unit"), "eta": _("ETA"),
        "meets": _("meets target"), "misses": _("misses target"), "no_recommendation": _("No recommendation yet."),
        "recommend": _("Rank units again"), "left": _("remaining"), "overdue": _("overdue"), "waited": _("waiting"),
        "on_scene": _("on scene"), "online": _("Live"), "offline": _("Reconnecting…"), "close": _("Close"),
        "timeline": _("Timeline"), "new_incident": _("New incident here"), "create": _("Create incident"),
        "cancel": _("Cancel"), "select_incident": _("Select an incident on the map or in the queue."),
        "units_on_duty": _("units on duty"), "stale": _("no recent position"), "none": _("None."),
        "failed": _("The server refused: "), "sent": _("Sent."), "category": _("Category"),
        "priority": _("Priority"), "address": _("Address"), "description": _("Description"),
        "not_found": _("No place of that name."),
    }


def _tablet_words() -> dict:
    return {
        "acknowledge": _("Acknowledge the order"), "en_route": _("Report en route"), "arrived": _("Report on scene"),
        "clear": _("Clear the job"), "disposition": _("Disposition"),
        "queued": _("Saved; will be sent when the connection is back."), "no_assignment": _("No current assignment."),
        "route": _("Route"), "target": _("Target"), "notes": _("Notes"), "turns": _("Turn list"),
    }


def _mobilization_words() -> dict:
    return {
        "mobilize": _("Mobilize here"), "head_count": _("Officers wanted"), "deadline_min": _("Deadline (minutes)"),
        "reason": _("Reason"), "propose": _("Propose units"), "confirm": _("Confirm and dispatch"),
        "officers_proposed": _("officers proposed"), "reachable": _("reachable in time"),
        "met": _("head count met"), "not_met": _("head count not met"), "confirmed": _("Dispatched."),
        "mobilization": _("Mobilization"),
    }


def _message_words() -> dict:
    return {"messages": _("Messages"), "send_message": _("Send message"), "mark_read": _("Mark read"),
            "no_messages": _("No messages."), "new_message": _("New message"), "read": _("read")}
