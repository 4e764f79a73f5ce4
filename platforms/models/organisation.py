"""Resources: districts, platforms and their moves, squads, officers, vehicles, shifts, units and their tracks."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.models import Located, lon_lat_constraints
from platforms.transitions import TransitionTable


class District(models.Model):
    """A branch bureau (分局) that owns platforms."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Platform(Located):
    """A mobile police platform (移动警务平台), or a fixed street post when `mobile` is false."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="platforms", verbose_name=_("district"))
    mobile = models.BooleanField(_("mobile"), default=True)
    min_units_on_duty = models.PositiveSmallIntegerField(_("minimum units on duty"), default=2)
    moved_at = models.DateTimeField(_("moved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["code"]
        constraints = lon_lat_constraints()

    def __str__(self):
        return self.name


class PlatformMove(models.Model):
    """One relocation of a platform and why: the force follows the incidents."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="moves", verbose_name=_("platform"))
    from_lon = models.FloatField(_("from longitude"))
    from_lat = models.FloatField(_("from latitude"))
    to_lon = models.FloatField(_("to longitude"))
    to_lat = models.FloatField(_("to latitude"))
    reason = models.CharField(_("reason"), max_length=300)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 verbose_name=_("moved by"))
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)

    class Meta:
        verbose_name = _("platform move")
        verbose_name_plural = _("platform moves")
        ordering = ["-moved_at"]
        constraints = [
            *lon_lat_constraints("from_"), *lon_lat_constraints("to_"),
            models.CheckConstraint(condition=~Q(reason=""), name="platforms_platformmove_reason_required"),
        ]

    def __str__(self):
        return f"{self.platform} @ {self.moved_at:%Y-%m-%d %H:%M}"


class Squad(models.Model):
    """One of a platform's five squads (班) that rotate through three shifts."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="squads", verbose_name=_("platform"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("squad")
        verbose_name_plural = _("squads")
        ordering = ["platform__code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "number"], name="platforms_squad_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=20), name="platforms_squad_number_range"),
        ]

    def __str__(self):
        return f"{self.platform.name} {self.name}"


class OfficerKind(models.TextChoices):
    POLICE = "police", _("Police officer")
    AUXILIARY = "auxiliary", _("Auxiliary officer")
    TRAFFIC_ASSISTANT = "traffic_assistant", _("Traffic assistant")


class Skill(models.TextChoices):
    PATROL = "patrol", _("Patrol")
    TRAFFIC = "traffic", _("Traffic management and accidents")
    FIRST_AID = "first_aid", _("First aid")
    MOTORCYCLE = "motorcycle", _("Motorcycle")
    NEGOTIATION = "negotiation", _("Negotiation")
    FIREARMS = "firearms", _("Firearms")
    CROWD = "crowd", _("Crowd control")


def validate_skills(value):
    unknown = sorted(set(value) - set(Skill.values)) if isinstance(value, list) else None
    if unknown is None or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Skills must be a list of skill names."), code="not_a_list")
    if unknown:
        raise ValidationError(_("Unknown skills: %(unknown)s."), code="unknown_skill", params={"unknown": ", ".join(unknown)})


class Officer(models.Model):
    """A person on the street force: sworn police, auxiliary or traffic assistant."""

    badge_number = models.CharField(_("badge number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=OfficerKind.choices)
    skills = models.JSONField(_("skills"), default=list, blank=True, validators=[validate_skills])
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="officers", verbose_name=_("platform"))
    squad = models.ForeignKey(Squad, on_delete=models.SET_NULL, null=True, blank=True, related_name="officers",
                              verbose_name=_("squad"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="officer", verbose_name=_("login"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["badge_number"]

    def __str__(self):
        return f"{self.badge_number} {self.name}"

    def clean(self):
        super().clean()
        if self.squad_id and self.platform_id and self.squad.platform_id != self.platform_id:
            raise ValidationError({"squad": _("The squad belongs to another platform.")})


class VehicleKind(models.TextChoices):
    PATROL_CAR = "patrol_car", _("Patrol car")
    MOTORCYCLE = "motorcycle", _("Motorcycle")
    PLATFORM_TRUCK = "platform_truck", _("Platform truck")
    ON_FOOT = "on_foot", _("On foot")
    BICYCLE = "bicycle", _("Bicycle / e-bike")


class Vehicle(models.Model):
    """A patrol car, motorcycle, platform truck, bicycle or e-bike, or a foot patrol's tracker, with its GPS device."""

    call_number = models.CharField(_("call number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=VehicleKind.choices)
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("platform"))
    gps_device_id = models.CharField(_("GPS device id"), max_length=64, unique=True, null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=2)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["call_number"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1, seats__lte=12), name="platforms_vehicle_seats_range"),
            models.CheckConstraint(condition=~Q(gps_device_id=""), name="platforms_vehicle_device_not_blank"),
        ]

    def __str__(self):
        return self.call_number


class ShiftKind(models.TextChoices):
    DAY = "day", _("Day shift")
    EVENING = "evening", _("Evening shift")
    NIGHT = "night", _("Night shift")
    PEAK = "peak", _("Peak (secondary squad)")


class Shift(models.Model):
    """Which squad is on duty when. The dispatch engine trusts only approved shifts."""

    squad = models.ForeignKey(Squad, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("squad"))
    kind = models.CharField(_("kind"), max_length=20, choices=ShiftKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    secondary = models.BooleanField(_("secondary squad"), default=False)
    approved = models.BooleanField(_("approved"), default=False)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "squad"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="platforms_shift_ends_after_start"),
            models.UniqueConstraint(fields=["squad", "starts_at"], name="platforms_shift_unique_squad_start"),
        ]

    def __str__(self):
        return f"{self.squad} {self.get_kind_display()} {timezone.localtime(self.starts_at):%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A shift must end after it starts.")})


class UnitStatus(models.TextChoices):
    OFF_DUTY = "off_duty", _("Off duty")
    AVAILABLE = "available", _("Available")
    DISPATCHED = "dispatched", _("Dispatched")
    EN_ROUTE = "en_route", _("En route")
    ON_SCENE = "on_scene", _("On scene")
    UNAVAILABLE = "unavailable", _("Unavailable")


UNIT_TRANSITIONS = TransitionTable(
    "unit",
    {
        UnitStatus.OFF_DUTY: {UnitStatus.AVAILABLE},
        UnitStatus.AVAILABLE: {UnitStatus.DISPATCHED, UnitStatus.UNAVAILABLE, UnitStatus.OFF_DUTY},
        # → unavailable: an order never acknowledged; the crew is taken off the board until someone checks.
        UnitStatus.DISPATCHED: {UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE, UnitStatus.AVAILABLE, UnitStatus.UNAVAILABLE},
        UnitStatus.EN_ROUTE: {UnitStatus.ON_SCENE, UnitStatus.AVAILABLE, UnitStatus.DISPATCHED},
        UnitStatus.ON_SCENE: {UnitStatus.AVAILABLE, UnitStatus.DISPATCHED},
        UnitStatus.UNAVAILABLE: {UnitStatus.AVAILABLE, UnitStatus.OFF_DUTY},
    },
)


class Capability(models.TextChoices):
    PATROL = "patrol", _("Patrol and public order")
    TRAFFIC = "traffic", _("Traffic accidents and congestion")
    RESCUE = "rescue", _("Rescue and assistance")
    ARMED = "armed", _("Armed response")
    CROWD = "crowd", _("Crowd control")


def validate_capabilities(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Capabilities must be a list of capability names."), code="not_a_list")
    unknown = sorted(set(value) - set(Capability.values))
    if unknown:
        raise ValidationError(_("Unknown capabilities: %(unknown)s."), code="unknown_capability",
                              params={"unknown": ", ".join(unknown)})


class Unit(models.Model):
    """A deployable crew for one shift: call sign, vehicle, officers, capabilities, status."""

    call_sign = models.CharField(_("call sign"), max_length=20)
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="units", verbose_name=_("shift"))
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="units", verbose_name=_("platform"))
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="units",
                                verbose_name=_("vehicle"))
    officers = models.ManyToManyField(Officer, related_name="units", verbose_name=_("officers"))
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True, validators=[validate_capabilities])
    status = models.CharField(_("status"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.OFF_DUTY)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    status_reason = models.CharField(_("status reason"), max_length=200, blank=True)
    lon = models.FloatField(_("last longitude"), null=True, blank=True)
    lat = models.FloatField(_("last latitude"), null=True, blank=True)
    last_fix_at = models.DateTimeField(_("last position fix"), null=True, blank=True)
    version = models.PositiveBigIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["call_sign"]
        constraints = [
            *lon_lat_constraints(),
            models.UniqueConstraint(fields=["shift", "call_sign"], name="platforms_unit_unique_call_sign_per_shift"),
            models.CheckConstraint(condition=Q(status__in=UnitStatus.values), name="platforms_unit_status_known"),
        ]

    def __str__(self):
        return self.call_sign

    def clean(self):
        super().clean()
        if self.vehicle_id and self.platform_id and self.vehicle.platform_id != self.platform_id:
            raise ValidationError({"vehicle": _("The vehicle belongs to another platform.")})
        if self.shift_id and self.platform_id and self.shift.squad.platform_id != self.platform_id:
            raise ValidationError({"shift": _("The shift belongs to another platform's squad.")})

    def is_on_duty(self, at=None) -> bool:
        at = at or timezone.now()
        return self.shift.approved and self.shift.starts_at <= at < self.shift.ends_at


class TrackPoint(models.Model):
    """One accepted position fix of a unit, moved from Redis in batches (patrol verification, replay).

    The unique constraint is also the (unit, at) index that reads by unit and time range use, so
    no second index is declared. A BRIN index on `at` (made by the migration in SQL: BrinIndex wants
    django.contrib.postgres installed) serves the prune by age at little cost to inserts. The table is
    partitioned by month of `at` (migration 0007, platforms/track_partitions.py): the database's key is
    (id, at), and the prune drops whole months."""

    # No separate index on unit_id: the unique (unit, at) index leads with it.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="track", db_index=False,
                             verbose_name=_("unit"))
    at = models.DateTimeField(_("fix time"))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    speed_mps = models.FloatField(_("speed (m/s)"), null=True, blank=True)
    bearing = models.FloatField(_("bearing"), null=True, blank=True)
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    # Which credential reported it: "device:<tracker id>", "session:<user id>" (the tablet's login),
    # "token:<user id>" (an API token), "" for fixes older than the column (and the seeded history).
    source = models.CharField(_("source"), max_length=40, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("track point")
        verbose_name_plural = _("track points")
        ordering = ["unit", "at"]
        constraints = [
            *lon_lat_constraints(),
            models.UniqueConstraint(fields=["unit", "at"], name="platforms_trackpoint_unique_unit_at"),
        ]

    def __str__(self):
        return f"{self.unit_id} @ {self.at:%Y-%m-%d %H:%M:%S}"
