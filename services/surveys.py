"""Callback surveys (短信回访): a Celery beat sweep (no signal, and dispatch knows nothing of us) finds
incidents closed at least SURVEY_DELAY_S ago with a caller's phone and no survey, claims each with the
survey's unique incident (INSERT ... ON CONFLICT DO NOTHING) and a conditional UPDATE, and sends the
link outside the quiet hours. Callers an SMS could endanger, and unanswered surveys after
SURVEY_ANSWER_WINDOW_S, go to the clerk's phone-callback queue; opted-out numbers get nothing."""
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch.models import Assignment, Incident, IncidentStatus, PhoneReveal
from services.models import (
    RATING_SCORE,
    CallbackSurvey,
    FollowUp,
    OptOut,
    Rating,
    SmsPurpose,
    SurveyStatus,
    new_token,
)
from services.phones import normalize_mobile
from services.sms import texts
from services.sms.gateway import sms_queue

BATCH = 200


def is_quiet(now: datetime) -> bool:
    """Inside SURVEY_QUIET_HOURS (local time, "21:00-08:00", may wrap midnight)?"""
    if not settings.SURVEY_QUIET_HOURS:
        return False
    start, end = (time.fromisoformat(part.strip()) for part in settings.SURVEY_QUIET_HOURS.split("-"))
    local = timezone.localtime(now).time()
    return start <= local < end if start < end else (local >= start or local < end)


def is_sensitive(incident: Incident) -> bool:
    """A call where an SMS could endanger the caller: its category is listed, or its description names
    one of the keywords (our categories have no domestic violence or sexual assault yet)."""
    if incident.category in settings.SURVEY_NO_SMS_CATEGORIES:
        return True
    description = (incident.description or "").casefold()
    return any(word.casefold() in description for word in settings.SURVEY_NO_SMS_KEYWORDS)


def _unit_id(incident: Incident) -> int | None:
    """The unit judged for the call: the first that reached the scene, else the first sent."""
    assignments = Assignment.objects.filter(incident=incident).order_by("on_scene_at", "assigned_at", "id")
    reached = assignments.filter(on_scene_at__isnull=False).values_list("unit_id", flat=True).first()
    return reached or assignments.values_list("unit_id", flat=True).first()


def _survey_for(incident: Incident, now: datetime, opted_out: set[str]) -> CallbackSurvey:
    survey = CallbackSurvey(incident=incident, platform_id=incident.zone.platform_id if incident.zone else None,
                            unit_id=_unit_id(incident), created_at=now)
    if incident.caller_phone in opted_out:
        survey.status = SurveyStatus.OPTED_OUT
    elif is_sensitive(incident):
        survey.status, survey.channel, survey.sensitive = SurveyStatus.CALLBACK, "phone", True
        survey.callback_due_at = now
    return survey


def surveys_create(now: datetime) -> int:
    """Surveys for the incidents due one; a second sweeper's rows for the same incidents are dropped by
    the unique incident (ON CONFLICT DO NOTHING)."""
    due = (Incident.objects.filter(status=IncidentStatus.CLOSED, callback__isnull=True,
                                   closed_at__lte=now - timedelta(seconds=settings.SURVEY_DELAY_S),
                                   closed_at__gte=now - timedelta(days=settings.SURVEY_LOOKBACK_DAYS))
           .exclude(caller_phone="").select_related("zone").order_by("closed_at")[:BATCH])
    due = list(due)
    opted_out = set(OptOut.objects.filter(phone__in=[i.caller_phone for i in due]).values_list("phone", flat=True))
    CallbackSurvey.objects.bulk_create([_survey_for(i, now, opted_out) for i in due], ignore_conflicts=True)
    # bulk_create returns the rows it was given, inserted or not: count those stamped by this sweep.
    return CallbackSurvey.objects.filter(incident__in=due, created_at=now).count()


def survey_send(survey_id: int, now: datetime) -> bool:
    """Claim a pending survey (pending → sending by one sweeper only) and queue its SMS. A number no SMS
    reaches (a landline), or one past the per-number limit, goes to the phone-callback queue."""
    if not CallbackSurvey.objects.filter(pk=survey_id, status=SurveyStatus.PENDING).update(status=SurveyStatus.SENDING):
        return False
    survey = CallbackSurvey.objects.select_related("incident").get(pk=survey_id)
    try:
        with transaction.atomic():
            phone = normalize_mobile(survey.incident.caller_phone)
            survey.token, survey.token_expires_at = new_token(8), now + timedelta(days=settings.SURVEY_LINK_DAYS)
            survey.status, survey.sent_at = SurveyStatus.SENT, now
            survey.save(update_fields=["token", "token_expires_at", "status", "sent_at"])
            sms_queue(phone=phone, purpose=SmsPurpose.SURVEY, survey=survey, language=survey.language,
                      body=texts.render("survey", survey.language, link=survey_link(survey),
                                        date=f"{timezone.localtime(survey.incident.received_at):%m-%d}"))
    except ValidationError:
        CallbackSurvey.objects.filter(pk=survey_id).update(status=SurveyStatus.CALLBACK, channel="phone",
                                                           callback_due_at=now, token=None)
    return True


def survey_link(survey: CallbackSurvey) -> str:
    return f"{settings.PUBLIC_BASE_URL}/s/{survey.token}"


def survey_sweep(now: datetime | None = None) -> dict:
    """The beat task's work: create, send (not in the quiet hours), move the unanswered to the queue."""
    now = now or timezone.now()
    created = surveys_create(now)
    sent = 0
    if not is_quiet(now):
        pending = CallbackSurvey.objects.filter(status=SurveyStatus.PENDING).values_list("pk", flat=True)[:BATCH]
        sent = sum(survey_send(pk, now) for pk in list(pending))
    overdue = CallbackSurvey.objects.filter(
        status=SurveyStatus.SENT, sent_at__lte=now - timedelta(seconds=settings.SURVEY_ANSWER_WINDOW_S))
    queued = overdue.update(status=SurveyStatus.CALLBACK, callback_due_at=now)
    return {"created": created, "sent": sent, "to_callback": queued}


# --- answers ------------------------------------------------------------------------------------

def _check_ratings(speed: str, attitude: str, result: str) -> None:
    wrong = [name for name, value in (("speed", speed), ("attitude", attitude), ("result", result))
             if value not in Rating.values]
    if wrong:
        raise ValidationError({name: _("Choose satisfied, basically satisfied or unsatisfied.") for name in wrong})


def _record_answers(survey: CallbackSurvey, *, speed, attitude, result, comment, channel: str) -> CallbackSurvey:
    survey.speed, survey.attitude, survey.result = speed, attitude, result
    survey.comment, survey.channel = (comment or "").strip()[:500], channel
    survey.satisfaction = min(RATING_SCORE[value] for value in (speed, attitude, result))
    survey.status, survey.answered_at = SurveyStatus.ANSWERED, timezone.now()
    survey.save()
    if survey.unsatisfied:
        FollowUp.objects.get_or_create(survey=survey, defaults={"platform_id": survey.platform_id})
    return survey


def survey_by_token(token: str) -> CallbackSurvey:
    """The survey behind a link still open for an answer; otherwise a message that says why."""
    survey = CallbackSurvey.objects.select_related("incident").filter(token=str(token or "").upper()).first()
    if survey is None:
        raise ValidationError(_("This survey link is not valid."), code="not_found")
    if survey.answered_at is not None:
        raise ValidationError(_("This survey has been answered already: thank you."), code="conflict")
    if survey.token_expires_at <= timezone.now():
        raise ValidationError(_("This survey link has expired."), code="expired")
    return survey


@transaction.atomic
def survey_answer(*, token: str, speed: str, attitude: str, result: str, comment: str = "",
                  opt_out: bool = False) -> CallbackSurvey:
    """The citizen's answers from the link; the link is used up. "Unsatisfied" on anything opens a
    follow-up for the platform's supervisor."""
    _check_ratings(speed, attitude, result)
    survey = survey_by_token(token)
    survey = CallbackSurvey.objects.select_for_update().select_related("incident").get(pk=survey.pk)
    if survey.answered_at is not None:  # its twin got there first
        raise ValidationError(_("This survey has been answered already: thank you."), code="conflict")
    survey = _record_answers(survey, speed=speed, attitude=attitude, result=result, comment=comment, channel="sms")
    if opt_out:
        optout_record(phone=survey.incident.caller_phone, source="survey")
    return survey


def optout_record(*, phone: str, source: str) -> OptOut:
    return OptOut.objects.get_or_create(phone=phone, defaults={"source": source})[0]


def survey_phone_reveal(*, actor, survey: CallbackSurvey) -> str:
    """The caller's full number for the clerk to dial, recorded as dispatch's PhoneReveal."""
    if survey.status != SurveyStatus.CALLBACK:
        raise ValidationError(_("Only a survey in the callback queue is called back."), code="invalid_transition")
    PhoneReveal.objects.create(incident=survey.incident, user=actor)
    return survey.incident.caller_phone
