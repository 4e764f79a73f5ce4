"""Who may do what: each login has one role; supervisors are scoped to a platform or a district. And the
command centre's messages: point to point with a unit (and the crew's replies), and broadcasts to a
platform's units or to all of them."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.roles import Role


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership",
                                verbose_name=_("login"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("platform"))
    district = models.ForeignKey("platforms.District", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("district"))

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="command_membership_role_known"),
            # A supervisor is scoped to exactly one platform or one district; a clerk to at most a
            # platform; nobody else carries a scope.
            models.CheckConstraint(
                condition=(
                    Q(role="supervisor", platform__isnull=False, district__isnull=True)
                    | Q(role="supervisor", platform__isnull=True, district__isnull=False)
                    | Q(role="clerk", district__isnull=True)
                    | (~Q(role__in=["supervisor", "clerk"]) & Q(platform__isnull=True, district__isnull=True))
                ),
                name="command_membership_scope_fits_role",
                violation_error_message=_("A supervisor needs exactly one platform or district; other roles take no district."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.role == Role.OFFICER and self.user_id and not hasattr(self.user, "officer"):
            raise ValidationError({"role": _("An officer login must be linked to an officer record.")})


class UnitMessage(models.Model):
    """A point-to-point message between the command centre and one unit's tablet (点对点指挥调度): sent
    to the unit, or (`from_unit`) the crew's reply to one of them."""

    unit = models.ForeignKey("platforms.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("sender"))
    text = models.CharField(_("text"), max_length=500)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    from_unit = models.BooleanField(_("from the unit"), default=False)
    reply_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies",
                                 verbose_name=_("in reply to"))

    class Meta:
        verbose_name = _("message to a unit")
        verbose_name_plural = _("messages to units")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["unit", "-sent_at"], name="command_msg_unit_sent")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="command_unitmessage_text_not_empty"),
            # A crew writes only in reply (the console's thread with the unit stays one conversation).
            models.CheckConstraint(condition=Q(from_unit=False) | Q(reply_to__isnull=False),
                                   name="command_unitmessage_reply_has_message"),
        ]

    def __str__(self):
        return f"{self.unit_id}: {self.text[:30]}"


class Broadcast(models.Model):
    """A message from the command centre to every unit of one platform, or to all units (通报): each
    unit's tablet shows the ones that reach it, with its own read mark."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("sender"))
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("platform"),
                                 help_text=_("Empty: every unit."))
    text = models.CharField(_("text"), max_length=500)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["-sent_at"], name="command_broadcast_sent")]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="command_broadcast_text_not_empty")]

    def __str__(self):
        return f"{self.platform_id or '*'}: {self.text[:30]}"


class BroadcastRead(models.Model):
    """A unit's crew read a broadcast (the first reading counts)."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="reads", verbose_name=_("broadcast"))
    unit = models.ForeignKey("platforms.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("read by"))
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("broadcast read")
        verbose_name_plural = _("broadcasts read")
        constraints = [models.UniqueConstraint(fields=["broadcast", "unit"], name="command_broadcast_read_once_per_unit")]

    def __str__(self):
        return f"{self.broadcast_id} read by {self.unit_id}"
