"""Callback surveys: the sweep (delay, quiet hours, the no-SMS categories, opt-outs, two sweepers), the
link (single use, expiry), the callback queue and the supervisor's follow-up."""
import threading
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from dispatch.models import PhoneReveal
from services import callbacks, surveys
from services.models import CallbackSurvey, FollowUp, OptOut, SmsMessage
from services.sms.backends import dev_inbox
from tests import factories as f
from tests.services.support import MOBILE, closed_incident, run_on_commit

pytestmark = pytest.mark.django_db
NOON = timezone.make_aware(datetime(2030, 3, 5, 12, 0), timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def _daytime(settings):
    settings.SURVEY_QUIET_HOURS, settings.SURVEY_DELAY_S = "21:00-08:00", 1800


def sweep(now=None):
    result = surveys.survey_sweep(now or timezone.now())
    run_on_commit()
    return result


def answer(survey, **answers):
    return surveys.survey_answer(token=survey.token, **{"speed": "satisfied", "attitude": "satisfied",
                                                         "result": "satisfied", **answers})


def test_a_closed_incident_gets_its_survey_sms_after_the_delay(platform, eager_tasks, settings):
    settings.SURVEY_QUIET_HOURS = ""
    incident = closed_incident(platform, minutes_ago=40)
    closed_incident(platform, minutes_ago=10, phone="13900000009")  # too recent
    closed_incident(platform, minutes_ago=40, phone="")  # no phone: nobody to ask

    assert sweep() == {"created": 1, "sent": 1, "to_callback": 0}
    survey = CallbackSurvey.objects.get()
    assert (survey.incident, survey.status, survey.platform, len(survey.token)) == (incident, "sent", platform, 8)
    assert survey.token_expires_at == pytest.approx(survey.sent_at + timedelta(days=7), abs=timedelta(seconds=1))
    [sent] = dev_inbox(MOBILE)
    assert f"/s/{survey.token}" in sent["text"] and "13800138000" not in sent["text"].split("/s/")[1]
    assert SmsMessage.objects.get().survey == survey


def test_never_sent_at_night(platform, eager_tasks):
    incident = closed_incident(platform, minutes_ago=40)
    night = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()).replace(hour=23),
                                timezone.get_default_timezone())
    CallbackSurveyIncident = incident.__class__
    CallbackSurveyIncident.objects.filter(pk=incident.pk).update(closed_at=night - timedelta(minutes=40))

    assert sweep(night) == {"created": 1, "sent": 0, "to_callback": 0}
    assert sweep(night + timedelta(hours=9, minutes=30)) == {"created": 0, "sent": 1, "to_callback": 0}


@pytest.mark.parametrize(("when", "quiet"), [("20:59", False), ("21:00", True), ("03:00", True), ("08:00", False)])
def test_the_quiet_hours_wrap_midnight(when, quiet):
    hour, minute = map(int, when.split(":"))
    assert surveys.is_quiet(NOON.replace(hour=hour, minute=minute)) is quiet


def test_categories_an_sms_could_endanger_go_to_the_phone_queue(platform, eager_tasks, settings):
    settings.SURVEY_QUIET_HOURS, settings.SURVEY_NO_SMS_CATEGORIES = "", ["dispute"]
    listed = closed_incident(platform, category="dispute")
    named = closed_incident(platform, phone="13900000002", description="丈夫家暴，邻居报警")

    assert sweep() == {"created": 2, "sent": 0, "to_callback": 0}
    assert set(CallbackSurvey.objects.values_list("incident", "status", "sensitive", "token")) == {
        (listed.pk, "callback", True, None), (named.pk, "callback", True, None)}
    assert SmsMessage.objects.count() == 0 and dev_inbox() == []


def test_an_opted_out_number_gets_nothing(platform, eager_tasks, settings):
    settings.SURVEY_QUIET_HOURS = ""
    OptOut.objects.create(phone=MOBILE, source="sms")
    closed_incident(platform)

    assert sweep() == {"created": 1, "sent": 0, "to_callback": 0}
    assert CallbackSurvey.objects.get().status == "opted_out" and SmsMessage.objects.count() == 0


def test_a_landline_goes_to_the_phone_queue(platform, eager_tasks, settings):
    settings.SURVEY_QUIET_HOURS = ""
    closed_incident(platform, phone="021-63211234")

    sweep()
    assert CallbackSurvey.objects.get().status == "callback" and SmsMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_send_one_sms(platform, settings):
    settings.SURVEY_QUIET_HOURS = ""
    closed_incident(platform)
    barrier, results = threading.Barrier(2), []

    def sweeper():
        try:
            barrier.wait()
            results.append(surveys.survey_sweep(timezone.now()))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sum(r["created"] for r in results) == 1 and sum(r["sent"] for r in results) == 1
    assert (CallbackSurvey.objects.count(), SmsMessage.objects.count()) == (1, 1)


def test_an_unanswered_survey_goes_to_the_callback_queue_after_the_window(platform, eager_tasks, settings):
    settings.SURVEY_QUIET_HOURS, settings.SURVEY_ANSWER_WINDOW_S = "", 86400
    closed_incident(platform)
    sweep()
    CallbackSurvey.objects.update(sent_at=timezone.now() - timedelta(hours=25))

    assert sweep() == {"created": 0, "sent": 0, "to_callback": 1}
    assert CallbackSurvey.objects.get().status == "callback"


@pytest.fixture
def sent_survey(platform, eager_tasks, settings):
    settings.SURVEY_QUIET_HOURS = ""
    closed_incident(platform)
    sweep()
    return CallbackSurvey.objects.get()


def test_an_answer_uses_the_link_up(sent_survey):
    answer(sent_survey, attitude="basic", comment="出警快")
    with pytest.raises(ValidationError) as again:
        answer(sent_survey, speed="unsatisfied")

    sent_survey.refresh_from_db()
    assert (sent_survey.status, sent_survey.attitude, sent_survey.satisfaction, sent_survey.comment) == (
        "answered", "basic", 3, "出警快")
    assert again.value.messages == ["This survey has been answered already: thank you."]
    assert FollowUp.objects.count() == 0


def test_an_expired_or_unknown_link_is_refused(sent_survey):
    CallbackSurvey.objects.update(token_expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as expired:
        answer(sent_survey)
    with pytest.raises(ValidationError) as unknown:
        surveys.survey_answer(token="NOPE2345", speed="satisfied", attitude="satisfied", result="satisfied")

    assert (expired.value.messages, expired.value.code) == (["This survey link has expired."], "expired")
    assert unknown.value.messages == ["This survey link is not valid."]
    assert CallbackSurvey.objects.get().status == "sent"


def test_an_unsatisfied_answer_opens_a_follow_up_closed_with_a_note(sent_survey, platform, supervisor):
    answer(sent_survey, result="unsatisfied", opt_out=True)
    follow_up = FollowUp.objects.get()
    callbacks.follow_up_note(actor=supervisor, follow_up=follow_up, text="已回电致歉，安排复查")
    with pytest.raises(ValidationError) as bare:
        callbacks.follow_up_close(actor=supervisor, follow_up=follow_up, note=" ")
    callbacks.follow_up_close(actor=supervisor, follow_up=follow_up, note="群众表示理解")

    follow_up.refresh_from_db()
    assert (follow_up.platform, follow_up.status, follow_up.closed_by) == (platform, "closed", supervisor)
    assert bare.value.messages == ["Close the follow-up with a note saying how it ended."]
    assert list(OptOut.objects.values_list("phone", "source")) == [(MOBILE, "survey")]


def test_three_unanswered_calls_make_the_caller_unreachable(platform, clerk, settings):
    settings.SURVEY_NO_SMS_CATEGORIES, settings.CALLBACK_MAX_TRIES = ["dispute"], 3
    closed_incident(platform, category="dispute")
    sweep()
    survey = CallbackSurvey.objects.get()
    phone = surveys.survey_phone_reveal(actor=clerk, survey=survey)
    for _ in range(3):
        survey = callbacks.callback_record(actor=clerk, survey=survey, outcome="no_answer")
    with pytest.raises(ValidationError) as over:
        callbacks.callback_record(actor=clerk, survey=survey, outcome="no_answer")

    assert (phone, survey.status, survey.attempts.count()) == (MOBILE, "unreachable", 3)
    assert over.value.code == "conflict"
    assert list(PhoneReveal.objects.values_list("incident", "user")) == [(survey.incident_id, clerk.pk)]


def test_a_call_that_reaches_the_caller_records_the_answers(platform, clerk, settings):
    settings.SURVEY_NO_SMS_CATEGORIES = ["dispute"]
    closed_incident(platform, category="dispute")
    sweep()
    survey = CallbackSurvey.objects.get()
    with pytest.raises(ValidationError) as missing:
        callbacks.callback_record(actor=clerk, survey=survey, outcome="reached")
    survey = callbacks.callback_record(actor=clerk, survey=survey, outcome="reached", speed="satisfied",
                                       attitude="unsatisfied", result="basic")

    assert set(missing.value.message_dict) == {"speed", "attitude", "result"}
    assert (survey.status, survey.channel, survey.satisfaction) == ("answered", "phone", 1)
    assert FollowUp.objects.get().survey == survey


def test_satisfaction_per_platform_unit_and_category(platform, other_platform, eager_tasks, settings):
    settings.SURVEY_QUIET_HOURS = ""
    unit = f.UnitFactory(platform=platform)
    for n, rating in enumerate(["satisfied", "basic", "unsatisfied"]):
        incident = closed_incident(platform, phone=f"1390000000{n}")
        f.AssignmentFactory(incident=incident, unit=unit, on_scene_at=timezone.now(), status="cleared")
    closed_incident(other_platform, phone="13900000009")
    sweep()
    for survey, rating in zip(CallbackSurvey.objects.filter(platform=platform).order_by("incident__caller_phone"),
                              ["satisfied", "basic", "unsatisfied"]):
        answer(survey, result=rating)

    from services import selectors

    [row] = selectors.satisfaction({platform.pk}, group_by="platform")
    [by_unit] = selectors.satisfaction({platform.pk}, group_by="unit")
    assert (row["surveys"], row["answered"], row["satisfied"], row["basic"], row["unsatisfied"], row["rate"]) == (
        3, 3, 1, 1, 1, 0.6667)
    assert (by_unit["label"], by_unit["answered"]) == (unit.call_sign, 3)
    assert [r["key"] for r in selectors.satisfaction(None, group_by="category")] == ["public_order"]
