"""Who may call which endpoint of the services desk: every endpoint for every persona (anonymous
included: the public booking and survey endpoints answer anyone)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from services import surveys
from services.models import Appointment, CallbackSurvey, FollowUp, OpeningHours, ServiceOffer, Ticket
from tests.api_support import matrix, readers
from tests.services.support import MOBILE, closed_incident, desk, local, slot_at, station, tomorrow

pytestmark = pytest.mark.django_db

ALL = {persona: 200 for persona in ("administrator", "dispatcher", "supervisor", "officer", "clerk", "leadership",
                                    "outsider", "anonymous")}


@pytest.fixture
def world(platform, settings):
    settings.SURVEY_QUIET_HOURS, settings.SURVEY_NO_SMS_CATEGORIES = "", ["dispute"]
    service = desk(platform)
    station()
    appointment = Appointment.objects.create(service_type=service, platform=platform, citizen_name="赵女士",
                                             citizen_phone=MOBILE, starts_at=timezone.now() + timedelta(minutes=20),
                                             slot=slot_at(platform, service, local(tomorrow(), 10)))
    waiting = Ticket.objects.create(platform=platform, service_type=service, day=timezone.localdate(), number="A001")
    called = Ticket.objects.create(platform=platform, service_type=service, day=timezone.localdate(), number="A002",
                                   status="called", called_at=timezone.now() - timedelta(hours=1), counter="1")
    closed_incident(platform, category="dispute")
    closed_incident(platform, phone="13900000002")
    surveys.survey_sweep(timezone.now())
    queued = CallbackSurvey.objects.get(status="callback")
    sent = CallbackSurvey.objects.get(status="sent")
    answered = CallbackSurvey.objects.create(incident=closed_incident(platform, phone="13900000003"), platform=platform,
                                             status="answered", result="unsatisfied", satisfaction=1)
    follow_up = FollowUp.objects.create(survey=answered, platform=platform)
    return {"platform": platform.pk, "service": service.pk, "offer": ServiceOffer.objects.get().pk,
            "hours": OpeningHours.objects.first().pk, "appointment": appointment.pk, "token": appointment.manage_token,
            "waiting": waiting.pk, "called": called.pk, "queued": queued.pk, "sent_token": sent.token,
            "follow_up": follow_up.pk, "day": tomorrow().isoformat()}


DESK_READ = readers("administrator", "clerk", "supervisor")
DESK_WRITE = readers("administrator", "clerk")
CATALOGUE_WRITE = readers("administrator", "supervisor")
ENDPOINTS = [
    ("get", "/api/v1/service-offers/", None, DESK_READ),
    ("patch", "/api/v1/service-offers/{offer}/", {"slot_capacity": 3}, CATALOGUE_WRITE),
    ("get", "/api/v1/opening-hours/", None, DESK_READ),
    ("patch", "/api/v1/opening-hours/{hours}/", {"closes": "18:00"}, CATALOGUE_WRITE),
    ("get", "/api/v1/stations/", None, DESK_READ),
    ("get", "/api/v1/slots/", None, DESK_READ),
    ("post", "/api/v1/slots/generate", {"platform": "{platform}", "day": "{day}"}, readers("administrator", "supervisor", code=201)),
    ("get", "/api/v1/appointments/", None, DESK_READ),
    ("get", "/api/v1/appointments/{appointment}/", None, DESK_READ),
    ("get", "/api/v1/appointments/{appointment}/events", None, DESK_READ),
    ("get", "/api/v1/tickets/{called}/events", None, DESK_READ),
    ("post", "/api/v1/appointments/{appointment}/check-in", {}, readers("administrator", "clerk", code=201)),
    ("post", "/api/v1/appointments/{appointment}/reveal-phone", {}, DESK_WRITE),
    ("get", "/api/v1/tickets/", None, DESK_READ),
    ("post", "/api/v1/tickets/", {"platform": "{platform}", "service_type": "{service}"}, readers("administrator", "clerk", code=201)),
    ("post", "/api/v1/tickets/call-next", {"platform": "{platform}", "counter": "1"}, DESK_WRITE),
    ("post", "/api/v1/tickets/{waiting}/call", {"counter": "2"}, DESK_WRITE),
    ("post", "/api/v1/tickets/{called}/serve", {}, DESK_WRITE),
    ("post", "/api/v1/tickets/{called}/complete", {"outcome": "done"}, DESK_WRITE),
    ("post", "/api/v1/tickets/{called}/no-show", {}, DESK_WRITE),
    ("get", "/api/v1/help-given/", None, DESK_READ),
    ("post", "/api/v1/help-given/", {"platform": "{platform}", "kind": "directions"}, readers("administrator", "clerk", code=201)),
    ("get", "/api/v1/desk/figures", None, DESK_READ),
    ("get", "/api/v1/desk/display?platform={platform}", None, DESK_READ),
    ("get", "/api/v1/surveys/", None, DESK_READ),
    ("get", "/api/v1/surveys/callbacks", None, DESK_READ),
    ("get", "/api/v1/surveys/{queued}/", None, DESK_READ),
    ("post", "/api/v1/surveys/{queued}/reveal-phone", {}, DESK_WRITE),
    ("post", "/api/v1/surveys/{queued}/attempts", {"outcome": "no_answer"}, DESK_WRITE),
    ("get", "/api/v1/follow-ups/", None, readers("administrator", "supervisor")),
    ("post", "/api/v1/follow-ups/{follow_up}/notes", {"text": "已回电"}, readers("administrator", "supervisor", code=201)),
    ("post", "/api/v1/follow-ups/{follow_up}/close", {"note": "已解决"}, readers("administrator", "supervisor")),
    ("get", "/api/v1/satisfaction?group_by=unit", None, DESK_READ),
    ("get", "/api/v1/public/platforms", None, ALL),
    ("get", "/api/v1/public/slots?platform={platform}&service_type={service}&day={day}", None, ALL),
    ("post", "/api/v1/public/codes", {"phone": "13900000008"}, {persona: 202 for persona in ALL}),
    ("get", "/api/v1/public/bookings/{token}", None, ALL),
    ("post", "/api/v1/public/bookings/{token}/cancel", {}, ALL),
    ("get", "/api/v1/public/surveys/{sent_token}", None, ALL),
    ("post", "/api/v1/public/surveys/{sent_token}", {"speed": "satisfied", "attitude": "basic", "result": "satisfied"}, ALL),
]
CASES = [(method, path, body, persona, code) for method, path, body, expected in ENDPOINTS
         for persona, code in matrix(expected)]


def fill(value, world):
    if isinstance(value, dict):
        return {key: fill(item, world) for key, item in value.items()}
    if isinstance(value, str) and "{" in value:
        filled = value.format(**world)
        return int(filled) if filled.isdigit() and value.startswith("{") and value.endswith("}") else filled
    return value


@pytest.mark.parametrize(("method", "path", "body", "persona", "code"), CASES,
                         ids=[f"{m} {p} {persona}" for m, p, _b, persona, _c in CASES])
def test_who_may_call_what(as_, world, method, path, body, persona, code):
    client = as_(persona)
    url = fill(path, world)
    response = getattr(client, method)(url, fill(body, world), format="json") if body is not None else client.get(url)

    assert response.status_code == code, response.content[:300]
