"""The audit trail read as one (issue 19; README: Security): who did what, when, from which address.

Sources: django-auditlog's entries (every write to the registered rows: units and their status set by
hand, vehicles and their GPS device ids, officers, shifts, squads, platforms, zones, key sites, must-
patrol points and routes, trackers, logins and their roles and tokens; settings
AUDITLOG_INCLUDE_TRACKING_MODELS), django-axes' logins, failed logins and lockouts, and every reading of
a caller's number (dispatch.PhoneReveal) or a booked citizen's (services.AppointmentPhoneReveal). The
incident timeline and the rosters' own record are read where they are kept.

Administrators read everything; a supervisor reads what concerns their platforms: changes to their
rows, logins of their people, numbers read for their incidents and appointments (no failed logins
or lockouts: those name addresses and accounts, not platforms)."""
from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from command.models import Membership
from dispatch.models import PhoneReveal
from grid.models import PatrolPoint, PatrolRoute, Zone
from platforms.models import Officer, Platform, Shift, Squad, TrackerDevice, Unit, Vehicle
from services.models import AppointmentPhoneReveal

KINDS = {"change": _("Change"), "login": _("Login"), "login_failure": _("Failed login"),
         "lockout": _("Lockout"), "phone_reveal": _("Phone number read")}
ADMIN_ONLY_KINDS = {"login_failure", "lockout"}
ACTIONS = {LogEntry.Action.CREATE: _("created"), LogEntry.Action.UPDATE: _("changed"),
           LogEntry.Action.DELETE: _("deleted"), LogEntry.Action.ACCESS: _("read")}
# Each audited row's way to its platform, for a supervisor's scope.
PLATFORM_PATHS = {Unit: "platform_id", Vehicle: "platform_id", Officer: "platform_id", Shift: "squad__platform_id",
                  Squad: "platform_id", Platform: "id", Zone: "platform_id", PatrolPoint: "platform_id",
                  PatrolRoute: "platform_id"}


@dataclass(frozen=True)
class Entry:
    kind: str
    at: datetime
    actor: str
    address: str
    subject: str
    summary: str
    changes: dict


def audit_entries(*, platform_ids: set[int] | None, kind: str | None = None, before: datetime | None = None,
                  since: datetime | None = None, limit: int = 100) -> list[Entry]:
    """The newest `limit` entries (before `before`, from `since`), newest first, in the scope."""
    readers = {"change": _changes, "login": _logins, "login_failure": _failures, "lockout": _lockouts,
               "phone_reveal": _reveals}
    kinds = [kind] if kind else list(readers)
    if platform_ids is not None:
        kinds = [name for name in kinds if name not in ADMIN_ONLY_KINDS]
    found: list[Entry] = []
    for name in kinds:
        found.extend(readers[name](platform_ids, _window(before, since), limit))
    return sorted(found, key=lambda entry: entry.at, reverse=True)[:limit]


def _window(before, since) -> dict:
    return {key: value for key, value in (("lt", before), ("gte", since)) if value is not None}


def _timed(queryset, field: str, window: dict):
    return queryset.filter(**{f"{field}__{op}": value for op, value in window.items()})


def _changes(platform_ids, window, limit) -> list[Entry]:
    rows = _timed(LogEntry.objects.select_related("actor", "content_type"), "timestamp", window)
    if platform_ids is not None:
        rows = rows.filter(_scope_of_changes(platform_ids))
    return [Entry("change", row.timestamp, _name(row.actor), row.remote_addr or "",
                  f"{row.content_type.name} {row.object_repr}", str(ACTIONS.get(row.action, row.action)),
                  row.changes_dict or {}) for row in rows.order_by("-timestamp")[:limit]]


def _scope_of_changes(platform_ids) -> Q:
    scope = Q(pk__in=[])
    for model, path in PLATFORM_PATHS.items():
        ids = model.objects.filter(**{f"{path}__in": platform_ids}).values_list("pk", flat=True)
        scope |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    trackers = TrackerDevice.objects.filter(Q(vehicle__platform_id__in=platform_ids)
                                            | Q(officer__platform_id__in=platform_ids)).values_list("pk", flat=True)
    return scope | Q(content_type=ContentType.objects.get_for_model(TrackerDevice), object_id__in=trackers)


def _people(platform_ids):
    """The logins of a platform: role memberships there, and its officers' logins."""
    members = Membership.objects.filter(platform_id__in=platform_ids).values_list("user__username", flat=True)
    officers = Officer.objects.filter(platform_id__in=platform_ids, user__isnull=False).values_list("user__username", flat=True)
    return set(members) | set(officers)


def _logins(platform_ids, window, limit) -> list[Entry]:
    rows = _timed(AccessLog.objects.all(), "attempt_time", window)
    if platform_ids is not None:
        rows = rows.filter(username__in=_people(platform_ids))
    return [Entry("login", row.attempt_time, row.username or "", row.ip_address or "", row.path_info or "",
                  str(_("logged out at %(at)s") % {"at": row.logout_time.isoformat()}) if row.logout_time else "", {})
            for row in rows.order_by("-attempt_time")[:limit]]


def _failures(platform_ids, window, limit) -> list[Entry]:
    rows = _timed(AccessFailureLog.objects.filter(locked_out=False), "attempt_time", window)
    return [Entry("login_failure", row.attempt_time, row.username or "", row.ip_address or "", row.path_info or "",
                  "", {}) for row in rows.order_by("-attempt_time")[:limit]]


def _lockouts(platform_ids, window, limit) -> list[Entry]:
    rows = _timed(AccessFailureLog.objects.filter(locked_out=True), "attempt_time", window)
    return [Entry("lockout", row.attempt_time, row.username or "", row.ip_address or "", row.path_info or "",
                  str(_("locked out")), {}) for row in rows.order_by("-attempt_time")[:limit]]


def _reveals(platform_ids, window, limit) -> list[Entry]:
    calls = _timed(PhoneReveal.objects.select_related("user", "incident"), "at", window)
    bookings = _timed(AppointmentPhoneReveal.objects.select_related("user", "appointment"), "at", window)
    if platform_ids is not None:
        calls = calls.filter(incident__zone__platform_id__in=platform_ids)
        bookings = bookings.filter(appointment__platform_id__in=platform_ids)
    found = [Entry("phone_reveal", row.at, _name(row.user), "", str(_("incident %(number)s") % {"number": row.incident.number}),
                   str(_("caller's number read")), {}) for row in calls.order_by("-at")[:limit]]
    found += [Entry("phone_reveal", row.at, _name(row.user), "",
                    str(_("appointment %(id)s") % {"id": row.appointment_id}), str(_("citizen's number read")), {})
              for row in bookings.order_by("-at")[:limit]]
    return found


def _name(user) -> str:
    return user.get_username() if user is not None else ""


def install_actor_hook() -> None:
    """The audit trail's actor for API calls: django-auditlog's middleware reads the login before DRF
    has authenticated an API token, so the actor is set again once DRF knows who it is."""
    from auditlog.context import auditlog_value
    from rest_framework.views import APIView

    original = APIView.perform_authentication
    if getattr(original, "__wrapped__", None):
        return

    def perform_authentication(self, request):
        original(self, request)
        user = request.user
        if user is not None and user.is_authenticated:
            try:
                auditlog_value.get()["actor"] = user
            except LookupError:  # no request context (a test calling the view directly)
                pass

    perform_authentication.__wrapped__ = original
    APIView.perform_authentication = perform_authentication
