"""The officer's traffic page (/tablet/traffic/, templates/command/tablet_traffic.html): the accident or
congestion the crew is on (record, quick settlement with both signatures, traffic flowing) and the
enforcement and help records taken in a few taps. Everything it sends goes through the traffic API
(static/command/lib/traffic_outbox.js keeps what could not be sent and replays it on reconnect)."""
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from command.selectors import tablet_context
from common.names import local_name
from common.roles import Role, access_of
from dispatch.models import Category
from traffic.models import (
    CongestionCause, HelpKind, Injuries, Responsibility, SettlementRule, VehicleKind, ViolationType,
)

TRAFFIC_CATEGORIES = (Category.TRAFFIC_ACCIDENT, Category.TRAFFIC_CONGESTION)


def traffic_jobs(unit) -> list[dict]:
    """The unit's active assignments to traffic incidents, newest first."""
    if unit is None:
        return []
    active = [a for a in unit.assignments.select_related("incident").order_by("-assigned_at")[:10] if a.is_active]
    return [{"incident": a.incident_id, "number": a.incident.number, "category": a.incident.category,
             "address": a.incident.address, "status": a.status}
            for a in active if a.incident.category in TRAFFIC_CATEGORIES]


def choices() -> dict:
    """The page's select options, in the user's language."""
    pairs = lambda kind: [[value, str(label)] for value, label in kind.choices]  # noqa: E731
    return {"injuries": pairs(Injuries), "vehicle_kinds": pairs(VehicleKind), "responsibility": pairs(Responsibility),
            "rules": pairs(SettlementRule), "causes": pairs(CongestionCause), "help_kinds": pairs(HelpKind),
            "violation_types": [[t.pk, f"{t.code} {local_name(t)}"] for t in ViolationType.objects.filter(active=True)]}


def traffic_words() -> dict:
    """The messages the page's modules show (static/command/lib/traffic_forms.js)."""
    return {
        "saved": _("Saved."), "kept": _("No connection: kept on this tablet and sent when the connection is back."),
        "replayed": _("Sent what was kept on this tablet."), "settled": _("Settled: both parties signed."),
        "sign_both": _("Both parties must sign on the pad."), "flowing": _("Traffic flowing: the clock stopped."),
        "recorded": _("Recorded."), "no_position": _("No position from this device yet: wait a moment."),
        "escalated": _("Escalated to a full accident case."), "pending": _("Waiting to send: %(n)s"),
        "party": _("Party %(n)s"), "clear": _("Clear"), "posted": _("Your unit is posted here"),
        "closed": _("Closed:"),
        "bad_photo": _("A photo must be a JPEG, PNG or WebP image of at most 5 MB."),
        "clearance": _("Traffic flowing %(s)s s after arrival (target 300 s)."),
        "party_fields": {"name": _("Name"), "phone": _("Phone"), "licence_number": _("Driving licence number"),
                         "plate": _("Plate")},
    }


def tablet_traffic(request):
    """The officer's traffic work; an officer who crews no unit on duty sees why there is nothing."""
    access = access_of(request)
    if access.role != Role.OFFICER:
        raise PermissionDenied(_("Your role may not open this page."))
    context = tablet_context(access.officer)
    data = {"unit": context["unit"].pk if context["unit"] else None, "jobs": traffic_jobs(context["unit"]),
            "choices": choices()}
    return render(request, "command/tablet_traffic.html", {**context, "traffic_data": data,
                                                           "traffic_words": traffic_words()})
