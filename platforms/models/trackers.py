"""Trackers: a phone or a GPS box that reports for a vehicle or an officer over the OsmAnd / Traccar
protocol, each with a secret of its own (platforms.trackers keeps the secrets; only their hash is
stored here, so a copy of the database moves no unit)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from platforms.models.organisation import Officer, Vehicle


class TrackerDevice(models.Model):
    """One registered tracker. `identifier` is what the device sends as `id`; `secret_hash` the
    SHA-256 of the secret it sends as `key`, shown once when it is made or rotated."""

    identifier = models.CharField(_("device identifier"), max_length=64, unique=True)
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="trackers",
                                verbose_name=_("vehicle"))
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="trackers",
                                verbose_name=_("officer"))
    secret_hash = models.CharField(_("secret (SHA-256)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("registered by"))
    rotated_at = models.DateTimeField(_("secret rotated at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("revoked by"))

    class Meta:
        verbose_name = _("tracker device")
        verbose_name_plural = _("tracker devices")
        ordering = ["identifier"]
        constraints = [
            models.CheckConstraint(condition=Q(vehicle__isnull=True) ^ Q(officer__isnull=True),
                                   name="platforms_tracker_vehicle_or_officer"),
            models.CheckConstraint(condition=~Q(identifier=""), name="platforms_tracker_identifier_not_blank"),
        ]

    def __str__(self):
        return self.identifier

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def platform_id(self) -> int:
        return (self.vehicle or self.officer).platform_id

    def get_additional_data(self):
        """What the audit trail keeps beside each change: the platform, so supervisors read their own."""
        return {"platform": self.platform_id}
