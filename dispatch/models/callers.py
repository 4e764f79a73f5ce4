"""Further callers, readings of their phone numbers, incident photos and per-category rules."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


from dispatch.models.incidents import Category, Incident, phone_validator


class IncidentCaller(models.Model):
    """Another caller about an incident already taken (重复报警): attached, no unit sent for it."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="callers", verbose_name=_("incident"))
    name = models.CharField(_("caller name"), max_length=50, blank=True)
    phone = models.CharField(_("caller phone"), max_length=20, blank=True, validators=[phone_validator])
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("taken by"))

    class Meta:
        verbose_name = _("further caller")
        verbose_name_plural = _("further callers")
        ordering = ["received_at", "id"]

    def __str__(self):
        return f"{self.incident.number} + {self.name or self.pk}"


class PhoneReveal(models.Model):
    """One reading of a caller's full phone number: who, when, which incident (and which caller)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="phone_reveals",
                                 verbose_name=_("incident"))
    caller = models.ForeignKey(IncidentCaller, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("further caller"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("read by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("phone number read")
        verbose_name_plural = _("phone numbers read")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user} {self.incident.number} {self.at:%Y-%m-%d %H:%M}"


class IncidentPhoto(models.Model):
    """A photo an officer attached (an on-view report's, say): stored on disk, served only to those
    who may read the incident."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="photos", verbose_name=_("incident"))
    file = models.FileField(_("file"), upload_to="incident-photos/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("incident photo")
        verbose_name_plural = _("incident photos")
        ordering = ["uploaded_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(size__lte=5 * 1024 * 1024), name="dispatch_photo_at_most_5_mb")]

    def __str__(self):
        return f"{self.incident.number} photo {self.pk}"


class CategoryPolicy(models.Model):
    """Per-category rules a dispatcher's supervisor may tune: how near and how recent a call must be
    to an open incident to be shown as its probable duplicate, and which categories count as one."""

    category = models.CharField(_("category"), max_length=30, choices=Category.choices, unique=True)
    duplicate_radius_m = models.PositiveIntegerField(_("duplicate radius (m)"), default=300,
                                                     validators=[MinValueValidator(10), MaxValueValidator(5000)])
    duplicate_window_min = models.PositiveIntegerField(_("duplicate window (minutes)"), default=30,
                                                       validators=[MinValueValidator(1), MaxValueValidator(24 * 60)])
    duplicate_categories = models.JSONField(_("categories counted as the same event"), default=list, blank=True)

    class Meta:
        verbose_name = _("category policy")
        verbose_name_plural = _("category policies")
        ordering = ["category"]

    def __str__(self):
        return self.get_category_display()
