"""The words the pages' scripts show, resolved here in the request's language so that console.js and
tablet.js need no catalogue: the models' choices, the turn list's manoeuvres and the interface."""
from django.utils.translation import gettext as _

from command.officer_labels import officer_choice_labels, officer_words
from dispatch.models import (
    AlertKind, AssignmentStatus, CancelReason, Category, Disposition, EventKind, IncidentStatus, Origin, Priority,
)
from platforms.models import UnitStatus


def page_labels() -> dict:
    return {**choice_labels(), "manoeuvre": manoeuvre_labels(), "modifier": modifier_labels(), "ui": ui_labels()}


def choice_labels() -> dict:
    return {
        "category": dict(Category.choices), "priority": {str(k): v for k, v in Priority.choices},
        "incident_status": dict(IncidentStatus.choices), "assignment_status": dict(AssignmentStatus.choices),
        "unit_status": dict(UnitStatus.choices), "alert_kind": dict(AlertKind.choices),
        "event_kind": dict(EventKind.choices), "disposition": dict(Disposition.choices),
        "cancel_reason": dict(CancelReason.choices), "origin": dict(Origin.choices), **officer_choice_labels(),
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
    return {**_console_words(), **_tablet_words(), **_mobilization_words(), **_message_words(), **_call_words(),
            **_closing_words(), **_unit_words(), **officer_words()}


def _call_words() -> dict:
    return {
        "no_zone": _("outside every zone"), "no_place_found": _("No place matches: try other words or click the map."),
        "attach": _("Attach this call here"),
        "save_related": _("Save as a new related incident"), "choose_category": _("Choose the category."),
        "choose_place": _("Say where: pick an address from the list or click the map."),
        "on_view": _("Found on patrol"), "related_to": _("Related to"), "show_number": _("Show number"),
        "callers": _("Callers"), "unverified": _("unverified arrival"),
        "unverified_hint": _("Reported on scene far from the incident or without a position."), "open": _("Open"),
        "trace": _("Full trace"), "photo": _("Photo from the scene"), "incidents_count": _("incidents:"),
    }


def _closing_words() -> dict:
    return {
        "reassign": _("Replace unit"), "reassign_confirm": _("Release it and send the new unit"),
        "new_unit": _("Send instead"), "choose": _("— choose —"), "recall": _("Recall unit"),
        "recall_confirm": _("Recall from this job"), "add_unit": _("Add a unit (backup)"),
        "add_unit_confirm": _("Send as backup"), "unit": _("Unit"), "cancel_incident": _("Cancel the incident"),
        "cancel_confirm": _("Cancel and release its units"), "close_incident": _("Close the incident"),
        "close_confirm": _("Close"), "result": _("Result"), "reopen": _("Reopen"),
        "reopen_confirm": _("Reopen and queue for a unit"), "add_note": _("Add a note"),
    }


def _unit_words() -> dict:
    return {
        "find_unit": _("Find a unit by call sign"), "platform": _("Platform"), "all": _("All"), "status": _("Status"),
        "broadcast": _("Broadcast to units"), "to": _("To"), "all_units": _("All units"),
        "no_such_unit": _("No unit with that call sign on duty."), "set_available": _("Available"),
        "set_unavailable": _("Unavailable…"), "set_off_duty": _("Off duty"), "no_fix": _("no position"),
    }


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
