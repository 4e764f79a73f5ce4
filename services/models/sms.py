"""The SMS gateway's rows: every message sent (whatever the backend), the delivery receipts the
carrier reports against it, and the one-time codes that prove a citizen holds a phone."""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.phones import mask


class SmsPurpose(models.TextChoices):
    CODE = "code", _("One-time code")
    BOOKING = "booking", _("Booking confirmation")
    BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
    SURVEY = "survey", _("Callback survey")


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Accepted by the gateway")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Not delivered")
    FAILED = "failed", _("Failed")


class SmsMessage(models.Model):
    """One text to one phone. A one-time code's text is blanked once it has left (`body` then shows
    the code as ●), so the database never keeps a usable code."""

    phone = models.CharField(_("phone"), max_length=20)
    body = models.TextField(_("text"), max_length=1000)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    purpose = models.CharField(_("purpose"), max_length=20, choices=SmsPurpose.choices)
    status = models.CharField(_("status"), max_length=20, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    backend = models.CharField(_("backend"), max_length=20, blank=True)
    parts = models.PositiveSmallIntegerField(_("parts"), default=0)
    smsc_ids = models.JSONField(_("gateway message ids"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    survey = models.ForeignKey("services.CallbackSurvey", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="messages", verbose_name=_("survey"))
    appointment = models.ForeignKey("services.Appointment", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="messages", verbose_name=_("appointment"))

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "created_at"], name="services_sms_phone_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(purpose__in=SmsPurpose.values), name="services_sms_purpose_known"),
            models.CheckConstraint(condition=Q(status__in=SmsStatus.values), name="services_sms_status_known"),
        ]

    def __str__(self):
        return f"{mask(self.phone)} {self.get_purpose_display()}"


class SmsReceipt(models.Model):
    """A delivery receipt (deliver_sm with a receipt) as the SMSC reported it; `message` is empty when
    no message of ours carries its id."""

    message = models.ForeignKey(SmsMessage, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="receipts", verbose_name=_("message"))
    smsc_id = models.CharField(_("gateway message id"), max_length=65)
    stat = models.CharField(_("state"), max_length=10)
    err = models.CharField(_("error code"), max_length=10, blank=True)
    text = models.CharField(_("receipt text"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery receipt")
        verbose_name_plural = _("delivery receipts")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["smsc_id"], name="services_receipt_smsc_id")]

    def __str__(self):
        return f"{self.smsc_id} {self.stat}"


class PhoneCode(models.Model):
    """A one-time code sent to a phone: stored hashed, valid for minutes, a few tries, used once."""

    phone = models.CharField(_("phone"), max_length=20)
    code_hash = models.CharField(_("code (hashed)"), max_length=128)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "-created_at"], name="services_code_phone_recent")]

    def __str__(self):
        return f"{mask(self.phone)} {self.created_at:%Y-%m-%d %H:%M}"
