"""110 incidents (their category, priority, status and transitions, how they end) and their append-only timeline."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grid.models import Located, lon_lat_constraints
from platforms.transitions import TransitionTable


class Category(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    PUBLIC_ORDER = "public_order", _("Public order")
    DISPUTE = "dispute", _("Dispute")
    TRAFFIC_ACCIDENT = "traffic_accident", _("Traffic accident")
    TRAFFIC_CONGESTION = "traffic_congestion", _("Traffic congestion")
    RESCUE = "rescue", _("Rescue and assistance")
    MASS_EVENT = "mass_event", _("Mass event")
    OTHER = "other", _("Other")


class Priority(models.IntegerChoices):
    P1 = 1, _("P1 emergency")
    P2 = 2, _("P2 urgent")
    P3 = 3, _("P3 routine")
    P4 = 4, _("P4 non-urgent")


class IncidentStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("incident status", "Received")
    WAITING = "waiting", _("Waiting for a unit")
    DISPATCHED = "dispatched", _("Dispatched")
    ON_SCENE = "on_scene", _("On scene")
    CLEARED = "cleared", _("Cleared")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_INCIDENT_STATUSES = (IncidentStatus.RECEIVED, IncidentStatus.WAITING, IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE)

INCIDENT_TRANSITIONS = TransitionTable(
    "incident",
    {
        IncidentStatus.RECEIVED: {IncidentStatus.WAITING, IncidentStatus.DISPATCHED, IncidentStatus.CANCELLED},
        IncidentStatus.WAITING: {IncidentStatus.DISPATCHED, IncidentStatus.CANCELLED},
        IncidentStatus.DISPATCHED: {IncidentStatus.ON_SCENE, IncidentStatus.WAITING, IncidentStatus.CANCELLED},
        IncidentStatus.ON_SCENE: {IncidentStatus.CLEARED},
        IncidentStatus.CLEARED: {IncidentStatus.CLOSED, IncidentStatus.WAITING},
        # Reopened: back in the queue for a unit, with the reason on the timeline.
        IncidentStatus.CLOSED: {IncidentStatus.WAITING},
        IncidentStatus.CANCELLED: {IncidentStatus.WAITING},
    },
)


class Origin(models.TextChoices):
    CALL = "call", _("110 call")
    ON_VIEW = "on_view", _("Found on patrol")


class Disposition(models.TextChoices):
    """How a handled incident ended (结警): chosen when it is closed."""

    RESOLVED = "resolved", _("Resolved on scene")
    MEDIATED = "mediated", _("Mediated")
    DETAINED = "detained", _("Suspect detained")
    REFERRED = "referred", _("Referred to another agency")
    CASE_OPENED = "case_opened", _("Case opened")
    ADVICE = "advice", _("Advice given")
    NOT_FOUND = "not_found", _("Nothing found on scene")
    NOT_POLICE = "not_police", _("Not a police matter")


class CancelReason(models.TextChoices):
    """Why a call needed no unit after all (撤销)."""

    DUPLICATE = "duplicate", _("Duplicate call")
    FALSE_ALARM = "false_alarm", _("False alarm")
    WITHDRAWN = "withdrawn", _("Caller withdrew")
    BY_PHONE = "by_phone", _("Handled by phone")

phone_validator = RegexValidator(r"^\+?[0-9][0-9 -]{2,19}$", _("Enter a phone number: digits, spaces or dashes."))


class Incident(Located):
    """A 110 call and its handling. Judged against its target: 60 / 180 / 300 s to on scene."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    caller_name = models.CharField(_("caller name"), max_length=50, blank=True)
    caller_phone = models.CharField(_("caller phone"), max_length=20, blank=True, validators=[phone_validator])
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.P3)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    address = models.CharField(_("address"), max_length=200, blank=True)
    zone = models.ForeignKey("grid.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="incidents",
                             verbose_name=_("zone"))
    key_site = models.ForeignKey("grid.KeySite", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="incidents", verbose_name=_("key site"))
    target_s = models.PositiveIntegerField(_("response target (s)"))
    status = models.CharField(_("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.RECEIVED)
    at_risk = models.BooleanField(_("target at risk"), default=False)
    disposition = models.CharField(_("disposition"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.CALL)
    related_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="related",
                                   verbose_name=_("related to"))
    closing = models.CharField(_("closing disposition"), max_length=20, choices=Disposition.choices, blank=True)
    result = models.TextField(_("result"), max_length=2000, blank=True)
    cancel_reason = models.CharField(_("cancel reason"), max_length=20, choices=CancelReason.choices, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("taken by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The two clocks (DESIGN §3.6): the first order to a unit, and the first unit on scene.
    dispatched_at = models.DateTimeField(_("first unit ordered at"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("first unit on scene at"), null=True, blank=True)
    # The first arrival confirmed by where the unit was (a geofence fix, or a report near the scene);
    # the ring figures use it where there is one.
    verified_on_scene_at = models.DateTimeField(_("first verified arrival at"), null=True, blank=True)
    # When the engine last took the incident up; the sweeper retries ones left behind.
    engine_checked_at = models.DateTimeField(_("engine last checked at"), null=True, blank=True)
    units_needed = models.PositiveSmallIntegerField(_("units needed"), default=1)
    version = models.PositiveBigIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "priority"], name="dispatch_incident_queue")]
        constraints = [
            *lon_lat_constraints(),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="dispatch_incident_category_known"),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=4), name="dispatch_incident_priority_range"),
            models.CheckConstraint(condition=Q(status__in=IncidentStatus.values), name="dispatch_incident_status_known"),
            models.CheckConstraint(condition=Q(target_s__in=[60, 180, 300]), name="dispatch_incident_target_known"),
            models.CheckConstraint(condition=~Q(idempotency_key=""), name="dispatch_incident_idempotency_not_blank"),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="dispatch_incident_origin_known"),
            models.CheckConstraint(condition=~Q(related_to=models.F("id")), name="dispatch_incident_not_related_to_itself"),
        ]

    def __str__(self):
        return f"{self.number} {self.get_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_INCIDENT_STATUSES

    # Response figures. The ring target is judged from the first order to the first unit on scene
    # (反应到位), so a unit that never acknowledged counts against it; the call clock is reported beside.
    @property
    def call_to_dispatch_s(self) -> float | None:
        return _seconds(self.received_at, self.dispatched_at)

    @property
    def arrived_at(self):
        """The verified arrival where there is one (a fix near the scene), else the first reported."""
        return self.verified_on_scene_at or self.on_scene_at

    @property
    def arrival_unverified(self) -> bool:
        return self.on_scene_at is not None and self.verified_on_scene_at is None

    @property
    def dispatch_to_scene_s(self) -> float | None:
        return _seconds(self.dispatched_at, self.arrived_at)

    @property
    def call_to_scene_s(self) -> float | None:
        return _seconds(self.received_at, self.arrived_at)

    @property
    def met_target(self) -> bool | None:
        response = self.dispatch_to_scene_s
        return None if response is None else response <= self.target_s


def _seconds(start, end) -> float | None:
    return None if start is None or end is None else round((end - start).total_seconds(), 1)


class EventKind(models.TextChoices):
    CREATED = "created", _("Call received")
    RECOMMENDED = "recommended", _("Units recommended")
    ASSIGNED = "assigned", _("Unit assigned")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EN_ROUTE = "en_route", _("En route")
    ON_SCENE = "on_scene", _("On scene")
    CLEARED = "cleared", _("Cleared")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    ACK_TIMEOUT = "ack_timeout", _("Not acknowledged in time")
    REDISPATCHED = "redispatched", _("Re-dispatched")
    PREEMPTED = "preempted", _("Unit pre-empted")
    AT_RISK = "at_risk", _("Target at risk")
    WAITING = "waiting", _("Waiting for a free unit")
    NOTE = "note", _("Note")
    CALLER_ADDED = "caller_added", _("Another caller")
    RELATED = "related", _("Related incident")
    REOPENED = "reopened", _("Reopened")
    REASSIGNED = "reassigned", _("Unit replaced")
    RECALLED = "recalled", _("Unit recalled")
    PHOTO = "photo", _("Photo added")
    CAR_BACKUP = "car_backup", _("Car sent beside a unit on foot or on two wheels")


class IncidentEvent(models.Model):
    """One step of an incident's handling: who did what and when. Append-only, in the database too."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="events", verbose_name=_("incident"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    unit = models.ForeignKey("platforms.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="dispatch_event_kind_known")]

    def __str__(self):
        return f"{self.incident.number} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Incident events are append-only: they cannot be changed."), code="append_only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Incident events are append-only: they cannot be deleted."), code="append_only")
