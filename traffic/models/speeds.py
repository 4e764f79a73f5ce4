"""The fleet's own measured speeds: the units' fixes map-matched onto the road network and summed per
OSRM segment and 15-minute slot, and each zone's congestion factor from them (measured time over
free-flow time on the roads driven), now and per weekday slot. grid.travel multiplies ETAs by them
(where no hand-made CongestionBand covers the moment); a factor is never below 1, as the ETA's lower
bound assumes (docs/routing.md)."""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SLOT_MINUTES = 15
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
MAX_FACTOR = 5.0   # as CongestionBand's: beyond, a measurement is more likely a parked car than a road


class SegmentSpeed(models.Model):
    """What the fleet measured on one road segment (OSM node -> node) during one 15-minute slot."""

    from_node = models.BigIntegerField(_("from OSM node"))
    to_node = models.BigIntegerField(_("to OSM node"))
    slot_start = models.DateTimeField(_("slot start"))
    zone = models.ForeignKey("grid.Zone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("zone"))
    samples = models.PositiveIntegerField(_("traversals"), default=0)
    metres = models.FloatField(_("metres driven"), default=0.0)
    seconds = models.FloatField(_("seconds taken"), default=0.0)
    free_flow_s = models.FloatField(_("free-flow seconds"), default=0.0)
    from_lon = models.FloatField()
    from_lat = models.FloatField()
    to_lon = models.FloatField()
    to_lat = models.FloatField()

    class Meta:
        verbose_name = _("measured segment speed")
        verbose_name_plural = _("measured segment speeds")
        constraints = [
            models.UniqueConstraint(fields=["from_node", "to_node", "slot_start"], name="traffic_segment_speed_slot"),
            models.CheckConstraint(condition=Q(seconds__gte=0, metres__gte=0, free_flow_s__gte=0),
                                   name="traffic_segment_speed_positive"),
        ]
        indexes = [models.Index(fields=["slot_start"], name="traffic_segment_speed_slot_i")]

    @property
    def speed_kmh(self) -> float | None:
        return round(self.metres / self.seconds * 3.6, 1) if self.seconds > 0 else None


class ZoneFactor(models.Model):
    """A zone's usual congestion factor in one weekday's 15-minute slot, learnt over the weeks."""

    zone = models.ForeignKey("grid.Zone", on_delete=models.CASCADE, related_name="+", verbose_name=_("zone"))
    weekday = models.PositiveSmallIntegerField(_("weekday (0: Monday)"))
    slot = models.PositiveSmallIntegerField(_("slot of the day"))
    factor = models.FloatField(_("travel-time factor"))
    samples = models.PositiveIntegerField(_("slots measured"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("zone congestion factor")
        verbose_name_plural = _("zone congestion factors")
        constraints = [
            models.UniqueConstraint(fields=["zone", "weekday", "slot"], name="traffic_zone_factor_slot"),
            # Never below 1: the ETA's lower bound multiplies by it (docs/routing.md).
            models.CheckConstraint(condition=Q(factor__gte=1.0, factor__lte=MAX_FACTOR), name="traffic_zone_factor_range"),
            models.CheckConstraint(condition=Q(weekday__lte=6, slot__lt=SLOTS_PER_DAY), name="traffic_zone_factor_slot_range"),
        ]


class LiveZoneFactor(models.Model):
    """A zone's congestion factor now: from the last 15 minutes of measured speeds."""

    zone = models.OneToOneField("grid.Zone", on_delete=models.CASCADE, related_name="+", verbose_name=_("zone"))
    factor = models.FloatField(_("travel-time factor"))
    seconds = models.FloatField(_("seconds taken"))
    free_flow_s = models.FloatField(_("free-flow seconds"))
    measured_at = models.DateTimeField(_("measured at"))

    class Meta:
        verbose_name = _("live zone congestion factor")
        verbose_name_plural = _("live zone congestion factors")
        constraints = [
            models.CheckConstraint(condition=Q(factor__gte=1.0, factor__lte=MAX_FACTOR), name="traffic_live_factor_range"),
        ]


class SpeedWatermark(models.Model):
    """How far the track has been read for speeds (one row): the next run starts there."""

    through = models.DateTimeField(_("fixes read up to"))
    # the end of the last slot folded into the weekday profile (claimed by a conditional UPDATE)
    profiled_through = models.DateTimeField(_("slots learnt up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("speed reading mark")
        verbose_name_plural = _("speed reading marks")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="traffic_speed_watermark_single")]
