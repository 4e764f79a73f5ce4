"""The public services desk at platforms: service types, appointments, callback surveys."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ServiceType(models.Model):
    """One of the police services offered at platforms (household registration, vehicle admin...)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    minutes = models.PositiveSmallIntegerField(_("typical duration (min)"), default=15)
    platforms = models.ManyToManyField("platforms.Platform", related_name="service_types", blank=True,
                                       verbose_name=_("offered at"))

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["code"]

    def __str__(self):
        return self.name


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("No show")
    CANCELLED = "cancelled", _("Cancelled")


class Appointment(models.Model):
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="appointments",
                                     verbose_name=_("service"))
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="appointments",
                                 verbose_name=_("platform"))
    citizen_name = models.CharField(_("citizen name"), max_length=50)
    citizen_phone = models.CharField(_("citizen phone"), max_length=20)
    starts_at = models.DateTimeField(_("starts at"))
    status = models.CharField(_("status"), max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("clerk"))

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(status__in=AppointmentStatus.values),
                                              name="services_appointment_status_known")]

    def __str__(self):
        return f"{self.service_type} {self.starts_at:%Y-%m-%d %H:%M}"


class CallbackSurvey(models.Model):
    """The SMS callback (短信回访) after a closed incident, asking the caller's satisfaction."""

    incident = models.OneToOneField("dispatch.Incident", on_delete=models.PROTECT, related_name="callback",
                                    verbose_name=_("incident"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("callback survey")
        verbose_name_plural = _("callback surveys")
        constraints = [models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5) | Q(satisfaction=None),
                                              name="services_callback_satisfaction_range")]

    def __str__(self):
        return str(self.incident)
