"""Reads the desk, the public pages, the supervisor page and the API share. Phones leave here masked."""
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from common.names import local_name
from common.scoping import scoped
from platforms.models import Platform
from services.models import (
    Appointment,
    CallbackSurvey,
    FollowUp,
    FollowUpStatus,
    HelpGiven,
    HelpKind,
    OpeningHours,
    ServiceOffer,
    Slot,
    SurveyStatus,
    Ticket,
    TicketStatus,
)


WALK_IN_LAST = ExpressionWrapper(Q(appointment__isnull=True), output_field=BooleanField())


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()), timezone.get_default_timezone())
    return start, start + timedelta(days=1)


def percentile(ordered: list[float], q: float) -> float | None:
    """The nearest-rank percentile (as dispatch's figures): None for no values."""
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * q // 1))
    return ordered[int(rank) - 1]


# --- the catalogue and slots (public) ---------------------------------------------------------------

def public_platforms():
    """Platforms whose desk offers at least one service and has opening hours."""
    return (Platform.objects.filter(service_offers__isnull=False, opening_hours__isnull=False)
            .distinct().order_by("code"))


def offers_of(platform_id: int):
    return ServiceOffer.objects.filter(platform_id=platform_id).select_related("service_type").order_by("service_type__code")


def hours_of_platform(platform_id: int):
    return OpeningHours.objects.filter(platform_id=platform_id).order_by("weekday")


def free_slots(*, platform_id: int, service_type_id: int, day: date):
    start, end = day_bounds(day)
    start = max(start, timezone.now())
    return (Slot.objects.filter(platform_id=platform_id, service_type_id=service_type_id, starts_at__gte=start,
                                starts_at__lt=end).order_by("starts_at"))


def booking_by_token(token: str) -> Appointment | None:
    return (Appointment.objects.select_related("platform", "service_type", "slot")
            .filter(manage_token=str(token or "").upper()).first())


def survey_public(survey: CallbackSurvey) -> dict:
    """What the citizen's survey page shows: no name, no phone, no address."""
    incident = survey.incident
    return {"date": timezone.localtime(incident.received_at).date(), "category": str(incident.get_category_display()),
            "platform": local_name(survey.platform) if survey.platform else ""}


# --- the desk's day --------------------------------------------------------------------------------

def appointments_of_day(platform_ids, day: date):
    start, end = day_bounds(day)
    return (scoped(Appointment.objects.select_related("service_type", "platform", "ticket"), platform_ids)
            .filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "id"))


def queue_of_day(platform_ids, day: date):
    return (scoped(Ticket.objects.select_related("service_type", "platform", "appointment", "station"), platform_ids)
            .filter(day=day).annotate(walk_in=WALK_IN_LAST).order_by("walk_in", "issued_at", "id"))


def called_now(platform_id: int, limit: int = 8) -> list[Ticket]:
    """What the queue display shows: the latest calls today, newest first."""
    return list(Ticket.objects.filter(platform_id=platform_id, day=timezone.localdate(),
                                      status__in=(TicketStatus.CALLED, TicketStatus.SERVING))
                .select_related("service_type").order_by("-called_at", "-id")[:limit])


def help_counts(platform_ids, day: date) -> list[dict]:
    start, end = day_bounds(day)
    counts = dict(scoped(HelpGiven.objects.filter(at__gte=start, at__lt=end), platform_ids)
                  .values_list("kind").annotate(n=Count("id")))
    return [{"kind": kind.value, "label": kind.label, "count": counts.get(kind.value, 0)} for kind in HelpKind]


def desk_figures(platform_ids, day: date) -> list[dict]:
    """Per platform and service: served, waited (issue → call) P50/P90 in seconds, no-shows; and a
    row per platform with everything."""
    tickets = scoped(Ticket.objects.filter(day=day).select_related("platform", "service_type"), platform_ids)
    start, end = day_bounds(day)
    missed = (scoped(Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end, status="no_show",
                                                ticket__isnull=True), platform_ids)
              .values_list("platform_id", "service_type_id"))
    groups = defaultdict(list)
    for ticket in tickets:
        groups[(ticket.platform, ticket.service_type)].append(ticket)
        groups[(ticket.platform, None)].append(ticket)
    extra = defaultdict(int)
    for platform_id, service_id in missed:
        extra[(platform_id, service_id)] += 1
        extra[(platform_id, None)] += 1
    rows = [_figures_row(platform, service, found, extra) for (platform, service), found in groups.items()]
    return sorted(rows, key=lambda row: (row["platform_code"], row["service_code"] or ""))


def _figures_row(platform, service, tickets: list[Ticket], extra: dict) -> dict:
    waits = sorted(t.waited_s for t in tickets if t.waited_s is not None)
    key = (platform.pk, service.pk if service else None)
    return {"platform": platform.pk, "platform_code": platform.code, "platform_name": local_name(platform),
            "service": service.pk if service else None, "service_code": service.code if service else None,
            "service_name": local_name(service) if service else "",
            "tickets": len(tickets), "served": sum(1 for t in tickets if t.status == TicketStatus.DONE),
            "no_shows": sum(1 for t in tickets if t.status == TicketStatus.NO_SHOW) + extra.get(key, 0),
            "waited_p50_s": percentile(waits, 0.5), "waited_p90_s": percentile(waits, 0.9)}


# --- callbacks and follow-ups ------------------------------------------------------------------------

def callback_queue(platform_ids):
    return (scoped(CallbackSurvey.objects.filter(status=SurveyStatus.CALLBACK), platform_ids)
            .select_related("incident", "platform").annotate(tries=Count("attempts"))
            .order_by("callback_due_at", "id"))


def survey_summary(survey: CallbackSurvey) -> dict:
    """What a clerk may know of the incident: no description, result or notes, the caller masked."""
    incident = survey.incident
    return {"number": incident.number, "category": incident.category, "category_label": str(incident.get_category_display()),
            "received_at": incident.received_at, "closed_at": incident.closed_at,
            "closing": incident.closing, "closing_label": str(incident.get_closing_display()) if incident.closing else "",
            "address": incident.address, "sensitive": survey.sensitive}


def follow_ups(platform_ids, *, open_only: bool = False):
    rows = scoped(FollowUp.objects.select_related("survey__incident", "platform", "closed_by"), platform_ids)
    rows = rows.prefetch_related("notes__author")
    return rows.filter(status=FollowUpStatus.OPEN) if open_only else rows


# --- satisfaction ------------------------------------------------------------------------------------

GROUPS = {"platform": "platform_id", "unit": "unit_id", "category": "incident__category", "day": None}


def satisfaction(platform_ids, *, group_by: str = "platform", since: datetime | None = None,
                 until: datetime | None = None) -> list[dict]:
    """Per group: surveys, answered, and the overall answers (the worst of speed, attitude, result):
    satisfied, basically satisfied, unsatisfied, with the satisfaction rate (满意率: satisfied or
    basically satisfied, of those answered)."""
    surveys = scoped(CallbackSurvey.objects.all(), platform_ids)
    if since:
        surveys = surveys.filter(created_at__gte=since)
    if until:
        surveys = surveys.filter(created_at__lt=until)
    rows = defaultdict(lambda: {"surveys": 0, "answered": 0, "satisfied": 0, "basic": 0, "unsatisfied": 0})
    labels = {}
    for survey in surveys.select_related("platform", "unit", "incident"):
        key, label = _group_of(survey, group_by)
        labels[key] = label
        row = rows[key]
        row["surveys"] += 1
        if survey.status == SurveyStatus.ANSWERED:
            row["answered"] += 1
            row[{5: "satisfied", 3: "basic", 1: "unsatisfied"}[survey.satisfaction]] += 1
    return [_rate({"key": key, "label": labels[key], **row}) for key, row in sorted(rows.items(), key=lambda kv: str(kv[0]))]


def _group_of(survey: CallbackSurvey, group_by: str) -> tuple:
    if group_by == "platform":
        return survey.platform_id, local_name(survey.platform) if survey.platform else "–"
    if group_by == "unit":
        return survey.unit_id, survey.unit.call_sign if survey.unit else "–"
    if group_by == "category":
        return survey.incident.category, str(survey.incident.get_category_display())
    day = timezone.localtime(survey.created_at).date().isoformat()
    return day, day


def _rate(row: dict) -> dict:
    row["rate"] = round((row["satisfied"] + row["basic"]) / row["answered"], 4) if row["answered"] else None
    return row


PERIODS = (7, 30, 90)


def period_days(value) -> int:
    """A page's `?satisfaction_days=`: one of PERIODS, else a week."""
    return int(value) if str(value) in {str(days) for days in PERIODS} else PERIODS[0]


def satisfaction_totals(platform_ids, *, days: int = 7) -> dict:
    since = timezone.now() - timedelta(days=days)
    rows = satisfaction(platform_ids, group_by="platform", since=since)
    total = {name: sum(row[name] for row in rows) for name in ("surveys", "answered", "satisfied", "basic", "unsatisfied")}
    return {"days": days, "since": since, "periods": PERIODS, "by_platform": rows, "by_category": satisfaction(platform_ids, group_by="category", since=since),
            "by_unit": satisfaction(platform_ids, group_by="unit", since=since), "total": _rate({"key": None, "label": "", **total}),
            "open_follow_ups": follow_ups(platform_ids, open_only=True).count(),
            "callbacks_waiting": callback_queue(platform_ids).count()}
