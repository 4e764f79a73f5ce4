"""The callback survey end to end: incidents are closed through the API; the real worker's beat sweep
(delay shortened to nothing, no quiet hours) sends each caller the survey link over SMPP 3.4 to a real
SMPP server on loopback; one caller answers "unsatisfied" on a phone-sized page and the platform's
supervisor sees the follow-up; the other never answers and, after the (shortened) answer window, the
survey is in the clerk's phone-callback queue."""
import re

import pytest
from playwright.sync_api import expect

from dispatch.models import IncidentStatus
from services.models import CallbackSurvey, FollowUp
from tests import factories as f
from tests.api_support import client_as
from tests.dispatch.test_worker import Worker
from tests.e2e.desk_support import PHONE_SIZE, desk_city
from tests.e2e.support import STEP_MS, log_in, shot, wait_for, watch
from tests.services.smsc import Smsc

LINK = re.compile(r"https?://\S+/s/[0-9A-Z]+")
ANSWER_WINDOW_S = 15


@pytest.fixture
def desk(transactional_db, settings):
    platform, _service = desk_city(settings)
    return platform


@pytest.fixture
def smsc():
    server = Smsc().start()
    yield server
    server.stop()


@pytest.fixture
def survey_worker(tmp_path, road_network, smsc, asgi_server):
    """The worker and its beat with the SMPP backend pointed at the local server and the survey clocks short."""
    from command.celery import app as celery_app

    celery_app.control.purge()
    started = Worker(tmp_path, ROAD_DATA_DIR=str(road_network), SMS_BACKEND="smpp", SMPP_HOST="127.0.0.1",
                     SMPP_PORT=str(smsc.port), SMPP_SYSTEM_ID="police", SMPP_PASSWORD="secret", SURVEY_DELAY_S="0",
                     SURVEY_QUIET_HOURS="none", SURVEY_SWEEP_S="1", SURVEY_ANSWER_WINDOW_S=str(ANSWER_WINDOW_S),
                     PUBLIC_BASE_URL=asgi_server).start()
    yield started
    started.stop()
    celery_app.control.purge()


def close_through_the_api(request, platform, phone: str):
    incident = f.IncidentFactory(zone=platform.zones.get(), caller_phone=phone, status=IncidentStatus.CLEARED,
                                 category="dispute")
    response = client_as(request, "dispatcher").post(f"/api/v1/incidents/{incident.pk}/close",
                                                     {"disposition": "mediated", "result": "双方和解"}, format="json")
    assert response.status_code == 200, response.content
    return incident


def survey_link(smsc, phone: str) -> str:
    """The link in the survey SMS the SMSC received for the phone: its UCS-2 parts joined, UDH stripped."""
    def text():
        parts = [p for p in smsc.of("submit_sm") if p.destination_addr == f"86{phone}".encode()]
        return "".join((p.short_message[6:] if p.esm_class & 0x40 else p.short_message).decode("utf-16-be")
                       for p in parts)

    wait_for(lambda: LINK.search(text()))
    parts = [p for p in smsc.of("submit_sm") if p.destination_addr == f"86{phone}".encode()]
    assert {p.data_coding for p in parts} == {8}
    return LINK.search(text())[0]


def answer_unsatisfied(browser, link, errors):
    context = browser.new_context(**PHONE_SIZE, locale="zh-CN")
    page = watch(context.new_page(), errors)
    page.goto(link)
    page.check('#q-speed input[value="satisfied"]')
    page.check('#q-attitude input[value="basic"]')
    page.check('#q-result input[value="unsatisfied"]')
    page.fill("#comment", "处理结果不满意")
    shot(page, "desk-4-survey-on-a-phone")
    page.click("#send-answers")
    expect(page.locator("#survey-thanks")).to_be_visible(timeout=STEP_MS)
    context.close()


@pytest.mark.e2e
def test_survey_sms_answered_unsatisfied_reaches_the_supervisor_and_silence_the_callback_queue(
        request, chromium, asgi_server, survey_worker, smsc, desk, page_errors):
    answered = close_through_the_api(request, desk, "13911112222")
    silent = close_through_the_api(request, desk, "13933334444")
    link = survey_link(smsc, "13911112222")
    survey_link(smsc, "13933334444")
    assert {"bind_transmitter", "submit_sm"} <= set(smsc.commands())
    answer_unsatisfied(chromium, link, page_errors)

    supervisor = watch(chromium.new_page(locale="en-US"), page_errors)
    log_in(supervisor, asgi_server, "desk-supervisor", "/supervisor/", live=False)
    follow_up = supervisor.locator(f'#follow-ups [data-incident="{answered.number}"]')
    expect(follow_up).to_contain_text("处理结果不满意")
    shot(supervisor, "desk-5-supervisor-follow-up")

    wait_for(lambda: CallbackSurvey.objects.filter(incident=silent, status="callback").exists(), ANSWER_WINDOW_S + 60)
    clerk = watch(chromium.new_page(locale="en-US"), page_errors)
    log_in(clerk, asgi_server, "desk-clerk", "/desk/", live=False)
    expect(clerk.locator(f'#callback-queue [data-incident="{silent.number}"]')).to_be_visible()
    expect(clerk.locator(f'#callback-queue [data-incident="{silent.number}"] .phone')).to_have_text("139****4444")
    shot(clerk, "desk-6-callback-queue")

    assert FollowUp.objects.get().survey.incident == answered
    assert page_errors == []
