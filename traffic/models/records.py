"""Enforcement and help records (执法 / 助民), each taken on the tablet in a few taps: a traffic violation,
a drink-driving check, a vehicle impounded, people helped. Each names its officer, unit and platform and
the zone it happened in, so it is counted per officer, unit, platform and period."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.models import Located, lon_lat_constraints
from traffic.models.accidents import VehicleKind

MAX_SPEED_KMH = 300     # faster than any road vehicle a city officer measures: a typing slip
DRINK_MG = 20           # mg of alcohol per 100 ml of blood: drink-driving (饮酒驾驶) from here,
DRUNK_MG = 80           # drunk driving (醉酒驾驶) from here (GB 19522)


class ViolationType(models.Model):
    """A violation the tablet offers (the common codes; an administrator keeps the list)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=0, validators=[MaxValueValidator(12)])
    fine_yuan = models.PositiveIntegerField(_("fine (yuan)"), default=0, validators=[MaxValueValidator(5000)])
    needs_speed = models.BooleanField(_("needs the measured speed"), default=False)
    non_motor = models.BooleanField(_("for non-motor vehicles (no plate needed)"), default=False)
    active = models.BooleanField(_("offered on the tablet"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["order", "code"]
        constraints = [models.CheckConstraint(condition=Q(points__lte=12), name="traffic_violation_type_points")]

    def __str__(self):
        return f"{self.code} {self.name}"


class FieldRecord(Located):
    """Who took the record, where and when; `client_key` makes a retried send from the tablet one row."""

    officer = models.ForeignKey("platforms.Officer", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("officer"))
    unit = models.ForeignKey("platforms.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("platform"))
    zone = models.ForeignKey("grid.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("zone"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    client_key = models.CharField(_("client key"), max_length=100, unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at"]


class Violation(FieldRecord):
    violation_type = models.ForeignKey(ViolationType, on_delete=models.PROTECT, related_name="violations",
                                       verbose_name=_("violation"))
    plate = models.CharField(_("number plate"), max_length=12, blank=True)
    vehicle_kind = models.CharField(_("vehicle"), max_length=12, choices=VehicleKind.choices, default=VehicleKind.CAR)
    measured_speed_kmh = models.PositiveSmallIntegerField(_("measured speed (km/h)"), null=True, blank=True,
                                                          validators=[MinValueValidator(1), MaxValueValidator(MAX_SPEED_KMH)])
    speed_limit_kmh = models.PositiveSmallIntegerField(_("speed limit (km/h)"), null=True, blank=True,
                                                       validators=[MinValueValidator(5), MaxValueValidator(130)])
    photo = models.FileField(_("photo"), upload_to="violation-photos/%Y/%m/", blank=True)
    photo_type = models.CharField(_("photo type"), max_length=20, blank=True)

    class Meta(FieldRecord.Meta):
        verbose_name = _("traffic violation")
        verbose_name_plural = _("traffic violations")
        constraints = [
            *lon_lat_constraints(),
            models.CheckConstraint(condition=Q(measured_speed_kmh__isnull=True) | Q(measured_speed_kmh__lte=MAX_SPEED_KMH),
                                   name="traffic_violation_speed_plausible"),
        ]
        indexes = [models.Index(fields=["at"], name="traffic_violation_at")]


class BreathResult(models.TextChoices):
    CLEAR = "clear", _("Below the limit")
    DRINK = "drink", _("Drink-driving (20-79 mg/100 ml)")
    DRUNK = "drunk", _("Drunk driving (80 mg/100 ml or more)")


def breath_result(mg_per_100ml: float) -> str:
    if mg_per_100ml >= DRUNK_MG:
        return BreathResult.DRUNK
    return BreathResult.DRINK if mg_per_100ml >= DRINK_MG else BreathResult.CLEAR


class DrinkCheck(FieldRecord):
    """A breath test at a checkpoint or a stop (酒驾查处)."""

    plate = models.CharField(_("number plate"), max_length=12)
    vehicle_kind = models.CharField(_("vehicle"), max_length=12, choices=VehicleKind.choices, default=VehicleKind.CAR)
    alcohol_mg_100ml = models.FloatField(_("alcohol (mg/100 ml)"), validators=[MinValueValidator(0), MaxValueValidator(500)])
    result = models.CharField(_("result"), max_length=10, choices=BreathResult.choices)

    class Meta(FieldRecord.Meta):
        verbose_name = _("drink-driving check")
        verbose_name_plural = _("drink-driving checks")
        constraints = [
            *lon_lat_constraints(),
            models.CheckConstraint(condition=Q(alcohol_mg_100ml__gte=0, alcohol_mg_100ml__lte=500),
                                   name="traffic_drinkcheck_alcohol_range"),
            models.CheckConstraint(condition=Q(result__in=BreathResult.values), name="traffic_drinkcheck_result_known"),
        ]
        indexes = [models.Index(fields=["at"], name="traffic_drinkcheck_at")]


class Impound(FieldRecord):
    """A vehicle taken to the pound (扣留车辆)."""

    plate = models.CharField(_("number plate"), max_length=12)
    vehicle_kind = models.CharField(_("vehicle"), max_length=12, choices=VehicleKind.choices, default=VehicleKind.CAR)
    reason = models.CharField(_("reason"), max_length=200)
    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, null=True, blank=True, related_name="impounds",
                                  verbose_name=_("violation"))

    class Meta(FieldRecord.Meta):
        verbose_name = _("vehicle impounded")
        verbose_name_plural = _("vehicles impounded")
        constraints = [*lon_lat_constraints()]
        indexes = [models.Index(fields=["at"], name="traffic_impound_at")]


class HelpKind(models.TextChoices):
    DIRECTIONS = "directions", _("Directions")
    ESCORT = "escort", _("Escort")
    BREAKDOWN = "breakdown", _("Breakdown")
    RESCUE = "rescue", _("Rescue")


class HelpRecord(FieldRecord):
    """People helped (助民): the kind of help and how many people."""

    kind = models.CharField(_("help"), max_length=12, choices=HelpKind.choices)
    people = models.PositiveSmallIntegerField(_("people helped"), default=1,
                                              validators=[MinValueValidator(1), MaxValueValidator(100)])

    class Meta(FieldRecord.Meta):
        verbose_name = _("help record")
        verbose_name_plural = _("help records")
        constraints = [
            *lon_lat_constraints(),
            models.CheckConstraint(condition=Q(kind__in=HelpKind.values), name="traffic_help_kind_known"),
            models.CheckConstraint(condition=Q(people__gte=1, people__lte=100), name="traffic_help_people_range"),
        ]
        indexes = [models.Index(fields=["at"], name="traffic_help_at")]
