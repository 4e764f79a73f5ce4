"""Accidents (事故): the record an officer fills on scene for a traffic-accident incident, its parties
(each with the vehicle they were in), and quick settlement (快处快赔): who is responsible under which
rule, and both parties' signatures taken on the tablet."""
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch.models import phone_validator

MAX_LANES = 8
MAX_PARTIES = 6


class Injuries(models.TextChoices):
    NONE = "none", _("None (property damage only)")
    INJURED = "injured", _("Someone injured")
    DEAD = "dead", _("Someone dead")


class AccidentStatus(models.TextChoices):
    OPEN = "open", _("Being recorded")
    SETTLED = "settled", _("Settled on the spot (快处快赔)")
    ESCALATED = "escalated", _("Escalated to a full accident case")


class VehicleKind(models.TextChoices):
    CAR = "car", _("Car")
    TRUCK = "truck", _("Truck")
    BUS = "bus", _("Bus")
    MOTORCYCLE = "motorcycle", _("Motorcycle")
    E_BIKE = "e_bike", _("E-bike")
    BICYCLE = "bicycle", _("Bicycle")
    PEDESTRIAN = "pedestrian", _("On foot")
    OTHER = "other", _("Other vehicle")


class AccidentRecord(models.Model):
    """What happened at a traffic accident, filled by the crew on scene (one per incident)."""

    incident = models.OneToOneField("dispatch.Incident", on_delete=models.PROTECT, related_name="accident",
                                    verbose_name=_("incident"))
    injuries = models.CharField(_("injuries"), max_length=10, choices=Injuries.choices, default=Injuries.NONE)
    lanes_blocked = models.PositiveSmallIntegerField(_("lanes blocked"), default=0,
                                                     validators=[MaxValueValidator(MAX_LANES)])
    tow_requested_at = models.DateTimeField(_("tow requested at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AccidentStatus.choices, default=AccidentStatus.OPEN)
    # The 10-minute clock stops here: the settlement signed (a minor accident handled on the spot).
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.CharField(_("why escalated"), max_length=300, blank=True)
    unit = models.ForeignKey("platforms.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("accident record")
        verbose_name_plural = _("accident records")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(injuries__in=Injuries.values), name="traffic_accident_injuries_known"),
            models.CheckConstraint(condition=Q(status__in=AccidentStatus.values), name="traffic_accident_status_known"),
            models.CheckConstraint(condition=Q(lanes_blocked__lte=MAX_LANES), name="traffic_accident_lanes_range"),
            # Quick settlement is for property damage only: an injury goes to a full case.
            models.CheckConstraint(condition=~Q(status=AccidentStatus.SETTLED) | Q(injuries=Injuries.NONE),
                                   name="traffic_accident_settled_without_injuries"),
        ]

    def __str__(self):
        return f"{self.incident.number} {self.get_status_display()}"


class AccidentParty(models.Model):
    """A party to the accident (甲方, 乙方, ...) and the vehicle they were in. Phone and licence number
    are personal data: shown masked, revealed only to those who must, each reading recorded."""

    accident = models.ForeignKey(AccidentRecord, on_delete=models.CASCADE, related_name="parties",
                                 verbose_name=_("accident"))
    position = models.PositiveSmallIntegerField(_("position (1: party A)"))
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, validators=[phone_validator])
    licence_number = models.CharField(_("driving licence number"), max_length=30, blank=True)
    plate = models.CharField(_("number plate"), max_length=12, blank=True)
    vehicle_kind = models.CharField(_("vehicle"), max_length=12, choices=VehicleKind.choices, default=VehicleKind.CAR)

    class Meta:
        verbose_name = _("accident party")
        verbose_name_plural = _("accident parties")
        ordering = ["accident", "position"]
        constraints = [
            models.UniqueConstraint(fields=["accident", "position"], name="traffic_party_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1, position__lte=MAX_PARTIES),
                                   name="traffic_party_position_range"),
            models.CheckConstraint(condition=Q(vehicle_kind__in=VehicleKind.values), name="traffic_party_vehicle_known"),
        ]

    def __str__(self):
        return f"{self.accident_id} #{self.position} {self.name}"


class PartyReveal(models.Model):
    """One reading of a party's full phone or licence number: who, when, which party and field."""

    party = models.ForeignKey(AccidentParty, on_delete=models.PROTECT, related_name="reveals", verbose_name=_("party"))
    field = models.CharField(_("field"), max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("read by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("party detail read")
        verbose_name_plural = _("party details read")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user} {self.party_id} {self.field}"


class Responsibility(models.TextChoices):
    ONE = "one", _("One party fully responsible")
    BOTH = "both", _("Both parties share the responsibility")
    NONE = "none", _("Neither party is responsible")


class SettlementRule(models.TextChoices):
    """The common rules by which responsibility is found on the spot."""

    REAR_END = "rear_end", _("Rear-end collision: the following vehicle")
    LANE_CHANGE = "lane_change", _("Changing lanes without giving way")
    TURNING = "turning", _("Turning without giving way to traffic going straight")
    REVERSING = "reversing", _("Reversing or making a U-turn")
    DOOR = "door", _("Opening a door into traffic")
    SIGNAL = "signal", _("Against a traffic signal or sign")
    PARKED = "parked", _("Hitting a parked vehicle")
    SHARED = "shared", _("Both at fault (e.g. both changing lanes)")
    OTHER = "other", _("Other (see the agreement)")


class Settlement(models.Model):
    """Quick settlement (快处快赔) of a minor accident: responsibility, the rule applied, the agreement,
    and when both parties had signed it."""

    accident = models.OneToOneField(AccidentRecord, on_delete=models.CASCADE, related_name="settlement",
                                    verbose_name=_("accident"))
    responsibility = models.CharField(_("responsibility"), max_length=10, choices=Responsibility.choices)
    responsible_party = models.ForeignKey(AccidentParty, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("responsible party"))
    rule = models.CharField(_("rule applied"), max_length=20, choices=SettlementRule.choices)
    agreement = models.TextField(_("agreement"), max_length=1000, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), default=timezone.now)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("concluded by"))

    class Meta:
        verbose_name = _("quick settlement")
        verbose_name_plural = _("quick settlements")
        constraints = [
            models.CheckConstraint(condition=Q(responsibility__in=Responsibility.values),
                                   name="traffic_settlement_responsibility_known"),
            models.CheckConstraint(condition=Q(rule__in=SettlementRule.values), name="traffic_settlement_rule_known"),
            # One party responsible names that party; shared or no responsibility names none.
            models.CheckConstraint(condition=Q(responsibility=Responsibility.ONE, responsible_party__isnull=False)
                                   | (~Q(responsibility=Responsibility.ONE) & Q(responsible_party__isnull=True)),
                                   name="traffic_settlement_responsible_party"),
        ]

    def __str__(self):
        return f"{self.accident_id} {self.get_responsibility_display()}"


class Signature(models.Model):
    """A party's signature on the settlement, drawn on the tablet: a PNG kept in the database (a few
    kilobytes, read only through the API with the settlement)."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="signatures",
                                   verbose_name=_("settlement"))
    party = models.ForeignKey(AccidentParty, on_delete=models.CASCADE, related_name="signatures",
                              verbose_name=_("party"))
    image = models.BinaryField(_("signature (PNG)"))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["settlement", "party__position"]
        constraints = [models.UniqueConstraint(fields=["settlement", "party"], name="traffic_signature_once")]

    def __str__(self):
        return f"{self.settlement_id} {self.party_id}"
