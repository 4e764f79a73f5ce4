"""The clerk's desk page and its forms, the platform's queue display, and the supervisor's follow-up
forms. Thin: authorize, parse the form with the API's input serializers, call one service, redirect
(or render the page again with the reasons, 400/409, nothing changed)."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from command.views import _require
from common.roles import Role
from common.scoping import scoped
from platforms.models import Platform
from services import callbacks, desk, selectors
from services.api import serializers as s
from services.models import (
    Appointment,
    AttemptOutcome,
    CallbackSurvey,
    FollowUp,
    HelpKind,
    Outcome,
    Rating,
    ServiceType,
    Station,
    Ticket,
    TicketStatus,
)

DESK_ROLES = (Role.CLERK, Role.ADMINISTRATOR)
CONFLICTS = {"conflict", "invalid_transition"}


def _platforms(access):
    return scoped(Platform.objects.all(), access.platform_ids, "id").order_by("code")


def _platform(access, value) -> Platform | None:
    platforms = _platforms(access)
    if value in (None, ""):
        return platforms.first()
    if not str(value).isdigit():
        raise Http404(_("No such platform."))
    return get_object_or_404(platforms, pk=int(value))


def desk_context(access, platform, days: int = 7) -> dict:
    day = timezone.localdate()
    ids = {platform.pk} if platform else access.platform_ids
    queue = list(selectors.queue_of_day(ids, day))
    return {
        "platform": platform, "platforms": _platforms(access), "day": day,
        "offers": selectors.offers_of(platform.pk) if platform else [],
        "service_types": ServiceType.objects.prefetch_related("offers"),
        "appointments": selectors.appointments_of_day(ids, day),
        "at_counter": [t for t in queue if t.status in (TicketStatus.CALLED, TicketStatus.SERVING)],
        "waiting": [t for t in queue if t.status == TicketStatus.WAITING],
        "finished": [t for t in queue if t.status in (TicketStatus.DONE, TicketStatus.NO_SHOW)],
        "help": selectors.help_counts(ids, day), "figures": selectors.desk_figures(ids, day),
        "callbacks": [(survey, selectors.survey_summary(survey)) for survey in selectors.callback_queue(ids)[:50]],
        "satisfaction": selectors.satisfaction_totals(ids, days=days), "stations": Station.objects.all(),
        "outcomes": Outcome.choices, "ratings": Rating.choices, "attempt_outcomes": AttemptOutcome.choices,
        "help_kinds": HelpKind.choices, "grace_minutes": settings.DESK_NO_SHOW_GRACE_S // 60,
        "max_tries": settings.CALLBACK_MAX_TRIES,
    }


@require_GET
def desk_page(request):
    access = _require(request, *DESK_ROLES)
    return _render(request, access, _platform(access, request.GET.get("platform")))


def _render(request, access, platform, errors=(), status=200):
    days = selectors.period_days(request.GET.get("satisfaction_days"))
    context = {**desk_context(access, platform, days), "errors": list(errors)}
    return render(request, "command/desk.html", context, status=status)


def _back(platform) -> str:
    return f"{reverse('desk')}?platform={platform.pk}" if platform else reverse("desk")


def _act(request, access, platform, action, success: str):
    """Run one service; on refusal the page again with the reasons (400, or 409 when the data moved)."""
    try:
        action()
    except ValidationError as error:
        status = 409 if getattr(error, "code", None) in CONFLICTS else 400
        return _render(request, access, platform, errors=error.messages, status=status)
    messages.success(request, success)
    return redirect(_back(platform))


def _form(serializer_class, request) -> dict:
    # The page's forms post the platform (read by the view) beside the step's own fields: only the
    # step's fields go to its serializer, which refuses any field it does not have.
    fields = serializer_class().fields
    data = {key: value for key, value in request.POST.items() if key in fields}
    serializer = serializer_class(data=data, context={"request": request})
    if not serializer.is_valid():
        raise ValidationError([" ".join(map(str, errors)) for errors in serializer.errors.values()])
    return serializer.validated_data


def _ticket(access, ticket_id) -> Ticket:
    return get_object_or_404(scoped(Ticket.objects.all(), access.platform_ids), pk=ticket_id)


@require_POST
def desk_walk_in(request):
    access = _require(request, *DESK_ROLES)
    platform = _platform(access, request.POST.get("platform"))
    made = []

    def issue():
        service = ServiceType.objects.filter(pk=_form(s.TicketIssueSerializer, request)["service_type"]).first()
        made.append(desk.ticket_issue(actor=request.user, platform=platform, service_type=service))

    response = _act(request, access, platform, issue, _("Ticket issued."))
    if made:
        messages.info(request, _("Ticket %(number)s: please wait to be called.") % {"number": made[0].number})
    return response


@require_POST
def desk_call_next(request):
    access = _require(request, *DESK_ROLES)
    platform = _platform(access, request.POST.get("platform"))
    called = []

    def call():
        called.append(desk.ticket_call_next(actor=request.user, platform=platform,
                                            counter=_form(s.TicketCounterSerializer, request)["counter"]))

    response = _act(request, access, platform, call, _("Next ticket called."))
    if called and called[0] is None:
        messages.info(request, _("Nobody is waiting."))
    return response


@require_POST
def desk_ticket_step(request, ticket_id: int, step: str):
    access = _require(request, *DESK_ROLES)
    ticket = _ticket(access, ticket_id)
    steps = {
        "call": lambda: desk.ticket_call(actor=request.user, ticket=ticket, **_form(s.TicketCounterSerializer, request)),
        "serve": lambda: desk.ticket_serve(actor=request.user, ticket=ticket),
        "complete": lambda: desk.ticket_complete(actor=request.user, ticket=ticket, **_form(s.TicketCompleteSerializer, request)),
        "no-show": lambda: desk.ticket_no_show(actor=request.user, ticket=ticket),
    }
    if step not in steps:
        raise Http404(_("No such step."))
    return _act(request, access, ticket.platform, steps[step], _("Ticket %(number)s updated.") % {"number": ticket.number})


@require_POST
def desk_check_in(request, appointment_id: int):
    access = _require(request, *DESK_ROLES)
    appointment = get_object_or_404(scoped(Appointment.objects.all(), access.platform_ids), pk=appointment_id)
    return _act(request, access, appointment.platform,
                lambda: desk.appointment_check_in(actor=request.user, appointment=appointment),
                _("Checked in: the ticket is in the queue."))


@require_POST
def desk_help(request):
    access = _require(request, *DESK_ROLES)
    platform = _platform(access, request.POST.get("platform"))
    return _act(request, access, platform,
                lambda: desk.help_log(actor=request.user, platform=platform, kind=request.POST.get("kind", ""),
                                      note=request.POST.get("note", "")), _("Help logged."))


@require_POST
def desk_callback(request, survey_id: int):
    access = _require(request, *DESK_ROLES)
    survey = get_object_or_404(scoped(CallbackSurvey.objects.all(), access.platform_ids), pk=survey_id)
    return _act(request, access, survey.platform,
                lambda: callbacks.callback_record(actor=request.user, survey=survey, **_form(s.CallbackAttemptSerializer, request)),
                _("Call recorded."))


@require_GET
def queue_display(request):
    """A screen at the platform: the tickets called and their counters (static/command/pages/queue_display.js)."""
    access = _require(request, Role.CLERK, Role.SUPERVISOR, Role.ADMINISTRATOR)
    platform = _platform(access, request.GET.get("platform"))
    if platform is None:
        raise Http404(_("No platforms in your scope."))
    return render(request, "services/queue_display.html", {
        "platform": platform, "called": selectors.called_now(platform.pk),
        "display_url": f"{reverse('desk-display')}?platform={platform.pk}"})


# --- the supervisor's follow-ups --------------------------------------------------------------

def _follow_up(request, follow_up_id: int) -> FollowUp:
    access = _require(request, Role.SUPERVISOR, Role.ADMINISTRATOR)
    return get_object_or_404(selectors.follow_ups(access.platform_ids), pk=follow_up_id)


def _after_follow_up(request, action, success: str):
    try:
        action()
    except ValidationError as error:
        status = 409 if getattr(error, "code", None) in CONFLICTS else 400
        return render(request, "services/refused.html", {"errors": error.messages,
                                                         "back": f"{reverse('supervisor')}#follow-ups"}, status=status)
    messages.success(request, success)
    return redirect(f"{reverse('supervisor')}#follow-ups")


@require_POST
def follow_up_note(request, follow_up_id: int):
    follow_up = _follow_up(request, follow_up_id)
    return _after_follow_up(request, lambda: callbacks.follow_up_note(actor=request.user, follow_up=follow_up,
                                                                      text=request.POST.get("text", "")),
                            _("Note added."))


@require_POST
def follow_up_close(request, follow_up_id: int):
    follow_up = _follow_up(request, follow_up_id)
    return _after_follow_up(request, lambda: callbacks.follow_up_close(actor=request.user, follow_up=follow_up,
                                                                       note=request.POST.get("note", "")),
                            _("Follow-up closed."))
