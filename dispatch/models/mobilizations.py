"""Mass musters (集结)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.models import Located, lon_lat_constraints

from dispatch.models.incidents import Incident


class MobilizationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Mobilization(Located):
    """A mass muster (集结): a head count of officers at a point within a deadline."""

    head_count = models.PositiveIntegerField(_("officers wanted"), validators=[MinValueValidator(1), MaxValueValidator(5000)])
    deadline_s = models.PositiveIntegerField(_("deadline (s)"), validators=[MinValueValidator(60), MaxValueValidator(7200)])
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=MobilizationStatus.choices,
                              default=MobilizationStatus.PROPOSED)
    proposal = models.JSONField(_("proposal"), default=dict, blank=True)
    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="mobilization", verbose_name=_("incident"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mobilization")
        verbose_name_plural = _("mobilizations")
        ordering = ["-created_at"]
        constraints = [
            *lon_lat_constraints(),
            models.CheckConstraint(condition=Q(head_count__gte=1, head_count__lte=5000), name="dispatch_mobilization_head_count"),
            models.CheckConstraint(condition=Q(deadline_s__gte=60, deadline_s__lte=7200), name="dispatch_mobilization_deadline"),
            models.CheckConstraint(condition=Q(status__in=MobilizationStatus.values), name="dispatch_mobilization_status_known"),
        ]

    def __str__(self):
        return f"{self.reason} ({self.head_count})"
