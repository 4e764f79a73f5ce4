"""What each platform's desk offers: the police services (ServiceType), which platform offers which and
how (ServiceOffer), the desk's opening hours, the stations a citizen may be referred to, and the time
slots citizens book."""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ServiceType(models.Model):
    """One of the police services offered at platforms (household registration, vehicle admin...)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    minutes = models.PositiveSmallIntegerField(_("typical duration (min)"), default=15)
    documents = models.TextField(_("documents to bring"), blank=True, max_length=1000,
                                 help_text=_("One document a line, shown when booking and at the desk."))
    documents_en = models.TextField(_("documents to bring (English)"), blank=True, max_length=1000)
    platforms = models.ManyToManyField("platforms.Platform", related_name="service_types", blank=True,
                                       through="ServiceOffer", verbose_name=_("offered at"))

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def document_list(self, english: bool = False) -> list[str]:
        text = self.documents_en if english and self.documents_en else self.documents
        return [line.strip() for line in text.splitlines() if line.strip()]


class ServiceOffer(models.Model):
    """A service as one platform offers it: handling time, appointment or walk-in, slot size and places.

    It is the table the plain many-to-many `ServiceType.platforms` always had (same name and columns),
    so `service.platforms.add(platform)` still offers a service with the defaults below."""

    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, db_column="servicetype_id",
                                     related_name="offers", verbose_name=_("service"))
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="service_offers",
                                 verbose_name=_("platform"))
    minutes = models.PositiveSmallIntegerField(_("typical duration here (min)"), null=True, blank=True,
                                               validators=[MinValueValidator(1), MaxValueValidator(480)],
                                               help_text=_("Empty: the service's usual duration."))
    needs_appointment = models.BooleanField(_("by appointment only"), default=False)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (min)"), default=30,
                                                    validators=[MinValueValidator(5), MaxValueValidator(240)])
    slot_capacity = models.PositiveSmallIntegerField(_("places per slot"), default=2,
                                                     validators=[MinValueValidator(1), MaxValueValidator(50)])

    class Meta:
        db_table = "services_servicetype_platforms"
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        ordering = ["platform_id", "service_type__code"]
        unique_together = [("service_type", "platform")]
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="services_offer_slot_minutes_min"),
            models.CheckConstraint(condition=Q(slot_capacity__gte=1), name="services_offer_slot_capacity_min"),
        ]

    def __str__(self):
        return f"{self.platform} · {self.service_type}"

    @property
    def handling_minutes(self) -> int:
        return self.minutes or self.service_type.minutes


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """When a platform's desk serves the public on one weekday; a weekday without a row is closed."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="opening_hours",
                                 verbose_name=_("platform"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["platform_id", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "weekday"], name="services_hours_one_per_weekday",
                                    violation_error_message=_("This weekday already has opening hours.")),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="services_hours_weekday_range"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="services_hours_open_before_close",
                                   violation_error_message=_("The desk must open before it closes.")),
        ]

    def __str__(self):
        return f"{self.platform} {self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Station(models.Model):
    """A police station (派出所) or community police room a citizen can be referred to."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("police station")
        verbose_name_plural = _("police stations")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Slot(models.Model):
    """A bookable time at one platform for one service. `booked` only moves through a conditional
    UPDATE (services.booking), so two citizens cannot both take the last place."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="slots",
                                 verbose_name=_("platform"))
    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="slots",
                                     verbose_name=_("service"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    booked = models.PositiveSmallIntegerField(_("places taken"), default=0)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["platform", "service_type", "starts_at"], name="services_slot_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["platform", "service_type", "starts_at"], name="services_slot_unique"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="services_slot_not_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="services_slot_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.platform} {self.service_type} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)

    def clean(self):
        super().clean()
        if self.capacity is not None and self.booked > self.capacity:
            raise ValidationError({"capacity": _("More places are taken than the slot holds.")})
