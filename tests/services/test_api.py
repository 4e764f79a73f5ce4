"""The services API's behaviour beyond who may call it: scoping to the clerk's platform, masked phones,
no incident notes, the public booking round trip and its refusals (in the caller's language), rate
limits, and the survey link's answers."""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from services import surveys
from services.models import Appointment, AppointmentPhoneReveal, CallbackSurvey, Ticket
from tests.services.support import MOBILE, closed_incident, desk, last_code, local, slot_at, tomorrow

pytestmark = pytest.mark.django_db


def anonymous(language="en") -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE=language)


@pytest.fixture
def two_desks(platform, other_platform):
    service = desk(platform)
    desk(other_platform)
    for where, name in ((platform, "赵女士"), (other_platform, "钱先生")):
        Appointment.objects.create(service_type=service, platform=where, citizen_name=name, citizen_phone=MOBILE,
                                   starts_at=timezone.now() + timedelta(minutes=30))
    return service


def test_a_clerk_sees_and_acts_on_their_platform_only(as_, two_desks, platform, other_platform):
    clerk = as_("clerk")
    listed = clerk.get("/api/v1/appointments/").json()["results"]
    theirs = Appointment.objects.get(platform=other_platform)
    foreign = Ticket.objects.create(platform=other_platform, service_type=two_desks, day=timezone.localdate(), number="A001")

    assert [(row["citizen_name"], row["citizen_phone"]) for row in listed] == [("赵女士", "138****8000")]
    assert clerk.post(f"/api/v1/appointments/{theirs.pk}/check-in").status_code == 404
    assert clerk.post(f"/api/v1/tickets/{foreign.pk}/call", {"counter": "1"}).status_code == 404
    refused = clerk.post("/api/v1/tickets/", {"platform": other_platform.pk, "service_type": two_desks.pk})
    assert (refused.status_code, refused.json()) == (400, {"platform": ["Choose one of the platforms you work for."]})


def test_revealing_a_booking_phone_is_recorded(as_, clerk, two_desks, platform):
    mine = Appointment.objects.get(platform=platform)
    response = as_("clerk").post(f"/api/v1/appointments/{mine.pk}/reveal-phone")

    assert response.json() == {"phone": MOBILE}
    assert list(AppointmentPhoneReveal.objects.values_list("appointment", "user")) == [(mine.pk, clerk.pk)]


def test_a_clerk_reads_the_survey_summary_not_the_incidents_notes(as_, platform, settings):
    settings.SURVEY_NO_SMS_CATEGORIES = ["dispute"]
    closed_incident(platform, category="dispute", description="丈夫酒后动手")
    surveys.survey_sweep(timezone.now())
    [row] = as_("clerk").get("/api/v1/surveys/callbacks").json()["results"]

    assert set(row["incident"]) == {"number", "category", "category_label", "received_at", "closed_at", "closing",
                                    "closing_label", "address", "sensitive"}
    assert "丈夫" not in str(row) and "调解完毕" not in str(row) and MOBILE not in str(row)
    assert (row["status"], row["tries"], row["incident"]["closing_label"]) == ("callback", 0, "Resolved on scene")


def test_booking_through_the_public_api(platform, eager_tasks):
    service = desk(platform)
    ten = slot_at(platform, service, local(tomorrow(), 10))
    client = anonymous()
    sent = client.post("/api/v1/public/codes", {"phone": "138 0013 8000"}, format="json")
    body = {"slot": ten.pk, "name": "赵女士", "phone": MOBILE, "code": last_code(), "idempotency_key": "k1"}
    first = client.post("/api/v1/public/bookings", body, format="json")
    again = client.post("/api/v1/public/bookings", body, format="json")
    fetched = client.get(f"/api/v1/public/bookings/{first.json()['token']}")

    assert (sent.status_code, sent.json()["phone"]) == (202, "138****8000")
    assert (first.status_code, again.status_code, again.json()["reference"]) == (201, 200, first.json()["reference"])
    assert fetched.json()["phone"] == "138****8000" and fetched.json()["service_name"] == "Household certificate"
    assert Appointment.objects.count() == 1


def test_public_refusals_speak_the_callers_language(platform):
    desk(platform)
    english = anonymous().post("/api/v1/public/codes", {"phone": "not a number"}, format="json")
    chinese = anonymous("zh-hans").post("/api/v1/public/codes", {"phone": "not a number"}, format="json")

    assert (english.status_code, english.json()) == (
        400, {"phone": ["Enter a mobile phone number: 11 digits starting with 1, e.g. 13800138000."]})
    assert chinese.status_code == 400 and chinese.json()["phone"][0].startswith("请输入")


def test_there_is_no_way_to_list_bookings(platform):
    desk(platform)
    client = anonymous()
    assert client.get("/api/v1/public/bookings").status_code == 405
    assert client.get("/api/v1/public/bookings/NOSUCHTOKEN").status_code == 404
    assert client.get("/api/v1/appointments/").status_code == 401


def test_the_public_endpoints_are_rate_limited_per_number_and_per_address(platform, settings):
    settings.PUBLIC_RATE_PER_NUMBER, settings.PUBLIC_RATE_PER_ADDRESS = "2/hour", "4/hour"
    desk(platform)
    client = anonymous()
    same_number = [client.post("/api/v1/public/codes", {"phone": MOBILE}, format="json").status_code for _ in range(3)]
    other_numbers = [client.post("/api/v1/public/codes", {"phone": f"1390000000{n}"}, format="json").status_code
                     for n in range(2)]

    assert same_number == [202, 202, 429] and other_numbers == [202, 429]


def test_the_survey_link_answers_once(platform, settings, eager_tasks):
    settings.SURVEY_QUIET_HOURS = ""
    closed_incident(platform)
    surveys.survey_sweep(timezone.now())
    token = CallbackSurvey.objects.get().token
    client = anonymous()
    shown = client.get(f"/api/v1/public/surveys/{token}")
    answers = {"speed": "satisfied", "attitude": "satisfied", "result": "unsatisfied", "comment": "处理太慢"}
    answered = client.post(f"/api/v1/public/surveys/{token}", answers, format="json")
    reused = client.post(f"/api/v1/public/surveys/{token}", answers, format="json")
    wrong = client.post("/api/v1/public/surveys/NOPE2345", answers, format="json")

    assert shown.json() == {"date": timezone.localtime(CallbackSurvey.objects.get().incident.received_at).date().isoformat(),
                            "category": "Public order", "platform": "人民广场平台"}
    assert (answered.status_code, reused.status_code, wrong.status_code) == (200, 409, 404)
    assert reused.json()["detail"] == "This survey has been answered already: thank you."
    survey = CallbackSurvey.objects.get()
    assert (survey.result, survey.follow_up.platform_id) == ("unsatisfied", platform.pk)


def test_an_expired_survey_link_answers_410(platform, settings):
    settings.SURVEY_QUIET_HOURS = ""
    closed_incident(platform)
    surveys.survey_sweep(timezone.now())
    CallbackSurvey.objects.update(token_expires_at=timezone.now() - timedelta(minutes=1))
    response = anonymous().get(f"/api/v1/public/surveys/{CallbackSurvey.objects.get().token}")

    assert (response.status_code, response.json()) == (410, {"detail": "This survey link has expired."})


def test_a_full_slot_answers_409(platform, eager_tasks):
    service = desk(platform, capacity=1)
    ten = slot_at(platform, service, local(tomorrow(), 10))
    ten.booked = 1
    ten.save()
    client = anonymous()
    client.post("/api/v1/public/codes", {"phone": MOBILE}, format="json")
    response = client.post("/api/v1/public/bookings", {"slot": ten.pk, "name": "赵女士", "phone": MOBILE,
                                                       "code": last_code()}, format="json")

    assert (response.status_code, response.json()["detail"]) == (409, "This time slot is full: choose another one.")


def test_a_tickets_timeline_says_who_did_what(as_, clerk, platform):
    service = desk(platform)
    client = as_("clerk")
    ticket = client.post("/api/v1/tickets/", {"platform": platform.pk, "service_type": service.pk}).json()
    client.post("/api/v1/tickets/call-next", {"platform": platform.pk, "counter": "4"})
    client.post(f"/api/v1/tickets/{ticket['id']}/complete", {"outcome": "more_documents", "note": "缺户口簿"})
    events = client.get(f"/api/v1/tickets/{ticket['id']}/events").json()

    assert [(e["kind"], e["actor"]) for e in events] == [("issued", clerk.pk), ("called", clerk.pk), ("completed", clerk.pk)]
    assert events[1]["data"] == {"counter": "4"}
