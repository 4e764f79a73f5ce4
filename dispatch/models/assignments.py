"""Units sent to incidents, the engine's recommendations and the alerts a dispatcher must act on."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platforms.transitions import TransitionTable

from dispatch.models.incidents import Incident


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EN_ROUTE = "en_route", _("En route")
    ON_SCENE = "on_scene", _("On scene")
    CLEARED = "cleared", _("Cleared")
    CANCELLED = "cancelled", _("Cancelled")
    TIMED_OUT = "timed_out", _("Not acknowledged in time")
    PREEMPTED = "preempted", _("Pre-empted")


ACTIVE_ASSIGNMENT_STATUSES = (
    AssignmentStatus.ASSIGNED, AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.EN_ROUTE, AssignmentStatus.ON_SCENE,
)

ASSIGNMENT_TRANSITIONS = TransitionTable(
    "assignment",
    {
        AssignmentStatus.ASSIGNED: {AssignmentStatus.ACKNOWLEDGED, AssignmentStatus.EN_ROUTE, AssignmentStatus.ON_SCENE,
                                    AssignmentStatus.CANCELLED, AssignmentStatus.TIMED_OUT, AssignmentStatus.PREEMPTED},
        AssignmentStatus.ACKNOWLEDGED: {AssignmentStatus.EN_ROUTE, AssignmentStatus.ON_SCENE,
                                        AssignmentStatus.CANCELLED, AssignmentStatus.PREEMPTED},
        AssignmentStatus.EN_ROUTE: {AssignmentStatus.ON_SCENE, AssignmentStatus.CANCELLED, AssignmentStatus.PREEMPTED},
        AssignmentStatus.ON_SCENE: {AssignmentStatus.CLEARED},
    },
)


class Assignment(models.Model):
    """A unit sent to an incident. A unit never holds two active assignments (a partial unique index)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("incident"))
    unit = models.ForeignKey("platforms.Unit", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit"))
    status = models.CharField(_("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED)
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("assigned by"))
    ack_due_at = models.DateTimeField(_("acknowledgement due"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    en_route_at = models.DateTimeField(_("en route at"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("on scene at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    eta_s = models.FloatField(_("ETA at assignment (s)"), null=True, blank=True)
    # Where the unit was when it reported on scene: a report farther than ARRIVAL_VERIFY_RADIUS_M from
    # the scene is accepted but unverified (a geofence arrival is verified by its fix).
    arrival_distance_m = models.FloatField(_("distance from the scene at arrival (m)"), null=True, blank=True)
    arrival_verified = models.BooleanField(_("arrival verified"), null=True, blank=True)
    preempted_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("pre-empted from"))
    version = models.PositiveBigIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(status__in=ACTIVE_ASSIGNMENT_STATUSES),
                                    name="dispatch_one_active_assignment_per_unit",
                                    violation_error_message=_("This unit already holds an active assignment.")),
            models.UniqueConstraint(fields=["incident", "unit"], condition=Q(status__in=ACTIVE_ASSIGNMENT_STATUSES),
                                    name="dispatch_one_active_assignment_per_incident_unit"),
            models.CheckConstraint(condition=Q(status__in=AssignmentStatus.values), name="dispatch_assignment_status_known"),
        ]

    def __str__(self):
        return f"{self.unit} → {self.incident.number}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT_STATUSES


class Recommendation(models.Model):
    """The engine's ranked answer for an incident: the units it proposes and the alternatives.

    `options` lists every ranked unit, best first: {"unit", "call_sign", "eta_s", "distance_m",
    "meets_target", "stale", "workload", "estimated", "preempts"}; the first `units_needed` of
    them not stale are the proposal. Each run of the engine writes a new row; the console shows
    the latest, and accepting an older one is refused."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="recommendations",
                                 verbose_name=_("incident"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    options = models.JSONField(_("ranked units"), default=list, blank=True)
    proposed = models.JSONField(_("proposed unit ids"), default=list, blank=True)
    at_risk = models.BooleanField(_("no unit makes the target"), default=False)
    auto = models.BooleanField(_("dispatched by the engine"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self):
        return f"{self.incident.number} @ {timezone.localtime(self.created_at):%H:%M:%S}"


class AlertKind(models.TextChoices):
    NOT_ACKNOWLEDGED = "not_acknowledged", _("Not acknowledged in time")
    AT_RISK = "at_risk", _("Response target at risk")
    NO_UNIT = "no_unit", _("No unit available")
    PREEMPTED = "preempted", _("Unit pre-empted")
    OFFICER_MESSAGE = "officer_message", _("Message from a unit")


class Alert(models.Model):
    """Something a dispatcher must see and act on; open until someone acknowledges it."""

    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts",
                                 verbose_name=_("incident"))
    unit = models.ForeignKey("platforms.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    message = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["closed_at", "created_at"], name="dispatch_alert_open")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=AlertKind.values), name="dispatch_alert_kind_known")]

    def __str__(self):
        return self.message
