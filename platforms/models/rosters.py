"""Rosters: periods, their approval record, leave and sickness, overtime."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platforms.models.organisation import Officer, Platform, Unit


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not approved)")
    APPROVED = "approved", _("Approved")


class RosterPeriod(models.Model):
    """A platform's roster for a run of days (usually a week): generated from the rotation,
    adjusted, checked and approved as one. Its shifts are the platform's squads' shifts that
    start on its days; approving it approves them."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="roster_periods",
                                 verbose_name=_("platform"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    pattern = models.JSONField(_("rotation pattern"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RosterStatus.choices, default=RosterStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster period")
        verbose_name_plural = _("roster periods")
        ordering = ["platform__code", "-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="platforms_rosterperiod_ends_after_start"),
            models.UniqueConstraint(fields=["platform", "starts_on"], name="platforms_rosterperiod_unique_start"),
            models.CheckConstraint(condition=Q(status__in=RosterStatus.values), name="platforms_rosterperiod_status_known"),
            models.CheckConstraint(condition=Q(status="draft") | Q(approved_at__isnull=False),
                                   name="platforms_rosterperiod_approved_has_time"),
        ]

    def __str__(self):
        return f"{self.platform.name} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    @property
    def approved(self) -> bool:
        return self.status == RosterStatus.APPROVED


class RosterChangeKind(models.TextChoices):
    GENERATED = "generated", _("Generated")
    SWAPPED = "swapped", _("Squads swapped")
    ABSENCE = "absence", _("Leave or sickness")
    OVERTIME = "overtime", _("Overtime")
    APPROVED = "approved", _("Approved")
    UNAPPROVED = "unapproved", _("Approval withdrawn by an edit")


class RosterChange(models.Model):
    """The record of a roster period: every generation, adjustment and approval, by whom."""

    period = models.ForeignKey(RosterPeriod, on_delete=models.CASCADE, related_name="changes", verbose_name=_("roster period"))
    kind = models.CharField(_("kind"), max_length=20, choices=RosterChangeKind.choices)
    summary = models.CharField(_("summary"), max_length=300)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("period version after the change"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("roster change")
        verbose_name_plural = _("roster changes")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.period} v{self.version} {self.get_kind_display()}"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    SICK = "sick", _("Sickness")


class Absence(models.Model):
    """An officer away (leave or sickness): taken off every crew whose shift it overlaps."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="absences", verbose_name=_("officer"))
    kind = models.CharField(_("kind"), max_length=20, choices=AbsenceKind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_at", "officer"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="platforms_absence_ends_after_start"),
            models.CheckConstraint(condition=Q(kind__in=AbsenceKind.values), name="platforms_absence_kind_known"),
        ]

    def __str__(self):
        return f"{self.officer} {self.get_kind_display()} {timezone.localtime(self.starts_at):%m-%d %H:%M}"


class Overtime(models.Model):
    """An officer working an extra shift in another squad's crew."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="overtime", verbose_name=_("officer"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="overtime", verbose_name=_("unit"))
    hours = models.FloatField(_("hours"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("overtime")
        verbose_name_plural = _("overtime")
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "unit"], name="platforms_overtime_unique_officer_unit"),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="platforms_overtime_hours_range"),
        ]

    def __str__(self):
        return f"{self.officer} +{self.hours:g} h {self.unit}"
