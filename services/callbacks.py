"""The clerk's phone-callback queue and the supervisor's follow-ups: a call's outcome (answers taken
down, no answer, declined; unreachable after CALLBACK_MAX_TRIES unanswered calls), and what the
supervisor did about an unsatisfied answer until it is closed with a note."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import (
    AttemptOutcome,
    CallbackAttempt,
    CallbackSurvey,
    FollowUp,
    FollowUpNote,
    FollowUpStatus,
    SurveyStatus,
)
from services.surveys import _check_ratings, _record_answers, optout_record


@transaction.atomic
def callback_record(*, actor, survey: CallbackSurvey, outcome: str, speed: str = "", attitude: str = "",
                    result: str = "", comment: str = "", note: str = "", opt_out: bool = False) -> CallbackSurvey:
    if outcome not in AttemptOutcome.values:
        raise ValidationError({"outcome": _("Choose how the call went.")})
    if outcome == AttemptOutcome.REACHED:
        _check_ratings(speed, attitude, result)
    survey = CallbackSurvey.objects.select_for_update().select_related("incident").get(pk=survey.pk)
    if survey.status != SurveyStatus.CALLBACK:
        raise ValidationError(_("This survey is no longer in the callback queue (%(status)s).")
                              % {"status": survey.get_status_display()}, code="conflict")
    CallbackAttempt.objects.create(survey=survey, clerk=actor, outcome=outcome, note=(note or "").strip()[:500])
    if outcome == AttemptOutcome.REACHED:
        survey = _record_answers(survey, speed=speed, attitude=attitude, result=result, comment=comment,
                                 channel="phone")
    elif outcome == AttemptOutcome.DECLINED:
        survey.status = SurveyStatus.DECLINED
        survey.save(update_fields=["status"])
    elif survey.attempts.filter(outcome=AttemptOutcome.NO_ANSWER).count() >= settings.CALLBACK_MAX_TRIES:
        survey.status = SurveyStatus.UNREACHABLE
        survey.save(update_fields=["status"])
    if opt_out:
        optout_record(phone=survey.incident.caller_phone, source="phone")
    return survey


def _open(follow_up: FollowUp) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValidationError(_("This follow-up is closed already."), code="conflict")
    return follow_up


@transaction.atomic
def follow_up_note(*, actor, follow_up: FollowUp, text: str) -> FollowUpNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what was done.")})
    return FollowUpNote.objects.create(follow_up=_open(follow_up), author=actor, text=text[:1000])


@transaction.atomic
def follow_up_close(*, actor, follow_up: FollowUp, note: str) -> FollowUp:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Close the follow-up with a note saying how it ended.")})
    follow_up = _open(follow_up)
    follow_up.status, follow_up.closed_at, follow_up.closed_by = FollowUpStatus.CLOSED, timezone.now(), actor
    follow_up.closing_note = note[:1000]
    follow_up.save()
    return follow_up
