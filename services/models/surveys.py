"""Callback surveys (短信回访) after closed incidents: the survey and its answers, the clerk's phone
calls, the supervisor's follow-up of an unsatisfied answer, and the citizens who asked for no more."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.phones import mask


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


# The overall score on the old 1-5 column: the worst of the three answers.
RATING_SCORE = {Rating.SATISFIED: 5, Rating.BASIC: 3, Rating.UNSATISFIED: 1}


class SurveyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent, no answer yet")
    CALLBACK = "callback", _("In the phone-callback queue")
    ANSWERED = "answered", _("Answered")
    UNREACHABLE = "unreachable", _("Unreachable")
    DECLINED = "declined", _("Declined to answer")
    OPTED_OUT = "opted_out", _("Opted out")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS link")
    PHONE = "phone", _("Phone call")


class CallbackSurvey(models.Model):
    """The callback (回访) after a closed incident. Its platform and unit are copied at creation (the
    incident's zone's platform, the unit that reached the scene) so figures and scoping need no joins
    through the incident's handling. The link carries `token` only: no personal data in the URL."""

    incident = models.OneToOneField("dispatch.Incident", on_delete=models.PROTECT, related_name="callback",
                                    verbose_name=_("incident"))
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("platform"))
    unit = models.ForeignKey("platforms.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    status = models.CharField(_("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.PENDING)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.SMS)
    sensitive = models.BooleanField(_("no SMS: the message could endanger the caller"), default=False)
    token = models.CharField(_("link token"), max_length=16, unique=True, null=True, blank=True, editable=False)
    token_expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    callback_due_at = models.DateTimeField(_("due for a phone call since"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    speed = models.CharField(_("speed"), max_length=20, choices=Rating.choices, blank=True)
    attitude = models.CharField(_("attitude"), max_length=20, choices=Rating.choices, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Rating.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction (1-5)"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("callback survey")
        verbose_name_plural = _("callback surveys")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "platform"], name="services_survey_queue")]
        constraints = [
            models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5) | Q(satisfaction=None),
                                   name="services_callback_satisfaction_range"),
            models.CheckConstraint(condition=Q(status__in=SurveyStatus.values), name="services_survey_status_known"),
        ]

    def __str__(self):
        return str(self.incident)

    @property
    def unsatisfied(self) -> bool:
        return Rating.UNSATISFIED in (self.speed, self.attitude, self.result)


class AttemptOutcome(models.TextChoices):
    REACHED = "reached", _("Reached: answers recorded")
    NO_ANSWER = "no_answer", _("No answer")
    DECLINED = "declined", _("Declined to answer")


class CallbackAttempt(models.Model):
    """One phone call by a clerk from the callback queue."""

    survey = models.ForeignKey(CallbackSurvey, on_delete=models.PROTECT, related_name="attempts",
                               verbose_name=_("survey"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("clerk"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=AttemptOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=Q(outcome__in=AttemptOutcome.values),
                                              name="services_attempt_outcome_known")]

    def __str__(self):
        return f"{self.survey_id} {self.get_outcome_display()}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class FollowUp(models.Model):
    """An unsatisfied answer, for the platform's supervisor: what was done, then closed with a note."""

    survey = models.OneToOneField(CallbackSurvey, on_delete=models.PROTECT, related_name="follow_up",
                                  verbose_name=_("survey"))
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("platform"))
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    closing_note = models.CharField(_("closing note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=FollowUpStatus.values), name="services_followup_status_known"),
            models.CheckConstraint(condition=Q(status="open") | ~Q(closing_note=""), name="services_followup_closed_with_note"),
        ]

    def __str__(self):
        return f"{self.survey} ({self.get_status_display()})"


class FollowUpNote(models.Model):
    """What the supervisor did about it, one step at a time."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="notes", verbose_name=_("follow-up"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    text = models.CharField(_("text"), max_length=1000)

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:40]


class OptOut(models.Model):
    """A phone number that asked for no survey SMS or calls (退订)."""

    phone = models.CharField(_("phone"), max_length=20, unique=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    source = models.CharField(_("how"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")
        ordering = ["-at"]

    def __str__(self):
        return mask(self.phone)
