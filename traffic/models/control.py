"""Traffic control points (交通管制点) for an event or a closure: a point on the map with its time
window and the crews posted there, and the road segments it closes. A closure is kept as OSRM's own
segments (pairs of OSM node ids on the network it was drawn on): while it is active the travel service
routes on a copy of the network with those segments closed (grid/closures.py)."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.models import Located, lon_lat_constraints


class ControlReason(models.TextChoices):
    EVENT = "event", _("Event")
    CLOSURE = "closure", _("Road closure")
    WORKS = "works", _("Road works")
    ACCIDENT = "accident", _("Accident")
    OTHER = "other", _("Other")


class ControlPoint(Located):
    name = models.CharField(_("name"), max_length=100)
    reason = models.CharField(_("reason"), max_length=10, choices=ControlReason.choices, default=ControlReason.EVENT)
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("platform"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    units = models.ManyToManyField("platforms.Unit", blank=True, related_name="control_points",
                                   verbose_name=_("crews posted"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("placed by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("traffic control point")
        verbose_name_plural = _("traffic control points")
        ordering = ["-starts_at"]
        constraints = [
            *lon_lat_constraints(),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="traffic_control_point_window"),
            models.CheckConstraint(condition=Q(reason__in=ControlReason.values), name="traffic_control_point_reason"),
        ]

    def __str__(self):
        return self.name

    def active_at(self, moment) -> bool:
        return self.cancelled_at is None and self.starts_at <= moment < self.ends_at


class RoadClosure(models.Model):
    """A stretch of road closed to traffic (both ways) from `starts_at` until `ends_at`."""

    control_point = models.ForeignKey(ControlPoint, on_delete=models.CASCADE, related_name="closures",
                                      verbose_name=_("control point"))
    network = models.ForeignKey("grid.RoadNetwork", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("road network"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    # [[osm node, osm node], ...]: OSRM's segments, closed both ways
    segments = models.JSONField(_("closed segments"))
    line = models.JSONField(_("line (GeoJSON)"))
    length_m = models.FloatField(_("length (m)"))
    road_name = models.CharField(_("road"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("closed by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("road closure")
        verbose_name_plural = _("road closures")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="traffic_closure_window"),
            models.CheckConstraint(condition=Q(length_m__gt=0), name="traffic_closure_length_positive"),
        ]
        indexes = [models.Index(fields=["ends_at"], name="traffic_closure_ends")]

    def __str__(self):
        return f"{self.control_point} {self.road_name} {self.length_m:.0f} m"

    def active_at(self, moment) -> bool:
        return self.cancelled_at is None and self.starts_at <= moment < self.ends_at
