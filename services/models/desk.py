"""The desk's day: appointments (预约), queue tickets (取号), their timeline, help given that is not
one of the services, and each reading of a citizen's full phone number."""
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: read aloud at the desk and typed from an SMS.
TOKEN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_token(length: int = 10) -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(length))


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("No show")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_APPOINTMENT_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


class Appointment(models.Model):
    """A citizen's booking of a slot. The citizen manages it through `manage_token` (the link in the
    confirmation SMS); `idempotency_key` makes a double-submitted booking one booking."""

    service_type = models.ForeignKey("services.ServiceType", on_delete=models.PROTECT, related_name="appointments",
                                     verbose_name=_("service"))
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="appointments",
                                 verbose_name=_("platform"))
    slot = models.ForeignKey("services.Slot", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="appointments", verbose_name=_("slot"))
    citizen_name = models.CharField(_("citizen name"), max_length=50)
    citizen_phone = models.CharField(_("citizen phone"), max_length=20)
    starts_at = models.DateTimeField(_("starts at"))
    status = models.CharField(_("status"), max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("clerk"))
    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_token)
    manage_token = models.CharField(_("link token"), max_length=16, unique=True, default=new_token, editable=False)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["platform", "starts_at"], name="services_appt_platform_day")]
        constraints = [models.CheckConstraint(condition=Q(status__in=AppointmentStatus.values),
                                              name="services_appointment_status_known")]

    def __str__(self):
        return f"{self.service_type} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_APPOINTMENT_STATUSES


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Completed")
    NO_SHOW = "no_show", _("No show")


OPEN_TICKET_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    MORE_DOCUMENTS = "more_documents", _("More documents needed")
    REFERRED = "referred", _("Referred to a station")


class Ticket(models.Model):
    """A queue number at a platform's desk for one day: walk-ins get `A…`, booked citizens `Y…`."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="tickets",
                                 verbose_name=_("platform"))
    service_type = models.ForeignKey("services.ServiceType", on_delete=models.PROTECT, related_name="tickets",
                                     verbose_name=_("service"))
    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="ticket", verbose_name=_("appointment"))
    day = models.DateField(_("day"))
    number = models.CharField(_("number"), max_length=8)
    status = models.CharField(_("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    counter = models.CharField(_("counter"), max_length=20, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    serving_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    station = models.ForeignKey("services.Station", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("referred to"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("clerk"))

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["day", "issued_at", "id"]
        indexes = [models.Index(fields=["platform", "day", "status"], name="services_ticket_queue")]
        constraints = [
            models.UniqueConstraint(fields=["platform", "day", "number"], name="services_ticket_number_unique"),
            models.CheckConstraint(condition=Q(status__in=TicketStatus.values), name="services_ticket_status_known"),
            models.CheckConstraint(condition=~Q(outcome="referred") | Q(station__isnull=False),
                                   name="services_ticket_referral_names_station"),
        ]

    def __str__(self):
        return f"{self.platform} {self.day} {self.number}"

    @property
    def waited_s(self) -> float | None:
        if self.called_at is None:
            return None
        return round((self.called_at - self.issued_at).total_seconds(), 1)


class DeskEventKind(models.TextChoices):
    BOOKED = "booked", _("Booked")
    MOVED = "moved", _("Moved to another slot")
    CANCELLED = "cancelled", _("Cancelled")
    CHECKED_IN = "checked_in", _("Checked in")
    ISSUED = "issued", _("Ticket issued")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Service started")
    COMPLETED = "completed", _("Completed")
    NO_SHOW = "no_show", _("No show")
    PHONE_READ = "phone_read", _("Phone number read")


class DeskEvent(models.Model):
    """One step of an appointment or ticket: who did what and when. Append-only."""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="events", verbose_name=_("appointment"))
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
                               verbose_name=_("ticket"))
    kind = models.CharField(_("kind"), max_length=20, choices=DeskEventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("desk event")
        verbose_name_plural = _("desk events")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DeskEventKind.values), name="services_deskevent_kind_known"),
            models.CheckConstraint(condition=Q(appointment__isnull=False) | Q(ticket__isnull=False),
                                   name="services_deskevent_has_subject"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%H:%M:%S}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Desk events are append-only: they cannot be changed."), code="append_only")
        super().save(*args, **kwargs)


class HelpKind(models.TextChoices):
    DIRECTIONS = "directions", _("Directions")
    LOST_HANDED_IN = "lost_handed_in", _("Lost property handed in")
    LOST_CLAIMED = "lost_claimed", _("Lost property claimed")
    FIRST_AID = "first_aid", _("First aid")
    PHONE_CHARGE = "phone_charge", _("Phone charge")
    WATER = "water", _("Drinking water")
    OTHER = "other", _("Other help")


class HelpGiven(models.Model):
    """Help at the platform that is not one of the services, logged in one click."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="help_given",
                                 verbose_name=_("platform"))
    kind = models.CharField(_("kind"), max_length=20, choices=HelpKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("clerk"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("help given")
        verbose_name_plural = _("help given")
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=HelpKind.values), name="services_help_kind_known")]

    def __str__(self):
        return f"{self.platform} {self.get_kind_display()}"


class AppointmentPhoneReveal(models.Model):
    """One reading of a booked citizen's full phone number: who, when, which appointment. (An incident
    caller's number read from the callback queue is recorded in dispatch's PhoneReveal.)"""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="phone_reveals",
                                    verbose_name=_("appointment"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("read by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("booking phone number read")
        verbose_name_plural = _("booking phone numbers read")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user} {self.appointment_id} {self.at:%Y-%m-%d %H:%M}"
