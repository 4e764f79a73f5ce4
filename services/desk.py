"""The clerk's desk: check a booked citizen in, give a walk-in a ticket (取号), call the next ticket to a
counter, serve it, complete it with an outcome, mark a no-show after the grace time; help given that is
not a service, in one click. Every step is a DeskEvent with who and when; moves go through a table."""
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platforms.models import Platform
from platforms.transitions import TransitionTable
from services.models import (
    Appointment,
    AppointmentPhoneReveal,
    AppointmentStatus,
    DeskEvent,
    DeskEventKind,
    HelpGiven,
    HelpKind,
    Outcome,
    ServiceOffer,
    Station,
    Ticket,
    TicketStatus,
)

TICKET_TRANSITIONS = TransitionTable("ticket", {
    TicketStatus.WAITING: {TicketStatus.CALLED, TicketStatus.NO_SHOW},
    TicketStatus.CALLED: {TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.DONE, TicketStatus.NO_SHOW},
    TicketStatus.SERVING: {TicketStatus.DONE},
})
WALK_IN, BOOKED = "A", "Y"
WALK_IN_FIRST_LAST = ExpressionWrapper(Q(appointment__isnull=True), output_field=BooleanField())  # False sorts first


def _event(kind: str, *, actor=None, ticket=None, appointment=None, **data) -> DeskEvent:
    return DeskEvent.objects.create(kind=kind, actor=actor, ticket=ticket, appointment=appointment or
                                    (ticket.appointment if ticket else None), data=data)


def _next_number(platform_id: int, day, prefix: str) -> str:
    # The platform's row lock serialises numbering: two clerks issuing at once get 001 and 002.
    Platform.objects.select_for_update().filter(pk=platform_id).first()
    issued = Ticket.objects.filter(platform_id=platform_id, day=day, number__startswith=prefix).count()
    return f"{prefix}{issued + 1:03d}"


@transaction.atomic
def ticket_issue(*, actor, platform: Platform, service_type, appointment: Appointment | None = None) -> Ticket:
    """A queue number for today: `A…` for a walk-in, `Y…` for a booked citizen checking in."""
    offer = ServiceOffer.objects.filter(platform=platform, service_type=service_type).first()
    if offer is None:
        raise ValidationError({"service_type": _("This platform does not offer that service.")})
    if offer.needs_appointment and appointment is None:
        raise ValidationError({"service_type": _("This service is by appointment only: book a time for the citizen.")})
    day = timezone.localdate()
    number = _next_number(platform.pk, day, BOOKED if appointment else WALK_IN)
    ticket = Ticket.objects.create(platform=platform, service_type=service_type, appointment=appointment, day=day,
                                   number=number, clerk=actor)
    _event(DeskEventKind.ISSUED, actor=actor, ticket=ticket, number=number)
    return ticket


@transaction.atomic
def appointment_check_in(*, actor, appointment: Appointment) -> Ticket:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("This appointment is %(status)s: it cannot be checked in.")
                              % {"status": appointment.get_status_display()}, code="invalid_transition")
    if timezone.localtime(appointment.starts_at).date() != timezone.localdate():
        raise ValidationError(_("This appointment is for another day."), code="invalid_transition")
    appointment.status, appointment.clerk = AppointmentStatus.CHECKED_IN, actor
    appointment.save(update_fields=["status", "clerk"])
    _event(DeskEventKind.CHECKED_IN, actor=actor, appointment=appointment)
    return ticket_issue(actor=actor, platform=appointment.platform, service_type=appointment.service_type,
                        appointment=appointment)


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).select_related("appointment").get(pk=ticket.pk)


@transaction.atomic
def ticket_call(*, actor, ticket: Ticket, counter: str) -> Ticket:
    """Call the ticket to a counter (again, if the citizen did not come forward)."""
    ticket = _locked(ticket)
    TICKET_TRANSITIONS.check(ticket.status, TicketStatus.CALLED)
    ticket.status, ticket.counter, ticket.clerk = TicketStatus.CALLED, (counter or "").strip()[:20], actor
    ticket.called_at = ticket.called_at or timezone.now()
    ticket.save(update_fields=["status", "counter", "clerk", "called_at"])
    _event(DeskEventKind.CALLED, actor=actor, ticket=ticket, counter=ticket.counter)
    return ticket


@transaction.atomic
def ticket_call_next(*, actor, platform: Platform, counter: str) -> Ticket | None:
    """The next waiting ticket, booked citizens first, each group in the order they were issued; a
    ticket another clerk is calling at this moment is skipped, not waited for."""
    waiting = Ticket.objects.filter(platform=platform, day=timezone.localdate(), status=TicketStatus.WAITING)
    ticket = waiting.select_for_update(skip_locked=True).annotate(walk_in=WALK_IN_FIRST_LAST).order_by(
        "walk_in", "issued_at", "id").first()
    return None if ticket is None else ticket_call(actor=actor, ticket=ticket, counter=counter)


@transaction.atomic
def ticket_serve(*, actor, ticket: Ticket) -> Ticket:
    ticket = _locked(ticket)
    TICKET_TRANSITIONS.check(ticket.status, TicketStatus.SERVING)
    ticket.status, ticket.serving_at, ticket.clerk = TicketStatus.SERVING, timezone.now(), actor
    ticket.save(update_fields=["status", "serving_at", "clerk"])
    _event(DeskEventKind.SERVING, actor=actor, ticket=ticket)
    return ticket


@transaction.atomic
def ticket_complete(*, actor, ticket: Ticket, outcome: str, station: Station | None = None, note: str = "") -> Ticket:
    """Done; more documents needed; or referred to a station (which one is required)."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if outcome == Outcome.REFERRED and station is None:
        raise ValidationError({"station": _("Choose the station the citizen is referred to.")})
    ticket = _locked(ticket)
    TICKET_TRANSITIONS.check(ticket.status, TicketStatus.DONE)
    ticket.status, ticket.outcome, ticket.completed_at, ticket.clerk = TicketStatus.DONE, outcome, timezone.now(), actor
    ticket.station, ticket.note = (station if outcome == Outcome.REFERRED else None), (note or "").strip()[:500]
    ticket.serving_at = ticket.serving_at or ticket.completed_at
    ticket.save()
    if ticket.appointment_id:
        Appointment.objects.filter(pk=ticket.appointment_id).update(status=AppointmentStatus.SERVED, clerk=actor)
    _event(DeskEventKind.COMPLETED, actor=actor, ticket=ticket, outcome=outcome, station=ticket.station_id)
    return ticket


@transaction.atomic
def ticket_no_show(*, actor, ticket: Ticket) -> Ticket:
    """A called citizen who has not come forward within DESK_NO_SHOW_GRACE_S."""
    ticket = _locked(ticket)
    TICKET_TRANSITIONS.check(ticket.status, TicketStatus.NO_SHOW)
    grace = timedelta(seconds=settings.DESK_NO_SHOW_GRACE_S)
    if ticket.status == TicketStatus.CALLED and ticket.called_at > timezone.now() - grace:
        raise ValidationError(_("Wait %(minutes)d minutes after the call before marking a no-show.")
                              % {"minutes": settings.DESK_NO_SHOW_GRACE_S // 60}, code="invalid_transition")
    ticket.status = TicketStatus.NO_SHOW
    ticket.save(update_fields=["status"])
    if ticket.appointment_id:
        Appointment.objects.filter(pk=ticket.appointment_id).update(status=AppointmentStatus.NO_SHOW)
    _event(DeskEventKind.NO_SHOW, actor=actor, ticket=ticket)
    return ticket


def help_log(*, actor, platform: Platform, kind: str, note: str = "") -> HelpGiven:
    if kind not in HelpKind.values:
        raise ValidationError({"kind": _("Choose what kind of help was given.")})
    return HelpGiven.objects.create(platform=platform, kind=kind, clerk=actor, note=(note or "").strip()[:300])


@transaction.atomic
def appointment_phone_reveal(*, actor, appointment: Appointment) -> str:
    """The full number, for the clerk to ring a late citizen; the reading is recorded."""
    AppointmentPhoneReveal.objects.create(appointment=appointment, user=actor)
    _event(DeskEventKind.PHONE_READ, actor=actor, appointment=appointment)
    return appointment.citizen_phone


def desk_sweep(now=None) -> dict:
    """Booked citizens who never checked in by their time plus the grace are no-shows; yesterday's
    tickets still waiting or called are closed as no-shows."""
    now = now or timezone.now()
    late = Appointment.objects.filter(status=AppointmentStatus.BOOKED,
                                      starts_at__lte=now - timedelta(seconds=settings.DESK_NO_SHOW_GRACE_S))
    missed = 0
    for appointment_id in late.values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            if Appointment.objects.filter(pk=appointment_id, status=AppointmentStatus.BOOKED).update(
                    status=AppointmentStatus.NO_SHOW):
                _event(DeskEventKind.NO_SHOW, appointment=Appointment(pk=appointment_id), by="sweep")
                missed += 1
    stale = Ticket.objects.filter(day__lt=timezone.localdate(now), status__in=(TicketStatus.WAITING, TicketStatus.CALLED))
    return {"appointments_missed": missed, "tickets_closed": stale.update(status=TicketStatus.NO_SHOW)}
