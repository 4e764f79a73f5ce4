"""Congestion (拥堵) on scene: its cause, the lanes affected, and when traffic was flowing again. The
5-minute clock runs from the first unit's arrival to "traffic flowing"."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traffic.models.accidents import MAX_LANES

CLEARANCE_TARGET_S = 300   # congestion cleared within 5 minutes of arrival
HANDLING_TARGET_S = 600    # a minor accident handled within 10 minutes of arrival


class CongestionCause(models.TextChoices):
    ACCIDENT = "accident", _("Accident")
    BREAKDOWN = "breakdown", _("Breakdown")
    SIGNAL_FAILURE = "signal_failure", _("Signal failure")
    EVENT = "event", _("Event")
    VOLUME = "volume", _("Volume of traffic")


class CongestionRecord(models.Model):
    incident = models.OneToOneField("dispatch.Incident", on_delete=models.PROTECT, related_name="congestion",
                                    verbose_name=_("incident"))
    cause = models.CharField(_("cause"), max_length=20, choices=CongestionCause.choices)
    lanes_affected = models.PositiveSmallIntegerField(_("lanes affected"),
                                                      validators=[MinValueValidator(1), MaxValueValidator(MAX_LANES)])
    flowing_at = models.DateTimeField(_("traffic flowing at"), null=True, blank=True)
    unit = models.ForeignKey("platforms.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("congestion record")
        verbose_name_plural = _("congestion records")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(cause__in=CongestionCause.values), name="traffic_congestion_cause_known"),
            models.CheckConstraint(condition=Q(lanes_affected__gte=1, lanes_affected__lte=MAX_LANES),
                                   name="traffic_congestion_lanes_range"),
        ]

    def __str__(self):
        return f"{self.incident.number} {self.get_cause_display()}"
