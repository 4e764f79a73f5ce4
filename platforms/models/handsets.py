"""Officers' own positions (issue 16): each officer on duty reports from a handset (the tablet page on a
phone, or a tracker registered to the officer), kept apart from the units' fixes (platforms.handsets)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from grid.models import lon_lat_constraints
from platforms.models.organisation import Officer


class OfficerTrackPoint(models.Model):
    """One accepted handset fix of an officer, moved from Redis in batches (replay, a crew's spread).
    As with TrackPoint, the unique (officer, at) constraint is also the index reads by officer and time use."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="track", db_index=False,
                                verbose_name=_("officer"))
    at = models.DateTimeField(_("fix time"))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    speed_mps = models.FloatField(_("speed (m/s)"), null=True, blank=True)
    bearing = models.FloatField(_("bearing"), null=True, blank=True)
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    # Which credential reported it: "session:<user id>" (the page on a phone), "device:<tracker id>".
    source = models.CharField(_("source"), max_length=40, blank=True, default="")

    class Meta:
        verbose_name = _("officer track point")
        verbose_name_plural = _("officer track points")
        ordering = ["officer", "at"]
        constraints = [
            *lon_lat_constraints(),
            models.UniqueConstraint(fields=["officer", "at"], name="platforms_officertrackpoint_unique_officer_at"),
        ]

    def __str__(self):
        return f"{self.officer_id} @ {self.at:%Y-%m-%d %H:%M:%S}"
