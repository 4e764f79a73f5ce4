"""Patrol plans: per shift, time bands with a mode, tasks for units."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platforms.models.organisation import Shift, Unit


class PatrolMode(models.TextChoices):
    POSTS = "posts", _("Peak: fixed posts")
    ROUTES = "routes", _("Off-peak: patrol routes")
    COMMUNITY = "community", _("Low: community areas")


class PatrolPlan(models.Model):
    """How one shift patrols (高峰站点、平峰巡线、低峰下片): its time bands and the units' tasks."""

    shift = models.OneToOneField(Shift, on_delete=models.CASCADE, related_name="patrol_plan", verbose_name=_("shift"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["shift__starts_at"]

    def __str__(self):
        return str(self.shift)


class PatrolBand(models.Model):
    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="bands", verbose_name=_("patrol plan"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    mode = models.CharField(_("mode"), max_length=20, choices=PatrolMode.choices)

    class Meta:
        verbose_name = _("patrol band")
        verbose_name_plural = _("patrol bands")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="platforms_patrolband_ends_after_start"),
            models.CheckConstraint(condition=Q(mode__in=PatrolMode.values), name="platforms_patrolband_mode_known"),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} {timezone.localtime(self.starts_at):%H:%M}–{timezone.localtime(self.ends_at):%H:%M}"


class PatrolTask(models.Model):
    """One unit's job in a band: stand at a must-patrol point, travel a route, or walk a zone."""

    band = models.ForeignKey(PatrolBand, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("band"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="patrol_tasks", verbose_name=_("unit"))
    point = models.ForeignKey("grid.PatrolPoint", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("must-patrol point"))
    route = models.ForeignKey("grid.PatrolRoute", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("must-patrol route"))
    zone = models.ForeignKey("grid.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("community area (zone)"))

    class Meta:
        verbose_name = _("patrol task")
        verbose_name_plural = _("patrol tasks")
        ordering = ["band__starts_at", "unit__call_sign", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(point__isnull=False, route__isnull=True, zone__isnull=True)
                           | Q(point__isnull=True, route__isnull=False, zone__isnull=True)
                           | Q(point__isnull=True, route__isnull=True, zone__isnull=False)),
                name="platforms_patroltask_one_target"),
        ]

    def __str__(self):
        return f"{self.unit} {self.point or self.route or self.zone}"

    @property
    def target(self):
        return self.point or self.route or self.zone
