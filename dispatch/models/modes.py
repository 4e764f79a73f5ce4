"""What each way of moving may be sent to, per category (issue 16): a sibling of CategoryPolicy."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dispatch.models.incidents import Category


class Mode(models.TextChoices):
    """grid.modes' ways of moving, as choices."""

    CAR = "car", _("Car")
    MOTORCYCLE = "motorcycle", _("Motorcycle")
    BICYCLE = "bicycle", _("Bicycle / e-bike")
    FOOT = "foot", _("On foot")


class ModePolicy(models.Model):
    """One category's rule for one mode, over the defaults of dispatch.mode_policy: whether such a unit
    may be sent at all, the longest ETA it may be sent at (a foot officer is never sent 3 km), and whether
    a car is sent beside it when it is the first to arrive."""

    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    mode = models.CharField(_("way of moving"), max_length=20, choices=Mode.choices)
    allowed = models.BooleanField(_("may be sent"), default=True)
    max_eta_s = models.PositiveIntegerField(_("longest ETA (s)"), null=True, blank=True,
                                            validators=[MinValueValidator(30), MaxValueValidator(7200)],
                                            help_text=_("Empty: no limit."))
    car_backup = models.BooleanField(_("a car is sent beside it"), default=False)

    class Meta:
        verbose_name = _("mode policy")
        verbose_name_plural = _("mode policies")
        ordering = ["category", "mode"]
        constraints = [
            models.UniqueConstraint(fields=["category", "mode"], name="dispatch_modepolicy_unique_category_mode"),
            models.CheckConstraint(condition=models.Q(mode__in=Mode.values), name="dispatch_modepolicy_mode_known"),
            models.CheckConstraint(condition=~models.Q(mode="car", car_backup=True),
                                   name="dispatch_modepolicy_no_car_beside_a_car"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} · {self.get_mode_display()}"
