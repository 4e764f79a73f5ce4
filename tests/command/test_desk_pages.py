"""The desk page, the queue display, the supervisor's follow-ups and the public's booking, booking and
survey pages: who may open them, what they show (phones masked), and their forms' refusals."""
from datetime import timedelta

import pytest
from django.utils import timezone

from common.roles import Role
from services import surveys
from services.models import Appointment, CallbackSurvey, FollowUp, HelpGiven, Ticket
from tests import factories as f
from tests.command.logins import login
from tests.services.support import MOBILE, closed_incident, desk, last_code, local, run_on_commit, slot_at, tomorrow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle_left(settings):
    from platforms.positions import redis_client

    for key in redis_client().scan_iter("*throttle_services_*"):
        redis_client().delete(key)


@pytest.fixture
def eager_tasks():
    """SMS queued on commit are sent in this process, by the console backend."""
    from command.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def service(platform):
    return desk(platform)


def english(client, path, **kwargs):
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def booked(platform, service, name="赵女士"):
    return Appointment.objects.create(service_type=service, platform=platform, citizen_name=name, citizen_phone=MOBILE,
                                      starts_at=timezone.now() + timedelta(minutes=30))


@pytest.mark.parametrize(("persona", "code"), [("clerk", 200), ("administrator", 200), ("supervisor", 403),
                                               ("dispatcher", 403), ("officer", 403), ("leadership", 403),
                                               ("outsider", 403)])
def test_who_may_open_the_desk(client, request, service, persona, code):
    login(client, request.getfixturevalue(persona))
    assert client.get("/desk/").status_code == code


@pytest.mark.parametrize(("persona", "code"), [("clerk", 200), ("administrator", 200), ("supervisor", 200),
                                               ("dispatcher", 403), ("officer", 403), ("leadership", 403)])
def test_who_may_open_the_queue_display(client, request, service, persona, code):
    login(client, request.getfixturevalue(persona))
    assert client.get("/desk/display/").status_code == code


def test_strangers_are_sent_to_the_login_page(client, service):
    assert client.get("/desk/").status_code == 302 and client.post("/desk/walk-in/").status_code == 302


def test_the_desk_masks_phones_and_serves_a_walk_in(client, clerk, platform, service):
    booked(platform, service)
    login(client, clerk)
    page = english(client, "/desk/").content.decode()
    issued = client.post("/desk/walk-in/", {"platform": platform.pk, "service_type": service.pk})
    called = client.post("/desk/call-next/", {"platform": platform.pk, "counter": "3"})
    ticket = Ticket.objects.get()
    served = client.post(f"/desk/tickets/{ticket.pk}/serve/")
    done = client.post(f"/desk/tickets/{ticket.pk}/complete/", {"outcome": "done"})

    assert "138****8000" in page and MOBILE not in page and "Household certificate" in page
    assert [r.status_code for r in (issued, called, served, done)] == [302, 302, 302, 302]
    ticket.refresh_from_db()
    assert (ticket.number, ticket.counter, ticket.status) == ("A001", "3", "done")


def test_a_refused_step_shows_the_reason_and_changes_nothing(client, clerk, platform, service):
    ticket = Ticket.objects.create(platform=platform, service_type=service, day=timezone.localdate(), number="A001")
    login(client, clerk)
    refused = client.post(f"/desk/tickets/{ticket.pk}/complete/", {"outcome": "referred"}, HTTP_ACCEPT_LANGUAGE="en")
    wrong_step = client.post(f"/desk/tickets/{ticket.pk}/serve/", HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 400 and "Choose the station the citizen is referred to." in refused.content.decode()
    assert wrong_step.status_code == 409
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_a_clerk_cannot_touch_another_platforms_desk(client, clerk, other_platform, service):
    foreign = Ticket.objects.create(platform=other_platform, service_type=service, day=timezone.localdate(), number="A001")
    login(client, clerk)
    assert client.post(f"/desk/tickets/{foreign.pk}/call/", {"counter": "1"}).status_code == 404
    assert client.get(f"/desk/?platform={other_platform.pk}").status_code == 404


def test_check_in_and_help_in_one_click(client, clerk, platform, service):
    appointment = booked(platform, service)
    login(client, clerk)
    client.post(f"/desk/appointments/{appointment.pk}/check-in/")
    client.post("/desk/help/", {"platform": platform.pk, "kind": "first_aid"})

    assert Ticket.objects.get().number == "Y001" and HelpGiven.objects.get().kind == "first_aid"


def test_the_callback_queue_on_the_desk_shows_the_summary_only(client, clerk, platform, settings):
    settings.SURVEY_NO_SMS_CATEGORIES = ["dispute"]
    closed_incident(platform, category="dispute", description="酒后家中争吵")
    surveys.survey_sweep(timezone.now())
    survey = CallbackSurvey.objects.get()
    login(client, clerk)
    page = english(client, "/desk/").content.decode()
    recorded = client.post(f"/desk/callbacks/{survey.pk}/", {"outcome": "reached", "speed": "satisfied",
                                                             "attitude": "satisfied", "result": "unsatisfied"})

    assert survey.incident.number in page and "酒后" not in page and "调解完毕" not in page and MOBILE not in page
    assert recorded.status_code == 302 and FollowUp.objects.count() == 1


def test_the_supervisor_sees_and_closes_follow_ups(client, supervisor, platform, settings):
    settings.SURVEY_NO_SMS_CATEGORIES = ["dispute"]
    incident = closed_incident(platform, category="dispute")
    survey = CallbackSurvey.objects.create(incident=incident, platform=platform, status="answered", result="unsatisfied",
                                           satisfaction=1, comment="态度差")
    follow_up = FollowUp.objects.create(survey=survey, platform=platform)
    login(client, supervisor)
    page = english(client, "/supervisor/").content.decode()
    bare = client.post(f"/supervisor/follow-ups/{follow_up.pk}/close/", {"note": ""}, HTTP_ACCEPT_LANGUAGE="en")
    client.post(f"/supervisor/follow-ups/{follow_up.pk}/note/", {"text": "已约谈民警"})
    client.post(f"/supervisor/follow-ups/{follow_up.pk}/close/", {"note": "已向群众致歉"})

    assert incident.number in page and "态度差" in page
    assert f"/analysis/incidents/{incident.pk}/" in page or f"/api/v1/incidents/{incident.pk}/" in page  # trace, or REST
    assert 'id="desk-figures-title"' in page and 'id="satisfaction-platform"' in page
    assert bare.status_code == 400
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.notes.count()) == ("closed", 1)


def test_a_supervisor_of_another_platform_sees_no_follow_up(client, other_platform, platform):
    user = f.UserFactory(username="far-supervisor")
    f.membership(user, Role.SUPERVISOR, platform=other_platform)
    incident = closed_incident(platform)
    survey = CallbackSurvey.objects.create(incident=incident, platform=platform, status="answered", satisfaction=1)
    follow_up = FollowUp.objects.create(survey=survey, platform=platform)
    login(client, user)
    assert incident.number not in client.get("/supervisor/").content.decode()
    assert client.post(f"/supervisor/follow-ups/{follow_up.pk}/note/", {"text": "x"}).status_code == 404


def test_booking_on_the_public_page(client, platform, service, eager_tasks):
    ten = slot_at(platform, service, local(tomorrow(), 10))
    page = english(client, f"/book/?platform={platform.pk}&service={service.pk}&day={tomorrow().isoformat()}")
    form = {"platform": platform.pk, "service": service.pk, "day": tomorrow().isoformat(), "slot": ten.pk,
            "name": "Zhao", "phone": MOBILE, "idempotency_key": "page-1"}
    sent = client.post("/book/", {**form, "action": "code"}, HTTP_ACCEPT_LANGUAGE="en")
    done = client.post("/book/", {**form, "action": "book", "code": last_code()}, HTTP_ACCEPT_LANGUAGE="en")
    again = client.post("/book/", {**form, "action": "book", "code": "000000"}, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200 and "ID card" in page.content.decode()
    assert "A code was sent to 138****8000." in sent.content.decode()
    appointment = Appointment.objects.get()
    assert done.status_code == again.status_code == 302 and done.url == again.url
    assert done.url == f"/b/{appointment.manage_token}/?booked=1"
    manage = english(client, done.url).content.decode()
    assert appointment.reference in manage and "138****8000" in manage and MOBILE not in manage


def test_bad_input_on_the_public_page_is_refused_in_the_citizens_language(client, platform, service):
    ten = slot_at(platform, service, local(tomorrow(), 10))
    form = {"platform": platform.pk, "service": service.pk, "slot": ten.pk, "name": "赵", "phone": "12345", "action": "code"}
    chinese = client.post("/book/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english_page = client.post("/book/", form, HTTP_ACCEPT_LANGUAGE="en")

    assert chinese.status_code == english_page.status_code == 400
    assert "Enter a mobile phone number" in english_page.content.decode()
    assert "Enter a mobile phone number" not in chinese.content.decode()


def test_the_survey_page_answers_once_on_a_phone(client, platform, settings, eager_tasks):
    settings.SURVEY_QUIET_HOURS = ""
    closed_incident(platform)
    surveys.survey_sweep(timezone.now())
    run_on_commit()
    token = CallbackSurvey.objects.get().token
    shown = english(client, f"/s/{token}")
    answered = client.post(f"/s/{token}", {"speed": "satisfied", "attitude": "basic", "result": "unsatisfied"})
    reused = english(client, f"/s/{token}")
    unknown = english(client, "/s/NOPE2345")

    assert shown.status_code == 200 and "How fast did we come?" in shown.content.decode()
    assert MOBILE not in shown.content.decode()
    assert (answered.status_code, reused.status_code, unknown.status_code) == (200, 409, 404)
    assert FollowUp.objects.count() == 1


def test_the_dev_inbox_is_closed_when_switched_off(client, settings):
    settings.SMS_DEV_INBOX = False
    assert client.get("/dev/sms/").status_code == 404


def test_satisfaction_over_a_chosen_period(client, clerk, service):
    login(client, clerk)
    assert "Callback satisfaction, last 30 days" in english(client, "/desk/?satisfaction_days=30").content.decode()
    assert "Callback satisfaction, last 7 days" in english(client, "/desk/?satisfaction_days=12").content.decode()


def test_guessing_survey_links_runs_out_of_quota(client, settings):
    settings.PUBLIC_RATE_PER_ADDRESS = "3/hour"
    codes = [client.get(f"/s/GUESS00{n}").status_code for n in range(4)]
    assert codes == [404, 404, 404, 429]
